#!/usr/bin/env python
"""Build and maintain the project's Vietnamese catalogs for the Wagtail admin.

The back office (Wagtail admin) is used by Vietnamese-only staff, and Wagtail
ships only a small part of its admin translated into Vietnamese.  The project
therefore carries its own complete catalogs in ``cchc/locale/vi/LC_MESSAGES``
(found through ``LOCALE_PATHS``, which take precedence over the apps' own
catalogs).

Sub-commands::

    collect           refresh cchc/locale/vi/LC_MESSAGES/{django,djangojs}.po
                      from the catalogs shipped by the installed packages,
                      keeping every translation already present in our files
    dump DIR [SIZE]   write the entries that still lack a translation into
                      chunk files DIR/chunk_NNN.tsv (one JSON array per line:
                      [key, msgctxt, msgid, msgid_plural, wagtail_vi, where])
    apply FILE...     read translated chunk files and store them in our
                      catalogs: DIR/chunk_NNN.out holds lines "N<TAB>msgstr"
                      for line N of DIR/chunk_NNN.tsv (``\\n`` escapes allowed)
    check             report untranslated entries and placeholder mismatches
    compile           compile the .mo files with Babel

Run with the project's virtualenv::

    .venv/bin/python scripts/build_wagtail_vi_catalog.py collect
"""

import glob
import json
import os
import re
import sys

import django
import wagtail
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "cchc", "locale", "vi", "LC_MESSAGES")
WAGTAIL_DIR = os.path.dirname(wagtail.__file__)
DJANGO_DIR = os.path.dirname(django.__file__)
SITE_PACKAGES = os.path.dirname(WAGTAIL_DIR)

DOMAINS = ("django", "djangojs")

# Django's own Vietnamese catalogs: we only add the msgids they lack.
DJANGO_CATALOG_DIRS = [
    os.path.join(DJANGO_DIR, "conf", "locale"),
    os.path.join(DJANGO_DIR, "contrib", "auth", "locale"),
    os.path.join(DJANGO_DIR, "contrib", "contenttypes", "locale"),
    os.path.join(DJANGO_DIR, "contrib", "humanize", "locale"),
]

HEADER_COMMENT = """\
# Vietnamese translations of the Wagtail admin (and of the Django messages
# Django's own Vietnamese catalogs lack) for the cchc back office.
# Generated and maintained with scripts/build_wagtail_vi_catalog.py.
#"""

PLACEHOLDER_RE = re.compile(
    r"%\([A-Za-z0-9_]+\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]"  # %(name)s
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]"  # %s %d %.1f
    r"|\{[A-Za-z0-9_]*\}"  # {name} {0} {}
)


def placeholders(text):
    """Return the sorted list of placeholders used in ``text``."""
    if not text:
        return []
    text = text.replace("%%", "")
    return sorted(PLACEHOLDER_RE.findall(text))


def key_of(message):
    msgid = message.id
    if isinstance(msgid, (list, tuple)):
        return (message.context or "", msgid[0], msgid[1])
    return (message.context or "", msgid, "")


def key_str(key):
    return json.dumps(list(key), ensure_ascii=False)


def is_translated(message):
    if not message.id or message.fuzzy:
        return False
    if isinstance(message.string, (list, tuple)):
        return bool(message.string) and all(message.string)
    return bool(message.string)


def read_catalog(path):
    with open(path, "rb") as f:
        return read_po(f)


def wagtail_source_catalogs(domain):
    """English catalogs of Wagtail (and taggit) for ``domain``."""
    paths = sorted(
        glob.glob(
            os.path.join(WAGTAIL_DIR, "**", "locale", "en", "LC_MESSAGES", domain + ".po"),
            recursive=True,
        )
    )
    for extra in ("taggit", "modelsearch"):
        paths += sorted(
            glob.glob(
                os.path.join(
                    SITE_PACKAGES, extra, "**", "locale", "en", "LC_MESSAGES", domain + ".po"
                ),
                recursive=True,
            )
        )
    return paths


def source_messages(domain):
    """Return {key: (message, source_path, wagtail_vi_translation)}."""
    result = {}
    for path in wagtail_source_catalogs(domain):
        vi_path = path.replace(os.sep + "en" + os.sep, os.sep + "vi" + os.sep)
        vi = {}
        if os.path.exists(vi_path):
            for m in read_catalog(vi_path):
                if is_translated(m):
                    vi[key_of(m)] = m.string
        for m in read_catalog(path):
            if not m.id:
                continue
            k = key_of(m)
            if k not in result or (not result[k][2] and k in vi):
                result[k] = (m, path, vi.get(k))
    if domain == "django":
        for directory in DJANGO_CATALOG_DIRS:
            en = os.path.join(directory, "en", "LC_MESSAGES", "django.po")
            vi_path = os.path.join(directory, "vi", "LC_MESSAGES", "django.po")
            translated = set()
            if os.path.exists(vi_path):
                translated = {key_of(m) for m in read_catalog(vi_path) if is_translated(m)}
            for m in read_catalog(en):
                if m.id and key_of(m) not in translated and key_of(m) not in result:
                    result[key_of(m)] = (m, en, None)
    return result


def project_po_path(domain):
    return os.path.join(OUT_DIR, domain + ".po")


def new_catalog(domain):
    # Date the catalog after the Wagtail catalogs it was built from, so that
    # re-running "collect" on the same Wagtail release changes nothing.
    source = os.path.join(WAGTAIL_DIR, "admin", "locale", "en", "LC_MESSAGES", "django.po")
    catalog = Catalog(
        creation_date=read_catalog(source).creation_date,
        revision_date=read_catalog(source).creation_date,
        locale="vi",
        domain=domain,
        header_comment=HEADER_COMMENT,
        project="cchc",
        version="1.0",
        msgid_bugs_address="",
        last_translator="cchc",
        language_team="Vietnamese",
        charset="utf-8",
        fuzzy=False,
    )
    return catalog


def load_project(domain):
    path = project_po_path(domain)
    if os.path.exists(path):
        return read_catalog(path)
    return new_catalog(domain)


def save_project(domain, catalog):
    catalog.fuzzy = False
    with open(project_po_path(domain), "wb") as f:
        write_po(f, catalog, width=0, omit_header=False, sort_output=False, include_previous=False)
    fix_header(project_po_path(domain))


def fix_header(path):
    """Make sure the header carries Language and Plural-Forms for Vietnamese."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    plural_forms = '"Plural-Forms: nplurals=1; plural=0;\\\\n"'
    text = re.sub(r'"Plural-Forms: [^"]*\\n"', plural_forms, text, count=1)
    text = text.replace('"Report-Msgid-Bugs-To: EMAIL@ADDRESS\\n"\n', "", 1)
    if '"Language: vi\\n"' not in text:
        text = text.replace('"Language-Team:', '"Language: vi\\n"\n"Language-Team:', 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def rel(path):
    for base in (SITE_PACKAGES,):
        if path.startswith(base):
            return os.path.relpath(path, base)
    return path


def collect():
    for domain in DOMAINS:
        old = load_project(domain)
        old_strings = {key_of(m): m.string for m in old if m.id and is_translated(m)}
        catalog = new_catalog(domain)
        for k, (m, path, _vi) in source_messages(domain).items():
            msgid = (m.id[0], m.id[1]) if isinstance(m.id, (list, tuple)) else m.id
            string = old_strings.get(k)
            if string is None:
                string = ("",) if isinstance(msgid, tuple) else ""
            elif isinstance(msgid, tuple):
                string = (string[0],) if isinstance(string, (list, tuple)) else (string,)
            locations = [(rel(path).split(os.sep + "locale" + os.sep)[0], None)]
            flags = [f for f in m.flags if f != "fuzzy"]
            catalog.add(
                msgid,
                string,
                locations=locations,
                flags=flags,
                auto_comments=m.auto_comments,
                context=m.context,
            )
        save_project(domain, catalog)
        total = sum(1 for m in catalog if m.id)
        done = sum(1 for m in catalog if is_translated(m))
        print(f"{domain}: {total} msgids, {done} translated")


def dump(directory, size=150):
    os.makedirs(directory, exist_ok=True)
    n = 0
    for domain in DOMAINS:
        sources = source_messages(domain)
        catalog = load_project(domain)
        rows = []
        for m in catalog:
            if not m.id or is_translated(m):
                continue
            k = key_of(m)
            src = sources.get(k)
            vi = src[2] if src else None
            if isinstance(vi, (list, tuple)):
                vi = vi[0]
            where = rel(src[1]).split("/locale/")[0] if src else ""
            comment = " ".join(m.auto_comments)
            rows.append([domain] + list(k) + [vi or "", where, comment])
        for i in range(0, len(rows), size):
            n += 1
            with open(os.path.join(directory, f"chunk_{n:03d}.tsv"), "w", encoding="utf-8") as f:
                for row in rows[i : i + size]:
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{n} chunk files written to {directory}")


_ROWS = {}


def rows_for(out_path):
    tsv = out_path[: -len(".out")] + ".tsv"
    if tsv not in _ROWS:
        with open(tsv, encoding="utf-8") as f:
            _ROWS[tsv] = [json.loads(line) for line in f if line.strip()]
    return _ROWS[tsv]


def apply(files):
    catalogs = {d: load_project(d) for d in DOMAINS}
    index = {d: {key_of(m): m for m in catalogs[d] if m.id} for d in DOMAINS}
    count = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            for line_no, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip():
                    continue
                key, _, text = line.partition("\t")
                domain, ctx, msgid, plural = rows_for(path)[int(key) - 1][:4]
                text = text.replace("\\n", "\n")
                m = index[domain].get((ctx, msgid, plural))
                if m is None:
                    print(f"{path}:{line_no}: unknown entry {key}", file=sys.stderr)
                    continue
                if not text:
                    print(f"{path}:{line_no}: empty translation", file=sys.stderr)
                    continue
                m.string = (text,) if plural else text
                count += 1
    for d in DOMAINS:
        save_project(d, catalogs[d])
    print(f"{count} translations applied")


TAG_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\\b")


def tags(text):
    return sorted(t.lower() for t in TAG_RE.findall(text or ""))


def expected_placeholders(message):
    """Return (required, allowed) placeholder sets for the msgstr.

    Vietnamese has a single plural form (nplurals=1), so msgstr[0] is used for
    every count: it must carry the plural's placeholders (including the
    count).  Babel's checker, however, validates msgstr[0] against the
    singular msgid, so when the singular uses named placeholders the
    translation may only use those (a plural-only extra name is rephrased).
    """
    if not isinstance(message.id, (list, tuple)):
        names = set(placeholders(message.id))
        return names, names
    singular, plural = (set(placeholders(x)) for x in message.id)
    if singular:
        return singular & plural, singular
    return plural, plural


def check():
    problems = 0
    for domain in DOMAINS:
        catalog = load_project(domain)
        for m in catalog:
            if not m.id:
                continue
            if not is_translated(m):
                problems += 1
                print(f"[{domain}] untranslated: {m.id!r}")
                continue
            required, allowed = expected_placeholders(m)
            source = m.id[1] if isinstance(m.id, (list, tuple)) else m.id
            strings = m.string if isinstance(m.string, (list, tuple)) else (m.string,)
            for s in strings:
                got = set(placeholders(s))
                if not (required <= got <= allowed):
                    problems += 1
                    print(f"[{domain}] placeholders {sorted(required)} != {sorted(got)}:")
                    print(f"    {m.id!r} -> {s!r}")
                if tags(s) != tags(source):
                    problems += 1
                    print(f"[{domain}] markup {tags(source)} != {tags(s)}: {m.id!r} -> {s!r}")
    print(f"{problems} problem(s)")
    return problems


def compile_mo():
    for domain in DOMAINS:
        catalog = load_project(domain)
        with open(os.path.join(OUT_DIR, domain + ".mo"), "wb") as f:
            write_mo(f, catalog)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "collect":
        collect()
    elif command == "dump":
        dump(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 150)
    elif command == "apply":
        apply(sys.argv[2:])
    elif command == "check":
        sys.exit(1 if check() else 0)
    elif command == "compile":
        compile_mo()
    else:
        sys.exit(__doc__)

"""Checks on the project's Vietnamese catalogs for the Wagtail admin.

The back office is used in Vietnamese only and Wagtail ships only part of its
admin translated, so ``cchc/locale/vi/LC_MESSAGES/{django,djangojs}.po`` must
cover every string of the Wagtail catalogs.  These tests need no database.
"""

import os
import re

import pytest
import wagtail
from babel.messages.pofile import read_po

WAGTAIL_DIR = os.path.dirname(wagtail.__file__)
PROJECT_LOCALE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "locale",
    "vi",
    "LC_MESSAGES",
)
DOMAINS = ("django", "djangojs")

# Wagtail apps whose screens the back-office users see.
WAGTAIL_APPS = [
    "",  # wagtail core
    "admin",
    "snippets",
    "images",
    "documents",
    "users",
    "search",
    "embeds",
    "sites",
    "locales",
    "contrib/settings",
    "contrib/forms",
    "contrib/redirects",
    "contrib/modeladmin",
    "contrib/search_promotions",
    "contrib/simple_translation",
    "contrib/table_block",
    "contrib/typed_table_block",
]

PLACEHOLDER_RE = re.compile(
    r"%\([A-Za-z0-9_]+\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]"  # %(name)s
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]"  # %s %d
    r"|\{[A-Za-z0-9_]*\}"  # {name} {0} {}
)
TAG_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b")


def _read(path):
    with open(path, "rb") as f:
        return read_po(f)


def _key(message):
    if isinstance(message.id, (list, tuple)):
        return (message.context or "", message.id[0], message.id[1])
    return (message.context or "", message.id, "")


def _translated(message):
    if not message.id or message.fuzzy:
        return False
    if isinstance(message.string, (list, tuple)):
        return bool(message.string) and all(s.strip() for s in message.string)
    return bool(message.string and message.string.strip())


def _placeholders(text):
    return sorted(PLACEHOLDER_RE.findall((text or "").replace("%%", "")))


def _tags(text):
    return sorted(t.lower() for t in TAG_RE.findall(text or ""))


def _wagtail_catalog_paths(domain):
    paths = []
    for app in WAGTAIL_APPS:
        path = os.path.join(WAGTAIL_DIR, app, "locale", "en", "LC_MESSAGES", domain + ".po")
        if os.path.exists(path):
            paths.append(path)
    return paths


def _project_catalog(domain):
    return _read(os.path.join(PROJECT_LOCALE, domain + ".po"))


@pytest.fixture(scope="module")
def project_catalogs():
    return {domain: _project_catalog(domain) for domain in DOMAINS}


def test_project_catalogs_exist_with_vietnamese_header(project_catalogs):
    for domain, catalog in project_catalogs.items():
        assert str(catalog.locale) == "vi", domain
        assert catalog.num_plurals == 1, domain
        assert catalog.plural_expr.strip() == "0", domain
        assert not catalog.fuzzy, domain
        mo = os.path.join(PROJECT_LOCALE, domain + ".mo")
        assert os.path.exists(mo), f"{mo} missing: pybabel compile -d cchc/locale -D {domain}"


def test_wagtail_apps_catalogs_are_found():
    # Guard against the glob silently matching nothing after an upgrade.
    found = [os.path.relpath(p, WAGTAIL_DIR) for p in _wagtail_catalog_paths("django")]
    for app in ("admin", "snippets", "images", "documents", "users"):
        assert os.path.join(app, "locale", "en", "LC_MESSAGES", "django.po") in found
    assert _wagtail_catalog_paths("djangojs")


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_wagtail_msgid_is_translated(domain, project_catalogs):
    ours = {_key(m) for m in project_catalogs[domain] if _translated(m)}
    missing = []
    for path in _wagtail_catalog_paths(domain):
        vi_path = path.replace(os.sep + "en" + os.sep, os.sep + "vi" + os.sep)
        theirs = set()
        if os.path.exists(vi_path):
            theirs = {_key(m) for m in _read(vi_path) if _translated(m)}
        for message in _read(path):
            if not message.id:
                continue
            key = _key(message)
            if key not in ours and key not in theirs:
                missing.append(f"{os.path.relpath(path, WAGTAIL_DIR)}: {key}")
    assert not missing, f"{len(missing)} untranslated msgid(s):\n" + "\n".join(missing)


def _expected_placeholders(message):
    """(required, allowed) placeholders for the msgstr of ``message``.

    Vietnamese has one plural form, used for every count, so msgstr[0] must
    carry the plural's placeholders.  Babel (pybabel compile) checks msgstr[0]
    against the singular msgid, so when the singular has named placeholders
    the translation may only use those.
    """
    if not isinstance(message.id, (list, tuple)):
        names = set(_placeholders(message.id))
        return names, names
    singular, plural = (set(_placeholders(x)) for x in message.id)
    if singular:
        return singular & plural, singular
    return plural, plural


@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_keep_placeholders_and_markup(domain, project_catalogs):
    problems = []
    for message in project_catalogs[domain]:
        if not message.id:
            continue
        if not _translated(message):
            problems.append(f"empty or fuzzy translation: {message.id!r}")
            continue
        required, allowed = _expected_placeholders(message)
        plural = isinstance(message.id, (list, tuple))
        source = message.id[1] if plural else message.id
        strings = list(message.string) if plural else [message.string]
        for string in strings:
            got = set(_placeholders(string))
            if not (required <= got <= allowed):
                problems.append(
                    f"placeholders {sorted(required)} vs {sorted(got)}: "
                    f"{message.id!r} -> {string!r}"
                )
            if _tags(string) != _tags(source):
                problems.append(f"markup: {message.id!r} -> {string!r}")
            # Keep leading/trailing whitespace the same (e.g. "Delete " or "Locale: ").
            edges = (string[:1].isspace(), string[-1:].isspace())
            if edges != (source[:1].isspace(), source[-1:].isspace()):
                problems.append(f"whitespace: {message.id!r} -> {string!r}")
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_translations_format_like_django_would(project_catalogs):
    """Every python-format translation can be %-formatted with the msgid's names."""
    problems = []
    for message in project_catalogs["django"]:
        if not message.id or "python-format" not in message.flags:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        names = {n for i in ids for n in re.findall(r"%\(([A-Za-z0-9_]+)\)", i)}
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        for string in strings:
            try:
                if names:
                    string % {n: 1 for n in names}
                elif re.search(r"%[-#0 +]*\d*(?:\.\d+)?[sdif]", ids[-1]):
                    count = len(re.findall(r"%[-#0 +]*\d*(?:\.\d+)?[sdif]", ids[-1]))
                    string % ((1,) * count if count > 1 else 1)
            except (KeyError, TypeError, ValueError) as e:
                problems.append(f"{message.id!r} -> {string!r}: {e!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "domain, msgid, expected",
    [
        ("django", "Pages", "Trang"),
        ("django", "Publish", "Xuất bản"),
        ("django", "Save draft", "Lưu bản nháp"),
        ("django", "Submit for moderation", "Gửi duyệt"),
        ("django", "Sign in", "Đăng nhập"),
        ("django", "Log out", "Đăng xuất"),
        ("django", "Dashboard", "Bảng điều khiển"),
        ("django", "Snippets", "Nội dung dùng chung"),
        ("django", "Users", "Người dùng"),
        ("django", "Groups", "Nhóm"),
        ("django", "Images", "Hình ảnh"),
        ("django", "Documents", "Tài liệu"),
        ("django", "Settings", "Cài đặt"),
        ("django", "Search", "Tìm kiếm"),
        ("django", "Preview", "Xem trước"),
        ("django", "Approve", "Phê duyệt"),
        ("django", "Reject", "Từ chối"),
        ("django", "Workflows", "Quy trình duyệt"),
        ("django", "Unpublish", "Ngừng xuất bản"),
        ("djangojs", "Dashboard", "Bảng điều khiển"),
        ("djangojs", "Save", "Lưu"),
    ],
)
def test_key_strings(domain, msgid, expected, project_catalogs):
    message = project_catalogs[domain].get(msgid)
    assert message is not None, f"{msgid!r} missing from {domain}.po"
    assert message.string == expected


def test_plural_entries_use_count_placeholder(project_catalogs):
    catalog = project_catalogs["django"]
    message = catalog.get(("Delete 1 page", "Delete %(counter)s pages"))
    assert message is not None
    assert message.string[0] == "Xóa %(counter)s trang"
    assert (message.string[0] % {"counter": 3}) == "Xóa 3 trang"


def test_django_gaps_are_filled(project_catalogs):
    # Django's own vi catalog lacks these; users see them in the admin.
    catalog = project_catalogs["django"]
    assert catalog.get(("%(num)d day", "%(num)d days")).string[0] == "%(num)d ngày"
    message = catalog.get(
        (
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
        )
    )
    assert message is not None and "%d" in message.string[0]


def test_compiled_catalog_is_used_by_django_gettext():
    """The .mo files load through gettext and return the Vietnamese text."""
    import gettext

    for domain, msgid, expected in (
        ("django", "Save draft", "Lưu bản nháp"),
        ("djangojs", "Dashboard", "Bảng điều khiển"),
    ):
        with open(os.path.join(PROJECT_LOCALE, domain + ".mo"), "rb") as f:
            translation = gettext.GNUTranslations(f)
        assert translation.gettext(msgid) == expected
    with open(os.path.join(PROJECT_LOCALE, "django.mo"), "rb") as f:
        translation = gettext.GNUTranslations(f)
    singular, plural = "Delete 1 page", "Delete %(counter)s pages"
    assert translation.ngettext(singular, plural, 1) == "Xóa %(counter)s trang"

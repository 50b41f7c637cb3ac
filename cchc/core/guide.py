"""The Vietnamese user guide (docs/huong-dan-su-dung.md) as a back-office page.

The guide is written in a small part of Markdown (headings, paragraphs,
lists with one level of nesting, tables, **bold**, `code`); this renders just
that part. Everything is HTML-escaped first, so the file cannot inject markup.
No Markdown package is among the pinned requirements; if one is added, this
module shrinks to a call to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

GUIDE_PATH = Path(settings.BASE_DIR) / "docs" / "huong-dan-su-dung.md"

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")
_ITEM = re.compile(r"^( *)(?:[-*]|(\d+)\.) +(.*)$")
_HEADING = re.compile(r"^(#{1,4}) +(.*)$")


@dataclass(frozen=True)
class Guide:
    title: str
    html: SafeString
    sections: list[tuple[str, str]]  # (anchor, title) of the second-level headings


def _inline(text: str) -> str:
    # Code first, so ** inside backticks stays literal.
    parts = _CODE.split(escape(text))
    out = []
    for i, part in enumerate(parts):
        out.append(f"<code>{part}</code>" if i % 2 else _BOLD.sub(r"<strong>\1</strong>", part))
    return "".join(out)


def _anchor(title: str) -> str:
    from anyascii import anyascii

    return slugify(anyascii(title)) or "muc"


def _table(rows: list[str]) -> str:
    cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows]
    head, body = cells[0], [r for r in cells[1:] if not all(set(c) <= set("-: ") for c in r)]
    th = "".join(f'<th scope="col">{_inline(c)}</th>' for c in head)
    trs = "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in r) + "</tr>" for r in body)
    return f'<table class="listing"><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>'


def _list(lines: list[str]) -> str:
    """Items of one list; deeper-indented items form a nested list of the item above."""
    items: list[list] = []  # [indent, tag, text]
    for line in lines:
        match = _ITEM.match(line)
        if match is None:  # a continuation line of the item above
            items[-1][2] += " " + line.strip()
        else:
            items.append([len(match.group(1)), "ol" if match.group(2) else "ul", match.group(3)])
    html: list[str] = []
    stack: list[tuple[int, str]] = []  # (indent, tag) of the open lists
    for indent, tag, text in items:
        if not stack or indent > stack[-1][0]:
            html.append(f"<{tag}>")
            stack.append((indent, tag))
        else:
            while len(stack) > 1 and indent < stack[-1][0]:
                html.append(f"</li></{stack.pop()[1]}>")
            html.append("</li>")
        html.append("<li>" + _inline(text))
    while stack:
        html.append(f"</li></{stack.pop()[1]}>")
    return "".join(html)


def render_markdown(source: str) -> Guide:
    blocks: list[str] = []
    sections: list[tuple[str, str]] = []
    title = ""
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        heading = _HEADING.match(line)
        if heading:
            level, text = len(heading.group(1)), heading.group(2).strip()
            if level == 1 and not title:
                title = text
            else:
                anchor = _anchor(text)
                if level == 2:
                    sections.append((anchor, text))
                blocks.append(f'<h{level} id="{anchor}">{_inline(text)}</h{level}>')
            i += 1
            continue
        start = i
        if line.lstrip().startswith("|"):
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                i += 1
            blocks.append(_table(lines[start:i]))
        elif _ITEM.match(line):
            while i < len(lines) and lines[i].strip() and not _HEADING.match(lines[i]):
                i += 1
            blocks.append(_list(lines[start:i]))
        else:
            while i < len(lines) and lines[i].strip() and not _HEADING.match(lines[i]):
                i += 1
            blocks.append("<p>" + _inline(" ".join(x.strip() for x in lines[start:i])) + "</p>")
    return Guide(title=title, html=mark_safe("\n".join(blocks)), sections=sections)  # noqa: S308 - escaped above


@lru_cache(maxsize=4)
def _cached(path: Path, mtime: float) -> Guide:
    return render_markdown(path.read_text(encoding="utf-8"))


def user_guide() -> Guide:
    return _cached(GUIDE_PATH, GUIDE_PATH.stat().st_mtime)

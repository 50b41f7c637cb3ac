"""The Vietnamese user guide (docs/huong-dan-su-dung.md) as a back-office page.

Rendered by the Markdown package (tables, heading anchors), then cleaned with
nh3 like every other HTML we show: the file is ours, but nothing in it can
inject a script.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import markdown
import nh3
from anyascii import anyascii
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

GUIDE_PATH = Path(settings.BASE_DIR) / "docs" / "huong-dan-su-dung.md"
_TAGS = {"h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "code", "pre", "a", "br"}
_TAGS |= {"table", "thead", "tbody", "tr", "th", "td", "blockquote", "hr"}
_ATTRIBUTES = {"h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "a": {"href"}, "th": {"scope"}}


@dataclass(frozen=True)
class Guide:
    title: str
    html: SafeString
    sections: list[tuple[str, str]]  # (anchor, title) of the second-level headings


def _anchor(value: str, separator: str) -> str:
    return slugify(anyascii(value)) or "muc"


def render_markdown(source: str) -> Guide:
    converter = markdown.Markdown(
        extensions=["tables", "toc", "sane_lists"],
        extension_configs={"toc": {"slugify": _anchor}},
    )
    html = converter.convert(source)
    tokens = converter.toc_tokens
    title = tokens[0]["name"] if tokens and tokens[0]["level"] == 1 else ""
    top = tokens[0]["children"] if title else tokens
    sections = [(t["id"], t["name"]) for t in top if t["level"] == 2]
    # The first-level heading is the page's title, shown in the header.
    if title:
        html = html.split("</h1>", 1)[-1]
    html = html.replace("<th>", '<th scope="col">').replace("<table>", '<table class="listing">')
    clean = nh3.clean(html, tags=_TAGS | {"table"}, attributes={**_ATTRIBUTES, "table": {"class"}})
    return Guide(title=title, html=mark_safe(clean), sections=sections)  # noqa: S308 - cleaned by nh3


@lru_cache(maxsize=4)
def _cached(path: Path, mtime: float) -> Guide:
    return render_markdown(path.read_text(encoding="utf-8"))


def user_guide() -> Guide:
    return _cached(GUIDE_PATH, GUIDE_PATH.stat().st_mtime)

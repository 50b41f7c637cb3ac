"""Pure text helpers: accent folding for search and HTML sanitising.

Both run without the ORM so they can be tested alone.
"""

from __future__ import annotations

import re

import nh3
from anyascii import anyascii
from django.utils.html import strip_tags

_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces, padded with spaces.

    "Cải cách hành chính" and "cai cach hanh chinh" fold to the same string, so
    a plain LIKE on the folded column behaves identically on SQLite and
    PostgreSQL (their full-text engines disagree on Vietnamese diacritics).
    The padding lets a query term match at the start of a word only.
    """
    words = _WORD.findall(anyascii(text or "").lower())
    return f" {' '.join(words)} " if words else ""


def query_terms(query: str) -> list[str]:
    return fold(query).split()


def search_text_for(*, title: str, summary: str, body_html: str) -> str:
    return fold(" ".join([title or "", summary or "", strip_tags(body_html or "")]))


# What an article body may contain once rendered. Scripts, iframes, objects,
# forms, styles and every on* attribute are absent, so they are removed even
# if they reach the database by a path that bypasses the editor (imports,
# the shell, a future API).
_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "sup",
    "sub",
    "ol",
    "ul",
    "li",
    "a",
    "img",
    "hr",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "class"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "p": {"class"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# The database format of a Wagtail rich text field: the same tags plus
# Wagtail's own link and image references, which are expanded on output.
_DB_TAGS = _TAGS | {"embed"}
_DB_ATTRIBUTES = {
    **_ATTRIBUTES,
    "a": {"href", "title", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt"},
}


def clean_rendered_html(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def clean_stored_html(html: str) -> str:
    cleaned = nh3.clean(
        html or "",
        tags=_DB_TAGS,
        attributes=_DB_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel=None,
    )
    # Only image embeds are allowed: the "embed" feature (arbitrary iframes
    # from oEmbed providers) is not offered to editors.
    return re.sub(r"<embed(?![^>]*embedtype=\"image\")[^>]*>", "", cleaned)

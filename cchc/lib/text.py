"""Pure text helpers: accent folding for search, slugs and HTML sanitising.

Both run without the ORM so they can be tested alone.
"""

from __future__ import annotations

import re
import unicodedata

import nh3
from anyascii import anyascii
from django.utils.html import strip_tags

_WORD = re.compile(r"[a-z0-9]+")
_ANY_WORD = re.compile(r"[^\W_]+")


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


SLUG_MAX_LENGTH = 80


def slug_for(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """An ASCII slug of whole words: "Hội nghị đối thoại 2026" → "hoi-nghi-doi-thoai-2026".

    anyascii rather than Django's slugify: slugify drops "đ" and "Đ" (they
    have no decomposition), anyascii writes them "d".
    """
    words = _WORD.findall(anyascii(text or "").lower())
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > max_length:
            break
        slug = longer
    return slug or (words[0][:max_length] if words else "")


def accented(text: str) -> str:
    """Lower-case words as written, accents kept, padded with spaces like fold().

    NFC, so that the same letter typed on different keyboards (precomposed
    "ế" or "e" plus combining marks) is stored and searched the same way.
    """
    found = _ANY_WORD.findall(unicodedata.normalize("NFC", text or "").lower())
    return f" {' '.join(found)} " if found else ""


def accented_terms(query: str) -> list[str]:
    """The words of a query typed with accents ("đề án 06" → ["đề", "án"])."""
    return [term for term in accented(query).split() if not term.isascii()]


def _article_text(title: str, summary: str, body_html: str) -> str:
    return " ".join([title or "", summary or "", strip_tags(body_html or "")])


def search_text_for(*, title: str, summary: str, body_html: str) -> str:
    return fold(_article_text(title, summary, body_html))


def search_words_for(*, title: str, summary: str, body_html: str) -> str:
    return accented(_article_text(title, summary, body_html))


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
# Only these references are offered to editors; the "embed" feature (iframes
# from oEmbed providers) is not.
LINK_TYPES = frozenset({"page", "document"})
EMBED_TYPES = frozenset({"image"})
# Database ids: Wagtail's pages, images and documents use 32-bit keys; a
# longer number would overflow the query that expands the reference.
_ID = re.compile(r"[1-9][0-9]{0,9}")
_MAX_ID = 2**31 - 1

_EMBED_TAG = re.compile(r"<embed\b([^>]*)>")
_A_TAG = re.compile(r"<a\b([^>]*)>")
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def is_reference_id(value) -> bool:
    value = str(value)
    return bool(_ID.fullmatch(value)) and int(value) <= _MAX_ID


def image_format_names() -> set[str]:
    from wagtail.images.formats import get_image_formats

    return {image_format.name for image_format in get_image_formats()}


def clean_rendered_html(html: str) -> str:
    cleaned = nh3.clean(
        html or "",
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    # A reference Wagtail could not expand (a page or file that is gone)
    # becomes a link to nowhere: show its text only.
    return _unwrap(cleaned, '<a rel="noopener noreferrer">')


def clean_stored_html(html: str) -> str:
    """The rich text as it may be stored: allowed tags only, and every Wagtail
    reference well formed (known type, numeric id, known image format), so
    that expanding it on a page can never fail.

    Used for every rich text field of the section (article body, section
    intro) on save and again on display, for whatever reached the database.
    """
    formats = image_format_names()

    def keep(element: str, attribute: str, value: str) -> str | None:
        if attribute == "id" and element in ("a", "embed"):
            return value if is_reference_id(value) else None
        if element == "a" and attribute == "linktype":
            return value if value in LINK_TYPES else None
        if element == "embed" and attribute == "embedtype":
            return value if value in EMBED_TYPES else None
        if element == "embed" and attribute == "format":
            return value if value in formats else None
        return value

    cleaned = nh3.clean(
        html or "",
        tags=_DB_TAGS,
        attributes=_DB_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel=None,
        attribute_filter=keep,
    )
    # nh3 escapes quotes and angle brackets inside attribute values, so the
    # tags can be read back with Wagtail's own simple patterns.
    cleaned = _EMBED_TAG.sub(_stored_embed, cleaned)
    cleaned = _A_TAG.sub(_stored_link, cleaned)
    return _unwrap(cleaned, "<a>")


def _stored_embed(match: re.Match) -> str:
    attrs = dict(_ATTR.findall(match.group(1)))
    if not {"embedtype", "id", "format"} <= attrs.keys():
        return ""
    # Wagtail recognises an embed only in its self-closing form.
    return "<embed " + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + "/>"


def _stored_link(match: re.Match) -> str:
    attrs = dict(_ATTR.findall(match.group(1)))
    if ("linktype" in attrs) != ("id" in attrs):
        attrs.pop("linktype", None)
        attrs.pop("id", None)
    return "<a" + "".join(f' {k}="{v}"' for k, v in attrs.items()) + ">"


def _unwrap(html: str, opening: str) -> str:
    # The parser behind nh3 never nests a link in a link, so the first
    # closing tag after a link's opening tag is its own.
    return re.sub(re.escape(opening) + r"(.*?)</a>", r"\1", html, flags=re.DOTALL)

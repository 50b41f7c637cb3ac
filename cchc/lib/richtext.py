"""Rich text that is neither stored broken nor able to break a page.

The editor (Draftail) posts contentstate JSON, which Wagtail turns into its
database format (<a linktype="page" id="3">, <embed embedtype="image" .../>).
A crafted request can post anything there: JSON that does not parse, links
to ids that are not numbers, images in formats that do not exist. Wagtail
stores such content and then answers 500 wherever it is expanded (the public
page, the editor itself). Here:

- the form refuses it with a Vietnamese message on the field;
- what is stored, and what is shown, first goes through clean_stored_html,
  which keeps only well-formed references, so content already in the
  database renders a broken link as its text and drops a broken image.
"""

from __future__ import annotations

import logging

from django import forms
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from wagtail import fields as wagtail_fields
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import expand_db_html
from wagtail.rich_text.rewriters import FIND_A_TAG, FIND_EMBED_TAG, extract_attrs

from cchc.lib.text import (
    EMBED_TYPES,
    LINK_TYPES,
    clean_rendered_html,
    clean_stored_html,
    image_format_names,
    is_reference_id,
)

logger = logging.getLogger(__name__)

UNREADABLE_MESSAGE = (
    "Không đọc được nội dung do trình soạn thảo gửi lên. Hãy tải lại trang, soạn lại "
    "nội dung rồi lưu."
)
PAGE_LINK_MESSAGE = "Liên kết tới trang “%(text)s” không hợp lệ hoặc trang không còn tồn tại."
DOCUMENT_LINK_MESSAGE = "Liên kết tới tệp “%(text)s” không hợp lệ hoặc tệp không còn tồn tại."
LINK_TYPE_MESSAGE = "Liên kết “%(text)s” không thuộc loại được phép."
IMAGE_MESSAGE = "Ảnh “%(text)s” không hợp lệ hoặc không còn tồn tại."
IMAGE_FORMAT_MESSAGE = "Ảnh “%(text)s” có cách trình bày không hợp lệ."
EMBED_MESSAGE = "Nội dung nhúng “%(text)s” không được phép."


class Unreadable(str):
    """What the editor widget returns for a value it cannot convert."""


UNREADABLE = Unreadable("")


class EditorWidget(DraftailRichTextArea):
    """Wagtail's Draftail editor that neither fails on a crafted post nor on
    broken stored content."""

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError):
            # Not JSON, or JSON that is not contentstate.
            return UNREADABLE

    def format_value(self, value):
        if isinstance(value, Unreadable):
            value = ""
        return super().format_value(clean_stored_html(value or ""))


class RichTextFormField(forms.CharField):
    def __init__(self, *args, features=None, **kwargs):
        self.features = features
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, Unreadable):
            raise forms.ValidationError(UNREADABLE_MESSAGE, code="unreadable")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        problems = rich_text_problems(value, features=self.features)
        if problems:
            raise forms.ValidationError(problems)


class RichTextField(wagtail_fields.RichTextField):
    """Wagtail's RichTextField with the checked editor and form field."""

    def formfield(self, **kwargs):
        defaults = {
            "form_class": RichTextFormField,
            "widget": EditorWidget(features=self.features),
            "features": self.features,
        }
        defaults.update(kwargs)
        return super().formfield(**defaults)

    def deconstruct(self):
        # Stored exactly like Wagtail's field: migrations need not know.
        name, _, args, kwargs = super().deconstruct()
        return name, "wagtail.fields.RichTextField", args, kwargs


def rich_text_problems(html: str, *, features=None) -> list[forms.ValidationError]:
    """Every reference in database-format rich text that would not expand."""
    features = set(features) if features is not None else None
    problems: list[forms.ValidationError] = []
    wanted: dict[str, dict[int, str]] = {"page": {}, "document": {}, "image": {}}

    def problem(message: str, text: str, code: str) -> None:
        problems.append(
            forms.ValidationError(message, code=code, params={"text": text.strip() or "…"})
        )

    for match in FIND_A_TAG.finditer(html or ""):
        attrs = extract_attrs(match.group(1))
        linktype = attrs.get("linktype")
        if linktype is None:
            continue
        end = html.find("</a>", match.end())
        text = strip_tags(html[match.end() : max(end, match.end())])[:60]
        allowed = (
            features is None or ("link" if linktype == "page" else "document-link") in features
        )
        if linktype not in LINK_TYPES or not allowed:
            problem(LINK_TYPE_MESSAGE, text, "link_type")
        elif not is_reference_id(attrs.get("id", "")):
            message = PAGE_LINK_MESSAGE if linktype == "page" else DOCUMENT_LINK_MESSAGE
            problem(message, text, "link_id")
        else:
            wanted[linktype][int(attrs["id"])] = text
    formats = image_format_names()
    for match in FIND_EMBED_TAG.finditer(html or ""):
        attrs = extract_attrs(match.group(1))
        alt = attrs.get("alt", "")[:60]
        if attrs.get("embedtype") not in EMBED_TYPES or (
            features is not None and "image" not in features
        ):
            problem(EMBED_MESSAGE, attrs.get("embedtype", ""), "embed_type")
        elif not is_reference_id(attrs.get("id", "")):
            problem(IMAGE_MESSAGE, alt, "image_id")
        elif attrs.get("format") not in formats:
            problem(IMAGE_FORMAT_MESSAGE, alt, "image_format")
        else:
            wanted["image"][int(attrs["id"])] = alt

    for kind, model, message in (
        ("page", Page, PAGE_LINK_MESSAGE),
        ("document", get_document_model(), DOCUMENT_LINK_MESSAGE),
        ("image", get_image_model(), IMAGE_MESSAGE),
    ):
        if not wanted[kind]:
            continue
        found = set(model.objects.filter(pk__in=wanted[kind]).values_list("pk", flat=True))
        for pk, text in wanted[kind].items():
            if pk not in found:
                problem(message, text, f"{kind}_missing")
    return problems


def render_rich_text(value) -> SafeString:
    """Stored rich text as public HTML: references expanded, then an
    allow-list sanitiser over the result. Never raises for stored content."""
    stored = clean_stored_html(str(value or ""))
    try:
        html = expand_db_html(stored)
    except Exception:
        # A reference that passed every check and still failed (a corrupt
        # image file...): the text is worth more to a reader than a 500.
        logger.exception("Rich text could not be expanded")
        return mark_safe(f"<p>{escape(strip_tags(stored))}</p>")  # noqa: S308
    return mark_safe(clean_rendered_html(html))  # noqa: S308

"""An article's address is made from its title: transliterated, unique among
its siblings, cut at a word boundary; the editor never has to type it.

The slug field (on the "Quảng bá" tab) may be left empty, or filled with
Vietnamese; either way the stored slug is ASCII ("Hội nghị đối thoại" →
"hoi-nghi-doi-thoai").
"""

from __future__ import annotations

from django import forms
from wagtail.models import Page

from cchc.lib.text import slug_for

SLUG_HELP = (
    "Phần cuối của địa chỉ trang. Để trống: tạo từ tiêu đề, bỏ dấu "
    "(ví dụ “Hội nghị giao ban” → hoi-nghi-giao-ban)."
)
FALLBACK_SLUG = "tin-bai"


def free_slug(base: str, parent: Page | None, page: Page | None = None) -> str:
    """base, or base-2, base-3... whichever no sibling of page uses yet."""
    base = base or FALLBACK_SLUG
    if parent is None:
        return base
    siblings = parent.get_children()
    if page is not None and page.pk:
        siblings = siblings.not_page(page)
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


class SlugFromTitleMixin:
    """For a WagtailAdminPageForm: the slug is optional and always transliterated."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("slug")
        if field is None:
            return
        # A plain text field: the value is made into a slug here, so what the
        # editor typed (spaces, Vietnamese letters) is never an error.
        widget = field.widget
        # The editor's script keeps Vietnamese letters instead of deleting
        # them ("hi-ngh-i-thoi"); they are transliterated on the server.
        widget.attrs["data-w-slug-allow-unicode-value"] = True
        self.fields["slug"] = forms.CharField(
            label=field.label,
            required=False,
            max_length=255,
            help_text=SLUG_HELP,
            widget=widget,
        )

    def clean_slug(self) -> str:
        typed = self.cleaned_data.get("slug") or ""
        base = slug_for(typed) or slug_for(
            self.cleaned_data.get("title") or self.data.get("title") or ""
        )
        instance = self.instance
        if instance.pk and base and base == instance.slug:
            return base
        return free_slug(base, self.parent_page, instance)

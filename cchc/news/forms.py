from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm

from cchc.lib.forms import DateField
from cchc.lib.widgets import FastDateInput, FastSelect, FixedChoices
from cchc.news.attachments import validate_attachment
from cchc.news.models import Topic
from cchc.org.models import UnitType


class AttachmentForm(BaseDocumentForm):
    """Wagtail's document form, with the content check every upload path shares
    (single upload, multiple upload, the chooser's upload tab)."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            validate_attachment(upload)
        return upload


class ArticleFilterForm(forms.Form):
    """The public filters. Field names are the query-string keys.

    `unit_choices`: (slug, name) of the units offered (selectors.unit_choices).
    """

    tu_khoa = forms.CharField(label="Từ khóa", required=False, max_length=200)
    # Shown on every uncached section page: rendered without Django's templates.
    don_vi = forms.ChoiceField(label="Đơn vị", required=False, widget=FastSelect)
    loai_don_vi = forms.ChoiceField(
        label="Loại đơn vị",
        required=False,
        choices=[("", "Tất cả")]
        + [(v, label) for v, label in UnitType.choices if v != UnitType.DISTRICT],
        widget=FastSelect,
    )
    chu_de = forms.ChoiceField(
        label="Chủ đề",
        required=False,
        choices=[("", "Tất cả"), *Topic.choices],
        widget=FastSelect,
    )
    tu_ngay = DateField(label="Từ ngày", required=False, widget=FastDateInput)
    den_ngay = DateField(label="Đến ngày", required=False, widget=FastDateInput)

    def __init__(self, *args, unit_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["don_vi"].choices = FixedChoices([("", "Tất cả"), *unit_choices])

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and start > end:
            self.add_error("den_ngay", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data


class DeskFilterForm(forms.Form):
    """The administrator's list of newsrooms: find a unit among a hundred."""

    tu_khoa = forms.CharField(label="Tên đơn vị", required=False, max_length=100)
    loai_don_vi = forms.ChoiceField(
        label="Loại đơn vị",
        required=False,
        choices=[("", "Tất cả")]
        + [(v, label) for v, label in UnitType.choices if v != UnitType.DISTRICT],
    )
    cho_duyet = forms.BooleanField(label="Chỉ đơn vị có tin chờ duyệt", required=False)

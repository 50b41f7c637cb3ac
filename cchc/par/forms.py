from __future__ import annotations

from django import forms

from cchc.lib import uploads
from cchc.par.io.importing import MAX_UPLOAD_BYTES
from cchc.par.models import SCORED_UNIT_TYPES

YEAR_MIN, YEAR_MAX = 2015, 2100


class CriteriaImportForm(forms.Form):
    year = forms.IntegerField(label="Năm đánh giá", min_value=YEAR_MIN, max_value=YEAR_MAX)
    unit_type = forms.ChoiceField(label="Loại đơn vị", choices=SCORED_UNIT_TYPES)
    file = forms.FileField(
        label="Tệp bộ tiêu chí",
        help_text="Tệp Excel (.xlsx) theo mẫu xuất từ hệ thống, hoặc tệp YAML (.yaml, .yml).",
    )
    set_id = forms.CharField(
        label="Mã bộ tiêu chí trong tệp",
        required=False,
        max_length=60,
        help_text="Chỉ cần khi tệp YAML có nhiều bộ tiêu chí, ví dụ: so-ban-nganh.",
    )

    def clean_file(self):
        # The content is checked by the parser, whose problems the page lists.
        upload = self.cleaned_data["file"]
        uploads.check_name(upload.name, allowed=("xlsx", "yaml", "yml"))
        uploads.check_size(upload.size, max_bytes=MAX_UPLOAD_BYTES)
        return upload

    @property
    def is_yaml(self) -> bool:
        return self.cleaned_data["file"].name.lower().endswith((".yaml", ".yml"))


class CriteriaCloneForm(forms.Form):
    year = forms.IntegerField(label="Sao chép sang năm", min_value=YEAR_MIN, max_value=YEAR_MAX)
    unit_type = forms.ChoiceField(
        label="Loại đơn vị",
        choices=SCORED_UNIT_TYPES,
        help_text="Ví dụ: bộ tiêu chí cấp huyện trước năm 2025 làm gốc cho cấp xã.",
    )

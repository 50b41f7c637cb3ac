from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

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
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("Tệp quá lớn (tối đa 5 MB).")
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".yaml", ".yml")):
            raise ValidationError("Chỉ nhận tệp .xlsx, .yaml hoặc .yml.")
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

import datetime

from django import forms
from django.utils import timezone

from cchc.lib.forms import DateField

MAX_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 30


class DateRangeForm(forms.Form):
    tu_ngay = DateField(label="Từ ngày", required=False)
    den_ngay = DateField(label="Đến ngày", required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and start > end:
            raise forms.ValidationError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")
        if start and end and (end - start).days >= MAX_RANGE_DAYS:
            raise forms.ValidationError("Chọn khoảng thời gian không quá 366 ngày.")
        return data

    def span(self) -> tuple[datetime.date, datetime.date]:
        """The chosen range, or the last 30 days when nothing (valid) was chosen."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("den_ngay") or today
        start = data.get("tu_ngay") or end - datetime.timedelta(days=DEFAULT_RANGE_DAYS - 1)
        start = min(start, end)
        return max(start, end - datetime.timedelta(days=MAX_RANGE_DAYS - 1)), end


class EvidenceForm(forms.Form):
    nam = forms.IntegerField(label="Năm", min_value=2025, max_value=2100)

"""The previous year's published figures, typed in for a year before the platform."""

from __future__ import annotations

from django import forms

from cchc.lib.formats import number_vi
from cchc.par.io.results import number


class PercentField(forms.CharField):
    """A percentage typed the Vietnamese way (88,56) or with a point."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 8}))
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        found = number(text)
        if found is None:
            raise forms.ValidationError("Phải là một số, ví dụ 88,56.")
        if not 0 <= found <= 100:
            raise forms.ValidationError(f"Phải từ 0 đến 100 (%): {number_vi(found, 4)}.")
        return found


class PreviousFiguresForm(forms.Form):
    """One unit type's figures: the year compared with, each area's index, the average."""

    previous_year = forms.IntegerField(label="Năm so sánh", min_value=2000)
    average = PercentField(label="Chỉ số CCHC bình quân (nếu đã công bố)", required=False)

    def __init__(self, *args, areas, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["previous_year"].max_value = year - 1
        self.fields["previous_year"].widget.attrs["max"] = year - 1
        self.area_codes = []
        for code, title in areas:
            name = f"area_{code}"
            self.fields[name] = PercentField(label=f"{code}. {title} (%)", required=True)
            self.area_codes.append((code, name))

    def clean_previous_year(self):
        value = self.cleaned_data["previous_year"]
        if value >= self.year:
            raise forms.ValidationError(f"Năm so sánh phải trước năm {self.year}.")
        return value

    def areas(self) -> dict:
        return {code: self.cleaned_data[name] for code, name in self.area_codes}

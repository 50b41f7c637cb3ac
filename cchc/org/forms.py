from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cchc.lib.collation import vi_order_by
from cchc.lib.forms import DateField
from cchc.org.models import CommuneKind, Unit, UnitType


class UnitMergeForm(forms.Form):
    predecessors = forms.ModelMultipleChoiceField(
        label="Các đơn vị được sáp nhập",
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Chọn ít nhất hai đơn vị đang hoạt động.",
    )
    name = forms.CharField(label="Tên đơn vị mới", max_length=200)
    unit_type = forms.ChoiceField(label="Loại đơn vị", choices=UnitType.choices)
    commune_kind = forms.ChoiceField(
        label="Loại đơn vị cấp xã", choices=[("", "—"), *CommuneKind.choices], required=False
    )
    code = forms.CharField(label="Mã đơn vị", max_length=20)
    slug = forms.SlugField(label="Đường dẫn", max_length=80)
    effective_date = DateField(label="Ngày hiệu lực")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["predecessors"].queryset = vi_order_by(
            Unit.objects.active().exclude(unit_type=UnitType.PROVINCE)
        )

    def clean_predecessors(self):
        units = self.cleaned_data["predecessors"]
        if len(units) < 2:
            raise ValidationError("Cần chọn ít nhất hai đơn vị để sáp nhập.")
        return units

    def new_unit(self) -> Unit:
        data = self.cleaned_data
        first = data["predecessors"][0]
        return Unit(
            name=data["name"],
            unit_type=data["unit_type"],
            commune_kind=data["commune_kind"],
            code=data["code"],
            slug=data["slug"],
            parent=first.parent,
        )


class UnitRetireForm(forms.Form):
    unit = forms.ModelChoiceField(label="Đơn vị", queryset=Unit.objects.none())
    effective_date = DateField(label="Ngừng hoạt động từ ngày", initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = vi_order_by(Unit.objects.active(), "name", "unit_type")

"""Forms of the evaluation year's administration (opening, windows, extensions, exemptions).

Forms only bind and check what was typed; the services (cchc.par.services.year)
decide, and their ValidationErrors come back onto the form.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from cchc.lib.collation import vi_order_by, vi_sorted
from cchc.lib.forms import DateField
from cchc.org.models import Unit, UnitType
from cchc.par.forms import YEAR_MAX, YEAR_MIN
from cchc.par.models import STAGE_FIELDS, CriteriaNode, CriteriaSet, Stage

WINDOW_LABELS = {
    "start": "{stage}: từ ngày",
    "end": "{stage}: đến ngày",
}


def _window_fields(form: forms.Form, initial=None) -> None:
    for stage in Stage:
        for part, name in zip(("start", "end"), STAGE_FIELDS[stage], strict=True):
            form.fields[name] = DateField(
                label=WINDOW_LABELS[part].format(stage=stage.label),
                initial=(initial or {}).get(name),
            )


def windows_of(cleaned: dict) -> dict[Stage, tuple]:
    return {
        stage: (cleaned.get(STAGE_FIELDS[stage][0]), cleaned.get(STAGE_FIELDS[stage][1]))
        for stage in Stage
    }


def window_field_names() -> list[str]:
    return [name for stage in Stage for name in STAGE_FIELDS[stage]]


def department_queryset():
    departments = Unit.objects.active_on(timezone.localdate()).filter(unit_type=UnitType.DEPARTMENT)
    return vi_order_by(departments)


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _evaluator_fields(form: forms.Form, areas: list[tuple[str, str]], initial: dict) -> None:
    queryset = department_queryset()
    for code, title in areas:
        form.fields[f"area_{code}"] = DepartmentChoiceField(
            label=f"Lĩnh vực {code}: {title}",
            queryset=queryset,
            initial=initial.get(code),
            empty_label="— Chọn cơ quan thẩm định —",
            error_messages={"required": f"Chọn cơ quan thẩm định lĩnh vực {code}."},
        )


def evaluators_of(form: forms.Form, areas) -> dict:
    return {code: form.cleaned_data.get(f"area_{code}") for code, _ in areas}


class _Grouped:
    """Bound fields by group, for templates: windows, sets, areas."""

    def window_fields(self):
        return [self[name] for name in window_field_names() if name in self.fields]

    def set_fields(self):
        return [self[name] for name in self.fields if name.startswith("set_")]

    def area_fields(self):
        return [self[name] for name in self.fields if name.startswith("area_")]


class YearChooseForm(forms.Form):
    """Step one of opening: which year (its criteria sets decide the rest)."""

    year = forms.IntegerField(label="Năm đánh giá", min_value=YEAR_MIN, max_value=YEAR_MAX)


class YearOpenForm(_Grouped, forms.Form):
    title = forms.CharField(
        label="Tên kỳ đánh giá",
        max_length=300,
        required=False,
        help_text="Để trống: «Chỉ số CCHC năm …».",
    )

    def __init__(self, *args, year: int, units: list[Unit], sets, areas, evaluators, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.areas = areas
        self.units_by_pk = {u.pk: u for u in units}
        _window_fields(self)
        groups = []
        for unit_type in (UnitType.DEPARTMENT, UnitType.COMMUNE):
            members = vi_sorted(u for u in units if u.unit_type == unit_type)
            if members:
                groups.append((unit_type.label, [(u.pk, u.name) for u in members]))
        self.unit_groups = groups
        self.fields["units"] = forms.TypedMultipleChoiceField(
            label="Đơn vị tham gia",
            choices=groups,
            coerce=int,
            initial=list(self.units_by_pk),
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Chưa chọn đơn vị nào tham gia đánh giá."},
        )
        self.set_types = []
        for unit_type in (UnitType.DEPARTMENT, UnitType.COMMUNE):
            candidates = CriteriaSet.objects.filter(year=year, unit_type=unit_type).order_by(
                "-version"
            )
            self.set_types.append(unit_type)
            self.fields[f"set_{unit_type}"] = forms.ModelChoiceField(
                label=f"Bộ tiêu chí cho {unit_type.label.lower()}",
                queryset=candidates,
                initial=sets.get(unit_type),
                required=False,
                empty_label=f"— Chưa có bộ tiêu chí năm {year} —",
                help_text="Bộ tiêu chí được khóa khi mở kỳ đánh giá.",
            )
        _evaluator_fields(self, areas, evaluators)

    def clean(self):
        cleaned = super().clean()
        chosen = [self.units_by_pk[pk] for pk in cleaned.get("units") or []]
        cleaned["unit_objects"] = chosen
        sets = {}
        for unit_type in sorted({u.unit_type for u in chosen}):
            criteria_set = cleaned.get(f"set_{unit_type}")
            if criteria_set is None:
                self.add_error(
                    f"set_{unit_type}",
                    f"Chọn bộ tiêu chí năm {self.year} cho {UnitType(unit_type).label.lower()}.",
                )
            else:
                sets[unit_type] = criteria_set
        cleaned["sets"] = sets
        return cleaned


def year_areas(year: int) -> list[tuple[str, str]]:
    """(code, title) of every area of the year's sets, in order (one query)."""
    seen: dict[str, str] = {}
    rows = (
        CriteriaNode.objects.filter(criteria_set__year=year, depth=1)
        .order_by("-criteria_set__version", "position")
        .values_list("code", "title")
    )
    for code, title in rows:
        seen.setdefault(code, title)
    return sorted(
        seen.items(), key=lambda item: [int(p) if p.isdigit() else p for p in item[0].split(".")]
    )


class YearUpdateForm(_Grouped, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, year, evaluators, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = [(ae.area_code, ae.area_title) for ae in evaluators]
        _window_fields(self, {name: getattr(year, name) for name in window_field_names()})
        self.fields["version"].initial = year.version
        _evaluator_fields(self, self.areas, {ae.area_code: ae.department for ae in evaluators})


class ExtensionForm(forms.Form):
    unit = forms.TypedChoiceField(label="Đơn vị", coerce=int)
    stage = forms.ChoiceField(label="Giai đoạn", choices=Stage.choices)
    ends_on = DateField(label="Gia hạn đến ngày")
    reason = forms.CharField(
        label="Lý do gia hạn",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Cần nêu lý do gia hạn."},
    )

    def __init__(self, *args, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.units_by_pk = {u.pk: u for u in units}
        self.fields["unit"].choices = [("", "— Chọn đơn vị —")] + [(u.pk, u.name) for u in units]


class ExemptForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    exempt = forms.TypedChoiceField(
        label="Áp dụng",
        choices=[("1", "Không áp dụng"), ("0", "Áp dụng trở lại")],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(
        label="Lý do",
        max_length=1000,
        widget=forms.TextInput,
        error_messages={"required": "Cần nêu lý do."},
    )

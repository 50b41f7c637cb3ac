"""The self-assessment forms: one small builder per rule type, and the evidence forms.

``leaf_form(node, entry, data=None)`` gives a form whose fields are the inputs the
leaf's rule needs (``cchc.par.engine.rules``), a note (thuyết minh) and the entry's
version; ``form.inputs()`` (after ``is_valid()``) is the engine's input dict, or None
when nothing was typed (a save of the note alone). Numbers take the decimal comma.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from cchc.lib.formats import number_vi
from cchc.par.services.assessment import EVIDENCE_EXTENSIONS


class VietnameseDecimalField(forms.CharField):
    """A number typed with a decimal comma or point ("85,5", "85.5")."""

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        text = str(value or "").strip().replace(" ", "")
        if not text:
            return None
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError("Hãy nhập một số (ví dụ 85,5).") from None
        if not number.is_finite():
            raise ValidationError("Hãy nhập một số (ví dụ 85,5).")
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(f"Giá trị không được nhỏ hơn {self.min_value}.")
        if self.max_value is not None and number > self.max_value:
            raise ValidationError(f"Giá trị không được lớn hơn {self.max_value}.")
        return number

    def prepare_value(self, value):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return number_vi(value, max_places=4)
        return value


def _count_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        error_messages={
            "invalid": "Hãy nhập một số nguyên.",
            "min_value": "Số lượng không được âm.",
        },
        widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
    )


def _number(value) -> Any:
    """A Decimal as JSON: an int when whole, else a float-free string-safe number."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# Each builder: rule -> (fields, to_inputs(cleaned) -> dict | None, from_inputs(dict) -> initial)
Builder = Callable[[Mapping], tuple[dict, Callable, Callable]]


def _binary(rule):
    fields = {
        "passed": forms.ChoiceField(
            label="Kết quả",
            required=False,
            choices=[("1", "Đạt"), ("0", "Không đạt")],
            widget=forms.RadioSelect,
        )
    }

    def to_inputs(c):
        return None if c["passed"] in ("", None) else {"passed": c["passed"] == "1"}

    def initial(i):
        return {"passed": "1" if i.get("passed") else "0"} if "passed" in i else {}

    return fields, to_inputs, initial


def _levels(rule):
    choices = [(str(level["label"]), str(level["label"])) for level in rule.get("levels", [])]
    fields = {
        "level": forms.ChoiceField(
            label="Mức đạt được", required=False, choices=choices, widget=forms.RadioSelect
        )
    }

    def to_inputs(c):
        return {"level": c["level"]} if c["level"] else None

    return fields, to_inputs, lambda i: {"level": i.get("level")}


def _pct(rule):
    fields = {"pct": VietnameseDecimalField(label="Tỷ lệ đạt được (%)", min_value=0, max_value=100)}

    def to_inputs(c):
        return None if c["pct"] is None else {"pct": _number(c["pct"])}

    return fields, to_inputs, lambda i: {"pct": i.get("pct")}


def _count_capped(rule):
    what = rule.get("count_of") or "số lượng"
    fields = {"count": _count_field(f"Số {what}" if not what.startswith("số") else what)}

    def to_inputs(c):
        return None if c["count"] is None else {"count": c["count"]}

    return fields, to_inputs, lambda i: {"count": i.get("count")}


def _deduction(rule):
    items = rule.get("per_occurrence", [])
    fields = {
        f"event_{i}": _count_field(f"Số lần: {item['event']}") for i, item in enumerate(items)
    }

    def to_inputs(c):
        values = [c[f"event_{i}"] for i in range(len(items))]
        if all(v is None for v in values):
            return None
        return {"counts": [v or 0 for v in values]}

    def initial(i):
        counts = i.get("counts")
        if isinstance(counts, Mapping):
            counts = [counts.get(item["event"], 0) for item in items]
        return {f"event_{n}": v for n, v in enumerate(counts or [])}

    return fields, to_inputs, initial


def _named(names: list[str], labels: Mapping[str, str], *, integers: bool):
    fields = {}
    for name in names:
        label = f"{labels.get(name, name)} ({name})" if name in labels else name
        fields[f"v_{name}"] = (
            _count_field(label) if integers else VietnameseDecimalField(label=label, min_value=0)
        )

    def to_inputs(c):
        values = {name: c[f"v_{name}"] for name in names}
        if all(v is None for v in values.values()):
            return None
        missing = [labels.get(n, n) for n, v in values.items() if v is None]
        if missing:
            raise ValidationError(f"Cần nhập đủ các số liệu: {', '.join(missing)}.")
        return {name: _number(v) for name, v in values.items()}

    return fields, to_inputs, lambda i: {f"v_{n}": i.get(n) for n in names}


def _weighted(rule):
    total = rule.get("total", "a")
    names = [total, *[n for n in rule.get("weights", {}) if n != total]]
    return _named(names, rule.get("labels") or {}, integers=True)


def _formula(rule):
    inputs = rule.get("inputs") or {}
    labels = {str(k): str(v) for k, v in inputs.items()} if isinstance(inputs, Mapping) else {}
    return _named([str(n) for n in inputs], labels, integers=False)


def _score(rule):
    fields = {"points": VietnameseDecimalField(label="Điểm tự chấm")}

    def to_inputs(c):
        return None if c["points"] is None else {"points": _number(c["points"])}

    return fields, to_inputs, lambda i: {"points": i.get("points")}


BUILDERS: dict[str, Builder] = {
    "binary": _binary,
    "levels": _levels,
    "percent_bands": _pct,
    "ratio": _pct,
    "count_capped": _count_capped,
    "deduction": _deduction,
    "weighted_counts": _weighted,
    "formula": _formula,
    "score": _score,
}


class LeafForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        label="Thuyết minh",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bắt buộc khi tiêu chí chưa có tài liệu kiểm chứng (thiếu hoặc chưa đầy đủ).",
    )

    def __init__(self, *args, rule: Mapping, prefilled: bool = False, **kwargs):
        builder = BUILDERS.get((rule or {}).get("type"))
        if builder is None:
            raise ValueError(f"No self-assessment form for rule {rule!r}")
        self.input_fields, self._to_inputs, _ = builder(rule)
        super().__init__(*args, **kwargs)
        fields = dict(self.input_fields)
        fields.update(self.fields)
        if prefilled:
            # a figure taken from an indicator is changed only with a reason
            fields["reason"] = forms.CharField(
                label="Lý do điều chỉnh số liệu lấy từ chỉ tiêu",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Bắt buộc khi sửa tỷ lệ khác với số liệu lấy từ chỉ tiêu CCHC.",
            )
        self.fields = fields

    def input_bound_fields(self):
        return [self[name] for name in self.input_fields]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                cleaned["inputs"] = self._to_inputs(cleaned)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned

    def inputs(self):
        return self.cleaned_data["inputs"]


def has_form(node) -> bool:
    return (node.rule or {}).get("type") in BUILDERS


def leaf_form(
    node, entry, data=None, *, version: int | None = None, prefilled: bool = False
) -> LeafForm:
    """The form of one leaf, initialised from what the unit saved; a leaf whose figure
    was taken from an indicator (``prefilled``) also asks for the reason of a change."""
    _, _, from_inputs = BUILDERS[node.rule["type"]](node.rule)
    initial = dict(from_inputs(entry.self_inputs or {})) if entry.self_inputs else {}
    initial.update(note=entry.self_note, version=entry.version)
    if data is not None and version is not None:
        data = data.copy()
        data[f"e{entry.pk}-version"] = str(version)
    return LeafForm(
        data, rule=node.rule, initial=initial, prefix=f"e{entry.pk}", prefilled=prefilled
    )


ACCEPT = ",".join(f".{ext}" for ext in sorted(EVIDENCE_EXTENSIONS))


class EvidenceForm(forms.Form):
    """Upload a new file, or choose one of the unit's files, and say where in it."""

    file = forms.FileField(
        label="Tải lên tệp mới",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"empty": "Tệp trống: hãy chọn tệp có nội dung."},
        help_text=f"PDF, Word, Excel hoặc ảnh JPG/PNG ({', '.join(sorted(EVIDENCE_EXTENSIONS))}).",
    )
    evidence = forms.TypedChoiceField(
        label="hoặc chọn tệp đã tải lên", required=False, coerce=int, empty_value=None
    )
    location = forms.CharField(
        label="Vị trí trong tài liệu (trang, mục)",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "ví dụ: trang 3, mục II.1"}),
    )

    def __init__(self, *args, files_of_unit=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [("", "— chọn tệp —")] + [
            (e.pk, e.name) for e in files_of_unit
        ]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("evidence"):
            raise ValidationError("Hãy chọn một tệp để tải lên hoặc một tệp đã tải lên.")
        return cleaned


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Lý do mở lại", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


__all__ = ["EvidenceForm", "LeafForm", "ReopenForm", "has_form", "leaf_form"]

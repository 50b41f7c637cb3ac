"""Forms of the appraisal and the explanation: one per leaf, prefixed by its entry.

A leaf's inputs are asked as its rule needs them for the simple rules (đạt/không đạt,
a level, a percentage, a count); for the others the appraiser gives points directly.
The services check everything again (bounds, comment, version).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms

from cchc.par.models import Decision, Evidence

INPUT_RULES = ("binary", "levels", "percent_bands", "ratio", "count_capped")


def _number(text: str, label: str) -> Decimal:
    try:
        return Decimal(text.strip().replace(" ", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        raise forms.ValidationError(f"{label} phải là một số.") from None


class _InputsMixin:
    """Adds the rule's input fields to a form and reads them back as engine inputs."""

    def add_input_fields(self, node, label: str) -> None:
        self.node = node
        self.rule_type = (node.rule or {}).get("type")
        if self.rule_type == "binary":
            self.fields["passed"] = forms.ChoiceField(
                label=f"{label}: kết quả",
                required=False,
                choices=[("", "—"), ("1", "Đạt"), ("0", "Không đạt")],
            )
        elif self.rule_type == "levels":
            labels = [level["label"] for level in node.rule.get("levels", [])]
            self.fields["level"] = forms.ChoiceField(
                label=f"{label}: mức đạt được",
                required=False,
                choices=[("", "—"), *[(x, x) for x in labels]],
            )
        elif self.rule_type in ("percent_bands", "ratio"):
            self.fields["pct"] = forms.CharField(
                label=f"{label}: tỷ lệ (%)", required=False, max_length=20
            )
        elif self.rule_type == "count_capped":
            self.fields["count"] = forms.CharField(
                label=f"{label}: số lượng", required=False, max_length=20
            )

    def inputs(self) -> dict | None:
        """The engine inputs typed, or None when none was typed."""
        data = self.cleaned_data
        if self.rule_type == "binary" and data.get("passed"):
            return {"passed": data["passed"] == "1"}
        if self.rule_type == "levels" and data.get("level"):
            return {"level": data["level"]}
        if self.rule_type in ("percent_bands", "ratio") and (data.get("pct") or "").strip():
            return {"pct": str(_number(data["pct"], "Tỷ lệ"))}
        if self.rule_type == "count_capped" and (data.get("count") or "").strip():
            return {"count": str(_number(data["count"], "Số lượng"))}
        return None

    def clean(self):
        # the typed inputs as engine inputs, in cleaned_data["inputs"]
        data = super().clean()
        if not self.errors:
            try:
                data["inputs"] = self.inputs()
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        return data

    @property
    def input_fields(self):
        return [self[name] for name in ("passed", "level", "pct", "count") if name in self.fields]


class AppraisalForm(_InputsMixin, forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label="Kết quả thẩm định", widget=forms.RadioSelect)
    points = forms.CharField(
        label="Điểm thẩm định",
        required=False,
        max_length=20,
        help_text="Nhập điểm trực tiếp khi không nhập dữ liệu; dùng dấu phẩy thập phân (1,5).",
    )
    comment = forms.CharField(
        label="Ý kiến thẩm định",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bắt buộc khi điều chỉnh điểm hoặc đề nghị giải trình.",
    )

    def __init__(self, *args, node, round: int, **kwargs):  # noqa: A002
        super().__init__(*args, **kwargs)
        choices = [(d.value, d.label) for d in Decision]
        if round == 2:
            choices = [c for c in choices if c[0] != Decision.RETURNED]
        self.fields["decision"].choices = choices
        self.add_input_fields(node, "Dữ liệu thẩm định")

    def clean_points(self):
        text = (self.cleaned_data.get("points") or "").strip()
        return str(_number(text, "Điểm thẩm định")) if text else None


class ExplanationForm(_InputsMixin, forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    explanation = forms.CharField(
        label="Nội dung giải trình",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Cần nhập nội dung giải trình."},
    )

    evidence = forms.ModelChoiceField(
        label="Tài liệu bổ sung",
        queryset=Evidence.objects.none(),
        required=False,
        empty_label="— không bổ sung —",
        help_text="Một tệp đơn vị đã tải lên; tải tệp mới ở trang tự đánh giá.",
    )
    location = forms.CharField(label="Vị trí trong tài liệu", required=False, max_length=300)

    def __init__(self, *args, node, participation, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_input_fields(node, "Dữ liệu sau giải trình")
        self.fields["evidence"].queryset = Evidence.objects.filter(
            participation=participation, removed_at__isnull=True
        ).order_by("name")


class ConfirmForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

"""The surveys (/quan-tri/khao-sat-sipas/): the list, a new year's survey, its settings.

Everyone who sees surveys (Sở Nội vụ, survey operators, provincial leaders) reads the
list; a unit's people get 404. Only Sở Nội vụ (MANAGE_SURVEY) creates, changes, opens
and closes a survey; the others get 403.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from cchc import access
from cchc.access import Action
from cchc.lib.forms import DateField, apply_validation_error, flash_validation_error
from cchc.lib.menus import ActionMenuItem
from cchc.sipas import engine
from cchc.sipas.models import Case, Response, Survey
from cchc.sipas.selectors import SEES_SURVEY, sees_surveys, survey_get_for_user
from cchc.sipas.services import sampling

HUNDRED = Decimal(100)


def reading_action(user) -> Action:
    """The survey action the user holds, to fetch a survey for reading with."""
    return next((a for a in SEES_SURVEY if access.can(user, a)), Action.VIEW_SURVEY)


def survey_for_reading(user, year: int) -> Survey:
    return survey_get_for_user(user, year, action=reading_action(user))


def _percent(label: str, help_text: str, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=5,
        decimal_places=1,
        localize=True,
        error_messages={"invalid": f"{label} phải là một số, ví dụ 5 hoặc 2,5."},
        **kwargs,
    )


SATISFIED_CHOICES = [
    (4, "Hài lòng hoặc rất hài lòng (4 hoặc 5), mặc định"),
    (5, "Chỉ rất hài lòng (5)"),
    (3, "Từ bình thường trở lên (3, 4 hoặc 5)"),
]
FORMULA_FIELDS = ("satisfied_from", "aggregation", "places")


class SettingsForm(forms.Form):
    title = forms.CharField(label="Tên đợt khảo sát", max_length=300)
    margin = _percent(
        "Sai số cho phép (%)",
        "e trong công thức n = N / (1 + N·e²); mặc định 5 %.",
        min_value=Decimal("0.1"),
        max_value=Decimal("50"),
    )
    reserve_share = _percent(
        "Mẫu dự phòng (% của cỡ mẫu)",
        "Số mẫu dự phòng = cỡ mẫu × tỷ lệ này, làm tròn lên; dùng khi người được chọn từ chối.",
        min_value=Decimal("0"),
        max_value=Decimal("500"),
    )
    quota_by_field = forms.BooleanField(
        label="Phân bổ mẫu theo lĩnh vực",
        required=False,
        help_text="Cỡ mẫu chia cho các lĩnh vực theo tỷ lệ số hồ sơ (phần dư lớn nhất).",
    )
    answers_until = DateField(label="Nhận phiếu đến ngày")
    # the index's formula (cchc.sipas.engine.Formula): computed when read, so it may change
    satisfied_from = forms.TypedChoiceField(
        label="Câu trả lời được tính là hài lòng",
        choices=SATISFIED_CHOICES,
        coerce=int,
        initial=4,
        required=False,
        empty_value=None,
    )
    aggregation = forms.ChoiceField(
        label="Cách tính chỉ số của đơn vị",
        choices=list(engine.AGGREGATIONS.items()),
        initial="elements",
        required=False,
    )
    places = forms.TypedChoiceField(
        label="Số chữ số thập phân khi công bố",
        choices=[(n, str(n)) for n in range(5)],
        coerce=int,
        initial=2,
        required=False,
        empty_value=None,
        help_text="Chỉ số được làm tròn đến số chữ số này khi hiển thị và khi chuyển "
        "vào Chỉ số CCHC (mặc định 2: 88,56 %).",
    )

    def service_values(self, survey: Survey | None = None) -> dict:
        data = dict(self.cleaned_data)
        data["margin"] = (data["margin"] / HUNDRED).quantize(Decimal("0.001"))
        data["reserve_share"] = (data["reserve_share"] / HUNDRED).quantize(Decimal("0.01"))
        formula = dict(survey.formula) if survey else {}
        for name in FORMULA_FIELDS:
            value = data.pop(name)
            if value not in (None, ""):  # a field left out keeps what the survey had
                formula[name] = value
        data["formula"] = formula
        return data

    @classmethod
    def initial_of(cls, survey: Survey) -> dict:
        formula = engine.Formula.from_json(survey.formula)
        return {
            "title": survey.title,
            "margin": (survey.margin * HUNDRED).normalize(),
            "reserve_share": (survey.reserve_share * HUNDRED).normalize(),
            "quota_by_field": survey.quota_by_field,
            "answers_until": survey.answers_until,
        } | {name: getattr(formula, name) for name in FORMULA_FIELDS}


class CreateForm(SettingsForm):
    year = forms.IntegerField(
        label="Năm", min_value=2020, max_value=2100, error_messages={"invalid": "Nhập năm."}
    )
    period_start = DateField(label="Hồ sơ giải quyết từ ngày")
    period_end = DateField(label="Hồ sơ giải quyết đến ngày")
    field_order = [
        "year",
        "title",
        "period_start",
        "period_end",
        "answers_until",
        "margin",
        "reserve_share",
        "quota_by_field",
        *FORMULA_FIELDS,
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = "Để trống: “Khảo sát sự hài lòng … năm <năm>”."


def _counts(queryset) -> dict[int, int]:
    """survey id -> rows, one grouped query (no join of cases with answers)."""
    return dict(queryset.values("survey").annotate(n=Count("pk")).values_list("survey", "n"))


def survey_list(request):
    if not sees_surveys(request.user):
        raise access.not_found()
    surveys = list(Survey.objects.order_by("-year"))
    cases = _counts(Case.objects.all())
    responses = _counts(Response.objects.all())
    for survey in surveys:
        survey.n_cases = cases.get(survey.pk, 0)
        survey.n_responses = responses.get(survey.pk, 0)
    return render(
        request,
        "sipas/setup_list.html",
        {
            "surveys": surveys,
            "can_manage": access.can(request.user, Action.MANAGE_SURVEY),
            "page_title": "Khảo sát SIPAS",
        },
    )


def survey_create(request):
    if not sees_surveys(request.user):
        raise access.not_found()
    access.require(request.user, Action.MANAGE_SURVEY)
    year = datetime.date.today().year  # noqa: DTZ011 - a default year only
    form = CreateForm(
        request.POST or None,
        initial={
            "year": year,
            "period_start": datetime.date(year - 1, 10, 1),
            "period_end": datetime.date(year, 9, 30),
            "answers_until": datetime.date(year, 11, 30),
            "margin": 5,
            "reserve_share": 20,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey = sampling.survey_create(actor=request.user, **form.service_values())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Đã tạo {survey.title}.")
            return redirect("sipas_overview", year=survey.year)
    return render(
        request,
        "sipas/setup_form.html",
        {"form": form, "page_title": "Tạo đợt khảo sát SIPAS", "survey": None},
        status=422 if request.method == "POST" else 200,
    )


def survey_settings(request, year: int):
    survey = survey_for_reading(request.user, year)
    can_manage = access.can(request.user, Action.MANAGE_SURVEY)
    if request.method == "POST" and not can_manage:
        raise access.denied()
    form = SettingsForm(request.POST or None, initial=SettingsForm.initial_of(survey))
    if request.method == "POST" and form.is_valid():
        try:
            version = int(request.POST.get("version", "0"))
            sampling.survey_update(
                actor=request.user, survey=survey, version=version, **form.service_values(survey)
            )
        except (ValueError, ValidationError) as exc:
            apply_validation_error(
                form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
            )
        else:
            messages.success(request, "Đã lưu thiết lập đợt khảo sát.")
            return redirect("sipas_survey_settings", year=survey.year)
    if not can_manage:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "sipas/setup_form.html",
        {
            "form": form,
            "survey": survey,
            "can_manage": can_manage,
            "page_title": f"Thiết lập {survey.title}",
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
def survey_open(request, year: int):
    survey = survey_get_for_user(request.user, year, action=Action.MANAGE_SURVEY)
    try:
        sampling.survey_open(actor=request.user, survey=survey)
    except ValidationError as exc:
        flash_validation_error(request, exc)
    else:
        messages.success(request, "Đã bắt đầu thu phiếu.")
    return redirect("sipas_survey_settings", year=survey.year)


@require_POST
def survey_close(request, year: int):
    survey = survey_get_for_user(request.user, year, action=Action.MANAGE_SURVEY)
    if request.POST.get("confirm") != "1":
        messages.error(request, "Hãy đánh dấu xác nhận trước khi kết thúc đợt khảo sát.")
        return redirect("sipas_survey_settings", year=survey.year)
    try:
        sampling.survey_close(actor=request.user, survey=survey)
    except ValidationError as exc:
        flash_validation_error(request, exc)
    else:
        messages.success(request, "Đã kết thúc đợt khảo sát; thông tin liên hệ đã được xóa.")
    return redirect("sipas_survey_settings", year=survey.year)


def menu_item() -> ActionMenuItem:
    return ActionMenuItem(
        "Khảo sát SIPAS",
        reverse("sipas_surveys"),
        icon_name="form",
        order=270,
        action=Action.VIEW_SURVEY,
        also=tuple(a for a in SEES_SURVEY if a != Action.VIEW_SURVEY),
    )


urlpatterns = [
    path("khao-sat-sipas/", survey_list, name="sipas_surveys"),
    path("khao-sat-sipas/tao-moi/", survey_create, name="sipas_survey_create"),
    path("khao-sat-sipas/<int:year>/thiet-lap/", survey_settings, name="sipas_survey_settings"),
    path("khao-sat-sipas/<int:year>/bat-dau-thu-phieu/", survey_open, name="sipas_survey_open"),
    path("khao-sat-sipas/<int:year>/ket-thuc/", survey_close, name="sipas_survey_close"),
]

"""Collecting paper forms (/quan-tri/khao-sat-sipas/<year>/thu-phieu/).

Survey operators and Sở Nội vụ (ENTER_SURVEY) key paper forms by keyboard, one unit's
batch at a time, twice by two people, and resolve the forms whose two keyings differ.
Sở Nội vụ (MANAGE_SURVEY) prints a unit's forms as one PDF. Provincial leaders, who
see surveys, get 403; a unit's people get 404 (selectors.survey_get_for_user).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from cchc import access
from cchc.access import Action
from cchc.lib.downloads import file_response
from cchc.lib.forms import apply_validation_error
from cchc.sipas import paper
from cchc.sipas.models import Draw, PaperEntry, Respondent, RespondentStatus
from cchc.sipas.selectors import survey_get_for_user
from cchc.sipas.services import collect

# Forms per PDF file: a big unit prints in batches, each rendered while the user waits.
PRINT_BATCH = 50


def _draw(survey, slug: str) -> Draw:
    """The unit's current sample in this survey, or 404."""
    return get_object_or_404(
        Draw.objects.select_related("unit"), survey=survey, unit__slug=slug, current=True
    )


def _item_field(code: str, text: str) -> forms.CharField:
    return forms.CharField(
        label=f"Câu {code}",
        required=False,
        max_length=2,
        help_text=text,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "pattern": "[1-5]?",
                "autocomplete": "off",
                "class": "sp-box",
                "size": "2",
                "data-sp-advance": "1",
            }
        ),
    )


class EntryForm(forms.Form):
    """One paper form of a batch: the code, then every item, the profile, the suggestion."""

    code = forms.CharField(
        label="Mã phiếu",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "class": "sp-code",
                "spellcheck": "false",
                "autocapitalize": "characters",
            }
        ),
        error_messages={"required": "Nhập mã phiếu in trên phiếu."},
    )

    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.elements = []
        for element in questionnaire.elements:
            names = []
            for item in element["items"]:
                name = f"item_{item['code']}"
                self.fields[name] = _item_field(item["code"], item["text"])
                names.append(name)
            self.elements.append((element, names))
        self.profile_names = []
        for question in questionnaire.profile:
            name = f"profile_{question['code']}"
            choices = " · ".join(
                f"{n} {label}" for n, (_v, label) in enumerate(question["choices"], start=1)
            )
            self.fields[name] = forms.CharField(
                label=question["label"],
                required=False,
                max_length=2,
                help_text=choices,
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "autocomplete": "off",
                        "class": "sp-box",
                        "size": "2",
                        "data-sp-advance": "1",
                    }
                ),
            )
            self.profile_names.append(name)
        self.fields["suggestion"] = forms.CharField(
            label="Góp ý (chép nguyên văn, để trống nếu không có)",
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def grouped(self):
        return [(e, [self[n] for n in names]) for e, names in self.elements]

    def profile_fields(self):
        return [self[n] for n in self.profile_names]

    def values(self) -> dict:
        data = self.cleaned_data
        codes = self.questionnaire.item_codes
        return {
            "code": data["code"],
            "answers": {c: data.get(f"item_{c}", "") for c in codes},
            "profile": {n.removeprefix("profile_"): data.get(n, "") for n in self.profile_names},
            "suggestion": data.get("suggestion", ""),
        }


def _batches(count: int) -> list[tuple[int, int, int]]:
    """(batch, first, last) of a unit's forms when they print in more than one file."""
    if count <= PRINT_BATCH:
        return []
    return [
        (n, start + 1, min(start + PRINT_BATCH, count))
        for n, start in enumerate(range(0, count, PRINT_BATCH), start=1)
    ]


def collect_index(request, year: int):
    survey = survey_get_for_user(request.user, year, action=Action.ENTER_SURVEY)
    draws = list(collect.collect_progress(survey))
    waiting = dict(
        collect.mismatches(survey).values_list("unit").annotate(n=Count("id")).order_by()
    )
    rows = [(d, waiting.get(d.unit_id, 0), _batches(d.in_sample)) for d in draws]
    return render(
        request,
        "sipas/collect_index.html",
        {
            "survey": survey,
            "rows": rows,
            "mismatch_count": sum(waiting.values()),
            "can_print": access.can(request.user, Action.MANAGE_SURVEY),
            "page_title": f"Thu phiếu khảo sát SIPAS năm {survey.year}",
        },
    )


def paper_print(request, year: int, unit: str):
    survey = survey_get_for_user(request.user, year, action=Action.MANAGE_SURVEY)
    draw = _draw(survey, unit)
    respondents = (
        Respondent.objects.filter(draw=draw)
        .exclude(status=RespondentStatus.REFUSED)
        .filter(Q(reserve=False) | Q(activated_at__isnull=False))
        .select_related("case", "questionnaire")
        .order_by("reserve", "position")
    )
    batch = request.GET.get("lo", "")
    label = ""
    if batch.isdigit() and int(batch) >= 1:
        start = (int(batch) - 1) * PRINT_BATCH
        respondents = respondents[start : start + PRINT_BATCH]
        label = f" (lô {int(batch)})"
    respondents = list(respondents)
    if not respondents:
        raise access.not_found()
    data = paper.render_pdf(survey, draw.unit, respondents)
    name = paper.filename(survey, draw.unit).removesuffix(".pdf") + label + ".pdf"
    return file_response(data, filename=name, content_type="application/pdf")


def paper_entry(request, year: int, unit: str):
    survey = survey_get_for_user(request.user, year, action=Action.ENTER_SURVEY)
    draw = _draw(survey, unit)
    first = Respondent.objects.filter(draw=draw).select_related("questionnaire").first()
    if first is None:
        raise access.not_found()
    form = EntryForm(request.POST or None, questionnaire=first.questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = collect.paper_enter(
                actor=request.user, survey=survey, unit=draw.unit, **form.values()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            level = messages.WARNING if outcome.status == "mismatch" else messages.SUCCESS
            messages.add_message(request, level, outcome.message)
            return redirect("sipas_paper_entry", year=survey.year, unit=draw.unit.slug)
    recent = (
        PaperEntry.objects.filter(respondent__draw=draw, entered_by=request.user)
        .select_related("respondent")
        .order_by("-entered_at")[:10]
    )
    return render(
        request,
        "sipas/collect_entry.html",
        {
            "survey": survey,
            "draw": draw,
            "unit": draw.unit,
            "form": form,
            "recent": recent,
            "page_title": f"Nhập phiếu giấy: {draw.unit.name}",
        },
        status=422 if request.method == "POST" else 200,
    )


def mismatch_list(request, year: int):
    survey = survey_get_for_user(request.user, year, action=Action.ENTER_SURVEY)
    rows = []
    for respondent in (
        collect.mismatches(survey).select_related("questionnaire").prefetch_related("paper_entries")
    ):
        entries = sorted(respondent.paper_entries.all(), key=lambda e: e.round)
        differing = [c for c in collect.compare(respondent, entries) if c.differs]
        rows.append((respondent, differing))
    return render(
        request,
        "sipas/collect_mismatches.html",
        {
            "survey": survey,
            "rows": rows,
            "page_title": f"Phiếu nhập hai lần không khớp năm {survey.year}",
        },
    )


class ResolveForm(forms.Form):
    """The values read off the paper, prefilled with round 1's, for a mismatched form."""

    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for element in questionnaire.elements:
            for item in element["items"]:
                self.fields[f"item_{item['code']}"] = _item_field(item["code"], item["text"])
        for question in questionnaire.profile:
            self.fields[f"profile_{question['code']}"] = forms.ChoiceField(
                label=question["label"],
                required=False,
                choices=[("", "(để trống)"), *[(str(v), lbl) for v, lbl in question["choices"]]],
            )
        self.fields["suggestion"] = forms.CharField(
            label="Góp ý", required=False, widget=forms.Textarea(attrs={"rows": 3})
        )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "answers": {c: data.get(f"item_{c}", "") for c in self.questionnaire.item_codes},
            "profile": {
                q["code"]: data.get(f"profile_{q['code']}", "") for q in self.questionnaire.profile
            },
            "suggestion": data.get("suggestion", ""),
        }


def mismatch_resolve(request, year: int, code: str):
    survey = survey_get_for_user(request.user, year, action=Action.ENTER_SURVEY)
    respondent = get_object_or_404(
        collect.mismatches(survey).select_related("questionnaire", "case"), code=code
    )
    entries = list(
        PaperEntry.objects.filter(respondent=respondent)
        .select_related("entered_by")
        .order_by("round")
    )
    first = entries[0]
    initial = {f"item_{c}": "" if v is None else str(v) for c, v in first.answers.items()}
    initial |= {f"profile_{c}": v for c, v in first.profile.items()}
    initial["suggestion"] = first.suggestion
    form = ResolveForm(
        request.POST or None, initial=initial, questionnaire=respondent.questionnaire
    )
    if request.method == "POST" and form.is_valid():
        try:
            collect.paper_resolve(
                actor=request.user, survey=survey, respondent=respondent, **form.values()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Đã đối chiếu và ghi nhận phiếu {respondent.code}.")
            return redirect("sipas_mismatches", year=survey.year)
    comparison = collect.compare(respondent, entries)
    return render(
        request,
        "sipas/collect_resolve.html",
        {
            "survey": survey,
            "respondent": respondent,
            "entries": entries,
            "rows": [(c, form[c.key]) for c in comparison],
            "form": form,
            "page_title": f"Đối chiếu phiếu {respondent.code}",
            "back": reverse("sipas_mismatches", args=[survey.year]),
        },
        status=422 if request.method == "POST" else 200,
    )


urlpatterns = [
    path("khao-sat-sipas/<int:year>/thu-phieu/", collect_index, name="sipas_collect"),
    path(
        "khao-sat-sipas/<int:year>/thu-phieu/khong-khop/",
        mismatch_list,
        name="sipas_mismatches",
    ),
    path(
        "khao-sat-sipas/<int:year>/thu-phieu/khong-khop/<str:code>/",
        mismatch_resolve,
        name="sipas_mismatch_resolve",
    ),
    path(
        "khao-sat-sipas/<int:year>/thu-phieu/<slug:unit>/in/",
        paper_print,
        name="sipas_paper_print",
    ),
    path(
        "khao-sat-sipas/<int:year>/thu-phieu/<slug:unit>/nhap/",
        paper_entry,
        name="sipas_paper_entry",
    ),
]

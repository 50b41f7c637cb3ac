"""SIPAS on the landing page ("Việc của tôi"): the WORK_ITEMS hook.

While a survey collects answers, those who key paper forms (ENTER_SURVEY) are told of
the forms waiting for their second keying and of the keyings that disagree; while it
is being prepared, Sở Nội vụ (MANAGE_SURVEY) is told how many units have cases but
no sample yet. Three queries at most whatever the number of units and forms.
"""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from cchc import access
from cchc.access import Action
from cchc.sipas.models import Case, Draw, Respondent, RespondentStatus, SurveyStatus
from cchc.sipas.selectors import current_survey


def work_items(*, user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    enters = access.can(user, Action.ENTER_SURVEY)
    manages = access.can(user, Action.MANAGE_SURVEY)
    if not (enters or manages):
        return []
    survey = current_survey()
    if survey is None:
        return []
    items = []
    if survey.status == SurveyStatus.COLLECTING and enters:
        keyed = Respondent.objects.filter(survey=survey, status=RespondentStatus.PENDING).annotate(
            rounds=Count("paper_entries")
        )
        rounds = {n: keyed.filter(rounds=n).count() for n in (2, 1)}
        if rounds.get(2):
            items.append(
                {
                    "title": f"Khảo sát SIPAS năm {survey.year} – phiếu nhập không khớp",
                    "text": f"{rounds[2]} phiếu giấy nhập hai lần không khớp, cần đối chiếu "
                    "với phiếu gốc để ghi nhận.",
                    "url": reverse("sipas_mismatches", args=[survey.year]),
                }
            )
        if rounds.get(1):
            items.append(
                {
                    "title": f"Khảo sát SIPAS năm {survey.year} – chờ nhập lần 2",
                    "text": f"{rounds[1]} phiếu giấy mới nhập lần 1, chờ người thứ hai nhập lần 2.",
                    "url": reverse("sipas_collect", args=[survey.year]),
                }
            )
    if survey.status == SurveyStatus.PREPARING and manages:
        with_cases = set(
            Case.objects.filter(survey=survey).values_list("unit_id", flat=True).distinct()
        )
        drawn = set(
            Draw.objects.filter(survey=survey, current=True).values_list("unit_id", flat=True)
        )
        waiting = len(with_cases - drawn)
        if waiting:
            items.append(
                {
                    "title": f"Khảo sát SIPAS năm {survey.year} – chọn mẫu",
                    "text": f"{waiting} đơn vị đã có danh sách hồ sơ nhưng chưa chọn mẫu.",
                    "url": reverse("sipas_overview", args=[survey.year]),
                }
            )
    return items

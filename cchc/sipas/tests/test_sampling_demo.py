"""The 2026 demo survey: every surveyed unit sampled with fixed seeds, answers in, fast."""

from __future__ import annotations

import io
import time

import pytest

from cchc.org.models import UnitType
from cchc.sipas import demo
from cchc.sipas.models import Case, Draw, Respondent, Response, Survey, SurveyStatus
from cchc.sipas.services import sampling

pytestmark = pytest.mark.django_db


def test_the_demo_samples_every_unit_and_has_answers_from_about_seventy_percent(cast):
    started = time.perf_counter()
    demo.load_demo(io.StringIO())
    elapsed = time.perf_counter() - started
    survey = Survey.objects.get(year=2026)
    assert survey.status == SurveyStatus.COLLECTING
    units = sampling.surveyed_units()
    assert sum(u.unit_type == UnitType.DEPARTMENT for u in units) == 13
    assert sum(u.unit_type == UnitType.COMMUNE for u in units) == 102
    draws = Draw.objects.filter(survey=survey, current=True)
    assert draws.count() == len(units)
    assert not Case.objects.filter(survey=survey).exclude(unit__in=units).exists()
    in_sample = sum(d.sample_size for d in draws)
    answered = Response.objects.filter(survey=survey).count()
    assert 0.6 < answered / in_sample < 0.8
    assert Respondent.objects.filter(survey=survey, replaces__isnull=False).exists()
    snv = draws.get(unit=cast.snv)
    assert snv.seed == "demo-2026-SNV"
    # the same seed over the same cases: the same sample
    cases = list(Case.objects.filter(survey=survey, unit=cast.snv).values_list("case_id", "field"))
    again = sampling.draw_rows(
        cases,
        sample=snv.sample_size,
        reserve=snv.reserve_size,
        seed=snv.seed,
        by_field=survey.quota_by_field,
    )
    drawn = Respondent.objects.filter(draw=snv).order_by("position")
    assert [r.case.case_id for r in drawn.select_related("case")] == again.sample + again.reserve
    assert elapsed < 60, elapsed
    out = io.StringIO()
    demo.load_demo(out)  # idempotent
    assert "giữ nguyên" in out.getvalue()


def test_the_demo_shows_on_the_overview_the_samples_and_the_results(cast, client_as):
    from django.urls import reverse

    demo.load_demo(io.StringIO())
    admin = client_as(cast.admin)
    overview = admin.get(reverse("sipas_overview", args=[2026]))
    assert overview.status_code == 200
    assert cast.snv.name in overview.text and cast.unit_a.name in overview.text
    sample = admin.get(reverse("sipas_sample", args=[2026, cast.unit_a.slug]))
    assert "demo-2026-" in sample.text  # its seed
    assert "ấp " in sample.text or "khóm " in sample.text  # contacts, for Sở Nội vụ
    results = client_as(cast.leader).get(reverse("sipas_results", args=[2026]))
    assert results.status_code == 200
    assert "%" in results.text

"""Every role × every action of the PAR year → allowed, 403 or 404.

One table for the whole year: the back-office pages and their writes, the evidence
file, the public pages. "ok" means the request reached the view's own work (a page,
a redirect after the write, or a form error about the data): never 403 or 404.
Another unit's people get 404 for what is not theirs to see (unit B guessing the URL of
unit A's evidence file); those who may see but not do get 403. Someone signed in with
no role at all has no back office (Wagtail sends them to sign in as someone else).
"""

from __future__ import annotations

import io

import pytest
import time_machine
from django.urls import reverse

from cchc.par.models import Entry, EvaluationYear, Evidence, YearStatus
from cchc.par.services.assessment import evidence_upload

from .year import IN_ROUND1, IN_SELF, entry, open_year, participation

pytestmark = pytest.mark.django_db

ROLES = (
    "admin",
    "leader",
    "appraiser",
    "officer_a",
    "unit_leader_a",
    "officer_b",
    "nobody",
    "anonymous",
)
OK, FORBIDDEN, MISSING, SIGN_IN = "ok", 403, 404, "sign-in"

PROVINCE_READ = {
    "admin": OK,
    "leader": OK,
    "appraiser": OK,
    "officer_a": FORBIDDEN,
    "unit_leader_a": FORBIDDEN,
    "officer_b": FORBIDDEN,
    "nobody": SIGN_IN,
    "anonymous": SIGN_IN,
}
PROVINCE_WRITE = {**PROVINCE_READ, "leader": FORBIDDEN, "appraiser": FORBIDDEN}
UNIT_A_READ = {
    "admin": OK,
    "leader": OK,
    "appraiser": OK,
    "officer_a": OK,
    "unit_leader_a": OK,
    "officer_b": MISSING,
    "nobody": SIGN_IN,
    "anonymous": SIGN_IN,
}
UNIT_A_FILL = {
    **UNIT_A_READ,
    "admin": FORBIDDEN,
    "leader": FORBIDDEN,
    "appraiser": FORBIDDEN,
}
UNIT_A_SUBMIT = {**UNIT_A_FILL, "officer_a": FORBIDDEN}
PUBLIC_UNPUBLISHED = dict.fromkeys(ROLES, MISSING)


def _pdf() -> io.BytesIO:
    content = io.BytesIO(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    content.name = "ke-hoach.pdf"
    return content


@pytest.fixture
def year_a(cast):
    year = open_year(actor=cast.admin)
    with time_machine.travel(IN_SELF, tick=False):
        evidence = evidence_upload(
            actor=cast.officer_a, participation=participation(year, cast.unit_a), file=_pdf()
        )
    return year, evidence


def _leaf(year, unit, area: str) -> Entry:
    return (
        Entry.objects.filter(participation__year=year, participation__unit=unit)
        .exclude(node__method="survey")
        .filter(node__code__startswith=f"{area}.")
        .select_related("node")
        .order_by("node__position")
        .first()
    )


def cases(cast, year: EvaluationYear, evidence: Evidence):
    """(label, method, url, data, expected by role) for every action of the year."""
    y, a = year.year, cast.unit_a.slug
    leaf = _leaf(year, cast.unit_a, "1")
    return [
        ("years list", "get", reverse("par_years"), None, PROVINCE_READ),
        ("year detail", "get", reverse("par_year_detail", args=[y]), None, PROVINCE_READ),
        ("open a year", "post", reverse("par_year_open"), {"year": "x"}, PROVINCE_WRITE),
        ("edit windows", "post", reverse("par_year_edit", args=[y]), {}, PROVINCE_WRITE),
        ("extend a window", "post", reverse("par_year_extend", args=[y]), {}, PROVINCE_WRITE),
        (
            "exempt a criterion",
            "post",
            reverse("par_year_exemptions", args=[y, a]),
            {},
            PROVINCE_WRITE,
        ),
        ("workspace of unit A", "get", reverse("par_assessment", args=[y, a]), None, UNIT_A_READ),
        (
            "save a leaf of unit A",
            "post",
            reverse("par_assessment_save", args=[y, a, leaf.pk]),
            {"version": leaf.version},
            UNIT_A_FILL,
        ),
        (
            "upload evidence to unit A",
            "post",
            reverse("par_assessment_evidence", args=[y, a, leaf.pk]),
            {},
            UNIT_A_FILL,
        ),
        (
            "submit unit A",
            "post",
            reverse("par_assessment_submit", args=[y, a]),
            {"version": 1},
            UNIT_A_SUBMIT,
        ),
        (
            "unit A's evidence file",
            "get",
            reverse("par_evidence_file", args=[evidence.pk]),
            None,
            UNIT_A_READ,
        ),
        ("appraisal matrix", "get", reverse("par_appraisal", args=[y]), None, PROVINCE_READ),
        (
            "council review list",
            "get",
            reverse("par_results_review", args=[y]),
            None,
            PROVINCE_READ,
        ),
        (
            "finalise the year",
            "post",
            reverse("par_results_finalise", args=[y]),
            {"version": year.version},
            PROVINCE_WRITE,
        ),
        (
            "publish the year",
            "post",
            reverse("par_results_publish", args=[y]),
            {},
            PROVINCE_WRITE,
        ),
        ("SIPAS entry", "get", reverse("par_survey", args=[y]), None, PROVINCE_WRITE),
        ("unit A's result", "get", reverse("par_unit_result", args=[y, a]), None, UNIT_A_READ),
        ("public results", "get", reverse("par:results_year", args=[y]), None, PUBLIC_UNPUBLISHED),
        (
            "public page of unit A",
            "get",
            reverse("par:results_unit", args=[y, a]),
            None,
            PUBLIC_UNPUBLISHED,
        ),
    ]


def _outcome(response) -> object:
    if response.status_code in (403, 404):
        return response.status_code
    if response.status_code == 302 and "/login/" in response["Location"]:
        return SIGN_IN
    # 400 / 422: the view refused the data itself (a form error), past the permission
    assert response.status_code in (200, 302, 400, 422), response.status_code
    return OK


def _client(client, cast, role):
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_role_and_action_of_the_year_gets_the_tables_answer(cast, client, year_a, role):
    year, evidence = year_a
    _client(client, cast, role)
    wrong = []
    with time_machine.travel(IN_SELF, tick=False):
        for label, method, url, data, expected in cases(cast, year, evidence):
            response = getattr(client, method)(url, data or {})
            got = _outcome(response)
            if got != expected[role]:
                wrong.append(f"{label}: {got}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    "area, expected", [("2", OK), ("1", FORBIDDEN), ("3", FORBIDDEN), ("9", FORBIDDEN)]
)
def test_the_so_tu_phap_appraiser_appraises_area_2_only(cast, client, year_a, area, expected):
    year, _ = year_a
    client.force_login(cast.appraiser)
    with time_machine.travel(IN_ROUND1, tick=False):
        response = client.get(
            reverse("par_appraisal_area", args=[year.year, cast.unit_a.slug, area])
        )
    assert _outcome(response) == expected


def test_the_appraiser_never_appraises_their_own_department(cast, client, year_a):
    year, _ = year_a
    client.force_login(cast.appraiser)
    with time_machine.travel(IN_ROUND1, tick=False):
        response = client.get(reverse("par_appraisal_area", args=[year.year, cast.stp.slug, "2"]))
    assert response.status_code == 403


def test_after_finalisation_nobody_changes_anything(cast, client, year_a):
    year, _ = year_a
    leaf = entry(year, cast.unit_a, _leaf(year, cast.unit_a, "1").node.code)
    EvaluationYear.objects.filter(pk=year.pk).update(
        status=YearStatus.FINALISED, finalised_at=IN_SELF
    )
    before = Entry.objects.filter(participation__year=year).values_list("version", flat=True)
    before = sorted(before)
    with time_machine.travel(IN_SELF, tick=False):
        for user in (cast.officer_a, cast.unit_leader_a, cast.admin):
            client.force_login(user)
            client.post(
                reverse("par_assessment_save", args=[year.year, cast.unit_a.slug, leaf.pk]),
                {"version": leaf.version, "note": "Sửa sau khi chốt", "passed": "on"},
            )
            client.post(reverse("par_assessment_submit", args=[year.year, cast.unit_a.slug]))
    leaf.refresh_from_db()
    assert leaf.self_note == ""
    assert (
        sorted(Entry.objects.filter(participation__year=year).values_list("version", flat=True))
        == before
    )
    assert participation(year, cast.unit_a).state == "not_started"

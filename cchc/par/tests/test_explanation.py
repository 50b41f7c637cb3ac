"""The unit's explanation (giải trình) of returned leaves: services and screen."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cchc.core.models import AuditEntry
from cchc.par.models import ParticipationState
from cchc.par.services.appraisal import entry_explain, explanation_submit

from .test_appraisal import put, small_year
from .year import IN_EXPLANATION, IN_ROUND1, IN_ROUND2, entry, participation

pytestmark = pytest.mark.django_db
S = ParticipationState


@pytest.fixture
def year(cast):
    y = small_year(cast)
    put(y, cast.unit_a, S.RETURNED, returned=("2.1", "2.2"))
    return y


def url(unit, year=2026):
    return reverse("par_explanation", args=[year, unit.slug])


def explain_post(e, text="Đơn vị đã bổ sung biên bản.", version=None, **inputs):
    data = {
        "leaf": e.pk,
        f"e{e.pk}-entry": e.pk,
        f"e{e.pk}-version": e.version if version is None else version,
        f"e{e.pk}-explanation": text,
    }
    data.update({f"e{e.pk}-{k}": v for k, v in inputs.items()})
    return data


# -- services


def test_the_unit_explains_a_returned_leaf_with_revised_inputs(cast, year):
    e = entry(year, cast.unit_a, "2.2")
    with time_machine.travel(IN_EXPLANATION, tick=False):
        saved = entry_explain(
            actor=cast.officer_a,
            entry=e,
            explanation="Đã rà soát",
            inputs={"passed": True},
            version=e.version,
        )
    assert (saved.explanation, saved.explanation_inputs) == ("Đã rà soát", {"passed": True})
    log = AuditEntry.objects.get(action="par_entry.explain", object_id=str(e.pk))
    assert log.unit == cast.unit_a and log.data["after"]["explanation"] == "Đã rà soát"


def test_only_returned_leaves_are_explained(cast, year):
    e = entry(year, cast.unit_a, "2.3")
    with time_machine.travel(IN_EXPLANATION, tick=False):
        with pytest.raises(ValidationError, match="không được đề nghị giải trình"):
            entry_explain(actor=cast.officer_a, entry=e, explanation="x", version=e.version)


@pytest.mark.parametrize("moment", [IN_ROUND1, IN_ROUND2])
def test_an_explanation_is_refused_outside_its_window(cast, year, moment):
    e = entry(year, cast.unit_a, "2.2")
    with time_machine.travel(moment, tick=False):
        with pytest.raises(ValidationError, match="Ngoài thời gian giải trình"):
            entry_explain(actor=cast.officer_a, entry=e, explanation="x", version=e.version)
    e.refresh_from_db()
    assert e.explanation == ""


def test_an_empty_explanation_is_refused_and_nothing_is_stored(cast, year):
    e = entry(year, cast.unit_a, "2.2")
    with time_machine.travel(IN_EXPLANATION, tick=False):
        with pytest.raises(ValidationError, match="Cần nhập nội dung giải trình"):
            entry_explain(actor=cast.officer_a, entry=e, explanation="   ", version=e.version)
    e.refresh_from_db()
    assert (e.explanation, e.version) == ("", 1)


def test_the_explanation_is_sent_once_every_returned_leaf_is_explained(cast, year):
    p = participation(year, cast.unit_a)
    with time_machine.travel(IN_EXPLANATION, tick=False):
        with pytest.raises(ValidationError, match="Chưa giải trình tiêu chí: 2.1, 2.2"):
            explanation_submit(actor=cast.unit_leader_a, participation=p, version=p.version)
        for code in ("2.1", "2.2"):
            e = entry(year, cast.unit_a, code)
            entry_explain(actor=cast.officer_a, entry=e, explanation="Đủ", version=e.version)
        assert explanation_submit(actor=cast.unit_leader_a, participation=p, version=p.version)
        # a double click sends once
        assert not explanation_submit(actor=cast.unit_leader_a, participation=p, version=p.version)
    p = participation(year, cast.unit_a)
    assert p.state == S.EXPLAINED and p.explained_at is not None
    assert AuditEntry.objects.filter(action="par_explanation.submit").count() == 1


# -- the screen


def test_the_unit_sees_its_returned_leaves_with_the_appraisers_comments(client, cast, year):
    client.force_login(cast.officer_a)
    with time_machine.travel(IN_EXPLANATION, tick=False):
        response = client.get(url(cast.unit_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2.1. " in html and "2.2. " in html and "2.3. " not in html
    assert "Thiếu tài liệu" in html
    assert "Lưu giải trình tiêu chí 2.1" in html
    assert "Gửi giải trình đến Hội đồng" not in html  # the officer does not send it


@pytest.mark.parametrize(
    ("who", "status"), [("officer_b", 404), ("appraiser", 403), ("leader", 403)]
)
def test_the_explanation_screen_is_the_units_own(client, cast, year, who, status):
    client.force_login(getattr(cast, who))
    with time_machine.travel(IN_EXPLANATION, tick=False):
        assert client.get(url(cast.unit_a)).status_code == status


def test_the_officer_saves_an_explanation_on_the_screen(client, cast, year):
    e = entry(year, cast.unit_a, "2.2")
    client.force_login(cast.officer_a)
    with time_machine.travel(IN_EXPLANATION, tick=False):
        response = client.post(url(cast.unit_a), explain_post(e, passed="1"))
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.explanation == "Đơn vị đã bổ sung biên bản." and e.explanation_inputs == {
        "passed": True
    }


def test_an_empty_explanation_is_refused_on_the_screen(client, cast, year):
    e = entry(year, cast.unit_a, "2.2")
    client.force_login(cast.officer_a)
    with time_machine.travel(IN_EXPLANATION, tick=False):
        response = client.post(url(cast.unit_a), explain_post(e, text=""))
    assert "Cần nhập nội dung giải trình" in response.content.decode()
    e.refresh_from_db()
    assert e.explanation == ""


def test_a_leaf_not_returned_cannot_be_explained_by_guessing(client, cast, year):
    e = entry(year, cast.unit_a, "2.3")
    client.force_login(cast.officer_a)
    with time_machine.travel(IN_EXPLANATION, tick=False):
        assert client.post(url(cast.unit_a), explain_post(e)).status_code == 404


def test_outside_the_window_the_screen_is_read_only_and_a_post_is_refused(client, cast, year):
    e = entry(year, cast.unit_a, "2.2")
    client.force_login(cast.officer_a)
    with time_machine.travel(IN_ROUND2, tick=False):
        page = client.get(url(cast.unit_a)).content.decode()
        refused = client.post(url(cast.unit_a), explain_post(e)).content.decode()
    assert "Ngoài thời gian giải trình (11/04/2026 – 20/04/2026)" in page
    assert "Lưu giải trình" not in page
    assert "Ngoài thời gian giải trình" in refused
    e.refresh_from_db()
    assert e.explanation == ""


def test_the_leader_sends_the_explanation_and_a_second_click_is_harmless(client, cast, year):
    for code in ("2.1", "2.2"):
        e = entry(year, cast.unit_a, code)
        type(e).objects.filter(pk=e.pk).update(explanation="Đã bổ sung")
    p = participation(year, cast.unit_a)
    client.force_login(cast.officer_a)
    with time_machine.travel(IN_EXPLANATION, tick=False):
        refused = client.post(url(cast.unit_a), {"submit": "1", "version": p.version})
        assert refused.status_code == 403
        client.force_login(cast.unit_leader_a)
        page = client.get(url(cast.unit_a)).content.decode()
        assert "Gửi giải trình đến Hội đồng" in page
        first = client.post(url(cast.unit_a), {"submit": "1", "version": p.version}, follow=True)
        second = client.post(url(cast.unit_a), {"submit": "1", "version": p.version}, follow=True)
    assert "Đã gửi giải trình" in first.content.decode()
    assert "Giải trình đã được gửi trước đó" in second.content.decode()
    assert participation(year, cast.unit_a).state == S.EXPLAINED


def test_new_evidence_given_with_an_explanation_shows_in_round_2(client, cast, year):
    from cchc.par.models import Evidence, EvidenceLink

    p = participation(year, cast.unit_a)
    evidence = Evidence.objects.create(
        participation=p,
        file="2026/bien-ban.pdf",
        name="Biên bản rà soát.pdf",
        ext="pdf",
        kind="pdf",
        size=10,
        sha256="a" * 64,
    )
    e = entry(year, cast.unit_a, "2.2")
    client.force_login(cast.officer_a)
    with time_machine.travel(IN_EXPLANATION, tick=False):
        response = client.post(
            url(cast.unit_a),
            {**explain_post(e), f"e{e.pk}-evidence": evidence.pk, f"e{e.pk}-location": "trang 3"},
        )
    assert response.status_code == 302
    link = EvidenceLink.objects.get(entry=e)
    assert (link.stage, link.location) == ("explanation", "trang 3")
    type(p).objects.filter(pk=p.pk).update(state=S.EXPLAINED)
    client.force_login(cast.appraiser)
    with time_machine.travel(IN_ROUND2, tick=False):
        html = client.get(
            reverse("par_appraisal_area", args=[2026, cast.unit_a.slug, "2"])
        ).content.decode()
    assert "Tài liệu bổ sung" in html and "Biên bản rà soát.pdf" in html and "trang 3" in html

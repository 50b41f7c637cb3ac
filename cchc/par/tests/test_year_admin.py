"""The evaluation year's administration: list, opening, detail, windows, extensions,
exemptions (cchc.par.views.year_admin and the services behind them)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cchc.core.models import AuditEntry
from cchc.org.models import Unit, UnitType
from cchc.par.models import (
    AreaEvaluator,
    CriteriaSet,
    Entry,
    EvaluationYear,
    Participation,
    ParticipationState,
    SetStatus,
    WindowExtension,
    YearStatus,
)
from cchc.par.services.year import entry_exempt, year_update
from cchc.par.views import year_admin

from .year import WINDOWS, entry, import_draft_sets, open_year

pytestmark = pytest.mark.django_db

D = dt.date
LOGIN = "/quan-tri/login/"


def years_url():
    return reverse("par_years")


def detail_url(year=2026):
    return reverse("par_year_detail", args=[year])


def open_url(year=None):
    return reverse("par_year_open") + (f"?nam={year}" if year else "")


def windows_post(windows=WINDOWS):
    data = {}
    for stage, (start, end) in windows.items():
        data[f"{stage}_start"] = start.strftime("%d/%m/%Y")
        data[f"{stage}_end"] = end.strftime("%d/%m/%Y")
    return data


def form_post(form) -> dict:
    """What the browser would send for a form as shown (its initial values)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, dt.date):
            data[name] = value.strftime("%d/%m/%Y")
        else:
            data[name] = getattr(value, "pk", value)
    return data


# The list -------------------------------------------------------------------


def test_the_council_sees_the_years_and_unit_people_do_not(cast, client_as, client):
    open_year(actor=cast.admin)
    assert client.get(years_url())["Location"].startswith(LOGIN)
    for user in (cast.admin, cast.leader, cast.appraiser):
        response = client_as(user).get(years_url())
        assert response.status_code == 200, user
    for user in (cast.officer_a, cast.unit_leader_a):
        assert client_as(user).get(years_url()).status_code == 403, user


def test_the_list_shows_windows_and_units_per_state(cast, client_as):
    year = open_year(actor=cast.admin)
    Participation.objects.filter(year=year, unit=cast.unit_a).update(
        state=ParticipationState.SUBMITTED
    )
    html = client_as(cast.leader).get(years_url()).text
    assert "01/03/2026 – 31/03/2026" in html and "21/04/2026 – 30/04/2026" in html
    assert "Đã gửi, chờ thẩm định: 1" in html
    assert "Chưa bắt đầu: 114" in html
    assert "Mở kỳ đánh giá" not in html  # the leader only reads
    assert "Mở kỳ đánh giá" in client_as(cast.admin).get(years_url()).text


def test_the_list_counts_units_with_one_aggregate_query(cast, client_as, django_assert_num_queries):
    client = client_as(cast.admin)
    open_year(actor=cast.admin, units=[cast.unit_a, cast.unit_b])
    client.get(years_url())
    with django_assert_num_queries(LIST_QUERIES):
        client.get(years_url())
    EvaluationYear.objects.all().delete()
    open_year(actor=cast.admin)
    with django_assert_num_queries(LIST_QUERIES):
        assert "115" in client.get(years_url()).text


LIST_QUERIES = 12


def test_the_menu_item_is_for_the_council(cast):
    item = year_admin.menu_item()
    request = RequestFactory().get("/quan-tri/")
    for user, shown in (
        (cast.admin, True),
        (cast.leader, True),
        (cast.appraiser, True),
        (cast.officer_a, False),
        (cast.unit_leader_a, False),
    ):
        request.user = user
        assert item.is_shown(request) is shown, user


# Opening ----------------------------------------------------------------------


def test_the_open_form_defaults_to_every_active_department_and_commune(cast, client_as):
    sets = import_draft_sets(2026)
    response = client_as(cast.admin).get(open_url(2026))
    assert response.status_code == 200
    form = response.context["form"]
    units = form["units"].value()
    assert len(units) == 115 and cast.unit_a.pk in units and cast.snv.pk in units
    assert form["set_department"].value() == sets[UnitType.DEPARTMENT].pk
    assert form["area_2"].value() == cast.stp.pk
    assert "Sở, ban, ngành" in response.text or "Sở" in response.text


def test_the_administrator_opens_a_year_without_a_unit_they_untick(cast, client_as):
    sets = import_draft_sets(2026)
    client = client_as(cast.admin)
    data = form_post(client.get(open_url(2026)).context["form"])
    data.update(windows_post(), year=2026, title="Chỉ số CCHC năm 2026 (thử)")
    data["units"] = [pk for pk in data["units"] if pk != cast.unit_b.pk]
    response = client.post(reverse("par_year_open"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == detail_url()
    year = EvaluationYear.objects.get(year=2026)
    assert year.title == "Chỉ số CCHC năm 2026 (thử)"
    assert Participation.objects.filter(year=year).count() == 114
    assert not Participation.objects.filter(year=year, unit=cast.unit_b).exists()
    assert AreaEvaluator.objects.get(year=year, area_code="2").department == cast.stp
    for criteria_set in sets.values():
        criteria_set.refresh_from_db()
        assert criteria_set.status == SetStatus.FROZEN


def test_windows_in_the_wrong_order_are_refused_and_nothing_is_stored(cast, client_as):
    sets = import_draft_sets(2026)
    client = client_as(cast.admin)
    data = form_post(client.get(open_url(2026)).context["form"])
    bad = {**WINDOWS, "round1": (D(2026, 4, 10), D(2026, 4, 1))}
    data.update(windows_post(bad), year=2026)
    response = client.post(reverse("par_year_open"), data)
    assert response.status_code == 422
    assert "Thẩm định vòng 1: ngày bắt đầu (10/04/2026) sau ngày kết thúc (01/04/2026)." in (
        response.text
    )
    assert not EvaluationYear.objects.exists()
    assert not Participation.objects.exists()
    assert all(CriteriaSet.objects.get(pk=s.pk).status == SetStatus.DRAFT for s in sets.values())


def test_a_date_that_is_not_a_date_is_refused_in_vietnamese(cast, client_as):
    import_draft_sets(2026)
    client = client_as(cast.admin)
    data = form_post(client.get(open_url(2026)).context["form"])
    data.update(windows_post(), year=2026, self_end="31/02/2026")
    response = client.post(reverse("par_year_open"), data)
    assert response.status_code == 422
    assert "Nhập ngày theo dạng dd/mm/yyyy." in response.text
    assert not EvaluationYear.objects.exists()


def test_a_year_without_criteria_sets_cannot_be_opened(cast, client_as):
    client = client_as(cast.admin)
    response = client.get(open_url(2031))
    assert "Chưa có bộ tiêu chí năm 2031" in response.text
    data = form_post(response.context["form"])
    data.update(windows_post(), year=2031)
    response = client.post(reverse("par_year_open"), data)
    assert response.status_code == 422
    assert "Chọn bộ tiêu chí năm 2031 cho sở, ban, ngành" in response.text.lower() or (
        "Chọn bộ tiêu chí năm 2031" in response.text
    )
    assert not EvaluationYear.objects.exists()


def test_no_unit_ticked_is_refused(cast, client_as):
    import_draft_sets(2026)
    client = client_as(cast.admin)
    data = form_post(client.get(open_url(2026)).context["form"])
    data.update(windows_post(), year=2026)
    del data["units"]
    response = client.post(reverse("par_year_open"), data)
    assert response.status_code == 422
    assert "Chưa chọn đơn vị nào tham gia đánh giá." in response.text
    assert not EvaluationYear.objects.exists()


def test_an_open_year_sends_the_form_to_its_page(cast, client_as):
    open_year(actor=cast.admin)
    response = client_as(cast.admin).get(open_url(2026))
    assert response["Location"] == detail_url()


def test_only_the_administrator_opens_a_year(cast, client_as, client):
    import_draft_sets(2026)
    assert client.get(open_url(2026))["Location"].startswith(LOGIN)
    for user in (cast.leader, cast.appraiser, cast.officer_a):
        assert client_as(user).get(open_url(2026)).status_code == 403
        data = {**windows_post(), "year": 2026, "units": [cast.unit_a.pk]}
        assert client_as(user).post(reverse("par_year_open"), data).status_code == 403
    assert not EvaluationYear.objects.exists()


# The detail -------------------------------------------------------------------


def test_the_detail_shows_windows_evaluators_appraisers_and_units(cast, client_as):
    open_year(actor=cast.admin)
    html = client_as(cast.admin).get(detail_url()).text
    assert "11/04/2026 – 20/04/2026" in html
    assert cast.stp.name in html
    assert cast.appraiser.get_full_name() in html
    assert f'data-unit="{cast.unit_a.slug}"' in html and "Chưa bắt đầu" in html
    assert reverse("par_year_edit", args=[2026]) in html
    assert reverse("wagtailsnippets_org_roleassignment:list") in html


def test_the_units_are_listed_in_vietnamese_order(cast, client_as):
    open_year(actor=cast.admin)
    rows = client_as(cast.admin).get(detail_url()).context["participations"]
    from cchc.lib.collation import vi_key

    names = [p.unit.name for p in rows]
    assert names == sorted(names, key=vi_key)


def test_the_leader_and_appraisers_read_the_detail_without_changing_anything(cast, client_as):
    open_year(actor=cast.admin)
    for user in (cast.leader, cast.appraiser):
        response = client_as(user).get(detail_url())
        assert response.status_code == 200
        assert reverse("par_year_edit", args=[2026]) not in response.text
        assert 'id="par-extend-form"' not in response.text


def test_unit_people_get_403_and_an_unknown_year_404(cast, client_as, client):
    open_year(actor=cast.admin)
    assert client.get(detail_url())["Location"].startswith(LOGIN)
    for user in (cast.officer_a, cast.unit_leader_a, cast.officer_b):
        assert client_as(user).get(detail_url()).status_code == 403
    assert client_as(cast.admin).get(detail_url(2030)).status_code == 404


DETAIL_QUERIES = 16


def test_the_detail_does_not_grow_with_the_units(cast, client_as, django_assert_num_queries):
    client = client_as(cast.admin)
    few = list(Unit.objects.filter(unit_type=UnitType.COMMUNE).order_by("pk")[:5])
    year = open_year(actor=cast.admin, units=[*few, cast.snv])
    few_entry = Entry.objects.filter(participation__year=year).first()
    entry_exempt(actor=cast.admin, entry=few_entry, exempt=True, reason="thử", version=1)
    client.get(detail_url())
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(detail_url()).status_code == 200
    EvaluationYear.objects.all().delete()
    year = open_year(actor=cast.admin)
    for e in Entry.objects.filter(participation__year=year)[:30]:
        entry_exempt(actor=cast.admin, entry=e, exempt=True, reason="thử", version=1)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(detail_url())
    assert len(response.context["participations"]) == 115
    assert len(response.context["exempt"]) == 30


# Editing windows and evaluators -----------------------------------------------


def edit_post(year, **changes):
    data = {**windows_post(), "version": year.version}
    for ae in year.evaluators.all():
        data[f"area_{ae.area_code}"] = ae.department_id
    data.update(changes)
    return data


def test_the_administrator_moves_a_window_and_the_change_is_audited(cast, client_as):
    year = open_year(actor=cast.admin)
    data = edit_post(year, explanation_end="22/04/2026", round2_start="23/04/2026")
    response = client_as(cast.admin).post(reverse("par_year_edit", args=[2026]), data)
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.explanation_end == D(2026, 4, 22) and year.version == 2
    audit = AuditEntry.objects.get(action="par_year.update")
    assert audit.data["before"]["window.explanation"] == ["11/04/2026", "20/04/2026"]
    assert audit.data["after"]["window.explanation"] == ["11/04/2026", "22/04/2026"]


def test_the_administrator_names_another_evaluating_department(cast, client_as):
    year = open_year(actor=cast.admin)
    data = edit_post(year, area_2=cast.snv.pk)
    assert (
        client_as(cast.admin).post(reverse("par_year_edit", args=[2026]), data).status_code == 302
    )
    ae = AreaEvaluator.objects.get(year=year, area_code="2")
    assert ae.department == cast.snv and ae.evaluator_code == cast.snv.code
    audit = AuditEntry.objects.get(action="par_year.update")
    assert audit.data == {"before": {"area.2": "STP"}, "after": {"area.2": cast.snv.code}}


def test_an_edit_with_windows_in_the_wrong_order_stores_nothing(cast, client_as):
    year = open_year(actor=cast.admin)
    data = edit_post(year, round2_start="01/02/2026")
    response = client_as(cast.admin).post(reverse("par_year_edit", args=[2026]), data)
    assert response.status_code == 422
    assert "Thẩm định vòng 2 không thể bắt đầu trước giải trình." in response.text
    year.refresh_from_db()
    assert year.round2_start == D(2026, 4, 21) and year.version == 1
    assert not AuditEntry.objects.filter(action="par_year.update").exists()


def test_a_stale_edit_is_refused(cast):
    year = open_year(actor=cast.admin)
    year_update(
        actor=cast.admin,
        year=year,
        version=1,
        windows={**WINDOWS, "round2": (D(2026, 4, 21), D(2026, 5, 2))},
    )
    stale = EvaluationYear.objects.get(pk=year.pk)
    stale.version = 1
    with pytest.raises(ValidationError, match="vừa được người khác thay đổi"):
        year_update(
            actor=cast.admin,
            year=stale,
            version=1,
            windows={**WINDOWS, "round2": (D(2026, 4, 21), D(2026, 5, 5))},
        )
    assert EvaluationYear.objects.get(pk=year.pk).round2_end == D(2026, 5, 2)


def test_the_leader_may_not_edit(cast, client_as):
    year = open_year(actor=cast.admin)
    client = client_as(cast.leader)
    assert client.get(reverse("par_year_edit", args=[2026])).status_code == 403
    data = edit_post(year, round2_end="05/05/2026")
    assert client.post(reverse("par_year_edit", args=[2026]), data).status_code == 403
    year.refresh_from_db()
    assert year.round2_end == D(2026, 4, 30)


def test_a_finalised_year_cannot_be_edited(cast):
    year = open_year(actor=cast.admin)
    EvaluationYear.objects.filter(pk=year.pk).update(
        status=YearStatus.FINALISED, finalised_at=timezone.now()
    )
    year.refresh_from_db()
    with pytest.raises(ValidationError, match="đã chốt kết quả"):
        year_update(actor=cast.admin, year=year, version=year.version, windows=WINDOWS)


# Extensions ---------------------------------------------------------------------


def extend_post(unit, **changes):
    return {
        "unit": unit.pk,
        "stage": "self",
        "ends_on": "03/04/2026",
        "reason": "Mất điện kéo dài",
        **changes,
    }


def test_the_administrator_extends_a_window_for_one_unit(cast, client_as):
    open_year(actor=cast.admin)
    response = client_as(cast.admin).post(
        reverse("par_year_extend", args=[2026]), extend_post(cast.unit_a)
    )
    assert response.status_code == 302
    extension = WindowExtension.objects.get()
    assert extension.unit == cast.unit_a and extension.ends_on == D(2026, 4, 3)
    html = client_as(cast.admin).get(detail_url()).text
    assert "03/04/2026" in html and "Mất điện kéo dài" in html


def test_an_extension_without_a_reason_is_refused_and_nothing_stored(cast, client_as):
    open_year(actor=cast.admin)
    response = client_as(cast.admin).post(
        reverse("par_year_extend", args=[2026]), extend_post(cast.unit_a, reason="")
    )
    assert response.status_code == 422
    assert "Cần nêu lý do gia hạn." in response.text
    assert not WindowExtension.objects.exists()


def test_an_extension_before_the_windows_end_is_refused_and_nothing_stored(cast, client_as):
    open_year(actor=cast.admin)
    response = client_as(cast.admin).post(
        reverse("par_year_extend", args=[2026]), extend_post(cast.unit_a, ends_on="30/03/2026")
    )
    assert response.status_code == 422
    assert "Ngày gia hạn phải sau ngày kết thúc tự đánh giá (31/03/2026)." in response.text
    assert not WindowExtension.objects.exists()


def test_an_extension_for_a_unit_outside_the_year_is_refused(cast, client_as):
    open_year(actor=cast.admin, units=[cast.unit_a])
    response = client_as(cast.admin).post(
        reverse("par_year_extend", args=[2026]), extend_post(cast.unit_b)
    )
    assert response.status_code == 422
    assert not WindowExtension.objects.exists()


def test_the_leader_may_not_extend(cast, client_as):
    open_year(actor=cast.admin)
    client = client_as(cast.leader)
    assert (
        client.post(reverse("par_year_extend", args=[2026]), extend_post(cast.unit_a)).status_code
        == 403
    )
    assert (
        client_as(cast.officer_a)
        .post(reverse("par_year_extend", args=[2026]), extend_post(cast.unit_a))
        .status_code
        == 403
    )
    assert not WindowExtension.objects.exists()


# Exemptions ---------------------------------------------------------------------


def exemptions_url(unit, year=2026):
    return reverse("par_year_exemptions", args=[year, unit.slug])


def exempt_post(e, **changes):
    return {"entry": e.pk, "version": e.version, "exempt": "1", "reason": "Không có", **changes}


def test_the_administrator_marks_a_criterion_not_applicable_for_a_unit(cast, client_as):
    year = open_year(actor=cast.admin)
    e = entry(year, cast.unit_a, "2.1")
    client = client_as(cast.admin)
    assert client.get(exemptions_url(cast.unit_a)).status_code == 200
    response = client.post(exemptions_url(cast.unit_a), exempt_post(e, reason="Xã chưa có"))
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.exempt and e.exempt_reason == "Xã chưa có" and e.version == 2
    audit = AuditEntry.objects.get(action="par_entry.exempt")
    assert audit.unit == cast.unit_a and audit.object_id == str(e.pk)
    assert audit.data["code"] == "2.1" and audit.data["reason"] == "Xã chưa có"
    assert audit.data["before"]["exempt"] is False and audit.data["after"]["exempt"] is True
    assert "Xã chưa có" in client.get(detail_url()).text
    # and back, with a reason too
    response = client.post(exemptions_url(cast.unit_a), exempt_post(e, exempt="0", reason="Đã có"))
    e.refresh_from_db()
    assert not e.exempt and e.exempt_reason == ""


def test_an_exemption_without_a_reason_is_refused(cast, client_as):
    year = open_year(actor=cast.admin)
    e = entry(year, cast.unit_a, "2.1")
    response = client_as(cast.admin).post(exemptions_url(cast.unit_a), exempt_post(e, reason=" "))
    assert response.status_code == 422
    assert "Cần nêu lý do." in response.text
    e.refresh_from_db()
    assert not e.exempt and e.version == 1
    assert not AuditEntry.objects.filter(action="par_entry.exempt").exists()


def test_a_stale_exemption_is_refused_with_the_newer_state(cast, client_as):
    year = open_year(actor=cast.admin)
    e = entry(year, cast.unit_a, "2.1")
    entry_exempt(actor=cast.admin, entry=e, exempt=True, reason="lần đầu", version=1)
    stale = entry(year, cast.unit_a, "2.1")
    stale.exempt, stale.version = False, 1
    with pytest.raises(ValidationError, match="vừa được cập nhật lúc .*: không áp dụng"):
        entry_exempt(actor=cast.admin, entry=stale, exempt=True, reason="lần hai", version=1)
    assert entry(year, cast.unit_a, "2.1").exempt_reason == "lần đầu"


def test_an_exemption_after_finalisation_is_refused(cast):
    year = open_year(actor=cast.admin)
    EvaluationYear.objects.filter(pk=year.pk).update(
        status=YearStatus.FINALISED, finalised_at=timezone.now()
    )
    e = entry(year, cast.unit_a, "2.1")
    with pytest.raises(ValidationError, match="đã chốt kết quả"):
        entry_exempt(actor=cast.admin, entry=e, exempt=True, reason="muộn", version=1)
    assert not entry(year, cast.unit_a, "2.1").exempt


def test_another_units_entry_cannot_be_changed_through_this_units_page(cast, client_as):
    year = open_year(actor=cast.admin)
    e = entry(year, cast.unit_b, "2.1")
    response = client_as(cast.admin).post(exemptions_url(cast.unit_a), exempt_post(e))
    assert response.status_code == 404
    assert not entry(year, cast.unit_b, "2.1").exempt


def test_the_exemptions_page_role_matrix(cast, client_as, client):
    year = open_year(actor=cast.admin, units=[cast.unit_a])
    e = entry(year, cast.unit_a, "2.1")
    url = exemptions_url(cast.unit_a)
    assert client.get(url)["Location"].startswith(LOGIN)
    assert client_as(cast.leader).get(url).status_code == 200
    assert "<form" not in client_as(cast.leader).get(url).text.split('id="par-entries"')[1]
    assert client_as(cast.leader).post(url, exempt_post(e)).status_code == 403
    assert client_as(cast.officer_a).get(url).status_code == 403
    assert client_as(cast.admin).get(exemptions_url(cast.unit_b)).status_code == 404
    assert not entry(year, cast.unit_a, "2.1").exempt


# The audit log per unit and per leaf ---------------------------------------------


def test_the_audit_log_shows_one_units_changes_and_one_leafs(cast, client_as):
    year = open_year(actor=cast.admin, units=[cast.unit_a, cast.unit_b])
    a1 = entry(year, cast.unit_a, "2.1")
    a2 = Entry.objects.filter(participation__unit=cast.unit_a).exclude(pk=a1.pk).first()
    b1 = entry(year, cast.unit_b, "2.1")
    for e, reason in ((a1, "lý do A1"), (a2, "lý do A2"), (b1, "lý do B1")):
        entry_exempt(actor=cast.admin, entry=e, exempt=True, reason=reason, version=1)
    audit = reverse("cchc_audit_log")
    client = client_as(cast.leader)
    html = client.get(audit, {"don-vi": cast.unit_a.slug}).text
    assert html.count(f"{cast.unit_a.name}: tiêu chí") == 2 and cast.unit_b.name not in html
    html = client.get(audit, {"doi-tuong": f"par.entry:{a1.pk}"}).text
    assert "tiêu chí 2.1" in html and f"tiêu chí {a2.node.code} " not in html
    detail = client.get(detail_url()).text
    assert f"?don-vi={cast.unit_a.slug}" in detail
    assert f"?doi-tuong=par.entry:{a1.pk}" in client.get(exemptions_url(cast.unit_a)).text

"""The policy table (cchc/access.py), enumerated: every action names its object.

A unit-scoped action asked without its unit is a programming error, never
"yes, in some unit"; for every role × action × own unit / other unit the answer
is the table's; an appraiser appraises the areas their department evaluates, of
every unit but their own.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
import yaml
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from cchc import access
from cchc.access import POLICY, Action, Scope
from cchc.lib.menus import ActionMenuItem
from cchc.org.models import PROVINCE_ROLES, Role, Unit, UnitType
from cchc.org.selectors import unit_get_for_user
from cchc.par.engine import DRAFT_CRITERIA_PATH
from cchc.par.models import CriteriaNode, CriteriaSet
from cchc.par.selectors.criteria import criteria_set_get_for_user, department_evaluators

UNIT_SCOPED = [a for a, rule in POLICY.items() if rule.scope is Scope.UNIT]
AREA_SCOPED = [a for a, rule in POLICY.items() if rule.scope is Scope.AREA]
PROVINCE_LEVEL = [a for a, rule in POLICY.items() if rule.scope is Scope.PROVINCE]

# One person of the cast per role, and the unit their role is held in (None: province).
HOLDERS = {
    Role.ADMIN: ("admin", None),
    Role.PROVINCE_LEADER: ("leader", None),
    Role.APPRAISER: ("appraiser", "stp"),
    Role.CCHC_OFFICER: ("officer_a", "unit_a"),
    Role.UNIT_LEADER: ("unit_leader_a", "unit_a"),
    Role.NEWS_EDITOR: ("editor_a", "unit_a"),
    Role.NEWS_APPROVER: ("approver_a", "unit_a"),
}


def _holder(cast, role):
    person, unit = HOLDERS[role]
    user = getattr(cast, person)
    assert access.roles(user) == {role}, "the cast holds one role per person"
    return user, getattr(cast, unit) if unit else None


def test_every_action_declares_its_scope_and_the_roles_that_grant_it():
    assert set(POLICY) == set(Action)
    assert set(PROVINCE_LEVEL) >= {
        Action.MANAGE_ORG,
        Action.VIEW_AUDIT,
        Action.MANAGE_PAR,
        Action.VIEW_PAR_CRITERIA,
    }
    assert AREA_SCOPED == [Action.APPRAISE]
    for rule in POLICY.values():
        assert rule.roles and rule.roles <= set(Role)


@pytest.mark.parametrize("action", UNIT_SCOPED + AREA_SCOPED)
def test_a_unit_scoped_action_refuses_to_answer_without_its_unit(cast, action):
    for user in (cast.admin, cast.editor_a, cast.nobody, AnonymousUser()):
        with pytest.raises(TypeError, match="about one unit"):
            access.can(user, action)
        with pytest.raises(TypeError, match="about one unit"):
            access.require(user, action)


@pytest.mark.parametrize("action", AREA_SCOPED)
def test_an_area_scoped_action_refuses_to_answer_without_its_area(cast, action):
    for user in (cast.admin, cast.appraiser, AnonymousUser()):
        with pytest.raises(TypeError, match="criteria area"):
            access.can(user, action, cast.unit_a)


@pytest.mark.parametrize("action", PROVINCE_LEVEL)
def test_a_province_level_action_refuses_a_unit(cast, action):
    with pytest.raises(TypeError, match="province-level"):
        access.can(cast.admin, action, cast.unit_a)


@pytest.mark.parametrize("action", UNIT_SCOPED)
def test_a_unit_scoped_action_refuses_an_area(cast, action):
    with pytest.raises(TypeError, match="not an area"):
        access.can(cast.admin, action, cast.unit_a, area="STP")


@pytest.mark.parametrize("role", list(HOLDERS))
@pytest.mark.parametrize("action", list(Action))
def test_every_role_and_action_on_its_own_and_another_unit_is_the_tables_answer(cast, role, action):
    user, own = _holder(cast, role)
    rule = POLICY[action]
    granted = role in rule.roles
    assert access.can_anywhere(user, action) is granted
    if rule.scope is Scope.PROVINCE:
        assert access.can(user, action) is granted
        return
    other = cast.unit_b
    if rule.scope is Scope.UNIT:
        if own is not None:
            assert access.can(user, action, own) is granted
        assert access.can(user, action, other) is (granted and role in PROVINCE_ROLES)
        return
    # Area-scoped (appraisal): the department's own areas, of other units.
    mine = own.code if own is not None and own.unit_type == UnitType.DEPARTMENT else "SNV"
    assert access.can(user, action, other, area=mine) is granted
    if own is not None:
        assert access.can(user, action, own, area=mine) is (granted and role == Role.ADMIN)
    not_mine = "VPUBND" if mine != "VPUBND" else "STC"
    assert access.can(user, action, other, area=not_mine) is (granted and role == Role.ADMIN)


def test_nobody_and_anonymous_may_do_nothing(cast):
    for user in (cast.nobody, AnonymousUser()):
        for action in Action:
            assert not access.can_anywhere(user, action)
        for action in PROVINCE_LEVEL:
            assert not access.can(user, action)
        for action in UNIT_SCOPED:
            assert not access.can(user, action, cast.unit_a)


def test_a_superuser_may_do_everything(cast):
    root = cast.nobody
    root.is_superuser = True
    for action in PROVINCE_LEVEL:
        assert access.can(root, action)
    for action in UNIT_SCOPED:
        assert access.can(root, action, cast.unit_b)
    assert access.can(root, Action.APPRAISE, cast.stp, area="STP")


# The Sở Tư pháp appraiser, on the 2026 draft's real areas --------------------


def _draft_sets():
    """The 2026 draft's sets, stored as their areas (evaluator codes from cchc/par/data)."""
    data = yaml.safe_load(DRAFT_CRITERIA_PATH.read_text(encoding="utf-8"))
    unit_types = {"so-ban-nganh": UnitType.DEPARTMENT, "xa-phuong-dac-khu": UnitType.COMMUNE}
    sets = {}
    for raw in data["sets"]:
        criteria_set = CriteriaSet.objects.create(
            year=2026,
            unit_type=unit_types[raw["id"]],
            code=raw["id"],
            title=raw["title"],
            evaluators=data["evaluators"],
        )
        areas = []
        for position, area in enumerate(raw["areas"]):
            areas.append(
                CriteriaNode(
                    criteria_set=criteria_set,
                    code=str(area["code"]),
                    position=position,
                    depth=1,
                    title=area["title"],
                    max_points=Decimal(str(area["max"])),
                    evaluator_code=area.get("evaluator") or "",
                )
            )
        sets[criteria_set.unit_type] = CriteriaNode.objects.bulk_create(areas)
    return data["evaluators"], sets


def test_the_evaluator_codes_of_the_criteria_name_department_units(cast):
    evaluators, _ = _draft_sets()
    departments = department_evaluators()
    assert set(evaluators) <= set(departments)
    assert departments["STP"] == cast.stp.name
    assert cast.stp.unit_type == UnitType.DEPARTMENT


def test_the_appraiser_of_so_tu_phap_appraises_area_2_of_every_other_unit_and_nothing_else(
    cast, django_assert_max_num_queries
):
    _, sets = _draft_sets()
    units = list(Unit.objects.exclude(unit_type=UnitType.PROVINCE))
    appraiser = cast.appraiser
    access.can(appraiser, Action.APPRAISE, cast.unit_a, area="STP")  # warm the caches
    allowed = set()
    with django_assert_max_num_queries(0):  # one answer per area and unit, no query each
        for unit in units:
            for area in sets[UnitType.DEPARTMENT] + sets[UnitType.COMMUNE]:
                if access.can(appraiser, Action.APPRAISE, unit, area=area):
                    allowed.add((unit.pk, area.code))
    assert allowed == {(u.pk, "2") for u in units if u.pk != cast.stp.pk}
    # Not even the Sở Tư pháp's own institutional reform: an appraiser never appraises
    # their own unit.
    area_2 = next(a for a in sets[UnitType.DEPARTMENT] if a.code == "2")
    assert not access.can(appraiser, Action.APPRAISE, cast.stp, area=area_2)
    with pytest.raises(PermissionDenied, match=access.DENIED):
        access.require(appraiser, Action.APPRAISE, cast.stp, area=area_2)


def test_the_so_noi_vu_administrator_appraises_every_area_of_every_unit(cast):
    _, sets = _draft_sets()
    for unit in (cast.stp, cast.snv, cast.unit_a, cast.unit_b):
        for area in sets[UnitType.DEPARTMENT]:
            assert access.can(cast.admin, Action.APPRAISE, unit, area=area)


def test_an_area_without_an_evaluator_is_appraised_by_the_administrator_only(cast):
    area = SimpleNamespace(evaluator_code="")
    assert not access.can(cast.appraiser, Action.APPRAISE, cast.unit_a, area=area)
    assert access.can(cast.admin, Action.APPRAISE, cast.unit_a, area=area)
    with pytest.raises(TypeError, match="criteria area"):
        access.can(cast.admin, Action.APPRAISE, cast.unit_a, area=object())


def test_an_engine_node_names_its_evaluator_too(cast):
    node = SimpleNamespace(evaluator="STP")
    assert access.can(cast.appraiser, Action.APPRAISE, cast.unit_a, area=node)


# The fetch-and-authorize helpers ----------------------------------------------


def test_unit_get_for_user_is_404_for_an_unseen_unit_and_403_for_a_forbidden_action(cast):
    assert unit_get_for_user(cast.editor_a, cast.unit_a.slug, action=Action.EDIT_NEWS) == (
        cast.unit_a
    )
    for slug in (cast.unit_b.slug, "khong-co-don-vi-nay"):
        with pytest.raises(Http404, match=access.NOT_FOUND):
            unit_get_for_user(cast.editor_a, slug, action=Action.EDIT_NEWS)
    with pytest.raises(PermissionDenied, match=access.DENIED):
        unit_get_for_user(cast.leader, cast.unit_a.slug, action=Action.EDIT_NEWS)
    with pytest.raises(TypeError, match="province-level"):
        unit_get_for_user(cast.admin, cast.unit_a.slug, action=Action.MANAGE_ORG)


def test_criteria_set_get_for_user_answers_from_the_table(cast):
    _draft_sets()
    pk = CriteriaSet.objects.values_list("pk", flat=True).first()
    assert criteria_set_get_for_user(cast.appraiser, pk).pk == pk
    assert criteria_set_get_for_user(cast.admin, pk, action=Action.MANAGE_PAR).pk == pk
    with pytest.raises(PermissionDenied, match=access.DENIED):
        criteria_set_get_for_user(cast.appraiser, pk, action=Action.MANAGE_PAR)
    with pytest.raises(PermissionDenied, match=access.DENIED):
        criteria_set_get_for_user(cast.officer_a, pk)
    with pytest.raises(Http404, match=access.NOT_FOUND):
        criteria_set_get_for_user(cast.leader, pk + 1000)
    with pytest.raises(ValueError, match="not an action on a criteria set"):
        criteria_set_get_for_user(cast.admin, pk, action=Action.EDIT_NEWS)


# Menus and the landing page ask "anywhere" --------------------------------------


@pytest.mark.parametrize("role", list(HOLDERS))
def test_a_menu_item_is_shown_to_who_may_do_its_action_somewhere(cast, role):
    user, _ = _holder(cast, role)
    request = RequestFactory().get("/quan-tri/")
    request.user = user
    for action in Action:
        item = ActionMenuItem("Mục", "/quan-tri/", action=action)
        assert item.is_shown(request) is (role in POLICY[action].roles)


def test_the_workspace_offers_the_actions_of_that_unit(cast):
    assert Action.EDIT_NEWS in access.allowed_actions(cast.editor_a, cast.unit_a)
    assert Action.EDIT_NEWS not in access.allowed_actions(cast.editor_a, cast.unit_b)
    assert Action.MANAGE_ORG in access.allowed_actions(cast.admin, cast.unit_b)
    assert Action.APPRAISE not in access.allowed_actions(cast.admin, cast.unit_b)


def test_every_permission_gated_menu_item_is_an_action_menu_item():
    from wagtail import hooks
    from wagtail.admin.menu import MenuItem

    ours = [fn() for fn in hooks.get_hooks("register_admin_menu_item")]
    ours = [item for item in ours if type(item).__module__.startswith("cchc.")]
    assert ours, "the project registers menu items"
    for item in ours:
        assert type(item) in (MenuItem, ActionMenuItem), type(item)
    gated = {item.label: item.action for item in ours if isinstance(item, ActionMenuItem)}
    assert gated["Tin bài CCHC"] == Action.EDIT_NEWS
    assert gated["Bộ tiêu chí Chỉ số CCHC"] == Action.VIEW_PAR_CRITERIA
    assert gated["Thống kê truy cập"] == Action.VIEW_NEWS_STATS
    assert gated["Nhật ký thay đổi"] == Action.VIEW_AUDIT


# A province role for one thing is not a province-wide right for another --------


@pytest.fixture
def appraiser_and_editor(cast):
    """The editor of unit A who is also an appraiser of Sở Tư pháp."""
    from cchc.org.services import role_assign

    role_assign(actor=None, user=cast.editor_a, role=Role.APPRAISER, unit=cast.stp)
    return cast.editor_a


def test_an_appraiser_who_edits_one_units_news_lands_on_that_units_desk(
    cast, client_as, appraiser_and_editor
):
    client = client_as(appraiser_and_editor)
    response = client.get("/quan-tri/tin-bai/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/tin-bai/{cast.unit_a.slug}/")
    assert client.get(f"/quan-tri/tin-bai/{cast.unit_b.slug}/").status_code == 403


def test_an_appraiser_who_edits_one_units_news_sees_that_units_statistics(
    cast, client_as, appraiser_and_editor
):
    client = client_as(appraiser_and_editor)
    response = client.get("/quan-tri/thong-ke/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/thong-ke/{cast.unit_a.slug}/")
    assert client.get(response["Location"]).status_code == 200
    assert client.get(f"/quan-tri/thong-ke/{cast.province.slug}/").status_code == 403


def test_a_successor_department_appraises_the_areas_its_predecessor_evaluated(cast):
    """A set keeps naming a department that has since merged away (by its code)."""
    import datetime

    from cchc.org.models import RoleAssignment, SuccessionKind, UnitSuccession

    successor = Unit.objects.create(
        name="Sở Tư pháp mới",
        unit_type=UnitType.DEPARTMENT,
        code="STPMOI",
        slug="so-tu-phap-moi",
    )
    UnitSuccession.objects.create(
        predecessor=cast.stp,
        successor=successor,
        kind=SuccessionKind.RENAME,
        effective_date=datetime.date(2026, 1, 1),
    )
    RoleAssignment.objects.create(user=cast.nobody, role=Role.APPRAISER, unit=successor)
    for code in ("STP", "STPMOI"):
        assert access.can(cast.nobody, Action.APPRAISE, cast.unit_a, area=code)
        # its own history is still its own unit
        assert not access.can(cast.nobody, Action.APPRAISE, cast.stp, area=code)
        assert not access.can(cast.nobody, Action.APPRAISE, successor, area=code)
    assert not access.can(cast.nobody, Action.APPRAISE, cast.unit_a, area="SNV")

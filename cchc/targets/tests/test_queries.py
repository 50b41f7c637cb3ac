"""The matrix and the landing page's warnings read a fixed number of queries whatever
the number of units (N and 10×N units, each with a value of every indicator)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from cchc.org.models import Role, Unit
from cchc.org.services import role_assign
from cchc.targets.hooks_work import work_items
from cchc.targets.models import PeriodKind, Value

from .helpers import NOW, add_units, plan_2025

pytestmark = pytest.mark.django_db

N = 12
MATRIX_QUERIES = 16
WORK_ITEM_QUERIES = 4  # plans, indicators, targets, values


@pytest.fixture(autouse=True)
def _at_mid_2025():
    with time_machine.travel(NOW, tick=False):
        yield


def _values(plan, units):
    Value.objects.bulk_create(
        Value(
            indicator=i,
            unit=u,
            period_kind=PeriodKind.MONTH,
            period_start=dt.date(2025, month, 1),
            period_end=dt.date(2025, month, 28),
            numerator=40 + month,
            denominator=100,
            entered_at=NOW,
        )
        for u in units
        for i in plan.indicators.all()
        for month in (5, 6)
    )


def _matrix_queries(client, django_assert_num_queries):
    url = reverse("targets_matrix") + "?khoi=commune"
    with django_assert_num_queries(MATRIX_QUERIES):
        response = client.get(url)
    return response.text.count("data-unit=")


def test_the_matrix_reads_the_same_queries_for_n_and_ten_times_n_units(
    cast, client_as, django_assert_num_queries
):
    plan = plan_2025()
    client = client_as(cast.admin)
    client.get(reverse("targets_matrix"))  # warm caches (site root, sessions)
    first = add_units(N)
    _values(plan, first)
    rows_n = _matrix_queries(client, django_assert_num_queries)
    more = add_units(9 * N, start=N)
    _values(plan, more)
    rows_10n = _matrix_queries(client, django_assert_num_queries)
    assert rows_10n - rows_n == 9 * N


def test_the_warnings_read_the_same_queries_for_one_unit_and_many(cast, django_assert_num_queries):
    plan = plan_2025()
    units = add_units(10 * N)
    _values(plan, [cast.unit_a, *units])
    officer = cast.officer_a
    officer._cchc_assignments = None
    from cchc.access import assignments

    assignments(officer)
    with django_assert_num_queries(WORK_ITEM_QUERIES):
        one = work_items(user=officer)
    assert len(one) == 1
    for unit in Unit.objects.filter(pk__in=[u.pk for u in units]):
        role_assign(actor=None, user=officer, role=Role.CCHC_OFFICER, unit=unit)
    officer._cchc_assignments = None
    assignments(officer)
    with django_assert_num_queries(WORK_ITEM_QUERIES):
        many = work_items(user=officer)
    assert len(many) == 10 * N + 1

"""The criteria tree as an administrator reads it: points and rules in Vietnamese."""

import re

import pytest
from django.urls import reverse

from cchc.par.tests.helpers import draft_set

pytestmark = pytest.mark.django_db


def test_points_are_written_with_a_decimal_comma_and_no_padding(cast, client_as):
    cs = draft_set()
    html = client_as(cast.admin).get(reverse("par_criteria_detail", args=[cs.pk])).text
    cells = re.findall(r'<td class="num">\s*([^<\s]+)', html)
    assert "1,5" in cells and "0,5" in cells
    assert not any(re.fullmatch(r"\d+,\d*0", c) for c in cells), cells


def test_a_formula_rule_is_a_sentence_not_code(cast, client_as):
    cs = draft_set()
    html = client_as(cast.admin).get(reverse("par_criteria_detail", args=[cs.pk])).text
    assert "nếu Tổng số vấn đề phát hiện bằng 0 thì điểm tối đa" in html
    assert "a == 0 ?" not in html
    assert "pct/100*max" not in html

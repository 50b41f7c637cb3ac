from decimal import Decimal

import pytest
from django.template import Context, Template

from cchc.lib.formats import number_vi


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1.500"), "1,5"),
        (1.5, "1,5"),
        (Decimal("0.500"), "0,5"),
        (Decimal("100.000"), "100"),
        (Decimal("0.25"), "0,25"),
        (Decimal("1234.5"), "1.234,5"),
        (Decimal("0.1235"), "0,124"),
        (-2.5, "-2,5"),
        (0, "0"),
        (None, ""),
    ],
)
def test_points_have_a_decimal_comma_and_no_padding(value, text):
    assert number_vi(value) == text


def test_the_template_filter():
    template = Template("{% load vi_format %}{{ a|so }} {{ b|so }} {{ c|so }}")
    assert template.render(Context({"a": Decimal("1.500"), "b": Decimal("12"), "c": "x"})) == (
        "1,5 12 "
    )

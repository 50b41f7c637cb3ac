"""Vietnamese numbers in templates: {% load vi_format %} {{ value|so }}.

Django's floatformat pads ("1,500" for 1,5 with floatformat:"-3"), which a
Vietnamese reader takes for one thousand five hundred.
"""

from decimal import Decimal

from django import template

from cchc.lib.formats import decimal_vi, number_vi

register = template.Library()


@register.filter
def so(value, max_places=3):
    try:
        return number_vi(value, int(max_places))
    except (ArithmeticError, ValueError, TypeError):
        return ""


@register.filter
def chi_so(value, places=2):
    """An index or total as officials print it, two decimals: 89.87 → '89,87'."""
    try:
        return decimal_vi(value, int(places))
    except (ArithmeticError, ValueError, TypeError):
        return ""


@register.filter
def thay_doi(value, places=2):
    """A change, signed: 1.5 → '+1,50', -0.28 → '-0,28', 0 → '0,00'."""
    try:
        text = decimal_vi(value, int(places))
    except (ArithmeticError, ValueError, TypeError):
        return ""
    return f"+{text}" if text and Decimal(str(value)) > 0 else text

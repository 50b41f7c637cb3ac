from django import template

from cchc.lib.formats import integer_vi

register = template.Library()


@register.filter
def vi_int(value) -> str:
    """1234567 -> '1.234.567'."""
    return integer_vi(value)

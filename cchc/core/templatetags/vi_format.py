"""Vietnamese numbers in templates: {% load vi_format %} {{ value|so }}.

Django's floatformat pads ("1,500" for 1,5 with floatformat:"-3"), which a
Vietnamese reader takes for one thousand five hundred.
"""

from django import template

from cchc.lib.formats import number_vi

register = template.Library()


@register.filter
def so(value, max_places=3):
    try:
        return number_vi(value, int(max_places))
    except (ArithmeticError, ValueError, TypeError):
        return ""

"""Form widgets for pages that must render fast (the public filters)."""

from __future__ import annotations

from functools import lru_cache

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from cchc.lib.forms import DateInput


class FixedChoices(BaseChoiceIterator):
    """(value, label) pairs given to a field as they are.

    A field and its widget each pass a plain list through normalize_choices:
    for the province's 117 units, more time than rendering them.
    """

    def __init__(self, pairs):
        self.pairs = list(pairs)

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


@lru_cache(maxsize=64)
def _options(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, ...], dict[str, int]]:
    """Each option's HTML, and the position of each value (its first occurrence)."""
    html = tuple(f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in choices)
    positions: dict[str, int] = {}
    for i, (v, _) in enumerate(choices):
        positions.setdefault(v, i)
    return html, positions


class FastSelect(forms.Select):
    """Django's single <select>, rendered in Python instead of two templates per option.

    The same markup as Django's (attributes from the bound field: id,
    aria-invalid, aria-describedby; the first option equal to the value
    selected). Django renders each option through two templates: the
    province's 117 units were about half the time of a section page. The
    options' HTML is kept per process for each distinct list of choices, so a
    renamed unit (a new list) is rendered afresh. Grouped choices fall back
    to Django's templates.
    """

    def render(self, name, value, attrs=None, renderer=None):
        if self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        flat = []
        for v, label in self.choices:
            if isinstance(label, (list, tuple)):  # an optgroup
                return super().render(name, value, attrs, renderer)
            flat.append(("" if v is None else str(v), str(label)))
        html, positions = _options(tuple(flat))
        options = list(html)
        for v in self.format_value(value)[:1]:
            i = positions.get(v)
            if i is not None:
                options[i] = options[i].replace('">', '" selected>', 1)
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>\n  {}\n</select>',
            name,
            flatatt(final_attrs),
            mark_safe("\n  ".join(options)),  # noqa: S308 - escaped in _options
        )


class FastDateInput(DateInput):
    """The dd/mm/yyyy text box, rendered in Python instead of Django's two templates.

    The same element and attributes as Django's input template (type, name, the
    value when there is one, id, aria-invalid and aria-describedby from the
    bound field), the attributes in flatatt's order.
    """

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = format_html(' value="{}"', value) if value is not None else ""
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<input type="{}" name="{}"{}{}>', self.input_type, name, shown, flatatt(final_attrs)
        )

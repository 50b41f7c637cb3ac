"""Vietnamese alphabetical order.

Vietnamese dictionaries order letters a ă â b c d đ e ê g h i k l m n o ô ơ
p q r s t u ư v x y, and only then tones (none, huyền, hỏi, ngã, sắc,
nặng). Neither SQLite nor PostgreSQL's default collation does this: both
put "Đ", "Ô", "Ơ", "Ư" after "V" or "Z". Unit lists are small (a few hundred
rows), so they are sorted in Python with `vi_key`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

# Letters Vietnamese does not use (f, j, w, z) go where English puts them.
ORDER = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_RANK = {letter: position for position, letter in enumerate(ORDER, start=100)}

# Combining marks that make a new letter (ă â ê ô ơ ư), by base letter.
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# Tone marks, in dictionary order: huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str) -> list[tuple[str, int]]:
    """(letter, tone) for each character, lower case, tones split off."""
    result: list[tuple[str, int]] = []
    for char in text.lower():
        if char == "đ":
            result.append(("đ", 0))
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        tone = 0
        for mark in marks:
            if (base, mark) in _LETTER_MARKS:
                base = _LETTER_MARKS[(base, mark)]
            elif mark in _TONES:
                tone = _TONES[mark]
        result.append((base, tone))
    return result


def _rank(letter: str) -> int:
    if letter in _RANK:
        return _RANK[letter]
    if letter.isspace():
        return 0
    if letter.isdigit():
        return 10 + int(letter) if letter.isascii() else 20
    # Punctuation before letters, anything else after them.
    return 30 if not letter.isalpha() else 1000 + ord(letter)


def vi_key(text: str) -> tuple:
    """Sort key: letters first (ă after a, đ after d...), then tones, then case."""
    letters = _letters(text or "")
    return (
        tuple(_rank(letter) for letter, _ in letters),
        tuple(tone for _, tone in letters),
        text or "",
    )


def vi_sorted(items: Iterable[T], key: Callable[[T], str] = lambda unit: unit.name) -> list[T]:
    """Items (units by default, by name) in Vietnamese alphabetical order."""
    return sorted(items, key=lambda item: vi_key(key(item)))


def vi_order_by(queryset, field: str = "name", *leading: str):
    """The queryset in Vietnamese order of `field` (after `leading` fields),
    for form choices and other lists the database hands out: one small query
    for the names, then an ORDER BY on their positions."""
    from django.db.models import Case, IntegerField, Value, When

    names = list(queryset.values_list("pk", field))
    positions = [
        When(pk=pk, then=Value(position))
        for position, (pk, _) in enumerate(sorted(names, key=lambda row: vi_key(row[1])))
    ]
    if not positions:
        return queryset
    order = Case(*positions, default=Value(len(positions)), output_field=IntegerField())
    return queryset.order_by(*leading, order)

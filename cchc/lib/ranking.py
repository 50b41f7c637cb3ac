"""Competition ranking (1, 2, 2, 4): equal figures share a rank, the next rank skips.

Plain Python with no Django import, so the PAR engine (pure) and the statistics
share it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


def competition_ranks(
    items: Iterable[T], key: Callable[[T], Any], *, tie_break: Callable[[T], Any] | None = None
) -> list[tuple[int, T]]:
    """(rank, item) pairs, highest ``key`` first; items with equal keys share a rank.

    ``tie_break`` orders items that share a rank (the input order otherwise).
    """
    ordered = sorted(items, key=lambda i: (-key(i), tie_break(i) if tie_break else 0))
    ranked: list[tuple[int, T]] = []
    for position, item in enumerate(ordered, start=1):
        if ranked and key(ranked[-1][1]) == key(item):
            ranked.append((ranked[-1][0], item))
        else:
            ranked.append((position, item))
    return ranked

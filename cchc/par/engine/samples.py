"""Plausible inputs per rule type, for the demo year and the benchmarks (pure)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def sample_inputs(rule: Mapping[str, Any], max_points, rng: random.Random) -> dict:
    """Plausible raw inputs for one leaf's rule, JSON-ready (numbers as strings)."""
    kind = rule["type"]
    if kind == "binary":
        return {"passed": rng.random() < 0.85}
    if kind == "levels":
        return {"level": rng.choice(rule["levels"])["label"]}
    if kind in ("percent_bands", "ratio"):
        return {"pct": str(Decimal(rng.randint(6000, 10000)) / 100)}
    if kind == "count_capped":
        return {"count": rng.randint(0, 4)}
    if kind == "deduction":
        return {"counts": [rng.choice((0, 0, 0, 1, 2)) for _ in rule["per_occurrence"]]}
    if kind in ("weighted_counts", "formula"):
        a = rng.randint(0, 12)
        b = rng.randint(0, a)
        values = {"a": a, "b": b, "c": rng.randint(0, a - b), "k": rng.randint(0, 1)}
        names = rule.get("inputs") or ["a", *rule.get("weights", {})]
        return {name: values.get(name, rng.randint(0, 5)) for name in names}
    if kind == "survey_index":
        return {"index": str(Decimal(rng.randint(7500, 9900)) / 100)}
    if kind == "score":
        return {"points": str(Decimal(max_points) * Decimal(rng.randint(0, 4)) / 4)}
    raise ValueError(kind)

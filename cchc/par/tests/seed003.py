"""Seed 003's figures moved to cchc/par/seed003.py (the demo loads them); kept for old imports."""

from cchc.par.seed003 import (  # noqa: F401
    AREAS,
    BANDS_OF_THE_TEXT,
    PUBLISHED,
    criteria_set,
    rows,
    sipas_indices,
    unit_id,
    unit_inputs,
)

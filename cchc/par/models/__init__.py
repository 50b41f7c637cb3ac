"""PAR models, one module per part of the year: criteria sets today; the
evaluation year, assessments, appraisal and results as they are built."""

from cchc.par.models.criteria import (  # noqa: F401
    SCORED_UNIT_TYPES,
    CriteriaNode,
    CriteriaSet,
    Method,
    SetStatus,
    _default_classification,  # referenced by migration 0001
)

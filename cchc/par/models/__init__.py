"""PAR models, one module per part of the year: criteria sets, and the evaluation
year with its participations, entries, evidence and results."""

from cchc.par.models.criteria import (  # noqa: F401
    SCORED_UNIT_TYPES,
    CriteriaNode,
    CriteriaSet,
    Method,
    SetStatus,
    _default_classification,  # referenced by migration 0001
)
from cchc.par.models.reports import (  # noqa: F401
    JobStatus,
    ReportJob,
)
from cchc.par.models.year import (  # noqa: F401
    STAGE_FIELDS,
    UNIT_EDITABLE_STATES,
    AreaEvaluator,
    Decision,
    Entry,
    EvaluationYear,
    Evidence,
    EvidenceLink,
    Notification,
    NotificationKind,
    Participation,
    ParticipationState,
    Stage,
    UnitResult,
    WindowExtension,
    YearSet,
    YearStatus,
    YearSummary,
)

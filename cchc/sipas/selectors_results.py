"""A survey's results, read in a fixed number of queries and computed by the engine.

How answers are counted (profiled with bench/bench_sipas.py, 100,000 answers): the
answers are read once, as (unit, form, answers JSON) rows streamed in chunks, and
tallied in Python (``engine.count_answers``). The alternative, one conditional
aggregate per item in SQL over the JSON (``tallies_in_sql``), is kept for the bench
and for the test that both give the same tallies; it is slower on SQLite (every
aggregate extracts from the JSON again) and only a little faster on PostgreSQL, and
JSON values compare differently on the two databases (SQLite reads ``true`` as 1), so
the Python scan is the one that behaves the same everywhere. No tally table is kept:
counting 100,000 answers takes well under the time of a page (see docs/sipas.md).

Queries: the survey's forms, the current draws (N), the sample in use per unit, the
answers, the units — five, whatever the number of units or answers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from cchc.lib.collation import vi_sorted
from cchc.org.models import Unit, UnitType
from cchc.sipas import engine
from cchc.sipas.models import Draw, Questionnaire, Respondent, Response, Survey

CHUNK = 5_000


@dataclass
class UnitRow:
    unit: Unit
    form: engine.Form | None
    questionnaire: Questionnaire | None
    result: engine.UnitResult

    @property
    def has_answers(self) -> bool:
        return self.result.index is not None


@dataclass
class Section:
    unit_type: str
    label: str
    rows: list[UnitRow]
    summary: engine.TypeSummary
    bands: dict[str, int]
    elements: list[engine.Element] = field(default_factory=list)
    points_max: Decimal = Decimal(32)

    @property
    def element_means(self) -> list[tuple[engine.Element, Decimal | None]]:
        """Each element with its units' mean satisfaction, in %."""
        means = self.summary.elements
        return [
            (e, None if means.get(e.code) is None else means[e.code] * 100) for e in self.elements
        ]

    @property
    def mean_points(self) -> Decimal | None:
        return None if self.summary.mean is None else self.summary.mean * self.points_max / 100


@dataclass
class Results:
    survey: Survey
    formula: engine.Formula
    sections: list[Section]
    computed: engine.SurveyResult

    @property
    def rows(self) -> list[UnitRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def without_answers(self) -> list[Unit]:
        return [row.unit for row in self.rows if not row.has_answers]

    @property
    def responses(self) -> int:
        return sum(row.result.responses for row in self.rows)

    def row(self, unit_id: int) -> UnitRow | None:
        return next((r for r in self.rows if r.unit.pk == unit_id), None)

    def section(self, unit_type: str) -> Section | None:
        return next((s for s in self.sections if s.unit_type == unit_type), None)


def formula(survey: Survey) -> engine.Formula:
    try:
        return engine.Formula.from_json(survey.formula)
    except engine.FormulaError as exc:
        raise ValidationError(
            [f"Công thức tính chỉ số của đợt khảo sát chưa đúng: {p}" for p in exc.problems]
        ) from None


def _forms(survey: Survey) -> dict[int, tuple[Questionnaire, engine.Form]]:
    return {
        q.pk: (q, engine.Form.from_definition(q.definition))
        for q in Questionnaire.objects.filter(survey=survey)
    }


def tallies_by_scan(
    survey: Survey, forms: dict[int, engine.Form], the_formula: engine.Formula, unit_ids=None
) -> tuple[dict[int, dict], dict[int, int], dict[int, dict[int, int]]]:
    """(unit → tallies, unit → responses, unit → form → responses): one streamed query."""
    tallies: dict[int, dict[str, list[int]]] = defaultdict(dict)
    responses: dict[int, int] = defaultdict(int)
    by_form: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    threshold = the_formula.satisfied_from
    rows = Response.objects.filter(survey=survey)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    codes_of = {pk: form.item_codes for pk, form in forms.items()}
    scale = engine.SCALE
    for unit_id, form_id, answers in rows.values_list(
        "unit_id", "questionnaire_id", "answers"
    ).iterator(chunk_size=CHUNK):
        responses[unit_id] += 1
        by_form[unit_id][form_id] += 1
        unit = tallies[unit_id]
        for code in codes_of.get(form_id, ()):
            value = answers.get(code)
            # engine.is_valid inlined: this loop runs for every item of every answer
            if value.__class__ is int and value in scale:
                tally = unit.get(code)
                if tally is None:
                    tally = unit[code] = [0, 0]
                tally[0] += 1
                if value >= threshold:
                    tally[1] += 1
    return tallies, responses, by_form


def tallies_in_sql(
    survey: Survey, forms: dict[int, engine.Form], the_formula: engine.Formula, unit_ids=None
) -> tuple[dict[int, dict], dict[int, int], dict[int, dict[int, int]]]:
    """The same as ``tallies_by_scan``, counted by the database (for the bench)."""
    codes = sorted({c for form in forms.values() for c in form.item_codes})
    valid = list(engine.SCALE)
    satisfied = [v for v in valid if v >= the_formula.satisfied_from]
    aggregates = {"n": Count("pk")}
    for i, code in enumerate(codes):
        aggregates[f"v{i}"] = Count("pk", filter=Q(**{f"answers__{code}__in": valid}))
        aggregates[f"s{i}"] = Count("pk", filter=Q(**{f"answers__{code}__in": satisfied}))
    rows = Response.objects.filter(survey=survey)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    tallies: dict[int, dict[str, list[int]]] = defaultdict(dict)
    responses: dict[int, int] = defaultdict(int)
    by_form: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows.values("unit_id", "questionnaire_id").annotate(**aggregates).order_by():
        unit_id, form_id = row["unit_id"], row["questionnaire_id"]
        responses[unit_id] += row["n"]
        by_form[unit_id][form_id] += row["n"]
        own = set(forms[form_id].item_codes) if form_id in forms else set()
        for i, code in enumerate(codes):
            if code in own and row[f"v{i}"]:
                tally = tallies[unit_id].setdefault(code, [0, 0])
                tally[0] += row[f"v{i}"]
                tally[1] += row[f"s{i}"]
    return tallies, responses, by_form


def _samples(survey: Survey, unit_ids=None) -> dict[int, int]:
    """The sample in use per unit (its current draw): drawn, plus reserves brought in,
    less those they replaced."""
    rows = Respondent.objects.filter(survey=survey, draw__current=True).filter(
        Q(reserve=False) | Q(activated_at__isnull=False), replaced_by__isnull=True
    )
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    return dict(rows.values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n"))


def survey_results(survey: Survey, *, units=None, counter=tallies_by_scan) -> Results:
    """Every surveyed unit's results (or only `units`'), by unit type, in a fixed 5 queries."""
    the_formula = formula(survey)
    unit_ids = None if units is None else [u.pk for u in units]
    forms = _forms(survey)
    draws = Draw.objects.filter(survey=survey, current=True)
    if unit_ids is not None:
        draws = draws.filter(unit_id__in=unit_ids)
    populations = dict(draws.values_list("unit_id", "population"))
    samples = _samples(survey, unit_ids)
    tallies, responses, by_form = counter(
        survey, {pk: f for pk, (_, f) in forms.items()}, the_formula, unit_ids
    )
    ids = set(populations) | set(responses) | set(samples)
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    inputs = []
    chosen: dict[int, tuple[Questionnaire | None, engine.Form | None]] = {}
    for unit_id, unit in found.items():
        counts = by_form.get(unit_id)
        if counts:
            # a unit answers one form; were there two, the one most answered names it
            form_id = max(counts, key=lambda pk: (counts[pk], -pk))
            chosen[unit_id] = forms.get(form_id, (None, None))
        else:
            chosen[unit_id] = (None, None)
        form = chosen[unit_id][1] or engine.Form(())
        inputs.append(
            engine.UnitInput(
                unit_id=str(unit_id),
                unit_type=unit.unit_type,
                form=form,
                tallies=tallies.get(unit_id, {}),
                responses=responses.get(unit_id, 0),
                sample=samples.get(unit_id, 0),
                population=populations.get(unit_id),
            )
        )
    computed = engine.compute(inputs, the_formula)
    sections = []
    for unit_type, label in UnitType.choices:
        members = vi_sorted(u for u in found.values() if u.unit_type == unit_type)
        if not members:
            continue
        rows = [
            UnitRow(u, chosen[u.pk][1], chosen[u.pk][0], computed.units[str(u.pk)]) for u in members
        ]
        elements = next((r.form.elements for r in rows if r.form is not None), ())
        sections.append(
            Section(
                unit_type=unit_type,
                label=label,
                rows=rows,
                summary=computed.summaries[unit_type],
                bands=engine.band_counts((r.result for r in rows), the_formula),
                elements=list(elements),
                points_max=the_formula.points_max,
            )
        )
    return Results(survey=survey, formula=the_formula, sections=sections, computed=computed)


def results_with_its_type(survey: Survey, unit: Unit) -> Results:
    """The results of every unit of `unit`'s type (its row and its type's means): the
    same fixed queries, and one for the units of the type."""
    return survey_results(survey, units=list(Unit.objects.filter(unit_type=unit.unit_type)))


def unit_results(survey: Survey, unit: Unit) -> UnitRow | None:
    """One unit's results (the same fixed queries, its rows only)."""
    return survey_results(survey, units=[unit]).row(unit.pk)


def answers_for_export(survey: Survey):
    """Every counted answer, anonymised: no respondent code, case or contact (one query)."""
    return (
        Response.objects.filter(survey=survey)
        .order_by("unit__name", "submitted_at", "pk")
        .values_list(
            "unit__name",
            "unit__unit_type",
            "channel",
            "questionnaire_id",
            "answers",
            "profile",
            "procedure",
            "suggestion",
            "submitted_at",
        )
    )

"""The 2026 year as demo data: opened today, with units at every stage.

Everything goes through the product's services (the same checks, states and audit
entries a real year gets), so a demo role lands on real work:

- canbo.anphu / lanhdao.anphu: Xã An Phú's self-assessment, half filled;
- canbo.snv: Sở Nội vụ's assessment, submitted and waiting for appraisal;
- canbo.longxuyen: Phường Long Xuyên, returned by round 1 for explanation;
- thamdinh.stp: units submitted and in appraisal, area 2 to appraise;
- quantri: all of it, round 1 to close, SIPAS indices to enter.

The windows are placed around today and overlap (a real year runs them one after
another) so that every stage can be tried on the same day. Idempotent: a 2026 year
already opened is left alone.
"""

from __future__ import annotations

import datetime
import io
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cchc.lib.collation import vi_sorted
from cchc.par.engine.samples import sample_inputs
from cchc.par.models import Decision, Entry, EvaluationYear, Method, Participation
from cchc.par.services import appraisal, assessment, results
from cchc.par.services.year import year_open

YEAR = 2026
SEED = 2026
# unit slug → the stage the demo leaves it in (the demo accounts' units)
PINNED = {
    "xa-an-phu": "in_progress",
    "so-noi-vu": "submitted",
    "phuong-long-xuyen": "returned",
    "so-tu-phap": "in_appraisal",
}
# how many of the other units end at each stage (the rest have not started)
SPREAD = (("in_progress", 14), ("submitted", 8), ("in_appraisal", 6), ("returned", 4))
FULL = ("submitted", "in_appraisal", "returned")


def _pdf(title: str) -> io.BytesIO:
    """A small, valid one-page PDF whose text is the title (ASCII only)."""
    text = title.encode("ascii", "replace").decode().replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    out.seek(0)
    return out


def _stages(participations: list[Participation], rng: random.Random) -> dict[int, str]:
    stages = {p.pk: PINNED[p.unit.slug] for p in participations if p.unit.slug in PINNED}
    others = [p for p in participations if p.pk not in stages]
    rng.shuffle(others)
    start = 0
    for stage, count in SPREAD:
        for p in others[start : start + count]:
            stages[p.pk] = stage
        start += count
    return stages


def _fill(participation: Participation, entries: list[Entry], share: float, rng, actor) -> None:
    """The officer fills `share` of the leaves; about two thirds get the unit's report
    as evidence (with the page), the others a note."""
    evidence = assessment.evidence_upload(
        actor=actor,
        participation=participation,
        file=_pdf(f"Bao cao CCHC nam {YEAR} - {participation.unit.code}"),
        name=f"Báo cáo CCHC năm {YEAR} – {participation.unit.name}.pdf",
    )
    chosen = entries[: max(1, round(len(entries) * share))]
    for page, entry in enumerate(chosen, start=1):
        note = ""
        if rng.random() < 0.33:
            note = "Tài liệu kiểm chứng lưu tại bộ phận văn thư, sẽ bổ sung bản điện tử."
        entry = assessment.entry_self_save(
            actor=actor,
            entry=entry,
            inputs=sample_inputs(entry.node.rule, entry.node.max_points, rng),
            note=note,
            version=entry.version,
        )
        if not note:
            assessment.evidence_link(
                actor=actor, entry=entry, evidence=evidence, location=f"Trang {page}"
            )


def _round1(participation: Participation, entries: list[Entry], share: float, returned: int, actor):
    """Round 1 on `share` of the leaves: most accepted, a few adjusted, `returned`
    sent back for explanation."""
    for i, entry in enumerate(entries[: round(len(entries) * share)]):
        entry.refresh_from_db()
        decision, points, comment = Decision.ACCEPTED, None, ""
        if i % 9 == 4:
            decision, comment = Decision.ADJUSTED, "Tài liệu kiểm chứng chưa thể hiện đủ nội dung."
            points = entry.node.max_points / 2
        if returned and i % 11 == 3:
            decision, comment = Decision.RETURNED, "Đề nghị bổ sung văn bản chứng minh kết quả."
            returned -= 1
        appraisal.entry_appraise(
            actor=actor,
            entry=entry,
            round=1,
            decision=decision,
            points=points,
            comment=comment,
            version=entry.version,
        )


@transaction.atomic
def load_year_2026(stdout=None) -> EvaluationYear | None:
    if EvaluationYear.objects.filter(year=YEAR).exists():
        return None
    User = get_user_model()
    admin = User.objects.filter(username="quantri").first()
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    year = year_open(
        actor=admin,
        year=YEAR,
        title=f"Chỉ số CCHC năm {YEAR}",
        windows={
            "self": (today - 20 * day, today + 10 * day),
            "round1": (today - 6 * day, today + 16 * day),
            "explanation": (today - 3 * day, today + 20 * day),
            "round2": (today - 1 * day, today + 25 * day),
        },
    )
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    participations = vi_sorted(
        Participation.objects.filter(year=year).select_related("unit", "year", "criteria_set"),
        key=lambda p: p.unit.name,
    )
    stages = _stages(participations, rng)
    own_leaves: dict[int, list[Entry]] = {}
    for entry in (
        Entry.objects.filter(participation__year=year)
        .exclude(node__method=Method.SURVEY)
        .select_related("node", "participation__unit", "participation__year")
        .order_by("participation_id", "node__position")
    ):
        own_leaves.setdefault(entry.participation_id, []).append(entry)
    for participation in participations:
        stage = stages.get(participation.pk)
        if stage is None:
            continue
        entries = own_leaves[participation.pk]
        _fill(participation, entries, 1.0 if stage in FULL else 0.5, rng, admin)
        if stage not in FULL:
            continue
        participation.refresh_from_db()
        assessment.assessment_submit(
            actor=admin, participation=participation, version=participation.version
        )
        results.survey_index_set(
            actor=admin,
            participation=participation,
            index=Decimal(rng.randint(8000, 9700)) / 100,
        )
        if stage == "submitted":
            continue
        if stage == "returned":
            _round1(participation, entries, 1.0, 3, admin)
        else:
            _round1(participation, entries, 0.5, 0, admin)
        if stage == "returned":
            appraisal.round1_close(actor=admin, year=year, unit=participation.unit)
    if stdout is not None:
        counts: dict[str, int] = {}
        for state in Participation.objects.filter(year=year).values_list("state", flat=True):
            counts[state] = counts.get(state, 0) + 1
        stdout.write(
            f"Chỉ số CCHC năm {YEAR}: {len(participations)} đơn vị, "
            + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        )
    return year

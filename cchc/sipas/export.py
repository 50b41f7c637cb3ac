"""A survey's results as an Excel workbook (openpyxl, through ``cchc.lib.workbooks``).

Sheets: the unit types, the units, the items of each unit, and the answers. The
answers are anonymised: one numbered row per answer with its unit, channel, profile,
procedure, item values and suggestion, never the respondent's code, case or contact
data (the contact fields are not even read). Every text cell goes through
``workbooks.put``: a suggestion typed as ``=HYPERLINK(…)`` stays text (formula
injection, OWASP).
"""

from __future__ import annotations

from openpyxl import Workbook

from cchc.lib import workbooks
from cchc.lib.workbooks import Column
from cchc.org.models import UnitType
from cchc.sipas import engine
from cchc.sipas.models import Channel
from cchc.sipas.selectors_results import Results, answers_for_export

TWO = "0.00"


def _pct(value, formula: engine.Formula):
    return None if value is None else formula.display(value)


def _share(share, formula: engine.Formula):
    return None if share is None else formula.display(share * 100)


def results_workbook(results: Results) -> bytes:
    formula = results.formula
    book = Workbook()
    year = results.survey.year
    workbooks.table(
        book,
        "Theo loại đơn vị",
        [
            Column("Loại đơn vị", 30),
            Column("Số đơn vị có phiếu"),
            Column("Số phiếu trả lời"),
            Column("Cỡ mẫu"),
            Column("Tỷ lệ trả lời (%)", number_format=TWO),
            Column("Chỉ số hài lòng bình quân (%)", number_format=TWO),
            Column("Điểm lĩnh vực 9", number_format=TWO),
            *(Column(engine.BAND_LABELS[name]) for name, _ in engine.BANDS),
        ],
        (
            [
                s.label,
                s.summary.units,
                s.summary.responses,
                s.summary.sample,
                _pct(s.summary.rate, formula),
                _pct(s.summary.mean, formula),
                None
                if s.summary.mean is None
                else formula.display(s.summary.mean * formula.points_max / 100),
                *(s.bands[name] for name, _ in engine.BANDS),
            ]
            for s in results.sections
        ),
        first=True,
        above=f"Kết quả khảo sát SIPAS năm {year}",
    )
    codes = []
    for section in results.sections:
        for element in section.elements:
            if element.code not in codes:
                codes.append(element.code)
    workbooks.table(
        book,
        "Đơn vị",
        [
            Column("Đơn vị", 40),
            Column("Loại đơn vị", 22),
            Column("Số hồ sơ (N)"),
            Column("Cỡ mẫu"),
            Column("Số phiếu trả lời"),
            Column("Tỷ lệ trả lời (%)", number_format=TWO),
            Column("Chỉ số hài lòng (%)", number_format=TWO),
            Column("Sai số ± (điểm %)", number_format=TWO),
            Column("Điểm lĩnh vực 9", number_format=TWO),
            *(Column(f"Yếu tố {code} (%)", number_format=TWO) for code in codes),
        ],
        (
            [
                r.unit.name,
                r.unit.get_unit_type_display(),
                r.result.population,
                r.result.sample,
                r.result.responses,
                _pct(r.result.rate, formula),
                _pct(r.result.index, formula),
                _pct(r.result.margin, formula),
                _pct(r.result.points, formula),
                *(
                    _share(next((e.share for e in r.result.elements if e.code == c), None), formula)
                    for c in codes
                ),
            ]
            for r in results.rows
        ),
        freeze_columns=1,
    )
    workbooks.table(
        book,
        "Câu hỏi",
        [
            Column("Đơn vị", 40),
            Column("Yếu tố", 8),
            Column("Câu hỏi", 8),
            Column("Số trả lời hợp lệ"),
            Column("Số hài lòng"),
            Column("Tỷ lệ hài lòng (%)", number_format=TWO),
        ],
        (
            [r.unit.name, e.code, i.code, i.valid, i.satisfied, _share(i.share, formula)]
            for r in results.rows
            for e in r.result.elements
            for i in e.items
        ),
        freeze_columns=1,
    )
    _answers_sheet(book, results)
    return workbooks.to_bytes(book)


def _answers_sheet(book: Workbook, results: Results) -> None:
    items: list[str] = []
    profile: list[tuple[str, str]] = []
    choices: dict[str, dict[str, str]] = {}  # profile code → value → its label
    for q in results.survey.questionnaires.all():
        items += [c for c in q.item_codes if c not in items]
        for p in q.profile:
            if p["code"] not in choices:
                profile.append((p["code"], p["label"]))
                choices[p["code"]] = {str(v): label for v, label in p["choices"]}
    channels = dict(Channel.choices)
    types = dict(UnitType.choices)
    workbooks.table(
        book,
        "Phiếu trả lời (ẩn danh)",
        [
            Column("STT", 6),
            Column("Đơn vị", 40),
            Column("Loại đơn vị", 22),
            Column("Hình thức", 12),
            Column("Thủ tục đã thực hiện", 30),
            *(Column(label, 16) for _, label in profile),
            *(Column(code, 6) for code in items),
            Column("Góp ý", 50),
        ],
        (
            [
                number,
                unit_name,
                types.get(unit_type, unit_type),
                channels.get(channel, channel),
                procedure,
                *(_choice(choices[code], (person or {}).get(code)) for code, _ in profile),
                *((answers or {}).get(code) for code in items),
                suggestion,
            ]
            for number, (
                unit_name,
                unit_type,
                channel,
                _form,
                answers,
                person,
                procedure,
                suggestion,
                _at,
            ) in enumerate(answers_for_export(results.survey).iterator(chunk_size=5000), start=1)
        ),
        freeze_columns=2,
        above="Không có mã phiếu, hồ sơ hay thông tin liên hệ của người trả lời.",
    )


def _choice(labels: dict[str, str], value) -> str:
    if value in (None, ""):
        return ""
    return labels.get(str(value), str(value))

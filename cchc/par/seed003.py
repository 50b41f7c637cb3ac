"""Unit-level PAR scores constructed to be consistent with seed 003.

Seed 003 is An Giang's report on the 2023 PAR Index (Sở Nội vụ, 21/5/2024). It
publishes, for 17 departments (sở, ban, ngành) and 11 districts (huyện, thị xã, thành
phố), the average points and index of each of the nine areas, the 2022 index of each
area and the change, the number of units in groups A and B, the average PAR Index and
the mean SIPAS index. It does not publish the units' own scores (Phụ lục 1–2 are not in
the seed), so the rows below are CONSTRUCTED: one plausible set of unit scores from
which the engine, with ``RoundingPolicy()``, reproduces every published number. Unit
ids are deliberately anonymous ("huyen-01") so nobody mistakes a constructed
row for a real department's result.

Modelling choices (see docs/par-arithmetic.md):
- The report publishes areas only, so each area 1–8 is one leaf scored by the
  ``score`` rule (the appraised points of the area, entered directly); area 9 is one
  survey leaf (``survey_index``, 32 points) whose input is the unit's SIPAS index.
- Areas 4 and 5 use 9 and 6 points, as in the report's area tables (its structure table
  for departments says 6 and 9; both add up to 68).
- 2022 is modelled as the published 2022 area percentages (the 2022 unit scores are
  unknown), plus a constructed 2022 SIPAS index per unit for the text's counts of units
  whose SIPAS index rose or fell.

Row n is unit "so-0n" / "huyen-0n": points of areas 1–8, SIPAS index 2023 (%), SIPAS index 2022 (%).
"""

from __future__ import annotations

from decimal import Decimal

from cchc.par.engine import Classification, CriteriaSet, GroupBand, Node, UnitInput

AREAS = (
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính", 12),
    ("2", "Cải cách thể chế", 6),
    ("3", "Cải cách thủ tục hành chính", 13),
    ("4", "Cải cách tổ chức bộ máy hành chính", 9),
    ("5", "Cải cách chế độ công vụ", 6),
    ("6", "Cải cách tài chính công", 6),
    ("7", "Xây dựng và phát triển chính quyền điện tử, chính quyền số", 10),
    ("8", "Công tác văn thư, lưu trữ", 6),
    ("9", "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ hành chính (SIPAS)", 32),
)

DEPARTMENT_ROWS = (
    ("11.117", "5.857", "12.617", "9", "5.597", "5.873", "9.778", "5.097", "89.99", "83.73"),
    ("11.182", "5.263", "12.557", "9", "5.708", "5.752", "9.894", "5.152", "86.55", "83.73"),
    ("11.729", "5.411", "12.601", "9", "5.603", "5.919", "9.678", "5.664", "84.48", "81.55"),
    ("11.543", "5.304", "12.672", "9", "5.406", "5.858", "9.698", "4.976", "83.65", "87.35"),
    ("10.785", "5.095", "12.392", "9", "5.414", "5.817", "9.804", "4.59", "93.53", "91.84"),
    ("11.293", "5.536", "12.43", "9", "5.39", "5.638", "9.513", "5.042", "89.99", "88.42"),
    ("10.661", "5.417", "12.26", "9", "5.47", "5.596", "9.723", "5.129", "88.48", "86.29"),
    ("10.941", "5.327", "11.639", "9", "5.222", "5.608", "9.492", "4.24", "86.28", "91.06"),
    ("10.429", "5.173", "11.719", "9", "5.236", "5.528", "9.553", "5.119", "83.67", "79.67"),
    ("10.187", "4.955", "12.158", "9", "5.466", "5.7", "9.599", "4.547", "95.13", "89.39"),
    ("10.98", "5.016", "11.473", "9", "5.125", "5.503", "9.36", "3.949", "95.40", "92.40"),
    ("10.197", "5.169", "11.963", "9", "4.939", "5.543", "9.543", "3.867", "83.36", "77.23"),
    ("10.214", "4.672", "11.855", "9", "5.267", "5.627", "9.467", "4.863", "85.16", "88.09"),
    ("10.505", "4.512", "11.078", "9", "5.185", "5.422", "9.369", "4.135", "94.00", "88.09"),
    ("10.157", "4.622", "11.438", "9", "4.995", "5.204", "9.367", "3.483", "83.58", "85.74"),
    ("9.41", "4.472", "11.196", "9", "4.74", "5.303", "9.048", "2.979", "92.49", "93.29"),
    ("10.07", "4.219", "10.772", "9", "4.662", "5.144", "9.299", "3.162", "89.81", "85.06"),
)

DISTRICT_ROWS = (
    ("11.45", "5.85", "12.16", "9", "4.44", "5.75", "9.59", "5.37", "82.00", "87.33"),
    ("11.81", "5.94", "11.74", "9", "5.4", "5.16", "9.75", "4.98", "85.00", "87.46"),
    ("11.66", "5.5", "12.06", "9", "5.35", "5.64", "9.36", "5.62", "81.59", "85.98"),
    ("11.72", "5.71", "11.09", "9", "5.05", "5.31", "9.3", "5.62", "85.69", "91.48"),
    ("11.62", "5.49", "11.15", "9", "5.08", "5.22", "9.37", "5.29", "90.04", "85.56"),
    ("11.37", "5.63", "11.86", "9", "5.06", "5.11", "8.82", "4.92", "87.21", "89.15"),
    ("11.94", "5.55", "10.74", "9", "4.18", "5.43", "9.24", "5.34", "92.43", "95.34"),
    ("11.3", "5.37", "9.85", "9", "4.41", "4.82", "9.09", "4.64", "88.00", "92.69"),
    ("11.32", "5.13", "8.82", "9", "3.5", "4.69", "8.63", "4.22", "94.00", "96.85"),
    ("11.08", "5.14", "9.55", "9", "4.61", "4.92", "8.48", "4.05", "88.46", "85.33"),
    ("11.21", "4.69", "9.73", "9", "3.92", "3.95", "8.44", "3.95", "91.31", "90.03"),
)

# What the report publishes, as printed (decimal comma turned into a point).
# Per area: points achieved, index 2023 (%), index 2022 (%), change.
PUBLISHED = {
    "so": {
        "areas": {
            "1": ("10.67", "88.92", "89.20", "-0.28"),
            "2": ("5.06", "84.33", "93.98", "-9.65"),
            "3": ("11.93", "91.77", "97.82", "-6.05"),
            "4": ("9", "100", "100", "0"),
            "5": ("5.26", "87.67", "99.38", "-11.71"),
            "6": ("5.59", "93.17", "91.67", "1.5"),
            "7": ("9.54", "95.4", "88.03", "7.37"),
            "8": ("4.47", "74.5", "75.93", "-1.43"),
            "9": ("28.34", "88.56", "86.64", "1.92"),
        },
        "groups": {"A": 9, "B": 8},
        "average": "89.87",
        "sipas_mean": "88.56",
        "sipas_mean_2022": "86.64",
        "sipas_over_90": 5,
        "sipas_80_to_90": 12,
        "sipas_rose": 12,
        "sipas_fell": 5,
        # the text's grouping of areas by index (phần hai, I.2)
        "areas_over_90": {"3", "4", "6", "7"},
        "areas_80_to_90": {"1", "2", "5", "9"},
        "areas_under_80": {"8"},
    },
    "huyen": {
        "areas": {
            "1": ("11.5", "95.82", "87.85", "7.97"),
            "2": ("5.45", "90.91", "100", "-9.09"),
            "3": ("10.80", "83.04", "95.04", "-12"),
            "4": ("9", "100", "100", "0"),
            "5": ("4.64", "77.27", "94.95", "-17.68"),
            "6": ("5.09", "84.85", "91.67", "-6.82"),
            "7": ("9.10", "90.97", "87.25", "3.72"),
            "8": ("4.91", "81.82", "84.85", "-3.03"),
            "9": ("28.09", "87.80", "89.75", "-1.95"),
        },
        "groups": {"A": 5, "B": 6},
        "average": "88.58",
        "sipas_mean": "87.79",
        "sipas_mean_2022": "89.75",
        "sipas_over_90": 4,
        "sipas_80_to_90": 7,
        "sipas_rose": 3,
        "sipas_fell": 8,
        "areas_over_90": {"1", "2", "4", "7"},
        "areas_80_to_90": {"3", "6", "8", "9"},
        "areas_under_80": {"5"},
    },
}

# The text groups areas and SIPAS results as "trên 90%", "từ 80% đến dưới 90%", "dưới 80%".
BANDS_OF_THE_TEXT = Classification(
    (
        GroupBand("over_90", Decimal(90)),
        GroupBand("80_to_90", Decimal(80)),
        GroupBand("under_80", None),
    )
)


def criteria_set(kind: str) -> CriteriaSet:
    """The 2023 set at area level: one scored leaf per area, area 9 surveyed."""
    areas = []
    for code, title, max_points in AREAS:
        leaf_max = Decimal(max_points)
        if code == "9":
            leaf = Node(
                f"{code}.1", "Chỉ số hài lòng (SIPAS)", leaf_max, "survey", {"type": "survey_index"}
            )
        else:
            leaf = Node(
                f"{code}.1",
                f"Điểm thẩm định lĩnh vực {code}",
                leaf_max,
                "self_assessed",
                {"type": "score"},
            )
        areas.append(Node(code, title, leaf_max, leaf.method, children=(leaf,)))
    return CriteriaSet(
        id=f"an-giang-2023-{kind}",
        title=f"Bộ tiêu chí 2023 ({kind}), mức lĩnh vực",
        areas=tuple(areas),
        unit_types=(kind,),
    )


def rows(kind: str) -> tuple[tuple[str, ...], ...]:
    return DEPARTMENT_ROWS if kind == "so" else DISTRICT_ROWS


def unit_inputs(kind: str) -> list[UnitInput]:
    units = []
    for number, (*points, sipas, _sipas_2022) in enumerate(rows(kind), start=1):
        inputs = {
            f"{code}.1": {"points": Decimal(p)}
            for (code, _, _), p in zip(AREAS[:8], points, strict=True)
        }
        inputs["9.1"] = {"index": Decimal(sipas)}
        units.append(UnitInput(unit_id=unit_id(kind, number), unit_type=kind, inputs=inputs))
    return units


def unit_id(kind: str, number: int) -> str:
    return f"{kind}-{number:02d}"


def sipas_indices(kind: str) -> dict[str, tuple[Decimal, Decimal]]:
    """Unit id → (SIPAS index 2023, SIPAS index 2022), in %."""
    return {
        unit_id(kind, number): (Decimal(row[-2]), Decimal(row[-1]))
        for number, row in enumerate(rows(kind), start=1)
    }

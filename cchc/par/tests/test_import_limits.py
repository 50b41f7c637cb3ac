"""Hostile criteria files: nesting, alias bombs and long formulas get the import's report.

Every case goes through the import view, as an administrator uploads it: the answer is
the report page (422) with a Vietnamese message, never a 500, and nothing is stored.
"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.org.models import UnitType
from cchc.par.io.excel import COLUMNS, MAIN_SHEET, export_xlsx
from cchc.par.tests.helpers import counts, draft_set, row_of, save, workbook

pytestmark = pytest.mark.django_db

IMPORT = reverse("par_criteria_import")
COL = {key: i for i, (key, _, _) in enumerate(COLUMNS, start=1)}


def _post(client, name, content):
    upload = SimpleUploadedFile(name, content)
    return client.post(IMPORT, {"year": 2027, "unit_type": UnitType.DEPARTMENT, "file": upload})


def _reported(response, message):
    assert response.status_code == 422
    body = response.content.decode()
    assert "chưa có gì được lưu" in body
    assert message in body
    assert 'name="token"' not in body


def _chain(levels):
    """A criteria tree nested ``levels`` deep, each level a valid child of the last."""
    lines = ["sets:", "  - id: sau", "    title: Sâu", "    total: 1", "    areas:"]
    indent, code = "      ", "1"
    for level in range(levels):
        key = "criteria" if level else None
        lines.append(f'{indent}- code: "{code}"')
        lines.append(f"{indent}  title: Mức {level + 1}")
        lines.append(f"{indent}  max: 1")
        if level == levels - 1:
            lines.append(f"{indent}  rule: {{type: binary}}")
        else:
            lines.append(f"{indent}  {'children' if key else 'criteria'}:")
        indent += "    "
        code += ".1"
    return "\n".join(lines).encode()


BILLION_LAUGHS = b"""
a: &a ["x","x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
sets:
  - id: bom
    title: Bom
    areas: [{code: "1", title: x, max: 1, rule: {type: binary}, note: *h}]
"""

ALIAS_CHAIN = b"a0: &a0 [x]\n" + b"".join(
    f"a{i}: &a{i} [*a{i - 1}]\n".encode() for i in range(1, 2000)
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 5000 + b"]" * 5000, "Tệp YAML lồng nhau quá sâu"),
        (b"".join(b" " * i + b"a:\n" for i in range(1500)) + b" " * 1500 + b"b", "quá sâu"),
        (b"{x: " * 3000 + b"1" + b"}" * 3000, "Tệp YAML lồng nhau quá sâu"),
        (ALIAS_CHAIN, "Tệp YAML lồng nhau quá sâu"),
        (BILLION_LAUGHS, "Tệp YAML quá lớn khi mở rộng các tham chiếu"),
        (b"sets: &s\n  - id: vong\n    areas: *s\n", "Tệp YAML có tham chiếu vòng"),
        (
            b'sets:\n  - id: vong\n    areas: &a\n      - {code: "1", title: x, max: 1,'
            b" criteria: *a}\n",
            "Tệp YAML có tham chiếu vòng",
        ),
    ],
    ids=["flow", "block", "mapping", "alias-chain", "billion-laughs", "cycle", "cycle-in-tree"],
)
def test_deeply_nested_or_exploding_yaml_gets_the_import_report(cast, client_as, content, message):
    client = client_as(cast.admin)
    before = counts()
    started = time.monotonic()
    response = _post(client, "bo-tieu-chi.yaml", content)
    assert time.monotonic() - started < 10
    _reported(response, message)
    assert counts() == before


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        (10, "Tiêu chí lồng quá nhiều cấp (tối đa 6 cấp)"),
        (400, "Tệp YAML lồng nhau quá sâu (tối đa 64 cấp)"),
    ],
)
def test_a_criteria_tree_nested_too_deep_is_reported(cast, client_as, levels, message):
    client = client_as(cast.admin)
    before = counts()
    response = _post(client, "bo-tieu-chi.yaml", _chain(levels))
    _reported(response, message)
    assert counts() == before


def test_a_tree_of_the_allowed_depth_still_reads(cast, client_as):
    response = _post(client_as(cast.admin), "bo-tieu-chi.yaml", _chain(6))
    assert response.status_code == 200, response.context["result"].problems
    assert 'name="token"' in response.content.decode()


def _xlsx(mutate):
    stored = draft_set()
    book = workbook(export_xlsx(stored, list(stored.nodes.order_by("position"))))
    mutate(book[MAIN_SHEET])
    stored.delete()
    return save(book)


def test_a_sheet_whose_codes_nest_too_deep_is_reported(cast, client_as):
    def deepen(sheet):
        row, code = sheet.max_row, "1.1.1"
        for _ in range(1200):
            row, code = row + 1, code + ".1"
            sheet.cell(row, COL["code"]).value = code
            sheet.cell(row, COL["title"]).value = "Sâu"
            sheet.cell(row, COL["max"]).value = 1

    content = _xlsx(deepen)
    before = counts()
    response = _post(client_as(cast.admin), "bo-tieu-chi.xlsx", content)
    _reported(response, "Tiêu chí lồng quá nhiều cấp (tối đa 6 cấp)")
    assert counts() == before


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("[" * 5000 + "]" * 5000, "Cột Quy tắc (YAML) không đọc được"),
        (
            "{type: formula, inputs: [a], expression: '" + "(" * 3000 + "a" + ")" * 3000 + "'}",
            "Công thức quá dài (tối đa 1000 ký tự)",
        ),
        (
            "{type: formula, inputs: [a], expression: '" + "(" * 100 + "a" + ")" * 100 + "'}",
            "Công thức lồng nhau quá sâu (tối đa 60 cấp)",
        ),
        (
            "{type: formula, inputs: [a], expression: '" + "+".join(["a"] * 3000) + "'}",
            "Công thức quá dài",
        ),
        (
            "{type: formula, inputs: [a], expression: '" + "-" * 900 + "a'}",
            "Công thức lồng nhau quá sâu",
        ),
    ],
    ids=["yaml", "parentheses", "nested", "long", "unary"],
)
def test_a_rule_cell_nested_too_deep_is_reported(cast, client_as, rule, message):
    def break_it(sheet):
        sheet.cell(row_of(sheet, "1.1.1"), COL["rule"]).value = rule

    content = _xlsx(break_it)
    before = counts()
    response = _post(client_as(cast.admin), "bo-tieu-chi.xlsx", content)
    _reported(response, message)
    assert counts() == before

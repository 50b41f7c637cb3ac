"""The criteria workbook writes officials' text as text, and reads it back unchanged."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cchc.par.io.excel import COLUMNS, INFO_SHEET, MAIN_SHEET, parse_xlsx
from cchc.par.tests.helpers import draft_set, row_of

pytestmark = pytest.mark.django_db

COL = {key: i for i, (key, _, _) in enumerate(COLUMNS, start=1)}
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(1)"]


@pytest.fixture
def hostile():
    criteria_set = draft_set()
    criteria_set.title = HOSTILE[0]
    criteria_set.save(update_fields=["title"])
    nodes = list(criteria_set.nodes.order_by("position"))[:4]
    for node, text in zip(nodes, HOSTILE, strict=True):
        node.title = text
        node.note = text
        node.save(update_fields=["title", "note"])
    return criteria_set, nodes


def test_formula_like_titles_and_notes_are_text_in_the_criteria_workbook(cast, client_as, hostile):
    criteria_set, nodes = hostile
    response = client_as(cast.admin).get(reverse("par_criteria_xlsx", args=[criteria_set.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="bo-tieu-chi-{criteria_set.year}-{criteria_set.unit_type}-v1.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book[MAIN_SHEET]
    cells = [sheet["A1"]]
    for node in nodes:
        row = row_of(sheet, node.code)
        cells += [sheet.cell(row, COL["title"]), sheet.cell(row, COL["note"])]
    info_title = next(
        r[1] for r in book[INFO_SHEET].iter_rows(min_row=2) if r[1].value == HOSTILE[0]
    )
    for cell in [*cells, info_title]:
        assert cell.data_type == "s", cell.value
        assert cell.value in HOSTILE
        assert cell.quotePrefix

    # and the file reads back with the same words
    result = parse_xlsx(response.content)
    assert result.ok, result.problems
    read = {n.code: n for n in result.criteria_set.nodes()}
    assert [read[n.code].title for n in nodes] == HOSTILE

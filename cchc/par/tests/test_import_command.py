import io

import pytest
from django.core.management import CommandError, call_command

from cchc.par.demo import CRITERIA_2023_PATH
from cchc.par.models import CriteriaSet, SetStatus
from cchc.par.tests.helpers import counts

pytestmark = pytest.mark.django_db


def test_it_imports_and_freezes_a_yaml_set():
    out = io.StringIO()
    call_command(
        "par_import_criteria",
        str(CRITERIA_2023_PATH),
        "--year=2023",
        "--unit-type=district",
        "--set-id=huyen-2023",
        "--freeze",
        stdout=out,
    )
    assert CriteriaSet.objects.get().status == SetStatus.FROZEN
    assert "phiên bản 1 (đã khóa), 89 tiêu chí" in out.getvalue()


def test_it_reports_problems_and_saves_nothing(tmp_path):
    bad = tmp_path / "bo-tieu-chi.xlsx"
    bad.write_text("không phải Excel", encoding="utf-8")
    err = io.StringIO()
    before = counts()
    with pytest.raises(CommandError, match="Tệp có 1 lỗi; chưa lưu gì."):
        call_command(
            "par_import_criteria", str(bad), "--year=2026", "--unit-type=department", stderr=err
        )
    assert "Tệp là văn bản thường đổi đuôi" in err.getvalue()
    assert counts() == before

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cchc.par.io import excel
from cchc.par.io.importing import parse_yaml
from cchc.par.models import SCORED_UNIT_TYPES
from cchc.par.selectors.criteria import department_evaluators
from cchc.par.services.criteria import criteria_set_freeze, criteria_set_import


class Command(BaseCommand):
    help = (
        "Nhập bộ tiêu chí Chỉ số CCHC từ tệp Excel (.xlsx) hoặc YAML cho một năm và loại "
        "đơn vị; báo mọi lỗi và không lưu gì nếu tệp có lỗi."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--unit-type", required=True, choices=[value for value, _ in SCORED_UNIT_TYPES]
        )
        parser.add_argument("--set-id", default="", help="Mã bộ tiêu chí khi tệp YAML có nhiều bộ.")
        parser.add_argument("--freeze", action="store_true", help="Khóa bộ tiêu chí sau khi nhập.")

    def handle(self, *args, path, year, unit_type, set_id, freeze, **options):
        content = path.read_bytes()
        if path.suffix.lower() in {".yaml", ".yml"}:
            result = parse_yaml(content, unit_type=unit_type, set_id=set_id)
        else:
            result = excel.parse_xlsx(content, known_evaluators=department_evaluators())
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Tệp có {len(result.problems)} lỗi; chưa lưu gì.")
        try:
            criteria_set = criteria_set_import(
                actor=None,
                year=year,
                unit_type=unit_type,
                criteria=result.criteria_set,
                evaluators=result.evaluators,
                source=path.name,
            )
            if freeze:
                criteria_set_freeze(actor=None, criteria_set=criteria_set)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(
            f"Đã lưu bộ tiêu chí năm {year}, phiên bản {criteria_set.version} "
            f"({criteria_set.get_status_display().lower()}), {result.rows} tiêu chí."
        )

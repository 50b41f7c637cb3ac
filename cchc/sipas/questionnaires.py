"""The forms of a survey, loaded from YAML and checked before anything is stored."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.core.exceptions import ValidationError

from cchc.org.models import UnitType

DATA = Path(__file__).parent / "data" / "questionnaires.yaml"


def read(path: Path = DATA) -> list[dict]:
    """The forms in a YAML file, each checked; raises ValidationError listing every problem."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    forms = raw.get("forms") or []
    problems = []
    for number, form in enumerate(forms, start=1):
        problems += [f"Mẫu phiếu {form.get('code') or number}: {p}" for p in check(form)]
    if not forms:
        problems.append("Tệp không có mẫu phiếu nào (mục forms).")
    if problems:
        raise ValidationError(problems)
    return forms


def check(form: dict) -> list[str]:
    problems = []
    if not form.get("code") or not form.get("title"):
        problems.append("thiếu mã (code) hoặc tên (title).")
    types = form.get("unit_types") or []
    unknown = [t for t in types if t not in UnitType.values]
    if not types or unknown:
        problems.append(f"loại đơn vị không hợp lệ: {', '.join(map(str, unknown)) or 'trống'}.")
    elements = form.get("elements") or []
    if not elements:
        problems.append("không có yếu tố nào.")
    seen: set[str] = set()
    for element in elements:
        items = element.get("items") or []
        if not element.get("code") or not element.get("title"):
            problems.append("một yếu tố thiếu mã hoặc tên.")
        if not items:
            problems.append(f"yếu tố {element.get('code')} không có câu hỏi.")
        for item in items:
            code = str(item.get("code") or "")
            if not code or not item.get("text"):
                problems.append(
                    f"yếu tố {element.get('code')}: một câu hỏi thiếu mã hoặc nội dung."
                )
            elif code in seen:
                problems.append(f"mã câu hỏi {code} bị trùng.")
            seen.add(code)
    for question in form.get("profile") or []:
        if not question.get("code") or not question.get("choices"):
            problems.append("một câu hỏi về người trả lời thiếu mã hoặc lựa chọn.")
    return problems


def definition(form: dict) -> dict:
    """What a Questionnaire row keeps: elements and profile, as plain JSON."""
    return {
        "elements": [
            {
                "code": str(e["code"]),
                "title": e["title"],
                "items": [{"code": str(i["code"]), "text": i["text"]} for i in e["items"]],
            }
            for e in form["elements"]
        ],
        "profile": [
            {
                "code": q["code"],
                "label": q["label"],
                "choices": [[str(v), label] for v, label in q["choices"]],
            }
            for q in form.get("profile") or []
        ],
    }

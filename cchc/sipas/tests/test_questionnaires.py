"""The forms shipped as data: read whole, checked, and refused with every problem named."""

import pytest
from django.core.exceptions import ValidationError

from cchc.sipas import questionnaires


def test_the_shipped_forms_have_five_elements_and_their_items():
    forms = {f["code"]: questionnaires.definition(f) for f in questionnaires.read()}
    counts = {code: [len(e["items"]) for e in d["elements"]] for code, d in forms.items()}
    assert counts == {"chuan": [4, 4, 5, 3, 3], "rut-gon-xa": [2, 2, 2, 2, 1]}
    texts = {i["code"]: i["text"] for e in forms["chuan"]["elements"] for i in e["items"]}
    # an item's text keeps its commas (a YAML flow mapping would cut it at the first)
    assert texts["1.2"] == "Trang thiết bị phục vụ người dân, tổ chức đầy đủ, dễ sử dụng"
    assert texts["2.3"] == "Phí, lệ phí phải nộp là đúng quy định"
    education = forms["chuan"]["profile"][2]["choices"]
    assert ["cao-dang", "Trung cấp, cao đẳng"] in education


def test_a_form_with_problems_is_refused_with_each_named(tmp_path):
    path = tmp_path / "forms.yaml"
    path.write_text(
        "forms:\n"
        "  - code: x\n"
        "    title: Mẫu thử\n"
        "    unit_types: [hanh-tinh]\n"
        "    elements:\n"
        "      - code: '1'\n"
        "        title: Một\n"
        "        items:\n"
        "          - {code: '1.1', text: A}\n"
        "          - {code: '1.1', text: B}\n"
        "      - code: '2'\n"
        "        title: Hai\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as raised:
        questionnaires.read(path)
    messages = " | ".join(raised.value.messages)
    assert "loại đơn vị không hợp lệ: hanh-tinh" in messages
    assert "mã câu hỏi 1.1 bị trùng" in messages
    assert "yếu tố 2 không có câu hỏi" in messages

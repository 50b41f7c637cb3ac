"""Answers built to match seed 003's constructed SIPAS index of each unit, exactly.

The standard form has elements of 4, 4, 5, 3 and 3 items. With 100 valid answers per
item, the unit index in units of 0.01 % is 5·K1 + 5·K2 + 4·K3 + (20/3)·(K4 + K5), where
K_e is the number of satisfied answers summed over element e's items: every index with
two decimals is reached exactly (K4 + K5 a multiple of 3). ``solve`` finds such a
split close to an even spread, ``answers`` turns it into one answer per respondent.
"""

from __future__ import annotations

from decimal import Decimal

from cchc.par import seed003
from cchc.sipas.engine import Element, Form

STANDARD = Form(
    (
        Element("1", "Tiếp cận dịch vụ hành chính công", ("1.1", "1.2", "1.3", "1.4")),
        Element("2", "Thủ tục hành chính", ("2.1", "2.2", "2.3", "2.4")),
        Element("3", "Công chức giải quyết công việc", ("3.1", "3.2", "3.3", "3.4", "3.5")),
        Element("4", "Kết quả giải quyết thủ tục hành chính", ("4.1", "4.2", "4.3")),
        Element("5", "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị", ("5.1", "5.2", "5.3")),
    )
)
N = 100  # valid answers per item
BLANK = 2  # respondents who left every item blank: counted as responses, not as answers
KINDS = {"so": "department", "huyen": "district"}


def solve(index: Decimal) -> tuple[int, int, int, int, int]:
    """(K1..K5) with 5K1 + 5K2 + 4K3 + 20/3 (K4 + K5) = index × 100, near index % each."""
    target = int(index * 100)
    assert target == index * 100, index
    share = index / 100
    best = None
    for k3 in range(int(share * 500) - 10, int(share * 500) + 11):
        for j in range(int(share * 200) - 10, int(share * 200) + 11):  # K4 + K5 = 3j
            rest = target - 4 * k3 - 20 * j
            if not 0 <= k3 <= 500 or not 0 <= 3 * j <= 600 or rest % 5 or not 0 <= rest <= 4000:
                continue
            k12 = rest // 5
            if k12 > 800:
                continue
            cost = abs(k12 - share * 800) + abs(k3 - share * 500) + abs(3 * j - share * 600)
            if best is None or cost < best[0]:
                best = (cost, k12, k3, 3 * j)
    assert best is not None, index
    _, k12, k3, k45 = best
    return (k12 - k12 // 2, k12 // 2, k3, k45 - k45 // 2, k45 // 2)


def _spread(total: int, items: int) -> list[int]:
    base, extra = divmod(total, items)
    return [base + (1 if i < extra else 0) for i in range(items)]


def answers(index: Decimal) -> list[dict]:
    """N + BLANK answers on the standard form whose index is `index` exactly."""
    satisfied = {}
    for element, k in zip(STANDARD.elements, solve(index), strict=True):
        satisfied.update(zip(element.items, _spread(k, len(element.items)), strict=True))
    out = []
    for respondent in range(N):
        # satisfied answers are 4s and 5s, the others 1s to 3s, in a varied pattern
        out.append(
            {
                code: (5 - (respondent + i) % 2) if respondent < s else 1 + (respondent + i) % 3
                for i, (code, s) in enumerate(satisfied.items())
            }
        )
    out += [dict.fromkeys(STANDARD.item_codes) for _ in range(BLANK)]
    return out


def unit_answers(kind: str) -> dict[str, list[dict]]:
    """Seed unit id → its answers."""
    return {unit_id: answers(now) for unit_id, (now, _) in seed003.sipas_indices(kind).items()}

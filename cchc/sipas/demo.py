"""The SIPAS demo: the 2026 survey of the merged province, collecting.

Every surveyed unit (13 departments, 102 communes as ``load_demo`` loads them) gets its
completed cases (plausible procedures, fields and contacts, generated with a fixed
seed), its sample drawn through the real service with a fixed seed per unit, a few
refusals replaced by reserves, and answers from about 70 % of the respondents (each
unit with its own level of satisfaction), so the results pages show figures. Rows go
in with ``bulk_create``; idempotent: an existing 2026 survey is kept as it is.
"""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cchc.org.models import Unit, UnitType
from cchc.sipas.models import (
    Case,
    Channel,
    Draw,
    Respondent,
    RespondentStatus,
    Response,
    Survey,
)
from cchc.sipas.services import sampling

YEAR = 2026
ANSWER_SHARE = 0.70
TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# field -> procedures, by who handles them
COMMUNE_PROCEDURES = {
    "Hộ tịch": [
        "Đăng ký khai sinh",
        "Đăng ký kết hôn",
        "Đăng ký khai tử",
        "Cấp bản sao trích lục hộ tịch",
        "Xác nhận tình trạng hôn nhân",
    ],
    "Chứng thực": [
        "Chứng thực bản sao từ bản chính",
        "Chứng thực chữ ký trong giấy tờ, văn bản",
        "Chứng thực hợp đồng, giao dịch",
    ],
    "Đất đai": [
        "Đăng ký biến động quyền sử dụng đất",
        "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
    ],
    "Bảo trợ xã hội": [
        "Trợ cấp xã hội hằng tháng",
        "Hỗ trợ chi phí mai táng",
    ],
    "Hộ kinh doanh": ["Đăng ký thành lập hộ kinh doanh", "Đăng ký thay đổi nội dung hộ kinh doanh"],
}
DEPARTMENT_PROCEDURES = {
    "SNV": {
        "Công chức, viên chức": ["Thi tuyển công chức", "Xếp hạng chức danh viên chức"],
        "Thi đua, khen thưởng": ["Tặng Bằng khen của Chủ tịch UBND tỉnh"],
    },
    "STP": {
        "Lý lịch tư pháp": ["Cấp phiếu lý lịch tư pháp"],
        "Công chứng": ["Đăng ký hành nghề công chứng"],
        "Quốc tịch": ["Xin nhập quốc tịch Việt Nam"],
    },
    "STC": {
        "Đăng ký doanh nghiệp": [
            "Đăng ký thành lập doanh nghiệp",
            "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
        ],
        "Đầu tư": ["Cấp Giấy chứng nhận đăng ký đầu tư"],
    },
    "SCT": {
        "An toàn thực phẩm": ["Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"],
        "Lưu thông hàng hóa": ["Cấp Giấy phép bán lẻ sản phẩm rượu"],
    },
    "SNNMT": {
        "Đất đai": ["Cấp Giấy chứng nhận quyền sử dụng đất cho tổ chức"],
        "Môi trường": ["Cấp giấy phép môi trường"],
        "Thú y": ["Cấp Giấy chứng nhận kiểm dịch động vật"],
    },
    "SXD": {
        "Xây dựng": ["Cấp giấy phép xây dựng", "Thẩm định báo cáo nghiên cứu khả thi"],
        "Giao thông": ["Cấp Giấy phép lái xe", "Đổi Giấy phép lái xe"],
    },
    "SKHCN": {
        "Tiêu chuẩn đo lường chất lượng": ["Đăng ký công bố hợp chuẩn"],
        "Viễn thông": ["Cấp giấy phép hoạt động in"],
    },
    "SVHTTDL": {
        "Văn hóa": ["Cấp giấy phép tổ chức biểu diễn nghệ thuật"],
        "Du lịch": ["Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa"],
    },
    "SGDDT": {
        "Văn bằng, chứng chỉ": ["Cấp bản sao văn bằng, chứng chỉ từ sổ gốc"],
        "Giáo dục": ["Cho phép trung tâm ngoại ngữ hoạt động"],
    },
    "SYT": {
        "Khám bệnh, chữa bệnh": ["Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh"],
        "Dược": ["Cấp Chứng chỉ hành nghề dược"],
    },
    "TTT": {"Tiếp công dân": ["Tiếp công dân"], "Khiếu nại": ["Giải quyết khiếu nại lần đầu"]},
    "SDTTG": {
        "Tôn giáo": ["Đăng ký sinh hoạt tôn giáo tập trung"],
        "Dân tộc": ["Công nhận người có uy tín trong đồng bào dân tộc thiểu số"],
    },
    "VPUBND": {
        "Kiểm soát thủ tục hành chính": ["Tiếp nhận phản ánh, kiến nghị về quy định hành chính"]
    },
}
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Hoàng",
    "Võ",
    "Phan",
    "Trương",
    "Bùi",
    "Đặng",
    "Đỗ",
    "Ngô",
    "Dương",
    "Lý",
    "Châu",
    "Thạch",
    "Danh",
]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hoàng", "Hữu", "Kim", "Quốc", "Thị Kim"]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Hạnh",
    "Hòa",
    "Hùng",
    "Khoa",
    "Lan",
    "Linh",
    "Lộc",
    "Mai",
    "Nam",
    "Nhung",
    "Phúc",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
]
HAMLETS = [
    "ấp Bình Hòa",
    "ấp Phú Hiệp",
    "ấp Long Thạnh",
    "ấp Tân Lập",
    "khóm Đông Thịnh",
    "khóm Tây Khánh",
    "ấp Mỹ Phú",
    "ấp Vĩnh Lợi",
]
SUGGESTIONS = [
    "Mong bộ phận một cửa có thêm ghế ngồi chờ.",
    "Cán bộ hướng dẫn tận tình, cảm ơn.",
    "Nên nhắn tin báo khi có kết quả.",
    "Thời gian chờ hơi lâu vào buổi sáng.",
    "Cần hướng dẫn nộp hồ sơ trực tuyến rõ hơn.",
]


def _procedures(unit: Unit) -> dict[str, list[str]]:
    if unit.unit_type == UnitType.DEPARTMENT:
        return DEPARTMENT_PROCEDURES.get(unit.code) or {"Tổng hợp": ["Thủ tục chung của sở"]}
    return COMMUNE_PROCEDURES


def _cases(survey: Survey, unit: Unit, rng: random.Random) -> list[Case]:
    low, high = (150, 900) if unit.unit_type == UnitType.DEPARTMENT else (60, 400)
    count = rng.randint(low, high)
    fields = _procedures(unit)
    names = list(fields)
    weights = [len(names) - i for i in range(len(names))]  # the first field is the busiest
    days = (survey.period_end - survey.period_start).days
    cases = []
    for n in range(1, count + 1):
        field = rng.choices(names, weights)[0]
        day = survey.period_start + datetime.timedelta(days=rng.randint(0, days))
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        cases.append(
            Case(
                survey=survey,
                unit=unit,
                case_id=f"{unit.code}-{day:%y%m%d}-{n:04d}",
                procedure=rng.choice(fields[field]),
                field=field,
                completed_on=day,
                contact_name=name,
                contact_address=f"Số {rng.randint(1, 250)}, {rng.choice(HAMLETS)}, {unit.name}",
                contact_phone=f"09{rng.randint(0, 99_999_999):08d}",
                contact_email=f"nguoidan{unit.pk}.{n}@example.vn" if rng.random() < 0.3 else "",
            )
        )
    return cases


def _answer(rng: random.Random, satisfied: float) -> int | None:
    roll = rng.random()
    if roll < 0.01:
        return None  # left blank
    if rng.random() < satisfied:
        return 5 if rng.random() < 0.45 else 4
    return rng.choice((1, 2, 3, 3, 3))


def _responses(survey: Survey, rng: random.Random) -> list[Response]:
    in_sample = (
        Respondent.objects.filter(survey=survey, draw__current=True)
        .filter(Q(reserve=False) | Q(activated_at__isnull=False))
        .exclude(status=RespondentStatus.REFUSED)
        .select_related("questionnaire", "case")
    )
    satisfied: dict[int, float] = {}
    start = datetime.datetime(YEAR, 10, 5, 8, 0, tzinfo=TZ)
    responses = []
    for r in in_sample.order_by("unit_id", "position"):
        if rng.random() >= ANSWER_SHARE:
            continue
        level = satisfied.setdefault(r.unit_id, rng.uniform(0.78, 0.97))
        form = r.questionnaire
        profile = {q["code"]: rng.choice(q["choices"])[0] for q in form.profile}
        responses.append(
            Response(
                survey=survey,
                unit_id=r.unit_id,
                respondent=r,
                questionnaire=form,
                channel=Channel.ONLINE if rng.random() < 0.35 else Channel.PAPER,
                answers={code: _answer(rng, level) for code in form.item_codes},
                profile=profile,
                procedure=r.case.procedure,
                suggestion=rng.choice(SUGGESTIONS) if rng.random() < 0.15 else "",
                submitted_at=start + datetime.timedelta(minutes=rng.randint(0, 50 * 24 * 60)),
            )
        )
    return responses


def load_demo(stdout) -> None:
    if Survey.objects.filter(year=YEAR).exists():
        stdout.write(f"Khảo sát SIPAS {YEAR}: đã có, giữ nguyên.")
        return
    with transaction.atomic():
        survey = _load()
    stdout.write(
        f"Khảo sát SIPAS {YEAR}: {Case.objects.filter(survey=survey).count()} hồ sơ, "
        f"{Draw.objects.filter(survey=survey, current=True).count()} đơn vị chọn mẫu, "
        f"{Response.objects.filter(survey=survey).count()} phiếu trả lời."
    )


def _load() -> Survey:
    rng = random.Random(YEAR)  # noqa: S311 - demo data, reproducible on purpose
    survey = sampling.survey_create(
        actor=None,
        year=YEAR,
        title=f"Khảo sát sự hài lòng của người dân, tổ chức năm {YEAR}",
        period_start=datetime.date(YEAR - 1, 10, 1),
        period_end=datetime.date(YEAR, 9, 30),
        # the demo takes answers for a month from the day it is loaded
        answers_until=max(
            datetime.date(YEAR, 11, 30), timezone.localdate() + datetime.timedelta(days=30)
        ),
        quota_by_field=True,
    )
    units = sorted(sampling.surveyed_units(), key=lambda u: u.code)
    cases = [case for unit in units for case in _cases(survey, unit, rng)]
    Case.objects.bulk_create(cases, batch_size=2000)
    forms = list(survey.questionnaires.all())
    for unit in units:
        sampling.sample_draw(
            actor=None, survey=survey, unit=unit, seed=f"demo-{YEAR}-{unit.code}", forms=forms
        )
    sampling.survey_open(actor=None, survey=survey)
    # a few refusals, each replaced by the unit's next reserve
    for unit in units[:: max(1, len(units) // 8)]:
        first = (
            Respondent.objects.filter(survey=survey, unit=unit, reserve=False)
            .select_related("survey", "draw", "unit")
            .order_by("position")
            .first()
        )
        if first is not None:
            sampling.respondent_refuse(actor=None, respondent=first, note="Không liên lạc được")
    responses = _responses(survey, rng)
    Response.objects.bulk_create(responses, batch_size=2000)
    Respondent.objects.filter(pk__in=[r.respondent_id for r in responses]).update(
        status=RespondentStatus.ANSWERED
    )
    return survey

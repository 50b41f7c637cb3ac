"""SIPAS, the survey of citizens' and organisations' satisfaction, as data.

One ``Survey`` per year. Its ``Questionnaire`` rows are the forms of that year (a
standard form for departments, a short form for communes), each a frozen copy of its
definition (elements, items on a 1–5 scale, respondent profile) so a later change of
the form never changes what was answered.

The chain: Sở Nội vụ imports each unit's completed cases (``Case``: the population,
with the contact data that is personal data and is blanked when the survey closes),
draws each unit's sample (``Draw``: N, n = N / (1 + N·e²), the seed that reproduces
it) whose rows are ``Respondent``s, each with a short code printed on its paper form
and carried by its one-time link; reserves replace refusals. An answer is counted
once, as one ``Response`` per respondent, whether it came online or from a paper
form keyed twice (``PaperEntry`` rounds 1 and 2, by two people; a disagreement is
resolved by a third look before anything is counted).

Changes go through ``cchc.sipas.services`` only, each with an audit entry.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from cchc.org.models import Unit, UnitType

# Scale of every item: 1 rất không hài lòng … 5 rất hài lòng.
SCALE = (
    (1, "Rất không hài lòng"),
    (2, "Không hài lòng"),
    (3, "Bình thường"),
    (4, "Hài lòng"),
    (5, "Rất hài lòng"),
)
SCALE_VALUES = frozenset(v for v, _ in SCALE)

# The alphabet of respondents' codes: no 0/O, 1/I/L, so a code read off paper is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


class SurveyStatus(models.TextChoices):
    PREPARING = "preparing", "Đang chuẩn bị (nhập hồ sơ, chọn mẫu)"
    COLLECTING = "collecting", "Đang thu phiếu"
    CLOSED = "closed", "Đã kết thúc"


class Channel(models.TextChoices):
    PAPER = "paper", "Phiếu giấy"
    ONLINE = "online", "Trực tuyến"


class RespondentStatus(models.TextChoices):
    PENDING = "pending", "Chưa trả lời"
    REFUSED = "refused", "Từ chối, không liên hệ được"
    ANSWERED = "answered", "Đã trả lời"


class Survey(models.Model):
    year = models.PositiveSmallIntegerField("năm", unique=True)
    title = models.CharField("tên đợt khảo sát", max_length=300)
    period_start = models.DateField("hồ sơ giải quyết từ ngày")
    period_end = models.DateField("hồ sơ giải quyết đến ngày")
    answers_until = models.DateField("nhận phiếu đến ngày")
    # e of n = N / (1 + N·e²): 0.05 is the 5 % margin of error the Ministry's guidance uses
    margin = models.DecimalField(
        "sai số cho phép (e)", max_digits=4, decimal_places=3, default=Decimal("0.05")
    )
    # reserves drawn beside the sample, as a share of n, rounded up (refusals, no contact)
    reserve_share = models.DecimalField(
        "tỷ lệ mẫu dự phòng", max_digits=4, decimal_places=2, default=Decimal("0.20")
    )
    # allocate n across procedure fields in proportion to their cases (quotas)
    quota_by_field = models.BooleanField("phân bổ mẫu theo lĩnh vực", default=False)
    # the index's formula and rounding (cchc.sipas.engine.Formula fields; {} = the default)
    formula = models.JSONField("công thức tính chỉ số", default=dict, blank=True)
    status = models.CharField(
        "trạng thái", max_length=12, choices=SurveyStatus.choices, default=SurveyStatus.PREPARING
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    contacts_removed_at = models.DateTimeField("xóa thông tin liên hệ lúc", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "đợt khảo sát SIPAS"
        verbose_name_plural = "đợt khảo sát SIPAS"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(margin__gt=0) & Q(margin__lt=1), name="sipas_survey_margin"
            ),
            models.CheckConstraint(
                condition=Q(reserve_share__gte=0) & Q(reserve_share__lte=5),
                name="sipas_survey_reserve_share",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="sipas_survey_period",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Questionnaire(models.Model):
    """One form of a year: its definition frozen as data.

    ``definition``: {"elements": [{"code", "title", "items": [{"code", "text"}]}],
    "profile": [{"code", "label", "choices": [[value, label], …]}]}. Validated on load
    by ``cchc.sipas.questionnaires``.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questionnaires")
    code = models.SlugField("mã mẫu phiếu", max_length=40)
    title = models.CharField("tên mẫu phiếu", max_length=300)
    # the unit types that answer this form (UnitType values)
    unit_types = models.JSONField("loại đơn vị áp dụng", default=list)
    definition = models.JSONField("nội dung phiếu")
    source = models.CharField("căn cứ", max_length=300, blank=True)
    version = models.PositiveIntegerField("phiên bản", default=1)

    class Meta:
        verbose_name = "mẫu phiếu khảo sát"
        verbose_name_plural = "mẫu phiếu khảo sát"
        ordering = ["survey", "code"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="sipas_questionnaire_code"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def elements(self) -> list[dict]:
        return self.definition.get("elements", [])

    @property
    def item_codes(self) -> list[str]:
        return [item["code"] for element in self.elements for item in element["items"]]

    @property
    def profile(self) -> list[dict]:
        return self.definition.get("profile", [])


class Case(models.Model):
    """A completed administrative case of the period: one member of the population.

    The contact fields are personal data: only the survey's administrators see them,
    they are never exported with answers, and closing the survey blanks them.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="cases")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    case_id = models.CharField("mã hồ sơ", max_length=100)
    procedure = models.CharField("thủ tục hành chính", max_length=500)
    field = models.CharField("lĩnh vực", max_length=200, blank=True)
    completed_on = models.DateField("ngày trả kết quả")
    contact_name = models.CharField("người nộp hồ sơ", max_length=200, blank=True)
    contact_address = models.CharField(
        "địa chỉ nhận phiếu qua bưu chính", max_length=500, blank=True
    )
    contact_phone = models.CharField("số điện thoại", max_length=30, blank=True)
    contact_email = models.EmailField("thư điện tử", max_length=200, blank=True)
    imported_at = models.DateTimeField("nhập lúc", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "hồ sơ đã giải quyết"
        verbose_name_plural = "hồ sơ đã giải quyết"
        ordering = ["unit", "case_id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "case_id"], name="sipas_case_id"),
        ]
        indexes = [models.Index(fields=["survey", "unit"], name="sipas_case_unit")]

    def __str__(self) -> str:
        return self.case_id


class Draw(models.Model):
    """One unit's sample as drawn: enough to draw it again and get the same rows."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="draws")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    population = models.PositiveIntegerField("số hồ sơ (N)")
    sample_size = models.PositiveIntegerField("cỡ mẫu (n)")
    reserve_size = models.PositiveIntegerField("số mẫu dự phòng")
    margin = models.DecimalField("sai số (e)", max_digits=4, decimal_places=3)
    seed = models.CharField("hạt giống ngẫu nhiên", max_length=64)
    # per field: {"field": [N of the field, n of the field]} when quotas applied
    quotas = models.JSONField("phân bổ theo lĩnh vực", default=dict, blank=True)
    algorithm = models.CharField("cách chọn", max_length=40, default="random-sample-v1")
    current = models.BooleanField(default=True)
    drawn_at = models.DateTimeField("chọn lúc", auto_now_add=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "lần chọn mẫu"
        verbose_name_plural = "lần chọn mẫu"
        ordering = ["survey", "unit", "-drawn_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "unit"], condition=Q(current=True), name="sipas_draw_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: n = {self.sample_size} / N = {self.population}"


class Respondent(models.Model):
    """A sampled case (or a reserve) with the code of its form and link."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="respondents")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="respondents")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    code = models.CharField("mã phiếu", max_length=CODE_LENGTH, unique=True)
    position = models.PositiveIntegerField("thứ tự")
    reserve = models.BooleanField("mẫu dự phòng", default=False)
    # a reserve is brought in for a refusal: it then counts in the sample
    activated_at = models.DateTimeField("đưa vào mẫu lúc", null=True, blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    status = models.CharField(
        "trạng thái",
        max_length=10,
        choices=RespondentStatus.choices,
        default=RespondentStatus.PENDING,
    )
    status_note = models.CharField("ghi chú", max_length=300, blank=True)
    # the online form's answers saved as the respondent goes (resumable), not counted
    draft = models.JSONField("bản nháp trực tuyến", null=True, blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "người được khảo sát"
        verbose_name_plural = "người được khảo sát"
        ordering = ["survey", "unit", "reserve", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "position"], name="sipas_respondent_position"),
            models.UniqueConstraint(fields=["draw", "case"], name="sipas_respondent_case"),
        ]
        indexes = [models.Index(fields=["survey", "unit"], name="sipas_respondent_unit")]

    def __str__(self) -> str:
        return self.code

    @property
    def in_sample(self) -> bool:
        return not self.reserve or self.activated_at is not None


class Response(models.Model):
    """One counted answer: from the online form, or a paper form keyed twice and agreed."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    respondent = models.OneToOneField(Respondent, on_delete=models.PROTECT, related_name="response")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField("hình thức", max_length=10, choices=Channel.choices)
    # item code → 1..5, or None where the respondent left it blank
    answers = models.JSONField("câu trả lời")
    # profile code → chosen value (sex, age band, education)
    profile = models.JSONField("thông tin người trả lời", default=dict, blank=True)
    procedure = models.CharField("thủ tục đã thực hiện", max_length=500, blank=True)
    suggestion = models.TextField("góp ý", blank=True)
    submitted_at = models.DateTimeField("ghi nhận lúc")

    class Meta:
        verbose_name = "phiếu trả lời"
        verbose_name_plural = "phiếu trả lời"
        ordering = ["survey", "unit", "submitted_at"]
        indexes = [models.Index(fields=["survey", "unit"], name="sipas_response_unit")]

    def __str__(self) -> str:
        return f"{self.respondent} ({self.get_channel_display()})"


class PaperEntry(models.Model):
    """One keying of a paper form. Two rounds by two people; they must agree."""

    respondent = models.ForeignKey(
        Respondent, on_delete=models.CASCADE, related_name="paper_entries"
    )
    round = models.PositiveSmallIntegerField("lần nhập")
    answers = models.JSONField("câu trả lời")
    profile = models.JSONField("thông tin người trả lời", default=dict, blank=True)
    procedure = models.CharField("thủ tục đã thực hiện", max_length=500, blank=True)
    suggestion = models.TextField("góp ý", blank=True)
    entered_at = models.DateTimeField("nhập lúc", auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "lần nhập phiếu giấy"
        verbose_name_plural = "lần nhập phiếu giấy"
        ordering = ["respondent", "round"]
        constraints = [
            models.UniqueConstraint(fields=["respondent", "round"], name="sipas_paper_round"),
            models.CheckConstraint(condition=Q(round__in=[1, 2]), name="sipas_paper_round_1_2"),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} – lần {self.round}"


# Which unit types take part in SIPAS (the province itself is not surveyed).
SURVEYED_UNIT_TYPES = (UnitType.DEPARTMENT, UnitType.COMMUNE, UnitType.DISTRICT)

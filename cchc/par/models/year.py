"""The evaluation year (kỳ đánh giá) of the PAR Index and everything a unit does in it.

One ``EvaluationYear`` per year, opened by Sở Nội vụ with the frozen criteria set of
each unit type (``YearSet``), the evaluating department of each area
(``AreaEvaluator``) and four windows (self-assessment, appraisal round 1,
explanation, appraisal round 2), each extendable for one unit with a reason
(``WindowExtension``). Each unit taking part has a ``Participation`` (its state in the
year) and one ``Entry`` per leaf of its set: the unit's inputs, the appraisers' two
rounds and the unit's explanation, side by side in one row so a workspace is one
query. Evidence files (``Evidence``) belong to the participation and are linked to
leaves (``EvidenceLink``). Finalising stores the engine's results (``UnitResult``).

Points are never computed here: ``cchc.par.services.scoring`` hands the rows to the
engine. Changes go through ``cchc.par.services`` only, each with an audit entry;
after submission nothing is hard-deleted (evidence links are ended, not removed).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

from cchc.par.models.criteria import SCORED_UNIT_TYPES, CriteriaNode, CriteriaSet


class YearStatus(models.TextChoices):
    OPEN = "open", "Đang đánh giá"
    FINALISED = "finalised", "Đã chốt kết quả"
    PUBLISHED = "published", "Đã công bố kết quả"


class Stage(models.TextChoices):
    """The four windows of a year, in order."""

    SELF = "self", "Tự đánh giá"
    ROUND1 = "round1", "Thẩm định vòng 1"
    EXPLANATION = "explanation", "Giải trình"
    ROUND2 = "round2", "Thẩm định vòng 2"


STAGE_FIELDS = {
    Stage.SELF: ("self_start", "self_end"),
    Stage.ROUND1: ("round1_start", "round1_end"),
    Stage.EXPLANATION: ("explanation_start", "explanation_end"),
    Stage.ROUND2: ("round2_start", "round2_end"),
}


class EvaluationYear(models.Model):
    year = models.PositiveSmallIntegerField("năm đánh giá", unique=True)
    title = models.CharField("tên kỳ đánh giá", max_length=300)
    status = models.CharField(
        "trạng thái", max_length=12, choices=YearStatus.choices, default=YearStatus.OPEN
    )
    # Windows: inclusive local days (Asia/Ho_Chi_Minh); cchc.lib.dates.day_range
    # turns them into aware instants.
    self_start = models.DateField("tự đánh giá từ ngày")
    self_end = models.DateField("tự đánh giá đến ngày")
    round1_start = models.DateField("thẩm định vòng 1 từ ngày")
    round1_end = models.DateField("thẩm định vòng 1 đến ngày")
    explanation_start = models.DateField("giải trình từ ngày")
    explanation_end = models.DateField("giải trình đến ngày")
    round2_start = models.DateField("thẩm định vòng 2 từ ngày")
    round2_end = models.DateField("thẩm định vòng 2 đến ngày")
    # engine.RoundingPolicy fields that differ from An Giang 2023's ({} = AN_GIANG_2023)
    rounding = models.JSONField("quy tắc làm tròn", default=dict, blank=True)
    opened_at = models.DateTimeField("mở lúc", auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalised_at = models.DateTimeField("chốt lúc", null=True, blank=True)
    published_at = models.DateTimeField("công bố lúc", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "kỳ đánh giá Chỉ số CCHC"
        verbose_name_plural = "kỳ đánh giá Chỉ số CCHC"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in YearStatus]), name="par_year_status"
            ),
            models.CheckConstraint(
                condition=Q(self_start__lte=models.F("self_end"))
                & Q(round1_start__lte=models.F("round1_end"))
                & Q(explanation_start__lte=models.F("explanation_end"))
                & Q(round2_start__lte=models.F("round2_end")),
                name="par_year_windows_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status="open")
                | Q(status="finalised", finalised_at__isnull=False)
                | Q(status="published", finalised_at__isnull=False, published_at__isnull=False),
                name="par_year_status_times",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Chỉ số CCHC năm {self.year}"

    @property
    def is_open(self) -> bool:
        return self.status == YearStatus.OPEN

    @property
    def is_published(self) -> bool:
        return self.status == YearStatus.PUBLISHED

    def window(self, stage: Stage | str) -> tuple[date, date]:
        start, end = STAGE_FIELDS[Stage(stage)]
        return getattr(self, start), getattr(self, end)


class YearSet(models.Model):
    """The frozen criteria set a year uses for one unit type."""

    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="sets")
    unit_type = models.CharField("loại đơn vị", max_length=20, choices=SCORED_UNIT_TYPES)
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name="bộ tiêu chí", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "bộ tiêu chí của kỳ đánh giá"
        constraints = [
            models.UniqueConstraint(fields=["year", "unit_type"], name="par_yearset_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.criteria_set}"


class AreaEvaluator(models.Model):
    """The department that evaluates one area (lĩnh vực) in a year.

    Carries ``evaluator_code`` like a criteria area, so it answers
    ``access.can(user, Action.APPRAISE, unit, area=…)`` directly.
    """

    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="evaluators")
    area_code = models.CharField("lĩnh vực", max_length=30)
    area_title = models.TextField("tên lĩnh vực")
    department = models.ForeignKey(
        "org.Unit",
        verbose_name="cơ quan thẩm định",
        on_delete=models.PROTECT,
        related_name="+",
    )
    # the department's code when the year was opened (a merged department keeps its
    # history through Unit.lineage_ids)
    evaluator_code = models.CharField("mã cơ quan thẩm định", max_length=30)

    class Meta:
        verbose_name = "cơ quan thẩm định lĩnh vực"
        ordering = ["year", "area_code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "area_code"], name="par_areaevaluator_unique"),
        ]

    def __str__(self) -> str:
        return f"Lĩnh vực {self.area_code}: {self.department}"


class WindowExtension(models.Model):
    """One unit's later end of one window, with the reason."""

    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField("giai đoạn", max_length=12, choices=Stage.choices)
    ends_on = models.DateField("gia hạn đến ngày")
    reason = models.TextField("lý do")
    created_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "gia hạn"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "stage"], name="par_windowextension_unique"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="par_windowextension_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.get_stage_display()} đến {self.ends_on:%d/%m/%Y}"


class ParticipationState(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa bắt đầu"
    IN_PROGRESS = "in_progress", "Đang tự đánh giá"
    SUBMITTED = "submitted", "Đã gửi, chờ thẩm định"
    IN_APPRAISAL = "in_appraisal", "Đang thẩm định vòng 1"
    RETURNED = "returned", "Trả lại để giải trình"
    EXPLAINED = "explained", "Đã giải trình, thẩm định vòng 2"
    APPRAISED = "appraised", "Đã thẩm định xong"
    FINALISED = "finalised", "Đã chốt kết quả"


# States in which the unit may still change its own entry.
UNIT_EDITABLE_STATES = frozenset({ParticipationState.NOT_STARTED, ParticipationState.IN_PROGRESS})


class Participation(models.Model):
    """One unit in one year: its set, its state, its submission."""

    year = models.ForeignKey(
        EvaluationYear, on_delete=models.CASCADE, related_name="participations"
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="par_participations"
    )
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        "trạng thái",
        max_length=14,
        choices=ParticipationState.choices,
        default=ParticipationState.NOT_STARTED,
    )
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    explained_at = models.DateTimeField("giải trình lúc", null=True, blank=True)
    # bumped by every state change; a form carries it so a stale click is refused
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "đơn vị tham gia đánh giá"
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="par_participation_unique"),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in ParticipationState]),
                name="par_participation_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.year}"

    @property
    def unit_may_edit(self) -> bool:
        return self.state in UNIT_EDITABLE_STATES


class Decision(models.TextChoices):
    """An appraiser's decision on one leaf in one round."""

    ACCEPTED = "accepted", "Đồng ý kết quả tự chấm"
    ADJUSTED = "adjusted", "Điều chỉnh điểm"
    RETURNED = "returned", "Đề nghị giải trình, bổ sung"


class Entry(models.Model):
    """One leaf of one unit's set in one year: the unit's inputs and both rounds.

    ``*_inputs`` are the rule's raw inputs (engine format); ``*_points`` the points
    they gave when saved (or, for an appraiser who sets points directly, those
    points, with ``*_inputs`` left empty). Survey leaves (area 9) are entered by Sở
    Nội vụ in ``self_inputs``, never by the unit.
    """

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="entries"
    )
    node = models.ForeignKey(CriteriaNode, on_delete=models.PROTECT, related_name="+")
    exempt = models.BooleanField("không áp dụng", default=False)
    exempt_reason = models.TextField("lý do không áp dụng", blank=True)
    # the unit
    self_inputs = models.JSONField("dữ liệu tự đánh giá", null=True, blank=True)
    self_points = models.DecimalField(
        "điểm tự đánh giá", max_digits=7, decimal_places=3, null=True, blank=True
    )
    self_note = models.TextField("thuyết minh của đơn vị", blank=True)
    self_at = models.DateTimeField(null=True, blank=True)
    self_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # appraisal round 1
    r1_decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    r1_inputs = models.JSONField(null=True, blank=True)
    r1_points = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    r1_comment = models.TextField("ý kiến thẩm định vòng 1", blank=True)
    r1_at = models.DateTimeField(null=True, blank=True)
    r1_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the unit's explanation (giải trình) of a returned leaf
    explanation = models.TextField("giải trình của đơn vị", blank=True)
    explanation_inputs = models.JSONField(null=True, blank=True)
    explanation_at = models.DateTimeField(null=True, blank=True)
    explanation_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # appraisal round 2 (returned leaves only)
    r2_decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    r2_inputs = models.JSONField(null=True, blank=True)
    r2_points = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    r2_comment = models.TextField("ý kiến thẩm định vòng 2", blank=True)
    r2_at = models.DateTimeField(null=True, blank=True)
    r2_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # optimistic concurrency: a save names the version it started from
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kết quả chấm tiêu chí"
        ordering = ["participation", "node__position"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "node"], name="par_entry_unique"),
            models.CheckConstraint(
                condition=Q(r1_decision__in=["", *Decision.values]), name="par_entry_r1_decision"
            ),
            models.CheckConstraint(
                condition=Q(r2_decision__in=["", *Decision.values]), name="par_entry_r2_decision"
            ),
            # an adjustment or a return always says why
            models.CheckConstraint(
                condition=Q(r1_decision__in=["", "accepted"]) | ~Q(r1_comment=""),
                name="par_entry_r1_comment",
            ),
            models.CheckConstraint(
                condition=Q(r2_decision__in=["", "accepted"]) | ~Q(r2_comment=""),
                name="par_entry_r2_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participation} – {self.node.code}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # the stored name is the content's hash: nothing of the user's name reaches the disk
    participation = instance.participation
    return f"{participation.year.year}/{participation.unit_id}/{instance.sha256}.{instance.ext}"


class _EvidenceStorage(LazyObject):
    """settings.STORAGES["evidence"], looked up when first used (and again after a
    test changes STORAGES): outside the web root, never given a public URL; object
    storage is a setting."""

    def _setup(self):
        self._wrapped = storages["evidence"]


evidence_files = _EvidenceStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        evidence_files._wrapped = empty


def evidence_storage():
    return evidence_files


class Evidence(models.Model):
    """A file a unit uploaded as evidence for the year; linked to one or more leaves."""

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_upload_to, storage=evidence_storage, max_length=300)
    name = models.CharField("tên tệp", max_length=255)
    ext = models.CharField(max_length=10)
    kind = models.CharField(max_length=20)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # generated by the product (criterion 1.4's news evidence), not uploaded
    generated = models.BooleanField(default=False)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"
        ordering = ["-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "sha256"],
                condition=Q(removed_at__isnull=True),
                name="par_evidence_unique_content",
                violation_error_message="Tệp này đã được tải lên.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EvidenceLink(models.Model):
    """Evidence for one leaf, with where in the file it is (page, section)."""

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="links")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="evidence_links")
    location = models.CharField("vị trí trong tài liệu", max_length=300, blank=True)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.SELF)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "liên kết tài liệu kiểm chứng"
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "entry"],
                condition=Q(removed_at__isnull=True),
                name="par_evidencelink_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evidence} → {self.entry}"


class UnitResult(models.Model):
    """A unit's final result, stored by finalising: the engine's numbers, frozen."""

    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="par_results")
    unit_type = models.CharField(max_length=20, choices=SCORED_UNIT_TYPES)
    total = models.DecimalField("Chỉ số CCHC", max_digits=7, decimal_places=2)
    exact_total = models.DecimalField(max_digits=12, decimal_places=6)
    appraised = models.DecimalField(max_digits=9, decimal_places=4)
    survey = models.DecimalField(max_digits=9, decimal_places=4)
    group = models.CharField("nhóm", max_length=5)
    rank = models.PositiveIntegerField("xếp hạng")
    ranking_group = models.CharField(max_length=20)
    # area code → {"points", "max", "applicable_max", "index"} as decimal strings
    areas = models.JSONField(default=dict)
    # every node: code → [points, applicable_max] as decimal strings
    nodes = models.JSONField(default=dict)

    class Meta:
        verbose_name = "kết quả Chỉ số CCHC của đơn vị"
        ordering = ["year", "unit_type", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="par_unitresult_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.year}: {self.total}"


class YearSummary(models.Model):
    """Finalising's averages per unit type: the engine's ``Summary``, frozen."""

    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="summaries")
    unit_type = models.CharField(max_length=20, choices=SCORED_UNIT_TYPES)
    unit_count = models.PositiveIntegerField()
    average_total = models.DecimalField(max_digits=12, decimal_places=6)
    group_counts = models.JSONField(default=dict)
    # node code → {"max", "units", "average_points", "index"} as decimal strings
    nodes = models.JSONField(default=dict)
    # The previous year's figures as published, for a year before the platform:
    # {"year": 2022, "average": "88.1" or None, "areas": {code: index}} (decimal strings).
    previous_published = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "unit_type"], name="par_yearsummary_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} – {self.get_unit_type_display()}"


class NotificationKind(models.TextChoices):
    WINDOW_OPENS = "window_opens", "Mở giai đoạn"
    DEADLINE_SOON = "deadline_soon", "Sắp hết hạn"
    SUBMITTED = "submitted", "Đã nhận bản tự đánh giá"
    RETURNED = "returned", "Đề nghị giải trình"
    PUBLISHED = "published", "Công bố kết quả"


class Notification(models.Model):
    """What the landing page shows a user, and what was e-mailed to them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="par_notifications"
    )
    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    # makes sending idempotent: one notification per user and key
    key = models.CharField(max_length=120)
    text = models.CharField(max_length=400)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="par_notification_unique"),
        ]

    def __str__(self) -> str:
        return self.text

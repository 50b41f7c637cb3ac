"""Reform targets as data: a year's plan, its indicators, their targets and reported values.

A value is never changed in place: a correction is a new row (``version`` + 1) that
supersedes the current one, which stays as history (``current=False``). One current
value per indicator, unit and period is a database constraint.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from cchc.org.models import Unit, UnitType


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ACTIVE = "active", "Đang áp dụng"


class Direction(models.TextChoices):
    HIGHER = "higher", "Càng cao càng tốt"
    LOWER = "lower", "Càng thấp càng tốt"


class Measure(models.TextChoices):
    PERCENT = "percent", "Tỷ lệ (%)"
    COUNT = "count", "Số lượng"
    RANK = "rank", "Thứ hạng"


class PeriodKind(models.TextChoices):
    MONTH = "month", "Tháng"
    QUARTER = "quarter", "Quý"


class Plan(models.Model):
    year = models.PositiveSmallIntegerField("năm", unique=True)
    title = models.CharField("tên kế hoạch", max_length=300)
    source_document = models.CharField("văn bản", max_length=300, blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)

    class Meta:
        verbose_name = "kế hoạch chỉ tiêu CCHC"
        verbose_name_plural = "kế hoạch chỉ tiêu CCHC"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active"]), name="targets_plan_status"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField("mã chỉ tiêu", max_length=60)
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    name = models.CharField("tên chỉ tiêu", max_length=300)
    definition = models.TextField("cách tính", blank=True)
    numerator_label = models.CharField("tử số", max_length=300)
    denominator_label = models.CharField("mẫu số", max_length=300, blank=True)
    direction = models.CharField(
        "chiều tốt", max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    measure = models.CharField(
        "đơn vị tính", max_length=10, choices=Measure.choices, default=Measure.PERCENT
    )
    deadline = models.DateField("thời hạn")
    source = models.CharField("nguồn", max_length=300, blank=True)

    class Meta:
        verbose_name = "chỉ tiêu CCHC"
        verbose_name_plural = "chỉ tiêu CCHC"
        ordering = ["plan", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="targets_indicator_code"),
            models.CheckConstraint(
                condition=Q(direction__in=["higher", "lower"]), name="targets_indicator_direction"
            ),
            models.CheckConstraint(
                condition=Q(measure__in=["percent", "count", "rank"]),
                name="targets_indicator_measure",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_percent(self) -> bool:
        return self.measure == Measure.PERCENT


class Target(models.Model):
    """The target of an indicator for a level (every unit of a type) or for one unit,
    which takes precedence over its level's."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    level = models.CharField("cấp", max_length=20, choices=UnitType.choices, blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField("chỉ tiêu", max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = "mức chỉ tiêu"
        verbose_name_plural = "mức chỉ tiêu"
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=True) & ~Q(level=""))
                | (Q(unit__isnull=False) & Q(level="")),
                name="targets_target_level_or_unit",
            ),
            models.UniqueConstraint(
                fields=["indicator", "level"],
                condition=Q(unit__isnull=True),
                name="targets_target_one_per_level",
            ),
            models.UniqueConstraint(
                fields=["indicator", "unit"],
                condition=Q(unit__isnull=False),
                name="targets_target_one_per_unit",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="targets_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class ValueQuerySet(models.QuerySet):
    def current(self) -> ValueQuerySet:
        return self.filter(current=True)


class Value(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period_kind = models.CharField("loại kỳ", max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    numerator = models.DecimalField("tử số", max_digits=14, decimal_places=2)
    denominator = models.DecimalField(
        "mẫu số", max_digits=14, decimal_places=2, null=True, blank=True
    )
    note = models.CharField("ghi chú, nguồn số liệu", max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField("nhập lúc")
    version = models.PositiveIntegerField("phiên bản", default=1)
    current = models.BooleanField("đang dùng", default=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    objects = ValueQuerySet.as_manager()

    class Meta:
        verbose_name = "số liệu chỉ tiêu CCHC"
        verbose_name_plural = "số liệu chỉ tiêu CCHC"
        ordering = ["indicator", "unit", "period_start", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period_start"],
                condition=Q(current=True),
                name="targets_value_one_current",
            ),
            models.UniqueConstraint(
                fields=["indicator", "unit", "period_start", "version"],
                name="targets_value_version",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="targets_value_period"
            ),
            models.CheckConstraint(
                condition=Q(numerator__gte=0)
                & (Q(denominator__isnull=True) | Q(denominator__gte=0)),
                name="targets_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(period_kind__in=["month", "quarter"]), name="targets_value_kind"
            ),
        ]
        indexes = [models.Index(fields=["unit", "indicator", "period_start"])]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.unit}: {self.period_start:%m/%Y}"

    def figure(self, measure: str) -> Decimal | None:
        """The value as the indicator reads it: a percentage from numerator and
        denominator (None when the denominator is zero or missing), else the numerator."""
        if measure != Measure.PERCENT:
            return self.numerator
        return percent(self.numerator, self.denominator)


def percent(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) * 100 / Decimal(denominator)


class RankingIndex(models.TextChoices):
    PAR_INDEX = "par_index", "Chỉ số CCHC (PAR INDEX)"
    SIPAS = "sipas", "Chỉ số hài lòng (SIPAS)"
    PAPI = "papi", "Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh (PAPI)"
    PCI = "pci", "Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)"


PROVINCES = 34  # provinces and cities ranked since the 2025 merger (63 before)


class ProvinceRanking(models.Model):
    """The province's published score and rank in a national index for a year, and
    the target set for it. PAPI is not on a 0–100 scale, so a score is only ≥ 0."""

    year = models.PositiveSmallIntegerField("năm")
    index = models.CharField("chỉ số", max_length=10, choices=RankingIndex.choices)
    score = models.DecimalField("điểm", max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField("thứ hạng", null=True, blank=True)
    out_of = models.PositiveSmallIntegerField("số tỉnh, thành phố được xếp hạng", default=PROVINCES)
    target_rank = models.PositiveSmallIntegerField("thứ hạng mục tiêu", null=True, blank=True)
    target_score = models.DecimalField(
        "điểm mục tiêu", max_digits=6, decimal_places=2, null=True, blank=True
    )
    source = models.CharField("nguồn", max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField("nhập lúc")

    class Meta:
        verbose_name = "xếp hạng của tỉnh"
        verbose_name_plural = "xếp hạng của tỉnh"
        ordering = ["index", "year"]
        constraints = [
            models.UniqueConstraint(fields=["year", "index"], name="targets_ranking_year_index"),
            models.CheckConstraint(
                condition=Q(index__in=["par_index", "sipas", "papi", "pci"]),
                name="targets_ranking_index",
            ),
            models.CheckConstraint(condition=Q(out_of__gte=1), name="targets_ranking_out_of"),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | (Q(rank__gte=1) & Q(rank__lte=models.F("out_of"))),
                name="targets_ranking_rank",
            ),
            models.CheckConstraint(
                condition=Q(target_rank__isnull=True)
                | (Q(target_rank__gte=1) & Q(target_rank__lte=models.F("out_of"))),
                name="targets_ranking_target_rank",
            ),
            models.CheckConstraint(
                condition=(Q(score__isnull=True) | Q(score__gte=0))
                & (Q(target_score__isnull=True) | Q(target_score__gte=0)),
                name="targets_ranking_score_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_index_display()} {self.year}"


class LeafLink(models.Model):
    """A PAR leaf whose rule takes a percentage, linked to an indicator of the plan of
    its criteria set's year: the unit's self-assessment of that leaf can then be
    pre-filled from the unit's value at year end (``cchc.targets.leaves``). One
    indicator per leaf; set by Sở Nội vụ."""

    node = models.OneToOneField(
        "par.CriteriaNode",
        verbose_name="tiêu chí",
        on_delete=models.CASCADE,
        related_name="indicator_link",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="chỉ tiêu", on_delete=models.PROTECT, related_name="leaf_links"
    )
    created_at = models.DateTimeField("liên kết lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "liên kết tiêu chí Chỉ số CCHC với chỉ tiêu"
        verbose_name_plural = "liên kết tiêu chí Chỉ số CCHC với chỉ tiêu"

    def __str__(self) -> str:
        return f"{self.node_id} ← {self.indicator}"


class LeafPrefill(models.Model):
    """Where a unit's input on a linked leaf came from: the value (the exact version)
    it was pre-filled from, and the unit's correction of it with the reason.

    ``entry_version`` is the entry's version right after pre-filling: while the entry
    still has it, nobody has changed the leaf by hand since, and pre-filling again may
    bring newer figures; once a person saves the leaf, it is theirs and never
    overwritten."""

    entry = models.OneToOneField(
        "par.Entry", on_delete=models.CASCADE, related_name="indicator_prefill"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="+")
    pct = models.DecimalField("tỷ lệ lấy từ chỉ tiêu", max_digits=9, decimal_places=4)
    entry_version = models.PositiveIntegerField()
    filled_at = models.DateTimeField("lấy số liệu lúc")
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the generated series file linked to the leaf as evidence
    evidence_link = models.ForeignKey(
        "par.EvidenceLink", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_pct = models.DecimalField(
        "tỷ lệ điều chỉnh", max_digits=9, decimal_places=4, null=True, blank=True
    )
    corrected_reason = models.TextField("lý do điều chỉnh", blank=True)
    corrected_at = models.DateTimeField(null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "số liệu tự đánh giá lấy từ chỉ tiêu"
        verbose_name_plural = "số liệu tự đánh giá lấy từ chỉ tiêu"
        constraints = [
            models.CheckConstraint(
                condition=Q(pct__gte=0) & Q(pct__lte=100), name="targets_prefill_pct"
            ),
            # a correction always says why
            models.CheckConstraint(
                condition=Q(corrected_pct__isnull=True) | ~Q(corrected_reason=""),
                name="targets_prefill_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} ← {self.indicator}"

    @property
    def corrected(self) -> bool:
        return self.corrected_pct is not None

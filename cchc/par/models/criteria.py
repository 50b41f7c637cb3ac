"""Criteria sets (bộ tiêu chí) of the PAR Index, stored per year and unit type.

The rows are the editable, versioned form of a criteria set; every score is computed
by the pure engine in ``cchc.par.engine`` after
``cchc.par.io.convert.criteria_set_to_engine`` turns the rows into an engine
``CriteriaSet``. Nothing here computes points.

A set is a draft while Sở Nội vụ prepares it and frozen once an evaluation year uses
it; a frozen set never changes again: revising it makes version + 1 as a new draft.
Changes go through ``cchc.par.services.criteria`` only, each with an audit entry.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cchc.org.models import UnitType


class SetStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    FROZEN = "frozen", "Đã khóa"


class Method(models.TextChoices):
    SELF_ASSESSED = "self_assessed", "Tự đánh giá, thẩm định"
    SURVEY = "survey", "Điều tra xã hội học"
    SYSTEM_DATA = "system_data", "Dữ liệu hệ thống"


# Unit types that have a PAR criteria set (the province itself is not scored).
SCORED_UNIT_TYPES = [
    (UnitType.DEPARTMENT.value, UnitType.DEPARTMENT.label),
    (UnitType.COMMUNE.value, UnitType.COMMUNE.label),
    (UnitType.DISTRICT.value, UnitType.DISTRICT.label),
]


def _default_classification() -> list[dict]:
    return [{"group": "A", "min": 90}, {"group": "B", "min": 80}, {"group": "C"}]


class CriteriaSet(models.Model):
    year = models.PositiveSmallIntegerField("năm đánh giá")
    unit_type = models.CharField("loại đơn vị", max_length=20, choices=SCORED_UNIT_TYPES)
    version = models.PositiveSmallIntegerField("phiên bản", default=1)
    status = models.CharField(
        "trạng thái", max_length=10, choices=SetStatus.choices, default=SetStatus.DRAFT
    )
    code = models.CharField(
        "mã bộ tiêu chí", max_length=60, help_text="Ví dụ: so-ban-nganh, xa-phuong-dac-khu."
    )
    title = models.CharField("tên bộ tiêu chí", max_length=300)
    total = models.DecimalField("tổng điểm", max_digits=7, decimal_places=3, default=Decimal(100))
    self_assessed_total = models.DecimalField(
        "điểm tự đánh giá, thẩm định",
        max_digits=7,
        decimal_places=3,
        null=True,
        blank=True,
        default=Decimal(68),
    )
    survey_total = models.DecimalField(
        "điểm điều tra xã hội học (SIPAS)",
        max_digits=7,
        decimal_places=3,
        null=True,
        blank=True,
        default=Decimal(32),
    )
    # [{"group": "A", "min": 90}, …, {"group": "C"}]: the engine's classification bands
    classification = models.JSONField("ngưỡng xếp nhóm", default=_default_classification)
    adjustments_enabled = models.BooleanField("áp dụng điểm thưởng, điểm trừ", default=False)
    bonus_cap = models.DecimalField(
        "điểm thưởng tối đa", max_digits=6, decimal_places=3, default=Decimal(0)
    )
    penalty_cap = models.DecimalField(
        "điểm trừ tối đa", max_digits=6, decimal_places=3, default=Decimal(0)
    )
    # evaluator code → {"name": …}: the evaluating departments the set names (by code,
    # so a historical set keeps a department that has since merged away)
    evaluators = models.JSONField("cơ quan thẩm định", default=dict, blank=True)
    meta = models.JSONField("thông tin khác", default=dict, blank=True)
    revised_from = models.ForeignKey(
        "self",
        verbose_name="sửa đổi từ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
    )
    cloned_from = models.ForeignKey(
        "self",
        verbose_name="sao chép từ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clones",
    )
    frozen_at = models.DateTimeField("khóa lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "bộ tiêu chí"
        verbose_name_plural = "bộ tiêu chí"
        ordering = ["-year", "unit_type", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit_type", "version"],
                name="par_criteriaset_unique_version",
                violation_error_message="Năm và loại đơn vị này đã có phiên bản này.",
            ),
            # revising works on the one draft; two drafts would fork the history
            models.UniqueConstraint(
                fields=["year", "unit_type"],
                condition=Q(status="draft"),
                name="par_criteriaset_one_draft",
                violation_error_message="Năm và loại đơn vị này đã có một bản dự thảo.",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="par_criteriaset_version"),
            models.CheckConstraint(condition=Q(total__gt=0), name="par_criteriaset_total_pos"),
            models.CheckConstraint(
                condition=Q(bonus_cap__gte=0) & Q(penalty_cap__gte=0),
                name="par_criteriaset_caps_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", frozen_at__isnull=True)
                | Q(status="frozen", frozen_at__isnull=False),
                name="par_criteriaset_frozen_at",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "frozen"]), name="par_criteriaset_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – năm {self.year}, phiên bản {self.version}"

    @property
    def is_frozen(self) -> bool:
        return self.status == SetStatus.FROZEN

    def evaluator_name(self, code: str) -> str:
        entry = self.evaluators.get(code) if code else None
        if isinstance(entry, dict) and entry.get("name"):
            return str(entry["name"])
        return code or ""


class CriteriaNode(models.Model):
    """An area (lĩnh vực), criterion (tiêu chí) or sub-criterion (tiêu chí thành phần).

    ``position`` is the node's place in a pre-order walk of the set, so one ordered
    query gives the whole tree; leaves carry the scoring rule (engine format).
    """

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name="bộ tiêu chí", on_delete=models.CASCADE, related_name="nodes"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="tiêu chí cha",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField("mã", max_length=30)
    position = models.PositiveIntegerField("thứ tự")
    depth = models.PositiveSmallIntegerField("cấp")
    title = models.TextField("tên")
    max_points = models.DecimalField("điểm tối đa", max_digits=7, decimal_places=3)
    method = models.CharField(
        "phương pháp", max_length=20, choices=Method.choices, default=Method.SELF_ASSESSED
    )
    rule = models.JSONField("quy tắc chấm điểm", null=True, blank=True)
    evaluator_code = models.CharField("cơ quan thẩm định (mã)", max_length=30, blank=True)
    guidance = models.TextField(
        "cách chấm",
        blank=True,
        help_text="Để trống thì cách chấm được diễn giải từ quy tắc chấm điểm.",
    )
    evidence = models.TextField(
        "tài liệu kiểm chứng", blank=True, help_text="Mỗi dòng một tài liệu."
    )
    exemptible = models.BooleanField(
        "có thể miễn áp dụng",
        default=False,
        help_text="Đơn vị không có nội dung này (ví dụ không có TTHC) được miễn; "
        "chỉ số khi đó tính trên tổng điểm áp dụng.",
    )
    applicability = models.TextField("điều kiện áp dụng", blank=True)
    note = models.TextField("ghi chú", blank=True)
    meta = models.JSONField("thông tin khác", default=dict, blank=True)

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "code"],
                name="par_criterianode_unique_code",
                violation_error_message="Mã tiêu chí bị trùng trong bộ tiêu chí.",
            ),
            models.UniqueConstraint(
                fields=["criteria_set", "position"], name="par_criterianode_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=0), name="par_criterianode_max_nonneg"
            ),
            models.CheckConstraint(condition=Q(depth__gte=1), name="par_criterianode_depth"),
            models.CheckConstraint(
                condition=Q(method__in=[m.value for m in Method]), name="par_criterianode_method"
            ),
            # an area has no parent, every deeper node has one
            models.CheckConstraint(
                condition=Q(depth=1, parent__isnull=True) | Q(depth__gt=1, parent__isnull=False),
                name="par_criterianode_parent_depth",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="par_criterianode_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    def evidence_items(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]

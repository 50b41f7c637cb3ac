from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.models import Page
from wagtail.search import index

from cchc.core.page_permissions import SiteFramePermissionTester
from cchc.lib.collation import vi_sorted


class UnitType(models.TextChoices):
    PROVINCE = "province", "Tỉnh"
    DEPARTMENT = "department", "Sở, ban, ngành"
    COMMUNE = "commune", "Xã, phường, đặc khu"
    DISTRICT = "district", "Huyện, thị xã, thành phố (trước 2025)"


class CommuneKind(models.TextChoices):
    XA = "xa", "Xã"
    PHUONG = "phuong", "Phường"
    DAC_KHU = "dac_khu", "Đặc khu"


class UnitQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> UnitQuerySet:
        return self.filter(active_from__lte=day).filter(
            Q(active_until__isnull=True) | Q(active_until__gte=day)
        )

    def active(self) -> UnitQuerySet:
        return self.active_on(timezone.localdate())


class Unit(index.Indexed, models.Model):
    name = models.CharField("tên đơn vị", max_length=200)
    unit_type = models.CharField("loại đơn vị", max_length=20, choices=UnitType.choices)
    commune_kind = models.CharField(
        "loại đơn vị cấp xã",
        max_length=20,
        choices=CommuneKind.choices,
        blank=True,
        help_text="Chỉ dùng cho đơn vị cấp xã: xã, phường hoặc đặc khu.",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(
        "mã đơn vị",
        max_length=20,
        unique=True,
        error_messages={"unique": "Mã đơn vị này đã được dùng cho một đơn vị khác."},
    )
    slug = models.SlugField(
        "đường dẫn",
        max_length=80,
        unique=True,
        help_text="Phần địa chỉ web của đơn vị, ví dụ: xa-an-phu.",
        error_messages={"unique": "Đường dẫn này đã được dùng cho một đơn vị khác."},
    )
    active_from = models.DateField("hoạt động từ ngày", default=datetime.date(2025, 7, 1))
    active_until = models.DateField("hoạt động đến ngày", null=True, blank=True)
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    phone = models.CharField("điện thoại", max_length=50, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    website = models.URLField("trang thông tin điện tử", blank=True)

    objects = UnitQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("unit_type"),
        FieldPanel("commune_kind"),
        FieldPanel("parent"),
        FieldPanel("code"),
        FieldPanel("slug"),
        FieldPanel("active_from"),
        FieldPanel("active_until"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("website"),
        HelpPanel(
            "Để sáp nhập, chia tách hoặc đổi tên đơn vị mà vẫn giữ lịch sử, "
            "dùng các thao tác trong danh sách đơn vị."
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("unit_type"),
    ]

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["unit_type", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True) | Q(active_until__gte=F("active_from")),
                name="unit_active_until_after_from",
                violation_error_message="Ngày kết thúc hoạt động không được trước ngày bắt đầu.",
            ),
            models.CheckConstraint(
                condition=(Q(unit_type=UnitType.COMMUNE) & ~Q(commune_kind=""))
                | (~Q(unit_type=UnitType.COMMUNE) & Q(commune_kind="")),
                name="unit_commune_kind_only_for_communes",
                violation_error_message=(
                    "Đơn vị cấp xã phải chọn xã, phường hoặc đặc khu; đơn vị khác thì để trống."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.active_until and self.active_from and self.active_until < self.active_from:
            errors["active_until"] = "Ngày kết thúc hoạt động không được trước ngày bắt đầu."
        if self.parent_id:
            if self.pk and self.parent_id == self.pk:
                errors["parent"] = "Một đơn vị không thể là cấp trên của chính nó."
            elif self.pk and self.pk in {u.pk for u in self.parent.ancestors()}:
                errors["parent"] = (
                    "Không thể chọn đơn vị cấp dưới làm cấp trên: "
                    "đơn vị sẽ trở thành cấp trên của chính nó."
                )
        if self.unit_type == UnitType.COMMUNE and not self.commune_kind:
            errors["commune_kind"] = "Đơn vị cấp xã phải chọn xã, phường hoặc đặc khu."
        if self.unit_type != UnitType.COMMUNE and self.commune_kind:
            errors["commune_kind"] = "Chỉ đơn vị cấp xã mới có loại xã, phường hoặc đặc khu."
        if errors:
            raise ValidationError(errors)

    @property
    def kind_label(self) -> str:
        if self.commune_kind:
            return self.get_commune_kind_display()
        return self.get_unit_type_display()

    def ancestors(self) -> list[Unit]:
        """Parents up to the root; stops on a cycle rather than looping."""
        chain: list[Unit] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def is_active_on(self, day: datetime.date) -> bool:
        return self.active_from <= day and (self.active_until is None or self.active_until >= day)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    @property
    def name_in_sentence(self) -> str:
        """The name inside a sentence: "tỉnh An Giang", "xã An Phú"; an agency keeps
        its capital ("Sở Nội vụ")."""
        if self.unit_type in {UnitType.PROVINCE, UnitType.DISTRICT, UnitType.COMMUNE}:
            return self.name[:1].lower() + self.name[1:]
        return self.name

    def lineage_ids(self) -> list[int]:
        """This unit and every predecessor, transitively (see unit_lineages)."""
        return unit_lineages([self.pk])[self.pk]

    def predecessors(self) -> models.QuerySet[Unit]:
        return Unit.objects.filter(successions_as_predecessor__successor=self)

    def successors(self) -> models.QuerySet[Unit]:
        return Unit.objects.filter(successions_as_successor__predecessor=self)


def unit_lineages(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """Unit id -> itself and every predecessor, transitively, from one query.

    Scores, news and statistics stay attached to the unit they belonged to;
    a successor reads its history through this list.
    """
    parents: dict[int, list[int]] = {}
    for pred, succ in UnitSuccession.objects.values_list("predecessor_id", "successor_id"):
        parents.setdefault(succ, []).append(pred)
    lineages = {}
    for unit_id in unit_ids:
        found, frontier = [unit_id], [unit_id]
        while frontier:
            level = (p for u in frontier for p in parents.get(u, []) if p not in found)
            frontier = list(dict.fromkeys(level))
            found.extend(frontier)
        lineages[unit_id] = found
    return lineages


class SuccessionKind(models.TextChoices):
    MERGE = "merge", "Sáp nhập"
    SPLIT = "split", "Chia tách"
    RENAME = "rename", "Đổi tên"


class UnitSuccession(models.Model):
    predecessor = models.ForeignKey(
        Unit,
        verbose_name="đơn vị tiền thân",
        on_delete=models.PROTECT,
        related_name="successions_as_predecessor",
    )
    successor = models.ForeignKey(
        Unit,
        verbose_name="đơn vị kế thừa",
        on_delete=models.PROTECT,
        related_name="successions_as_successor",
    )
    kind = models.CharField("hình thức", max_length=10, choices=SuccessionKind.choices)
    effective_date = models.DateField("ngày hiệu lực")
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "quan hệ kế thừa đơn vị"
        verbose_name_plural = "quan hệ kế thừa đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unit_succession_unique"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")), name="unit_succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.get_kind_display()})"


class Role(models.TextChoices):
    CCHC_OFFICER = "cchc_officer", "Cán bộ CCHC"
    UNIT_LEADER = "unit_leader", "Lãnh đạo đơn vị"
    NEWS_EDITOR = "news_editor", "Biên tập viên tin bài"
    NEWS_APPROVER = "news_approver", "Người duyệt tin bài"
    APPRAISER = "appraiser", "Thẩm định viên"
    ADMIN = "admin", "Quản trị viên Sở Nội vụ"
    PROVINCE_LEADER = "province_leader", "Lãnh đạo tỉnh"
    # keys in the paper SIPAS questionnaires (Sở Nội vụ's staff or the post office's)
    SURVEY_OPERATOR = "survey_operator", "Nhân viên nhập phiếu khảo sát SIPAS"


UNIT_ROLES = frozenset({Role.CCHC_OFFICER, Role.UNIT_LEADER, Role.NEWS_EDITOR, Role.NEWS_APPROVER})
PROVINCE_ROLES = frozenset({Role.APPRAISER, Role.ADMIN, Role.PROVINCE_LEADER, Role.SURVEY_OPERATOR})


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self) -> RoleAssignmentQuerySet:
        today = timezone.localdate()
        return self.filter(
            Q(unit__isnull=True)
            | Q(unit__active_until__isnull=True)
            | Q(unit__active_until__gte=today)
        )


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người dùng",
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField("vai trò", max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        help_text=(
            "Bắt buộc với vai trò của đơn vị và thẩm định viên (sở thẩm định); "
            "để trống với quản trị viên và lãnh đạo tỉnh."
        ),
    )
    created_at = models.DateTimeField("ngày giao", auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    panels = [FieldPanel("user"), FieldPanel("role"), FieldPanel("unit")]

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                name="role_assignment_unique",
                violation_error_message="Người dùng này đã có vai trò này tại đơn vị này.",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(unit__isnull=True),
                name="role_assignment_unique_provincewide",
                violation_error_message="Người dùng này đã có vai trò này.",
            ),
        ]

    def __str__(self) -> str:
        where = f" – {self.unit}" if self.unit_id else ""
        return f"{self.user} – {self.get_role_display()}{where}"

    def clean(self) -> None:
        if self.role in UNIT_ROLES and not self.unit_id:
            raise ValidationError({"unit": "Vai trò này phải gắn với một đơn vị."})
        if self.role == Role.APPRAISER and (
            not self.unit_id or self.unit.unit_type != UnitType.DEPARTMENT
        ):
            raise ValidationError(
                {"unit": "Thẩm định viên phải thuộc một sở, ban, ngành thẩm định."}
            )
        if self.role in {Role.ADMIN, Role.PROVINCE_LEADER, Role.SURVEY_OPERATOR} and self.unit_id:
            raise ValidationError({"unit": "Vai trò cấp tỉnh không gắn với đơn vị; để trống."})
        if self.unit_id and not self.unit.is_active:
            raise ValidationError({"unit": "Không thể giao vai trò tại đơn vị đã ngừng hoạt động."})


class UnitIndexPage(Page):
    """/don-vi/: the list of units; every unit's page lives under it."""

    max_count = 1
    parent_page_types = ["core.HomePage"]
    subpage_types = ["org.UnitPage"]

    class Meta:
        verbose_name = "danh sách đơn vị"

    def permissions_for_user(self, user):
        return SiteFramePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = unit_groups()
        return context


class UnitPage(Page):
    """/don-vi/<slug>/: a unit's public page; its CCHC section hangs below it."""

    unit = models.OneToOneField(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="page"
    )

    parent_page_types = ["org.UnitIndexPage"]
    content_panels = [*Page.content_panels, FieldPanel("unit", read_only=True)]

    class Meta:
        verbose_name = "trang đơn vị"

    def permissions_for_user(self, user):
        return SiteFramePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        unit = self.unit
        context["unit"] = unit
        context["predecessors"] = unit.predecessors().select_related("page")
        context["successors"] = unit.successors().select_related("page")
        return context


def unit_groups() -> list[tuple[str, list[Unit]]]:
    units = vi_sorted(Unit.objects.active().select_related("page"))
    labels = [
        (UnitType.DEPARTMENT, None, "Sở, ban, ngành"),
        (UnitType.COMMUNE, CommuneKind.PHUONG, "Phường"),
        (UnitType.COMMUNE, CommuneKind.XA, "Xã"),
        (UnitType.COMMUNE, CommuneKind.DAC_KHU, "Đặc khu"),
    ]
    return [
        (
            label,
            [u for u in units if u.unit_type == kind and (sub is None or u.commune_kind == sub)],
        )
        for kind, sub, label in labels
    ]

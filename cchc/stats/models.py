"""Visitor statistics: pre-aggregated daily tables, never raw events.

Unit, section and page are plain integers rather than foreign keys: the
rows outlive deleted pages (a year's totals must not change when an article
is removed), no foreign-key check slows the beacon's write, and 0 stands for
"all" in the roll-up rows (see `Level`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class DailySalt(models.Model):
    """Today's random secret for hashing visitors; deleted once the day is over.

    Without it, yesterday's visitor hashes cannot be linked back to an address.
    """

    day = models.DateField("ngày", unique=True)
    secret = models.BinaryField("khóa", max_length=32)

    class Meta:
        verbose_name = "khóa băm trong ngày"
        verbose_name_plural = "khóa băm trong ngày"

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


class Level(models.IntegerChoices):
    """What a counting row (or a de-duplication row) is about."""

    PAGE = 1, "Trang"  # one section page or article: (unit, section, page)
    UNIT = 2, "Đơn vị"  # everything in the unit's section: (unit, 0, 0)
    PROVINCE = 3, "Toàn tỉnh"  # every section of every unit: (0, 0, 0)


class VisitorDay(models.Model):
    """A visitor seen today at one level: de-duplication and presence.

    `visitor` is an HMAC of the day's salt, the address and the user agent;
    `ref` is the page id, the unit id or 0 depending on `level`. `hits` is the
    number of beacons so far, so the upsert that bumps it tells a new visitor
    (1) from a returning one. Rows older than a few days are pruned.
    """

    day = models.DateField("ngày")
    visitor = models.CharField("mã khách (băm)", max_length=32)
    level = models.PositiveSmallIntegerField("cấp", choices=Level.choices)
    ref = models.BigIntegerField("mã đối tượng")
    hits = models.PositiveIntegerField("số lần", default=1)
    last_seen = models.DateTimeField("lần cuối")

    class Meta:
        verbose_name = "khách trong ngày"
        verbose_name_plural = "khách trong ngày"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "visitor", "level", "ref"], name="stats_visitorday_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["level", "ref", "last_seen"], name="stats_presence_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_level_display()} {self.ref}"


class DailyCount(models.Model):
    """Views and visitors of one day, at one level (see `Level`).

    - page level: unit, section and page ids (page = the section page itself
      or one of its articles); visitors are distinct for that page;
    - unit level: section = page = 0; visitors distinct in the unit's section;
    - province level: unit = section = page = 0; visitors distinct province-wide.
    """

    day = models.DateField("ngày")
    unit_id = models.BigIntegerField("mã đơn vị")
    section_id = models.IntegerField("mã chuyên mục")
    page_id = models.IntegerField("mã trang")
    views = models.PositiveBigIntegerField("lượt xem", default=0)
    visitors = models.PositiveBigIntegerField("lượt truy cập", default=0)

    class Meta:
        verbose_name = "số liệu truy cập theo ngày"
        verbose_name_plural = "số liệu truy cập theo ngày"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit_id", "section_id", "page_id"], name="stats_dailycount_unique"
            ),
            models.CheckConstraint(
                condition=Q(visitors__lte=models.F("views")),
                name="stats_dailycount_visitors_le_views",
            ),
        ]
        indexes = [
            models.Index(fields=["unit_id", "page_id", "day"], name="stats_dailycount_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.unit_id}/{self.section_id}/{self.page_id}"


class Dimension(models.TextChoices):
    REFERRER = "ref", "Nguồn truy cập"
    DEVICE = "dev", "Thiết bị"


class Device(models.TextChoices):
    DESKTOP = "desktop", "Máy tính"
    MOBILE = "mobile", "Điện thoại"
    TABLET = "tablet", "Máy tính bảng"


class DailyDimension(models.Model):
    """Visits of one day by referrer host or device type, per unit (0 = province).

    Counted once per visitor and unit per day, on the visit's first beacon:
    the referrer that brought the visitor, not every internal click.
    """

    day = models.DateField("ngày")
    unit_id = models.BigIntegerField("mã đơn vị")
    dimension = models.CharField("chiều", max_length=3, choices=Dimension.choices)
    value = models.CharField("giá trị", max_length=100)
    visits = models.PositiveBigIntegerField("lượt truy cập", default=0)

    class Meta:
        verbose_name = "lượt truy cập theo nguồn, thiết bị"
        verbose_name_plural = "lượt truy cập theo nguồn, thiết bị"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit_id", "dimension", "value"], name="stats_dailydimension_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["unit_id", "dimension", "day"], name="stats_dimension_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.unit_id} {self.dimension}={self.value}"

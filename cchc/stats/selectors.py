"""Reading the statistics: the counter, the dashboard, the 1.4 evidence.

Everything here reads the daily tables (never raw events), with a number of
queries that does not depend on how much was counted. Articles and sections
come from the news app's selectors.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from operator import attrgetter

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from wagtail.models import Page

from cchc.lib.collation import vi_key, vi_sorted
from cchc.lib.dates import day_range
from cchc.lib.links import page_path
from cchc.lib.ranking import competition_ranks
from cchc.news import selectors as news_selectors
from cchc.news.models import ArticlePage, SectionPage
from cchc.org.models import Unit, UnitType, unit_lineages
from cchc.stats.models import DailyCount, DailyDimension, Device, Dimension, Level, VisitorDay

PRESENCE_WINDOW = datetime.timedelta(minutes=5)


# Scope --------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a counter or dashboard covers: the province roll-up or one unit's lineage."""

    unit: Unit
    unit_ids: tuple[int, ...]  # () for the province roll-up

    @property
    def is_province(self) -> bool:
        return not self.unit_ids

    def unit_rows(self):
        """Filter for this scope's per-day rows in DailyCount."""
        if self.is_province:
            return Q(unit_id=0, section_id=0, page_id=0)
        return Q(unit_id__in=self.unit_ids, section_id=0, page_id=0)

    def page_rows(self):
        if self.is_province:
            return Q(page_id__gt=0)
        return Q(unit_id__in=self.unit_ids, page_id__gt=0)

    def dimension_units(self) -> list[int]:
        return [0] if self.is_province else list(self.unit_ids)


def scope_for(unit: Unit) -> Scope:
    if unit.unit_type == UnitType.PROVINCE:
        return Scope(unit=unit, unit_ids=())
    return Scope(unit=unit, unit_ids=tuple(unit.lineage_ids()))


# The public counter -------------------------------------------------------


@dataclass(frozen=True)
class Counter:
    online: int = 0
    today: int = 0
    yesterday: int = 0
    month: int = 0
    total: int = 0


def counter_numbers(unit_id: int, *, now: datetime.datetime | None = None) -> Counter:
    """The counter of a unit's section (the province's shows every section).

    Numbers are visits: a visitor counts once per day. Cached for a few
    seconds (STATS_COUNTER_CACHE_SECONDS), shared by workers when Redis is on.
    """
    timeout = getattr(settings, "STATS_COUNTER_CACHE_SECONDS", 10)
    if now is not None or not timeout:
        return _counter(unit_id, now or timezone.now())
    key = f"stats:counter:{unit_id}"
    numbers = cache.get(key)
    if numbers is None:
        numbers = _counter(unit_id, timezone.now())
        cache.set(key, numbers, timeout)
    return numbers


def _counter(unit_id: int, now: datetime.datetime) -> Counter:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        return Counter()
    scope = scope_for(unit)
    today = timezone.localdate(now)
    yesterday = today - datetime.timedelta(days=1)
    sums = DailyCount.objects.filter(scope.unit_rows()).aggregate(
        total=Sum("visitors"),
        today=Sum("visitors", filter=Q(day=today)),
        yesterday=Sum("visitors", filter=Q(day=yesterday)),
        month=Sum("visitors", filter=Q(day__gte=today.replace(day=1))),
    )
    present = VisitorDay.objects.filter(day__gte=yesterday, last_seen__gte=now - PRESENCE_WINDOW)
    if scope.is_province:
        present = present.filter(level=Level.PROVINCE, ref=0)
    else:
        present = present.filter(level=Level.UNIT, ref__in=scope.unit_ids)
    return Counter(
        online=present.values("visitor").distinct().count(),
        **{name: value or 0 for name, value in sums.items()},
    )


def counter_for_page(page) -> Counter:
    from cchc.stats.services import target_for_page

    return counter_numbers(target_for_page(page).unit_id)


# News ---------------------------------------------------------------------


def articles_per_unit(start: datetime.date, end: datetime.date) -> dict[int, int]:
    """Live CCHC articles first published in [start, end], counted per unit."""
    lo, hi = day_range(start, end)
    return dict(
        news_selectors.live_articles()
        .filter(first_published_at__gte=lo, first_published_at__lt=hi)
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )


# The dashboard ------------------------------------------------------------


@dataclass
class Row:
    label: str
    views: int = 0
    visitors: int = 0
    url: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Ranking:
    unit: Unit
    articles: int
    visitors: int
    views: int
    rank_articles: int = 0
    rank_readership: int = 0


@dataclass
class Dashboard:
    scope: Scope
    start: datetime.date
    end: datetime.date
    days: list[tuple[datetime.date, int, int]]
    top_articles: list[Row]
    referrers: list[tuple[str, int]]
    devices: list[tuple[str, str, int]]
    ranking: list[Ranking]
    articles_published: int

    @property
    def views(self) -> int:
        return sum(v for _, v, _ in self.days)

    @property
    def visitors(self) -> int:
        return sum(v for _, _, v in self.days)

    @property
    def own_rank(self) -> Ranking | None:
        return next((r for r in self.ranking if r.unit.pk == self.scope.unit.pk), None)


TOP = 10


def dashboard(scope: Scope, start: datetime.date, end: datetime.date) -> Dashboard:
    span = Q(day__gte=start, day__lte=end)
    per_day = {
        row["day"]: (row["views"], row["visitors"])
        for row in DailyCount.objects.filter(span, scope.unit_rows())
        .values("day")
        .annotate(views=Sum("views"), visitors=Sum("visitors"))
    }
    days = []
    day = start
    while day <= end:
        views, visitors = per_day.get(day, (0, 0))
        days.append((day, views, visitors))
        day += datetime.timedelta(days=1)

    top = list(
        DailyCount.objects.filter(span, scope.page_rows())
        .exclude(page_id=F("section_id"))
        .values("page_id")
        .annotate(views=Sum("views"), visitors=Sum("visitors"))
        .order_by("-views", "page_id")[:TOP]
    )
    pages = {
        p.pk: p
        for p in Page.objects.filter(pk__in=[r["page_id"] for r in top]).only(
            "id", "title", "url_path", "live"
        )
    }
    top_articles = []
    for r in top:
        page = pages.get(r["page_id"])
        top_articles.append(
            Row(
                label=page.title if page else f"Trang đã xóa (#{r['page_id']})",
                views=r["views"],
                visitors=r["visitors"],
                # the public address (url_path starts with the home page's slug);
                # an unpublished page has none worth opening
                url=page_path(page) if page and page.live else "",
                extra={"page_id": r["page_id"]},
            )
        )

    dims = DailyDimension.objects.filter(span, unit_id__in=scope.dimension_units())
    referrers = [
        (r["value"], r["visits"])
        for r in dims.filter(dimension=Dimension.REFERRER)
        .values("value")
        .annotate(visits=Sum("visits"))
        .order_by("-visits", "value")[:TOP]
    ]
    device_sums = dict(
        dims.filter(dimension=Dimension.DEVICE)
        .values("value")
        .annotate(visits=Sum("visits"))
        .values_list("value", "visits")
    )
    devices = [(d.value, d.label, device_sums.get(d.value, 0)) for d in Device]

    ranking = units_ranking(start, end)
    if scope.is_province:
        articles_published = sum(r.articles for r in ranking)
    else:
        own = next((r for r in ranking if r.unit.pk == scope.unit.pk), None)
        articles_published = own.articles if own else 0
    return Dashboard(
        scope=scope,
        start=start,
        end=end,
        days=days,
        top_articles=top_articles,
        referrers=referrers,
        devices=devices,
        ranking=ranking,
        articles_published=articles_published,
    )


def units_ranking(start: datetime.date, end: datetime.date) -> list[Ranking]:
    """Active units (not the province) by CCHC articles published and by visits.

    A unit's figures include its predecessors' (merged units keep their history).
    """
    units = vi_sorted(Unit.objects.active().exclude(unit_type=UnitType.PROVINCE))
    lineage = unit_lineages([u.pk for u in units])
    readership = {
        r["unit_id"]: (r["views"], r["visitors"])
        for r in DailyCount.objects.filter(
            day__gte=start, day__lte=end, section_id=0, page_id=0, unit_id__gt=0
        )
        .values("unit_id")
        .annotate(views=Sum("views"), visitors=Sum("visitors"))
    }
    articles = articles_per_unit(start, end)
    ranking = []
    for unit in units:
        ids = lineage[unit.pk]
        ranking.append(
            Ranking(
                unit=unit,
                articles=sum(articles.get(i, 0) for i in ids),
                views=sum(readership.get(i, (0, 0))[0] for i in ids),
                visitors=sum(readership.get(i, (0, 0))[1] for i in ids),
            )
        )
    _rank(ranking, "articles", "rank_articles")
    _rank(ranking, "visitors", "rank_readership")
    ranking.sort(key=lambda r: (r.rank_readership, r.rank_articles, vi_key(r.unit.name)))
    return ranking


def _rank(rows: list[Ranking], value: str, into: str) -> None:
    for rank, row in competition_ranks(rows, key=attrgetter(value)):
        setattr(row, into, rank)


# Evidence for criterion 1.4 ---------------------------------------------------


@dataclass
class Evidence:
    unit: Unit
    year: int
    section: SectionPage | None
    articles: list[tuple[ArticlePage, int, int]]  # (article, views, visitors) in the year
    months: list[tuple[int, int, int]]  # (month, views, visitors)


def evidence(unit: Unit, year: int) -> Evidence:
    """The unit's section, its articles of the year and their readership, visits per month.

    About the unit's own section (and its predecessors'), also for the
    province: the evidence is what the unit itself publishes, not the roll-up.
    """
    lineage = unit.lineage_ids()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    articles = list(
        news_selectors.published_articles(unit_ids=lineage, year=year).order_by(
            "first_published_at", "pk"
        )
    )
    span = Q(day__gte=start, day__lte=end)
    reads = {
        r["page_id"]: (r["views"], r["visitors"])
        for r in DailyCount.objects.filter(span, page_id__in=[a.pk for a in articles])
        .values("page_id")
        .annotate(views=Sum("views"), visitors=Sum("visitors"))
    }
    monthly: dict[int, tuple[int, int]] = {}
    unit_days = DailyCount.objects.filter(span, unit_id__in=lineage, section_id=0, page_id=0)
    for row in unit_days.values("day", "views", "visitors"):
        views, visitors = monthly.get(row["day"].month, (0, 0))
        monthly[row["day"].month] = (views + row["views"], visitors + row["visitors"])
    return Evidence(
        unit=unit,
        year=year,
        section=news_selectors.section_for_unit(unit),
        articles=[(a, *reads.get(a.pk, (0, 0))) for a in articles],
        months=[(m, *monthly.get(m, (0, 0))) for m in range(1, 13)],
    )

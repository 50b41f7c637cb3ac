"""The public beacon, and the back-office dashboard with its exports."""

from __future__ import annotations

import base64

from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from cchc import access
from cchc.access import Action
from cchc.lib import charts, downloads
from cchc.lib.client_ip import client_ip
from cchc.lib.downloads import file_response
from cchc.org import selectors as org_selectors
from cchc.org.selectors import unit_get_for_user
from cchc.stats import exports, selectors, services
from cchc.stats.forms import DateRangeForm, EvidenceForm

# A beacon is a token (~60 bytes) and a referrer; anything much larger is not ours.
MAX_BEACON_BYTES = 2048
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _count(request, data: QueryDict) -> bool:
    target = services.target_from_token(data.get("t", ""))
    if target is None:
        return False
    services.visit_record(
        target=target,
        client_ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
        referrer=data.get("r", ""),
    )
    return True


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # a public counter: any page, even a cached one or another site's widget
@require_POST
def beacon(request):
    """Counts a page load reported by the page's script. 204, or 400 if malformed."""
    try:
        length = int(request.headers.get("content-length") or 0)
    except ValueError:
        return HttpResponseBadRequest()
    if length > MAX_BEACON_BYTES:
        return HttpResponseBadRequest()
    body = request.read(MAX_BEACON_BYTES + 1)
    if len(body) > MAX_BEACON_BYTES:
        return HttpResponseBadRequest()
    try:
        data = QueryDict(body.decode("utf-8"))
    except UnicodeDecodeError:
        return HttpResponseBadRequest()
    if not _count(request, data):
        return HttpResponseBadRequest()
    return _no_store(HttpResponse(status=204))


@require_GET
def pixel(request):
    """The same for browsers without JavaScript: a 1×1 image in <noscript>."""
    if len(request.META.get("QUERY_STRING", "")) > MAX_BEACON_BYTES or not _count(
        request, request.GET
    ):
        return HttpResponseBadRequest()
    return _no_store(HttpResponse(PIXEL, content_type="image/gif"))


# Back office ---------------------------------------------------------------


def stats_home(request):
    """The province's dashboard for province-wide roles, else the user's unit."""
    user = request.user
    if access.can_on_every_unit(user, Action.VIEW_NEWS_STATS):
        province = org_selectors.province()
        if province is not None:
            return redirect("cchc_stats_dashboard", slug=province.slug)
    units = [u for u in access.user_units(user) if access.can(user, Action.VIEW_NEWS_STATS, u)]
    if len(units) == 1:
        return redirect("cchc_stats_dashboard", slug=units[0].slug)
    if not units:
        raise access.denied()
    return render(request, "stats/choose_unit.html", {"units": units})


def _dashboard_for(request, slug):
    unit = unit_get_for_user(request.user, slug, action=Action.VIEW_NEWS_STATS)
    form = DateRangeForm(request.GET or None)
    start, end = form.span()
    if not form.is_bound:  # show the default range in the fields
        form = DateRangeForm(initial={"tu_ngay": start, "den_ngay": end})
    return form, selectors.dashboard(selectors.scope_for(unit), start, end)


def dashboard(request, slug):
    form, data = _dashboard_for(request, slug)
    chart = charts.line_chart(
        labels=[d.strftime("%d/%m") for d, _, _ in data.days],
        series=[
            ("Lượt xem", [v for _, v, _ in data.days]),
            ("Lượt truy cập", [u for _, _, u in data.days]),
        ],
    )
    today = timezone.localdate()
    return render(
        request,
        "stats/dashboard.html",
        {
            "unit": data.scope.unit,
            "form": form,
            "data": data,
            "chart": chart,
            "query": request.GET.urlencode(),
            "years": range(today.year, 2024, -1),
            "scope_title": exports.scope_title(data),
        },
    )


def export_csv(request, slug):
    _form, data = _dashboard_for(request, slug)
    name = f"thong-ke-{slug}-{data.start:%Y%m%d}-{data.end:%Y%m%d}.csv"
    return file_response(exports.dashboard_csv(data), filename=name, content_type=downloads.CSV)


def export_xlsx(request, slug):
    _form, data = _dashboard_for(request, slug)
    name = f"thong-ke-{slug}-{data.start:%Y%m%d}-{data.end:%Y%m%d}.xlsx"
    return file_response(exports.dashboard_xlsx(data), filename=name, content_type=downloads.XLSX)


def evidence_xlsx(request, slug):
    """Criterion 1.4 evidence for one unit and year, ready to attach to its self-assessment."""
    unit = unit_get_for_user(request.user, slug, action=Action.VIEW_NEWS_STATS)
    form = EvidenceForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest("Năm không hợp lệ.")
    year = form.cleaned_data["nam"]
    return file_response(
        exports.evidence_xlsx(selectors.evidence(unit, year)),
        filename=f"minh-chung-tieu-chi-1-4-{slug}-{year}.xlsx",
        content_type=downloads.XLSX,
    )

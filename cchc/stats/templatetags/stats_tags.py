"""{% visit_beacon page %} and {% visit_counter page %} for news pages.

`page` is any news page with `stats_target()`; see docs/statistics.md.
"""

import functools

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from cchc.lib.formats import integer_vi
from cchc.stats import selectors, services

register = template.Library()


@register.simple_tag
def visit_beacon(page) -> str:
    """The counting beacon: a small script, and a pixel for browsers without JavaScript."""
    return _beacon(services.target_for_page(page))


# Both are on every news page, also those that miss the page cache: the same
# markup for the same target (or numbers) is rendered once per process.


@functools.lru_cache(maxsize=4096)
def _beacon(target: services.Target) -> str:
    token = services.target_token(target)
    return render_to_string(
        "stats/beacon.html",
        {"token": token, "url": reverse("stats:beacon"), "pixel_url": reverse("stats:pixel")},
    )


@register.simple_tag
def visit_counter(page) -> str:
    """The visit counter box of the page's section (the province's: every section)."""
    return _counter(selectors.counter_for_page(page), page.pk)


@functools.lru_cache(maxsize=1024)
def _counter(numbers: selectors.Counter, page_id: int) -> str:
    return render_to_string(
        "stats/counter.html",
        {
            "rows": [
                ("online", "Đang truy cập", integer_vi(numbers.online)),
                ("today", "Hôm nay", integer_vi(numbers.today)),
                ("yesterday", "Hôm qua", integer_vi(numbers.yesterday)),
                ("month", "Tháng này", integer_vi(numbers.month)),
                ("total", "Tổng lượt truy cập", integer_vi(numbers.total)),
            ],
            "id": f"dem-truy-cap-{page_id}",
        },
    )

"""{% visit_beacon page %} and {% visit_counter page %} for news pages.

`page` is any news page with `stats_target()`; see docs/statistics.md.
"""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from cchc.lib.formats import integer_vi
from cchc.stats import selectors, services

register = template.Library()


@register.simple_tag
def visit_beacon(page) -> str:
    """The counting beacon: a small script, and a pixel for browsers without JavaScript."""
    token = services.target_token(services.target_for_page(page))
    return render_to_string(
        "stats/beacon.html",
        {"token": token, "url": reverse("stats:beacon"), "pixel_url": reverse("stats:pixel")},
    )


@register.simple_tag
def visit_counter(page) -> str:
    """The visit counter box of the page's section (the province's: every section)."""
    numbers = selectors.counter_for_page(page)
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
            "id": f"dem-truy-cap-{page.pk}",
        },
    )

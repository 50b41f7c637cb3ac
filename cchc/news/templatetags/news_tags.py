from django import template
from django.utils.safestring import mark_safe

from cchc.lib.richtext import render_rich_text

register = template.Library()


@register.filter
def news_richtext(value) -> str:
    """Wagtail's |richtext, then an allow-list sanitiser over the final HTML;
    broken stored references show as text (cchc/lib/richtext.py)."""
    return render_rich_text(value)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some keys replaced (pagination links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def latest_cchc_articles(context, count: int = 5) -> str:
    """The newest CCHC articles of every unit, for the portal's home page."""
    from cchc.news.selectors import content_version, kept_html, live_articles

    request = context.get("request")
    return kept_html(
        request,
        f"latest:{count}",
        content_version(request),
        "news/includes/latest_articles.html",
        lambda: live_articles()[:count],
    )


@register.simple_tag(takes_context=True)
def article_cards(context, articles, show_unit=False) -> str:
    """A list's cards (news/includes/article_card.html), each kept by article."""
    from cchc.news.selectors import article_cards, content_version

    request = context.get("request")
    cards = article_cards(
        request, articles, show_unit=bool(show_unit), version=content_version(request)
    )
    return mark_safe("".join(cards))  # noqa: S308 - each card rendered by its template

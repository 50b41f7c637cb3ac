from django import template
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from cchc.news.text import clean_rendered_html

register = template.Library()


@register.filter
def news_richtext(value) -> str:
    """Wagtail's |richtext, then an allow-list sanitiser over the final HTML."""
    return mark_safe(clean_rendered_html(expand_db_html(value or "")))  # noqa: S308


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


@register.inclusion_tag("news/includes/latest_articles.html")
def latest_cchc_articles(count: int = 5) -> dict:
    """The newest CCHC articles of every unit, for the portal's home page."""
    from cchc.news.selectors import live_articles

    return {"articles": list(live_articles()[:count])}

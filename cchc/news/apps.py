from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "cchc.news"
    label = "news"
    verbose_name = "Tin cải cách hành chính"

    def ready(self) -> None:
        from cchc.core import site_version

        # Public news pages keep a unit's name, its predecessors (a merged
        # unit lists their articles) and an article's files with the page.
        site_version.invalidate_on(
            "org.Unit", "org.UnitSuccession", "wagtaildocs.Document", "news.ArticleAttachment"
        )

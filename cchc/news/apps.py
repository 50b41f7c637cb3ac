from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "cchc.news"
    label = "news"
    verbose_name = "Tin cải cách hành chính"

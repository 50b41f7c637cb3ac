from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "cchc.org"
    label = "org"
    verbose_name = "Tổ chức"

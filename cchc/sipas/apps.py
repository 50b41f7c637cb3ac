from django.apps import AppConfig


class SipasConfig(AppConfig):
    name = "cchc.sipas"
    label = "sipas"
    verbose_name = "Khảo sát sự hài lòng (SIPAS)"

"""Public SIPAS pages: the online form reached by a respondent's one-time code (no account)."""

from cchc.sipas.views import online

app_name = "sipas"
urlpatterns: list = list(online.urlpatterns)

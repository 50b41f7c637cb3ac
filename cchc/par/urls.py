"""Public PAR results pages: /chi-so-cchc/ (published years only)."""

from django.urls import path

from cchc.par.views import public

app_name = "par"
urlpatterns: list = [
    path("chi-so-cchc/", public.year_list, name="results_years"),
    path("chi-so-cchc/<int:year>/", public.year_detail, name="results_year"),
    path("chi-so-cchc/<int:year>/<slug:slug>/", public.unit_detail, name="results_unit"),
]

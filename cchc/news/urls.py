from django.urls import path

from cchc.news import views

app_name = "news"
# Section, topic and article pages, their RSS feeds (…/rss/) and the widget
# (…/cchc/nhung/) are Wagtail pages and routes; only the script lives here.
urlpatterns = [
    path("cchc/nhung.js", views.widget_script, name="province_widget_script"),
    path("don-vi/<slug:slug>/cchc/nhung.js", views.widget_script, name="widget_script"),
]

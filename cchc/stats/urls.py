from django.urls import path

from cchc.stats import views

app_name = "stats"
urlpatterns = [
    path("thong-ke/luot-xem", views.beacon, name="beacon"),
    path("thong-ke/luot-xem.gif", views.pixel, name="pixel"),
]

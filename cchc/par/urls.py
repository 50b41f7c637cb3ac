app_name = "par"
urlpatterns: list = []

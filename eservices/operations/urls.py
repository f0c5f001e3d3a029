from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("status/", views.status_page, name="status"),
]

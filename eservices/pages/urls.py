from django.urls import path

from . import views

app_name = "pages"
urlpatterns = [
    path("guide/", views.guide_index, name="guide"),
    path("guide/screenshots/<str:name>", views.screenshot, name="screenshot"),
    path("guide/<slug:slug>/", views.guide_page, name="guide_page"),
    path("contact/", views.contact, name="contact"),
    path("about/<slug:slug>/", views.statement, name="statement"),
]

"""The OpenID Connect callback and the page after logout, outside the language prefix: their addresses are
registered at the provider."""

from django.urls import path

from . import views

urlpatterns = [
    path("callback", views.oidc_callback, name="oidc_callback"),
    path("logged-out", views.logged_out, name="logged_out"),
]

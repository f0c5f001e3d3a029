"""The OpenID Connect callback, outside the language prefix: its address is registered at the provider."""

from django.urls import path

from . import views

urlpatterns = [
    path("callback", views.oidc_callback, name="oidc_callback"),
]

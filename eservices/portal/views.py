"""Citizen screens."""

from django.shortcuts import render


def home(request):
    """The landing page: what the portal offers and how to log in."""
    return render(request, "portal/home.html")

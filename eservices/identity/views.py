"""Login and logout."""

from django.shortcuts import render


def login(request):
    """Where a citizen or a staff member chooses how to log in."""
    return render(request, "identity/login.html")

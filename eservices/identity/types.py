"""Types that annotations across the apps share: the acting user, signed in (``identity.User``) or anonymous."""

from django.contrib.auth.models import AnonymousUser

from .models import User

type Actor = User | AnonymousUser

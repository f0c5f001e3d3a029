import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from eservices.audit.models import AuditEvent
from eservices.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_creates_a_device_for_an_account_with_a_password(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory()
    user.set_password("a long enough password 1")
    user.save()
    out = io.StringIO()
    call_command("breakglass_totp", user.username, stdout=out)
    assert "otpauth://totp/" in out.getvalue()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert AuditEvent.objects.filter(action="otp.device_created").exists()


def test_refuses_an_oidc_only_account():
    with pytest.raises(CommandError):
        call_command("breakglass_totp", UserFactory().username)

"""SECM_LOCAL_REHEARSAL (make prod-local): the production profile's one narrow exception, for 127.0.0.1 only."""

import pytest

from eservices.core.tests.test_settings_profiles import STRONG_KEY, manage, production

LOCAL = {
    "SECRET_KEY": STRONG_KEY,
    "SECM_LOCAL_REHEARSAL": "1",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SITE_URL": "https://127.0.0.1:8443",
    "OIDC_ISSUER": "http://127.0.0.1:18089",
}


def test_a_rehearsal_on_127_0_0_1_may_use_the_local_identity_provider(tmp_path):
    result = manage("check", **production(SECM_DATA_DIR=str(tmp_path), **LOCAL))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "127.0.0.1,eservices.example"}, "SECM_LOCAL_REHEARSAL needs"),
        ({"SITE_URL": "https://eservices.example"}, "SECM_LOCAL_REHEARSAL needs"),
        ({"OIDC_DEV_PROVIDER": "1"}, "refuses the development identity provider"),
        ({"OIDC_ISSUER": "http://idp.example"}, "needs OIDC_ISSUER (https)"),
        ({"SECM_LOCAL_REHEARSAL": "0"}, "refuses the development identity provider"),
    ],
)
def test_a_rehearsal_changes_nothing_else(tmp_path, env, message):
    result = manage("check", **production(SECM_DATA_DIR=str(tmp_path), **{**LOCAL, **env}))
    assert result.returncode != 0
    assert message in result.stderr

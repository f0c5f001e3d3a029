"""The development identity provider's configuration comes from the demo data; the demo people carry a NRN."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from eservices.demo import data
from eservices.identity import crypto, nrn
from eservices.identity.models import User


@pytest.mark.django_db
def test_demo_people_have_national_numbers():
    data.load()
    data.load()
    user = User.objects.get(username="dr.dubois")
    assert user.nrn_hash == nrn.lookup_hash(data.NATIONAL_NUMBERS["dr.dubois"])
    assert crypto.decrypt_nrn(user.nrn_encrypted) == nrn.normalise(data.NATIONAL_NUMBERS["dr.dubois"])
    assert all(nrn.is_valid(number) for number in data.NATIONAL_NUMBERS.values())
    assert not User.objects.filter(username="nieuw.persoon").exists()  # known to the provider only


def test_config_lists_the_identities_and_the_client(settings, tmp_path):
    settings.OIDC_DEMO_CLIENT_KEY_PATH = tmp_path / "devidp" / "rp-key.json"
    call_command("devidp_config", stdout=io.StringIO())
    call_command("devidp_config", stdout=io.StringIO())  # the key pair is kept
    config = json.loads((tmp_path / "devidp" / "config.json").read_text())
    accounts = {account["id"]: account for account in config["accounts"]}
    assert "urn:be:fedict:iam:fas:Level450" in accounts["agent.secm"]["levels"]  # shows the back office refusal
    assert accounts["agent.secm"]["kind"] == "staff"
    assert "urn:be:fedict:iam:fas:Level400" in accounts["dr.dubois"]["levels"]
    assert nrn.is_valid(accounts["nieuw.persoon"]["claims"]["egovNRN"])
    client = config["clients"][0]
    assert client["token_endpoint_auth_method"] == "private_key_jwt"
    assert "d" not in client["jwks"]["keys"][0]  # the public key only
    assert (tmp_path / "devidp" / "rp-key.json").stat().st_mode & 0o077 == 0


def test_refused_without_the_development_provider(settings):
    settings.OIDC_DEV_PROVIDER = False
    with pytest.raises(CommandError):
        call_command("devidp_config", stdout=io.StringIO())

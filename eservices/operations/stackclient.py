"""A client of a running prod-local stack (deploy/prod_local.py): logs in through the identity provider as a
browser does, then reads pages and posts forms. Used by the fault tests and bench/load.py; nothing here runs in
the portal itself.
"""

import re
from urllib.parse import urlsplit

import requests

CITIZEN_LEVEL = "urn:be:fedict:iam:fas:Level450"
STAFF_LEVEL = "urn:be:fedict:iam:fas:Level500"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class StackClient:
    """One person's browser session on the stack at ``site_url`` (TLS checked against the stack's CA)."""

    def __init__(self, site_url: str, ca_file: str, *, timeout: float = 60):
        self.site_url = site_url.rstrip("/")
        self.session = requests.Session()
        self.session.verify = ca_file
        self.session.trust_env = False  # REQUESTS_CA_BUNDLE would override verify; no proxy for 127.0.0.1
        self.timeout = timeout

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.site_url}{path}"

    def get(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        return self.session.get(self.url(path), **kwargs)

    def log_in(self, account: str, *, staff: bool = False) -> requests.Response:
        """The OpenID Connect login: the portal sends the browser to the provider, the person is chosen there."""
        page = self.get(f"/fr/account/login/oidc/?level={'staff' if staff else 'citizen'}")
        page.raise_for_status()
        uid = re.search(r"/interaction/([\w-]+)", page.url)
        if uid is None:
            raise RuntimeError(f"no interaction at the identity provider: {page.url} {page.status_code}")
        provider = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
        answer = self.session.post(
            f"{provider}/interaction/{uid.group(1)}/login",
            data={"account": account, "acr": STAFF_LEVEL if staff else CITIZEN_LEVEL},
            timeout=self.timeout,
        )
        if not answer.url.startswith(self.site_url) or answer.status_code != 200:
            raise RuntimeError(f"login of {account} failed: {answer.status_code} {answer.url}")
        return answer

    def csrf_token(self, page: requests.Response) -> str:
        found = CSRF.search(page.text)
        if found is None:
            raise RuntimeError(f"no form on {page.url}")
        return found.group(1)

    def post_form(self, path: str, data: dict, files=None, **kwargs) -> requests.Response:
        """GET the form's page, then POST it with its CSRF token (and the page as referer, as a browser does)."""
        page = self.get(path)
        page.raise_for_status()
        return self.session.post(
            self.url(path),
            data={"csrfmiddlewaretoken": self.csrf_token(page), **data},
            files=files,
            headers={"Referer": page.url, "Origin": self.site_url},
            timeout=self.timeout,
            **kwargs,
        )

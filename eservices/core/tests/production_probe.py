"""Run in a subprocess under the production profile: prints the headers and cookies the portal sends.

The profile's settings are fixed when Django starts, so tests start a separate interpreter to see them.
"""

import json

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.middleware import SessionMiddleware  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402

call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)  # production serves the collected, hashed files
HTTPS = {"secure": True, "HTTP_X_FORWARDED_PROTO": "https", "HTTP_HOST": "eservices.example"}
client = Client()
page = client.get("/fr/", **HTTPS)
missing = client.get("/fr/nothing-here/", **HTTPS)
plain = client.get("/fr/", HTTP_HOST="eservices.example")
token = page.cookies[settings.CSRF_COOKIE_NAME].value
language = client.post(
    "/i18n/setlang/",
    {"language": "nl", "next": "/fr/", "csrfmiddlewaretoken": token},
    HTTP_REFERER="https://eservices.example/fr/",
    **HTTPS,
)


def writes_the_session(request):
    request.session["probe"] = True
    return HttpResponse()


session = SessionMiddleware(writes_the_session)(RequestFactory().get("/", secure=True))
print(
    json.dumps(
        {
            "page": {"status": page.status_code, "headers": dict(page.headers)},
            "missing": {"status": missing.status_code, "headers": dict(missing.headers)},
            "plain": {"status": plain.status_code, "location": plain.get("Location", "")},
            "language": {"status": language.status_code},
            "cookies": [
                morsel.OutputString() for response in (page, language, session) for morsel in response.cookies.values()
            ],
        }
    )
)

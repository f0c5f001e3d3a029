"""Load on the production stack (make prod-local): the main journeys, headless, bounded, 127.0.0.1 only.

    make prod-local                       # once; for many users raise the per-address login limit, e.g.
                                          # LOGIN_RATE=2000/m make prod-local (every simulated person shares 127.0.0.1)
    .venv/bin/python bench/load.py --users 50 --spawn-rate 10 --duration 60
    .venv/bin/python bench/load.py --users 200 --spawn-rate 20 --duration 90

Simulated people (locust, gevent): citizens (log in through the identity provider, home, sent items, mailbox, the
deposit form, now and then a deposit of a small PDF), staff (log in at the staff level, back office, incoming
deposits, case files) and visitors (home, help, the verification page). Results: one line per request kind
(count, failures, median, 95th percentile, max, requests per second), with the machine's load average before and
after, for docs/benchmarks.md. It refuses any target but 127.0.0.1 and stops after --duration seconds.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402 - after gevent's patching, as locust needs
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import gevent  # noqa: E402
from locust import HttpUser, between, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CITIZEN_LEVEL = "urn:be:fedict:iam:fas:Level450"
STAFF_LEVEL = "urn:be:fedict:iam:fas:Level500"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="idempotency_key" value="([^"]*)"')
STACK = Path(os.environ.get("PROD_LOCAL_DIR", ROOT / "var" / "prod-local"))


def _accounts(kind):
    config = json.loads((STACK / "data" / "devidp" / "config.json").read_text())
    return [account["id"] for account in config["accounts"] if account.get("kind") == kind]


def _pdf():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.cell(text="Rapport - charge")
    return bytes(pdf.output())


PDF = _pdf()


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    kind = "citizen"

    def on_start(self):
        self.client.verify = str(STACK / "secrets" / "ca.pem")
        self.client.trust_env = False  # REQUESTS_CA_BUNDLE would override verify; no proxy for 127.0.0.1
        staff = self.kind == "staff"
        account = random.choice(_accounts(self.kind))  # noqa: S311 - not security
        with self.client.get(
            f"/fr/account/login/oidc/?level={'staff' if staff else 'citizen'}",
            name="login: to the provider",
            catch_response=True,
        ) as page:
            uid = re.search(r"/interaction/([\w-]+)", page.url or "")
            if uid is None:
                page.failure(f"no interaction ({page.status_code})")
                self.stop(force=False)
                return
        provider = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
        self.client.post(
            f"{provider}/interaction/{uid.group(1)}/login",
            data={"account": account, "acr": STAFF_LEVEL if staff else CITIZEN_LEVEL},
            name="login: back with the code",
        )


class Citizen(Person):
    weight = 6

    @task(4)
    def home(self):
        self.client.get("/fr/", name="citizen: home")

    @task(2)
    def sent_items(self):
        self.client.get("/fr/deposits/", name="citizen: sent items")

    @task(2)
    def mailbox(self):
        self.client.get("/fr/mailbox/", name="citizen: mailbox")

    @task(1)
    def deposit(self):
        with self.client.get("/fr/deposits/new/", name="citizen: deposit form", catch_response=True) as page:
            token, key = CSRF.search(page.text or ""), KEY.search(page.text or "")
            if token is None or key is None:
                page.failure(f"no deposit form ({page.status_code} {page.url})")
                return
        token = token.group(1)
        self.client.post(
            "/fr/deposits/new/",
            data={
                "csrfmiddlewaretoken": token,
                "idempotency_key": key.group(1),
                "unit": "1",
                "capacity": "concerned_person",
                "message": "load test",
                "case_file_reference": "SECM/2026/000001",
            },
            files={"files": ("report.pdf", PDF, "application/pdf")},
            headers={"Referer": page.url},
            name="citizen: deposit (PDF, scanned, signed)",
        )


class Staff(Person):
    weight = 2
    kind = "staff"

    @task(3)
    def dashboard(self):
        self.client.get("/fr/backoffice/", name="staff: back office")

    @task(2)
    def deposits(self):
        self.client.get("/fr/backoffice/deposits/", name="staff: incoming deposits")

    @task(2)
    def case_files(self):
        self.client.get("/fr/backoffice/case-files/", name="staff: case files")


class Visitor(HttpUser):
    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        self.client.verify = str(STACK / "secrets" / "ca.pem")
        self.client.trust_env = False

    @task(3)
    def home(self):
        self.client.get("/fr/", name="visitor: home")

    @task(1)
    def guide(self):
        self.client.get("/fr/guide/", name="visitor: guide")

    @task(1)
    def verify(self):
        self.client.get("/fr/verify/", name="visitor: verification page")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Load on make prod-local's stack (127.0.0.1 only).")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds (at most 600)")
    options = parser.parse_args(argv)
    ports = json.loads((STACK / "ports.json").read_text())
    host = f"https://127.0.0.1:{ports['https']}"
    if urlsplit(host).hostname != "127.0.0.1" or not 0 < options.duration <= 600 or options.users > 500:
        sys.exit("bench/load.py drives only 127.0.0.1, for at most 600 s and 500 users")
    load_before = os.getloadavg()
    environment = Environment(user_classes=[Citizen, Staff, Visitor], host=host, events=events)
    runner = environment.create_local_runner()
    runner.start(options.users, spawn_rate=options.spawn_rate)
    gevent.spawn_later(options.duration, runner.quit)
    runner.greenlet.join()
    load_after = os.getloadavg()
    stats = environment.stats
    print(
        f"\n{options.users} users (spawn {options.spawn_rate}/s), {options.duration} s, {os.cpu_count()} cores; "
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min)\n"
    )
    print("| request | count | failures | median ms | p95 ms | max ms | req/s |")
    print("|---|---|---|---|---|---|---|")
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        print(
            f"| {entry.name} | {entry.num_requests} | {entry.num_failures} | {entry.median_response_time:.0f} | "
            f"{entry.get_response_time_percentile(0.95):.0f} | {entry.max_response_time:.0f} | "
            f"{entry.total_rps:.1f} |"
        )
    total = stats.total
    print(
        f"| **all** | {total.num_requests} | {total.num_failures} | {total.median_response_time:.0f} | "
        f"{total.get_response_time_percentile(0.95):.0f} | {total.max_response_time:.0f} | {total.total_rps:.1f} |"
    )
    failures = {}
    for error in stats.errors.values():
        failures[f"{error.name}: {str(error.error)[:100]}"] = error.occurrences
    for text, count in sorted(failures.items(), key=lambda item: -item[1])[:10]:
        print(f"  failure x{count}: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

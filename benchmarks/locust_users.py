"""The simulated users of benchmarks/load.py (a locustfile; not meant to be run by hand).

Readers are tenant-organisation accounts (password only) browsing the dashboard, the lists
with filters and the detail pages. Writers are kernteam and corporation accounts that log in
with password and TOTP code, like in production, and post progress updates. Every write
carries a unique marker; the markers of writes that were acknowledged (302 to the action page)
are written to LOAD_RESULTS so that load.py can check each one is in the database.

Environment: LOAD_ACCOUNTS (the JSON from the harness), LOAD_RESULTS (output directory).
"""

import itertools
import json
import os
import random
import re
import threading
import time
import uuid
from binascii import unhexlify
from pathlib import Path

import requests
from django_otp.oath import TOTP
from locust import HttpUser, between, events, task

CONFIG = json.loads(Path(os.environ["LOAD_ACCOUNTS"]).read_text())
RESULTS = Path(os.environ["LOAD_RESULTS"])
YEAR = CONFIG["year"]
SITE = CONFIG["site"]
READERS = itertools.cycle([a for a in CONFIG["accounts"] if not a["writer"]])
WRITERS = itertools.cycle([a for a in CONFIG["accounts"] if a["writer"] and a["actions"]])
_lock = threading.Lock()
ACKNOWLEDGED: list[str] = []
LOGIN_SECONDS: list[float] = []
OUTCOMES = {"opgeslagen": 0, "conflict": 0, "geweigerd": 0, "fout": 0}

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEEN_LATEST = re.compile(r'name="seen_latest_id"(?: value="([^"]*)")?')


def csrf_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    return match.group(1) if match else ""


class Browsing(HttpUser):
    abstract = True
    wait_time = between(
        float(os.environ.get("LOAD_THINK_MIN", "0.3")),
        float(os.environ.get("LOAD_THINK_MAX", "1.5")),
    )

    def login(self, account, with_code: bool) -> None:
        """Log in outside the statistics (timed separately): the figures are the steady state."""
        session = requests.Session()
        started = time.monotonic()
        page = session.get(self.host + "/inloggen/", timeout=60)
        response = session.post(
            self.host + "/inloggen/",
            {
                "username": account["username"],
                "password": CONFIG["password"],
                "csrfmiddlewaretoken": csrf_from(page.text),
            },
            timeout=60,
        )
        if with_code:
            key = unhexlify(account["totp_key"])
            response = session.post(
                self.host + "/tweestapsverificatie/",
                {
                    "token": f"{TOTP(key).token():06d}",
                    "csrfmiddlewaretoken": csrf_from(response.text),
                },
                timeout=60,
            )
        if "Ingelogd als" not in response.text:
            raise RuntimeError(f"inloggen als {account['username']} mislukt")
        with _lock:
            LOGIN_SECONDS.append(time.monotonic() - started)
        self.client.cookies.update(session.cookies)

    @task(5)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(3)
    def action_list_filtered(self):
        params = random.choice(
            [
                {},
                {"status": "vertraagd"},
                {"party": random.choice(SITE["corporations"])},
                {"q": random.choice(["woning", "huur", "energie", "wijk"])},
                {"attention": "on"},
            ]
        )
        self.client.get("/afspraken/", params=params, name="afspraken (lijst, filters)")

    @task(2)
    def project_list_filtered(self):
        params = random.choice(
            [{}, {"status": "in_uitvoering"}, {"corporation": random.choice(SITE["corporations"])}]
        )
        self.client.get("/projecten/", params=params, name="projecten (lijst, filters)")

    @task(1)
    def sustainability(self):
        self.client.get("/duurzaamheid/", name="duurzaamheid")

    @task(1)
    def party_pages(self):
        self.client.get("/partijen/", name="partijen")
        self.client.get(f"/partijen/{random.choice(SITE['parties'])}/", name="partij (detail)")

    @task(3)
    def action_detail(self):
        number = random.choice(SITE["actions"])
        self.client.get(f"/afspraken/{YEAR}/{number}/", name="afspraak (detail)")

    @task(2)
    def project_detail(self):
        if SITE["projects"]:
            self.client.get(
                f"/projecten/{random.choice(SITE['projects'])}/", name="project (detail)"
            )


class Reader(Browsing):
    weight = 3

    def on_start(self):
        with _lock:
            account = next(READERS)
        self.login(account, with_code=False)


class Writer(Browsing):
    weight = 1

    def on_start(self):
        with _lock:
            self.account = next(WRITERS)
        self.login(self.account, with_code=True)

    @task(6)
    def post_progress_update(self):
        number = random.choice(self.account["actions"])
        url = f"/afspraken/{YEAR}/{number}/"
        page = self.client.get(url, name="afspraak (detail)")
        seen = SEEN_LATEST.search(page.text)
        marker = uuid.uuid4().hex
        with self.client.post(
            f"{url}voortgang/",
            {
                "csrfmiddlewaretoken": csrf_from(page.text),
                "status": "op_schema",
                "percent_done": str(random.randint(1, 99)),
                "explanation": f"Belastingtest {marker} – voortgang gemeld onder belasting.",
                "evidence_url": "",
                "seen_latest_id": (seen.group(1) or "") if seen else "",
            },
            name="voortgang melden (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302 and "#voortgang" in response.headers.get("Location", ""):
                outcome = "opgeslagen"
                response.success()
            elif response.status_code == 200 and "nieuwere voortgang" in response.text:
                outcome = "conflict"  # optimistic locking did its job: counted, not an error
                response.success()
            elif response.status_code == 200:
                outcome = "geweigerd"
                response.failure("formulier geweigerd")
            else:
                outcome = "fout"
                response.failure(f"status {response.status_code}")
        with _lock:
            OUTCOMES[outcome] += 1
            if outcome == "opgeslagen":
                ACKNOWLEDGED.append(marker)


@events.quitting.add_listener
def _write_results(environment, **kwargs):
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "writes.json").write_text(
        json.dumps({"acknowledged": ACKNOWLEDGED, "outcomes": OUTCOMES, "logins": LOGIN_SECONDS})
    )

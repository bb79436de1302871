"""Schemathesis reads /api/v1/openapi.json and throws generated requests at a live server:
no 5xx, every response matching the documented schema, content type, headers and status codes.

Run against the real PostgreSQL of the test command with jaarschijf 2024 (and a synthetic
concept jaarschijf with progress updates) loaded: once as an anonymous caller with
PUBLIC_DASHBOARD on, once as a logged-in kernteamlid, once with a Weller API token (the reads:
tests/test_api_writes_schemathesis.py runs the writes with one), once anonymous with the dashboard closed (every answer then a
documented 401/403 problem+json). The detail endpoints (afspraken/{jaarschijf}/{nummer}, …)
are in the document, so every run covers them, starting from their documented examples.
Marked ``fuzz`` (a few minutes): `scripts/test.sh --fast` skips it, CI runs it.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client

from accounts.models import UserRole

from .factories import action, login, make_api_token, make_progress_update, make_user

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
MAX_EXAMPLES = "15"


def schemathesis() -> str:
    found = Path(sys.executable).with_name("schemathesis")
    return str(found) if found.exists() else shutil.which("schemathesis")


def run_schemathesis(
    live_server, *headers: str, examples=MAX_EXAMPLES, extra=()
) -> subprocess.CompletedProcess:
    args = [
        schemathesis(),
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        examples,
        "--workers",
        "1",
        "--request-timeout",
        "30",
    ]
    for header in headers:
        args += ["--header", header]
    args += extra
    return subprocess.run(args, capture_output=True, text=True, timeout=900, check=False)  # noqa: S603


@pytest.fixture
def data(jaarschijf):
    call_command("generate_data", scale=1, verbosity=0)
    writer = make_user(UserRole.MEDEWERKER, "Weller", "weller-st")
    make_progress_update(action("1.7"), writer, explanation="Intern", is_public=False)
    make_progress_update(action("1.8"), writer, explanation="Openbaar", is_public=True)
    return jaarschijf


def assert_no_failures(result) -> str:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "Failures:" not in output, output[-6000:]
    assert " generated, " in output and " passed" in output, output[-3000:]
    return output


def test_the_public_api_holds_to_its_openapi_document(live_server, data, settings):
    settings.PUBLIC_DASHBOARD = True

    assert_no_failures(run_schemathesis(live_server))


def test_the_api_of_a_logged_in_user_holds_to_its_openapi_document(live_server, data, settings):
    settings.PUBLIC_DASHBOARD = False
    client = login(Client(), make_user(UserRole.KERNTEAMLID, "Wonen Zuid", "kernteam-st"))
    client.get("/ping/")
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    assert_no_failures(
        run_schemathesis(live_server, f"Cookie: {django_settings.SESSION_COOKIE_NAME}={session}")
    )


def test_the_api_of_a_token_holds_to_its_openapi_document(live_server, data, settings):
    settings.PUBLIC_DASHBOARD = False
    settings.API_TOKEN_RATE = "100000/hour"
    _, secret = make_api_token("Weller")

    assert_no_failures(
        run_schemathesis(
            live_server,
            f"Authorization: Bearer {secret}",
            extra=["--exclude-path-regex", "(realisatie|voortgang)$"],
        )
    )


def test_the_closed_api_refuses_as_documented(live_server, data, settings):
    settings.PUBLIC_DASHBOARD = False

    output = assert_no_failures(run_schemathesis(live_server, examples="5"))

    # Every operation refused (403 problem+json, as documented): schemathesis says so.
    assert "operations returned only 401/403 responses" in output

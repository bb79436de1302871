"""Schemathesis with a Weller API token against the write endpoints on a live server: no 5xx,
every answer (200, 400, 403, 404, 409, …) matching the OpenAPI document.

The whole-document runs (tests/test_api_schemathesis.py) have no token, so there every write
answers 401; here the generated requests reach the forms and services, at the addresses of
real Weller figures (given to schemathesis as path parameters). Marked ``fuzz``.
"""

import subprocess

import pytest

from agreements.models import IndicatorValue
from projects.models import Project

from .factories import make_api_token
from .test_api_schemathesis import CHECKS, assert_no_failures, schemathesis

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]


def config(path, jaarschijf) -> str:
    project = Project.objects.filter(jaarschijf=jaarschijf, corporation__slug="weller").first()
    value = IndicatorValue.objects.filter(
        indicator__jaarschijf=jaarschijf, party__slug="weller"
    ).first()
    year = jaarschijf.year
    path.write_text(
        f"""
# Many generated inputs break the forms' cross-field rules (a dropped project needs an
# explanation, a quarter needs a year): that is a 400, not a mismatch worth a warning.
warnings = ["missing_test_data"]

[[operations]]
include-path-regex = "efg-labelcijfers/"
parameters = {{ "path.jaarschijf" = {year}, "path.corporatie" = "weller", "path.jaar" = {year + 1} }}

[[operations]]
include-path-regex = "projecten/"
parameters = {{ "path.jaarschijf" = {year}, "path.categorie" = "{project.category}", "path.volgnummer" = {project.position} }}

[[operations]]
include-path-regex = "kengetallen/"
parameters = {{ "path.jaarschijf" = {year}, "path.code" = "{value.indicator.code}", "path.partij" = "weller", "path.periode" = "{value.period}" }}
""",
        encoding="utf-8",
    )
    return str(path)


def test_the_write_api_holds_to_its_openapi_document_with_a_token(
    live_server, jaarschijf, settings, tmp_path
):
    settings.API_TOKEN_RATE = "100000/minute"
    _, secret = make_api_token("Weller", "Schemathesis")

    result = subprocess.run(  # noqa: S603
        [
            schemathesis(),
            "--config-file",
            config(tmp_path / "schemathesis.toml", jaarschijf),
            "run",
            f"{live_server.url}/api/v1/openapi.json",
            "--include-path-regex",
            "(realisatie|voortgang)$",
            "--checks",
            CHECKS,
            "--max-examples",
            "25",
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--header",
            f"Authorization: Bearer {secret}",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )

    assert_no_failures(result)
    # The requests reached the figures: schemathesis saw more than refusals and 404s.
    assert "Missing test data" not in result.stdout + result.stderr

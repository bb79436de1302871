"""/healthz tells monitoring whether the application can reach its database."""

import pytest
from django.urls import reverse

from .conftest import login
from .helpers_security import database_unreachable


def test_healthz_answers_ok_without_a_login(client, db):
    response = client.get(reverse("accounts:healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_lives_at_the_conventional_address():
    assert reverse("accounts:healthz") == "/healthz"


def test_healthz_accepts_only_reads(client, db):
    assert client.post(reverse("accounts:healthz")).status_code == 405


def test_healthz_does_not_start_a_session(client, db):
    response = client.get(reverse("accounts:healthz"))
    assert "sessionid" not in response.cookies


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_without_a_traceback_while_the_database_is_down(client):
    client.raise_request_exception = False  # a real server answers, it does not raise
    with database_unreachable():
        response = client.get(reverse("accounts:healthz"))
    assert response.status_code == 503
    body = response.content.decode()
    assert body == "database niet bereikbaar\n"
    assert "Traceback" not in body and "OperationalError" not in body


@pytest.mark.django_db(transaction=True)
def test_healthz_recovers_when_the_database_is_back_without_a_restart(client):
    client.raise_request_exception = False  # a real server answers, it does not raise
    with database_unreachable():
        assert client.get(reverse("accounts:healthz")).status_code == 503
    assert client.get(reverse("accounts:healthz")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_for_a_logged_in_user_too(client, jaarschijf, weller_medewerker):
    login(client, weller_medewerker)
    client.raise_request_exception = False  # a real server answers, it does not raise
    with database_unreachable():
        response = client.get(reverse("accounts:healthz"))
    assert response.status_code == 503

"""Logging in and out and changing the password, in Dutch, through the real forms."""

import pytest
from django.urls import reverse

from .conftest import PASSWORD, login
from .helpers_security import post_login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # The password part on its own; two-factor authentication has tests of its own.
    settings.OTP_REQUIRED = False


def test_login_page_asks_for_username_and_password_in_dutch(client, jaarschijf):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Inloggen" in html
    assert "Gebruikersnaam" in html and "Wachtwoord" in html
    assert 'autocomplete="current-password"' in html


def test_wrong_password_shows_a_dutch_message_and_logs_nobody_in(client, weller_medewerker):
    response = post_login(client, "weller", "niet-het-goede-wachtwoord")
    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client, jaarschijf):
    response = post_login(client, "bestaat-niet", PASSWORD)
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()


def test_correct_password_logs_in_and_opens_the_dashboard(client, weller_medewerker):
    response = post_login(client, "weller")
    assert response.status_code == 302
    assert response["Location"] == reverse("overview:dashboard")
    assert client.session["_auth_user_id"] == str(weller_medewerker.pk)


def test_login_continues_to_the_page_that_was_asked_for(client, weller_medewerker):
    response = post_login(client, "weller", next_url=reverse("accounts:password_change"))
    assert response["Location"] == reverse("accounts:password_change")


def test_login_never_redirects_to_another_site(client, weller_medewerker):
    response = post_login(client, "weller", next_url="https://aanvaller.example/inloggen")
    assert response["Location"] == reverse("overview:dashboard")


def test_inactive_account_cannot_log_in(client, weller_medewerker):
    weller_medewerker.is_active = False
    weller_medewerker.save()
    response = post_login(client, "weller")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_refused_as_a_link(client, weller_medewerker):
    login(client, weller_medewerker)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert client.session.get("_auth_user_id") == str(weller_medewerker.pk)


def test_logout_by_button_ends_the_session_with_a_dutch_message(client, weller_medewerker):
    login(client, weller_medewerker)
    response = client.post(reverse("accounts:logout"), follow=True)
    assert "_auth_user_id" not in client.session
    assert response.redirect_chain[0][0] == reverse("accounts:login")
    assert "U bent uitgelogd." in response.content.decode()


def test_password_change_needs_a_login(client, jaarschijf):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_change_refuses_a_short_password_with_a_dutch_message(client, weller_medewerker):
    login(client, weller_medewerker)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "kort1!", "new_password2": "kort1!"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten." in html
    weller_medewerker.refresh_from_db()
    assert weller_medewerker.check_password(PASSWORD)


def test_password_change_refuses_a_common_password(client, weller_medewerker):
    login(client, weller_medewerker)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "qwertyuiop123",
            "new_password2": "qwertyuiop123",
        },
    )
    assert "Dit wachtwoord is te algemeen." in response.content.decode()
    weller_medewerker.refresh_from_db()
    assert weller_medewerker.check_password(PASSWORD)


def test_password_change_refuses_a_wrong_current_password(client, weller_medewerker):
    login(client, weller_medewerker)
    new = "paars-kasteel-regent-morgen"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "fout", "new_password1": new, "new_password2": new},
    )
    assert "oude wachtwoord" in response.content.decode().lower()
    weller_medewerker.refresh_from_db()
    assert weller_medewerker.check_password(PASSWORD)


def test_password_change_with_a_strong_password_keeps_the_user_logged_in(client, weller_medewerker):
    login(client, weller_medewerker)
    new = "paars-kasteel-regent-morgen"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:password_change_done")
    assert "Uw nieuwe wachtwoord is opgeslagen" in response.content.decode()
    weller_medewerker.refresh_from_db()
    assert weller_medewerker.check_password(new)
    assert client.session["_auth_user_id"] == str(weller_medewerker.pk)

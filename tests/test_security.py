"""Security settings a user or an attacker would notice: headers, cookies, lockout, sessions."""

import re
import subprocess
import sys
import time

import pytest
from django.conf import settings as live_settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts import middleware as accounts_middleware

from .factories import PASSWORD, login
from .helpers_security import (
    PRODUCTION_ENV,
    database_unreachable,
    post_login,
    production_response,
    production_settings,
    production_start_error,
    run_in_production,
)


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


# --- production configuration -------------------------------------------------------------


def test_deploy_check_passes_with_production_settings():
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=live_settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cookies_are_secure_and_hidden_from_scripts():
    values = production_settings(
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "DEBUG",
    )
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "DEBUG": False,
    }


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check"],
        cwd=live_settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", **PRODUCTION_ENV, "SECRET_KEY": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_sends_hsts_for_a_year_with_subdomains():
    response = production_response(reverse("accounts:security-txt"), secure=True)
    assert response["status"] == 200
    assert (
        response["headers"]["Strict-Transport-Security"]
        == "max-age=31536000; includeSubDomains; preload"
    )


def test_production_redirects_plain_http_to_https():
    response = production_response(reverse("accounts:security-txt"), secure=False)
    assert response["status"] == 301
    assert response["headers"]["Location"].startswith("https://prestatieafspraken.example/")


def test_production_answers_healthz_over_plain_http_for_the_load_balancer():
    # Health checks come from inside the network, before TLS; they must not be redirected.
    response = production_response(reverse("accounts:healthz"), secure=False)
    assert response["status"] != 301


# --- headers on every page ----------------------------------------------------------------


@pytest.mark.django_db
def test_pages_forbid_inline_scripts_and_styles_through_csp(client, jaarschijf):
    response = client.get(reverse("accounts:login"))
    directives = csp_directives(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "'self'" in directives["script-src"]


@pytest.mark.django_db
def test_a_script_nonce_in_the_page_matches_the_header_and_changes_every_time(client, jaarschijf):
    nonces = []
    for _ in range(2):
        response = client.get(reverse("accounts:login"))
        html = response.content.decode()
        used = set(re.findall(r'nonce="([^"]+)"', html))
        header_nonces = {
            word[len("'nonce-") : -1]
            for word in csp_directives(response).get("script-src", [])
            if word.startswith("'nonce-")
        }
        assert used <= header_nonces
        nonces.append(header_nonces)
    if nonces[0]:
        assert nonces[0] != nonces[1]


@pytest.mark.django_db
def test_pages_may_not_be_framed(client, jaarschijf):
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_leak_no_referrer_and_forbid_sniffing(client, jaarschijf):
    response = client.get(reverse("accounts:login"))
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_accounts_pages_carry_no_inline_style_or_script(client, settings, weller_medewerker):
    settings.OTP_REQUIRED = True
    pages = [client.get(reverse("accounts:login")), client.get(reverse("accounts:accessibility"))]
    post_login(client, "weller")
    pages.append(client.get(reverse("accounts:two-factor-setup")))
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert not re.search(r"\sstyle\s*=", html)
        assert "<style" not in html
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or "nonce=" in tag, tag


# --- lockout after repeated failures (django-axes) ------------------------------------------


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_from_that_address(client, weller_medewerker):
    for _ in range(5):
        post_login(client, "weller", "geraden-wachtwoord")
    response = post_login(client, "weller", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert "<html" in html and 'lang="nl"' in html
    assert "geblokkeerd" in html.lower()


@pytest.mark.django_db
def test_a_beheerder_lifts_a_lockout_by_deleting_the_attempt_in_the_admin(
    client, settings, weller_medewerker, beheerder
):
    from django.test import Client

    from accounts.models import LoginAttempt

    settings.OTP_REQUIRED = False
    for _ in range(5):
        post_login(client, "weller", "geraden-wachtwoord")
    assert post_login(client, "weller", PASSWORD).status_code == 429

    beheer = login(Client(), beheerder)
    listing = beheer.get(reverse("admin:accounts_loginattempt_changelist"), {"q": "weller"})
    (attempt,) = listing.context["cl"].result_list
    assert str(attempt).startswith("weller vanaf 127.0.0.1")
    url = reverse("admin:accounts_loginattempt_delete", args=[attempt.pk])
    assert beheer.post(url, {"post": "yes"}).status_code == 302
    assert not LoginAttempt.objects.exists()

    assert post_login(client, "weller", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_cleaning_up_expired_attempts_in_the_admin_says_in_dutch_how_many_went(client, beheerder):
    import datetime

    from accounts.models import LoginAttempt

    # django-axes also clears expired attempts at each login: the beheerder logs in first.
    login(client, beheerder)
    # Locked out for 30 minutes (AXES_COOLOFF_MINUTES): two attempts older than that.
    for username, minutes_ago in (("oud-1", 90), ("oud-2", 45), ("recent", 5)):
        row = LoginAttempt.objects.create(
            username=username, ip_address="192.0.2.7", user_agent="test", failures_since_start=2
        )
        # attempt_time is set on creation (auto_now_add): set back afterwards.
        LoginAttempt.objects.filter(pk=row.pk).update(
            attempt_time=timezone.now() - datetime.timedelta(minutes=minutes_ago)
        )
    url = reverse("admin:accounts_loginattempt_changelist")
    response = client.post(
        url,
        {
            "action": "cleanup_expired_attempts",
            "_selected_action": [LoginAttempt.objects.first().pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["2 verlopen inlogpogingen opgeruimd."]
    assert list(LoginAttempt.objects.values_list("username", flat=True)) == ["recent"]
    assert "Verlopen pogingen opruimen" in response.content.decode()

    response = client.post(
        url,
        {
            "action": "cleanup_expired_attempts",
            "_selected_action": [LoginAttempt.objects.get().pk],
        },
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Er waren geen verlopen inlogpogingen om op te ruimen."]
    assert LoginAttempt.objects.count() == 1


@pytest.mark.django_db
def test_four_wrong_passwords_do_not_lock_yet(client, settings, weller_medewerker):
    settings.OTP_REQUIRED = False
    for _ in range(4):
        post_login(client, "weller", "geraden-wachtwoord")
    response = post_login(client, "weller", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(weller_medewerker.pk)


@pytest.mark.django_db
def test_lockout_is_per_username_and_address(
    client, settings, weller_medewerker, woonpunt_medewerker
):
    settings.OTP_REQUIRED = False
    for _ in range(5):
        post_login(client, "weller", "geraden-wachtwoord")
    # Someone else at the same address is not locked out ...
    assert post_login(client, "woonpunt").status_code == 302
    client.post(reverse("accounts:logout"))
    # ... nor is the same user from another address.
    response = post_login(client, "weller", REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_successful_login_clears_earlier_failures(client, settings, weller_medewerker):
    settings.OTP_REQUIRED = False
    for _ in range(4):
        post_login(client, "weller", "geraden-wachtwoord")
    assert post_login(client, "weller").status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        post_login(client, "weller", "geraden-wachtwoord")
    assert post_login(client, "weller").status_code == 302


# --- session lifetime ---------------------------------------------------------------------


@pytest.mark.django_db
def test_login_stamps_the_start_of_the_session(client, settings, weller_medewerker):
    settings.OTP_REQUIRED = False
    before = int(time.time())
    post_login(client, "weller")
    started = client.session[accounts_middleware.SESSION_STARTED_KEY]
    assert before <= started <= int(time.time())


@pytest.mark.django_db
def test_session_ends_after_its_absolute_lifetime_however_active(
    client, settings, monkeypatch, weller_medewerker
):
    settings.OTP_REQUIRED = False
    post_login(client, "weller")
    assert client.get(reverse("accounts:password_change")).status_code == 200
    later = time.time() + live_settings.SESSION_ABSOLUTE_SECONDS + 60
    monkeypatch.setattr(accounts_middleware.time, "time", lambda: later)
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    monkeypatch.undo()
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "Uw sessie is verlopen." in page.content.decode()


@pytest.mark.django_db
def test_session_survives_within_its_absolute_lifetime(
    client, settings, monkeypatch, weller_medewerker
):
    settings.OTP_REQUIRED = False
    post_login(client, "weller")
    later = time.time() + live_settings.SESSION_ABSOLUTE_SECONDS - 60
    monkeypatch.setattr(accounts_middleware.time, "time", lambda: later)
    assert client.get(reverse("accounts:password_change")).status_code == 200


@pytest.mark.django_db
def test_session_ends_after_thirty_idle_minutes(client, weller_medewerker):
    login(client, weller_medewerker)
    assert client.get(reverse("accounts:password_change")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_activity_extends_the_idle_timeout(client, weller_medewerker):
    assert live_settings.SESSION_COOKIE_AGE == 30 * 60
    login(client, weller_medewerker)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timezone.timedelta(minutes=1)
    )
    client.get(reverse("accounts:password_change"))
    expires = Session.objects.get(session_key=key).expire_date
    assert expires > timezone.now() + timezone.timedelta(minutes=29)


@pytest.mark.django_db
def test_activity_renews_the_session_at_most_once_a_minute(client, monkeypatch, weller_medewerker):
    login(client, weller_medewerker)
    key = client.session.session_key
    client.get(reverse("accounts:password_change"))  # first activity: renewed
    soon = Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timezone.timedelta(minutes=20)
    )
    assert soon == 1
    client.get(reverse("accounts:password_change"))  # within the minute: no write
    expires = Session.objects.get(session_key=key).expire_date
    assert expires < timezone.now() + timezone.timedelta(minutes=21)
    later = time.time() + 61
    monkeypatch.setattr(accounts_middleware.time, "time", lambda: later)
    client.get(reverse("accounts:password_change"))  # a minute later: renewed again
    expires = Session.objects.get(session_key=key).expire_date
    assert expires > timezone.now() + timezone.timedelta(minutes=29)


# --- database unavailable -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_dutch_503_page_while_the_database_is_down(client, jaarschijf):
    client.raise_request_exception = False  # a real server answers, it does not raise
    with database_unreachable():
        response = client.get(reverse("accounts:login"))
    assert response.status_code == 503
    html = response.content.decode()
    assert 'lang="nl"' in html
    assert "niet beschikbaar" in html.lower()
    assert "Traceback" not in html and "OperationalError" not in html


@pytest.mark.django_db(transaction=True)
def test_a_logged_in_user_gets_the_503_page_too(client, jaarschijf, weller_medewerker):
    login(client, weller_medewerker)
    client.raise_request_exception = False  # a real server answers, it does not raise
    with database_unreachable():
        response = client.get(reverse("overview:dashboard"))
    assert response.status_code == 503
    assert "niet beschikbaar" in response.content.decode().lower()


@pytest.mark.django_db(transaction=True)
def test_pages_come_back_after_the_database_without_a_restart(client, jaarschijf):
    client.raise_request_exception = False  # a real server answers, it does not raise
    with database_unreachable():
        assert client.get(reverse("accounts:login")).status_code == 503
    assert client.get(reverse("accounts:login")).status_code == 200


# --- security.txt and the accessibility statement -------------------------------------------


def parse_security_txt(body: str) -> dict[str, str]:
    fields = {}
    for line in body.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition(": ")
            fields[name] = value
    return fields


@pytest.mark.django_db
def test_security_txt_follows_rfc_9116(client, settings):
    settings.ALLOWED_HOSTS = ["prestatieafspraken.example"]
    response = client.get("/.well-known/security.txt", HTTP_HOST="prestatieafspraken.example")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = parse_security_txt(response.content.decode())
    assert fields["Contact"] == "mailto:security@prestatieafspraken.example"
    assert fields["Preferred-Languages"] == "nl, en"
    assert fields["Canonical"] == "https://prestatieafspraken.example/.well-known/security.txt"
    expires = timezone.datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    # RFC 9116 asks for an expiry less than a year ahead; it moves along with every request.
    remaining = expires - timezone.now()
    assert timezone.timedelta(days=300) < remaining <= timezone.timedelta(days=366)


@pytest.mark.django_db
def test_security_txt_uses_the_configured_contact(client, settings):
    settings.SECURITY_CONTACT = "mailto:cert@gemeente.example"
    settings.SECURITY_POLICY_URL = "https://gemeente.example/responsible-disclosure"
    fields = parse_security_txt(client.get(reverse("accounts:security-txt")).content.decode())
    assert fields["Contact"] == "mailto:cert@gemeente.example"
    assert fields["Policy"] == "https://gemeente.example/responsible-disclosure"


@pytest.mark.django_db
def test_accessibility_statement_is_public_and_follows_the_dutch_model(client, jaarschijf):
    response = client.get(reverse("accounts:accessibility"))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "Toegankelijkheidsverklaring",
        "Nalevingsstatus",
        "Reikwijdte",
        "Hoe we toetsen",
        "Bekende beperkingen",
        "Problemen melden",
        "Handhavingsprocedure",
    ):
        assert heading in html, heading
    assert "WCAG" in html and "axe-core" in html and "toetsenbord" in html
    assert "Gemeente Heerlen" in html  # the municipality comes from the data


@pytest.mark.django_db
def test_accessibility_statement_shows_the_configured_contact(client, settings, jaarschijf):
    settings.ACCESSIBILITY_CONTACT = "toegankelijkheid@gemeente.example"
    html = client.get(reverse("accounts:accessibility")).content.decode()
    assert 'href="mailto:toegankelijkheid@gemeente.example"' in html


@pytest.mark.django_db(transaction=True)
def test_a_session_lost_with_the_database_gives_the_503_page_not_a_bare_400(rf):
    from django.http import HttpResponseBadRequest

    from heerlen.middleware import DatabaseUnavailableMiddleware

    # What Django answers when the session cannot be saved (SessionInterrupted).
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponseBadRequest())
    with database_unreachable():
        response = middleware(rf.get("/"))
    assert response.status_code == 503
    assert "Tijdelijk niet beschikbaar" in response.content.decode()
    # With the database there, a bad request stays a bad request.
    assert middleware(rf.get("/")).status_code == 400


@pytest.mark.django_db
def test_a_request_for_an_unknown_host_gets_a_dutch_400_page(client, settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["prestatieafspraken.example"]
    client.raise_request_exception = False
    response = client.get("/inloggen/", HTTP_HOST="aanvaller.example")
    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.content.decode()


def test_security_txt_in_production_never_takes_its_contact_from_the_host_header():
    result = run_in_production(
        "from django.test import Client\n"
        "r = Client(HTTP_HOST='andere.example').get('/.well-known/security.txt', secure=True)\n"
        "print(json.dumps({'status': r.status_code, 'body': r.content.decode()}))",
        {"ALLOWED_HOSTS": "prestatieafspraken.example,andere.example"},
    )
    assert result["status"] == 200
    fields = parse_security_txt(result["body"])
    assert fields["Contact"] == "mailto:security@prestatieafspraken.example"
    assert fields["Canonical"] == "https://prestatieafspraken.example/.well-known/security.txt"


def test_production_without_a_plain_host_needs_a_security_contact():
    error = production_start_error({"ALLOWED_HOSTS": ".example.org"})
    assert "SECURITY_CONTACT (or SITE_HOST) must be set" in error


def test_the_400_page_for_a_host_outside_allowed_hosts_carries_the_security_headers():
    # The 400 page links the static CSS; no collectstatic manifest here, so plain storage.
    result = run_in_production(
        "from django.conf import settings\n"
        "from django.test import Client, override_settings\n"
        "storages = {**settings.STORAGES, 'staticfiles': {'BACKEND': "
        "'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n"
        "with override_settings(STORAGES=storages):\n"
        "    r = Client(HTTP_HOST='aanvaller.example').get('/', secure=True)\n"
        "print(json.dumps({'status': r.status_code, 'headers': dict(r.headers)}))"
    )
    assert result["status"] == 400
    headers = result["headers"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_logged_in_pages_and_downloads_are_never_kept_by_a_shared_cache(client, huurder):
    login(client, huurder)
    for url in (
        reverse("overview:dashboard"),
        reverse("overview:action-list"),
        reverse("overview:action-list-export"),
    ):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control, url
        assert "no-store" in cache_control, url
        assert "public" not in cache_control, url

"""Logging in with two-factor authentication in a real browser."""

from base64 import b32decode

from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.helpers_security import confirmed_device, totp_token


def code_for_secret(secret_text: str) -> str:
    """What an authenticator app shows for the secret typed over from the page."""
    key = b32decode(secret_text.replace(" ", "") + "=" * (-len(secret_text.replace(" ", "")) % 8))
    return f"{TOTP(key).token():06d}"


def test_first_login_of_a_writer_sets_up_the_app_and_reaches_the_dashboard(
    page, app, settings, weller_medewerker
):
    settings.OTP_REQUIRED = True
    page.goto(reverse("accounts:login"))
    main = page.locator("main")
    main.get_by_label("Gebruikersnaam").fill("weller")
    main.get_by_label("Wachtwoord").fill("Wachtwoord-voor-tests-2024")
    main.get_by_role("button", name="Inloggen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    expect(
        page.get_by_role("img", name="QR-code om de authenticator-app te koppelen")
    ).to_be_visible()
    assert_accessible(page, "tweestapsverificatie instellen")

    main.get_by_label("Code uit de authenticator-app").fill("000000")
    main.get_by_role("button", name="Bevestigen").click()
    expect(main).to_contain_text("Deze code klopt niet of is verlopen.")
    assert_accessible(page, "tweestapsverificatie instellen, met fout")

    page.wait_for_timeout(1100)  # the device waits a second after a wrong code
    secret = page.locator(".heerlen-two-factor__secret").inner_text()
    main.get_by_label("Code uit de authenticator-app").fill(code_for_secret(secret))
    main.get_by_role("button", name="Bevestigen").click()
    expect(page).to_have_url(app.url + reverse("overview:dashboard"))
    expect(page.locator("main")).to_contain_text("Tweestapsverificatie is ingesteld.")


def test_later_login_asks_for_the_code(page, app, settings, kernteamlid):
    settings.OTP_REQUIRED = True
    device = confirmed_device(kernteamlid)
    page.goto(reverse("accounts:login"))
    main = page.locator("main")
    main.get_by_label("Gebruikersnaam").fill("kernteam")
    main.get_by_label("Wachtwoord").fill("Wachtwoord-voor-tests-2024")
    main.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code invoeren")
    assert_accessible(page, "code invoeren")
    main.get_by_label("Code uit de authenticator-app").fill(totp_token(device))
    main.get_by_role("button", name="Inloggen").click()
    expect(page.locator("header")).to_contain_text("Ingelogd als")
    expect(page).to_have_url(app.url + reverse("overview:dashboard"))

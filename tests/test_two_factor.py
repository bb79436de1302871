"""Two-factor authentication: every account that can change something needs a TOTP code."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from .factories import PASSWORD
from .helpers_security import confirmed_device, post_login, production_settings, totp_token

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:two-factor-setup")
VERIFY = reverse("accounts:two-factor-verify")


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.OTP_REQUIRED = True


def test_writer_without_an_app_is_sent_to_set_one_up_after_the_password(client, weller_medewerker):
    response = post_login(client, "weller", next_url=reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    assert "next=" + reverse("accounts:password_change").replace("/", "%2F") in response["Location"]


def test_writer_reaches_no_page_before_the_code(client, kernteamlid):
    post_login(client, "kernteam")
    for url in (reverse("overview:dashboard"), reverse("accounts:password_change"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP), url


def test_a_write_before_the_code_changes_nothing(client, weller_medewerker):
    post_login(client, "weller")
    new = "paars-kasteel-regent-morgen"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    weller_medewerker.refresh_from_db()
    assert weller_medewerker.check_password(PASSWORD)


def test_setup_page_shows_a_qr_code_the_otpauth_link_and_the_secret(client, weller_medewerker):
    post_login(client, "weller")
    response = client.get(SETUP)
    assert response.status_code == 200
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=weller_medewerker, confirmed=False)
    assert "<svg" in html and 'role="img"' in html
    assert 'href="otpauth://totp/' in html
    secret = re.search(r"heerlen-two-factor__secret\">([A-Z2-7 ]+)<", html).group(1)
    assert secret.replace(" ", "") in device.config_url
    # The strict CSP forbids inline styles, also inside the generated SVG.
    assert "style=" not in html and "<style" not in html


def test_setup_page_keeps_the_same_secret_on_reload(client, weller_medewerker):
    post_login(client, "weller")
    client.get(SETUP)
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=weller_medewerker).count() == 1


def test_setup_refuses_a_wrong_code_in_dutch_and_confirms_nothing(client, weller_medewerker):
    post_login(client, "weller")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=weller_medewerker)
    wrong = f"{(int(totp_token(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"token": wrong})
    assert response.status_code == 200
    assert "Deze code klopt niet of is verlopen." in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("overview:dashboard"))["Location"].startswith(SETUP)


def test_setup_refuses_letters_with_a_dutch_message(client, weller_medewerker):
    post_login(client, "weller")
    client.get(SETUP)
    response = client.post(SETUP, {"token": "abcdef"})
    assert "Vul de zes cijfers in die de authenticator-app toont." in response.content.decode()


def test_setup_with_a_valid_code_confirms_the_app_and_opens_the_site(client, weller_medewerker):
    post_login(client, "weller")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=weller_medewerker)
    response = client.post(
        SETUP, {"token": totp_token(device), "next": reverse("accounts:password_change")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_next_login_asks_for_a_code_and_accepts_a_valid_one(client, kernteamlid):
    device = confirmed_device(kernteamlid)
    response = post_login(client, "kernteam")
    assert response["Location"].startswith(VERIFY)
    page = client.get(response["Location"])
    assert "Code uit de authenticator-app" in page.content.decode()
    response = client.post(VERIFY, {"token": totp_token(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("cycle:my-work")
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_a_wrong_code_at_login_is_refused_in_dutch(client, kernteamlid):
    device = confirmed_device(kernteamlid)
    post_login(client, "kernteam")
    wrong = f"{(int(totp_token(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert "Deze code klopt niet of is verlopen." in response.content.decode()
    assert client.get(reverse("accounts:password_change")).status_code == 302


def test_guessing_codes_is_slowed_down(client, kernteamlid):
    device = confirmed_device(kernteamlid)
    post_login(client, "kernteam")
    wrong = f"{(int(totp_token(device)) + 1) % 1_000_000:06d}"
    client.post(VERIFY, {"token": wrong})
    # Straight after a wrong code even the right one has to wait.
    response = client.post(VERIFY, {"token": totp_token(device)})
    assert "Te veel onjuiste codes achter elkaar." in response.content.decode()
    assert client.get(reverse("accounts:password_change")).status_code == 302


def test_a_code_cannot_be_used_twice(client, kernteamlid):
    device = confirmed_device(kernteamlid)
    token = totp_token(device)
    post_login(client, "kernteam")
    assert client.post(VERIFY, {"token": token}).status_code == 302
    client.post(reverse("accounts:logout"))
    post_login(client, "kernteam")
    response = client.post(VERIFY, {"token": token})
    assert response.status_code == 200
    assert "Deze code klopt niet of is verlopen." in response.content.decode()


def test_password_alone_cannot_add_a_second_app(client, kernteamlid):
    confirmed_device(kernteamlid)
    post_login(client, "kernteam")
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=kernteamlid).count() == 1


def test_another_users_app_does_not_count(client, kernteamlid, weller_medewerker):
    other = confirmed_device(weller_medewerker)
    confirmed_device(kernteamlid)
    post_login(client, "kernteam")
    response = client.post(VERIFY, {"token": totp_token(other)})
    assert response.status_code == 200
    assert client.get(reverse("accounts:password_change")).status_code == 302


def test_tenant_organisation_reads_without_a_code(client, huurder):
    response = post_login(client, "huurder")
    # Mijn werk is the start page; a reader has none and is sent on to the dashboard.
    assert response["Location"] == reverse("cycle:my-work")
    assert client.get(response["Location"])["Location"] == reverse("overview:dashboard")
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_a_read_only_account_with_staff_access_needs_a_code_for_the_admin(client, huurder):
    huurder.is_staff = True
    huurder.save()
    response = post_login(client, "huurder")
    assert response["Location"].startswith(SETUP)
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"].startswith(SETUP)


def test_a_read_only_account_cannot_reach_the_admin_with_the_admin_login_alone(client, huurder):
    huurder.is_staff = True
    huurder.save()
    client.post("/admin/login/", {"username": "huurder", "password": PASSWORD, "next": "/admin/"})
    response = client.get("/admin/agreements/action/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_beheerder_needs_a_code_too(client, beheerder):
    response = post_login(client, "beheerder")
    assert response["Location"].startswith(SETUP)


def test_public_pages_stay_open_before_the_code(client, weller_medewerker):
    post_login(client, "weller")
    for name in ("healthz", "security-txt", "accessibility"):
        assert client.get(reverse(f"accounts:{name}")).status_code == 200, name


def test_logging_out_works_before_the_code(client, weller_medewerker):
    post_login(client, "weller")
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_without_otp_required_a_writer_logs_in_with_the_password_only(
    client, settings, weller_medewerker
):
    settings.OTP_REQUIRED = False
    response = post_login(client, "weller")
    assert response["Location"] == reverse("cycle:my-work")
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_otp_is_required_by_default_in_production():
    assert production_settings("OTP_REQUIRED") == {"OTP_REQUIRED": True}


def signed_in_beheerder(client, beheerder):
    """The beheerder through the whole login: password and code."""
    device = confirmed_device(beheerder)
    post_login(client, "beheerder")
    assert client.post(VERIFY, {"token": totp_token(device)}).status_code == 302
    return client


def test_a_beheerder_resets_a_lost_phone_and_the_user_sets_up_a_new_app(
    client, beheerder, kernteamlid
):
    lost = confirmed_device(kernteamlid)
    signed_in_beheerder(client, beheerder)
    listing = client.get(reverse("admin:accounts_authenticatorapp_changelist"), {"q": "kernteam"})
    assert [app.pk for app in listing.context["cl"].result_list] == [lost.pk]

    url = reverse("admin:accounts_authenticatorapp_delete", args=[lost.pk])
    confirm = client.get(url).content.decode()
    assert "Weet u zeker dat u authenticator-app" in confirm
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=kernteamlid).exists()

    client.post(reverse("accounts:logout"))
    response = post_login(client, "kernteam")
    assert response["Location"].startswith(SETUP)


def test_the_admin_of_authenticator_apps_is_dutch_and_never_shows_the_secret(
    client, beheerder, kernteamlid
):
    app = confirmed_device(kernteamlid)
    signed_in_beheerder(client, beheerder)
    pages = [
        client.get(reverse("admin:index")),
        client.get(reverse("admin:accounts_authenticatorapp_changelist")),
        client.get(reverse("admin:accounts_authenticatorapp_change", args=[app.pk])),
    ]
    assert [page.status_code for page in pages] == [200, 200, 200]
    index, listing, detail = (page.content.decode() for page in pages)
    assert "Authenticator-apps" in index and "Accounts en tweestapsverificatie" in index
    for dutch in ("gebruiker", "naam van de app", "ingesteld", "laatst gebruikt", "foute codes"):
        assert dutch in listing.lower() and dutch in detail.lower()
    assert "aangemaakt" in detail.lower()
    assert "Zoek op gebruikersnaam, naam of e-mailadres van de gebruiker." in listing
    for english in (
        "TOTP device",
        "Search by",
        "Identity",
        "Configuration",
        "Throttling",
        "QR Code",
        "Last used",
        "Created at",
        "Confirmed",
    ):
        assert english not in index + listing + detail, english
    for secret in (app.key, app.config_url):
        assert secret not in listing + detail
    pending = TOTPDevice.objects.create(user=beheerder, name="Nieuwe telefoon", confirmed=False)
    changelist = reverse("admin:accounts_authenticatorapp_changelist")
    for value, expected in (
        ("nee", {pending.pk}),
        ("ja", {app.pk, beheerder.totpdevice_set.get(confirmed=True).pk}),
    ):
        shown = client.get(changelist, {"ingesteld": value}).context["cl"].result_list
        assert {device.pk for device in shown} == expected, value
    # Nobody adds or edits an app here, and the library's own pages are gone.
    assert client.get(reverse("admin:accounts_authenticatorapp_add")).status_code == 403
    edit = client.post(
        reverse("admin:accounts_authenticatorapp_change", args=[app.pk]), {"name": "andere"}
    )
    assert edit.status_code == 403
    app.refresh_from_db()
    assert app.name == "Authenticator-app"
    assert client.get(f"/admin/otp_totp/totpdevice/{app.pk}/config/").status_code == 404

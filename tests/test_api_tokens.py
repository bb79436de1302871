"""API tokens: the beheerder creates them in the beheer and sees the secret once; an unknown,
revoked or expired token is refused with the reason; each token has its own rate limit."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import UserRole
from api.models import ApiToken
from api.tokens import issue_token
from sustainability.models import EnergyLabelFigure

from .factories import login, make_api_token, make_user, party

pytestmark = pytest.mark.django_db


def efg_url(figure) -> str:
    return f"/api/v1/efg-labelcijfers/2024/{figure.corporation.slug}/{figure.year}/realisatie"


def weller_figure():
    return EnergyLabelFigure.objects.filter(
        corporation__name="Weller", jaarschijf__year=2024
    ).first()


def get_with(client, url, raw=None):
    headers = {"Authorization": f"Bearer {raw}"} if raw else {}
    return client.get(url, headers=headers)


def assert_refused_401(response, reason: str):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert reason in response.json()["detail"]


def add_token_in_admin(client):
    return client.post(
        reverse("admin:api_apitoken_add"),
        {
            "label": "Vastgoedsysteem",
            "party": party("Weller").pk,
            "expires_at_0": "31-12-2030",
            "expires_at_1": "12:00:00",
        },
    )


def test_the_beheerder_creates_a_token_and_sees_its_secret_only_once(client, beheerder):
    login(client, beheerder)

    response = add_token_in_admin(client)

    assert response.status_code == 200
    secret = re.search(r"pa_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", response.content.decode()).group()
    assert "maar één keer getoond" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert (token.label, token.party.name, token.created_by) == (
        "Vastgoedsysteem",
        "Weller",
        beheerder,
    )
    # Stored hashed, never as it is; the token page and the list do not show it again.
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values_list().get())
    for url in (
        reverse("admin:api_apitoken_change", args=[token.pk]),
        reverse("admin:api_apitoken_changelist"),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert secret not in page.content.decode()
    # And it works.
    assert get_with(client, efg_url(weller_figure()), secret).status_code == 200


def test_a_staff_member_who_is_not_the_beheerder_cannot_see_or_create_tokens(client, jaarschijf):
    staff = make_user(UserRole.MEDEWERKER, "Weller", "staff-weller", is_staff=True)
    make_api_token("Weller")
    login(client, staff)

    assert client.get(reverse("admin:api_apitoken_changelist")).status_code == 403
    assert client.get(reverse("admin:api_apitoken_add")).status_code == 403
    assert add_token_in_admin(client).status_code == 403
    assert ApiToken.objects.count() == 1


def test_a_tenant_organisation_gets_no_token_in_the_admin_nor_through_the_model(client, beheerder):
    tenants = party("Weller - huurdersvereniging(en)")
    login(client, beheerder)
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {
            "label": "Huurders",
            "party": tenants.pk,
            "expires_at_0": "31-12-2030",
            "expires_at_1": "12:00:00",
        },
    )
    assert response.status_code == 200  # the form again, with the error at the field
    assert response.context["adminform"].form.errors["party"]
    assert not ApiToken.objects.exists()

    token = ApiToken(label="Huurders", party=tenants, expires_at=timezone.now() + timedelta(1))
    with pytest.raises(ValidationError) as error:
        token.issued = issue_token(token, created_by=beheerder)
    assert "Alleen een woningcorporatie of de gemeente" in str(error.value)
    assert not ApiToken.objects.exists()


def test_the_beheerder_revokes_a_token_and_it_gets_401_with_the_reason(client, beheerder):
    token, secret = make_api_token("Weller")
    login(client, beheerder)

    response = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke_selected", "_selected_action": [token.pk]},
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == beheerder and token.revoked_at is not None
    client.logout()
    assert_refused_401(get_with(client, efg_url(weller_figure()), secret), "ingetrokken")


def test_an_expired_token_gets_401_saying_when_it_expired(client, jaarschijf):
    token, secret = make_api_token("Weller")
    past = timezone.now() - timedelta(days=1)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=past - timedelta(days=30), expires_at=past
    )

    assert_refused_401(get_with(client, efg_url(weller_figure()), secret), "verlopen")


def test_an_unknown_token_or_none_at_all_gets_401(client, jaarschijf):
    token, secret = make_api_token("Weller")
    url = efg_url(weller_figure())

    assert_refused_401(get_with(client, url, secret[:-1] + "x"), "Onbekend API-token")
    assert_refused_401(get_with(client, url, "pa_00000000_" + "a" * 43), "Onbekend API-token")
    assert_refused_401(get_with(client, url), "Stuur een API-token mee")


def test_a_logged_in_user_without_a_token_cannot_write_through_the_api(client, personas):
    login(client, personas["weller"])
    response = client.get(efg_url(weller_figure()))
    assert response.status_code == 401


def test_the_database_refuses_a_token_that_expires_before_it_was_created(jaarschijf):
    token, _ = make_api_token("Weller")
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at)


def test_a_token_records_when_it_was_last_used(client, jaarschijf):
    token, secret = make_api_token("Weller")
    assert token.last_used_at is None
    get_with(client, efg_url(weller_figure()), secret)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_too_many_requests_with_one_token_get_429_with_retry_after(client, jaarschijf, settings):
    settings.API_TOKEN_RATE = "3/minute"
    caches["api-throttle"].clear()
    _, weller = make_api_token("Weller")
    _, woonpunt = make_api_token("Woonpunt", "Woonpunt-koppeling")
    url = efg_url(weller_figure())

    statuses = [get_with(client, url, weller).status_code for _ in range(3)]
    refused = get_with(client, url, weller)

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/problem+json")
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Te veel verzoeken" in refused.json()["detail"]
    # Another token has its own count (it is refused for Weller's figure, not throttled).
    assert get_with(client, url, woonpunt).status_code == 403

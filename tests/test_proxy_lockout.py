"""Behind the TLS proxy the login lockout counts the real client, not the proxy.

nginx (deploy/nginx) connects from 127.0.0.1 and appends the address it saw to
X-Forwarded-For. Only that appended address is believed, and only from a trusted proxy.
"""

import pytest

from .factories import PASSWORD
from .helpers_security import post_login, production_start_error

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


@pytest.fixture
def behind_proxy(settings):
    import ipaddress

    settings.OTP_REQUIRED = False
    settings.TRUSTED_PROXIES = [ipaddress.ip_network(f"{PROXY}/32")]


def via_proxy(client_address: str, forwarded_by_client: str = "") -> dict:
    """What gunicorn receives from nginx for a request of ``client_address``."""
    chain = f"{forwarded_by_client}, {client_address}" if forwarded_by_client else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def test_five_wrong_passwords_from_one_client_do_not_lock_the_user_for_another(
    client, behind_proxy, weller_medewerker
):
    for _ in range(5):
        post_login(client, "weller", "geraden-wachtwoord", **via_proxy("198.51.100.7"))
    assert post_login(client, "weller", PASSWORD, **via_proxy("198.51.100.7")).status_code == 429

    response = post_login(client, "weller", PASSWORD, **via_proxy("203.0.113.20"))

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(weller_medewerker.pk)


def test_a_client_cannot_escape_the_lockout_by_writing_its_own_forwarded_for(
    client, behind_proxy, weller_medewerker
):
    for attempt in range(5):
        forged = f"192.0.2.{attempt + 1}"
        post_login(client, "weller", "geraden-wachtwoord", **via_proxy("198.51.100.7", forged))
    response = post_login(client, "weller", PASSWORD, **via_proxy("198.51.100.7", "192.0.2.99"))
    assert response.status_code == 429


def test_forwarded_for_from_an_untrusted_address_is_ignored(
    client, behind_proxy, weller_medewerker
):
    direct = {"REMOTE_ADDR": "198.51.100.50"}
    for attempt in range(5):
        post_login(
            client,
            "weller",
            "geraden-wachtwoord",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt + 1}",
            **direct,
        )
    response = post_login(client, "weller", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99", **direct)
    assert response.status_code == 429


def test_without_a_trusted_proxy_the_connection_address_counts(client, settings, weller_medewerker):
    settings.OTP_REQUIRED = False
    settings.TRUSTED_PROXIES = []
    for _ in range(5):
        post_login(client, "weller", "geraden-wachtwoord", **via_proxy("198.51.100.7"))
    # Without TRUSTED_PROXIES the header is not believed: everyone is the proxy.
    assert post_login(client, "weller", PASSWORD, **via_proxy("203.0.113.20")).status_code == 429


@pytest.mark.parametrize("value", ["nginx", "127.0.0.1,10.0.0.0/33", "256.1.1.1"])
def test_a_malformed_trusted_proxy_list_stops_the_start(value):
    error = production_start_error({"TRUSTED_PROXIES": value})
    assert "TRUSTED_PROXIES must list IP addresses or networks" in error

"""The quick-start's demo accounts: one per role, and never outside DEBUG."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from accounts.models import User
from overview.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_demo_accounts_cover_every_role_with_the_printed_password(jaarschijf, settings, capsys):
    settings.DEBUG = True
    settings.DEMO_ACCOUNTS = True
    call_command("create_demo_accounts")
    printed = capsys.readouterr().out
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["beheerder", "kernteam", "corporatie", "gemeente", "huurders"]
        )
    }
    assert {u.role for u in users.values()} == {
        "beheerder",
        "kernteamlid",
        "medewerker",
        "huurdersorganisatie",
    }
    assert users["corporatie"].party.kind == "corporatie"
    assert users["gemeente"].party.kind == "gemeente"
    assert users["huurders"].party.kind == "huurdersorganisatie"
    assert users["beheerder"].is_superuser
    for username in users:
        assert username in printed
        assert users[username].check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in printed


def test_running_the_quick_start_twice_keeps_one_account_per_role(jaarschijf, settings):
    settings.DEBUG = True
    settings.DEMO_ACCOUNTS = True
    call_command("create_demo_accounts")
    call_command("create_demo_accounts")
    assert User.objects.filter(username="kernteam").count() == 1


def test_production_settings_never_create_demo_accounts(jaarschijf, settings):
    settings.DEBUG = False
    settings.DEMO_ACCOUNTS = False
    with pytest.raises(ImproperlyConfigured):
        call_command("create_demo_accounts")
    assert not User.objects.filter(username="beheerder").exists()


def test_the_printed_address_is_the_port_the_quick_start_serves_on(
    jaarschijf, settings, capsys, monkeypatch
):
    settings.DEBUG = True
    settings.DEMO_ACCOUNTS = True
    monkeypatch.setenv("PORT", "8311")
    call_command("create_demo_accounts")
    assert "Open http://127.0.0.1:8311/ en log in." in capsys.readouterr().out

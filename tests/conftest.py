"""Personas and helpers shared by the whole suite.

The signed jaarschijf 2024 is loaded once per test database as scripts/start.sh loads it
(``load_jaarschijf``: every row with a first history record, dated at the signing); ordinary
tests run inside a transaction that is rolled back, so they all start from the document as
signed. Tests that
need real commits (the browser tests) get the data back through the ``jaarschijf`` fixture.
"""

import os

import pytest
from django.core.management import call_command

from accounts.models import UserRole
from agreements.models import Jaarschijf

from .factories import YEAR, make_user

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to
# run from a thread with a running loop unless told it is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_jaarschijf", "jaarschijf-2024", verbosity=0)


@pytest.fixture
def jaarschijf(db):
    """Jaarschijf 2024 as signed; reloaded if a transactional test emptied the database."""
    if not Jaarschijf.objects.filter(year=YEAR).exists():
        call_command("load_jaarschijf", "jaarschijf-2024", verbosity=0)
    return Jaarschijf.objects.get(year=YEAR)


@pytest.fixture
def weller_medewerker(jaarschijf):
    return make_user(UserRole.MEDEWERKER, "Weller", "weller")


@pytest.fixture
def woonpunt_medewerker(jaarschijf):
    return make_user(UserRole.MEDEWERKER, "Woonpunt", "woonpunt")


@pytest.fixture
def gemeente_medewerker(jaarschijf):
    return make_user(UserRole.MEDEWERKER, "Gemeente Heerlen", "gemeente")


@pytest.fixture
def kernteamlid(jaarschijf):
    return make_user(UserRole.KERNTEAMLID, "Wonen Zuid", "kernteam")


@pytest.fixture
def huurder(jaarschijf):
    """A representative of Weller's tenant organisation: reads everything, changes nothing."""
    return make_user(UserRole.HUURDERSORGANISATIE, "Weller - huurdersvereniging(en)", "huurder")


@pytest.fixture
def beheerder(jaarschijf):
    return make_user(UserRole.BEHEERDER, None, "beheerder", is_staff=True, is_superuser=True)


@pytest.fixture
def personas(
    weller_medewerker, woonpunt_medewerker, gemeente_medewerker, kernteamlid, huurder, beheerder
):
    return {
        "weller": weller_medewerker,
        "woonpunt": woonpunt_medewerker,
        "gemeente": gemeente_medewerker,
        "kernteam": kernteamlid,
        "huurder": huurder,
        "beheerder": beheerder,
    }


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Hashing a persona's password with the production hasher costs about half a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

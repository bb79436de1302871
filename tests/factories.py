"""Builders shared by the tests: users, progress updates, lookups of the seeded document.

Import them from here (``from .factories import make_user``); conftest.py only holds the
fixtures, which use these builders too.
"""

from accounts.models import User
from agreements.models import Action, Party, ProgressUpdate

YEAR = 2024
PASSWORD = "Wachtwoord-voor-tests-2024"


def party(name: str) -> Party:
    return Party.objects.get(name=name)


def make_user(role: str, party_name: str | None, username: str | None = None, **extra) -> User:
    username = username or f"{role}-{(party_name or 'geen').lower().replace(' ', '-')}"
    user = User(
        username=username,
        first_name=extra.pop("first_name", role.capitalize()),
        last_name=extra.pop("last_name", party_name or ""),
        role=role,
        party=party(party_name) if party_name else None,
        **extra,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def make_progress_update(action: Action, user: User | None = None, **fields) -> ProgressUpdate:
    fields.setdefault("status", "op_schema")
    fields.setdefault("percent_done", 10)
    return ProgressUpdate.objects.create(
        action=action, author=user, party=user.party if user else None, **fields
    )


def action(number: str, year: int = YEAR) -> Action:
    return Action.objects.get(jaarschijf__year=year, number=number)


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client

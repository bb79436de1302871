"""The demo accounts of the quick-start: one per role, never in production."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from accounts.models import User, UserRole
from agreements.models import Party

# (username, role, party kind or name, description); the party is looked up in the data so
# that another municipality's jaarschijf gets demo accounts of its own parties.
DEMO_ACCOUNTS = [
    ("beheerder", UserRole.BEHEERDER, None, "Beheerder (alles, ook het beheer)"),
    ("kernteam", UserRole.KERNTEAMLID, "gemeente", "Kernteamlid (werkt alle afspraken bij)"),
    ("corporatie", UserRole.MEDEWERKER, "corporatie", "Medewerker van een woningcorporatie"),
    ("gemeente", UserRole.MEDEWERKER, "gemeente", "Medewerker van de gemeente"),
    (
        "huurders",
        UserRole.HUURDERSORGANISATIE,
        "huurdersorganisatie",
        "Huurdersorganisatie (leest)",
    ),
]
DEMO_PASSWORD = "demo-prestatieafspraken"  # noqa: S105 - printed on purpose, DEBUG only


@transaction.atomic
def create_demo_accounts() -> list[tuple[str, str, str]]:
    """Create (or reset) one account per role; refuses outside DEBUG with DEMO_ACCOUNTS on."""
    if not (settings.DEBUG and settings.DEMO_ACCOUNTS):
        raise ImproperlyConfigured("Demo-accounts bestaan alleen met DEBUG en DEMO_ACCOUNTS aan.")
    created = []
    for username, role, kind, description in DEMO_ACCOUNTS:
        party = None
        if kind:
            party = Party.objects.filter(kind=kind).order_by("sort_order", "name").first()
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role = role
        user.party = party
        user.is_staff = user.is_superuser = role == UserRole.BEHEERDER
        user.first_name = description.split(" (")[0]
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        created.append((username, description, party.name if party else "–"))
    return created

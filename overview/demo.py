"""The demo accounts of the quick-start: one per role, never in production."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from accounts.models import User, UserRole
from agreements.models import Party

# (username, role, party kind, description, first name, last name); the party is looked up in
# the data so that another municipality's jaarschijf gets demo accounts of its own parties.
# The names are invented (a demo shows people, not roles); none is a real member of a party.
DEMO_ACCOUNTS = [
    ("beheerder", UserRole.BEHEERDER, None, "Beheerder (alles, ook het beheer)", "Ruud", "Hermans"),
    (
        "kernteam",
        UserRole.KERNTEAMLID,
        "gemeente",
        "Kernteamlid (werkt alle afspraken bij)",
        "Marieke",
        "Janssen",
    ),
    (
        "corporatie",
        UserRole.MEDEWERKER,
        "corporatie",
        "Medewerker van een woningcorporatie",
        "Tom",
        "Coenen",
    ),
    ("gemeente", UserRole.MEDEWERKER, "gemeente", "Medewerker van de gemeente", "Lotte", "Vliegen"),
    (
        "huurders",
        UserRole.HUURDERSORGANISATIE,
        "huurdersorganisatie",
        "Huurdersorganisatie (leest)",
        "Harrie",
        "Schols",
    ),
]
DEMO_PASSWORD = "demo-prestatieafspraken"  # noqa: S105 - printed on purpose, DEBUG only


@transaction.atomic
def create_demo_accounts() -> list[tuple[str, str, str]]:
    """Create (or reset) one account per role; refuses outside DEBUG with DEMO_ACCOUNTS on."""
    if not (settings.DEBUG and settings.DEMO_ACCOUNTS):
        raise ImproperlyConfigured("Demo-accounts bestaan alleen met DEBUG en DEMO_ACCOUNTS aan.")
    created = []
    for username, role, kind, description, first_name, last_name in DEMO_ACCOUNTS:
        party = None
        if kind:
            party = Party.objects.filter(kind=kind).order_by("sort_order", "name").first()
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role = role
        user.party = party
        user.is_staff = user.is_superuser = role == UserRole.BEHEERDER
        user.first_name, user.last_name = first_name, last_name
        # A reserved example domain: in development mail goes to the console, so
        # send_reminders --dry-run shows what each demo role would receive.
        user.email = f"{username}@example.org"
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        created.append((username, description, party.name if party else "–"))
    return created

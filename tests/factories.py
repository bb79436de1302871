"""Builders shared by the tests: users, progress updates, lookups of the seeded document.

Import them from here (``from .factories import make_user``); conftest.py only holds the
fixtures, which use these builders too.
"""

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from accounts.models import User, UserRole
from agreements.choices import PartyKind
from agreements.models import Action, Jaarschijf, Party, ProgressUpdate, Signatory
from api.models import ApiToken
from api.tokens import issue_token
from cycle import services as cycle_services
from cycle.models import Milestone, ReportingRound, today
from evaluation import vaststelling

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


# --- The evaluation's vaststelling and tenant views ---


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "zienswijze.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if data is None else data, "application/pdf")


def party_user(party, role: str | None = None) -> User:
    """A user who speaks for ``party``: a tenant-organisation role for a tenant organisation."""
    if role is None:
        role = (
            UserRole.HUURDERSORGANISATIE
            if party.kind == PartyKind.HUURDERSORGANISATIE
            else UserRole.MEDEWERKER
        )
    return make_user(role, party.name, f"besluit-{party.slug}"[:150])


def decide(jaarschijf: Jaarschijf, user: User, decision: str = "akkoord", reason: str = ""):
    """Record the decision of ``user``'s party as its first signatory, through the service."""
    signatory = Signatory.objects.filter(jaarschijf=jaarschijf, party=user.party).first()
    state = vaststelling.vaststelling_state(jaarschijf).row_for(user.party_id)
    return vaststelling.record_decision(
        jaarschijf=jaarschijf,
        user=user,
        decision=decision,
        reason=reason,
        signer_name=signatory.name if signatory else str(user),
        # The document names no function for a tenant organisation's signatory.
        signer_function=(signatory.function if signatory else "") or "Bestuurder",
        version=state.approval.version if state and state.approval else None,
    )


def decide_all_but(jaarschijf: Jaarschijf, *party_names: str, decision: str = "akkoord"):
    """Every signing party but ``party_names`` decides (a user is made for each)."""
    results = []
    for party in vaststelling.signing_parties(jaarschijf):
        if party.name not in party_names:
            results.append(decide(jaarschijf, party_user(party), decision))
    return results


# --- API tokens (api.tokens) ---


def make_api_token(party_name: str, label: str = "Vastgoedsysteem", *, by: User | None = None):
    """A token of the party, issued by a beheerder; returns (token, the secret shown once)."""
    if by is None:
        by = User.objects.filter(role=UserRole.BEHEERDER).first() or make_user(
            UserRole.BEHEERDER, None, "token-beheerder", is_staff=True, is_superuser=True
        )
    token = ApiToken(
        label=label, party=party(party_name), expires_at=timezone.now() + timedelta(days=30)
    )
    return token, issue_token(token, created_by=by)


def add_milestones(
    year: int, party_name: str, count: int, days_ago: int, prefix: str = "extra", *, on=None
):
    """``count`` open milestones of ``party_name`` in jaarschijf ``year``, due ``days_ago``
    days before ``on`` (today; negative: after it), the n-th one day later than the one
    before, described as "<Prefix> mijlpaal <n>"."""
    jaarschijf = Jaarschijf.objects.get(year=year)
    on = on or today()
    Milestone.objects.bulk_create(
        Milestone(
            jaarschijf=jaarschijf,
            code=f"{prefix}-{n}",
            description=f"{prefix.capitalize()} mijlpaal {n}",
            due_date=on - timedelta(days=days_ago - n),
            due_text="volgens planning",
            responsible=party(party_name),
        )
        for n in range(count)
    )


def make_round(
    user: User,
    items: list[dict],
    *,
    jaarschijf: Jaarschijf | None = None,
    name: str = "Voortgangsrapportage 1e halfjaar 2024",
    period_start: date = date(2024, 1, 1),
    period_end: date = date(2024, 6, 30),
    deadline: date = date(2024, 7, 15),
) -> ReportingRound:
    """A reporting round opened by ``user`` through the service (its rules apply): by default
    the first half of 2024 in jaarschijf 2024, due 15-07-2024."""
    return cycle_services.open_round(
        jaarschijf=jaarschijf or Jaarschijf.objects.get(year=YEAR),
        user=user,
        name=name,
        period_start=period_start,
        period_end=period_end,
        deadline=deadline,
        items=items,
    )

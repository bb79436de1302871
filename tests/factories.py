"""Builders for the evaluation's vaststelling and tenant views (imported by tests, not fixtures)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from accounts.models import User, UserRole
from agreements.models import Jaarschijf, Signatory
from evaluation import vaststelling

from .conftest import make_user


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
            if party.kind == "huurdersorganisatie"
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
        signer_function=signatory.function if signatory else "Bestuurder",
        version=state.approval.version if state and state.approval else None,
    )


def decide_all_but(jaarschijf: Jaarschijf, *party_names: str, decision: str = "akkoord"):
    """Every signing party but ``party_names`` decides (a user is made for each)."""
    results = []
    for party in vaststelling.signing_parties(jaarschijf):
        if party.name not in party_names:
            results.append(decide(jaarschijf, party_user(party), decision))
    return results

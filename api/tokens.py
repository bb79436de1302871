"""Services of the API tokens: issue, revoke, check a presented secret, name it in the history.

A token reads ``pa_<prefix>_<secret>``: the 8 hexadecimal characters of the prefix are
stored as they are, to find the row; the whole token is stored only as its SHA-256 hash and
compared in constant time. The secret has 256 bits of randomness, so a plain (unsalted,
fast) hash is enough: nobody can guess it, and a leaked table gives nothing to try.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import secrets
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

from accounts.models import UserRole
from core.formats import nl_datetime

from .models import ACCOUNT_FIRST_NAME, ApiToken

SCHEME = "pa"
PREFIX_LENGTH = 8

#: How often "laatst gebruikt" is written at most: not a database write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenRefused(Exception):
    """The presented token is unknown, revoked or expired; ``reason`` says which, in Dutch."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _require_beheerder(user) -> None:
    if not (user.is_authenticated and user.is_active and user.is_beheerder):
        raise PermissionDenied("Alleen de beheerder maakt API-tokens aan en trekt ze in.")


@transaction.atomic
def issue_token(token: ApiToken, *, created_by) -> str:
    """Save the new (unsaved) ``token`` with a fresh secret; returns the secret, once.

    Creates the token's technical account: a medewerker of the token's party without a
    password or e-mail, named after the label, so the `rules` permissions and the audit
    trail treat the token as that party's system.
    """
    _require_beheerder(created_by)
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    while ApiToken.objects.filter(prefix=prefix).exists():  # pragma: no cover - 1 in 4·10⁹
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    raw = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    account = get_user_model()(
        username=f"api-token-{prefix}",
        first_name=ACCOUNT_FIRST_NAME,
        last_name=token.label,
        role=UserRole.MEDEWERKER,
        party=token.party,
        remind_milestones=False,
        remind_rounds=False,
    )
    account.set_unusable_password()
    account.full_clean()
    account.save()
    token.account = account
    token.prefix = prefix
    token.key_hash = hash_token(raw)
    token.created_by = created_by
    token.created_at = timezone.now()
    token.full_clean()
    token.save()
    return raw


@transaction.atomic
def rename_token(token: ApiToken) -> None:
    """Keep the technical account's name in step with the token's label."""
    token.account.last_name = token.label
    token.account.save(update_fields=["last_name"])


@transaction.atomic
def revoke_token(token: ApiToken, *, revoked_by) -> bool:
    """Revoke the token for good (its history stays); False if it already was revoked."""
    _require_beheerder(revoked_by)
    locked = ApiToken.objects.select_for_update().select_related("account").get(pk=token.pk)
    if locked.revoked_at is not None:
        return False
    locked.revoked_at = timezone.now()
    locked.revoked_by = revoked_by
    locked.save(update_fields=["revoked_at", "revoked_by"])
    locked.account.is_active = False
    locked.account.save(update_fields=["is_active"])
    token.revoked_at, token.revoked_by = locked.revoked_at, revoked_by
    return True


def check_token(raw: str) -> ApiToken:
    """The active token for ``raw``, or TokenRefused with the reason."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != SCHEME or len(parts[1]) != PREFIX_LENGTH:
        raise TokenRefused("Onbekend API-token.")
    token = (
        ApiToken.objects.select_related("party", "account__party")
        .filter(prefix=parts[1].lower())
        .first()
    )
    # Compared in constant time; an unknown prefix is hashed too, so timing tells nothing.
    expected = token.key_hash if token is not None else hash_token("")
    if not hmac.compare_digest(expected, hash_token(raw)) or token is None:
        raise TokenRefused("Onbekend API-token.")
    if token.revoked_at is not None:
        raise TokenRefused(
            f"Dit API-token is op {nl_datetime(token.revoked_at)} ingetrokken door de beheerder."
        )
    now = timezone.now()
    if token.is_expired(now):
        raise TokenRefused(
            f"Dit API-token is op {nl_datetime(token.expires_at)} verlopen. Vraag de beheerder "
            "om een nieuw token."
        )
    if not token.account.is_active:
        raise TokenRefused("Het account van dit API-token is uitgeschakeld.")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def default_expiry():
    return timezone.now() + timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)


# --- The audit trail ------------------------------------------------------------------------

_writing_token: contextvars.ContextVar[ApiToken | None] = contextvars.ContextVar(
    "api_writing_token", default=None
)


@contextmanager
def writing_with(token: ApiToken):
    """Every history record saved inside names ``token`` as the reason of the change."""
    reset = _writing_token.set(token)
    try:
        yield
    finally:
        _writing_token.reset(reset)


def audit_reason(token: ApiToken) -> str:
    return f"Via de API met {token.audit_name}"


@receiver(pre_create_historical_record, dispatch_uid="api.tokens.name_the_token")
def name_the_token(sender, history_instance, **kwargs):
    token = _writing_token.get()
    if token is not None and not history_instance.history_change_reason:
        history_instance.history_change_reason = audit_reason(token)

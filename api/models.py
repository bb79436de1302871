"""API tokens: how a party's own system (a corporation's property system) reads the API and
writes its figures.

A token belongs to one party and acts through a technical account of that party (role
medewerker, no password, no e-mail), so every write goes through the same `rules`
permissions and services as the forms, and the audit trail names the token ("API-token
Vastgoedsysteem (Weller)"). The secret is shown once when the beheerder creates the token;
only its SHA-256 hash is stored, found through a short public prefix.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from agreements.choices import PartyKind
from core.formats import nl_datetime

#: The parties whose systems may write: those whose medewerkers may (agreements.predicates).
WRITING_PARTY_KINDS = (PartyKind.CORPORATIE, PartyKind.GEMEENTE)

#: The technical account's first name; its last name is the token's label.
ACCOUNT_FIRST_NAME = "API-token"


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    label = models.CharField(
        "omschrijving",
        max_length=100,
        help_text="Waarvoor het token dient, bijvoorbeeld 'Vastgoedsysteem Weller'. Staat in "
        "de geschiedenis bij elke wijziging die met het token is gedaan.",
    )
    party = models.ForeignKey(
        "agreements.Party",
        verbose_name="partij",
        on_delete=models.PROTECT,
        related_name="api_tokens",
        limit_choices_to={"kind__in": WRITING_PARTY_KINDS},
        help_text="Het token leest wat deze partij mag lezen en legt alleen de cijfers van deze "
        "partij vast.",
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="technisch account",
        on_delete=models.PROTECT,
        related_name="api_token",
        editable=False,
    )
    prefix = models.CharField("kenmerk", max_length=8, unique=True, editable=False)
    key_hash = models.CharField("SHA-256 van het geheim", max_length=64, editable=False)
    expires_at = models.DateTimeField("verloopt op")
    created_at = models.DateTimeField("aangemaakt op", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="aangemaakt door",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    revoked_at = models.DateTimeField("ingetrokken op", null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ingetrokken door",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    last_used_at = models.DateTimeField("laatst gebruikt", null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API-token"
        verbose_name_plural = "API-tokens"
        ordering = ["party__sort_order", "label", "-created_at"]
        constraints = [
            models.CheckConstraint(name="api_token_label_not_empty", condition=~Q(label="")),
            models.CheckConstraint(
                name="api_token_prefix_is_8_hex", condition=Q(prefix__regex=r"^[0-9a-f]{8}$")
            ),
            models.CheckConstraint(
                name="api_token_hash_is_sha256_hex", condition=Q(key_hash__regex=r"^[0-9a-f]{64}$")
            ),
            models.CheckConstraint(
                name="api_token_expires_after_creation",
                condition=Q(expires_at__gt=F("created_at")),
                violation_error_message="Een token verloopt na het moment van aanmaken.",
            ),
            models.CheckConstraint(
                name="api_token_revoked_after_creation",
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=F("created_at")),
            ),
            models.CheckConstraint(
                name="api_token_revoker_only_when_revoked",
                condition=Q(revoked_by__isnull=True) | Q(revoked_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.party})"

    def clean(self):
        super().clean()
        if self.party_id is not None and self.party.kind not in WRITING_PARTY_KINDS:
            raise ValidationError(
                {
                    "party": "Alleen een woningcorporatie of de gemeente kan een API-token "
                    "krijgen: alleen zij leggen cijfers vast."
                }
            )
        if self._state.adding and self.expires_at is not None:
            if self.expires_at <= timezone.now():
                raise ValidationError({"expires_at": "Kies een moment in de toekomst."})

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def state(self) -> str:
        if self.is_revoked:
            return f"ingetrokken op {nl_datetime(self.revoked_at)}"
        if self.is_expired():
            return f"verlopen op {nl_datetime(self.expires_at)}"
        return "actief"

    @property
    def audit_name(self) -> str:
        """How the audit trail names the token: "API-token ‘Vastgoedsysteem’ (Weller)"."""
        return f"API-token ‘{self.label}’ ({self.party.name})"

"""The evaluation as the parties' joint decision (vaststelling) and the tenant views.

- ``Vaststelling``: the kernteam declares the evaluation of a jaarschijf complete; from then on
  every signing party records its decision.
- ``Approval``: one party's decision, akkoord or niet akkoord with a reason, by a named person
  in the function they sign in. Revisable until every signing party has decided.
- ``TenantView``: a tenant organisation's formal view (zienswijze) on the evaluation, overall or
  on one theme, with an optional PDF attachment stored outside the static files.

Which parties must decide comes from the data: the parties of the jaarschijf's signatories.
"""

import io
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from pypdf import PdfReader
from simple_history.models import HistoricalRecords

from core.models import VersionedModel


class PrivateStorage(FileSystemStorage):
    """Attachments live under PRIVATE_MEDIA_ROOT (read when used), never under a URL: a view
    serves them to those who may read them."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Bijlagen hebben geen openbare URL.")


def attachment_storage():
    return PrivateStorage()


class Vaststelling(VersionedModel):
    """The kernteam has declared the evaluation of a jaarschijf complete."""

    jaarschijf = models.OneToOneField(
        "agreements.Jaarschijf",
        verbose_name="jaarschijf",
        on_delete=models.CASCADE,
        related_name="vaststelling",
    )
    completed_at = models.DateTimeField("evaluatie compleet verklaard op", default=timezone.now)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compleet verklaard door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "vaststelling van de evaluatie"
        verbose_name_plural = "vaststellingen van de evaluatie"

    def __str__(self):
        return f"Vaststelling evaluatie {self.jaarschijf}"


class Decision(models.TextChoices):
    AKKOORD = "akkoord", "Akkoord"
    NIET_AKKOORD = "niet_akkoord", "Niet akkoord"


class Approval(VersionedModel):
    """One signing party's decision on the evaluation."""

    Decision = Decision

    vaststelling = models.ForeignKey(
        Vaststelling,
        verbose_name="vaststelling",
        on_delete=models.CASCADE,
        related_name="approvals",
    )
    party = models.ForeignKey(
        "agreements.Party",
        verbose_name="partij",
        on_delete=models.PROTECT,
        related_name="evaluation_approvals",
    )
    decision = models.CharField("besluit", max_length=16, choices=Decision.choices)
    reason = models.TextField("reden", max_length=4000, blank=True)
    signer_name = models.CharField("naam ondertekenaar", max_length=200)
    signer_function = models.CharField("functie", max_length=200)
    decided_at = models.DateTimeField("besloten op", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vastgelegd door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "besluit over de evaluatie"
        verbose_name_plural = "besluiten over de evaluatie"
        ordering = ["party__sort_order", "party__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["vaststelling", "party"],
                name="approval_one_per_party",
                violation_error_message="{party} heeft al besloten over deze evaluatie.",
            ),
            models.CheckConstraint(
                name="approval_decision_valid", condition=Q(decision__in=Decision.values)
            ),
            models.CheckConstraint(
                name="approval_reason_when_niet_akkoord",
                condition=~Q(decision=Decision.NIET_AKKOORD) | ~Q(reason=""),
            ),
            models.CheckConstraint(
                name="approval_signer_named",
                condition=~Q(signer_name="") & ~Q(signer_function=""),
            ),
        ]

    def __str__(self):
        return f"{self.party}: {self.get_decision_display()}"

    def clean(self):
        self.reason = self.reason.strip()
        if self.decision == Decision.NIET_AKKOORD and not self.reason:
            raise ValidationError({"reason": "Geef de reden waarom uw partij niet akkoord gaat."})


PDF_MAGIC = b"%PDF-"


def validate_pdf(upload) -> None:
    """A PDF within the size limit, recognised by its content: the %PDF header and a parse.

    The name and the Content-Type the browser sends are not trusted.
    """
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"De bijlage is te groot ({format_bytes(upload.size)}); het maximum is "
            f"{format_bytes(limit)}."
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise ValidationError(f"De bijlage is te groot; het maximum is {format_bytes(limit)}.")
    if not data.startswith(PDF_MAGIC):
        raise ValidationError("De bijlage is geen PDF-bestand. Kies een PDF.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = len(reader.pages)
    except Exception:  # pypdf raises many kinds of errors on a damaged file
        raise ValidationError(
            "De bijlage is geen leesbaar PDF-bestand (beschadigd of onvolledig)."
        ) from None
    if pages < 1:
        raise ValidationError("De bijlage is een PDF zonder pagina's.")


def format_bytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def attachment_path(instance, filename):
    """A random name in a folder per jaarschijf: the original name is kept apart."""
    return f"zienswijzen/{instance.jaarschijf_id}/{uuid.uuid4().hex}.pdf"


class TenantView(VersionedModel):
    """A tenant organisation's formal view on the evaluation: overall, or on one theme."""

    jaarschijf = models.ForeignKey(
        "agreements.Jaarschijf",
        verbose_name="jaarschijf",
        on_delete=models.CASCADE,
        related_name="tenant_views",
    )
    party = models.ForeignKey(
        "agreements.Party",
        verbose_name="huurdersorganisatie",
        on_delete=models.PROTECT,
        related_name="tenant_views",
        limit_choices_to={"kind": "huurdersorganisatie"},
    )
    theme = models.ForeignKey(
        "agreements.Theme",
        verbose_name="thema",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenant_views",
        help_text="Leeg voor een zienswijze op de evaluatie als geheel.",
    )
    text = models.TextField("zienswijze", max_length=20000)
    attachment = models.FileField(
        "bijlage (PDF)",
        upload_to=attachment_path,
        storage=attachment_storage,
        validators=[validate_pdf],
        max_length=300,
        blank=True,
    )
    attachment_name = models.CharField("naam bijlage", max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField("datum", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "zienswijze"
        verbose_name_plural = "zienswijzen"
        ordering = ["jaarschijf", "party__sort_order", "party__name", "theme__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["jaarschijf", "party", "theme"],
                condition=Q(theme__isnull=False),
                name="tenant_view_one_per_party_theme",
            ),
            models.UniqueConstraint(
                fields=["jaarschijf", "party"],
                condition=Q(theme__isnull=True),
                name="tenant_view_one_overall_per_party",
            ),
            models.CheckConstraint(name="tenant_view_text_given", condition=~Q(text="")),
        ]

    def __str__(self):
        about = f"thema {self.theme.number}" if self.theme_id else "de evaluatie als geheel"
        return f"Zienswijze {self.party} over {about}"

    @property
    def subject(self) -> str:
        return (
            f"Thema {self.theme.number}. {self.theme.title}"
            if self.theme_id
            else "Evaluatie als geheel"
        )


class ImportDraftKind(models.TextChoices):
    PROJECT = "project", "Project"
    LABEL_FIGURE = "labelfigure", "EFG-labelcijfer"


class ImportDraft(models.Model):
    """A checked workbook waiting for its owner's confirmation: what the import would change.

    Stored instead of kept in the session (a large change set would slow every request of the
    user), one per owner and jaarschijf: a new upload replaces the previous one. It expires
    after IMPORT_DRAFT_MINUTES; an expired draft is refused and removed when it is opened, and
    ``manage.py clear_import_drafts`` removes the rest. Only the owner can open or apply it.
    """

    token = models.UUIDField("kenmerk", default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="geüpload door",
        on_delete=models.CASCADE,
        related_name="+",
    )
    jaarschijf = models.ForeignKey(
        "agreements.Jaarschijf",
        verbose_name="jaarschijf",
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField("bestandsnaam", max_length=255, blank=True)
    digest = models.CharField("controlegetal (SHA-256)", max_length=64)
    checked_rows = models.JSONField("gecontroleerde rijen per blad", default=dict)
    warnings = models.JSONField("waarschuwingen", default=list)
    row_count = models.PositiveIntegerField("rijen met wijzigingen", default=0)
    field_count = models.PositiveIntegerField("gewijzigde velden", default=0)
    created = models.DateTimeField("geüpload op", default=timezone.now)
    expires = models.DateTimeField("verloopt op")

    class Meta:
        verbose_name = "importvoorbeeld"
        verbose_name_plural = "importvoorbeelden"
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "jaarschijf"], name="import_draft_one_per_owner_and_year"
            ),
            models.CheckConstraint(
                name="import_draft_expires_after_created",
                condition=Q(expires__gt=models.F("created")),
            ),
        ]
        indexes = [models.Index(fields=["expires"], name="import_draft_expires_idx")]

    def __str__(self):
        return f"Import {self.filename or '(zonder naam)'} voor jaarschijf {self.jaarschijf_id}"

    @property
    def is_expired(self) -> bool:
        return self.expires <= timezone.now()

    @property
    def is_empty(self) -> bool:
        return not self.row_count


class ImportDraftRow(models.Model):
    """One row of a draft: the record it changes, the version that was read, old → new."""

    draft = models.ForeignKey(
        ImportDraft, verbose_name="importvoorbeeld", on_delete=models.CASCADE, related_name="rows"
    )
    position = models.PositiveIntegerField("volgorde")
    kind = models.CharField("soort", max_length=16, choices=ImportDraftKind.choices)
    object_id = models.PositiveBigIntegerField("record")
    version = models.PositiveIntegerField("versie bij het uploaden")
    label = models.TextField("omschrijving")
    sheet = models.CharField("blad", max_length=31)
    row = models.PositiveIntegerField("rij")
    #: [{"field", "label", "old", "new", "value"}, …] as evaluation.importer.FieldChange.
    changes = models.JSONField("wijzigingen")

    class Meta:
        verbose_name = "rij van een importvoorbeeld"
        verbose_name_plural = "rijen van importvoorbeelden"
        ordering = ["draft", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "position"], name="import_draft_row_unique_position"
            ),
            models.CheckConstraint(
                name="import_draft_row_kind_valid", condition=Q(kind__in=ImportDraftKind.values)
            ),
        ]

    def __str__(self):
        return self.label

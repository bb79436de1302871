from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.formats import nl_datetime
from core.models import CheckedTextModel


class UserManager(BaseUserManager):
    def get_queryset(self):
        # Every page shows "Ingelogd als … (partij)" and every permission asks the party.
        return super().get_queryset().select_related("party")


class UserRole(models.TextChoices):
    BEHEERDER = "beheerder", "Beheerder"
    KERNTEAMLID = "kernteamlid", "Kernteamlid"
    MEDEWERKER = "medewerker", "Medewerker"
    HUURDERSORGANISATIE = "huurdersorganisatie", "Huurdersorganisatie"


#: The roles that keep figures current (with the beheerder): ``User.can_write`` and the
#: queries that look for such users ask this one tuple.
WRITING_ROLES = (UserRole.KERNTEAMLID, UserRole.MEDEWERKER)


class User(CheckedTextModel, AbstractUser):
    Role = UserRole

    party = models.ForeignKey(
        "agreements.Party",
        verbose_name="partij",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(
        "rol", max_length=32, choices=Role.choices, default=Role.HUURDERSORGANISATIE
    )

    remind_milestones = models.BooleanField(
        "herinneringen over mijlpalen",
        default=True,
        help_text="E-mail over mijlpalen van uw partij die binnen twee weken vallen of te laat zijn.",
    )
    remind_rounds = models.BooleanField(
        "herinneringen over rapportagerondes",
        default=True,
        help_text="E-mail over wat een open rapportageronde nog van uw partij vraagt.",
    )
    calendar_token = models.CharField(
        "agendasleutel", max_length=64, unique=True, null=True, blank=True, editable=False
    )

    objects = UserManager()

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
        constraints = [
            models.CheckConstraint(
                name="user_role_valid",
                condition=models.Q(role__in=UserRole.values),
            ),
            # Everybody but a beheerder speaks for a party; the permissions depend on it.
            models.CheckConstraint(
                name="user_party_required_unless_beheerder",
                condition=models.Q(role="beheerder") | models.Q(party__isnull=False),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_beheerder(self) -> bool:
        return self.is_superuser or self.role == self.Role.BEHEERDER

    @property
    def own_corporation(self):
        """The corporation a medewerker speaks for, or None.

        None for the beheerder and the kernteam (they may change every corporation's rows)
        and for anyone who does not work for a corporation. Used wherever rows are limited to
        one corporation: the import template, the import itself.
        """
        if self.is_beheerder or self.role != self.Role.MEDEWERKER or self.party_id is None:
            return None
        return self.party if self.party.is_corporation else None

    @property
    def can_write(self) -> bool:
        return self.is_beheerder or self.role in WRITING_ROLES


class AuthenticatorApp(TOTPDevice):
    """A user's authenticator app (django-otp's TOTP device) as the beheerder sees it in the
    admin: with a Dutch name, where the library's model has an English one it does not
    translate. The same rows; the application itself works with ``TOTPDevice``."""

    class Meta:
        proxy = True
        verbose_name = "authenticator-app"
        verbose_name_plural = "authenticator-apps"


# django-axes' records of logging in, with Dutch names and descriptions where the library's
# models describe themselves in English ("Attempted Access: …") that it does not translate.
# The same rows; django-axes itself writes and reads its own models.


def who_from_where(record) -> str:
    """A login record as "weller vanaf 192.0.2.7, 01-12-2026 03:14"."""
    return (
        f"{record.username or 'onbekende gebruikersnaam'} vanaf "
        f"{record.ip_address or 'onbekend adres'}, {nl_datetime(record.attempt_time)}"
    )


class LoginAttempt(AccessAttempt):
    class Meta:
        proxy = True
        verbose_name = "inlogpoging"
        verbose_name_plural = "inlogpogingen"

    def __str__(self):
        return who_from_where(self)


class Login(AccessLog):
    class Meta:
        proxy = True
        verbose_name = "aanmelding"
        verbose_name_plural = "aanmeldingen"

    def __str__(self):
        return f"{self.username or 'onbekende gebruikersnaam'}, {nl_datetime(self.attempt_time)}"


class FailedLogin(AccessFailureLog):
    class Meta:
        proxy = True
        verbose_name = "mislukte aanmelding"
        verbose_name_plural = "mislukte aanmeldingen"

    def __str__(self):
        return who_from_where(self) + (", geblokkeerd" if self.locked_out else "")

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django_otp import verify_token

from core.validators import NoControlCharactersFormMixin

TOKEN_PATTERN = re.compile(r"^\d{6}$")


class LoginForm(NoControlCharactersFormMixin, AuthenticationForm):
    """Django's login form with the autocomplete hints password managers need."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class TokenForm(forms.Form):
    """A six-digit code from the authenticator app, checked against one device.

    The device's own throttling (django-otp) slows down guessing: after each wrong code the
    next attempt has to wait twice as long.
    """

    token = forms.CharField(
        label="Code uit de authenticator-app",
        help_text="De zes cijfers die de app nu toont.",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args, user, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = device

    def clean_token(self):
        token = re.sub(r"\s+", "", self.cleaned_data["token"])
        if not TOKEN_PATTERN.match(token):
            raise forms.ValidationError(
                "Vul de zes cijfers in die de authenticator-app toont.", code="format"
            )
        allowed, _ = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                "Te veel onjuiste codes achter elkaar. Wacht een halve minuut en probeer het "
                "dan opnieuw met de code die de app op dat moment toont.",
                code="throttled",
            )
        if verify_token(self.user, self.device.persistent_id, token) is None:
            raise forms.ValidationError(
                "Deze code klopt niet of is verlopen. Controleer of de tijd op uw telefoon "
                "goed staat en vul de code in die de app nu toont.",
                code="invalid",
            )
        return token

"""Two-factor authentication (TOTP) for every account that can change something.

After the password, a writer either confirms an authenticator app (first login) or enters a
code from it (every later login) before any other page opens. Read-only accounts of a tenant
organisation skip this: they see nothing that is not also shown in the kernteam's meetings.
"""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator-app"


def two_factor_required(user) -> bool:
    """Whether this user must pass a TOTP code before reaching any page."""
    if not (settings.OTP_REQUIRED and user.is_authenticated and getattr(user, "can_write", False)):
        return False
    # Right after login() the user object has not passed OTPMiddleware: not verified yet.
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def two_factor_url(user, next_url: str = "") -> str:
    """The page that completes the login: verify a code, or first set up the app."""
    name = (
        "accounts:two-factor-verify"
        if user_has_device(user, confirmed=True)
        else "accounts:two-factor-setup"
    )
    url = reverse(name)
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return url


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being set up; one per user, kept until it is confirmed."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, as authenticator apps ask for it."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(data: str, label: str) -> str:
    """An SVG QR code without inline styles (strict CSP), labelled for screen readers."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        box_size=10,
        border=4,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    svg = image.to_string(encoding="unicode")
    # qrcode writes no accessible name; the label is escaped because it ends up in markup.
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(label)}" class="two-factor__qr" ',
        1,
    )

"""Dutch names in the admin for installed libraries whose AppConfig has none (Django's way:
subclass the library's AppConfig in the project and list the subclass in INSTALLED_APPS)."""

from axes.apps import AppConfig as AxesAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "Aanmelden en blokkeren"


class TOTPConfig(TOTPAppConfig):
    verbose_name = "Tweestapsverificatie"

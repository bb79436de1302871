"""Settings for the prestatieafspraken application.

Everything that differs between machines is read from the environment through the small
helpers below; a malformed value stops the start-up with ImproperlyConfigured instead of
silently falling back to a default.
"""

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from heerlen.limits import UPLOAD_DEFAULTS, envint

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envurl(name: str, default: str) -> str:
    """An absolute http(s) address without a trailing slash, or "" when unset and no default."""
    value = (os.environ.get(name, "") or default).strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"{name} must be an address like https://prestatieafspraken.example, not {value!r}"
        )
    return value


DEBUG = envbool("DEBUG", "false")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Only reachable with DEBUG on: a throwaway key for trying the application out.
    SECRET_KEY = "onveilig-alleen-voor-ontwikkeling-" + "x" * 40  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

# Opens the dashboard, the lists and the detail pages read-only to visitors who are not
# logged in. Off by default: the agreements are public, the progress notes may not be.
PUBLIC_DASHBOARD = envbool("PUBLIC_DASHBOARD", "false")

# Demo accounts are only ever created by the quick-start, never in production.
DEMO_ACCOUNTS = envbool("DEMO_ACCOUNTS", "false")
if DEMO_ACCOUNTS and not DEBUG:
    raise ImproperlyConfigured("DEMO_ACCOUNTS may only be switched on together with DEBUG")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tables2",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "heerlen.apps.AxesConfig",  # django-axes, with a Dutch name in the admin
    "csp",
    "django_otp",
    "heerlen.apps.TOTPConfig",  # django_otp.plugins.otp_totp, with a Dutch name
    "rest_framework",
    "drf_spectacular",
    # Layers, bottom to top (pyproject.toml [tool.importlinter] enforces the direction):
    "core",
    "accounts",
    "agreements",
    "projects",
    "sustainability",
    "overview",
    "evaluation",
    "cycle",
    "api",
]

# NL Design System markup for every form: labels, descriptions and errors at the field.
FORM_RENDERER = "core.forms.NLDSFormRenderer"

MIDDLEWARE = [
    # First: also the 400 page for a bad Host (made inside SecurityMiddleware) gets the headers.
    "heerlen.middleware.BaselineSecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "heerlen.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "heerlen.middleware.PrivatePagesMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "overview.jaarschijf.JaarschijfMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After what the layout needs (user, jaarschijf, messages, the CSP nonce): an empty 405
    # becomes the Dutch page templates/405.html.
    "heerlen.middleware.MethodNotAllowedPageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that its redirect to the code page still gets the security headers.
    "accounts.middleware.TwoFactorMiddleware",
]

ROOT_URLCONF = "heerlen.urls"
WSGI_APPLICATION = "heerlen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "overview.context_processors.site",
            ],
        },
    },
]

# PostgreSQL in production and in the tests; without DATABASE_URL a SQLite file under var/,
# the embedded default for trying the application out.
# CONN_MAX_AGE 0: a connection lives for one request. A persistent connection (CONN_MAX_AGE >
# 0) stays with its gunicorn thread while that thread is idle; once max_connections is reached
# the threads without one keep failing after the load is gone (benchmarks/exhaustion.py).
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL, conn_max_age=envint("CONN_MAX_AGE", "0"), conn_health_checks=True
            )
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "var" / "db.sqlite3",
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Writers start on Mijn werk; readers are sent on from there to the dashboard.
LOGIN_REDIRECT_URL = "cycle:my-work"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor authentication for every account that can write; only DEBUG may skip it.
OTP_REQUIRED = envbool("OTP_REQUIRED", "false" if DEBUG else "true")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Prestatieafspraken")

# Published in /.well-known/security.txt (RFC 9116) and on the accessibility statement.
# Without SECURITY_CONTACT the address is security@ the site's host (SITE_HOST below).
# The site's own host name, for texts that must not follow the Host header of a request:
# SITE_HOST, else the first ALLOWED_HOSTS entry that is a plain name (no wildcard).
SITE_HOST = os.environ.get("SITE_HOST", "") or next(
    (h for h in ALLOWED_HOSTS if not DEBUG and h != "*" and not h.startswith(".")), ""
)
SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "")
if not SECURITY_CONTACT and not DEBUG:
    if not SITE_HOST:
        raise ImproperlyConfigured(
            "SECURITY_CONTACT (or SITE_HOST) must be set when ALLOWED_HOSTS names no plain host"
        )
    # In production never built from the request: a crafted Host header must not choose it.
    SECURITY_CONTACT = f"mailto:security@{SITE_HOST}"
SECURITY_POLICY_URL = os.environ.get("SECURITY_POLICY_URL", "")
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "")


# The reverse proxies in front of gunicorn (deploy/nginx), as addresses or networks
# ("127.0.0.1,10.0.0.0/24"). Only from these is X-Forwarded-For believed, so that the login
# lockout counts the real client, not the proxy (heerlen.client_ip). Empty: no proxy.
def envnetworks(name: str, default: str) -> list:
    networks = []
    for item in envlist(name, default):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks, not {item!r}"
            ) from None
    return networks


TRUSTED_PROXIES = envnetworks("TRUSTED_PROXIES", "")

# django-axes: lock out after repeated failures per username and IP address together.
AXES_CLIENT_IP_CALLABLE = "heerlen.client_ip.client_ip"
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", "30") / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Sessions: an inactivity timeout (renewed on every request) and an absolute lifetime.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", "30") * 60
# Activity renews the idle timeout at most once a minute (accounts.middleware), not with a
# database write on every request.
SESSION_TOUCH_SECONDS = envint("SESSION_TOUCH_SECONDS", "60")
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_HOURS", "10") * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SECURE = not DEBUG and envbool("SECURE", "true")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and envbool("SECURE_SSL_REDIRECT", "true")
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The API is not redirected to https but refuses plain http with a problem+json
# (api.views.VersionedAPIMixin): a redirect would have sent the request (and its
# credentials) in the clear already, and a client would silently follow it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^api/"]

# The address at which users reach the application, for links outside a request (the reminder
# e-mails). SITE_URL, else built from SITE_HOST in production and the runserver in DEBUG;
# empty when neither is known, and then send_reminders refuses to mail links it cannot make.
SITE_URL = envurl(
    "SITE_URL",
    "http://127.0.0.1:8000"
    if DEBUG
    else (f"{'https' if SECURE else 'http'}://{SITE_HOST}" if SITE_HOST else ""),
)

from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "nl"
# Dutch for texts of Django and libraries that ship none (the admin): locale/nl/LC_MESSAGES.
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
# Off: a year or an id prints as 2024, never "2.024". Every amount goes through the Dutch
# formats of core.formats ({{ value|nl_number }}), which set the thousands dot themselves.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded workbooks are read in memory and never stored; this bounds what a request may carry.
# The upload limits (and nginx's client_max_body_size, rendered from them) are heerlen/limits.py.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", UPLOAD_DEFAULTS["IMPORT_MAX_BYTES"])

# Evidence files on progress updates: stored outside the static files, served only through a
# view that checks who may read the update (agreements.views.evidence_download).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "") or BASE_DIR / "var" / "media")
EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_BYTES", UPLOAD_DEFAULTS["EVIDENCE_MAX_BYTES"])
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", "5000")
# Uncompressed, from the zip directory before anything is parsed: any one part (a sheet, the
# shared strings) and all parts together. These bound what reading a workbook can cost.
IMPORT_MAX_PART_BYTES = envint("IMPORT_MAX_PART_BYTES", str(2 * IMPORT_MAX_BYTES))
IMPORT_MAX_UNCOMPRESSED_BYTES = envint("IMPORT_MAX_UNCOMPRESSED_BYTES", str(5 * IMPORT_MAX_BYTES))
# A checked workbook waits this long for its owner's confirmation (evaluation.ImportDraft).
IMPORT_DRAFT_MINUTES = envint("IMPORT_DRAFT_MINUTES", "60")

# Attachments of tenant views (PDF): outside the static files and never served by URL; the
# application hands them out to users who may read them.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", UPLOAD_DEFAULTS["ATTACHMENT_MAX_BYTES"])

# Actions without an update for this many days need attention on the dashboard.
STALE_AFTER_DAYS = envint("STALE_AFTER_DAYS", "90")

# E-mail (reminders): Django's SMTP backend when EMAIL_HOST is set, else the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
EMAIL_PORT = envint("EMAIL_PORT", "587")
if not 0 < EMAIL_PORT < 65536:
    raise ImproperlyConfigured(f"EMAIL_PORT must be a port number (1-65535), not {EMAIL_PORT}")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "true" if EMAIL_HOST else "false")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "false")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "30")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "prestatieafspraken@localhost")
if "@" not in DEFAULT_FROM_EMAIL:
    raise ImproperlyConfigured(
        f"DEFAULT_FROM_EMAIL must be an e-mail address, not {DEFAULT_FROM_EMAIL!r}"
    )
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_SUBJECT_PREFIX = ""

# The API (/api/v1/) by the NL API Design Rules: JSON only, errors as problem+json in Dutch,
# the version in the path and in the API-Version header, an OpenAPI 3 document.
API_VERSION = "1.0.0"
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    # The session of the pages (reading only needs no CSRF token); never HTTP Basic, which
    # would take passwords past the login's lockout and second factor.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Prestatieafspraken API",
    "DESCRIPTION": (
        "De prestatieafspraken (jaarschijven) tussen gemeente, woningcorporaties en "
        "huurdersorganisaties als open data: afspraken, voortgang, projecten, EFG-labels, "
        "BAT-voorraad en kengetallen."
    ),
    "VERSION": API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
}


def envrate(name: str, default: str) -> str:
    """A DRF throttle rate: a whole number, a slash and second, minute, hour or day."""
    value = os.environ.get(name, default).strip()
    number, _, period = value.partition("/")
    if not number.isdigit() or int(number) < 1 or period not in ("second", "minute", "hour", "day"):
        raise ImproperlyConfigured(
            f"{name} must read like 120/minute (second, minute, hour or day), not {value!r}"
        )
    return value


# API tokens (api.tokens): how many requests one token may make, and how long a new token
# is valid unless the beheerder chooses otherwise.
API_TOKEN_RATE = envrate("API_TOKEN_RATE", "120/minute")
API_TOKEN_DEFAULT_DAYS = envint("API_TOKEN_DEFAULT_DAYS", "365")
if API_TOKEN_DEFAULT_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_DEFAULT_DAYS must be at least 1")

# The default cache is each process's memory. The API's rate limit counts in the database
# (one table, `manage.py createcachetable`), so that all gunicorn workers share the count.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Rendered parts of the dashboard and the party page ({% cache %}) and the year switcher
    # (kept_value), core.fragments: per process, keyed by the database's data revision, so a
    # kept part is never older than the data.
    # FRAGMENT_CACHE_SECONDS=0 keeps nothing. A dashboard is some 120 KB: at most 200 of them
    # (about 25 MB) per process, the least recently used go first.
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "template_fragments",
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
    "api-throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "api_throttle_cache",
    },
}

FRAGMENT_CACHE_SECONDS = envint("FRAGMENT_CACHE_SECONDS", "600")
if FRAGMENT_CACHE_SECONDS < 0:
    raise ImproperlyConfigured("FRAGMENT_CACHE_SECONDS must be 0 or more")
# Tables whose writes do not change what a kept page shows, so they do not raise the data
# revision (core.fragments): written on visits and logins, not by changing the agreements.
FRAGMENT_UNTRACKED_TABLES = [
    "django_session",
    "django_migrations",
    "api_throttle_cache",
    "axes_accessattempt",
    "axes_accessfailurelog",
    "axes_accesslog",
]

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

DJANGO_TABLES2_TEMPLATE = "tables/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "utrecht-table"}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""The upload limits, read from the environment in one place: for the settings and for nginx.

heerlen/settings.py takes ``IMPORT_MAX_BYTES``, ``ATTACHMENT_MAX_BYTES`` and
``EVIDENCE_MAX_BYTES`` from here; deploy/render_nginx.py renders ``client_max_body_size`` from
:func:`request_max_bytes`, so that nginx lets every upload the application accepts through
(with room for the multipart envelope and the form's other fields) and the application, not
nginx, says in Dutch which file is too large. No Django settings are needed to read them:
nginx can be rendered without the application's secrets.
"""

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

MB = 1024 * 1024

#: Each limit's environment variable and its default.
UPLOAD_DEFAULTS = {
    "IMPORT_MAX_BYTES": 5 * MB,  # an evaluation workbook
    "ATTACHMENT_MAX_BYTES": 5 * MB,  # the PDF attached to a tenant view
    "EVIDENCE_MAX_BYTES": 10 * MB,  # a file with a progress update or a submission
}

#: Room in a request beyond its largest file: the multipart envelope and the other fields.
ENVELOPE_BYTES = 1 * MB


def envint(name: str, default: int | str, environ: Mapping[str, str] = os.environ) -> int:
    value = environ.get(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def upload_limits(environ: Mapping[str, str] = os.environ) -> dict[str, int]:
    """Each upload limit in bytes, by its setting's name."""
    return {name: envint(name, default, environ) for name, default in UPLOAD_DEFAULTS.items()}


def request_max_bytes(environ: Mapping[str, str] = os.environ) -> int:
    """The largest request body to let through: the largest upload plus its envelope."""
    return max(upload_limits(environ).values()) + ENVELOPE_BYTES

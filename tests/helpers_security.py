"""Helpers for the login, two-factor and security tests."""

import copy
import json
import os
import socket
import subprocess
import sys
from contextlib import contextmanager
from html.parser import HTMLParser

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import PASSWORD


def totp_token(device: TOTPDevice, offset_steps: int = 0) -> str:
    """The code an authenticator app would show now (or ``offset_steps`` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)


def post_login(client, username: str, password: str = PASSWORD, next_url: str = "", **extra):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data, **extra)


def free_port() -> int:
    """A loopback TCP port nobody listens on (bound and released again)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def database_unreachable():
    """Point the default connection at a closed loopback port, as if PostgreSQL were down.

    Only for tests with ``transactional_db``: closing the connection inside the rolled-back
    transaction of an ordinary test would break that transaction.
    """
    saved = copy.deepcopy(connection.settings_dict)
    connection.close()
    connection.settings_dict["OPTIONS"] = {
        **connection.settings_dict.get("OPTIONS", {}),
        "host": "127.0.0.1",
        "port": free_port(),
        "connect_timeout": 2,
    }
    connection.settings_dict["HOST"] = "127.0.0.1"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "productie-" + "k" * 50,
    "ALLOWED_HOSTS": "prestatieafspraken.example",
    "DJANGO_SETTINGS_MODULE": "heerlen.settings",
}


def run_in_production(code: str, extra_env: dict | None = None):
    """Run ``code`` in a fresh Python with production settings; it prints one JSON line."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **PRODUCTION_ENV, **(extra_env or {})}
    result = subprocess.run(  # noqa: S603 - the test's own code, no outside input
        [sys.executable, "-c", "import json, django; django.setup()\n" + code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def production_settings(*names: str, extra_env: dict | None = None) -> dict:
    """Values of settings as a production start-up (DEBUG off) computes them."""
    return run_in_production(
        "from django.conf import settings\n"
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))",
        extra_env,
    )


def production_response(path: str, secure: bool = True) -> dict:
    """Status and headers of a request that needs no database, answered in production mode."""
    return run_in_production(
        "from django.test import Client\n"
        f"r = Client(HTTP_HOST='prestatieafspraken.example').get({path!r}, secure={secure!r})\n"
        "print(json.dumps({'status': r.status_code, 'headers': dict(r.headers)}))"
    )


class _FormParser(HTMLParser):
    """Collects every <form> of a page with its fields, as a browser would submit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "action": attrs.get("action", ""),
                "method": (attrs.get("method") or "get").lower(),
                "enctype": attrs.get("enctype", ""),
                "fields": {},
                "types": {},
            }
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                self._form["types"][name] = kind
                if "checked" in attrs or name not in self._form["fields"]:
                    self._form["fields"][name] = attrs.get("value", "on")
                return
            self._form["fields"][name] = attrs.get("value", "")
            self._form["types"][name] = kind
        elif tag == "select" and name:
            self._select = name
            self._form["fields"].setdefault(name, "")
            self._form["types"][name] = "select"
        elif tag == "option" and self._select:
            if "selected" in attrs or not self._form["fields"][self._select]:
                self._form["fields"][self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._form["fields"][name] = ""
            self._form["types"][name] = "textarea"

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_forms(html: str) -> list[dict]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def find_form(html: str, action: str, method: str = "post", page_url: str = "") -> dict:
    """The form on the page that posts to ``action`` (path, query string ignored).

    A form without an action attribute posts to the page itself (``page_url``).
    """
    for form in page_forms(html):
        target = (form["action"] or page_url).split("?")[0]
        if form["method"] == method and target == action.split("?")[0]:
            return form
    raise AssertionError(f"Geen {method}-formulier naar {action} op de pagina")

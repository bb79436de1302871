"""The real proxy: nginx (deploy/nginx.conf.template) with TLS in front of a live server.

Clients connect from different loopback addresses (127.0.0.2, 127.0.0.3); nginx connects to
the application from 127.0.0.1 and passes the client's address in X-Forwarded-For. The
lockout must follow the client, the scheme must be https, bodies above the limit stop at
nginx, and the static files come from nginx.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import math
import re
import shutil
import ssl
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from agreements.models import ProgressEvidence
from heerlen.limits import ENVELOPE_BYTES, MB, request_max_bytes

from .factories import PASSWORD, YEAR, action
from .helpers_security import free_port
from .helpers_tracking import progress_data

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))

import render_nginx  # noqa: E402

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

pytestmark = pytest.mark.skipif(
    not Path(render_nginx.NGINX).exists(),
    reason="nginx ontbreekt (scripts/test.sh installeert het)",
)


class Browser:
    """A minimal HTTPS client with cookies, bound to one source address."""

    def __init__(self, port: int, source: str, cafile: Path):
        self.port, self.source = port, source
        self.context = ssl.create_default_context(cafile=str(cafile))
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPSConnection(
            "127.0.0.1",
            self.port,
            source_address=(self.source, 0),
            context=self.context,
            timeout=30,
        )
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response, content

    def login(self, username: str, password: str) -> int:
        _, page = self.request("GET", "/inloggen/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        response, _ = self.request(
            "POST",
            "/inloggen/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://127.0.0.1:{self.port}",
                "Referer": f"https://127.0.0.1:{self.port}/inloggen/",
            },
        )
        return response.status


@pytest.fixture
def run_dir():
    """nginx's directory, where it writes a request body larger than its buffer (an upload).

    Started as root (as the test command may be), nginx's workers run as nobody; pytest's
    tmp_path is private to root, so they could not write there (an upload would get 500).
    """
    path = Path(tempfile.mkdtemp(prefix="pa-nginx-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def running_nginx(run_dir, upstreams: list[str]):
    """nginx from our template in front of ``upstreams``, once it answers: its port and CA."""
    https_port = free_port()
    config = render_nginx.render(
        run_dir,
        upstreams=upstreams,
        https_port=https_port,
        http_port=free_port(),
        static_root=ROOT / "static",
    )
    process = render_nginx.start(config)
    try:
        probe = Browser(https_port, "127.0.0.1", run_dir / "cert.pem")
        for _ in range(50):
            try:
                probe.request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        yield {"port": https_port, "cafile": run_dir / "cert.pem"}
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def proxy(transactional_db, live_server, settings, run_dir):
    settings.OTP_REQUIRED = False
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1/32")]
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    with running_nginx(run_dir, [live_server.url.removeprefix("http://")]) as running:
        yield running


def browser(proxy, source: str) -> Browser:
    return Browser(proxy["port"], source, proxy["cafile"])


def test_wrong_passwords_through_nginx_lock_that_client_only(proxy, weller_medewerker):
    attacker, colleague = browser(proxy, "127.0.0.2"), browser(proxy, "127.0.0.3")
    statuses = [attacker.login("weller", "geraden-wachtwoord") for _ in range(5)]
    assert statuses[:4] == [200] * 4  # the form again, with the message
    assert attacker.login("weller", PASSWORD) == 429

    assert colleague.login("weller", PASSWORD) == 302


def test_a_forged_forwarded_for_through_nginx_does_not_escape_the_lockout(proxy, weller_medewerker):
    attacker = browser(proxy, "127.0.0.2")
    for attempt in range(5):
        forged = {"X-Forwarded-For": f"192.0.2.{attempt}"}
        _, page = attacker.request("GET", "/inloggen/", headers=forged)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
        body = urllib.parse.urlencode(
            {"username": "weller", "password": "fout", "csrfmiddlewaretoken": token}
        ).encode()
        attacker.request(
            "POST",
            "/inloggen/",
            body,
            {
                **forged,
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://127.0.0.1:{proxy['port']}",
            },
        )
    assert attacker.login("weller", PASSWORD) == 429


def test_the_application_sees_https_and_sends_hsts_worthy_cookies(proxy, jaarschijf):
    response, _ = browser(proxy, "127.0.0.2").request("GET", "/inloggen/")
    assert response.status == 200
    # Behind the proxy Django knows the request was https (X-Forwarded-Proto).
    assert "csrftoken=" in (response.getheader("Set-Cookie") or "")


def test_a_body_above_the_limit_stops_at_nginx_with_a_dutch_page(proxy, jaarschijf):
    limit = request_max_bytes()

    response, content = browser(proxy, "127.0.0.2").request(
        "POST", "/inloggen/", b"x" * (limit + 1), {"Content-Type": "text/plain"}
    )

    assert response.status == 413
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    page = content.decode()
    assert '<html lang="nl">' in page
    assert f"groter dan {math.ceil(limit / MB)} MB" in page
    assert "er is niets opgeslagen" in page


def post_progress_with_file(proxy, data: bytes):
    """Weller's progress update on 1.8 with one evidence file, through nginx as a browser."""
    client = browser(proxy, "127.0.0.2")
    assert client.login("weller", PASSWORD) == 302
    path = reverse("agreements:action-update", args=[YEAR, "1.8"])
    _, page = client.request("GET", action("1.8").get_absolute_url())  # the form is there
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
    fields = progress_data(action("1.8"), csrfmiddlewaretoken=token)
    fields["evidence_files"] = SimpleUploadedFile("verslag.pdf", data, "application/pdf")
    origin = f"https://127.0.0.1:{proxy['port']}"
    return client.request(
        "POST",
        path,
        encode_multipart(BOUNDARY, fields),
        {"Content-Type": MULTIPART_CONTENT, "Origin": origin, "Referer": origin + path},
    )


def test_an_evidence_file_as_large_as_the_application_accepts_passes_nginx(
    proxy, weller_medewerker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    largest = PDF + b"0" * (settings.EVIDENCE_MAX_BYTES - len(PDF))

    response, _ = post_progress_with_file(proxy, largest)

    assert response.status == 302
    assert ProgressEvidence.objects.get().file.size == settings.EVIDENCE_MAX_BYTES


def test_a_file_just_over_its_limit_gets_the_applications_dutch_message_not_nginxs(
    proxy, weller_medewerker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    over = PDF + b"0" * (settings.EVIDENCE_MAX_BYTES + 1024 - len(PDF))

    response, content = post_progress_with_file(proxy, over)

    assert response.status == 200
    assert "Het bestand is te groot" in content.decode()
    assert not ProgressEvidence.objects.exists()


def test_nginx_lets_through_the_largest_upload_set_in_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("EVIDENCE_MAX_BYTES", str(20 * MB))
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"

    config = render_nginx.render(
        tmp_path / "nginx",
        upstreams=["127.0.0.1:8000"],
        https_port=8443,
        http_port=8080,
        static_root=ROOT / "static",
        certificate=certificate,
        key=key,
    ).read_text()

    limit = int(re.search(r"client_max_body_size (\d+);", config)[1])
    assert limit == 20 * MB + ENVELOPE_BYTES
    assert "groter dan 21 MB" in config


def test_with_no_app_server_answering_nginx_says_so_in_dutch(run_dir):
    """Both app servers down: nginx's own 502 page would be English."""
    nothing_listens = f"127.0.0.1:{free_port()}"
    with running_nginx(run_dir, [nothing_listens]) as running:
        response, content = browser(running, "127.0.0.2").request("GET", "/")

    assert response.status == 502
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    page = content.decode()
    assert '<html lang="nl">' in page and "Tijdelijk niet bereikbaar" in page


def test_static_files_come_from_nginx(proxy):
    css = next((ROOT / "static").rglob("*.css")).relative_to(ROOT / "static")
    response, content = browser(proxy, "127.0.0.2").request("GET", f"/static/{css}")
    assert response.status == 200
    assert "immutable" in response.getheader("Cache-Control")
    assert content == (ROOT / "static" / css).read_bytes()

"""Render deploy/nginx.conf.template, and make a self-signed certificate for tests.

    python deploy/render_nginx.py --run-dir DIR --upstream 127.0.0.1:8001 --upstream 127.0.0.1:8002 \
        --https-port 8443 --http-port 8080 --static-root staticfiles [--certificate C --key K]

Without --certificate a self-signed one for localhost/127.0.0.1 is generated in DIR (tests and
benchmarks only). The request size limit comes from the upload limits in the environment
(``EVIDENCE_MAX_BYTES`` and the others, heerlen/limits.py): render with the application's. Prints the path of the rendered nginx.conf; start it with
``nginx -c <path> -p <run-dir> -e <run-dir>/error.log``.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
from pathlib import Path
from string import Template

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from heerlen.limits import MB, request_max_bytes  # noqa: E402 - the project's root, just added

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
NGINX = "/usr/sbin/nginx"


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    certificate, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return certificate, key


def render(
    run_dir: Path,
    *,
    upstreams: list[str],
    https_port: int,
    http_port: int,
    static_root: Path,
    certificate: Path | None = None,
    key: Path | None = None,
    listen_address: str = "127.0.0.1",
    max_body_bytes: int | None = None,
) -> Path:
    """The rendered nginx.conf. ``max_body_bytes``: the largest request body; by default the
    largest upload the application accepts with the same environment, plus its envelope."""
    run_dir.mkdir(parents=True, exist_ok=True)
    if max_body_bytes is None:
        max_body_bytes = request_max_bytes()
    if certificate is None or key is None:
        certificate, key = self_signed_certificate(run_dir)
    servers = "\n".join(
        f"        server {address} max_fails=1 fail_timeout=5s;" for address in upstreams
    )
    text = Template(TEMPLATE.read_text()).substitute(
        run_dir=run_dir,
        upstream_servers=servers,
        https_port=https_port,
        http_port=http_port,
        static_root=Path(static_root).resolve(),
        certificate=certificate,
        certificate_key=key,
        listen_address=listen_address,
        client_max_body_bytes=max_body_bytes,
        client_max_body_mb=math.ceil(max_body_bytes / MB),
    )
    config = run_dir / "nginx.conf"
    config.write_text(text)
    return config


def start(config: Path) -> subprocess.Popen:
    """nginx in the foreground (stopped by terminating the returned process)."""
    run_dir = config.parent
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            NGINX,
            "-t",
            "-q",
            "-c",
            str(config),
            "-p",
            str(run_dir),
            "-e",
            str(run_dir / "error.log"),
        ],
        check=True,
    )
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        [NGINX, "-c", str(config), "-p", str(run_dir), "-e", str(run_dir / "error.log"),
         "-g", "daemon off;"],
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--upstream", action="append", required=True)
    parser.add_argument("--https-port", type=int, default=443)
    parser.add_argument("--http-port", type=int, default=80)
    parser.add_argument("--static-root", type=Path, default=Path("staticfiles"))
    parser.add_argument("--certificate", type=Path)
    parser.add_argument("--key", type=Path)
    parser.add_argument("--listen-address", default="0.0.0.0")  # noqa: S104 - a server
    args = parser.parse_args()
    print(
        render(
            args.run_dir,
            upstreams=args.upstream,
            https_port=args.https_port,
            http_port=args.http_port,
            static_root=args.static_root,
            certificate=args.certificate,
            key=args.key,
            listen_address=args.listen_address,
        )
    )


if __name__ == "__main__":
    main()

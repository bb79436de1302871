"""The address of the client behind our own TLS proxy, for django-axes.

Behind nginx every request comes from the proxy's address: counting failed logins per
``REMOTE_ADDR`` would lock a username for everybody. The proxy appends the address it saw to
``X-Forwarded-For``; what a client writes into that header itself stands to the left of it
and is never believed. So: only when the request comes from a trusted proxy
(``TRUSTED_PROXIES``), walk ``X-Forwarded-For`` from the right, skipping trusted proxies; the
first other address is the client. Anything else (no trusted proxy configured, a direct
request, a malformed header) gives ``REMOTE_ADDR``.

Written out rather than delegated to django-ipware: ipware 8's default algorithm answered
``None`` for a one-proxy chain (which axes would count as one shared client again), and
this rule is short enough to read and test in full.
"""

import ipaddress

from django.conf import settings


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR", "")
    remote_address = _address(remote)
    if remote_address is None or not _trusted(remote_address):
        return remote or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        address = _address(entry)
        if address is None:
            # A hop we cannot read: stop believing the header from here leftwards.
            break
        if not _trusted(address):
            return str(address)
    return remote

"""Links that a page writes many times, reversed once per process.

``django.urls.reverse`` walks the URL patterns on every call (about 25 µs here); a list or a
dashboard writes the same few link shapes for dozens of rows. ``reverse_cached`` remembers a
reversed URL per script prefix and URLconf, so a site mounted under a prefix or a test with
its own URLconf never gets another's link.
"""

from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import url_has_allowed_host_and_scheme


@lru_cache(maxsize=16384)
def _reverse(prefix: str, urlconf, viewname: str, args: tuple) -> str:
    return reverse(viewname, urlconf=urlconf, args=args)


def reverse_cached(viewname: str, args=()) -> str:
    """``reverse(viewname, args=args)``; ``args`` must be hashable values (years, numbers)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(get_script_prefix(), urlconf, viewname, tuple(args))


def same_site_path(url: str, request) -> str | None:
    """The path on this site that ``url`` points to (with its query), else None.

    ``url`` may be a path or an address on this site's own host (a Referer); never another
    host, "//host", "/\\host", a scheme such as "javascript:" or a view name (``redirect()``
    would resolve that). Only the path is returned, never a host.
    """
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(url)
    if not parts.path.startswith("/") or parts.path.startswith(("//", "/\\")):
        return None
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment))

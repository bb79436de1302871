"""Access rules shared by every read view.

Reading needs a login, unless PUBLIC_DASHBOARD opens the read-only pages to everyone.
Writing is decided per object by the `rules` permissions (accounts/predicates.py); views get
their object through helpers that answer 404 when it does not exist and 403 when the user
may not change it.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def may_read(user) -> bool:
    return user.is_authenticated or settings.PUBLIC_DASHBOARD


def viewer_required(view):
    """Logged in, or PUBLIC_DASHBOARD on: otherwise to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_read(request.user):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def require_perm(user, perm: str, obj=None) -> None:
    """Raise 403 unless the user has the permission (for the object)."""
    if not user.is_authenticated or not user.has_perm(perm, obj):
        raise PermissionDenied

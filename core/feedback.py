"""Feedback where the eye is: after a save the page opens at its confirmation.

The confirmation (includes/messages.html) has the id ``melding`` and takes the focus, so a
sighted user sees it without scrolling and a screen reader reads it first.
"""

from django.shortcuts import redirect

MESSAGE_ANCHOR = "melding"


def redirect_to_confirmation(url: str):
    """Redirect to ``url`` opened at the confirmation message (any other fragment dropped)."""
    return redirect(f"{url.split('#', 1)[0]}#{MESSAGE_ANCHOR}")

"""Login, logout, password change and two-factor authentication; site-wide plain pages."""

import logging
from datetime import UTC, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import LoginForm, TokenForm
from accounts.middleware import SESSION_EXPIRED_KEY
from accounts.two_factor import (
    pending_device,
    qr_code_svg,
    secret_for_manual_entry,
    two_factor_required,
    two_factor_url,
)
from core.links import same_site_path

logger = logging.getLogger(__name__)


def _safe_next(request, default: str) -> str:
    """The ``next`` parameter if it points into this site, otherwise ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    return same_site_path(candidate, request) or resolve_url(default)


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session_expired"] = self.request.session.pop(SESSION_EXPIRED_KEY, False)
        return context

    def get_success_url(self):
        url = super().get_success_url()
        # Straight on to the second factor, keeping where the user wanted to go.
        if two_factor_required(self.request.user):
            return two_factor_url(self.request.user, url)
        return url


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default): a link or an image cannot log anybody out."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "U bent uitgelogd.")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


@never_cache
@login_required
def two_factor_setup(request):
    """First login of a writer: connect an authenticator app and confirm one code."""
    user = request.user
    next_url = _safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL))
    if user_has_device(user, confirmed=True):
        # A second device could be added by anyone who knows only the password: never here.
        # A lost phone is reset by a beheerder in the beheeromgeving.
        if user.is_verified():
            return HttpResponseRedirect(next_url)
        return redirect(two_factor_url(user, next_url))

    device = pending_device(user)
    form = TokenForm(request.POST or None, user=user, device=device)
    if request.method == "POST" and form.is_valid():
        device.refresh_from_db()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, "Tweestapsverificatie is ingesteld. U bent ingelogd.")
        return HttpResponseRedirect(next_url)

    config_url = device.config_url
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "config_url": config_url,
            "qr_svg": qr_code_svg(config_url, "QR-code om de authenticator-app te koppelen"),
            "secret": secret_for_manual_entry(device),
            "issuer": settings.OTP_TOTP_ISSUER,
        },
    )


@never_cache
@login_required
def two_factor_verify(request):
    """Every later login of a writer: a code from the app that was set up before."""
    user = request.user
    next_url = _safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL))
    if user.is_verified():
        return HttpResponseRedirect(next_url)
    device = (
        TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-last_used_at").first()
    )
    if device is None:
        return redirect(two_factor_url(user, next_url))

    form = TokenForm(request.POST or None, user=user, device=device)
    if request.method == "POST" and form.is_valid():
        device.refresh_from_db()
        otp_login(request, device)
        return HttpResponseRedirect(next_url)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {
            "form": form,
            "next": next_url,
            "issuer": settings.OTP_TOTP_ISSUER,
        },
    )


@never_cache
@require_GET
def healthz(request):
    """For the load balancer and monitoring: is the database reachable? No login, no HTML."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "not healthy"; the details go to the log only
        logger.warning("Health check failed: database not reachable", exc_info=True)
        return HttpResponse(
            "database niet bereikbaar\n", status=503, content_type="text/plain; charset=utf-8"
        )
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@require_GET
def security_txt(request):
    """RFC 9116: where to report a vulnerability; the expiry moves along, just under a year ahead."""
    # Production settings always fill SECURITY_CONTACT and SITE_HOST; only DEBUG (trying the
    # application out on whatever host) falls back to the request's host.
    host = settings.SITE_HOST or request.get_host()
    contact = settings.SECURITY_CONTACT or f"mailto:security@{host.split(':')[0]}"
    expires = (timezone.now() + timedelta(days=364)).replace(microsecond=0)
    canonical = "https://" + host + reverse("accounts:security-txt")
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: nl, en",
        f"Canonical: {canonical}",
    ]
    if settings.SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def accessibility(request):
    return render(
        request,
        "pages/accessibility.html",
        {
            "contact": settings.ACCESSIBILITY_CONTACT,
            "breadcrumbs": [("Toegankelijkheidsverklaring", request.path)],
        },
    )

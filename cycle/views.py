"""Pages of the yearly cycle: milestones, reporting rounds, Mijn werk, the calendar feed.

The milestone list follows ``viewer_required`` (it holds the document's dates); rounds hold
progress notes and need a login. Every write asks the `rules` permission for the object
and goes through cycle/services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.predicates import is_beheerder, is_kernteamlid
from agreements.access import get_action
from agreements.evidence import KINDS as EVIDENCE_KINDS
from agreements.views import CountedPaginator
from core.access import require_perm, viewer_required
from core.feedback import redirect_to_confirmation
from core.formats import nl_date, nl_list
from core.forms import apply_service_errors, rebound
from core.history import changes_of
from core.links import same_site_path
from core.versioning import ConflictError
from core.workbook import workbook_response

from . import reminders, services
from .calendar import feed_for, feed_years
from .export import round_sheets
from .forms import (
    CloseMilestoneForm,
    CloseRoundForm,
    MilestoneForm,
    MoveMilestoneForm,
    ReminderPreferencesForm,
    RoundForm,
    SubmissionForm,
)
from .models import (
    UPCOMING_DAYS,
    Milestone,
    ReportingRound,
    RoundItem,
    RoundItemKind,
    Submission,
    new_calendar_token,
    today,
)
from .rounds import (
    SNAPSHOT_REASON_WORDS,
    asked_parties,
    asks_of,
    compare,
    parties_without_writer,
    per_party,
    previous_round,
    snapshot_as_of,
    snapshot_reason,
)
from .work import (
    MILESTONES_PER_PAGE,
    milestone_counts,
    milestones_of,
    with_can_edit,
    work_for,
)

MILESTONES_PAGE_PARAM = "pagina"


def _jaarschijf(request):
    jaarschijf = request.jaarschijf
    if jaarschijf is None:
        raise Http404("Er is nog geen jaarschijf.")
    return jaarschijf


# --- milestones -------------------------------------------------------------------------


@viewer_required
def milestone_list(request):
    jaarschijf = _jaarschijf(request)
    milestones = list(
        Milestone.objects.filter(jaarschijf=jaarschijf).select_related(
            "action__jaarschijf", "responsible", "done_by"
        )
    )
    on = today()
    only_late = request.GET.get("te_laat") == "on"
    if only_late:
        milestones = [m for m in milestones if m.is_overdue(on)]
    editable = set()
    if request.user.is_authenticated:
        editable = set(
            Milestone.objects.filter(jaarschijf=jaarschijf)
            .editable_by(request.user)
            .values_list("pk", flat=True)
        )
    return render(
        request,
        "cycle/milestone_list.html",
        {
            "jaarschijf": jaarschijf,
            "milestones": milestones,
            "today": on,
            "only_late": only_late,
            "editable": editable,
            "overdue_count": sum(1 for m in milestones if m.is_overdue(on)),
            "can_add": request.user.is_authenticated
            and request.user.has_perm("cycle.manage_round", jaarschijf),
            "nav_active": "mijlpalen",
            "breadcrumbs": [("Dashboard", reverse("overview:dashboard")), ("Mijlpalen", None)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request, year: int | None = None, number: str | None = None):
    action = get_action(year, number) if number else None
    jaarschijf = action.jaarschijf if action else _jaarschijf(request)
    require_perm(request.user, "cycle.add_milestone", action)
    if action is None:
        require_perm(request.user, "cycle.manage_round", jaarschijf)
    back = f"{action.get_absolute_url()}#mijlpalen" if action else reverse("cycle:milestone-list")
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_milestone(
                jaarschijf=jaarschijf, action=action, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "De mijlpaal is toegevoegd.")
            return redirect_to_confirmation(back)
    return render(
        request,
        "cycle/milestone_form.html",
        {
            "form": form,
            "action": action,
            "title": "Mijlpaal toevoegen",
            "back": back,
            "nav_active": "mijlpalen",
            "breadcrumbs": [
                ("Dashboard", reverse("overview:dashboard")),
                ("Mijlpalen", reverse("cycle:milestone-list")),
                ("Toevoegen", None),
            ],
        },
    )


def _milestone_for_change(user, pk):
    milestone = get_object_or_404(
        Milestone.objects.select_related("jaarschijf", "action__jaarschijf", "responsible"), pk=pk
    )
    require_perm(user, "cycle.manage_milestone", milestone)
    return milestone


@login_required
@require_http_methods(["GET", "POST"])
def milestone_move(request, pk: int):
    milestone = _milestone_for_change(request.user, pk)
    conflict = None
    if request.method == "POST":
        form = MoveMilestoneForm(request.POST)
        if form.is_valid():
            try:
                services.move_milestone(
                    milestone=milestone, user=request.user, **form.service_kwargs()
                )
            except ConflictError as error:
                conflict = error
                milestone = error.current
                form = rebound(form, error, version=error.current.version)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "De mijlpaal is verschoven; de reden is bewaard.")
                return redirect_to_confirmation(milestone.get_absolute_url())
    else:
        form = MoveMilestoneForm(
            initial={
                "due_date": milestone.due_date,
                "due_precision": milestone.due_precision,
                "due_text": milestone.due_text,
                "version": milestone.version,
            }
        )
    history = changes_of(
        Milestone.history.filter(id=milestone.pk).select_related("history_user"),
        fields=["due_date", "due_text", "done_on"],
    )
    return render(
        request,
        "cycle/milestone_move.html",
        {
            "form": form,
            "milestone": milestone,
            "conflict": conflict,
            "changes": history,
            "nav_active": "mijlpalen",
            "breadcrumbs": [
                ("Dashboard", reverse("overview:dashboard")),
                ("Mijlpalen", reverse("cycle:milestone-list")),
                ("Verschuiven", None),
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_close(request, pk: int):
    """Close a milestone on the day it was reached (asked, today by default), or reopen it."""
    milestone = _milestone_for_change(request.user, pk)
    # Back to the list the link was on: a path on this site only (never another host).
    back = same_site_path(request.POST.get("next") or request.GET.get("next", ""), request)
    back = back or milestone.get_absolute_url()
    conflict = None
    if request.method == "POST":
        form = CloseMilestoneForm(request.POST)
        if form.is_valid():
            reopen = form.cleaned_data["reopen"]
            try:
                services.close_milestone(
                    milestone=milestone, user=request.user, **form.service_kwargs()
                )
            except ConflictError as error:
                if reopen:
                    messages.error(request, error.messages[0])
                    return redirect_to_confirmation(back)
                conflict = error
                milestone = error.current
                form = rebound(form, error, version=error.current.version)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                name = f"‘{milestone.short_description}’"
                messages.success(
                    request,
                    f"De mijlpaal {name} is weer open."
                    if reopen
                    else f"De mijlpaal {name} is afgerond op "
                    f"{nl_date(form.cleaned_data['done_on'])}.",
                )
                return redirect_to_confirmation(back)
        elif form.data.get("reopen"):
            messages.error(request, "Het formulier is onvolledig verstuurd; probeer het opnieuw.")
            return redirect_to_confirmation(back)
    else:
        if milestone.is_done:
            return redirect(back)
        form = CloseMilestoneForm(
            initial={"done_on": timezone.localdate(), "version": milestone.version, "next": back}
        )
    return render(
        request,
        "cycle/milestone_close.html",
        {
            "form": form,
            "milestone": milestone,
            "conflict": conflict,
            "back": back,
            "nav_active": "mijlpalen",
            "breadcrumbs": [
                ("Dashboard", reverse("overview:dashboard")),
                ("Mijlpalen", reverse("cycle:milestone-list")),
                ("Afronden", None),
            ],
        },
    )


# --- reporting rounds -----------------------------------------------------------------


@login_required
def round_list(request):
    jaarschijf = _jaarschijf(request)
    rounds = list(ReportingRound.objects.filter(jaarschijf=jaarschijf))
    return render(
        request,
        "cycle/round_list.html",
        {
            "rounds": rounds,
            "jaarschijf": jaarschijf,
            "can_manage": request.user.is_authenticated
            and request.user.has_perm("cycle.manage_round", jaarschijf),
            "nav_active": "rondes",
            "breadcrumbs": [("Rapportagerondes", None)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request):
    jaarschijf = _jaarschijf(request)
    require_perm(request.user, "cycle.manage_round", jaarschijf)
    form = RoundForm(request.POST or None, jaarschijf=jaarschijf)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reporting_round = services.open_round(
                jaarschijf=jaarschijf,
                user=request.user,
                name=data["name"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                deadline=data["deadline"],
                items=form.items(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"De ronde ‘{reporting_round}’ is geopend.")
            return redirect(reporting_round.get_absolute_url())
    return render(
        request,
        "cycle/round_form.html",
        {
            "form": form,
            "nav_active": "rondes",
            "breadcrumbs": [
                ("Rapportagerondes", reverse("cycle:round-list")),
                ("Nieuwe ronde", None),
            ],
        },
    )


def _round(pk):
    return get_object_or_404(
        ReportingRound.objects.select_related("jaarschijf__municipality"), pk=pk
    )


@login_required
def round_detail(request, pk: int):
    """While open: per party "x van y aangeleverd" from live data; closed: from the snapshot."""
    return _round_page(request, _round(pk))


def _round_page(request, reporting_round, *, close_data=None):
    """The round's page; ``close_data``: a refused closing, shown with its message."""
    request.jaarschijf = reporting_round.jaarschijf
    asks = asks_of(reporting_round)
    parties = per_party(asks)
    if reporting_round.is_open:
        unanswerable = parties_without_writer({p.party_slug for p in parties})
        for progress in parties:
            progress.no_writer = progress.party_slug in unanswerable
    previous = previous_round(reporting_round)
    differences = compare(asks, previous)
    sees_every_file = is_kernteamlid(request.user) or is_beheerder(request.user)
    own_slug = request.user.party.slug if request.user.party_id else None
    for ask in asks:
        ask.since = differences.get(ask.key, "ongewijzigd")
        # the same rule as cycle.view_submission_file, which the download asks again
        ask.can_download = sees_every_file or ask.party_slug == own_slug
        # what Mijn werk links for the party, here too: its own open asks, to the form
        ask.can_answer = (
            reporting_round.is_open and request.user.can_write and ask.party_slug == own_slug
        )
    as_of = snapshot_as_of(reporting_round)
    delivered = sum(1 for a in asks if a.delivered)
    can_manage = request.user.is_authenticated and request.user.has_perm(
        "cycle.manage_round", reporting_round
    )
    close_form = None
    if can_manage and reporting_round.is_open:
        close_form = CloseRoundForm(
            close_data,
            initial={"version": reporting_round.version},
            reporting_round=reporting_round,
            asked=len(asks),
            delivered=delivered,
        )
        if close_data is not None:
            close_form.is_valid()
    return render(
        request,
        "cycle/round_detail.html",
        {
            "round": reporting_round,
            "as_of": as_of,
            "as_of_reason": as_of
            and SNAPSHOT_REASON_WORDS[snapshot_reason(reporting_round, as_of)],
            "parties": parties,
            "asked": len(asks),
            "delivered": delivered,
            "previous": previous,
            "can_manage": can_manage,
            "close_form": close_form,
            "nav_active": "rondes",
            "breadcrumbs": [
                ("Rapportagerondes", reverse("cycle:round-list")),
                (str(reporting_round), None),
            ],
        },
    )


@login_required
def round_workbook(request, pk: int):
    """The round's report as a workbook, from the snapshot (a closed round only)."""
    reporting_round = _round(pk)
    if reporting_round.snapshot is None:
        raise Http404("Een open ronde heeft nog geen rapport.")
    return workbook_response(
        round_sheets(reporting_round),
        filename=f"rapportage-{reporting_round.pk}.xlsx",
        title=str(reporting_round),
    )


@login_required
@require_POST
def round_close(request, pk: int):
    reporting_round = _round(pk)
    require_perm(request.user, "cycle.manage_round", reporting_round)
    form = CloseRoundForm(request.POST, reporting_round=reporting_round)
    if not form.is_valid():
        if "confirmed" not in form.errors:
            messages.error(request, "Het formulier is onvolledig verstuurd; probeer het opnieuw.")
            return redirect(reporting_round.get_absolute_url())
        # Not confirmed: the page again, with the message at the checkbox.
        return _round_page(request, reporting_round, close_data=request.POST)
    try:
        services.close_round(
            reporting_round=reporting_round,
            user=request.user,
            version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "De ronde is gesloten; het rapport ligt vast.")
    return redirect(reporting_round.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def round_submit(request, pk: int):
    item = get_object_or_404(
        RoundItem.objects.select_related("round__jaarschijf", "party"),
        pk=pk,
        kind=RoundItemKind.DELIVERABLE,
    )
    require_perm(request.user, "cycle.submit_deliverable", item.round)
    if request.user.party_id not in {p.pk for p in asked_parties(item)}:
        raise PermissionDenied
    form = SubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_deliverable(item=item, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"‘{item.label}’ is aangeleverd.")
            return redirect("cycle:my-work")
    return render(
        request,
        "cycle/submission_form.html",
        {
            "form": form,
            "item": item,
            "nav_active": "mijn-werk",
            "breadcrumbs": [("Mijn werk", reverse("cycle:my-work")), ("Aanleveren", None)],
        },
    )


@login_required
def submission_file(request, pk: int):
    """A file delivered in a round, to the kernteam and the delivering party: a download.

    Served by the application, never from a public folder, and as an attachment so that a
    browser never renders it in the application's own origin.
    """
    submission = get_object_or_404(Submission.objects.exclude(file=""), pk=pk)
    require_perm(request.user, "cycle.view_submission_file", submission)
    _label, content_type = EVIDENCE_KINDS.get(
        submission.file_kind, ("", "application/octet-stream")
    )
    response = FileResponse(
        submission.file.open("rb"),
        as_attachment=True,
        filename=submission.original_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Mijn werk, reminders, calendar --------------------------------------------------


@login_required
def my_work(request):
    user = request.user
    if not user.can_write or user.party_id is None:
        # Readers and the beheerder have no work list of their own: the dashboard is theirs.
        return redirect("overview:dashboard")
    return render(
        request,
        "cycle/my_work.html",
        {
            **work_for(user, _jaarschijf(request)),
            "nav_active": "mijn-werk",
            "breadcrumbs": [("Mijn werk", None)],
        },
    )


@login_required
def my_milestones(request):
    """Every open milestone of the user's party that is late or due soon, from every
    jaarschijf, the oldest first, a page at a time: where Mijn werk's count leads."""
    user = request.user
    if not user.can_write or user.party_id is None:
        return redirect("overview:dashboard")
    on = today()
    counts = milestone_counts(user.party, _jaarschijf(request), on)
    rows = milestones_of(user.party).due_or_overdue(on).order_by("due_date", "pk")
    page = CountedPaginator(
        with_can_edit(rows, user), MILESTONES_PER_PAGE, count=counts.total
    ).get_page(request.GET.get(MILESTONES_PAGE_PARAM))
    return render(
        request,
        "cycle/my_milestones.html",
        {
            "party": user.party,
            "milestones": page.object_list,
            "page": page,
            "page_param": MILESTONES_PAGE_PARAM,
            "milestone_counts": counts,
            "upcoming_days": UPCOMING_DAYS,
            "today": on,
            "nav_active": "mijn-werk",
            "breadcrumbs": [
                ("Mijn werk", reverse("cycle:my-work")),
                ("Open mijlpalen", None),
            ],
        },
    )


@login_required
@require_POST
def reminder_preferences(request):
    form = ReminderPreferencesForm(request.POST)
    if form.is_valid():
        user = request.user
        user.remind_milestones = form.cleaned_data["remind_milestones"]
        user.remind_rounds = form.cleaned_data["remind_rounds"]
        user.save(update_fields=["remind_milestones", "remind_rounds"])
        messages.success(request, "Uw keuze voor herinneringen is opgeslagen.")
    return redirect(f"{reverse('cycle:calendar-settings')}")


def feed_years_text() -> str:
    """'jaarschijf 2024' or 'de jaarschijven 2024, 2025 en 2026': what the feed covers."""
    years = sorted(feed_years())
    if len(years) < 2:
        return f"jaarschijf {years[0]}" if years else ""
    return f"de jaarschijven {nl_list(years)}"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    user = request.user
    if request.method == "POST":
        user.calendar_token = new_calendar_token()
        user.save(update_fields=["calendar_token"])
        messages.success(
            request, "Er is een nieuw agenda-adres gemaakt; het oude adres werkt niet meer."
        )
        return redirect("cycle:calendar-settings")
    feed_url = (
        request.build_absolute_uri(reverse("cycle:calendar-feed", args=[user.calendar_token]))
        if user.calendar_token
        else None
    )
    return render(
        request,
        "cycle/calendar_settings.html",
        {
            "feed_url": feed_url,
            "feed_years": feed_years_text(),
            "milestones_per_mail": reminders.MILESTONES_PER_DIGEST,
            "preferences": ReminderPreferencesForm(
                initial={
                    "remind_milestones": user.remind_milestones,
                    "remind_rounds": user.remind_rounds,
                }
            ),
            "nav_active": "mijn-werk",
            "breadcrumbs": [
                ("Mijn werk", reverse("cycle:my-work")),
                ("Agenda en herinneringen", None),
            ],
        },
    )


def calendar_feed(request, token: str):
    """The personal iCalendar feed; a renewed token makes the old address 404."""
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if not token or user is None:
        raise Http404("Onbekend agenda-adres.")
    response = HttpResponse(feed_for(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="prestatieafspraken.ics"'
    return response

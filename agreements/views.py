"""The action page, its progress and evaluation forms, and the indicator realisation form.

Reading follows ``viewer_required``; every write asks the `rules` permission for the very
object (agreements/access.py) and goes through agreements/services.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_http_methods

from core.access import viewer_required
from core.aggregates import JSONArrayAgg
from core.feedback import redirect_to_confirmation
from core.forms import apply_service_errors, rebound

from . import access, public, services
from .evidence import KINDS
from .forms import EvaluationForm, IndicatorRealisationForm, ProgressUpdateForm
from .models import IndicatorValue, ProgressEvidence, ProgressUpdate

ACTION_TEMPLATE = "agreements/action_detail.html"
#: Updates on the action page: the newest first, this many per page ("pagina" in the URL).
UPDATES_PER_PAGE = 10
UPDATES_PAGE_PARAM = "pagina"


class CountedPaginator(Paginator):
    """A paginator whose number of objects is already known (no COUNT query of its own)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


def action_breadcrumbs(action):
    return [
        ("Afspraken", _reverse_or_none("overview:action-list")),
        (f"Afspraak {action.number}", action.get_absolute_url()),
    ]


def _reverse_or_none(name):
    # The list page belongs to another module; the crumb is still useful as text without it.
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def action_context(
    request, action, *, parties=None, progress_form=None, evaluation_form=None, conflict=None
):
    """Everything the action page shows, in a fixed number of queries."""
    user = request.user
    public.require_readable_jaarschijf(user, action.jaarschijf)
    # The header and footer show the jaarschijf of the page being read, not another one.
    request.jaarschijf = action.jaarschijf
    if parties is None:
        parties = list(action.action_parties.select_related("party"))
    updates = action.updates.select_related("author", "party")
    # The status and percentage come from the latest update, public or not (one probe of the
    # index progress_latest_per_action); the same query counts the updates this user may
    # read, for the paginator, in a subquery evaluated once for that one row (an index-only
    # count). A window count over the joined updates read and joined every update of the action.
    latest = updates.annotate(readable_count=readable_update_count(user)).first()
    # The newest updates, a page at a time: an action may collect thousands over the years.
    updates_page = CountedPaginator(
        public.readable_updates(user, updates).annotate(evidence_rows=evidence_rows()),
        UPDATES_PER_PAGE,
        count=latest.readable_count if latest else 0,
    ).get_page(request.GET.get(UPDATES_PAGE_PARAM))
    for update in updates_page.object_list:
        update.evidence = sorted(update.evidence_rows or [], key=lambda row: row["pk"])
    evaluations = public.readable_evaluations(
        user, action.jaarschijf, list(action.evaluations.select_related("author"))
    )
    indicators = indicators_with_values(action)
    can_update = user.is_authenticated and user.has_perm("agreements.update_action", action)
    can_evaluate = user.is_authenticated and user.has_perm("agreements.evaluate_action", action)
    for indicator in indicators:
        for value in indicator.value_rows:
            value.can_edit = user.is_authenticated and user.has_perm(
                "agreements.update_indicatorvalue", value
            )
    if can_update and progress_form is None:
        progress_form = ProgressUpdateForm(
            initial={
                "status": latest.status if latest else "",
                "percent_done": latest.percent_done if latest else 0,
                "seen_latest_id": latest.pk if latest else None,
            }
        )
    if can_evaluate and evaluation_form is None:
        evaluation_form = EvaluationForm(
            initial={"seen_latest_id": evaluations[0].pk if evaluations else None}
        )
    return {
        "action": action,
        "parties": parties,
        "leads": [p for p in parties if p.is_lead],
        "updates": updates_page.object_list,
        "updates_page": updates_page,
        "updates_page_param": UPDATES_PAGE_PARAM,
        # <ol reversed start=…>: update numbers count down from the total, across pages.
        "updates_start": updates_page.paginator.count - updates_page.start_index() + 1,
        "latest": latest,
        "show_people": not public.is_visitor(user),
        "evaluations": evaluations,
        "indicators": indicators,
        "can_update": can_update,
        "can_evaluate": can_evaluate,
        "progress_form": progress_form if can_update else None,
        "evaluation_form": evaluation_form if can_evaluate else None,
        "conflict": conflict,
        "nav_active": "afspraken",
        "breadcrumbs": action_breadcrumbs(action),
    }


def readable_update_count(user):
    """The number of updates of the outer row's action whose note ``user`` may read."""
    readable = public.readable_updates(
        user, ProgressUpdate.objects.filter(action=OuterRef("action")).order_by()
    )
    counted = readable.values("action").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def evidence_rows():
    """The evidence files of the outer update (pk, name, size) as one JSON array: in the query
    of the updates page instead of a prefetch query of their own. Unordered: sort in Python."""
    files = (
        ProgressEvidence.objects.filter(update=OuterRef("pk"))
        .order_by()
        .values("update")
        .annotate(
            rows=JSONArrayAgg(JSONObject(pk="pk", original_name="original_name", size="size"))
        )
        .values("rows")
    )
    return Subquery(files)


def indicators_with_values(action) -> list:
    """The action's indicators, each with ``value_rows``: one query over the values.

    An indicator is shown through its values (target and realisation per party and period);
    the document states none without.
    """
    values = IndicatorValue.objects.filter(indicator__action=action).select_related(
        "indicator__jaarschijf", "party"
    )
    indicators, rows = {}, {}
    for value in values.order_by("indicator__sort_order", "indicator__pk", "sort_order", "pk"):
        indicator = indicators.setdefault(value.indicator_id, value.indicator)
        value.indicator = indicator
        rows.setdefault(indicator.pk, []).append(value)
    for indicator in indicators.values():
        indicator.value_rows = rows[indicator.pk]
    return list(indicators.values())


@viewer_required
def action_detail(request, year: int, number: str):
    action, parties = access.get_action_with_parties(year, number)
    return render(request, ACTION_TEMPLATE, action_context(request, action, parties=parties))


def submit_on_action_page(request, action, form, *, service, form_name, saved):
    """Save a form of the action page through its service, or show the page with the errors.

    A conflict (someone else posted meanwhile) shows their entry and keeps the user's input.
    """
    conflict = None
    if form.is_valid():
        try:
            service(action=action, author=request.user, **form.service_kwargs())
        except services.ConflictError as error:
            conflict = error
            form = rebound(form, error, seen_latest_id=error.current.pk)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, saved)
            return redirect_to_confirmation(action.get_absolute_url())
    context = action_context(request, action, conflict=conflict, **{form_name: form})
    return render(request, ACTION_TEMPLATE, context)


@viewer_required
def evidence_download(request, year: int, number: str, pk: int):
    """An evidence file, to whoever may read the action's updates: always a download.

    Served by the application, never from a public folder: the file stays behind the same
    rule as the page (login, or the public dashboard), and as an attachment a browser never
    renders it in the application's own origin.
    """
    evidence = get_object_or_404(
        ProgressEvidence.objects.select_related("update__action__jaarschijf").filter(
            # A visitor (public dashboard) reads public updates only, as on the page.
            update__in=public.readable_updates(request.user, ProgressUpdate.objects.all())
        ),
        pk=pk,
        update__action__jaarschijf__year=year,
        update__action__number=number,
    )
    public.require_readable_jaarschijf(request.user, evidence.update.action.jaarschijf)
    _label, content_type = KINDS.get(evidence.kind, ("", "application/octet-stream"))
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def action_update(request, year: int, number: str):
    action = access.get_action_for_update(request.user, year, number)
    if request.method == "GET":
        # Links from lists ("Voortgang melden") land on the form on the action page.
        return redirect(f"{action.get_absolute_url()}#voortgang-formulier")
    return submit_on_action_page(
        request,
        action,
        ProgressUpdateForm(request.POST, request.FILES),
        service=services.post_progress_update,
        form_name="progress_form",
        saved=f"De voortgang van afspraak {action.number} is opgeslagen.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_evaluate(request, year: int, number: str):
    action = access.get_action_for_evaluation(request.user, year, number)
    if request.method == "GET":
        return redirect(f"{action.get_absolute_url()}#evaluatie-formulier")
    return submit_on_action_page(
        request,
        action,
        EvaluationForm(request.POST),
        service=services.evaluate_action,
        form_name="evaluation_form",
        saved=f"De evaluatie van afspraak {action.number} is opgeslagen.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_realisation(request, pk: int):
    value = access.get_indicator_value_for_update(request.user, pk)
    action = value.indicator.action
    conflict = None
    if request.method == "POST":
        form = IndicatorRealisationForm(request.POST, value=value)
        if form.is_valid():
            try:
                services.record_indicator_realisation(
                    value=value, user=request.user, **form.service_kwargs()
                )
            except services.ConflictError as error:
                conflict = error
                value = error.current
                form = rebound(form, error, version=error.current.version)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"De realisatie van ‘{value}’ is opgeslagen.")
                return redirect_to_confirmation(action.get_absolute_url())
    else:
        form = IndicatorRealisationForm.for_value(value)
    return render(
        request,
        "agreements/indicator_realisation.html",
        {
            "value": value,
            "indicator": value.indicator,
            "action": action,
            "form": form,
            "conflict": conflict,
            "nav_active": "afspraken",
            "breadcrumbs": [
                *action_breadcrumbs(action),
                (f"Realisatie {value.indicator.name}", None),
            ],
        },
    )

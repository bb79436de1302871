import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from agreements.models import Action, Jaarschijf, JaarschijfStatus
from core.access import require_perm, viewer_required
from core.workbook import XLSX_CONTENT_TYPE, write_workbook
from overview.jaarschijf import SESSION_KEY as JAARSCHIJF_SESSION_KEY
from projects.models import Project

from . import services
from .compare import comparison
from .export import evaluation_sheets, template_sheets, workbook_title
from .forms import CompareForm, ImportForm, NextJaarschijfForm, StatusForm
from .importer import ChangeSet, WorkbookError, read_workbook

XLSX = XLSX_CONTENT_TYPE
IMPORT_SESSION_KEY = "evaluation.import.{year}"
#: Workbooks up to this size are built in memory, larger ones in a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


def get_jaarschijf_for_user(user, year: int, perm: str) -> Jaarschijf:
    """The jaarschijf of ``year`` if the user has ``perm`` on it: 404 if none, else 403."""
    jaarschijf = get_object_or_404(Jaarschijf.objects.select_related("municipality"), year=year)
    require_perm(user, perm, jaarschijf)
    return jaarschijf


def _xlsx_response(sheets, *, filename: str, title: str) -> FileResponse:
    buffer = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    write_workbook(sheets, buffer, title=title)
    buffer.seek(0)
    response = FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX)
    # Progress notes are not public: keep the file out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


def _breadcrumbs(jaarschijf, *items):
    return [
        ("Dashboard", reverse("overview:dashboard")),
        (
            f"Jaarschijf {jaarschijf.year}",
            reverse("evaluation:jaarschijf-manage", args=[jaarschijf.year]),
        ),
        *items,
    ]


# --- Export ------------------------------------------------------------------------------


@login_required
@require_GET
def export_view(request, year):
    jaarschijf = get_jaarschijf_for_user(request.user, year, "agreements.export_evaluation")
    title = workbook_title(jaarschijf)
    return _xlsx_response(evaluation_sheets(jaarschijf), filename=f"{title}.xlsx", title=title)


# --- Import ------------------------------------------------------------------------------


def _own_corporation(user):
    party = user.party if user.party_id else None
    if user.role == user.Role.MEDEWERKER and party and party.kind == "corporatie":
        return party
    return None


@login_required
@require_GET
def import_template_view(request, year):
    jaarschijf = get_jaarschijf_for_user(request.user, year, "agreements.import_workbook")
    corporation = _own_corporation(request.user)
    suffix = f" {corporation.label}" if corporation else ""
    return _xlsx_response(
        template_sheets(jaarschijf, corporation=corporation),
        filename=f"Sjabloon import jaarschijf {jaarschijf.year}{suffix}.xlsx",
        title=f"Sjabloon import jaarschijf {jaarschijf.year}",
    )


def _store_change_set(request, change_set: ChangeSet) -> None:
    request.session[IMPORT_SESSION_KEY.format(year=change_set.year)] = {
        "user": request.user.pk,
        "change_set": change_set.to_dict(),
    }


def _load_change_set(request, year) -> ChangeSet | None:
    stored = request.session.get(IMPORT_SESSION_KEY.format(year=year))
    if not stored or stored.get("user") != request.user.pk:
        return None
    return ChangeSet.from_dict(stored["change_set"])


def _forget_change_set(request, year) -> None:
    request.session.pop(IMPORT_SESSION_KEY.format(year=year), None)


@login_required
def import_view(request, year):
    jaarschijf = get_jaarschijf_for_user(request.user, year, "agreements.import_workbook")
    problems = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                change_set = read_workbook(
                    form.cleaned_data["workbook"],
                    jaarschijf=jaarschijf,
                    user=request.user,
                    filename=form.filename,
                )
            except WorkbookError as exc:
                problems = exc.problems
                count = len(problems)
                form.add_error(
                    "workbook",
                    f"De werkmap is niet ingelezen: {count} {'fout' if count == 1 else 'fouten'} "
                    "(zie de lijst hieronder). Er is niets opgeslagen.",
                )
            else:
                _store_change_set(request, change_set)
                return redirect("evaluation:evaluation-import-preview", year=jaarschijf.year)
    else:
        form = ImportForm()
    corporation = _own_corporation(request.user)
    return render(
        request,
        "evaluation/import.html",
        {
            "jaarschijf": jaarschijf,
            "form": form,
            "problems": problems,
            "corporation": corporation,
            "breadcrumbs": _breadcrumbs(jaarschijf, ("Importeren", "")),
            "nav_active": "dashboard",
        },
    )


@login_required
def import_preview_view(request, year):
    jaarschijf = get_jaarschijf_for_user(request.user, year, "agreements.import_workbook")
    change_set = _load_change_set(request, jaarschijf.year)
    if change_set is None:
        messages.info(request, "Er staat geen werkmap klaar. Upload eerst een werkmap.")
        return redirect("evaluation:evaluation-import", year=jaarschijf.year)
    problems = []
    if request.method == "POST":
        if request.POST.get("token") != change_set.token:
            messages.error(
                request,
                "Dit voorbeeld is verlopen: er is intussen een andere werkmap geüpload. "
                "Bekijk de wijzigingen hieronder opnieuw.",
            )
            return redirect("evaluation:evaluation-import-preview", year=jaarschijf.year)
        if "cancel" in request.POST:
            _forget_change_set(request, jaarschijf.year)
            messages.info(request, "De import is afgebroken; er is niets opgeslagen.")
            return redirect("evaluation:evaluation-import", year=jaarschijf.year)
        try:
            changed = services.apply_change_set(
                jaarschijf=jaarschijf, change_set=change_set, user=request.user
            )
        except WorkbookError as exc:
            problems = exc.problems
            messages.error(request, "De wijzigingen zijn niet doorgevoerd; er is niets opgeslagen.")
        else:
            _forget_change_set(request, jaarschijf.year)
            messages.success(
                request,
                f"De import is doorgevoerd: {changed} {'rij' if changed == 1 else 'rijen'} "
                "bijgewerkt.",
            )
            return redirect("evaluation:evaluation-import", year=jaarschijf.year)
    return render(
        request,
        "evaluation/import_preview.html",
        {
            "jaarschijf": jaarschijf,
            "change_set": change_set,
            "problems": problems,
            "breadcrumbs": _breadcrumbs(
                jaarschijf,
                ("Importeren", reverse("evaluation:evaluation-import", args=[jaarschijf.year])),
                ("Voorbeeld", ""),
            ),
            "nav_active": "dashboard",
        },
    )


# --- Jaarschijf: overview, status, next ----------------------------------------------


@viewer_required
@require_GET
def jaarschijf_view(request, year):
    jaarschijf = get_object_or_404(Jaarschijf.objects.select_related("previous"), year=year)
    user = request.user
    can_manage = user.is_authenticated and user.has_perm("agreements.manage_jaarschijf", jaarschijf)
    carried = (
        Action.objects.filter(jaarschijf=jaarschijf, origin__isnull=False)
        .select_related("origin__jaarschijf")
        .numeric_order()
    )
    page = Paginator(carried, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "evaluation/jaarschijf.html",
        {
            "jaarschijf": jaarschijf,
            "can_manage": can_manage,
            "can_export": user.is_authenticated
            and user.has_perm("agreements.export_evaluation", jaarschijf),
            "can_import": user.is_authenticated
            and user.has_perm("agreements.import_workbook", jaarschijf),
            "transitions": services.allowed_transitions(jaarschijf) if can_manage else [],
            "next_exists": Jaarschijf.objects.filter(year=jaarschijf.year + 1).first(),
            "carried_page": page,
            "carried_projects": Project.objects.filter(
                jaarschijf=jaarschijf, origin__isnull=False
            ).count(),
            "breadcrumbs": _breadcrumbs(jaarschijf),
            "nav_active": "dashboard",
        },
    )


@login_required
@require_POST
def jaarschijf_status_view(request, year):
    jaarschijf = get_jaarschijf_for_user(request.user, year, "agreements.manage_jaarschijf")
    form = StatusForm(request.POST, transitions=services.allowed_transitions(jaarschijf))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["status"]))
        return redirect("evaluation:jaarschijf-manage", year=jaarschijf.year)
    return _set_status(request, jaarschijf, form.cleaned_data["status"])


@login_required
@require_POST
def mark_evaluated_view(request, year):
    jaarschijf = get_jaarschijf_for_user(request.user, year, "agreements.manage_jaarschijf")
    return _set_status(request, jaarschijf, JaarschijfStatus.GEEVALUEERD)


def _set_status(request, jaarschijf, status):
    try:
        services.set_jaarschijf_status(jaarschijf=jaarschijf, status=status, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = f"Jaarschijf {jaarschijf.year} heeft nu de status {jaarschijf.get_status_display().lower()}."
        if jaarschijf.is_evaluated:
            text += " Alleen de beheerder kan er nog iets in wijzigen."
        messages.success(request, text)
    return redirect("evaluation:jaarschijf-manage", year=jaarschijf.year)


@login_required
def next_jaarschijf_view(request, year):
    source = get_jaarschijf_for_user(request.user, year, "agreements.manage_jaarschijf")
    existing = Jaarschijf.objects.filter(year=source.year + 1).first()
    form = NextJaarschijfForm(request.POST or None, initial={"title": source.title})
    if request.method == "POST":
        if existing is not None:
            form.add_error(None, f"Jaarschijf {existing.year} bestaat al.")
        elif form.is_valid():
            try:
                result = services.create_next_jaarschijf(
                    source=source, user=request.user, title=form.cleaned_data["title"]
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            except IntegrityError:
                form.add_error(None, f"Jaarschijf {source.year + 1} is intussen al aangemaakt.")
            else:
                request.session[JAARSCHIJF_SESSION_KEY] = result.year
                messages.success(
                    request,
                    f"Jaarschijf {result.year} is aangemaakt als concept: {result.actions} "
                    f"afspraken en {result.projects} projecten zijn doorgeschoven uit "
                    f"{source.year}.",
                )
                return redirect("evaluation:jaarschijf-manage", year=result.year)
    return render(
        request,
        "evaluation/next_jaarschijf.html",
        {
            "source": source,
            "jaarschijf": source,
            "existing": existing,
            "summary": services.next_jaarschijf_summary(source),
            "form": form,
            "breadcrumbs": _breadcrumbs(source, (f"Nieuwe jaarschijf {source.year + 1}", "")),
            "nav_active": "dashboard",
        },
    )


# --- Compare -------------------------------------------------------------------------


@viewer_required
@require_GET
def compare_view(request):
    years = list(Jaarschijf.objects.order_by("year").values_list("year", flat=True))
    form = CompareForm(request.GET or None, years=years)
    table = comparison(Jaarschijf.objects.filter(year__in=form.selected_years()))
    return render(
        request,
        "evaluation/compare.html",
        {
            "comparison": table,
            "form": form,
            "breadcrumbs": [
                ("Dashboard", reverse("overview:dashboard")),
                ("Jaarschijven vergelijken", ""),
            ],
            "nav_active": "dashboard",
        },
    )

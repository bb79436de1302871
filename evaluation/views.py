from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from agreements import public
from agreements.models import Action, Jaarschijf, Theme
from core.access import require_perm, viewer_required
from core.feedback import redirect_to_confirmation
from core.formats import nl_number
from core.fragments import on_demand
from core.workbook import workbook_response
from overview.jaarschijf import SESSION_KEY as JAARSCHIJF_SESSION_KEY
from projects.models import Project

from . import access, drafts, report, services, vaststelling
from .compare import comparison
from .export import evaluation_sheets, template_sheets, workbook_title
from .forms import (
    CompareForm,
    DecisionForm,
    ImportForm,
    NextJaarschijfForm,
    StatusForm,
    TenantViewForm,
)
from .importer import WorkbookError, read_workbook
from .models import ImportDraft, TenantView

#: The year comparison shows this many jaarschijven at a time (as many as fit a screen).
COMPARE_YEARS_PER_PAGE = 5


def get_jaarschijf_for_user(user, year: int, perm: str) -> Jaarschijf:
    """The jaarschijf of ``year`` if the user has ``perm`` on it: 404 if none, else 403."""
    jaarschijf = get_object_or_404(Jaarschijf.objects.select_related("municipality"), year=year)
    access.require(user, perm, jaarschijf)
    return jaarschijf


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
    return workbook_response(evaluation_sheets(jaarschijf), filename=f"{title}.xlsx", title=title)


# --- Import ------------------------------------------------------------------------------


@login_required
@require_GET
def import_template_view(request, year):
    jaarschijf = get_jaarschijf_for_user(request.user, year, "agreements.import_workbook")
    corporation = request.user.own_corporation
    suffix = f" {corporation.label}" if corporation else ""
    return workbook_response(
        template_sheets(jaarschijf, corporation=corporation),
        filename=f"Sjabloon import jaarschijf {jaarschijf.year}{suffix}.xlsx",
        title=f"Sjabloon import jaarschijf {jaarschijf.year}",
    )


#: Rows of the import preview per page.
PREVIEW_ROWS_PER_PAGE = 100
PREVIEW_WARNINGS_PER_PAGE = 50


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
                drafts.store_draft(change_set=change_set, jaarschijf=jaarschijf, owner=request.user)
                return redirect("evaluation:evaluation-import-preview", year=jaarschijf.year)
    else:
        form = ImportForm()
    corporation = request.user.own_corporation
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
    """The user's own stored draft, page by page; confirming applies it, all or nothing."""
    jaarschijf = get_jaarschijf_for_user(request.user, year, "agreements.import_workbook")
    back = redirect("evaluation:evaluation-import", year=jaarschijf.year)
    try:
        draft = drafts.owned_draft(owner=request.user, jaarschijf=jaarschijf)
    except WorkbookError as exc:
        messages.error(request, str(exc))
        return back
    if draft is None:
        messages.info(request, "Er staat geen werkmap klaar. Upload eerst een werkmap.")
        return back
    problems = []
    if request.method == "POST":
        if request.POST.get("token") != str(draft.token):
            messages.error(
                request,
                "Dit voorbeeld is verlopen: er is intussen een andere werkmap geüpload. "
                "Bekijk de wijzigingen hieronder opnieuw.",
            )
            return redirect("evaluation:evaluation-import-preview", year=jaarschijf.year)
        if "cancel" in request.POST:
            draft.delete()
            messages.info(request, "De import is afgebroken; er is niets opgeslagen.")
            return back
        try:
            changed = drafts.apply_draft(draft=draft, user=request.user)
        except WorkbookError as exc:
            problems = exc.problems
            messages.error(request, "De wijzigingen zijn niet doorgevoerd; er is niets opgeslagen.")
            if not ImportDraft.objects.filter(pk=draft.pk).exists():
                return back
        else:
            messages.success(
                request,
                f"De import is doorgevoerd: {nl_number(changed)} {'rij' if changed == 1 else 'rijen'} "
                "bijgewerkt.",
            )
            return back
    rows = Paginator(draft.rows.order_by("position"), PREVIEW_ROWS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    warnings = Paginator(drafts.warnings_of(draft), PREVIEW_WARNINGS_PER_PAGE).get_page(
        request.GET.get("waarschuwingen")
    )
    return render(
        request,
        "evaluation/import_preview.html",
        {
            "jaarschijf": jaarschijf,
            "draft": draft,
            "rows": rows,
            "warnings": warnings,
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
    public.require_readable_jaarschijf(user, jaarschijf)
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
                    f"Jaarschijf {result.year} is aangemaakt als concept: "
                    f"{nl_number(result.actions)} afspraken en {nl_number(result.projects)} "
                    "projecten zijn doorgeschoven uit "
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
    """The jaarschijven side by side: a range (default all), a page of them at a time."""
    form = CompareForm(request.GET or None)
    jaarschijven = public.readable_jaarschijf_queryset(
        request.user, form.filter(Jaarschijf.objects.order_by("-year"))
    )
    years_page = Paginator(jaarschijven, COMPARE_YEARS_PER_PAGE).get_page(request.GET.get("pagina"))
    table = comparison(years_page.object_list)
    return render(
        request,
        "evaluation/compare.html",
        {
            "comparison": table,
            "form": form,
            "years_page": years_page,
            "years_per_page": COMPARE_YEARS_PER_PAGE,
            "first_year": table.columns[0].year if table.columns else None,
            "last_year": table.columns[-1].year if table.columns else None,
            "breadcrumbs": [
                ("Dashboard", reverse("overview:dashboard")),
                ("Jaarschijven vergelijken", ""),
            ],
            "nav_active": "dashboard",
        },
    )


# --- Vaststelling and tenant views -------------------------------------------------------


def _evaluation_context(request, jaarschijf, *, decision_form=None, view_form=None):
    user = request.user
    state = vaststelling.vaststelling_state(jaarschijf)
    own = state.row_for(user.party_id) if user.is_authenticated and user.party_id else None
    may_decide = (
        user.is_authenticated
        and access.may(user, "evaluation.decide_evaluation", jaarschijf)
        and not state.all_decided
    )
    if may_decide and decision_form is None:
        approval = own.approval if own else None
        signatory = own.signatories[0] if own and own.signatories else None
        decision_form = DecisionForm(
            initial={
                "decision": approval.decision if approval else None,
                "reason": approval.reason if approval else "",
                "signer_name": approval.signer_name if approval else getattr(signatory, "name", ""),
                "signer_function": approval.signer_function
                if approval
                else getattr(signatory, "function", ""),
                "version": approval.version if approval else None,
            }
        )
    return {
        "jaarschijf": jaarschijf,
        "state": state,
        "own": own,
        "decision_form": decision_form if may_decide else None,
        "can_complete": user.is_authenticated
        and user.has_perm("evaluation.complete_evaluation", jaarschijf),
        "assessed": on_demand(lambda: vaststelling.assessed_actions(jaarschijf)),
        "withdrawn": vaststelling.withdrawn_decisions(jaarschijf),
        "can_give_view": access.may(user, "evaluation.give_tenant_view", jaarschijf),
        "can_export": user.is_authenticated
        and user.has_perm("agreements.export_evaluation", jaarschijf),
        "views": list(vaststelling.tenant_views(jaarschijf)),
        "breadcrumbs": _breadcrumbs(jaarschijf, ("Evaluatie en vaststelling", "")),
        "nav_active": "dashboard",
    }


@viewer_required
@require_GET
def evaluation_view(request, year):
    jaarschijf = get_object_or_404(Jaarschijf, year=year)
    public.require_published_evaluation(request.user, jaarschijf)
    return render(request, "evaluation/evaluation.html", _evaluation_context(request, jaarschijf))


def _overview_at_message(jaarschijf):
    """Back to the evaluation page, opened at the message just given (its refusal or its
    confirmation), so that it is in view and read first at any size."""
    return redirect_to_confirmation(
        reverse("evaluation:evaluation-overview", args=[jaarschijf.year])
    )


def _kernteam_step(request, year, step, success: str, *, jaarschijf=None):
    """Run ``step`` (complete or reopen) for the kernteam; its refusal becomes a message.
    ``jaarschijf``: already looked up (with the same permission) by the caller."""
    if jaarschijf is None:
        jaarschijf = get_jaarschijf_for_user(request.user, year, "evaluation.complete_evaluation")
    try:
        step(jaarschijf=jaarschijf, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return _overview_at_message(jaarschijf)


@login_required
@require_POST
def complete_evaluation_view(request, year):
    """Complete the evaluation; with actions the kernteam has not assessed yet only when the
    form confirms it (the page says how many), so one click does not hand the parties an
    evaluation of nothing."""
    jaarschijf = get_jaarschijf_for_user(request.user, year, "evaluation.complete_evaluation")
    assessed = vaststelling.assessed_actions(jaarschijf)
    if assessed.missing and request.POST.get("unassessed_accepted") != "on":
        messages.error(
            request,
            f"Nog {nl_number(assessed.missing)} van de {nl_number(assessed.total)} afspraken "
            "zijn niet beoordeeld. Beoordeel ze eerst, of vink aan dat u de evaluatie toch "
            "compleet verklaart.",
        )
        return _overview_at_message(jaarschijf)
    return _kernteam_step(
        request,
        year,
        vaststelling.complete_evaluation,
        "De evaluatie is compleet verklaard. Elke ondertekenende partij kan nu akkoord geven.",
        jaarschijf=jaarschijf,
    )


@login_required
@require_POST
def reopen_evaluation_view(request, year):
    """Reopen the evaluation, withdrawing every decision: only when the form confirms it."""
    jaarschijf = get_jaarschijf_for_user(request.user, year, "evaluation.complete_evaluation")
    if request.POST.get("reopen_confirmed") != "on":
        messages.error(
            request,
            "Niet heropend: vink aan dat u de evaluatie heropent en de besluiten van de "
            "partijen intrekt.",
        )
        return _overview_at_message(jaarschijf)
    return _kernteam_step(
        request,
        year,
        vaststelling.reopen_evaluation,
        "De evaluatie is heropend; de besluiten van de partijen zijn ingetrokken en staan "
        "onder ‘Ingetrokken besluiten’.",
        jaarschijf=jaarschijf,
    )


def _form_errors_from(form, exc: ValidationError) -> None:
    """A service's refusal at the fields it names, or above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_POST
def decision_view(request, year):
    jaarschijf = get_jaarschijf_for_user(request.user, year, "evaluation.decide_evaluation")
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = vaststelling.record_decision(
                jaarschijf=jaarschijf,
                user=request.user,
                decision=data["decision"],
                reason=data["reason"],
                signer_name=data["signer_name"],
                signer_function=data["signer_function"],
                version=data["version"],
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            text = (
                f"Het besluit van {request.user.party.label} is vastgelegd: "
                f"{result.approval.get_decision_display().lower()}."
            )
            if result.evaluated:
                text += (
                    f" Alle partijen zijn akkoord: jaarschijf {jaarschijf.year} is nu "
                    "geëvalueerd en alleen-lezen."
                )
            messages.success(request, text)
            return _overview_at_message(jaarschijf)
    context = _evaluation_context(request, jaarschijf, decision_form=form)
    return render(request, "evaluation/evaluation.html", context, status=400)


def _own_view(jaarschijf, user, theme):
    return vaststelling.tenant_views(jaarschijf).filter(party=user.party, theme=theme).first()


@login_required
def tenant_view_form_view(request, year):
    jaarschijf = get_jaarschijf_for_user(request.user, year, "evaluation.give_tenant_view")
    theme = None
    number = request.GET.get("thema", "")
    if number.isascii() and number.isdigit():
        theme = get_object_or_404(Theme, jaarschijf=jaarschijf, number=int(number))
    current = _own_view(jaarschijf, request.user, theme)
    if request.method == "POST":
        form = TenantViewForm(request.POST, request.FILES, jaarschijf=jaarschijf)
        if form.is_valid():
            data = form.cleaned_data
            try:
                vaststelling.save_tenant_view(
                    jaarschijf=jaarschijf,
                    user=request.user,
                    theme=data["theme"],
                    text=data["text"],
                    attachment=data["attachment"] or None,
                    remove_attachment=data["remove_attachment"],
                    version=data["version"],
                )
            except ValidationError as exc:
                _form_errors_from(form, exc)
            else:
                messages.success(
                    request, f"De zienswijze van {request.user.party.label} is opgeslagen."
                )
                return _overview_at_message(jaarschijf)
    else:
        form = TenantViewForm(
            jaarschijf=jaarschijf,
            initial={
                "theme": theme,
                "text": current.text if current else "",
                "version": current.version if current else None,
            },
        )
    return render(
        request,
        "evaluation/tenant_view_form.html",
        {
            "jaarschijf": jaarschijf,
            "form": form,
            "current": current,
            "breadcrumbs": _breadcrumbs(
                jaarschijf,
                (
                    "Evaluatie en vaststelling",
                    reverse("evaluation:evaluation-overview", args=[year]),
                ),
                ("Zienswijze", ""),
            ),
            "nav_active": "dashboard",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def tenant_view_attachment_view(request, pk):
    view = get_object_or_404(TenantView.objects.select_related("party"), pk=pk)
    require_perm(request.user, "evaluation.read_attachment", view)
    if not view.attachment:
        raise Http404("Deze zienswijze heeft geen bijlage.")
    try:
        handle = view.attachment.open("rb")
    except FileNotFoundError:
        raise Http404("De bijlage is niet meer aanwezig.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=view.attachment_name or "zienswijze.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The evaluation report -----------------------------------------------------------------


@viewer_required
@require_GET
def report_view(request, year):
    jaarschijf = get_object_or_404(Jaarschijf.objects.select_related("municipality"), year=year)
    public.require_published_evaluation(request.user, jaarschijf)
    context = report.report_context(jaarschijf, user=request.user)
    context |= {
        "can_export": request.user.is_authenticated
        and request.user.has_perm("agreements.export_evaluation", jaarschijf),
        "breadcrumbs": _breadcrumbs(
            jaarschijf,
            ("Evaluatie en vaststelling", reverse("evaluation:evaluation-overview", args=[year])),
            ("Evaluatierapport", ""),
        ),
        "nav_active": "dashboard",
    }
    return render(request, "evaluation/report/page.html", context)


@login_required
@require_GET
def report_pdf_view(request, year):
    jaarschijf = get_jaarschijf_for_user(request.user, year, "agreements.export_evaluation")
    content = report.render_pdf(jaarschijf, user=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{report.report_title(jaarschijf)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response

"""Entry of realised EFG numbers: one corporation, the selected jaarschijf, all its years."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.feedback import redirect_to_confirmation
from core.formats import nl_number
from core.versioning import ConflictError

from . import access, services
from .forms import LabelRealisationFormSet

PREFIX = "efg"


def _sustainability_url():
    # The overview belongs to another module; without it the crumb is plain text.
    try:
        return reverse("overview:sustainability")
    except NoReverseMatch:
        return None


def entry_url(corporation, jaarschijf) -> str:
    return f"{reverse('sustainability:labelfigure-entry', args=[corporation.slug])}?jaar={jaarschijf.year}"


@login_required
@require_GET
def labelfigure_entry_index(request):
    """Which corporation's figures to enter; a medewerker goes straight to their own."""
    jaarschijf = request.jaarschijf
    corporations = access.corporations_for_update(request.user, jaarschijf)
    if not corporations:
        raise PermissionDenied
    if len(corporations) == 1:
        return redirect(entry_url(corporations[0], jaarschijf))
    return render(
        request,
        "sustainability/labelfigure_index.html",
        {
            "corporations": corporations,
            "entry_urls": [(c, entry_url(c, jaarschijf)) for c in corporations],
            "nav_active": "efg-invullen",
            "breadcrumbs": [
                ("Duurzaamheid", _sustainability_url()),
                ("EFG-labels invullen", None),
            ],
        },
    )


def _rows(formset, figures):
    by_id = {figure.pk: figure for figure in figures}
    rows = []
    for form in formset.forms:
        try:
            figure = by_id.get(int(form["figure_id"].value()))
        except (TypeError, ValueError):
            figure = None
        rows.append((form, figure))
    return rows


def _rebound_after_conflict(formset, error, figures):
    """The user's input again, with the versions now shown and the conflict at each row."""
    fresh = {figure.pk: figure for figure in figures}
    data = formset.data.copy()
    stale_forms = []
    for index, form in enumerate(formset.forms):
        figure_id = form.cleaned_data.get("figure_id")
        if figure_id in error.by_id:
            data[f"{PREFIX}-{index}-version"] = str(fresh[figure_id].version)
            stale_forms.append((index, error.by_id[figure_id]))
    new = LabelRealisationFormSet(data, prefix=PREFIX)
    new.is_valid()
    for index, message in stale_forms:
        new.forms[index].add_error("realised", message)
    return new


@login_required
@require_http_methods(["GET", "POST"])
def labelfigure_entry(request, slug: str):
    jaarschijf = request.jaarschijf
    corporation = access.get_corporation(slug)
    figures = access.label_figures_for_update(request.user, jaarschijf, corporation)
    page_errors = []
    if request.method == "POST":
        formset = LabelRealisationFormSet(request.POST, prefix=PREFIX)
        if formset.is_valid():
            rows = [
                services.LabelRealisation(
                    figure_id=form.cleaned_data["figure_id"],
                    version=form.cleaned_data["version"],
                    realised=form.cleaned_data.get("realised"),
                )
                for form in formset.forms
            ]
            try:
                changed = services.record_label_realisations(
                    user=request.user, jaarschijf=jaarschijf, corporation=corporation, rows=rows
                )
            except ConflictError as error:
                page_errors = error.messages
                figures = access.label_figures_for_update(request.user, jaarschijf, corporation)
                formset = _rebound_after_conflict(formset, error, figures)
            except ValidationError as error:
                page_errors = error.messages
            else:
                if changed:
                    years = ", ".join(str(f.year) for f in changed)
                    messages.success(
                        request,
                        f"De EFG-realisatie van {corporation.label} is opgeslagen ({years}).",
                    )
                else:
                    messages.info(request, "Er was niets gewijzigd; er is niets opgeslagen.")
                for figure in changed:
                    if figure.target is not None and figure.realised is not None:
                        if figure.realised > figure.target:
                            messages.warning(
                                request,
                                f"Let op: {corporation.label} heeft in {figure.year} meer "
                                f"woningen met een EFG-label ({nl_number(figure.realised)}) dan "
                                f"het doel ({nl_number(figure.target)}).",
                            )
                return redirect_to_confirmation(entry_url(corporation, jaarschijf))
    else:
        formset = LabelRealisationFormSet(
            prefix=PREFIX,
            initial=[
                {"figure_id": f.pk, "version": f.version, "realised": f.realised} for f in figures
            ],
        )
    return render(
        request,
        "sustainability/labelfigure_entry.html",
        {
            "corporation": corporation,
            "jaarschijf": jaarschijf,
            "formset": formset,
            "rows": _rows(formset, figures),
            "page_errors": page_errors,
            "show_errors": bool(page_errors) or (formset.is_bound and not formset.is_valid()),
            "action_url": entry_url(corporation, jaarschijf),
            "nav_active": "efg-invullen",
            "breadcrumbs": [
                ("Duurzaamheid", _sustainability_url()),
                ("EFG-labels invullen", reverse("sustainability:labelfigure-entry-index")),
                (corporation.label, None),
            ],
        },
    )

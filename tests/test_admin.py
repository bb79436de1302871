"""Every model is in the admin, in Dutch, and every list and change page opens with the data."""

import pytest
from django.contrib import admin
from django.urls import reverse

from agreements.models import Action, Party
from projects.models import Project

from .factories import login, make_progress_update
from .helpers_plans import analysed_plan, rows_read

pytestmark = pytest.mark.django_db


def registered_models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def test_every_model_of_the_project_is_in_the_admin(jaarschijf):
    from django.apps import apps

    ours = {
        m
        for app in ("agreements", "projects", "sustainability", "accounts", "evaluation")
        for m in apps.get_app_config(app).get_models()
        if not m.__name__.startswith("Historical")
        # An upload waiting for its owner's "toepassen": nothing to manage, it expires.
        and m.__name__ not in {"ImportDraft", "ImportDraftRow"}
    }
    assert ours <= set(admin.site._registry)


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_admin_list_and_change_pages_open_with_the_data(client, beheerder, model):
    login(client, beheerder)
    make_progress_update(Action.objects.get(number="1.8"), beheerder, status="op_schema")
    meta = model._meta
    response = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert response.status_code == 200
    assert_says_yes_and_no_in_dutch(response)
    obj = model._default_manager.first()
    if obj is None:
        return
    response = client.get(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    )
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "nl"
    assert_says_yes_and_no_in_dutch(response)


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_every_admin_add_page_the_beheerder_may_use_opens(client, beheerder, model):
    login(client, beheerder)
    meta = model._meta
    response = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    # 403: the admin offers no adding for rows that arrive another way (evidence files).
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert response.headers["Content-Language"] == "nl"


def test_the_beheerder_adds_an_action_with_its_lead_in_the_admin(client, beheerder):
    login(client, beheerder)
    existing = Action.objects.get(jaarschijf__year=2024, number="1.8")
    weller = Party.objects.get(name="Weller")
    inlines = {
        f"{prefix}-{name}": value
        for prefix in ("action_parties", "updates", "evaluations")
        for name, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
    }

    response = client.post(
        reverse("admin:agreements_action_add"),
        {
            "jaarschijf": existing.jaarschijf_id,
            "theme": existing.theme_id,
            "number": "1.99",
            "text": "Een afspraak die de beheerder toevoegt.",
            **inlines,
            "action_parties-TOTAL_FORMS": 1,
            "action_parties-0-party": weller.pk,
            "action_parties-0-is_lead": "on",
            "action_parties-0-sort_order": 0,
        },
    )

    assert response.status_code == 302
    added = Action.objects.get(jaarschijf__year=2024, number="1.99")
    assert [(p.party, p.is_lead) for p in added.action_parties.all()] == [(weller, True)]


def assert_says_yes_and_no_in_dutch(response):
    """Django's yes/no icon tells a screen reader "True" or "False"."""
    html = response.content.decode()
    assert 'alt="True"' not in html and 'alt="False"' not in html


def test_admin_lists_actions_in_numeric_order_and_filters_by_party(client, beheerder):
    login(client, beheerder)
    url = reverse("admin:agreements_action_changelist")
    weller = Party.objects.get(name="Weller")
    response = client.get(url, {"partij": weller.pk})
    numbers = [a.number for a in response.context["cl"].result_list]
    assert "1.7" in numbers and "2.3" not in numbers  # 1.7 through Woningcorporaties
    response = client.get(url, {"jaarschijf__id__exact": Action.objects.first().jaarschijf_id})
    numbers = [a.number for a in response.context["cl"].result_list][:5]
    assert numbers == ["1.7", "1.8", "1.9", "1.10", "1.11"]


def test_admin_filters_actions_on_lead_and_status(client, beheerder):
    login(client, beheerder)
    url = reverse("admin:agreements_action_changelist")
    weller = Party.objects.get(name="Weller")
    numbers = {a.number for a in client.get(url, {"trekker": weller.pk}).context["cl"].result_list}
    assert numbers == {"1.8", "3.9"}  # 2.5's bold rent list names no lead
    make_progress_update(
        Action.objects.get(number="2.3"),
        beheerder,
        status="vertraagd",
        explanation="Wacht op regelgeving",
    )
    late = client.get(url, {"status": "vertraagd"}).context["cl"].result_list
    assert [a.number for a in late] == ["2.3"]


def test_admin_filters_projects_on_category_and_corporation(client, beheerder):
    login(client, beheerder)
    url = reverse("admin:projects_project_changelist")
    weller = Party.objects.get(name="Weller")
    response = client.get(
        url, {"category__exact": "onderzoek", "corporation__id__exact": weller.pk}
    )
    assert (
        response.context["cl"].result_count
        == Project.objects.filter(category="onderzoek", corporation=weller).count()
        == 13
    )


def test_an_admin_edit_bumps_the_version_and_names_who_so_open_forms_see_a_conflict(
    client, beheerder
):
    login(client, beheerder)
    project = Project.objects.get(name="Paadweg")
    url = reverse("admin:projects_project_change", args=[project.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(
        {
            "jaarschijf": project.jaarschijf_id,
            "corporation": project.corporation_id,
            "status": "in_uitvoering",
            "breakdowns-TOTAL_FORMS": 0,
            "breakdowns-INITIAL_FORMS": 0,
        }
    )
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert (project.status, project.version, project.updated_by) == ("in_uitvoering", 2, beheerder)


def test_progress_updates_cannot_be_rewritten_in_the_admin(client, beheerder):
    login(client, beheerder)
    update = make_progress_update(Action.objects.get(number="1.8"), beheerder)
    url = reverse("admin:agreements_progressupdate_change", args=[update.pk])
    client.post(url, {"status": "afgerond", "percent_done": 100})
    update.refresh_from_db()
    assert (update.status, update.percent_done) == ("op_schema", 10)


def test_the_project_form_says_geen_is_zero_and_unknown_stays_empty(client, beheerder):
    """READING-2 B18: the help text said 'Geen' was left empty, while the data holds it as 0."""
    login(client, beheerder)
    project = Project.objects.get(jaarschijf__year=2024, category="verkoop", position=3)
    assert (project.dwellings_text, project.dwellings) == ("Geen", 0)

    page = client.get(reverse("admin:projects_project_change", args=[project.pk]))

    text = page.content.decode()
    assert "Leeg waar het document Onbekend, pm, nnb of N.v.t. zegt; 'Geen' is 0." in text


#: Models whose rows grow with the data (jaarschijven, their actions, updates, projects …):
#: an admin form must not list them all in a select.
GROWING = {
    "agreements.Jaarschijf",
    "agreements.Theme",
    "agreements.Action",
    "agreements.ProgressUpdate",
    "agreements.Evaluation",
    "agreements.Indicator",
    "agreements.IndicatorValue",
    "agreements.HeadlineFigure",
    "projects.Project",
    "cycle.Milestone",
    "cycle.ReportingRound",
    "cycle.RoundItem",
    "evaluation.Vaststelling",
    "evaluation.TenantView",
}


def select_fields_over_growing_models(request, model_admin, obj=None):
    """(form, field) of every select of the change form and its inlines that would list all
    rows of a GROWING model (not a raw id or autocomplete widget, not read-only)."""
    from django import forms
    from django.contrib.admin.widgets import AutocompleteSelect, ForeignKeyRawIdWidget

    forms_to_check = [("form", model_admin.get_form(request, obj), None)]
    for inline in model_admin.get_inline_instances(request, obj):
        formset = inline.get_formset(request, obj)
        # The key to the parent is not a select in an inline: the parent fills it in.
        forms_to_check.append((type(inline).__name__, formset.form, formset.fk.name))
    found = []
    for name, form, parent_key in forms_to_check:
        for field_name, field in form.base_fields.items():
            if field_name == parent_key or not isinstance(field, forms.ModelChoiceField):
                continue
            widget = getattr(field.widget, "widget", field.widget)  # unwrap the related wrapper
            if isinstance(widget, ForeignKeyRawIdWidget | AutocompleteSelect):
                continue
            if field.queryset.model._meta.label in GROWING:
                found.append(f"{model_admin.model._meta.label} {name}.{field_name}")
    return found


def test_no_admin_form_lists_every_row_of_a_model_that_grows_with_the_data(rf, beheerder):
    request = rf.get("/admin/")
    request.user = beheerder
    found = [
        problem
        for model, model_admin in admin.site._registry.items()
        for problem in select_fields_over_growing_models(request, model_admin)
    ]
    assert found == [], "\n".join(found)


def test_the_jaarschijf_filter_lists_the_newest_jaarschijven_and_the_chosen_one(
    client, beheerder, monkeypatch
):
    from agreements import admin as agreements_admin
    from agreements.models import Jaarschijf

    monkeypatch.setattr(agreements_admin, "JAARSCHIJVEN_IN_FILTER", 2)
    heerlen = Party.objects.get(name="Gemeente Heerlen")
    for year in (2030, 2031, 2032):
        Jaarschijf.objects.create(year=year, title=f"Jaarschijf {year}", municipality=heerlen)
    login(client, beheerder)
    url = reverse("admin:agreements_action_changelist")
    oldest = Jaarschijf.objects.get(year=2024)

    unfiltered = client.get(url).content.decode()
    chosen = client.get(url, {"jaarschijf__id__exact": oldest.pk}).content.decode()

    assert "Jaarschijf 2032" in unfiltered and "Jaarschijf 2031" in unfiltered
    # the link's whole query value (id 1 is also the start of 141, made by an earlier test)
    assert f'jaarschijf__id__exact={oldest.pk}"' not in unfiltered
    assert f'jaarschijf__id__exact={oldest.pk}"' in chosen  # the chosen one stays listed
    assert "1.7" in chosen  # and its actions are shown


def test_an_actions_admin_page_shows_its_newest_updates_not_all_of_them(client, beheerder):
    from agreements.admin import ProgressUpdateInline

    action = Action.objects.get(jaarschijf__year=2024, number="1.8")
    for percent in range(ProgressUpdateInline.SHOWN + 5):
        make_progress_update(action, beheerder, percent_done=percent)
    login(client, beheerder)

    page = client.get(reverse("admin:agreements_action_change", args=[action.pk]))
    formset = next(
        f
        for f in page.context["inline_admin_formsets"]
        if f.opts.model.__name__ == "ProgressUpdate"
    )
    shown = [form.form.instance.percent_done for form in formset if form.form.instance.pk]

    assert page.status_code == 200
    assert sorted(shown, reverse=True) == list(range(ProgressUpdateInline.SHOWN + 4, 4, -1))
    assert f"de nieuwste {ProgressUpdateInline.SHOWN}" in page.content.decode()


def test_the_lead_filter_lists_each_party_that_leads_an_action_once(client, beheerder):
    from agreements.models import ActionParty

    login(client, beheerder)
    page = client.get(reverse("admin:agreements_action_changelist"))
    lead_filter = next(
        f for f in page.context["cl"].filter_specs if getattr(f, "parameter_name", "") == "trekker"
    )
    listed = [name for _pk, name in lead_filter.lookup_choices]

    leading = ActionParty.objects.filter(is_lead=True).values_list("party__name", flat=True)
    assert sorted(listed) == sorted(set(leading))
    assert "Weller" in listed


def test_progress_updates_are_filtered_on_their_date_without_listing_every_year(client, beheerder):
    """A date hierarchy lists every year that has an update (a DISTINCT over all updates);
    the date filter offers fixed periods and still narrows the list."""
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from agreements.models import ProgressUpdate

    old = make_progress_update(Action.objects.get(number="2.3"), beheerder, status="op_schema")
    ProgressUpdate.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    make_progress_update(Action.objects.get(number="1.8"), beheerder, status="op_schema")
    login(client, beheerder)
    url = reverse("admin:agreements_progressupdate_changelist")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    assert len(page.context["cl"].result_list) >= 2
    assert not [q for q in queries.captured_queries if "DATE_TRUNC" in q["sql"]]
    html = page.content.decode()
    assert "Afgelopen zeven dagen" in html and "Dit jaar" in html

    date_filter = next(
        spec
        for spec in page.context["cl"].filter_specs
        if getattr(spec, "field_path", "") == "created_at"
    )
    today = next(c for c in date_filter.choices(page.context["cl"]) if c["display"] == "Vandaag")
    narrowed = client.get(url + today["query_string"])
    assert [u.action.number for u in narrowed.context["cl"].result_list] == ["1.8"]


def test_the_milestone_list_reads_its_page_from_an_index_not_by_sorting_every_milestone(
    client, beheerder
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cycle.models import Milestone

    from .factories import add_milestones

    add_milestones(2024, "Weller", 400, days_ago=200)
    total = Milestone.objects.count()
    login(client, beheerder)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("admin:cycle_milestone_changelist"))
    assert page.status_code == 200
    shown = page.context["cl"].result_list
    assert len(shown) == 100 and total > 400
    (sql,) = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "cycle_milestone"."id"') and "LIMIT 100" in q["sql"]
    ]
    read = rows_read(analysed_plan(sql, ruled_out=("seqscan", "sort")), "cycle_milestone")
    assert read <= 101, f"{read} of {total} milestones read for a page of 100"


def test_the_label_figure_year_filter_lists_the_years_of_the_newest_jaarschijven(
    client, beheerder, jaarschijf
):
    """A filter over every year with a figure grew with the data; it lists the years of the
    newest jaarschijven (and the year chosen) and still narrows the list."""
    from agreements.admin import JAARSCHIJVEN_IN_FILTER
    from agreements.models import Jaarschijf
    from sustainability.models import EnergyLabelFigure

    old_years = set(EnergyLabelFigure.objects.values_list("year", flat=True))
    assert old_years
    newer = Jaarschijf.objects.bulk_create(
        Jaarschijf(year=2100 + n, title=f"Concept {n}", municipality=jaarschijf.municipality)
        for n in range(JAARSCHIJVEN_IN_FILTER)
    )
    figure = EnergyLabelFigure.objects.order_by("pk").first()
    figure.pk, figure.jaarschijf, figure.year = None, newer[-1], 2099
    figure.save()

    login(client, beheerder)
    url = reverse("admin:sustainability_energylabelfigure_changelist")
    page = client.get(url)
    year_filter = next(f for f in page.context["cl"].filter_specs if f.title == "jaar")
    assert [label for _value, label in year_filter.lookup_choices] == ["2099"]

    chosen_year = min(old_years)
    page = client.get(url, {"jaar": chosen_year})
    year_filter = next(f for f in page.context["cl"].filter_specs if f.title == "jaar")
    assert str(chosen_year) in [label for _value, label in year_filter.lookup_choices]
    shown = page.context["cl"].result_list
    assert shown and {f.year for f in shown} == {chosen_year}


def test_the_admin_speaks_dutch_where_django_and_the_libraries_ship_no_dutch(client, beheerder):
    """Django's new headings of the app list (read by screen readers) and django-axes' labels
    come from locale/nl; django-otp's TOTP devices and django-axes' records, which describe
    themselves in English, are our own Dutch proxies (accounts/models.py, accounts/admin.py)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    seen = {"username": "weller", "ip_address": "192.0.2.7", "user_agent": "Firefox"}
    attempt = AccessAttempt.objects.create(
        **seen,
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/inloggen/",
        failures_since_start=5,
    )
    failure = AccessFailureLog.objects.create(
        **seen, http_accept="*/*", path_info="/inloggen/", locked_out=True
    )
    log = AccessLog.objects.create(**seen, http_accept="*/*", path_info="/inloggen/")
    login(client, beheerder)
    index = client.get(reverse("admin:index")).content.decode()
    for dutch in (
        "Accounts en tweestapsverificatie",
        "Authenticator-apps",
        "Inlogpogingen",
        "Mislukte aanmeldingen",
        "Aanmeldingen",
        "Onderdeel",
    ):
        assert dutch in index
    for english in (
        "Model name",
        "Add link",
        "Access attempts",
        "Access logs",
        "Axes",
        "Otp_Totp",
        "TOTP devices",
    ):
        assert english not in index

    attempts = client.get(reverse("admin:accounts_loginattempt_changelist")).content.decode()
    assert "Selecteer inlogpoging om te wijzigen" in attempts
    assert "Attempt Time" not in attempts and "Tijdstip" in attempts
    pages = [
        client.get(reverse("admin:accounts_loginattempt_delete", args=[attempt.pk])),
        client.get(reverse("admin:accounts_failedlogin_change", args=[failure.pk])),
        client.get(reverse("admin:accounts_failedlogin_changelist")),
        client.get(reverse("admin:accounts_login_change", args=[log.pk])),
    ]
    html = "".join(page.content.decode() for page in pages)
    assert [page.status_code for page in pages] == [200] * 4
    assert "weller vanaf 192.0.2.7" in html
    for english in ("Attempted Access", "Failed access", "Access Log for", 'alt="True"'):
        assert english not in html, english


@pytest.mark.parametrize("parameter", ["partij", "trekker"])
@pytest.mark.parametrize("value", ["999999", "9" * 30, "weller", "1 OR 1=1", "١٢"])
def test_an_admin_party_filter_with_an_unknown_party_lists_nothing_instead_of_failing(
    client, beheerder, parameter, value
):
    login(client, beheerder)
    url = reverse("admin:agreements_action_changelist")

    response = client.get(url, {parameter: value})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_rights_of_a_user_and_a_group_are_listed_in_dutch(client, beheerder):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Alleen lezen")
    login(client, beheerder)
    pages = [
        client.get(reverse("admin:accounts_user_change", args=[beheerder.pk])),
        client.get(reverse("admin:auth_group_change", args=[group.pk])),
        client.get(reverse("admin:auth_group_add")),
    ]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "Afspraken | afspraak | wijzigen" in html
        assert "Accounts en tweestapsverificatie | gebruiker | bekijken" in html
        for english in ("Can add", "Can change", "Can delete", "Can view"):
            assert english not in html

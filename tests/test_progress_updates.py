"""The action page and its progress and evaluation forms, as the kernteam uses them."""

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from agreements import services
from agreements.models import Action, Evaluation, ProgressUpdate
from cycle.models import Milestone

from .factories import action, login, make_progress_update, party
from .helpers_tracking import (
    post_evaluation,
    post_progress,
)


def page(client, number="1.8"):
    return client.get(reverse("agreements:action-detail", args=[2024, number]))


def text_of(response) -> str:
    """The page as a reader sees it: tags removed, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_medewerker_posts_progress_and_it_becomes_the_current_status(client, weller_medewerker):
    login(client, weller_medewerker)

    response = post_progress(
        client,
        action("1.8"),
        status="op_schema",
        percent_done="30",
        explanation="Eerste gesprek met de gemeente gevoerd.",
        evidence_url="https://www.example.nl/verslag-overleg",
    )

    assert response.status_code == 302
    assert response["Location"].endswith("/afspraken/2024/1.8/#melding")
    current = Action.objects.with_progress().get(pk=action("1.8").pk)
    assert (current.current_status, current.current_percent) == ("op_schema", 30)
    update = ProgressUpdate.objects.get(action=action("1.8"))
    assert update.author == weller_medewerker
    assert update.party.name == "Weller"
    shown = text_of(client.get(response["Location"]))
    assert "De voortgang van afspraak 1.8 is opgeslagen." in shown
    assert "Eerste gesprek met de gemeente gevoerd." in shown
    assert "30 %" in shown


def test_updates_are_appended_and_the_page_shows_them_newest_first_with_author_party_and_date(
    client, weller_medewerker, gemeente_medewerker
):
    login(client, weller_medewerker)
    post_progress(
        client, action("1.8"), status="op_schema", percent_done="20", explanation="Eerste"
    )
    login(client, gemeente_medewerker)
    post_progress(
        client, action("1.8"), status="vertraagd", percent_done="25", explanation="Tweede"
    )

    assert ProgressUpdate.objects.filter(action=action("1.8")).count() == 2
    shown = text_of(page(client))
    assert shown.index("Tweede") < shown.index("Eerste")
    assert "Medewerker Gemeente Heerlen (Gemeente Heerlen)" in shown
    assert "Medewerker Weller (Weller)" in shown
    latest = ProgressUpdate.objects.filter(action=action("1.8")).first()
    local = latest.created_at.astimezone()
    assert f"{local:%d-%m-%Y}" in shown
    assert Action.objects.with_progress().get(pk=action("1.8").pk).current_status == "vertraagd"


def test_a_delay_without_explanation_is_refused_at_the_explanation_field(client, weller_medewerker):
    login(client, weller_medewerker)

    response = post_progress(client, action("1.8"), status="vertraagd", percent_done="10")

    assert response.status_code == 200
    assert "Licht toe waarom de afspraak vertraagd is" in response.content.decode()
    assert response.context["progress_form"].errors["explanation"]
    assert not ProgressUpdate.objects.exists()


def test_a_dropped_action_needs_an_explanation_too(client, weller_medewerker):
    login(client, weller_medewerker)

    response = post_progress(client, action("1.8"), status="vervallen", percent_done="0")

    assert "Licht toe waarom de afspraak vervallen is" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_a_finished_action_is_one_hundred_percent_done(client, weller_medewerker):
    login(client, weller_medewerker)

    response = post_progress(client, action("1.8"), status="afgerond", percent_done="90")

    assert response.context["progress_form"].errors["percent_done"] == [
        "Een afgeronde afspraak is voor 100 % gereed. Vul 100 in of kies een andere status."
    ]
    assert not ProgressUpdate.objects.exists()


def test_evidence_link_must_be_a_web_address_not_a_script(client, weller_medewerker):
    login(client, weller_medewerker)

    response = post_progress(
        client, action("1.8"), evidence_url="javascript:alert(document.cookie)"
    )

    assert response.context["progress_form"].errors["evidence_url"] == [
        "Vul een volledig webadres in dat begint met https:// (of http://)."
    ]
    assert not ProgressUpdate.objects.exists()


def test_action_page_shows_text_theme_parties_lead_status_indicators_and_source_note(
    client, huurder
):
    make_progress_update(action("2.5"), None, status="op_schema", percent_done=60)
    login(client, huurder)

    response = page(client, "2.5")

    assert response.status_code == 200
    shown = text_of(response)
    assert "Afspraak 2.5" in shown
    assert "2. Betaalbaarheid" in shown
    assert "Woningcorporaties" in shown and "Huurdersorganisaties" in shown
    assert "Op schema" in shown and "60 %" in shown
    assert "Huurstijging (concernbreed, begroting)" in shown
    assert "-1,4 %-punt t.o.v. CAO-index" in shown  # exact: no comparator word
    assert "De partijkolom van 2.5 bevat" in shown  # the source note
    # A tenant organisation reads everything but gets no form.
    assert response.context["progress_form"] is None
    assert response.context["evaluation_form"] is None
    assert "Voortgang opslaan" not in shown


def test_action_text_is_rendered_as_markdown_and_stripped_of_anything_dangerous(
    client, kernteamlid
):
    subject = action("1.8")
    subject.text = (
        "**Kop**\n\nEen zin met een [link](https://example.nl) en "
        '<script>alert("x")</script><img src=x onerror=alert(1)> '
        "[slecht](javascript:alert(1))\n\n- een\n- twee"
    )
    subject.save()
    login(client, kernteamlid)

    html = page(client).content.decode()

    assert "<strong>Kop</strong>" in html
    assert "<li>een</li>" in html
    assert 'href="https://example.nl"' in html
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:alert" not in html


def test_carried_forward_action_links_to_its_origin(client, kernteamlid):
    origin, successor = action("1.7"), action("1.8")
    successor.origin = origin
    successor.save()
    login(client, kernteamlid)

    html = page(client, "1.8").content.decode()

    assert "Doorgeschoven uit" in html
    assert f'href="{origin.get_absolute_url()}"' in html


def test_medewerker_sees_no_form_on_an_action_of_another_party(client, woonpunt_medewerker):
    login(client, woonpunt_medewerker)

    response = page(client, "3.9")

    assert response.status_code == 200
    assert response.context["progress_form"] is None


def test_kernteam_records_an_evaluation_that_the_page_then_shows(client, kernteamlid):
    login(client, kernteamlid)

    response = post_evaluation(
        client, action("1.8"), assessment="doorgeschoven", explanation="Gaat mee naar 2025."
    )

    assert response.status_code == 302
    evaluation = Evaluation.objects.get(action=action("1.8"))
    assert (evaluation.assessment, evaluation.author) == ("doorgeschoven", kernteamlid)
    shown = text_of(page(client))
    assert "Doorgeschoven" in shown and "Gaat mee naar 2025." in shown


def test_evaluation_needs_an_explanation(client, kernteamlid):
    login(client, kernteamlid)

    response = post_evaluation(client, action("1.8"), explanation="")

    assert response.context["evaluation_form"].errors["explanation"] == [
        "Licht het oordeel toe; zo blijft het navolgbaar."
    ]
    assert not Evaluation.objects.exists()


def test_the_service_itself_refuses_a_user_the_rules_do_not_allow(woonpunt_medewerker):
    with pytest.raises(PermissionDenied):
        services.post_progress_update(
            action=action("3.9"),
            author=woonpunt_medewerker,
            status="op_schema",
            percent_done=10,
            seen_latest_id=None,
        )
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("milestones", [1, 0])
@pytest.mark.parametrize("persona", ["weller", "gemeente", "kernteam", "beheerder", "huurder"])
def test_action_page_loads_in_a_bounded_number_of_queries(
    client, personas, persona, milestones, django_assert_max_num_queries
):
    subject = action("2.5")
    for n in range(milestones):
        Milestone.objects.create(
            jaarschijf=subject.jaarschijf,
            action=subject,
            code=f"test-{n}",
            description="Mijlpaal",
            due_date=date(2024, 7, 1),
            due_text="per 01-07-2024",
            responsible=party("Woningcorporaties"),
        )
    for index in range(15):
        make_progress_update(
            subject,
            personas["weller"] if index % 2 else personas["gemeente"],
            percent_done=index,
        )
        Evaluation.objects.create(
            action=subject, author=None, assessment="behaald", explanation="x"
        )
    login(client, personas[persona])

    # One query each, however many there are: the latest update with the number of readable
    # ones, one page of updates with their evidence files, evaluations, indicators, milestones.
    # 13 with the login (2) and the first page after login renewing the session (3); 14 when
    # the evidence files were a prefetch query of their own. Without milestones one more: the
    # rules are asked whether the user may add one (with milestones their annotation says).
    with django_assert_max_num_queries(13 if milestones else 14):
        response = page(client, "2.5")

    assert response.status_code == 200
    assert len(response.context["updates"]) == 10  # the newest page of the 15
    assert len(response.context["evaluations"]) == 15
    assert sum(len(i.value_rows) for i in response.context["indicators"]) == 6


def test_link_to_report_progress_opens_the_form_on_the_action_page(client, weller_medewerker):
    login(client, weller_medewerker)

    response = client.get(reverse("agreements:action-update", args=[2024, "1.8"]))

    assert response.status_code == 302
    assert response["Location"] == "/afspraken/2024/1.8/#voortgang-formulier"


def test_link_to_report_progress_is_refused_for_an_action_of_another_party(
    client, woonpunt_medewerker
):
    login(client, woonpunt_medewerker)

    assert client.get(reverse("agreements:action-update", args=[2024, "3.9"])).status_code == 403


def test_visitor_reads_the_action_page_only_when_the_dashboard_is_public(
    client, jaarschijf, settings
):
    settings.PUBLIC_DASHBOARD = False
    assert page(client).status_code == 302

    settings.PUBLIC_DASHBOARD = True
    response = page(client)

    assert response.status_code == 200
    assert response.context["progress_form"] is None
    assert response.context["evaluation_form"] is None
    assert "Realisatie invullen" not in response.content.decode()


def test_the_action_page_shows_the_newest_ten_updates_and_pages_back_through_the_rest(
    client, weller_medewerker
):
    subject = action("2.5")
    for index in range(1, 24):
        make_progress_update(
            subject, weller_medewerker, percent_done=index, explanation=f"Stap {index}."
        )
    login(client, weller_medewerker)

    first = text_of(page(client, "2.5"))
    assert "Updates (23, nieuwste eerst; 1–10 op deze pagina)" in first
    assert "Stap 23." in first and "Stap 14." in first
    assert "Stap 13." not in first
    assert first.index("Stap 23.") < first.index("Stap 14.")
    html = page(client, "2.5").content.decode()
    assert 'aria-label="Paginering updates"' in html
    assert "Pagina 1 van 3" in first
    assert 'href="?pagina=2#updates"' in html and "Volgende" in first
    # Numbered down from the total, so the oldest update is number 1 on the last page.
    assert '<ol class="utrecht-ordered-list heerlen-timeline" reversed start="23">' in html

    second = client.get(reverse("agreements:action-detail", args=[2024, "2.5"]), {"pagina": 2})
    shown = text_of(second)
    assert "Stap 13." in shown and "Stap 4." in shown
    assert "Stap 14." not in shown and "Stap 3." not in shown
    assert 'reversed start="13"' in second.content.decode()
    assert "Vorige" in shown
    # The status at the top stays the latest update's, whatever page is shown.
    assert "23 %" in shown

    # A page that does not exist shows a page of updates, never an error.
    last = client.get(reverse("agreements:action-detail", args=[2024, "2.5"]), {"pagina": "99x"})
    assert last.status_code == 200


def test_a_visitor_pages_through_the_public_updates_only(client, weller_medewerker, settings):
    settings.PUBLIC_DASHBOARD = True
    subject = action("2.5")
    for index in range(1, 16):
        make_progress_update(
            subject, weller_medewerker, explanation=f"Stap {index}.", is_public=index % 2 == 0
        )

    shown = text_of(page(client, "2.5"))

    assert "Updates (7, nieuwste eerst)" in shown
    assert "Stap 14." in shown and "Stap 2." in shown
    assert "Stap 15." not in shown and "Stap 1." not in shown
    assert "Paginering updates" not in page(client, "2.5").content.decode()

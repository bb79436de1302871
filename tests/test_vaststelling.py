"""The vaststelling: the kernteam completes the evaluation, every signing party decides."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agreements.models import Action, Evaluation, Jaarschijf, Party
from evaluation import vaststelling
from evaluation.models import Approval, Vaststelling

from .factories import decide, decide_all_but, login, party_user

pytestmark = pytest.mark.django_db


def test_the_parties_that_decide_are_the_signing_parties_of_the_jaarschijf(jaarschijf):
    names = [p.name for p in vaststelling.signing_parties(jaarschijf)]

    assert len(names) == jaarschijf.signatories.values("party").distinct().count() == 11
    assert "Gemeente Heerlen" in names and "Weller" in names
    assert "Woonpunt huurdersvereniging" in names
    assert "Woningcorporaties" not in names  # a collective signs nothing


def test_a_party_cannot_decide_before_the_kernteam_declares_the_evaluation_complete(
    jaarschijf, weller_medewerker
):
    assert not weller_medewerker.has_perm("evaluation.decide_evaluation", jaarschijf)
    with pytest.raises(PermissionDenied):
        decide(jaarschijf, weller_medewerker)


def test_only_the_kernteam_or_beheerder_declares_the_evaluation_complete(
    jaarschijf, weller_medewerker, kernteamlid
):
    with pytest.raises(PermissionDenied):
        vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=weller_medewerker)
    vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)

    assert Vaststelling.objects.get(jaarschijf=jaarschijf).completed_by == kernteamlid
    with pytest.raises(ValidationError, match="al op"):
        vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)


def test_niet_akkoord_needs_a_reason_and_saves_nothing_without_one(jaarschijf, kernteamlid):
    vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)
    weller = party_user(Party.objects.get(name="Weller"))

    with pytest.raises(ValidationError) as error:
        decide(jaarschijf, weller, "niet_akkoord", reason="  ")

    assert error.value.message_dict["reason"] == [
        "Geef de reden waarom uw partij niet akkoord gaat."
    ]
    assert not Approval.objects.exists()


def test_a_party_revises_its_decision_until_all_have_decided_and_a_stale_form_is_refused(
    jaarschijf, kernteamlid
):
    vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)
    weller = party_user(Party.objects.get(name="Weller"))
    first = decide(jaarschijf, weller, "niet_akkoord", reason="De sloopcijfers kloppen niet.")

    revised = decide(jaarschijf, weller, "akkoord")

    approval = Approval.objects.get(party=weller.party)
    assert (approval.decision, approval.reason, approval.version) == ("akkoord", "", 2)
    assert revised.approval.pk == first.approval.pk
    assert approval.history.count() == 2
    with pytest.raises(ValidationError, match="Niet opgeslagen"):
        vaststelling.record_decision(
            jaarschijf=jaarschijf,
            user=weller,
            decision="niet_akkoord",
            reason="Toch niet",
            signer_name="Dhr. B. Braeken",
            signer_function="Bestuurder",
            version=1,
        )


def test_a_user_decides_only_for_a_party_that_signed(jaarschijf, kernteamlid):
    vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)
    outsider = party_user(Party.objects.get(name="HBV Hoogbouw"))  # on the page, did not sign

    with pytest.raises(PermissionDenied):
        decide(jaarschijf, outsider)


def test_when_every_signing_party_agrees_the_jaarschijf_becomes_geevalueerd_and_read_only(
    jaarschijf, kernteamlid
):
    vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)
    results = decide_all_but(jaarschijf, "Woonpunt")
    assert not any(r.evaluated for r in results)
    assert Jaarschijf.objects.get(pk=jaarschijf.pk).status == "vastgesteld"

    last = decide(jaarschijf, party_user(Party.objects.get(name="Woonpunt")))

    jaarschijf.refresh_from_db()
    assert last.evaluated and jaarschijf.status == "geevalueerd"
    assert not kernteamlid.has_perm("agreements.evaluate_action", jaarschijf)
    record = jaarschijf.history.first()
    assert record.history_change_reason == "Evaluatie vastgesteld: alle partijen akkoord"


def test_after_all_decided_with_one_niet_akkoord_nothing_changes_until_the_kernteam_reopens(
    jaarschijf, kernteamlid
):
    vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)
    decide_all_but(jaarschijf, "Woonpunt")
    woonpunt = party_user(Party.objects.get(name="Woonpunt"))
    decide(jaarschijf, woonpunt, "niet_akkoord", reason="BAT-cijfers ontbreken.")
    jaarschijf.refresh_from_db()
    assert jaarschijf.status == "vastgesteld"

    with pytest.raises(ValidationError, match="Alle partijen hebben al besloten"):
        decide(jaarschijf, woonpunt, "akkoord")

    vaststelling.reopen_evaluation(jaarschijf=jaarschijf, user=kernteamlid)
    assert not Vaststelling.objects.filter(jaarschijf=jaarschijf).exists()
    assert Approval.history.filter(history_type="-").count() == 11


def test_the_evaluation_page_shows_who_decided_and_offers_the_form_to_a_signing_party(
    client, jaarschijf, kernteamlid
):
    vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)
    weller = party_user(Party.objects.get(name="Weller"))
    login(client, weller)

    page = client.get(reverse("evaluation:evaluation-overview", args=[2024])).content.decode()
    assert "0 van de 11 ondertekenende partijen hebben besloten" in page
    assert 'value="Dhr. B. Braeken"' in page  # the signatory of the document, prefilled

    response = client.post(
        reverse("evaluation:evaluation-decision", args=[2024]),
        {"decision": "niet_akkoord", "reason": "", "signer_name": "X", "signer_function": "Y"},
    )
    assert response.status_code == 400
    assert "Geef de reden waarom uw partij niet akkoord gaat." in response.content.decode()

    response = client.post(
        reverse("evaluation:evaluation-decision", args=[2024]),
        {
            "decision": "akkoord",
            "signer_name": "Dhr. B. Braeken",
            "signer_function": "Bestuurder",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Het besluit van Weller is vastgelegd: akkoord." in page
    assert "1 van de 11 ondertekenende partijen hebben besloten" in page
    assert "Dhr. B. Braeken, Bestuurder" in page


def test_a_party_that_did_not_sign_gets_403_on_the_decision(client, jaarschijf, kernteamlid):
    vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)
    login(client, party_user(Party.objects.get(name="HBV Hoogbouw")))

    response = client.post(
        reverse("evaluation:evaluation-decision", args=[2024]),
        {"decision": "akkoord", "signer_name": "A", "signer_function": "B"},
    )

    assert response.status_code == 403
    assert not Approval.objects.exists()


def test_the_beheerder_has_no_party_to_decide_or_speak_for_and_is_offered_no_form(
    client, jaarschijf, kernteamlid, beheerder
):
    """Django lets a superuser pass every permission; deciding and giving a zienswijze are
    acts of the user's own party, which a beheerder does not have."""
    vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)
    login(client, beheerder)

    page = client.get(reverse("evaluation:evaluation-overview", args=[2024]))
    assert page.status_code == 200
    assert page.context["decision_form"] is None and not page.context["can_give_view"]
    assert "Besluit vastleggen" not in page.content.decode()

    decision = client.post(
        reverse("evaluation:evaluation-decision", args=[2024]),
        {"decision": "akkoord", "reason": "", "signer_name": "R. Hermans", "signer_function": "X"},
    )
    assert decision.status_code == 403
    assert client.get(reverse("evaluation:evaluation-tenant-view", args=[2024])).status_code == 403
    assert not Approval.objects.exists()
    with pytest.raises(PermissionDenied):
        vaststelling.record_decision(
            jaarschijf=jaarschijf,
            user=beheerder,
            decision="akkoord",
            reason="",
            signer_name="R. Hermans",
            signer_function="Beheerder",
            version=None,
        )


def test_completing_with_actions_not_yet_assessed_asks_for_a_confirmation_first(
    client, jaarschijf, kernteamlid
):
    """The page says how many actions the kernteam has assessed; one click without the
    confirmation changes nothing while some are not assessed."""
    first = Action.objects.filter(jaarschijf=jaarschijf).order_by("pk").first()
    Evaluation.objects.create(
        action=first, author=kernteamlid, assessment="behaald", explanation="Gehaald."
    )
    total = Action.objects.filter(jaarschijf=jaarschijf).count()
    page = reverse("evaluation:evaluation-overview", args=[2024])
    complete = reverse("evaluation:evaluation-complete", args=[2024])
    html = login(client, kernteamlid).get(page).content.decode()
    assert f"Het kernteam heeft 1 van de {total} afspraken beoordeeld; {total - 1} zijn" in html
    assert f"Toch compleet verklaren, met {total - 1} afspraken zonder oordeel" in html

    refused = client.post(complete, follow=True).content.decode()
    assert f"Nog {total - 1} van de {total} afspraken zijn niet beoordeeld." in refused
    assert not Vaststelling.objects.exists()

    done = client.post(complete, {"unassessed_accepted": "on"}, follow=True)
    assert "De evaluatie is compleet verklaard." in done.content.decode()
    assert Vaststelling.objects.filter(jaarschijf=jaarschijf).exists()


def test_reopening_needs_a_confirmation_and_the_withdrawn_decisions_stay_readable_on_the_page(
    client, jaarschijf, kernteamlid, huurder
):
    """Reopening withdraws every decision: one click does not do it, and afterwards the page
    still shows what each party had decided, and when and by whom it was withdrawn."""
    vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)
    decide_all_but(jaarschijf, "Woonpunt")
    woonpunt = party_user(Party.objects.get(name="Woonpunt"))
    decide(jaarschijf, woonpunt, "niet_akkoord", reason="BAT-cijfers ontbreken.")
    page = reverse("evaluation:evaluation-overview", args=[2024])
    reopen = reverse("evaluation:evaluation-reopen", args=[2024])
    html = login(client, kernteamlid).get(page).content.decode()
    assert "Heropenen en de besluiten van 11 partijen intrekken" in html
    # "vastgesteld" is the signed jaarschijf, not its evaluation: the page says so
    assert (
        "vastgesteld (de afspraken zijn ondertekend; geëvalueerd is de jaarschijf pas als alle "
        "partijen akkoord zijn met de evaluatie)" in html
    )
    assert "ingetrokken-kop" not in html  # nothing withdrawn yet

    # opened at the refusal, so it is in view and read first
    assert client.post(reopen)["Location"] == page + "#melding"
    refused = client.get(page).content.decode()
    assert "Niet heropend: vink aan dat u de evaluatie heropent" in refused
    assert Vaststelling.objects.filter(jaarschijf=jaarschijf).exists()
    assert Approval.objects.count() == 11

    done = client.post(reopen, {"reopen_confirmed": "on"}, follow=True).content.decode()
    assert "staan onder ‘Ingetrokken besluiten’" in done
    assert not Vaststelling.objects.filter(jaarschijf=jaarschijf).exists()
    for reader in (kernteamlid, huurder):
        text = " ".join(
            re.sub(r"<[^>]+>", " ", login(client, reader).get(page).content.decode()).split()
        )
        withdrawn = text[text.index("Ingetrokken besluiten Besluiten die") :]
        assert "Woonpunt Niet akkoord Reden: BAT-cijfers ontbreken." in withdrawn
        assert withdrawn.count("Akkoord") == 10
        assert f"door {kernteamlid}" in withdrawn
    html = client.get(page).content.decode()
    section = html[html.index('id="ingetrokken-kop"') :]
    section = section[: section.index("</table>")]
    # in the parties' order, as the decisions themselves
    assert re.findall(r'<th scope="row">([^<]+)</th>', section) == [
        p.name for p in vaststelling.signing_parties(jaarschijf)
    ]

"""A writer finds their party's work first: a section on the dashboard and a menu entry for
the EFG figures; readers see the whole picture only."""

from django.urls import reverse

from agreements.models import Action

from .factories import login, party
from .helpers_dashboard import page_text


def dashboard(client, user):
    login(client, user)
    return client.get(reverse("overview:dashboard"))


def test_a_weller_medewerker_sees_what_weller_leads_on_the_dashboard(client, weller_medewerker):
    weller = party("Weller")
    actions = Action.objects.filter(jaarschijf__year=2024)
    leads = actions.filter(action_parties__party=weller, action_parties__is_lead=True).count()
    involved = actions.involving(weller).count()

    shown = page_text(dashboard(client, weller_medewerker))

    assert "Voor Weller" in shown
    assert f"Weller is trekker van {leads} afspra" in shown
    assert f"betrokken bij {involved}, ook via een collectief" in shown
    assert "Afspraken waarvan Weller trekker is" in shown
    assert "EFG-labels invullen" in shown
    # The whole picture stays one scroll away.
    assert "Voortgang per thema" in shown


def test_readers_get_no_own_work_section(client, huurder):
    shown = page_text(dashboard(client, huurder))
    assert "Voor " not in shown.split("Kerncijfers")[0].split("Jaarschijf 2024")[-1]
    assert "EFG invullen" not in shown


def test_the_menu_offers_the_efg_entry_to_those_who_may_use_it(
    client, weller_medewerker, kernteamlid, gemeente_medewerker, huurder
):
    def menu(user):
        login(client, user)
        html = client.get(reverse("overview:party-list")).content.decode()
        return html.split('aria-label="Hoofdmenu"', 1)[1].split("</nav>", 1)[0]

    entry = reverse("sustainability:labelfigure-entry-index")
    assert entry in menu(weller_medewerker)
    assert entry in menu(kernteamlid)
    assert entry not in menu(gemeente_medewerker)
    assert entry not in menu(huurder)
    assert client.get(entry).status_code == 403  # the huurder: the page checks too

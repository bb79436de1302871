"""A writer finds their party's work first: a section on the dashboard, a menu entry for the
EFG figures and Mijn werk (the shown jaarschijf's milestones, the rest counted and paginated);
readers see the whole picture only."""

from django.urls import reverse

from agreements.models import Action, Jaarschijf
from core.formats import nl_date
from cycle.models import Milestone, today

from .factories import add_milestones, login, party
from .helpers_dashboard import page_text, table, tables


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


# --- Mijn werk: the shown jaarschijf's milestones, the rest counted and paginated ------------


def another_jaarschijf(year: int = 2030) -> Jaarschijf:
    return Jaarschijf.objects.create(
        year=year, title=f"Jaarschijf {year}", municipality=party("Gemeente Heerlen")
    )


def my_work(client, year: int = 2024):
    return client.get(reverse("cycle:my-work"), {"jaar": year})


def weller_due(**filters):
    return Milestone.objects.for_party(party("Weller")).due_or_overdue().filter(**filters)


def test_mijn_werk_lists_the_shown_jaarschijfs_milestones_and_counts_those_of_other_years(
    client, weller_medewerker
):
    another_jaarschijf(2030)
    add_milestones(2030, "Weller", 3, days_ago=40, prefix="ouder")
    add_milestones(2030, "Woningcorporaties", 2, days_ago=-3, prefix="straks")
    login(client, weller_medewerker)

    response = my_work(client)

    header, *late = table(response, "Te laat")
    assert len(late) == weller_due(jaarschijf__year=2024).count() > 0
    assert "Jaarschijf" not in header  # they are all of the jaarschijf shown
    assert not any("mijlpaal" in row[0] for row in late)  # none of 2030's
    text = page_text(response)
    assert (
        "Uit andere jaarschijven staan nog 5 mijlpalen van Weller open: 3 te laat en 2 binnenkort."
    ) in text
    total = weller_due().count()
    assert f"Alle {total} open mijlpalen van Weller bekijken" in text
    # A kind with none is left out of the sentence.
    Milestone.objects.filter(code__startswith="straks").delete()
    text = page_text(my_work(client))
    assert "Uit andere jaarschijven staan nog 3 mijlpalen van Weller open: 3 te laat." in text
    assert reverse("cycle:my-milestones") in response.content.decode()


def test_mijn_werk_counts_the_other_jaarschijven_only_up_to_its_cap_and_says_there_are_more(
    client, weller_medewerker, monkeypatch
):
    from cycle import work

    monkeypatch.setattr(work, "OTHERS_COUNTED", 4)
    another_jaarschijf(2030)
    add_milestones(2030, "Weller", 3, days_ago=40, prefix="ouder")
    add_milestones(2030, "Woningcorporaties", 2, days_ago=-3, prefix="straks")
    login(client, weller_medewerker)

    text = page_text(my_work(client))

    # Five in other jaarschijven, four counted (the oldest first): every late one is among
    # them, so that number is exact; how many are due soon is not said.
    assert (
        "Uit andere jaarschijven staan nog meer dan 4 mijlpalen van Weller open, waarvan 3 te laat."
        in text
    )
    assert "Alle open mijlpalen van Weller bekijken" in text
    # All counted ones late: their number is not known either.
    add_milestones(2030, "Weller", 2, days_ago=30, prefix="laat")
    text = page_text(my_work(client))
    assert "meer dan 4 mijlpalen van Weller open, waarvan meer dan 4 te laat." in text
    # Within the cap the sentence is exact, as before.
    monkeypatch.setattr(work, "OTHERS_COUNTED", 7)
    text = page_text(my_work(client))
    assert "staan nog 7 mijlpalen van Weller open: 5 te laat en 2 binnenkort." in text
    # The list of them all counts every one.
    listed = page_text(client.get(reverse("cycle:my-milestones")))
    assert f"{weller_due().count()} mijlpalen, waarvan" in listed


def test_mijn_werk_shows_the_first_50_late_milestones_and_says_how_many_there_are(
    client, weller_medewerker
):
    add_milestones(2024, "Weller", 40, days_ago=2000)
    login(client, weller_medewerker)

    response = my_work(client)

    overdue = weller_due(jaarschijf__year=2024, due_date__lt=today()).count()
    assert overdue > 40
    late = [c for c in tables(response) if c.startswith("Te laat")]
    assert late == [f"Te laat: de eerste 50 van {overdue}"]
    _header, *rows = table(response, "Te laat")
    assert len(rows) == 50
    # The oldest first: the added ones fall due years before 2024's own.
    assert rows[0][0] == "Extra mijlpaal 0"
    assert f"Alle {overdue} open mijlpalen van Weller bekijken" in page_text(response)


def test_mijn_werk_without_more_milestones_than_it_shows_has_no_link_to_the_list(
    client, weller_medewerker
):
    login(client, weller_medewerker)

    response = my_work(client)

    assert "Uit andere jaarschijven" not in page_text(response)
    assert reverse("cycle:my-milestones") not in response.content.decode()


def test_the_list_of_open_milestones_pages_through_every_jaarschijf_oldest_first(
    client, weller_medewerker
):
    another_jaarschijf(2030)
    add_milestones(2030, "Weller", 30, days_ago=100, prefix="ouder")
    login(client, weller_medewerker)
    url = reverse("cycle:my-milestones")
    total = weller_due().count()
    late = weller_due(due_date__lt=today()).count()
    assert total > 50

    first, second = client.get(url), client.get(url, {"pagina": 2})

    assert f"{total} mijlpalen, waarvan {late} te laat. Hier nummer 1 tot en met 25." in (
        page_text(first)
    )
    assert "Hier nummer 26 tot en met 50." in page_text(second)
    rows = table(first, "Open mijlpalen")[1:] + table(second, "Open mijlpalen")[1:]
    assert len(rows) == 50
    expected = list(weller_due().order_by("due_date", "pk")[:50])
    assert [row[0] for row in rows] == [m.short_description for m in expected]
    assert [row[1] for row in rows] == [str(m.jaarschijf.year) for m in expected]
    assert {row[1] for row in rows} == {"2024", "2030"}
    assert 'aria-label="Paginering mijlpalen"' in first.content.decode()


def test_a_milestone_closed_from_the_list_is_gone_from_it_and_from_the_count(
    client, weller_medewerker
):
    add_milestones(2024, "Weller", 1, days_ago=900, prefix="eigen")
    login(client, weller_medewerker)
    url = reverse("cycle:my-milestones")
    before = weller_due().count()
    own = Milestone.objects.get(code="eigen-0")

    response = client.post(
        reverse("cycle:milestone-close", args=[own.pk]),
        {"version": own.version, "done_on": nl_date(own.due_date), "next": url},
    )

    assert response.status_code == 302
    assert response["Location"] == url + "#melding"  # back on the list, at the confirmation
    after = client.get(url)
    text = page_text(after)
    # named once, in the confirmation; no longer a row of the list
    assert text.count("Eigen mijlpaal 0") == 1
    assert "De mijlpaal ‘Eigen mijlpaal 0’ is afgerond op" in text
    assert not any("Eigen mijlpaal 0" in " ".join(row) for t in tables(after).values() for row in t)
    assert f"{before - 1} mijlpalen" in text


def test_readers_have_no_list_of_open_milestones(client, huurder):
    login(client, huurder)
    response = client.get(reverse("cycle:my-milestones"))
    assert response["Location"] == reverse("overview:dashboard")

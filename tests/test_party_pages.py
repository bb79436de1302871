"""Party list and party page: everything one party promised, also through collectives."""

import pytest
from django.db.models import Sum
from django.urls import reverse

from agreements.models import Action, IndicatorValue, Party
from projects.models import Project

from .factories import login, party
from .helpers_dashboard import make_update_days_ago, page_text, records, table

pytestmark = pytest.mark.django_db


def of_2024():
    return Action.objects.filter(jaarschijf__year=2024)


@pytest.fixture
def reader(client, huurder):
    return login(client, huurder)


def test_party_list_counts_actions_including_those_through_collectives(reader):
    rows = records(table(reader.get(reverse("overview:party-list")), "Partijen"))

    for name in ("Weller", "Gemeente Heerlen", "Woningcorporaties"):
        subject = party(name)
        row = next(row for row in rows if row["Partij"] == name)
        assert row["Afspraken"] == str(of_2024().involving(subject).count())
        assert row["Waarvan trekker"] == str(of_2024().involving(subject, lead_only=True).count())
    weller = next(row for row in rows if row["Partij"] == "Weller")
    assert int(weller["Afspraken"]) > of_2024().filter(parties=party("Weller")).count()


def test_party_list_shows_kind_corporation_and_members(reader):
    rows = records(table(reader.get(reverse("overview:party-list")), "Partijen"))

    tenants = next(row for row in rows if row["Partij"] == "Woonpunt huurdersvereniging")
    assert tenants["Soort"] == "Huurdersorganisatie"
    assert tenants["Hoort bij"] == "Woonpunt"
    collective = next(row for row in rows if row["Partij"] == "Woningcorporaties")
    assert collective["Leden"] == "5"
    assert len(rows) == Party.objects.count()


def party_actions(client, slug):
    """The rows of the party's action table, over all its pages."""
    rows, page = [], 1
    while True:
        response = client.get(reverse("overview:party-detail", args=[slug]), {"a-page": page})
        rows += records(table(response, "Afspraken van deze partij"))
        if f"a-page={page + 1}" not in response.content.decode():
            return rows
        page += 1


def test_party_page_lists_the_actions_it_leads_takes_part_in_or_gets_through_a_collective(
    reader,
):
    weller = party("Weller")

    rows = party_actions(reader, "weller")
    assert [row["Nr."] for row in rows] == list(
        of_2024().involving(weller).numeric_order().values_list("number", flat=True)
    )
    roles = {row["Nr."]: row["Rol"] for row in rows}
    led = of_2024().filter(action_parties__party=weller, action_parties__is_lead=True)
    for number in led.values_list("number", flat=True):
        assert roles[number] == "Trekker"
    through = of_2024().filter(parties__members=weller).exclude(parties=weller)
    assert through.exists()
    for number in through.values_list("number", flat=True):
        assert roles[number].startswith("Via ")


def test_party_page_of_a_corporation_sums_up_its_projects_per_category(reader):
    weller = Project.objects.filter(jaarschijf__year=2024, corporation=party("Weller"))
    renovation = weller.filter(category="renovatie").counted()
    planned = renovation.aggregate(total=Sum("dwellings"))["total"]

    response = reader.get(reverse("overview:party-detail", args=["weller"]))

    rows = records(table(response, "Projecten van Weller per categorie"))
    row = next(row for row in rows if row["Categorie"] == "Renovatie")
    assert row["Projecten"] == str(renovation.count())
    assert row["Gepland (woningen)"] == f"{planned:,}".replace(",", ".")
    html = response.content.decode()
    assert f'href="{reverse("overview:project-list")}?corporation=weller"' in html
    assert "?category=renovatie&amp;corporation=weller" in html


def test_party_page_of_a_corporation_shows_only_its_own_efg_and_bat_rows(reader):
    response = reader.get(reverse("overview:party-detail", args=["weller"]))

    efg = table(response, "Sociale huurwoningen met een EFG-label")
    assert [row[0] for row in efg[2:-1]] == ["Weller"]
    bat = table(response, "Woningen per BAT-klasse")
    assert [row[0] for row in bat[1:]] == ["Weller"]
    assert "Het doel voor 2029 is nog onbekend (t.b.) voor Weller." in page_text(response)


def test_party_page_shows_indicators_of_the_party_and_its_collectives(reader):
    weller = party("Weller")
    expected = IndicatorValue.objects.filter(
        indicator__jaarschijf__year=2024,
        party__in=[weller, *weller.collectives.all()],
    )
    assert expected.exclude(party=weller).exists()

    rows = table(reader.get(reverse("overview:party-detail", args=["weller"])), "Kengetallen")

    assert len(rows) - 1 == expected.count()
    assert {row[2] for row in rows[1:]} == {"Weller", "Woningcorporaties"}


def test_collective_page_lists_its_members(reader):
    text = page_text(reader.get(reverse("overview:party-detail", args=["woningcorporaties"])))

    members = party("Woningcorporaties").members.order_by("sort_order")
    assert "Leden " + ", ".join(m.name for m in members) in text


def test_corporation_page_names_its_collectives_and_tenant_organisation(reader):
    text = page_text(reader.get(reverse("overview:party-detail", args=["weller"])))

    assert "Huurdersorganisatie Weller - huurdersvereniging(en)" in text
    assert "Lid van Woningcorporaties, Kernteam prestatieafspraken" in text


def test_tenant_organisation_page_names_its_corporation(reader):
    response = reader.get(reverse("overview:party-detail", args=["woonpunt-huurdersvereniging"]))

    assert "Hoort bij corporatie Woonpunt" in page_text(response)
    assert f'href="{party("Woonpunt").get_absolute_url()}"' in response.content.decode()


def test_party_page_of_an_unknown_party_is_not_found(reader):
    assert reader.get(reverse("overview:party-detail", args=["bestaat-niet"])).status_code == 404


def test_party_page_shows_edit_links_only_to_users_who_may_edit(client, weller_medewerker, huurder):
    login(client, weller_medewerker)
    response = client.get(reverse("overview:party-detail", args=["weller"]))
    rows = records(table(response, "Afspraken van deze partij"))
    assert all(row["Bijwerken"].startswith("Voortgang melden") for row in rows)
    assert "Realisatie invullen voor Weller" in page_text(response)

    login(client, huurder)
    response = client.get(reverse("overview:party-detail", args=["weller"]))
    assert "Voortgang melden" not in page_text(response)
    assert "Bijwerken" not in table(response, "Afspraken van deze partij")[0]
    assert "Realisatie invullen" not in page_text(response)


def test_party_page_sums_up_how_many_actions_it_leads_and_has_open(reader):
    weller = party("Weller")
    make_update_days_ago(
        of_2024().involving(weller).first(), 2, status="afgerond", percent_done=100
    )
    involved = of_2024().involving(weller).count()
    leads = of_2024().involving(weller, lead_only=True).count()

    text = page_text(reader.get(reverse("overview:party-detail", args=["weller"])))

    assert (
        f"Weller is betrokken bij {involved} afspraken, waarvan {leads} als trekker (zelf of via "
        f"een collectief); {involved - 1} zijn nog niet afgerond." in text
    )


def test_a_party_takes_part_through_its_collectives_whether_or_not_they_were_read_first(
    jaarschijf, django_assert_num_queries
):
    from agreements.models import ActionParty

    weller = Party.objects.get(name="Weller")
    through_collective = set(
        ActionParty.objects.filter(party__name="Woningcorporaties").values_list("action", flat=True)
    ) - set(ActionParty.objects.filter(party=weller).values_list("action", flat=True))
    assert through_collective  # the document names the corporations together somewhere

    unread = set(Action.objects.involving(weller).values_list("pk", flat=True))
    read = Party.objects.get(name="Weller")
    collective = Party.objects.get(name="Woningcorporaties")
    with django_assert_num_queries(1):  # once per instance
        assert collective.pk in read.ids_with_collectives
        assert collective.pk in read.ids_with_collectives
    assert set(Action.objects.involving(read).values_list("pk", flat=True)) == unread
    assert through_collective <= unread
    directly = set(Action.objects.involving(read, directly=True).values_list("pk", flat=True))
    assert not (through_collective & directly)

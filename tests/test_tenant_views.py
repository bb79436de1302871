"""Tenant organisations' views (zienswijzen) on the evaluation, with an optional PDF."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Jaarschijf, JaarschijfStatus, Theme
from evaluation.models import TenantView

from .factories import login, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def post_view(client, **data):
    return client.post(reverse("evaluation:evaluation-tenant-view", args=[2024]), data, follow=True)


def test_a_tenant_organisation_gives_its_view_with_a_pdf_shown_verbatim_everywhere(
    client, huurder, private_media, settings
):
    login(client, huurder)
    response = post_view(
        client,
        text="Wij missen de huurders in thema 2.\nGraag volgend jaar eerder betrekken.",
        attachment=pdf_upload("Zienswijze HV Weller.pdf"),
    )
    assert "De zienswijze van Weller - huurdersvereniging(en) is opgeslagen." in (
        response.content.decode()
    )
    view = TenantView.objects.get()
    stored = private_media / view.attachment.name
    assert stored.is_file() and stored.read_bytes().startswith(b"%PDF-")
    assert not str(stored).startswith(str(settings.STATIC_ROOT))
    assert view.attachment_name == "Zienswijze_HV_Weller.pdf"

    for url in (
        reverse("evaluation:evaluation-overview", args=[2024]),
        reverse("overview:dashboard"),
    ):
        page = client.get(url).content.decode()
        assert "Weller - huurdersvereniging(en)" in page
        assert "Wij missen de huurders in thema 2.<br>Graag volgend jaar eerder betrekken." in page

    download = client.get(reverse("evaluation:evaluation-tenant-view-attachment", args=[view.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == ('attachment; filename="Zienswijze_HV_Weller.pdf"')
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_view_on_one_theme_is_kept_apart_from_the_overall_view(client, huurder, jaarschijf):
    login(client, huurder)
    theme = Theme.objects.get(jaarschijf=jaarschijf, number=2)
    post_view(client, text="Algemeen.")
    post_view(client, theme=theme.pk, text="Over betaalbaarheid.")

    assert TenantView.objects.count() == 2
    page = client.get(reverse("evaluation:evaluation-overview", args=[2024])).content.decode()
    assert "over <strong>Thema 2. " in page


@pytest.mark.parametrize(
    "name, data, message",
    [
        (
            "brief.pdf",
            b"Dit is geen PDF maar tekst.",
            "De bijlage is geen PDF-bestand. Kies een PDF.",
        ),
        ("kapot.pdf", b"%PDF-1.7\n" + b"rommel" * 50, "De bijlage is geen leesbaar PDF-bestand"),
    ],
)
def test_a_file_that_is_not_a_readable_pdf_is_refused_at_the_field_and_nothing_saved(
    client, huurder, name, data, message
):
    login(client, huurder)
    response = client.post(
        reverse("evaluation:evaluation-tenant-view", args=[2024]),
        {"text": "Tekst", "attachment": SimpleUploadedFile(name, data, "application/pdf")},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TenantView.objects.exists()


def test_a_pdf_over_the_size_limit_is_refused(client, huurder, settings):
    settings.ATTACHMENT_MAX_BYTES = 200
    login(client, huurder)
    response = client.post(
        reverse("evaluation:evaluation-tenant-view", args=[2024]),
        {"text": "Tekst", "attachment": SimpleUploadedFile("groot.pdf", pdf_bytes(3))},
    )

    assert response.status_code == 400
    assert "De bijlage is te groot" in response.content.decode()
    assert not TenantView.objects.exists()


def test_a_corporation_cannot_give_a_tenant_view(client, weller_medewerker):
    login(client, weller_medewerker)

    response = client.post(
        reverse("evaluation:evaluation-tenant-view", args=[2024]), {"text": "Wij ook"}
    )

    assert response.status_code == 403
    assert not TenantView.objects.exists()


def test_the_attachment_is_never_served_to_a_visitor_who_is_not_logged_in(
    client, huurder, settings
):
    settings.PUBLIC_DASHBOARD = True
    login(client, huurder)
    post_view(client, text="Met bijlage", attachment=pdf_upload())
    view = TenantView.objects.get()
    client.logout()

    response = client.get(reverse("evaluation:evaluation-tenant-view-attachment", args=[view.pk]))

    assert response.status_code == 302 and "/inloggen/" in response["Location"]
    overview = reverse("evaluation:evaluation-overview", args=[2024])
    # A running evaluation is not public; once published, the view is, its file is not.
    assert client.get(overview).status_code == 404
    Jaarschijf.objects.filter(year=2024).update(status=JaarschijfStatus.GEEVALUEERD)
    page = client.get(overview).content.decode()
    assert "Met bijlage" in page
    assert reverse("evaluation:evaluation-tenant-view-attachment", args=[view.pk]) not in page


def test_the_beheerder_reads_views_and_decisions_in_the_admin_but_cannot_change_them(
    client, huurder, beheerder
):
    login(client, huurder)
    post_view(client, text="Voor het beheer")
    view = TenantView.objects.get()
    login(client, beheerder)

    page = client.get(reverse("admin:evaluation_tenantview_change", args=[view.pk]))
    assert page.status_code == 200 and "Voor het beheer" in page.content.decode()
    history = client.get(reverse("admin:evaluation_tenantview_history", args=[view.pk]))
    assert history.status_code == 200
    client.post(reverse("admin:evaluation_tenantview_change", args=[view.pk]), {"text": "Anders"})
    assert TenantView.objects.get().text == "Voor het beheer"

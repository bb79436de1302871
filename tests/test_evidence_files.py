"""Evidence files on a progress update: checked by content, stored outside the static files,
served only to readers of the update and always as a download."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import ProgressEvidence, ProgressUpdate

from .factories import action, login
from .helpers_tracking import progress_data

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def post_with_files(client, target, *files, **fields):
    data = progress_data(target, status="op_schema", percent_done="30", **fields)
    data["evidence_files"] = list(files)
    url = reverse("agreements:action-update", args=[target.jaarschijf.year, target.number])
    return client.post(url, data)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_pdf_is_stored_outside_static_and_downloaded_as_attachment(
    client, weller_medewerker, huurder, media
):
    login(client, weller_medewerker)
    response = post_with_files(
        client, action("1.8"), SimpleUploadedFile("verslag overleg.pdf", PDF, "application/pdf")
    )
    assert response.status_code == 302

    evidence = ProgressEvidence.objects.get()
    assert evidence.kind == "pdf" and evidence.uploaded_by == weller_medewerker
    stored = media / evidence.file.name
    assert stored.read_bytes() == PDF
    assert "static" not in str(stored)
    assert evidence.history.count() == 1  # who uploaded what, when

    login(client, huurder)  # a reader of the update
    page = client.get(action("1.8").get_absolute_url()).content.decode()
    url = reverse("agreements:evidence-download", args=[2024, "1.8", evidence.pk])
    assert url in page and "verslag overleg.pdf" in page
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert "verslag overleg.pdf" in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_a_file_is_judged_by_its_content_not_its_name(client, weller_medewerker):
    login(client, weller_medewerker)
    fake = SimpleUploadedFile("besluit.pdf", b"<html><script>alert(1)</script>", "application/pdf")

    response = post_with_files(client, action("1.8"), fake)

    assert response.status_code == 200
    assert "besluit.pdf: Dit bestand is geen PDF, Office-document of afbeelding" in (
        response.content.decode()
    )
    assert not ProgressUpdate.objects.exists() and not ProgressEvidence.objects.exists()


def test_an_office_document_is_recognised_inside_its_zip(client, weller_medewerker):
    login(client, weller_medewerker)
    post_with_files(client, action("1.8"), SimpleUploadedFile("notulen.bin", docx_bytes()))
    assert ProgressEvidence.objects.get().kind == "docx"


def test_a_file_over_the_limit_is_refused(client, weller_medewerker, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    login(client, weller_medewerker)
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (1024 * 1024))
    response = post_with_files(client, action("1.8"), big)
    assert "Het bestand is te groot" in response.content.decode()
    assert not ProgressEvidence.objects.exists()


def test_files_sent_together_may_hold_the_limit_in_all_said_at_the_field(
    client, weller_medewerker, settings
):
    """The proxy lets one upload of the limit through (plus the form): more together would
    end at nginx's page instead of a message here."""
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    login(client, weller_medewerker)
    part = PDF + b"0" * (600 * 1024)
    response = post_with_files(
        client,
        action("1.8"),
        SimpleUploadedFile("deel 1.pdf", part),
        SimpleUploadedFile("deel 2.pdf", part),
    )
    assert response.status_code == 200
    assert "Samen zijn de bestanden te groot (1.200 kB)" in response.content.decode()
    assert "hoogstens 1 MB mee" in response.content.decode()
    assert not ProgressUpdate.objects.exists() and not ProgressEvidence.objects.exists()

    assert post_with_files(client, action("1.8"), SimpleUploadedFile("deel 1.pdf", part))
    assert ProgressEvidence.objects.count() == 1


def test_without_login_the_file_is_not_served(client, weller_medewerker, settings):
    settings.PUBLIC_DASHBOARD = False
    login(client, weller_medewerker)
    post_with_files(client, action("1.8"), SimpleUploadedFile("a.pdf", PDF))
    evidence = ProgressEvidence.objects.get()
    client.logout()
    response = client.get(reverse("agreements:evidence-download", args=[2024, "1.8", evidence.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    # The file under another action's address is not found.
    login(client, weller_medewerker)
    assert (
        client.get(
            reverse("agreements:evidence-download", args=[2024, "1.7", evidence.pk])
        ).status_code
        == 404
    )


def test_a_visitor_downloads_only_the_files_of_public_updates_of_a_readable_jaarschijf(
    client, weller_medewerker, settings
):
    """With the public dashboard on, a visitor without login reads public updates only, and
    nothing of a concept jaarschijf: the files of the others are not found either (the
    addresses count up, so they can be guessed)."""
    from agreements.models import Jaarschijf

    settings.PUBLIC_DASHBOARD = True
    login(client, weller_medewerker)
    post_with_files(client, action("1.8"), SimpleUploadedFile("openbaar.pdf", PDF), is_public="on")
    post_with_files(client, action("1.7"), SimpleUploadedFile("intern.pdf", PDF))
    shared = ProgressEvidence.objects.get(original_name="openbaar.pdf")
    internal = ProgressEvidence.objects.get(original_name="intern.pdf")
    assert shared.update.is_public and not internal.update.is_public
    client.logout()

    def download(evidence, number):
        url = reverse("agreements:evidence-download", args=[2024, number, evidence.pk])
        return client.get(url)

    assert download(shared, "1.8").status_code == 200
    assert download(internal, "1.7").status_code == 404

    Jaarschijf.objects.filter(year=2024).update(status=Jaarschijf.Status.CONCEPT)
    assert download(shared, "1.8").status_code == 404

    login(client, weller_medewerker)  # a logged-in reader reads every update
    assert download(shared, "1.8").status_code == 200
    assert download(internal, "1.7").status_code == 200


def test_the_same_update_with_a_new_file_is_not_a_duplicate(client, weller_medewerker):
    login(client, weller_medewerker)
    post_with_files(client, action("1.8"))
    post_with_files(client, action("1.8"), SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n0000"))
    assert ProgressUpdate.objects.count() == 2
    post_with_files(client, action("1.8"))
    assert ProgressUpdate.objects.count() == 3  # differs from the latest: that one had a file

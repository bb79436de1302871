"""Evidence files on progress updates: which files are accepted, judged by their content.

A file's name and the browser's content type can say anything; the first bytes (and, for
Office documents, the parts inside the zip) say what it is. Accepted: PDF, Word, Excel and
PowerPoint (Office Open XML and the older binary formats), OpenDocument, PNG, JPEG and GIF.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError

#: kind -> (label for users, content type it is served with)
KINDS = {
    "pdf": ("PDF", "application/pdf"),
    "docx": (
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (
        "PowerPoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "odf": ("OpenDocument", "application/vnd.oasis.opendocument"),
    "ole": ("Office (oud formaat)", "application/octet-stream"),
    "png": ("PNG-afbeelding", "image/png"),
    "jpeg": ("JPEG-afbeelding", "image/jpeg"),
    "gif": ("GIF-afbeelding", "image/gif"),
}
OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}

REFUSED = (
    "Dit bestand is geen PDF, Office-document of afbeelding (PNG, JPEG, GIF). Het type wordt "
    "aan de inhoud bepaald, niet aan de naam."
)


def kind_of(uploaded) -> str | None:
    """What the file is by its content, or None when it is none of the accepted kinds."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = archive.namelist()
                if "mimetype" in names and archive.read("mimetype").startswith(
                    b"application/vnd.oasis.opendocument"
                ):
                    return "odf"
                if "[Content_Types].xml" in names:
                    for prefix, kind in OOXML_PARTS.items():
                        if any(name.startswith(prefix) for name in names):
                            return kind
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        finally:
            uploaded.seek(0)
    return None


def validate_evidence_total(files) -> None:
    """The files sent together (one update) hold at most ``EVIDENCE_MAX_BYTES`` in all: the
    proxy lets one such request through (heerlen/limits.py), so the application, not nginx,
    says at the field what is too much."""
    limit = settings.EVIDENCE_MAX_BYTES
    total = sum(uploaded.size for uploaded in files)
    if len(files) > 1 and total > limit:
        raise ValidationError(
            f"Samen zijn de bestanden te groot ({total // 1024:,} kB); met één update kan "
            f"hoogstens {limit // (1024 * 1024)} MB mee. Verstuur de andere bestanden met een "
            "volgende update.".replace(",", "."),
            code="too_large_together",
        )


def validate_evidence(uploaded) -> str:
    """The kind of an uploaded evidence file; ValidationError (Dutch) when it is refused."""
    limit = settings.EVIDENCE_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            f"Het bestand is te groot ({uploaded.size // 1024:,} kB); het mag hoogstens "
            f"{limit // (1024 * 1024)} MB zijn.".replace(",", "."),
            code="too_large",
        )
    kind = kind_of(uploaded)
    if kind is None:
        raise ValidationError(REFUSED, code="type")
    return kind

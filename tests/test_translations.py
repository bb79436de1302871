"""Our own Dutch for texts of Django and the libraries (locale/): the compiled catalog that
Django reads says exactly what the catalog in the repository says."""

import gettext
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def test_every_compiled_catalog_says_what_its_source_says():
    sources = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
    assert sources
    for source in sources:
        compiled = source.with_suffix(".mo")
        assert compiled.exists(), f"{compiled} ontbreekt: msgfmt -o {compiled} {source}"
        wanted = {(e.msgid, e.msgstr) for e in polib.pofile(str(source)) if e.translated()}
        assert wanted
        have = {(e.msgid, e.msgstr) for e in polib.mofile(str(compiled)) if e.msgid}
        assert have == wanted, f"{compiled} is ouder dan {source}: opnieuw compileren (msgfmt)"
        # And gettext, as Django uses it, reads the compiled file.
        with compiled.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)
        msgid, msgstr = sorted(wanted)[0]
        assert catalog.gettext(msgid) == msgstr

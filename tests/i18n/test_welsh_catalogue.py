"""The Welsh catalogue: complete, compiled safely, and never a reason for the app to fail.

Issue 18: every user-facing message passed to ``_`` is in the catalogue with its Welsh; a
``.po`` with wrong plural forms or placeholders does not compile, naming the file and line; a
missing or damaged ``.mo`` gives English and one line in the error log.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from pathlib import Path

import pytest

from hmip_desktop import error_log, i18n
from tools import messages


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    i18n.install("en")


def test_every_message_in_the_sources_has_its_welsh_in_the_catalogue() -> None:
    """Fails when a message is added or changed without its Welsh (python -m tools.messages)."""
    catalogue = messages.read(messages.catalogue_path())
    held = {m.id: m for m in catalogue if m.id}
    wanted = [m.id for m in messages.extracted() if m.id]
    assert len(wanted) > 1000  # the extraction found the sources' messages
    not_in = [w for w in wanted if w not in held]
    assert not_in == [], "run: .venv/bin/python -m tools.messages update, then translate"
    untranslated = [m.id for m in messages.untranslated(catalogue)]
    assert untranslated == []


def test_the_shipped_catalogue_has_no_fault_and_says_it_needs_review() -> None:
    path = messages.catalogue_path()
    assert [str(f) for f in messages.faults(path)] == []
    head = path.read_text(encoding="utf-8")[:600]
    assert "NEEDS REVIEW BY A WELSH-LANGUAGE OFFICER" in head
    assert "nplurals=6;" in head


def _po(tmp_path: Path, header_plural: str, msgid: str, msgstr: str) -> Path:
    path = tmp_path / "cy.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n'
        '"Content-Type: text/plain; charset=utf-8\\n"\n'
        f'"Plural-Forms: {header_plural}\\n"\n\n'
        f'msgid "{msgid}"\nmsgstr "{msgstr}"\n', encoding="utf-8")
    return path


def test_a_catalogue_with_the_wrong_plural_forms_is_refused_naming_the_file_and_line(
        tmp_path: Path) -> None:
    path = _po(tmp_path, "nplurals=2; plural=(n != 1);", "Good", "Da")
    found = [str(f) for f in messages.faults(path)]
    assert found == [f"{path}, line 4: the plural forms are 'nplurals=2; plural=(n != 1);'; "
                     f"Welsh has six: {messages.WELSH_PLURALS}"]


def test_a_translation_that_drops_a_placeholder_is_refused_naming_the_line(
        tmp_path: Path) -> None:
    path = _po(tmp_path, messages.WELSH_PLURALS, "case {ref} is complete",
               "mae'r achos wedi'i gwblhau")
    found = [str(f) for f in messages.faults(path)]
    assert len(found) == 1 and found[0].startswith(f"{path}, line 6: the placeholders differ")


def test_welsh_is_shown_when_chosen_and_english_otherwise() -> None:
    assert i18n.install("cy") == "cy"
    assert i18n.rating_label("requires_improvement") == "Angen gwella"
    assert i18n.install("en") == "en"
    assert i18n.rating_label("requires_improvement") == "Requires improvement"
    assert i18n.install("fr") == "en"


def _catalogue_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "locale" / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    monkeypatch.setattr("hmip_desktop.shipped_files.resource_root", lambda: tmp_path)
    monkeypatch.setattr(i18n, "_catalogues", {})  # nothing read before counts
    monkeypatch.setattr(error_log, "log_path", lambda: tmp_path / "errors.log")
    return folder


def test_a_damaged_catalogue_gives_english_and_one_record_in_the_log(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _catalogue_folder(tmp_path, monkeypatch)
    (folder / "hmip-desktop.mo").write_bytes(b"\xde\x12\x04\x95" + b"\x00" * 7)
    assert i18n.install("cy") == "en"
    assert i18n.rating_label("good") == "Good"
    log = (tmp_path / "errors.log").read_text(encoding="utf-8")
    assert log.count("CatalogueUnreadable") == 1


def test_a_missing_catalogue_gives_english(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _catalogue_folder(tmp_path, monkeypatch)
    assert i18n.install("cy") == "en"
    assert i18n.current_language() == "en"
    assert isinstance(i18n._translation, gettext.NullTranslations)


def test_a_document_can_be_written_in_welsh_while_the_window_stays_english() -> None:
    """``speaking`` changes the language of this thread only, and only inside it."""
    import threading  # noqa: PLC0415

    seen: dict[str, str] = {}

    def window_thread() -> None:
        seen["window"] = i18n.rating_label("good")

    i18n.install("en")
    with i18n.speaking("cy") as language:
        assert language == "cy" and i18n.current_language() == "cy"
        seen["document"] = i18n.rating_label("good")
        other = threading.Thread(target=window_thread)
        other.start()
        other.join()
    assert seen == {"document": "Da", "window": "Good"}
    assert i18n.rating_label("good") == "Good" and i18n.current_language() == "en"


def test_a_table_of_labels_is_read_in_the_language_in_use_then() -> None:
    labels = i18n.Labels({"good": i18n.N_("Good")})
    assert labels["good"] == "Good"
    with i18n.speaking("cy"):
        assert labels["good"] == "Da" and dict(labels) == {"good": "Da"}
    assert labels.get("good") == "Good" and labels.get("other", "-") == "-"


def test_updating_an_unchanged_catalogue_keeps_its_header_date(tmp_path: Path) -> None:
    """An update that brings no new message must not rewrite the header's creation date."""
    from babel.messages.pofile import write_po  # noqa: PLC0415

    path = tmp_path / "hmip-desktop.po"
    text = messages.catalogue_path().read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith('"POT-Creation-Date:'))
    path.write_text(text.replace(old, '"POT-Creation-Date: 2001-02-03 04:05+0000\\n"'),
                    encoding="utf-8")
    messages.update(path)
    assert '"POT-Creation-Date: 2001-02-03 04:05+0000\\n"' in path.read_text(encoding="utf-8")

    catalogue = messages.read(path)  # one message dropped: the next update brings it back
    del catalogue[next(m.id for m in catalogue if m.id and isinstance(m.id, str))]
    with path.open("wb") as f:
        write_po(f, catalogue)
    messages.update(path)
    assert "2001-02-03" not in path.read_text(encoding="utf-8")

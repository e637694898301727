"""Which language the interface speaks: ``--lang``, else the workspace's choice, else the
system's locale (issue 18, "A language choice per workspace user")."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hmip_desktop import i18n
from hmip_desktop.errors import UserError
from hmip_desktop.language_choice import language_for, store_choice, stored_choice
from tests.cli_helpers import run_cli


@pytest.fixture(autouse=True)
def _own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    yield
    i18n.install("en")


def test_the_system_locale_decides_until_a_choice_is_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "workspace"
    assert language_for(folder) == "en"
    monkeypatch.setenv("LANG", "cy_GB.UTF-8")
    assert language_for(folder) == "cy"
    store_choice(folder, "en")
    assert language_for(folder) == "en"


def test_the_choice_is_kept_per_workspace_and_lang_overrides_it(tmp_path: Path) -> None:
    mine, other = tmp_path / "mine", tmp_path / "other"
    store_choice(mine, "cy")
    assert (language_for(mine), language_for(other)) == ("cy", "en")
    assert language_for(mine, "en") == "en"
    assert stored_choice(mine) == "cy"  # the override is for one run, not kept


def test_an_unknown_language_is_refused_and_nothing_is_kept(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="'fr' is not a language the app speaks"):
        store_choice(tmp_path / "mine", "fr")
    assert stored_choice(tmp_path / "mine") is None
    assert not (tmp_path / "config").exists()


def test_the_command_line_speaks_welsh_with_lang_cy() -> None:
    """In a process of its own: labels translated at import stay in the language installed."""
    def frameworks(*lang: str) -> str:
        done = subprocess.run([sys.executable, "-m", "hmip_desktop", *lang, "frameworks"],
                              capture_output=True, text=True, check=True,
                              env={**os.environ, "LANG": "en_GB.UTF-8"})
        return done.stdout

    assert "(argraffiad 2019.1)" in frameworks("--lang", "cy")
    assert "(edition 2019.1)" in frameworks()


def test_lang_with_an_unknown_language_is_a_usage_fault(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "--lang", "xx", "frameworks")
    assert (code, out) == (2, "")
    assert err == ("hmip-desktop: error: 'xx' is not a language the app speaks: give en "
                   "(English) or cy (Welsh)\n")

"""A new edition of the framework in a pack: shown before anything moves, then each case moved;
an older edition, another framework or a mapping that does not fit refused."""

from __future__ import annotations

import copy

import pytest

from hmip_desktop.exchange import packs, service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.exchange.pack_editions import (
    EditionConfirmationNeededError,
    FrameworkChangeError,
    preview_lines,
)
from hmip_desktop.setup.new_edition import EditionSource, adopt_edition
from hmip_desktop.store.errors import NotOwnerError
from hmip_desktop.store.tables import connection
from tests.edition_helpers import (
    ADDED,
    REMOVED,
    RENUMBERED_TO,
    REWORDED,
    next_edition_bytes,
    next_edition_data,
    nps_data,
)
from tests.exchange.conftest import ANSWERS, Env, assert_one_line, digests
from tests.exchange.test_strict_entries import pack_from_lead, refused, with_framework


def _issue_next_edition(env: Env, who: str = "a1") -> None:
    """The lead adopts the next edition and writes ``who``'s pack (``next-<who>.hmippack``)."""
    lead = env.ws("lead")
    adopt_edition(lead, env.team.iid, EditionSource(next_edition_bytes(), "file",
                                                    "nps-2020-21.json"))
    packs.make_pack(lead, env.team.iid, env.team.member_ids[who],
                    env.bundle(f"next-{who}.hmippack"))


def test_the_member_is_shown_what_will_change_and_nothing_moves_until_confirmed(
        answered_env: Env) -> None:
    env = answered_env
    _issue_next_edition(env)
    env.close()
    before = digests(env.folder("a1"))
    with pytest.raises(EditionConfirmationNeededError) as e:
        service.import_file(env.ws("a1"), env.bundle("next-a1.hmippack"))
    assert_one_line(e.value)
    env.close()
    assert digests(env.folder("a1")) == before
    lines = preview_lines(e.value.preview)
    assert [line.split(":")[0] for line in lines] == ["RT-101", "RT-102"]
    assert "moves to the new edition" in lines[0]
    assert "1 question(s) new in this edition" in lines[0]
    assert not any(k in " ".join(lines) for k in (ADDED, REMOVED, "2.1.1"))  # no item keys

    report = service.import_file(env.ws("a1"), env.bundle("next-a1.hmippack"),
                                 confirm_edition=True)

    a1 = env.ws("a1")
    assert a1.inspection_framework(env.team.iid).edition == "2020-21"
    for cid in env.team.cases_of("a1"):
        a = a1.read_assessment(cid)
        assert a.framework.edition == "2020-21"
        assert a.items[REWORDED] == ANSWERS[REWORDED]
        assert ADDED not in a.items and RENUMBERED_TO not in a.items
    assert any("2 case(s) moved to the new edition" in n for n in report.notes)
    row = connection(a1).execute(
        "SELECT came_from, from_name, received_at IS NOT NULL FROM frameworks"
        " WHERE version = '2020.1'").fetchone()
    assert tuple(row) == ("pack", "Jules Pennyfold", 1)


def test_an_older_edition_than_the_one_held_is_refused(answered_env: Env) -> None:
    env = answered_env
    _issue_next_edition(env)
    service.import_file(env.ws("a1"), env.bundle("next-a1.hmippack"), confirm_edition=True)
    who, data = pack_from_lead(env, with_framework(nps_data()))
    error = refused(env, who, data)
    assert isinstance(error, FrameworkChangeError)
    assert "an older edition than the" in str(error)


def test_an_edition_whose_mapping_does_not_fit_is_refused(ready_env: Env) -> None:
    data = next_edition_data()
    kq = next(k for d in data["domains"] for s in d["standards"] for k in s["key_questions"]
              if k["id"] == "2.1.1")
    kq["prompts"][-1]["continues"] = "9.9.9.z"
    who, pack = pack_from_lead(ready_env, with_framework(data))
    error = refused(ready_env, who, pack)
    assert isinstance(error, FrameworkChangeError)
    assert "9.9.9.z" in str(error)


def test_an_edition_following_another_one_is_refused(ready_env: Env) -> None:
    data = copy.deepcopy(next_edition_data())
    data["supersedes"]["edition"] = "2018.1"
    who, pack = pack_from_lead(ready_env, with_framework(data))
    error = refused(ready_env, who, pack)
    assert isinstance(error, FrameworkChangeError)
    assert "not the edition that follows it" in str(error)


def test_unconfirmed_the_next_edition_is_refused_with_nothing_written(ready_env: Env) -> None:
    who, pack = pack_from_lead(ready_env, with_framework(next_edition_data()))
    error = refused(ready_env, who, pack)
    assert isinstance(error, EditionConfirmationNeededError)


def test_moving_someone_elses_case_is_refused_with_nothing_written(ready_env: Env) -> None:
    env = ready_env
    qa = env.ws("qa")
    new = qa.store_framework(next_edition_bytes())
    env.close()
    before = digests(env.folder("qa"))
    with pytest.raises(NotOwnerError) as e:
        env.ws("qa").move_case(env.team.cases_of("a1")[0], new)
    assert_one_line(e.value)
    assert "belongs to Robin Quillfeather" in str(e.value)
    env.close()
    assert digests(env.folder("qa")) == before


def test_a_complete_case_the_lead_chose_moves_at_its_assessor(answered_env: Env) -> None:
    env = answered_env
    iid, (_r101, r102) = env.team.iid, env.team.cases_of("a1")
    env.ws("a1").set_status(r102, "complete")
    export_assessments(env.ws("a1"), iid, env.bundle("a1-2.hmipb"))
    service.import_file(env.ws("lead"), env.bundle("a1-2.hmipb"))
    adopt_edition(env.ws("lead"), iid, EditionSource(next_edition_bytes(), "file",
                                                     "nps-2020-21.json"),
                  move_complete=["RT-102"])
    packs.make_pack(env.ws("lead"), iid, env.team.member_ids["a1"], env.bundle("n.hmippack"))
    with pytest.raises(EditionConfirmationNeededError) as e:
        service.import_file(env.ws("a1"), env.bundle("n.hmippack"))
    assert {p.case_ref: p.moves for p in e.value.preview} == {"RT-101": True, "RT-102": True}
    service.import_file(env.ws("a1"), env.bundle("n.hmippack"), confirm_edition=True)
    a = env.ws("a1").read_assessment(r102)
    assert a.framework.edition == "2020-21" and a.status == "in_progress"

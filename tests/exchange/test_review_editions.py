"""Cases given for review travel with their edition, and the edition's file when the partner
inspector may not hold it; the partner reads each case by its own edition."""

from __future__ import annotations

import pytest

from hmip_desktop.exchange import service
from hmip_desktop.exchange.payload import PayloadError
from hmip_desktop.exchange.review_bundles import export_review
from hmip_desktop.team import review
from hmip_desktop.team.roles import grant_role
from tests.case_edition_helpers import next_edition, put_on_edition, shipped
from tests.exchange.conftest import Env, assert_one_line, digests

PARTNER = "a2"
SECOND = next_edition(shipped(), "2020.1", add_prompt=True)
THIRD = next_edition(SECOND, "2021.1", reword=False)


def _lead_gives(env: Env) -> tuple[str, str]:
    """The lead, on the third edition, holds RT-101 on the second and RT-102 on the third,
    and gives both to the partner inspector; the hashes of the second and third."""
    lead, team = env.ws("lead"), env.team
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    put_on_edition(lead, team.iid, SECOND, staying=[])
    second = lead.inspection_framework(team.iid).hash
    put_on_edition(lead, team.iid, THIRD, staying=[team.case_ids["RT-101"]])
    third = lead.inspection_framework(team.iid).hash
    grant_role(lead, team.iid, team.member_ids[PARTNER], "partner")
    review.give_for_review(lead, team.iid, team.member_ids[PARTNER], team.cases_of("a1"))
    export_review(lead, team.iid, team.member_ids[PARTNER], env.bundle("review.hmipb"))
    return second, third


def test_the_partner_reads_each_case_by_its_edition_brought_along(answered_env: Env) -> None:
    env, team = answered_env, answered_env.team
    second, third = _lead_gives(env)
    partner = env.ws(PARTNER)
    put_on_edition(partner, team.iid, THIRD, staying=[])  # holds the first and third only
    service.import_file(partner, env.bundle("review.hmipb"))
    copies = {c.case_ref: c for c in review.review_copies(partner, team.iid)}
    assert (copies["RT-101"].framework_hash, copies["RT-102"].framework_hash) == (second, third)
    assert partner.framework(second).edition == "2020.1"  # kept from the bundle
    comment = review.add_comment(partner, team.iid, team.case_ids["RT-101"],
                                 "The family's view is missing.", "2.1.1")
    assert comment.kq_id == "2.1.1"


def test_a_case_on_an_edition_the_partner_cannot_place_is_refused_whole(
        answered_env: Env) -> None:
    env = answered_env
    _lead_gives(env)  # the partner's inspection is still on the first edition
    env.close(PARTNER)
    before = digests(env.folder(PARTNER))
    with pytest.raises(PayloadError, match="case RT-101 is on an edition") as refused:
        service.import_file(env.ws(PARTNER), env.bundle("review.hmipb"))
    assert_one_line(refused.value)
    env.close(PARTNER)
    assert digests(env.folder(PARTNER)) == before

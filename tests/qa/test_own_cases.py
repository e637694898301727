"""A QA partner who also assesses cases of their own neither queries, signs off nor closes the
queries on those cases (docs/data-model.md: raising and closing "never on the QA partner's own
cases"): someone else checks their work."""

from __future__ import annotations

import pytest

from hmip_desktop.qa.queries import QueryError, close_query, list_queries, raise_query
from hmip_desktop.store.workspace import new_id, now
from tests.exchange.conftest import NAMES, Env


def test_a_query_on_the_qa_partners_own_case_cannot_be_closed_by_them(
        answered_env: Env) -> None:
    qa = answered_env.ws("qa")
    (own,) = answered_env.team.cases_of("qa")
    with pytest.raises(QueryError, match="is your own"):
        raise_query(qa, own, "case", "Is the interview recorded?")
    # A query raised on the case by whoever checks the QA partner's own work, as it arrives.
    qid = new_id()
    qa._conn.execute(
        "INSERT INTO queries (id, case_id, item, text, raised_by, raised_at)"
        " VALUES (?,?,?,?,?,?)", (qid, own, "case", "Is the interview recorded?",
                                  NAMES["lead"], now()))
    audit_rows = qa._conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    with pytest.raises(QueryError, match="is your own") as e:
        close_query(qa, qid)
    assert "\n" not in str(e.value)
    [q] = list_queries(qa, own)
    assert q.is_open
    assert qa._conn.execute("SELECT count(*) FROM audit").fetchone()[0] == audit_rows

"""Text that cannot be stored as UTF-8 (a lone surrogate, which is what invalid bytes in a
command-line argument decode to) is refused in one line, with nothing written."""

from __future__ import annotations

import pytest

from hmip_desktop.qa.queries import QueryError, list_queries, raise_query, reply_to_query
from hmip_desktop.store.workspace import Workspace
from tests.qa.conftest import QaCases

BAD = "Why \udcff yes?"


def _audit(ws: Workspace) -> int:
    return int(ws._conn.execute("SELECT count(*) FROM audit").fetchone()[0])


def test_a_query_or_reply_with_undecodable_text_is_refused(qa_ws: Workspace,
                                                          qa_cases: QaCases) -> None:
    before = _audit(qa_ws)
    with pytest.raises(QueryError, match="not valid text") as e:
        raise_query(qa_ws, qa_cases.clean, "case", BAD)
    assert "\n" not in str(e.value)
    assert list_queries(qa_ws, qa_cases.clean) == [] and _audit(qa_ws) == before
    q = raise_query(qa_ws, qa_cases.clean, "case", "Why yes?")
    before = _audit(qa_ws)
    with pytest.raises(QueryError, match="not valid text"):
        reply_to_query(qa_ws, q.id, BAD)
    [held] = list_queries(qa_ws, qa_cases.clean)
    assert held.replies == () and _audit(qa_ws) == before

"""The SELECTs a block of code sends, and their SQLite query plans, for tests that pin
which index a statement reads (EXPLAIN QUERY PLAN; call inside an app context).

    with select_statements() as seen:
        review_queue.next_claim_for(reviewer)
    plans = query_plans(seen)
    [place] = plans_of(seen, plans, "FROM verdict WHERE verdict.reviewer_id = ?")
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import sqlalchemy as sa

from annotator.extensions import db


@contextlib.contextmanager
def select_statements() -> Iterator[list[tuple[str, object]]]:
    """The SELECTs run inside the block, with their parameters."""
    seen: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, _context, executemany):
        if not executemany and statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", keep)


def query_plans(seen: list[tuple[str, object]]) -> list[str]:
    """Each statement's EXPLAIN QUERY PLAN, as one text per statement."""
    with db.engine.connect() as connection:
        return ["\n".join(row[-1] for row in connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", parameters)) for statement, parameters in seen]


def plans_of(seen: list[tuple[str, object]], plans: list[str], fragment: str) -> list[str]:
    """The plans of the statements whose text holds ``fragment`` (whitespace folded, so a
    fragment may span the statement's line breaks); with the statements to fail with
    when none does."""
    found = [plan for (statement, _), plan in zip(seen, plans, strict=True)
             if fragment in " ".join(statement.split())]
    assert found, (fragment, [" ".join(statement.split()) for statement, _ in seen])
    return found


def next_claim_with_plans(app, reviewer_id: int) -> tuple[int | None, list, list[str]]:
    """The id of the reviewer's next claim in their queue, with the SELECTs that found it
    and their plans."""
    from annotator.models import User
    from annotator.services import review_queue

    with app.test_request_context(), select_statements() as seen:
        found = review_queue.next_claim_for(db.session.get(User, reviewer_id))
        return (None if found is None else found.id), seen, query_plans(seen)

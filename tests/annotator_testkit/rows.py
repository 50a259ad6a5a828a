"""Reading the test database back (every table's rows, audit events, verdicts, revisions),
and the one direct write some tests need (deactivating an account)."""

from __future__ import annotations

import sqlalchemy as sa

from annotator.extensions import db
from annotator.models import AuditEvent, User, Verdict, VerdictRevision

# Bookkeeping that a refused request is meant to write: the count of refused password
# attempts (the login limits).
NOT_DATA = frozenset({"login_attempt_count"})


# Columns computed from the rest of the data (the claims' desk ranks, see
# services/desk_ranks), and the queue's epoch, a token a restore renews on purpose, with
# the log of its changes (services/queue_frontier), and the Progress page's tallies,
# whose team figures land in any of their rows (services/progress_tallies):
# ``snapshot(app, derived=False)`` leaves them out.
DERIVED = {"claim": frozenset({"desk_rank"}), "site_state": frozenset({"value"})}
DERIVED_TABLES = frozenset({"queue_change", "team_tally", "reviewer_tally"})


def snapshot(app, derived: bool = True) -> dict[str, list[tuple]]:
    """Every row of every data table, in primary-key order: equal before and after a
    request shows that the request wrote nothing. ``derived=False`` compares only the
    data itself (what archiving an article must keep exactly as it was)."""
    with app.app_context(), db.engine.connect() as connection:
        state = {}
        for table in db.metadata.sorted_tables:
            if table.name in NOT_DATA or (not derived and table.name in DERIVED_TABLES):
                continue
            left_out = frozenset() if derived else DERIVED.get(table.name, frozenset())
            columns = [column for column in table.columns if column.name not in left_out]
            key = list(table.primary_key.columns) or list(table.columns)
            state[table.name] = [
                tuple(row) for row in connection.execute(sa.select(*columns).order_by(*key))
            ]
        return state


def count_rows(app, model) -> int:
    """How many rows ``model``'s table holds."""
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def audit_events(app, action: str | None = None) -> list[tuple]:
    """Audit events in order as (action, actor id, target type, target id, details),
    all of them or those of one ``action``."""
    with app.app_context():
        query = sa.select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return [(e.action, e.actor_id, e.target_type, e.target_id, e.details)
                for e in db.session.scalars(query)]


def new_audit_events(app, before: list[tuple]) -> list[tuple]:
    """The events written since ``before = audit_events(app)``."""
    return audit_events(app)[len(before):]


def verdict_id_of(app, claim_id, reviewer_id):
    """The id of a reviewer's verdict on a claim, or None."""
    with app.app_context():
        return db.session.scalar(
            sa.select(Verdict.id).where(Verdict.claim_id == claim_id,
                                        Verdict.reviewer_id == reviewer_id)
        )


def verdict_rows(app):
    """Every verdict as a row of its columns, in id order."""
    with app.app_context():
        return db.session.execute(
            sa.select(Verdict.id, Verdict.claim_id, Verdict.reviewer_id, Verdict.label,
                      Verdict.source_note, Verdict.source_url, Verdict.version,
                      Verdict.moderation_state, Verdict.moderated_by_id, Verdict.moderated_at,
                      Verdict.moderation_reason).order_by(Verdict.id)
        ).all()


def verdict_revisions(app, verdict_id=None):
    """(version, label, note, url) of every revision (of one verdict), oldest first."""
    with app.app_context():
        query = sa.select(VerdictRevision.version, VerdictRevision.label,
                          VerdictRevision.source_note, VerdictRevision.source_url)
        if verdict_id is not None:
            query = query.where(VerdictRevision.verdict_id == verdict_id)
        return [tuple(r) for r in db.session.execute(query.order_by(VerdictRevision.id))]


def the_verdict(app, claim_id=None) -> Verdict:
    """The one verdict there is (on ``claim_id`` when given), detached from its session."""
    with app.app_context():
        query = sa.select(Verdict)
        if claim_id is not None:
            query = query.where(Verdict.claim_id == claim_id)
        found = db.session.scalars(query).all()
        assert len(found) == 1, found
        db.session.expunge(found[0])
        return found[0]


def password_state(app, username: str) -> tuple[str, str]:
    """An account's password hash and session token: both change with its password."""
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        return user.password_hash, user.session_token


def set_active(app, user_id, active: bool) -> None:
    """Activate or deactivate an account directly."""
    with app.app_context():
        db.session.get(User, user_id).is_active = active
        db.session.commit()


def verdict_moderation(app, verdict_id) -> tuple:
    """(moderation state, version, moderated by, moderated at, reason) of a verdict."""
    with app.app_context():
        v = db.session.get(Verdict, verdict_id)
        return (v.moderation_state, v.version, v.moderated_by_id, v.moderated_at,
                v.moderation_reason)

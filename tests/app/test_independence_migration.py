"""The migration that adds independence marks verdicts saved before it: a first revision
is independent when its author was a reviewer (blind review) or when it predates every
other verdict on the claim; later revisions and an admin's late first one are not."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from annotator.database import attach_migrations
from annotator.extensions import db

BEFORE = "6d1f4a8c2e90"


def _insert(table: str, **values) -> None:
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    db.session.execute(sa.text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), values)


def _account(id_, name, role):
    _insert("account", id=id_, username=name, username_key=name, password_hash="x", role=role,
            is_active=True, session_token=f"t{id_}", created_at="2026-01-01 00:00:00")


def _verdict(id_, claim, reviewer, times):
    _insert("verdict", id=id_, claim_id=claim, reviewer_id=reviewer, label="supported",
            source_note="n", moderation_state="pending", version=len(times),
            needs_recheck=False, created_at=times[0], updated_at=times[-1])
    for version, at in enumerate(times, start=1):
        _insert("verdict_revision", verdict_id=id_, version=version, label="supported",
                source_note="n", created_at=at, moderation_state="pending")


@pytest.mark.backend("sqlite")
def test_earlier_verdicts_are_marked_by_what_their_authors_could_see(make_app, app,
                                                                      new_database):
    migrations = str(app.root_path) + "/migrations"
    old = make_app(SQLALCHEMY_DATABASE_URI=new_database(empty=True, name="old.sqlite"),
                   AUTO_MIGRATE=False)
    attach_migrations(old)
    with old.app_context():
        upgrade(directory=migrations, revision=BEFORE)
        _account(1, "ann", "reviewer")
        _account(2, "ben", "reviewer")
        _account(3, "eve", "admin")
        _insert("article", id=1, title="t", source="s", body="One. Two.", checksum="c",
                meta="{}", created_at="2026-01-01 00:00:00", boundary_version=1)
        for claim, (start, end) in enumerate([(0, 4), (5, 9)], start=1):
            _insert("claim", id=claim, article_id=1, position=claim, start_offset=start,
                    end_offset=end, text="One."[:end - start], status="open")
        _verdict(1, 1, 1, ["2026-01-02 10:00:00", "2026-01-03 10:00:00"])  # ann, revised
        _verdict(2, 1, 2, ["2026-01-02 11:00:00"])  # ben, after ann: still blind
        _verdict(3, 1, 3, ["2026-01-02 12:00:00"])  # eve (admin) saw the others
        _verdict(4, 2, 3, ["2026-01-02 09:00:00"])  # eve alone on claim 2, first
        _verdict(5, 2, 1, ["2026-01-02 13:00:00"])  # ann after eve: blind (reviewer)
        db.session.commit()
        upgrade(directory=migrations)
        marked = dict(db.session.execute(sa.text(
            "SELECT id, independent_version FROM verdict ORDER BY id")).all())
        revisions = db.session.execute(sa.text(
            "SELECT verdict_id, version, independent FROM verdict_revision "
            "ORDER BY verdict_id, version")).all()
    assert marked == {1: 1, 2: 1, 3: None, 4: 1, 5: 1}
    assert [tuple(r) for r in revisions] == [
        (1, 1, 1), (1, 2, 0), (2, 1, 1), (3, 1, 0), (4, 1, 1), (5, 1, 1)]

"""Writers of one SQLite database queue for their turn (``transactions.begin_writing``):
the next one goes in once the one before has committed or rolled back, and sees what it
wrote."""

from __future__ import annotations

import fcntl
import threading

import pytest
import sqlalchemy as sa

from annotator.extensions import db
from annotator.models import Setting
from annotator.services.transactions import WRITERS_LOCK_SUFFIX, begin_writing

pytestmark = pytest.mark.backend("sqlite")  # PostgreSQL locks rows, not the database


def _writer_in_a_thread(app, entered: threading.Event, done: list):
    """Begin writing in another thread; note what it finds once it is in."""
    def run():
        with app.app_context():
            begin_writing()
            entered.set()
            done.append(db.session.scalar(sa.select(sa.func.count()).select_from(Setting)))
            db.session.rollback()
    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.parametrize("ending", ["commit", "rollback"])
def test_the_next_writer_waits_until_the_transaction_before_it_ends(app, ending):
    entered, seen = threading.Event(), []
    with app.app_context():
        begin_writing()
        db.session.add(Setting(key="probe", value="1"))
        db.session.flush()
        second = _writer_in_a_thread(app, entered, seen)
        assert not entered.wait(0.5), "a second writer got in while the first was writing"
        getattr(db.session, ending)()
    second.join(10)
    assert entered.is_set() and not second.is_alive()
    assert seen == ([1] if ending == "commit" else [0])


def _locked_by_someone_else(path: str) -> bool:
    with open(path, "rb") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False


def test_the_turn_is_a_lock_on_a_file_beside_the_database_held_until_the_end(app):
    with app.app_context():
        path = db.engine.url.database + WRITERS_LOCK_SUFFIX
        begin_writing()
        assert _locked_by_someone_else(path)
        db.session.commit()
        assert not _locked_by_someone_else(path)
        begin_writing()
        db.session.close()  # a request that ends without committing
        assert not _locked_by_someone_else(path)


def test_writing_twice_in_one_transaction_does_not_wait_for_itself(app):
    with app.app_context():
        begin_writing()
        begin_writing()
        db.session.add(Setting(key="twice", value="1"))
        db.session.commit()
        begin_writing()  # a new transaction takes its turn again
        db.session.rollback()

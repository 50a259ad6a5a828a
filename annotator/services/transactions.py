"""Write transactions that take their lock before the reads their change depends on.

A change that first checks the data (is this claim still live?) and then writes must not
let another writer slip in between. On PostgreSQL the rows read are locked
(``SELECT ... FOR SHARE`` / ``FOR UPDATE``, in the services). SQLite has no row locks,
and Python's driver starts a transaction only at the first write, so the checks would
run outside it; ``begin_writing`` starts it as a writer (``BEGIN IMMEDIATE``) first, so
the checks and the writes see one state, and a second writer waits (the busy timeout)
instead of interleaving.
"""

from __future__ import annotations

from annotator.extensions import db


def begin_writing() -> None:
    """Take the write lock now (SQLite), unless this transaction already holds it."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver_connection = connection.connection.driver_connection
    if not driver_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def commit_keeping_loaded() -> None:
    """Commit, keeping the loaded objects' values instead of expiring them.

    After a save, the request still reads the objects it loaded (the claim's place, the
    reviewer's id) to find the next claim; their values are the ones this transaction
    just committed, so reading them all again from the database would buy nothing.
    """
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True

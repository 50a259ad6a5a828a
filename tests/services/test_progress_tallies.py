"""The Progress page's running tallies: every change the services make moves them exactly as
a count from scratch moves; archiving and restoring an article count too; a start with
another REVIEWS_PER_CLAIM counts again; the page reads them, not every claim and verdict;
a rolled-back change counts nothing; a recount waits for a save in progress and counts it.

(Beside these, every test's database is checked against a count from scratch when the
test ends: ``annotator_testkit.apps.assert_derived_data_current``.)"""

from __future__ import annotations

import re
import threading

import sqlalchemy as sa
from annotator_testkit.query_plans import select_statements
from annotator_testkit.team import decide, judge

from annotator.extensions import db
from annotator.models import Article, Claim, TeamTally, User
from annotator.services import archive, moderation, progress, progress_tallies, verdicts


def _tallies(app) -> dict:
    """The stored tallies, after checking they were computed for the app's setting and
    agree with a count from scratch."""
    with app.app_context():
        assert progress_tallies.tallied_for() == app.config["REVIEWS_PER_CLAIM"]
        stored = progress_tallies.stored()
        assert stored == progress_tallies.from_scratch()
        db.session.remove()
    return stored


def _team(app) -> tuple[int, int, int, int]:
    figures = _tallies(app)
    return tuple(figures.get((None, name), 0) for name in progress_tallies.TEAM_FIGURES)


def _reviewer(app, reviewer_id) -> tuple[int, ...]:
    figures = _tallies(app)
    return tuple(figures.get((reviewer_id, name), 0)
                 for name in progress_tallies.REVIEWER_FIGURES)


def test_saves_moderation_and_decisions_move_the_tallies(
        app, claims, reviewer_id, reviewer2_id, admin_id):
    # claims, verdicts still needed, decided, to re-check (2 reviews per claim)
    assert _team(app) == (3, 6, 0, 0)
    verdict = judge(app, claims[0], reviewer_id, "supported")
    assert _team(app) == (3, 5, 0, 0)
    # verdicts, approved, rejected, pending, on decided claims, agreeing
    assert _reviewer(app, reviewer_id) == (1, 0, 0, 1, 0, 0)
    judge(app, claims[0], reviewer2_id, "disputed")
    judge(app, claims[0], reviewer2_id, "supported")  # a revision is not a second verdict
    assert _team(app) == (3, 4, 0, 0)
    with app.app_context():
        moderation.approve(db.session.merge(verdict), db.session.get(User, admin_id),
                           verdict.version)
        db.session.commit()
    assert _reviewer(app, reviewer_id) == (1, 1, 0, 0, 0, 0)
    decide(app, claims[0], admin_id, "disputed")
    assert _team(app) == (3, 4, 1, 0)
    assert _reviewer(app, reviewer_id) == (1, 1, 0, 0, 1, 0)
    decide(app, claims[0], admin_id, "supported")  # a changed decision: now they agree
    assert _reviewer(app, reviewer_id) == (1, 1, 0, 0, 1, 1)
    assert _reviewer(app, reviewer2_id) == (1, 0, 0, 1, 1, 1)


def test_hiding_a_claim_takes_it_and_its_verdicts_out(app, claims, reviewer_id, admin_id):
    judge(app, claims[1], reviewer_id, "unclear")
    with app.app_context():
        moderation.set_hidden(db.session.get(Claim, claims[1]), True,
                              db.session.get(User, admin_id))
        db.session.commit()
    assert _team(app) == (2, 4, 0, 0)
    assert _reviewer(app, reviewer_id) == (0,) * 6
    with app.app_context():
        moderation.set_hidden(db.session.get(Claim, claims[1]), False,
                              db.session.get(User, admin_id))
        db.session.commit()
    assert _team(app) == (3, 5, 0, 0)
    assert _reviewer(app, reviewer_id) == (1, 0, 0, 1, 0, 0)


def test_archiving_and_restoring_an_article_count(app, article, claims, reviewer_id, admin_id):
    judge(app, claims[0], reviewer_id)
    decide(app, claims[2], admin_id)
    before = _tallies(app)
    for change in (archive.archive, archive.restore):
        with app.app_context():
            change(db.session.get(Article, article), db.session.get(User, admin_id))
            db.session.commit()
        if change is archive.archive:
            assert _tallies(app) == {}  # nothing left to count
    assert _tallies(app) == before


def test_a_rolled_back_save_counts_nothing(app, claims, reviewer_id):
    before = _tallies(app)
    with app.app_context():
        verdicts.save_verdict(db.session.get(Claim, claims[0]), db.session.get(User, reviewer_id),
                              label="supported", source_note="Checked.", source_url=None,
                              expected_version=None)
        db.session.rollback()
        db.session.commit()  # an empty commit after the rollback adds nothing either
    assert _tallies(app) == before


def test_the_page_reads_the_tallies_not_every_claim(app, claims, reviewer_id, admin_id):
    judge(app, claims[0], reviewer_id)
    with app.app_context():
        # Only a page of articles is read row by row: with none on the page, no statement
        # reads a claim or a verdict.
        with select_statements() as seen:
            page = progress.progress_page(db.session.get(User, admin_id), after=(0,),
                                          before=None, size=10)
        assert page.articles == []
        assert page.totals.claims == 3
        reads = [statement for statement, _ in seen
                 if re.search(r"\b(FROM|JOIN)\s+(claim|verdict)\b", statement, re.IGNORECASE)]
        assert not reads, reads
        # What the page shows is what the tallies hold.
        first = db.session.scalar(sa.select(sa.func.min(TeamTally.shard)))
        db.session.execute(sa.update(TeamTally).where(TeamTally.shard == first)
                           .values(claims=TeamTally.claims + 100))
        page = progress.progress_page(db.session.get(User, admin_id), after=None,
                                      before=None, size=10)
        assert page.totals.claims == 103
        db.session.rollback()


def test_a_start_with_another_setting_counts_again(app, make_app, claims, reviewer_id):
    judge(app, claims[0], reviewer_id)
    assert _team(app)[1] == 5
    three = make_app(REVIEWS_PER_CLAIM=3)
    with three.app_context():
        assert progress_tallies.tallied_for() == 3
        page = progress.progress_page(db.session.get(User, reviewer_id), after=None,
                                      before=None, size=10)
        assert page.totals.verdicts_needed == 8
    # The first app, still at 2, adds its figures up itself rather than trust them.
    with app.app_context():
        assert progress_tallies.recount_pending()
        page = progress.progress_page(db.session.get(User, reviewer_id), after=None,
                                      before=None, size=10)
        assert page.totals.verdicts_needed == 5
        db.session.remove()
    app.config["REVIEWS_PER_CLAIM"] = 3  # for the check when the test ends


def test_a_recount_waits_for_a_save_in_progress_and_counts_it(
        app, make_app, claims, reviewer_id, reviewer2_id, monkeypatch):
    """Another server's save has added its change to the tallies but not committed while
    this start counts every claim: the count waits for the commit and the verdict is
    counted once."""
    judge(app, claims[0], reviewer_id)
    serving = make_app()
    written, commit_now = threading.Event(), threading.Event()
    write = progress_tallies._write

    def write_and_hold(connection, changes):
        write(connection, changes)
        if threading.current_thread() is saving:
            written.set()
            commit_now.wait(10)

    monkeypatch.setattr(progress_tallies, "_write", write_and_hold)

    def save():
        with serving.app_context():
            verdicts.save_verdict(db.session.get(Claim, claims[0]),
                                  db.session.get(User, reviewer2_id), label="supported",
                                  source_note="Checked.", source_url=None,
                                  expected_version=None)
            db.session.commit()

    saving = threading.Thread(target=save)
    saving.start()
    assert written.wait(10)
    threading.Timer(1.0, commit_now.set).start()
    with app.app_context():
        progress_tallies.recount()
        db.session.commit()
        assert commit_now.is_set()  # the recount could not go on before the save committed
    saving.join(10)
    assert _team(app) == (3, 4, 0, 0)
    assert _reviewer(app, reviewer2_id) == (1, 0, 0, 1, 0, 0)


def test_a_savepoint_rolled_back_takes_its_changes_with_it(app, claims, reviewer_id,
                                                           reviewer2_id):
    with app.app_context():
        def save(claim_id, reviewer):
            verdicts.save_verdict(db.session.get(Claim, claim_id), db.session.get(User, reviewer),
                                  label="supported", source_note="Checked.", source_url=None,
                                  expected_version=None)

        save(claims[0], reviewer_id)
        kept = db.session.begin_nested()
        save(claims[1], reviewer_id)
        kept.commit()
        dropped = db.session.begin_nested()
        save(claims[2], reviewer2_id)
        dropped.rollback()
        db.session.commit()
    assert _team(app) == (3, 4, 0, 0)
    assert _reviewer(app, reviewer_id) == (2, 0, 0, 2, 0, 0)
    assert _reviewer(app, reviewer2_id) == (0,) * 6


def test_a_server_with_another_setting_marks_the_tallies_to_count_again(
        app, make_app, claims, reviewer_id):
    """A save by a process whose REVIEWS_PER_CLAIM is not the one the tallies were counted
    for cannot add its "verdicts still needed" to them: they are marked to be counted
    again, and every page adds the figures up itself until then."""
    other = make_app(REVIEWS_PER_CLAIM=3)  # counts them for 3 at its start
    judge(app, claims[0], reviewer_id)  # a save by the server still at 2
    with app.app_context():
        assert progress_tallies.tallied_for() is None
        page = progress.progress_page(db.session.get(User, reviewer_id), after=None,
                                      before=None, size=10)
        assert page.totals.verdicts_needed == 5
    with other.app_context():
        page = progress.progress_page(db.session.get(User, reviewer_id), after=None,
                                      before=None, size=10)
        assert page.totals.verdicts_needed == 8
    again = make_app()  # the next start counts them again
    with again.app_context():
        assert progress_tallies.tallied_for() == 2
    _tallies(app)

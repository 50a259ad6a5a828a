"""A reviewer's save racing an admin's merge of the same claim, on SQLite and PostgreSQL:
the verdict always ends on a live claim, or the save is refused with the typed note kept.

Each round lets one side reach its critical point, holds it there a moment, and sends
the other side in: the save after it has checked that the claim is live, or the merge
after it has read the verdicts it moves. Without the locks that order them, the verdict
stayed on the retired claim (out of the queue, the moderation list and the CSV) while
the reviewer was told it was saved.
"""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from annotator_testkit.confirm import confirmed
from annotator_testkit.web import save

from annotator.extensions import db
from annotator.models import Claim, Verdict
from annotator.services import boundaries, verdicts

ROUNDS = 6
HOLD_SECONDS = 0.3


def two_claim_article(make_article, claim_ids, round_number: int) -> list[int]:
    text = (f"Round {round_number}: the river rose by 2 m on Monday. "
            f"Officials said the dam held in round {round_number}.\n")
    return claim_ids(make_article(text, f"race{round_number}.txt"))


def hold_after(module, name: str, reached: threading.Event, monkeypatch) -> None:
    """Make ``module.name`` signal ``reached`` and pause once it has run."""
    original = getattr(module, name)

    def held(*args, **kwargs):
        result = original(*args, **kwargs)
        reached.set()
        time.sleep(HOLD_SECONDS)
        return result

    monkeypatch.setattr(module, name, held)


def run_race(first, second, reached: threading.Event) -> list:
    """Run ``first`` in a thread; once it reaches its point, run ``second`` beside it."""
    results: list = [None, None]

    def run_first():
        results[0] = first()

    thread = threading.Thread(target=run_first)
    thread.start()
    assert reached.wait(20), "the first request never reached its critical point"
    results[1] = second()
    thread.join(30)
    assert not thread.is_alive()
    return results


def verdicts_on_retired_claims(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(
            sa.select(Verdict.id).join(Claim, Verdict.claim_id == Claim.id)
            .where(Claim.retired_at.is_not(None))))


def saved_note_of(app, note: str) -> int | None:
    with app.app_context():
        return db.session.scalar(sa.select(Verdict.claim_id).where(Verdict.source_note == note))


@pytest.fixture(params=range(ROUNDS))
def round_number(request) -> int:
    """Each race runs ROUNDS times, on an article of its own."""
    return request.param


@pytest.fixture
def save_and_merge(make_article, claim_ids, reviewer_client, admin_client, monkeypatch):
    """Race a reviewer's save of ``note`` on the second claim of a fresh two-claim article
    against an admin's merge of the first: ``held`` (module, name) is the critical point
    where the side sent first waits for the other. Returns (first claim, save, merge)."""
    def race(round_number: int, note: str, held: tuple, *, save_first: bool):
        first, second = two_claim_article(make_article, claim_ids, round_number)
        reached = threading.Event()
        hold_after(*held, reached, monkeypatch)

        def saving():
            return save(reviewer_client, second, note=note)

        def merging():
            return admin_client.post(f"/admin/claims/{first}/merge",
                                     data=confirmed({"version": "1"}))

        if save_first:
            saved, merged = run_race(saving, merging, reached)
        else:
            merged, saved = run_race(merging, saving, reached)
        return first, saved, merged

    return race


def test_a_save_checked_before_the_merge_is_moved_with_the_claim(app, save_and_merge,
                                                                 round_number):
    note = f"Checked the gauge, round {round_number}."
    first, saved, merged = save_and_merge(
        round_number, note, (verdicts, "_lock_open_claim"), save_first=True)
    assert saved.status_code == 302 and merged.status_code == 302
    assert verdicts_on_retired_claims(app) == []
    assert saved_note_of(app, note) == first  # moved onto the merged claim


def test_a_save_arriving_during_the_merge_is_refused_with_its_note_kept(app, save_and_merge,
                                                                       round_number):
    note = f"Checked the dam, round {round_number}."
    first, saved, merged = save_and_merge(
        round_number, note, (boundaries, "_verdicts_on"), save_first=False)
    assert merged.status_code == 302
    assert verdicts_on_retired_claims(app) == []
    if saved.status_code == 302:  # it got in first after all: then it moved with its claim
        assert saved_note_of(app, note) == first
    else:
        html = saved.get_data(as_text=True)
        assert saved.status_code == 422 and "no longer exists" in html
        assert note in html  # the typed note is still in the form
        assert saved_note_of(app, note) is None

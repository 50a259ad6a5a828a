"""Fixing claim boundaries: split a claim, merge it with the next one, re-split an article.

The rules every operation keeps, whatever the database:

* a claim's offsets are the truth: ``claim.text == article.body[claim.start:claim.end]``;
* the live claims of an article (not retired) sit at positions 1..n in reading order;
  retired claims are parked at position ``-id`` (see ``Claim``), so renumbering never
  collides on the UNIQUE(article_id, position) constraint, which PostgreSQL checks row
  by row: every claim that moves first goes to its own ``-id``, then to its new place;
* no verdict and no revision is ever deleted: a verdict stays on its claim, moves to the
  claim that took over its text, or stays on the retired claim when its reviewer already
  has a verdict where it would go; every verdict whose claim changed is marked for
  re-check (which also makes a form loaded before the change stale);
* a span that comes back (a split undoing a merge, a re-split) revives the retired claim
  that had exactly that span, with its verdicts, instead of creating a new claim;
* every change bumps the article's boundary version, checked against the version the
  admin's form was loaded with, in the same UPDATE (so of two admins editing the same
  article at once, the second is refused, never interleaved), and writes one audit event.

The version is checked first, so a stale form is reported as stale (409) even when the
change it asks for has become impossible too. The caller commits; on any error it rolls
back and nothing is changed.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from annotator.extensions import db
from annotator.models import Article, Claim, User, Verdict
from annotator.services import audit, final_verdicts, queue_frontier
from annotator.services.claim_hints import live_claims, refresh_hints
from annotator.services.errors import DomainError
from annotator.services.transactions import begin_writing
from annotator.text.timestamps import utcnow

if TYPE_CHECKING:  # the splitter is imported where it is used: building it costs each start
    from annotator.text.splitting import ClaimSpan


class BoundaryError(DomainError):
    """The boundary change cannot be made; the message is fit to show the admin."""


class StaleBoundaries(BoundaryError):
    """Someone changed the article's claims since the admin's form was loaded."""


_STALE = ("The claims of this article were changed since you loaded the page (by another "
          "admin, or in another tab). Nothing was changed: look at the claims as they are "
          "now and try again.")


def check_current(article: Article, expected_version: int) -> None:
    """Refuse a form loaded before the article's last boundary change, before an admin is
    asked to confirm it (the change itself checks again, under its lock)."""
    if article.boundary_version != expected_version:
        raise StaleBoundaries(_STALE)


def retired_claims(article: Article) -> list[Claim]:
    """The article's retired claims, most recently retired first."""
    return list(db.session.scalars(
        sa.select(Claim)
        .where(Claim.article_id == article.id, Claim.retired_at.is_not(None))
        .order_by(Claim.retired_at.desc(), Claim.id.desc())
    ))


def _begin(article: Article, expected_version: int | None) -> None:
    """Check and bump the article's boundary version in one UPDATE, or raise; then lock
    the article's live claims.

    The UPDATE also locks the article's row on PostgreSQL until the commit, so two
    boundary changes of one article run one after the other. Locking the claims before
    their verdicts are read makes a reviewer's save that holds a claim (FOR NO KEY UPDATE) finish
    first, so its verdict is read and moved with the others, and makes a save that comes
    later wait and find the claim retired. On SQLite the write lock does all of this.
    """
    begin_writing()
    result = db.session.execute(
        sa.update(Article)
        .where(Article.id == article.id, Article.boundary_version == expected_version)
        .values(boundary_version=Article.boundary_version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise StaleBoundaries(_STALE)
    db.session.refresh(article, ["boundary_version"])
    db.session.execute(
        sa.select(Claim.id).where(Claim.article_id == article.id, Claim.retired_at.is_(None))
        .order_by(Claim.id).with_for_update()
    ).all()


def _span(claim: Claim) -> dict[str, Any]:
    return {"id": claim.id, "start": claim.start, "end": claim.end, "text": claim.text,
            "status": claim.status}


def _set_span(claim: Claim, body: str, start: int, end: int) -> None:
    claim.start, claim.end = start, end
    claim.text = body[start:end]


def _mark_recheck(verdicts: Iterable[Verdict]) -> list[int]:
    """Flag the verdicts for re-check; the version bump makes forms loaded earlier stale."""
    ids = []
    for verdict in verdicts:
        verdict.needs_recheck = True
        verdict.version += 1
        ids.append(verdict.id)
    return ids


def _verdicts_on(claim_ids: Sequence[int]) -> list[Verdict]:
    if not claim_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(Verdict).where(Verdict.claim_id.in_(claim_ids)).order_by(Verdict.id)
        )
    )


def _retire(claim: Claim) -> None:
    claim.retired_at = utcnow()
    claim.status = "hidden"


RetiredBySpan = dict[tuple[int, int], list[Claim]]


def _retired_by_span(article: Article) -> RetiredBySpan:
    """The article's retired claims by (start, end), most recently retired first."""
    found: RetiredBySpan = {}
    for claim in retired_claims(article):
        found.setdefault((claim.start, claim.end), []).append(claim)
    return found


def _revive_or_new(article: Article, start: int, end: int, status: str,
                   retired: RetiredBySpan) -> tuple[Claim, bool]:
    """The retired claim of the article with exactly this span, brought back, or a new
    claim (not yet added to the session). Returns the claim and whether it was revived."""
    candidates = retired.get((start, end))
    if candidates:
        found = candidates.pop(0)
        found.retired_at = None
        found.status = status
        return found, True
    claim = Claim(article_id=article.id, start=start, end=end, text=article.body[start:end],
                  status=status)
    return claim, False


def _renumber(ordered: list[Claim], retiring: Iterable[Claim] = ()) -> None:
    """Give the live claims positions 1..n in ``ordered`` order and park the retiring ones.

    Two statements whatever the article's length: every claim that moves goes to its own
    ``-id`` (free: no other claim can hold it), then to its new place (free: whoever held
    it has moved too). New claims (no id yet) are inserted last, at their final position.
    """
    db.session.flush()
    table = Claim.__table__
    targets = {id(claim): n for n, claim in enumerate(ordered, start=1)}
    parked = [c for c in retiring if c.position != -c.id]
    moving = [c for c in ordered if c.id is not None and c.position != targets[id(c)]]
    if parked or moving:
        queue_frontier.article_may_have_grown(db.session(), (parked + moving)[0].article_id)
        db.session.execute(
            table.update().where(table.c.id.in_([c.id for c in parked + moving]))
            .values(position=-table.c.id)
        )
    if moving:
        db.session.execute(
            table.update().where(table.c.id == sa.bindparam("claim_id"))
            .values(position=sa.bindparam("new_position")),
            [{"claim_id": c.id, "new_position": targets[id(c)]} for c in moving],
        )
    # The rows are written; tell the session, so it neither writes them again nor reads
    # old values.
    for claim in parked:
        set_committed_value(claim, "position", -claim.id)
    for claim in moving:
        set_committed_value(claim, "position", targets[id(claim)])
    for claim in ordered:
        if claim.id is None:
            claim.position = targets[id(claim)]
            db.session.add(claim)
    db.session.flush()


def _check_live(claim: Claim) -> None:
    if claim.is_retired:
        raise BoundaryError(
            "This claim was retired by an earlier boundary change; change the live claims "
            "of the article instead."
        )


def split_claim(claim: Claim, at: int, actor: User, expected_version: int | None) -> Claim:
    """Split the claim ``at`` characters into its text; return the new second part.

    Whitespace at the cut is left out of both parts. The first part keeps the claim's id
    and verdicts (marked for re-check); the second part is a new claim without verdicts,
    or the retired claim that had exactly its span (an undone merge) with its own.
    """
    article = claim.article
    _begin(article, expected_version)
    _check_live(claim)
    text = claim.text
    if not 0 < at < len(text):
        raise BoundaryError(
            f"Choose a point inside the claim (between 1 and {len(text) - 1} characters)."
        )
    left, right = text[:at].rstrip(), text[at:].lstrip()
    if not left or not right:
        raise BoundaryError("Both parts of a split must hold text; choose another point.")
    claims = live_claims(article)
    before = _span(claim)
    second_start = claim.start + len(text) - len(right)
    second_end = claim.end
    _set_span(claim, article.body, claim.start, claim.start + len(left))
    second, revived = _revive_or_new(article, second_start, second_end, claim.status,
                                     _retired_by_span(article))
    index = next(n for n, c in enumerate(claims) if c.id == claim.id)
    ordered = [*claims[: index + 1], second, *claims[index + 1:]]
    marked = _mark_recheck(_verdicts_on([claim.id]))
    _renumber(ordered)
    returned = _return_moved_verdicts([second]) if revived else []
    refresh_hints(article, ordered)
    audit.record(
        actor, "claim.split", claim, article_id=article.id, at=at, before=before,
        after=[_span(claim), _span(second)], new_claim_id=second.id,
        revived=revived, returned_verdicts=[v.id for v, _ in returned], recheck_verdicts=marked,
        recheck_final_verdicts=final_verdicts.mark_for_recheck([claim.id, second.id]),
    )
    db.session.flush()
    return second


def _return_moved_verdicts(revived: Sequence[Claim]) -> list[tuple[Verdict, int]]:
    """Verdicts that a merge or re-split moved away from a claim now revived go back to it,
    unless their reviewer has a verdict there already. Returns each verdict moved back with
    the claim it came from."""
    if not revived:
        return []
    by_id = {claim.id: claim for claim in revived}
    on_revived = {(v.claim_id, v.reviewer_id) for v in _verdicts_on(list(by_id))}
    returned = []
    for verdict in db.session.scalars(
        sa.select(Verdict).where(Verdict.moved_from_claim_id.in_(list(by_id)))
        .order_by(Verdict.id)
    ):
        home = verdict.moved_from_claim_id
        if verdict.claim_id == home or (home, verdict.reviewer_id) in on_revived:
            continue
        on_revived.add((home, verdict.reviewer_id))
        returned.append((verdict, verdict.claim_id))
        verdict.claim_id, verdict.moved_from_claim_id = home, None
    return returned


def merge_with_next(claim: Claim, actor: User, expected_version: int | None) -> Claim:
    """Merge the claim with the next live claim of its article; return the merged claim.

    The merged claim keeps the first id. The next claim's verdicts move onto it unless
    their reviewer already has a verdict there; those stay on the absorbed claim, which
    is retired. Refused across a paragraph break (a blank line); a single line break may
    be crossed, since a sentence wrapped in the source file is one claim.
    """
    article = claim.article
    _begin(article, expected_version)
    _check_live(claim)
    claims = live_claims(article)
    index = next(n for n, c in enumerate(claims) if c.id == claim.id)
    if index + 1 >= len(claims):
        raise BoundaryError("This is the last claim of the article; there is none to merge.")
    following = claims[index + 1]
    from annotator.text.splitting import holds_paragraph_break

    if holds_paragraph_break(article.body[claim.end:following.start]):
        raise BoundaryError(
            "The next claim starts a new paragraph; a claim never crosses a paragraph break."
        )
    before = [_span(claim), _span(following)]
    if following.status == "open":
        claim.status = "open"
    _set_span(claim, article.body, claim.start, following.end)
    mine = _verdicts_on([claim.id])
    judged_by = {v.reviewer_id for v in mine}
    moved, kept = [], []
    for verdict in _verdicts_on([following.id]):
        if verdict.reviewer_id in judged_by:
            kept.append(verdict.id)
        else:
            verdict.claim_id, verdict.moved_from_claim_id = claim.id, following.id
            moved.append(verdict)
    marked = _mark_recheck([*mine, *moved])
    _retire(following)
    ordered = [*claims[:index + 1], *claims[index + 2:]]
    _renumber(ordered, retiring=[following])
    refresh_hints(article, ordered)
    audit.record(
        actor, "claim.merge", claim, article_id=article.id, before=before, after=_span(claim),
        retired_claim_id=following.id, moved_verdicts=[v.id for v in moved],
        kept_on_retired=kept, recheck_verdicts=marked,
        recheck_final_verdicts=final_verdicts.mark_for_recheck([claim.id]),
    )
    db.session.flush()
    return claim


@dataclass
class ResplitReport:
    unchanged: int = 0
    created: list[int] = field(default_factory=list)
    revived: list[int] = field(default_factory=list)
    retired: list[int] = field(default_factory=list)
    moved: dict[int, list[int]] = field(default_factory=dict)  # verdict id -> [from, to]
    kept: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.unchanged} claims unchanged, {len(self.created) + len(self.revived)} new "
            f"or restored, {len(self.retired)} retired, {len(self.moved)} verdicts moved to "
            f"the claims that took over their text (marked for re-check)"
        )


def _overlap(a: Claim, b: Claim) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _overlapping(claims: list[Claim], ends: list[int], start: int, end: int) -> list[Claim]:
    """The claims overlapping [start, end); ``claims`` do not overlap each other and are in
    offset order, ``ends`` their end offsets. A bisection keeps a re-split of a long
    article from comparing every old claim with every new one."""
    found = []
    for claim in claims[bisect.bisect_right(ends, start):]:
        if claim.start >= end:
            break
        found.append(claim)
    return found


def resplit_article(article: Article, actor: User, expected_version: int | None) -> ResplitReport:
    """Split the article's body again with the current splitter.

    A claim whose text the splitter still produces keeps its id, status and verdicts
    (matched in reading order, first by span, then by text, so offsets may move). Claims
    it no longer produces are retired; each one's verdicts move to the new claim that
    overlaps it most, marked for re-check, unless their reviewer already has a verdict
    there. A new claim is hidden when the claims it replaces were all hidden.
    """
    _begin(article, expected_version)
    old = live_claims(article)
    from annotator.text.splitting import split_claims

    spans = split_claims(article.body)
    matched = _match_old_claims(old, spans)
    kept_ids = {c.id for c in matched.values()}
    gone = sorted((c for c in old if c.id not in kept_ids), key=lambda c: c.start)
    before = {"claims": len(old), "retired": [_span(c) for c in gone]}
    report = ResplitReport(unchanged=len(matched))
    ordered, fresh, revived_ids = _place_spans(article, spans, matched, gone)
    for claim in gone:
        _retire(claim)
    _renumber(ordered, retiring=gone)
    report.created = [c.id for c in fresh if c.id not in revived_ids]
    report.revived = sorted(revived_ids)
    report.retired = [c.id for c in gone]
    marked = _move_verdicts_of_retired(gone, fresh, revived_ids, report)
    refresh_hints(article, ordered)
    audit.record(
        actor, "article.resplit", article, before=before,
        after={"claims": len(ordered), "created": [_span(c) for c in fresh]},
        unchanged=report.unchanged, retired_claims=report.retired,
        revived_claims=report.revived, moved_verdicts=report.moved,
        kept_on_retired=report.kept, recheck_verdicts=marked,
        recheck_final_verdicts=final_verdicts.mark_for_recheck(c.id for c in fresh),
    )
    db.session.flush()
    return report


def _match_old_claims(old: list[Claim], spans: Sequence[ClaimSpan]) -> dict[int, Claim]:
    """Which old claim each new span keeps (by index into ``spans``): exactly the same
    span first, then the same text in reading order (the text moved in the body)."""
    matched: dict[int, Claim] = {}
    by_span = {(c.start, c.end): c for c in old}
    for n, span in enumerate(spans):
        if (span.start, span.end) in by_span:
            matched[n] = by_span.pop((span.start, span.end))
    kept_ids = {c.id for c in matched.values()}
    rest_old = [c for c in old if c.id not in kept_ids]
    rest_new = [n for n in range(len(spans)) if n not in matched]
    texts = difflib.SequenceMatcher(
        a=[c.text for c in rest_old], b=[spans[n].text for n in rest_new], autojunk=False
    )
    for block in texts.get_matching_blocks():
        for k in range(block.size):
            matched[rest_new[block.b + k]] = rest_old[block.a + k]
    return matched


def _place_spans(article: Article, spans: Sequence[ClaimSpan], matched: dict[int, Claim],
                 gone: list[Claim]) -> tuple[list[Claim], list[Claim], set[int]]:
    """The claims for the new spans in reading order: kept claims moved to their span,
    revived retired claims, or new ones. Returns them, the fresh (revived or new) ones,
    and the ids of the revived ones."""
    gone_ends = [c.end for c in gone]
    retired = _retired_by_span(article)
    ordered: list[Claim] = []
    fresh: list[Claim] = []
    revived_ids: set[int] = set()
    for n, span in enumerate(spans):
        if n in matched:
            claim = matched[n]
            _set_span(claim, article.body, span.start, span.end)
        else:
            replaced = _overlapping(gone, gone_ends, span.start, span.end)
            hidden = bool(replaced) and all(c.is_hidden for c in replaced)
            claim, revived = _revive_or_new(
                article, span.start, span.end, "hidden" if hidden else "open", retired
            )
            if revived:
                revived_ids.add(claim.id)
            fresh.append(claim)
        ordered.append(claim)
    return ordered, fresh, revived_ids


def _move_verdicts_of_retired(gone: list[Claim], fresh: list[Claim], revived_ids: set[int],
                              report: ResplitReport) -> list[int]:
    """Verdicts a merge or re-split took from a claim that comes back now go home first;
    the rest of the retired claims' verdicts go to the fresh claim that took over most of
    their text. Fills ``report`` and returns the ids of the verdicts marked for re-check."""
    returned = _return_moved_verdicts([c for c in fresh if c.id in revived_ids])
    verdicts = _verdicts_on([c.id for c in gone] + [c.id for c in fresh])
    judged = {(v.claim_id, v.reviewer_id) for v in verdicts}
    by_claim: dict[int, list[Verdict]] = {}
    for verdict in verdicts:
        by_claim.setdefault(verdict.claim_id, []).append(verdict)
    fresh_ends = [c.end for c in fresh]
    moved: list[Verdict] = []
    for claim in gone:
        candidates = _overlapping(fresh, fresh_ends, claim.start, claim.end)
        target = max(candidates, key=lambda f, c=claim: _overlap(c, f), default=None)
        for verdict in by_claim.get(claim.id, []):
            if target is None or (target.id, verdict.reviewer_id) in judged:
                report.kept.append(verdict.id)
                continue
            judged.add((target.id, verdict.reviewer_id))
            report.moved[verdict.id] = [claim.id, target.id]
            verdict.claim_id, verdict.moved_from_claim_id = target.id, claim.id
            moved.append(verdict)
    for verdict, came_from in returned:
        report.moved[verdict.id] = [came_from, verdict.claim_id]
    return _mark_recheck({v.id: v for v in [*moved, *(v for v, _ in returned)]}.values())

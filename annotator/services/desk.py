"""The decision desk: claims with their reviewers' verdicts side by side, disagreements
first, and what the desk needs to settle each one with a final verdict.

A claim is on the desk once it has a verdict or a decision (live claims only). Its state
is ``text.claim_states.claim_state``; the desk filters and sorts by the state's rank
stored on each claim (``desk_ranks``: the same rule in SQL, kept current on every
flush), so a page is read by key whatever the size of the archive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased, joinedload

from annotator.extensions import db
from annotator.models import (
    Article,
    Claim,
    FinalVerdict,
    FinalVerdictRevision,
    User,
    Verdict,
    VerdictRevision,
)
from annotator.services import final_verdicts
from annotator.services.archive import in_live_article
from annotator.services.keyset import KeysetPage, counted, keyset_page
from annotator.services.review_queue import with_hints
from annotator.text.claim_states import CLAIM_STATES, claim_state
from annotator.text.sizes import COUNT_SHOWN_MAX

# The key the desk is paged by: state (in CLAIM_STATES order: splits first), then the
# oldest article first, each in reading order.
DESK_CURSOR = (int, int, int)

# The desk counts each state's claims up to this many and then says "1,000+": an exact
# count reads every claim in the state, a million at 100,000 articles.
DESK_COUNT_SHOWN_MAX = COUNT_SHOWN_MAX


@dataclass(frozen=True)
class DeskFilters:
    """What the editor keeps on the desk; every field optional."""

    article_id: int | None = None
    reviewer_id: int | None = None
    state: str | None = None
    hints: tuple[str, ...] = ()


def _claims_on_desk(filters: DeskFilters) -> sa.Select:
    """The desk's claims with their stored rank (``desk_ranks``) as the second column.
    A claim has a rank only while it is live (open, not retired, in a live article)."""
    rank = Claim.desk_rank
    query = sa.select(Claim, rank.label("rank")).where(rank.is_not(None))
    if filters.article_id is not None:
        query = query.where(Claim.article_id == filters.article_id)
    if filters.reviewer_id is not None:
        query = query.where(sa.select(Verdict.id).where(
            Verdict.claim_id == Claim.id, Verdict.reviewer_id == filters.reviewer_id).exists())
    if filters.state in CLAIM_STATES:
        query = query.where(rank == CLAIM_STATES.index(filters.state))
    return with_hints(query, filters.hints)


def _counts(filters: DeskFilters) -> dict[str, int]:
    """Claims in each state under the filters but the state's, each counted up to
    ``DESK_COUNT_SHOWN_MAX + 1`` (more means "more than the maximum"), in one statement."""
    base = _claims_on_desk(DeskFilters(filters.article_id, filters.reviewer_id, None,
                                       filters.hints))
    bounded = [
        counted(base.with_only_columns(Claim.id).where(Claim.desk_rank == rank),
                DESK_COUNT_SHOWN_MAX).scalar_subquery()
        for rank in range(len(CLAIM_STATES))
    ]
    return dict(zip(CLAIM_STATES, db.session.execute(sa.select(*bounded)).one(), strict=True))


@dataclass
class DeskClaim:
    """One claim on the desk with everything its card shows."""

    claim: Claim
    state: str
    verdicts: list[Verdict] = field(default_factory=list)
    revisions: dict[int, list[VerdictRevision]] = field(default_factory=dict)
    final: FinalVerdict | None = None
    final_history: list[FinalVerdictRevision] = field(default_factory=list)
    before: str | None = None  # the sentence before the claim in its article
    after: str | None = None  # and the one after

    @property
    def unanimous_label(self) -> str | None:
        labels = {v.label for v in self.verdicts}
        return labels.pop() if len(labels) == 1 else None


@dataclass(frozen=True)
class DeskPage:
    page: KeysetPage
    claims: list[DeskClaim]
    counts: dict[str, int]  # claims in each state under the filters but the state's,
    # each up to DESK_COUNT_SHOWN_MAX + 1
    total_is_at_least: bool = False  # a count was stopped: the total is a lower bound


def desk_page(editor: User, filters: DeskFilters, *, after: tuple | None,
              before: tuple | None, size: int) -> DeskPage:
    """One page of the desk, a fixed number of queries whatever its size, each reading
    the stored ranks by key. The total is the sum of the counts per state, each bounded
    (``DESK_COUNT_SHOWN_MAX``); the page itself is exact."""
    counts = _counts(filters)
    shown = {state: min(count, DESK_COUNT_SHOWN_MAX) for state, count in counts.items()}
    counted = [filters.state] if filters.state in CLAIM_STATES else list(CLAIM_STATES)
    total = sum(shown[state] for state in counted)
    page = keyset_page(
        _claims_on_desk(filters), (Claim.desk_rank, Claim.article_id, Claim.position),
        lambda row: (row.rank, row.Claim.article_id, row.Claim.position),
        descending=False, after=after, before=before, size=size, whole_rows=True,
        options=(joinedload(Claim.article).load_only(Article.id, Article.title),),
        total=total,
    )
    claims = [DeskClaim(row.Claim, "") for row in page.items]
    _fill(claims)
    return DeskPage(page, claims, counts,
                    any(counts[state] > DESK_COUNT_SHOWN_MAX for state in counted))


def _fill(claims: Sequence[DeskClaim]) -> None:
    """Load the verdicts, histories, decisions and context of the page's claims."""
    by_id = {item.claim.id: item for item in claims}
    if not by_id:
        return
    for verdict in db.session.scalars(
        sa.select(Verdict).where(Verdict.claim_id.in_(by_id))
        .options(joinedload(Verdict.reviewer), joinedload(Verdict.moderated_by))
        .order_by(Verdict.claim_id, Verdict.created_at, Verdict.id)
    ):
        by_id[verdict.claim_id].verdicts.append(verdict)
    _fill_revisions(claims)
    finals = list(db.session.scalars(
        sa.select(FinalVerdict).where(FinalVerdict.claim_id.in_(by_id))
        .options(joinedload(FinalVerdict.decided_by))))
    history = final_verdicts.revisions_of(finals)
    for final in finals:
        by_id[final.claim_id].final = final
        by_id[final.claim_id].final_history = history.get(final.id, [])
    _fill_context(by_id)
    needed = current_app.config["REVIEWS_PER_CLAIM"]
    for item in claims:
        item.state = claim_state(
            [v.label for v in item.verdicts],
            sum(1 for v in item.verdicts if v.independent_version is not None), needed,
            item.final is not None, bool(item.final and item.final.needs_recheck))


def _fill_revisions(claims: Sequence[DeskClaim]) -> None:
    verdicts = {v.id: item for item in claims for v in item.verdicts}
    if not verdicts:
        return
    for revision in db.session.scalars(
        sa.select(VerdictRevision).where(VerdictRevision.verdict_id.in_(verdicts))
        .options(joinedload(VerdictRevision.moderated_by))
        .order_by(VerdictRevision.verdict_id, VerdictRevision.version.desc())
    ):
        verdicts[revision.verdict_id].revisions.setdefault(revision.verdict_id, []).append(
            revision)


def _fill_context(by_id: dict[int, DeskClaim]) -> None:
    """The live sentences right before and after each claim, in one query."""
    here = aliased(Claim)
    rows = db.session.execute(
        sa.select(here.id, Claim.position - here.position, Claim.text)
        .join(Claim, sa.and_(Claim.article_id == here.article_id,
                             Claim.position.in_([here.position - 1, here.position + 1]),
                             Claim.retired_at.is_(None)))
        .where(here.id.in_(by_id))
    )
    for claim_id, offset, text in rows:
        if offset < 0:
            by_id[claim_id].before = text
        else:
            by_id[claim_id].after = text


# The article filter offers at most this many articles (and the one chosen): a menu of
# every article on the desk would grow with the archive, 100,000 options at 100,000
# articles. Any article's desk is one click away from its claims' pages ("on the desk").
ARTICLE_CHOICES_MAX = 200


@dataclass(frozen=True)
class FilterChoices:
    articles: list[tuple[int, str]]
    reviewers: list[tuple[int, str]]


def filter_choices(chosen_article_id: int | None = None) -> FilterChoices:
    """The articles and reviewers the desk's filters offer: those with verdicts (archived
    articles are not on the desk), the articles in the desk's order (oldest first) up to
    ``ARTICLE_CHOICES_MAX``, and the chosen one wherever it is."""
    with_verdicts = sa.select(Verdict.claim_id).where(Verdict.claim_id == Claim.id).exists()
    on_desk = sa.select(Article.id, Article.title).where(
        Article.archived_at.is_(None),
        sa.select(Claim.id).where(Claim.article_id == Article.id, with_verdicts).exists())
    articles = db.session.execute(
        on_desk.order_by(Article.id).limit(ARTICLE_CHOICES_MAX)).all()
    if chosen_article_id is not None and all(a.id != chosen_article_id for a in articles):
        articles += db.session.execute(on_desk.where(Article.id == chosen_article_id)).all()
        articles.sort(key=lambda article: article.id)
    reviewers = db.session.execute(
        sa.select(User.id, User.username).where(
            sa.select(Verdict.id).where(Verdict.reviewer_id == User.id).exists())
        .order_by(User.username_key)).all()
    return FilterChoices([tuple(a) for a in articles], [tuple(r) for r in reviewers])


@dataclass(frozen=True)
class BulkOutcome:
    decided: list[int]  # claim ids
    skipped: dict[int, str]  # claim id -> why it was left undecided


def cards_for(claim_ids: Sequence[int]) -> list[DeskClaim]:
    """The desk cards of the given live claims, in reading order."""
    claims = list(db.session.scalars(
        sa.select(Claim).where(Claim.id.in_(list(claim_ids)), Claim.status == "open",
                               Claim.retired_at.is_(None), in_live_article())
        .options(joinedload(Claim.article).load_only(Article.id, Article.title))
        .order_by(Claim.article_id, Claim.position)))
    items = [DeskClaim(claim, "") for claim in claims]
    _fill(items)
    return items


def unanimous_in(claim_ids: Sequence[int]) -> list[DeskClaim]:
    """Of the given claims, the unanimous ones with enough reviews, as desk cards."""
    return [item for item in cards_for(claim_ids) if item.state == "unanimous"]


def decide_unanimous(claim_ids: Sequence[int], editor: User) -> BulkOutcome:
    """Decide each unanimous claim among ``claim_ids`` as its reviewers did.

    The rationale says so; the sources are the reviewers' source URLs. A claim whose
    reviewers gave no URL is left for the editor (a final verdict needs a source), as is
    any claim that is no longer unanimous. The caller commits.
    """
    decided, skipped = [], {}
    eligible = {item.claim.id: item for item in unanimous_in(claim_ids)}
    # In id order, as every bulk decision locks its claims: two editors deciding the same
    # claims at once then take turns instead of deadlocking on PostgreSQL.
    for claim_id in sorted(claim_ids):
        item = eligible.get(claim_id)
        if item is None:
            skipped[claim_id] = "no longer unanimous with enough reviews"
            continue
        urls = list(dict.fromkeys(v.source_url for v in item.verdicts if v.source_url))
        if not urls:
            skipped[claim_id] = "no reviewer gave a source URL"
            continue
        label = item.unanimous_label
        try:
            final_verdicts.decide(
                item.claim, editor, label=label, sources=urls,
                rationale=f"All {len(item.verdicts)} reviewers found this claim {label}.",
                expected_version=item.final.version if item.final else None,
            )
        except final_verdicts.DecisionError as error:
            # Refused before writing anything: another editor decided it meanwhile, or
            # it was retired or archived. The rest of the batch still stands.
            skipped[claim_id] = str(error).rstrip(".")
            continue
        decided.append(claim_id)
    return BulkOutcome(decided, skipped)

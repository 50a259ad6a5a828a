"""The team's progress: per article, what is left to review and what the desk decided;
per reviewer, their verdicts, how moderation judged them, and how often the desk's final
verdicts agree with them.

Every figure counts live claims only (open, not retired, in an article not archived):
hidden and retired claims and archived articles are out of the queues, the exports and
the statistics. The page's figures come in a fixed
number of queries, whatever the number of articles, claims or reviewers: counts are
aggregated in SQL, never per article or per claim in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import defer

from annotator.extensions import db
from annotator.models import Article, Claim, FinalVerdict, User, Verdict
from annotator.services.archive import in_live_article, live_article
from annotator.services.keyset import KeysetPage, keyset_page

# Paged like the Articles list: newest first, by id.
PROGRESS_CURSOR = (int,)


def _live(claim=Claim) -> sa.ColumnElement[bool]:
    """Claims that take verdicts: open, not retired, in an article that is not archived."""
    return sa.and_(claim.status == "open", claim.retired_at.is_(None), in_live_article(claim))


@dataclass(frozen=True)
class ClaimFigures:
    """What is left and what is done on a set of live claims (an article, or all)."""

    claims: int = 0
    verdicts_needed: int = 0  # independent verdicts still missing, summed over the claims
    decided: int = 0  # claims with a final verdict
    recheck: int = 0  # of those, decisions a boundary change marked to re-check


@dataclass(frozen=True)
class ArticleProgress:
    article: Article
    figures: ClaimFigures


def _claim_figures(needed: int, where: sa.ColumnElement[bool]) -> sa.Select:
    """Per live claim matching ``where``: its article, independent verdicts and decision,
    summed up as ``ClaimFigures`` columns after the article id (group the result by it,
    or not). Read them with int(): a SUM of counts is a decimal on PostgreSQL."""
    independent = sa.and_(Verdict.claim_id == Claim.id, Verdict.independent_version.is_not(None))
    per_claim = (
        sa.select(Claim.id.label("claim_id"), Claim.article_id,
                  sa.func.count(Verdict.id).label("independent"))
        .outerjoin(Verdict, independent)
        .where(_live(), where)
        .group_by(Claim.id, Claim.article_id)
        .subquery()
    )
    missing = sa.case((per_claim.c.independent < needed, needed - per_claim.c.independent),
                      else_=0)
    recheck = sa.case((FinalVerdict.needs_recheck.is_(True), FinalVerdict.id))
    return (
        sa.select(per_claim.c.article_id, sa.func.count(),
                  sa.func.coalesce(sa.func.sum(missing), 0),
                  sa.func.count(FinalVerdict.id), sa.func.count(recheck))
        .select_from(per_claim)
        .outerjoin(FinalVerdict, FinalVerdict.claim_id == per_claim.c.claim_id)
    )


def figures_by_article(article_ids: list[int], needed: int) -> dict[int, ClaimFigures]:
    """``ClaimFigures`` of each of the articles, in one query; an article without live
    claims is absent."""
    if not article_ids:
        return {}
    query = _claim_figures(needed, Claim.article_id.in_(article_ids))
    rows = db.session.execute(query.group_by(query.selected_columns[0]))
    return {article_id: ClaimFigures(*map(int, figures)) for article_id, *figures in rows}


def team_totals(needed: int) -> ClaimFigures:
    """``ClaimFigures`` over every live claim, in one query."""
    query = _claim_figures(needed, sa.true())
    row = db.session.execute(query.with_only_columns(*query.selected_columns[1:])).one()
    return ClaimFigures(*map(int, row))


@dataclass(frozen=True)
class ReviewerProgress:
    """A reviewer's current verdicts on live claims, and their agreement with the desk."""

    reviewer: User
    verdicts: int
    approved: int
    rejected: int
    pending: int
    on_decided: int  # of their verdicts, those on claims with a final verdict
    agreeing: int  # of those, the ones whose current label is the final verdict's label

    @property
    def agreement_percent(self) -> int | None:
        """``agreeing`` out of ``on_decided`` as a whole percentage, None when there is
        nothing to compare. Rounded half up, but never to 100 unless every one agrees
        nor to 0 unless none does: "100%" must not hide a disagreement."""
        if not self.on_decided:
            return None
        percent = (200 * self.agreeing + self.on_decided) // (2 * self.on_decided)
        if self.agreeing < self.on_decided:
            percent = min(percent, 99)
        if self.agreeing:
            percent = max(percent, 1)
        return percent


def reviewer_figures(viewer: User) -> list[ReviewerProgress]:
    """Per account, by name: every reviewer and every admin with verdicts (deactivated
    ones included) for an admin; for a reviewer, their own row only. One query."""
    state = Verdict.moderation_state
    agreeing = sa.case((FinalVerdict.label == Verdict.label, Verdict.id))
    # A reviewer's own row reads their verdicts only (by the reviewer_id index), not the team's.
    whose = sa.true() if viewer.is_admin else Verdict.reviewer_id == viewer.id
    counts = (
        sa.select(
            Verdict.reviewer_id,
            sa.func.count(Verdict.id).label("verdicts"),
            sa.func.count(sa.case((state == "approved", Verdict.id))).label("approved"),
            sa.func.count(sa.case((state == "rejected", Verdict.id))).label("rejected"),
            sa.func.count(sa.case((state == "pending", Verdict.id))).label("pending"),
            sa.func.count(FinalVerdict.id).label("on_decided"),
            sa.func.count(agreeing).label("agreeing"),
        )
        .join(Claim, Verdict.claim_id == Claim.id)
        .outerjoin(FinalVerdict, FinalVerdict.claim_id == Claim.id)
        .where(_live(), whose)
        .group_by(Verdict.reviewer_id)
        .subquery()
    )
    figures = [sa.func.coalesce(column, 0) for column in list(counts.c)[1:]]
    query = sa.select(User, *figures).outerjoin(counts, counts.c.reviewer_id == User.id)
    if viewer.is_admin:
        query = query.where(sa.or_(User.role == "reviewer", counts.c.verdicts > 0))
    else:
        query = query.where(User.id == viewer.id)
    rows = db.session.execute(query.order_by(User.username_key))
    return [ReviewerProgress(user, *numbers) for user, *numbers in rows]


@dataclass(frozen=True)
class ProgressPage:
    """The Progress page: one page of articles with their figures, the team's totals,
    and the reviewers' rows the viewer may see."""

    page: KeysetPage[Article]
    articles: list[ArticleProgress]
    totals: ClaimFigures
    reviewers: list[ReviewerProgress]
    reviews_per_claim: int


def progress_page(viewer: User, *, after: tuple | None, before: tuple | None,
                  size: int) -> ProgressPage:
    """The Progress page's data for ``viewer``: five queries whatever the page's size or
    depth (the articles, their count, their figures, the totals, the reviewers)."""
    needed = current_app.config["REVIEWS_PER_CLAIM"]
    page = keyset_page(
        sa.select(Article).where(live_article()), (Article.id,), lambda article: (article.id,),
        descending=True,
        after=after, before=before, size=size,
        # The page never shows bodies; leaving them out keeps it light.
        options=(defer(Article.body),),
    )
    by_article = figures_by_article([article.id for article in page.items], needed)
    return ProgressPage(
        page=page,
        articles=[ArticleProgress(article, by_article.get(article.id, ClaimFigures()))
                  for article in page.items],
        totals=team_totals(needed),
        reviewers=reviewer_figures(viewer),
        reviews_per_claim=needed,
    )

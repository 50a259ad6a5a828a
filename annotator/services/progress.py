"""The team's progress: per article, what is left to review and what the desk decided;
per reviewer, their verdicts, how moderation judged them, and how often the desk's final
verdicts agree with them.

Every figure counts live claims only (open, not retired, in an article not archived):
hidden and retired claims and archived articles are out of the queues, the exports and
the statistics. The team's and the reviewers' figures are running tallies
(``progress_tallies``), read from a few rows; a page of articles adds up the figures of
its own articles. So the page takes the same few queries whatever the number of articles,
claims or reviewers.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import defer

from annotator.extensions import db
from annotator.models import Article, Claim, User
from annotator.services import progress_tallies
from annotator.services.archive import live_article
from annotator.services.keyset import KeysetPage, keyset_page
from annotator.services.progress_tallies import TEAM_FIGURES, Tallies, team_figures
from annotator.text.sizes import COUNT_SHOWN_MAX

# Paged like the Articles list: newest first, by id.
PROGRESS_CURSOR = (int,)


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


def figures_by_article(article_ids: list[int], needed: int) -> dict[int, ClaimFigures]:
    """``ClaimFigures`` of each of the articles, in one query; an article without live
    claims is absent."""
    if not article_ids:
        return {}
    query = team_figures(needed, Claim.article_id.in_(article_ids))
    rows = db.session.execute(query.group_by(query.selected_columns[0]))
    return {article_id: ClaimFigures(*map(int, figures)) for article_id, *figures in rows}


def team_totals(tallies: Tallies) -> ClaimFigures:
    """``ClaimFigures`` over every live claim."""
    return ClaimFigures(*(tallies.team(name) for name in TEAM_FIGURES))


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


def reviewer_rows(viewer: User, tallies: Tallies) -> list[ReviewerProgress]:
    """Per account, by name: every reviewer and every admin with verdicts (deactivated
    ones included) for an admin; for a reviewer, their own row only."""
    if not viewer.is_admin:
        return [ReviewerProgress(viewer, *tallies.reviewer(viewer.id))]
    users = db.session.scalars(sa.select(User).order_by(User.username_key))
    rows = [ReviewerProgress(user, *tallies.reviewer(user.id)) for user in users]
    return [row for row in rows if row.reviewer.role == "reviewer" or row.verdicts]


@dataclass(frozen=True)
class ProgressPage:
    """The Progress page: one page of articles with their figures, the team's totals,
    and the reviewers' rows the viewer may see."""

    page: KeysetPage[Article]
    articles: list[ArticleProgress]
    totals: ClaimFigures
    reviewers: list[ReviewerProgress]
    reviews_per_claim: int
    articles_counted_up_to: int  # the articles were counted up to this many ("1,000+")


def progress_page(viewer: User, *, after: tuple | None, before: tuple | None,
                  size: int) -> ProgressPage:
    """The Progress page's data for ``viewer``: the same few queries whatever the page's
    size or depth (the articles, their count, their figures, the tallies, the accounts)."""
    needed = current_app.config["REVIEWS_PER_CLAIM"]
    page = keyset_page(
        sa.select(Article).where(live_article()), (Article.id,), lambda article: (article.id,),
        descending=True,
        after=after, before=before, size=size,
        # The page never shows bodies; leaving them out keeps it light.
        options=(defer(Article.body),),
        # Counting every live article grew with the data.
        count_up_to=COUNT_SHOWN_MAX,
    )
    by_article = figures_by_article([article.id for article in page.items], needed)
    tallies = progress_tallies.current()
    return ProgressPage(
        page=page,
        articles=[ArticleProgress(article, by_article.get(article.id, ClaimFigures()))
                  for article in page.items],
        totals=team_totals(tallies),
        reviewers=reviewer_rows(viewer, tallies),
        reviews_per_claim=needed,
        articles_counted_up_to=COUNT_SHOWN_MAX,
    )

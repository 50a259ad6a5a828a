"""Archiving an article: it leaves the queues, the desk, the exports and the statistics,
with every claim, verdict, revision and decision kept exactly as it was; restoring brings
it all back unchanged.

Archiving touches one column, ``Article.archived_at``, and nothing else but what is
derived from it (its claims' desk ranks, recomputed from the data): that is what makes a
restore exact. Everything that lists live work asks ``in_live_article`` (or
``live_article``) so the rule is written once. While archived, the article's claims take
no verdicts and no decisions (``verdicts.check_takes_verdicts``): a verdict saved there
would land where nobody sees it.
"""

from __future__ import annotations

import sqlalchemy as sa

from annotator.extensions import db
from annotator.models import Article, Claim, User
from annotator.services import audit, queue_frontier
from annotator.services.errors import DomainError
from annotator.text.timestamps import iso_utc, utcnow


class ArchiveError(DomainError):
    """The article is already in the state asked for; nothing was changed."""


def live_article(article=Article) -> sa.ColumnElement[bool]:
    """The article (a row of ``article``, an alias of Article) is not archived."""
    return article.archived_at.is_(None)


def in_live_article(claim=Claim) -> sa.ColumnElement[bool]:
    """The claim (a row of ``claim``, an alias of Claim) belongs to an article that is
    not archived. No join needed: archived articles are few, and the list of their ids
    is read once per statement."""
    archived = sa.select(Article.id).where(Article.archived_at.is_not(None))
    return claim.article_id.not_in(archived)


def _set_archived(article: Article, archived: bool) -> bool:
    """Flip the column in one conditional UPDATE; False when the article already was in
    that state (also when another admin changed it a moment before: of two requests,
    exactly one changes it and is audited)."""
    now = utcnow()
    result = db.session.execute(
        sa.update(Article)
        .where(Article.id == article.id,
               Article.archived_at.is_(None) if archived else Article.archived_at.is_not(None))
        .values(archived_at=now if archived else None)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(article, ["archived_at"])
    if result.rowcount != 1:
        return False
    # They read in_live_article's rule from here.
    from annotator.services import desk_ranks, progress_tallies

    desk_ranks.rank_claims_where(Claim.article_id == article.id)
    progress_tallies.count_archive(article.id, archived)
    if not archived:
        queue_frontier.article_may_have_grown(db.session(), article.id)
    return True


def archive(article: Article, actor: User) -> None:
    """Take the article out of the queues, the desk, the exports and the statistics.

    Refused, changing nothing, when it is already archived. Audited; the caller commits.
    """
    if not _set_archived(article, True):
        since = iso_utc(article.archived_at)
        raise ArchiveError(f"“{article.title}” is already archived (since {since}).")
    audit.record(actor, "article.archive", article, title=article.title,
                 before=None, after=iso_utc(article.archived_at))


def restore(article: Article, actor: User) -> None:
    """Bring an archived article back, with everything as it was when it was archived.

    Refused, changing nothing, when it is not archived. Audited; the caller commits.
    """
    archived_at = article.archived_at
    if not _set_archived(article, False):
        raise ArchiveError(f"“{article.title}” is not archived; there is nothing to restore.")
    audit.record(actor, "article.restore", article, title=article.title,
                 before=iso_utc(archived_at), after=None)

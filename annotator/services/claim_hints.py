"""Hints stored on claims: computed from the article's text at import, after every boundary
change, after an upgrade of the rules (``recompute-hints``) and once after the migration
that added them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import sqlalchemy as sa

from annotator.extensions import db
from annotator.models import Article, Claim, SiteState
from annotator.text.hints import ClaimHints, hints_for_claims

# A row under this key says the stored hints predate the rules; the migration that added
# the hint columns leaves it, and the first start computes the hints and removes it.
BACKFILL_KEY = "recompute-hints"


def store_hints(body: str, claims: Sequence[Claim]) -> None:
    """Compute the hints of ``claims`` (consecutive claims of the article whose text is
    ``body``; context may matter) and store them on each claim."""
    apply_hints(claims, hints_for_claims(body, [(claim.start, claim.end) for claim in claims]))


def apply_hints(claims: Sequence[Claim], hints: Sequence[ClaimHints]) -> None:
    """Store computed hints on their claims, one for one (an import computes them before
    it touches the database)."""
    for claim, hint in zip(claims, hints, strict=True):
        claim.apply_hints(hint)


def live_claims(article: Article) -> list[Claim]:
    """The article's claims that are not retired, in reading order."""
    return list(
        db.session.scalars(
            sa.select(Claim)
            .where(Claim.article_id == article.id, Claim.retired_at.is_(None))
            .order_by(Claim.position)
        )
    )


def refresh_hints(article: Article, claims: Sequence[Claim] | None = None) -> None:
    """Recompute the hints of every live claim of the article (or of ``claims``, its live
    claims in reading order, when the caller has them at hand)."""
    store_hints(article.body, live_claims(article) if claims is None else claims)


# Articles per transaction when every article's hints are recomputed.
RECOMPUTE_BATCH = 50


def refresh_all_in_batches(batch_size: int = RECOMPUTE_BATCH) -> Iterator[int]:
    """Recompute the hints of every article's live claims, ``batch_size`` articles at a
    time. After each batch it yields how many articles are done: the caller commits there,
    so a large corpus is neither one huge transaction nor a commit per article."""
    ids = list(db.session.scalars(sa.select(Article.id).order_by(Article.id)))
    for offset in range(0, len(ids), batch_size):
        batch = ids[offset:offset + batch_size]
        for article in db.session.scalars(sa.select(Article).where(Article.id.in_(batch))):
            refresh_hints(article)
        db.session.flush()
        yield offset + len(batch)


def backfill_pending() -> bool:
    """Whether a migration asked for every claim's hints to be computed."""
    return db.session.get(SiteState, BACKFILL_KEY) is not None


def backfill_done() -> None:
    """Forget the migration's request; the caller commits with the recomputed hints."""
    state = db.session.get(SiteState, BACKFILL_KEY)
    if state is not None:
        db.session.delete(state)
        db.session.flush()

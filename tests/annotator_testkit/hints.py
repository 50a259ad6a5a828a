"""A news article with known hints, fake hint rules, and the hints stored on its claims."""

from __future__ import annotations

import sqlalchemy as sa

from annotator.extensions import db
from annotator.models import Article, Claim
from annotator.text.hints import ClaimHints, hints_for_claims

NEWS = (
    "title: Tariffs\n\n"
    "\"We will not back down,\" Rubio said on Monday. Prices rose 4% in March.\n"
    "The deal is worth $2 billion, officials said. Talks resume next week.\n"
)

HINT_FIELDS = ("is_quote", "speaker", "has_number", "has_percent", "has_money", "has_date")


def stored(app, article_id):
    """The hints stored on the article's live claims, in reading order."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(*(getattr(Claim, f) for f in HINT_FIELDS))
            .where(Claim.article_id == article_id, Claim.retired_at.is_(None))
            .order_by(Claim.position))
        return [tuple(r) for r in rows]


def computed(app, article_id):
    """What annotator.text.hints says about the article's live claims, in the stored form."""
    with app.app_context():
        article = db.session.get(Article, article_id)
        spans = db.session.execute(
            sa.select(Claim.start, Claim.end)
            .where(Claim.article_id == article_id, Claim.retired_at.is_(None))
            .order_by(Claim.position)).all()
        return [(h.quote, (h.speaker or "").strip()[:200] or None, h.number, h.percent,
                 h.money, h.date)
                for h in hints_for_claims(article.body, [tuple(s) for s in spans])]


def fake_hints(body, spans):
    """Known rules for the storage tests: "$" is money, a digit a number, quotes a quote."""
    result = []
    for start, end in spans:
        text = body[start:end]
        result.append(ClaimHints(
            quote='"' in text, speaker="Rubio" if "Rubio" in text else None,
            number=any(ch.isdigit() for ch in text), percent="%" in text, money="$" in text,
            date="Monday" in text,
        ))
    return result

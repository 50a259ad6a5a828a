"""Agreement between reviewers, read from the database: the ratings the pure module counts,
and the agreement page's data.

What is counted (the one place this is decided): for each verdict on a live claim (open,
not retired) whose author saved at least one version independently
(``Verdict.independent_version`` is set), the label of *that* revision, the reviewer's
first independent version. Later revisions, made after the author may have seen the
others, and verdicts never saved independently (an admin's verdict on a claim they had
opened on the desk) are left out: they would count agreement the reviewers did not reach
on their own. ``since`` keeps the ratings whose counted revision was saved on or after
that day (UTC).

The statistics themselves are ``annotator.text.agreement.compute_agreement``; this module
only reads, in a fixed handful of queries whatever the number of verdicts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from annotator.extensions import db
from annotator.models import LABELS, Article, Claim, FinalVerdict, User, Verdict, VerdictRevision
from annotator.services.archive import in_live_article
from annotator.services.errors import DomainError
from annotator.text.agreement import AgreementReport, compute_agreement

# The agreement page lists at most this many claims behind a figure; the sentence above
# the list says how many more there are, and the filters (article, date) or the
# ``agreement --format json`` command reach the rest.
LISTED_CLAIMS_MAX = 500


class AgreementFilterError(DomainError):
    """A filter names something that does not exist (an unknown article)."""


@dataclass(frozen=True)
class CountedRating:
    """One reviewer's counted label on one claim, with what the page shows of it."""

    claim_id: int
    reviewer_id: int
    reviewer_name: str
    label: str
    article_id: int
    position: int


@dataclass(frozen=True)
class ArticleChoice:
    id: int
    title: str


@dataclass(frozen=True)
class ListedClaim:
    """A claim behind a figure: where it is, what it says, each counted verdict, the decision."""

    claim_id: int
    article_id: int
    article_title: str
    position: int
    text: str
    verdicts: tuple[tuple[str, str], ...]  # (reviewer name, label), by reviewer name
    final_verdict: str | None


@dataclass(frozen=True)
class AgreementPage:
    """Everything the agreement page shows, from one call.

    ``articles`` are the filter's choices (articles with counted verdicts, whatever the
    date); ``article`` is the article filtered on. ``focus_title`` and ``listed`` are the
    claims behind the figure named by ``focus`` (all disagreements without one), at most
    ``LISTED_CLAIMS_MAX`` of ``listed_total``. ``problems`` maps a filter to the reason it
    was not applied.
    """

    report: AgreementReport
    articles: tuple[ArticleChoice, ...]
    article_titles: dict[int, str]
    article: ArticleChoice | None
    since: dt.date | None
    focus: str | None
    focus_title: str
    listed: tuple[ListedClaim, ...]
    listed_total: int
    problems: dict[str, str]


def _counted(article_id: int | None, since: dt.date | None) -> sa.Select:
    """The counted verdicts, joined to the revision that counts, their claim and author:
    a live claim (open, not retired), the first independent version, the filters."""
    query = (
        sa.select(Verdict.claim_id, Verdict.reviewer_id, User.username, VerdictRevision.label,
                  Claim.article_id, Claim.position)
        .join(VerdictRevision, sa.and_(VerdictRevision.verdict_id == Verdict.id,
                                       VerdictRevision.version == Verdict.independent_version))
        .join(Claim, Claim.id == Verdict.claim_id)
        .join(User, User.id == Verdict.reviewer_id)
        .where(Claim.retired_at.is_(None), Claim.status == "open", in_live_article(),
               Verdict.independent_version.is_not(None))
    )
    if article_id is not None:
        query = query.where(Claim.article_id == article_id)
    if since is not None:
        query = query.where(VerdictRevision.created_at >= dt.datetime.combine(since, dt.time()))
    return query


def counted_ratings(article_id: int | None = None,
                    since: dt.date | None = None) -> list[CountedRating]:
    """Each reviewer's first independent label on each live claim, in one query."""
    query = _counted(article_id, since).order_by(Verdict.claim_id, Verdict.reviewer_id)
    return [CountedRating(*row) for row in db.session.execute(query)]


def _final_verdicts(article_id: int | None, since: dt.date | None) -> dict[int, str]:
    """The desk's labels on the claims counted, in one query."""
    claims = _counted(article_id, since).with_only_columns(Verdict.claim_id)
    query = sa.select(FinalVerdict.claim_id, FinalVerdict.label).where(
        FinalVerdict.claim_id.in_(claims))
    return dict(db.session.execute(query).all())


def _compute(ratings: list[CountedRating], final_verdicts: dict[int, str]) -> AgreementReport:
    return compute_agreement(
        ((r.claim_id, r.reviewer_id, r.label) for r in ratings),
        labels=LABELS,
        final_verdicts=final_verdicts,
        articles={r.claim_id: r.article_id for r in ratings},
        reviewer_names={r.reviewer_id: r.reviewer_name for r in ratings},
    )


def _article(article_id: int) -> ArticleChoice:
    row = db.session.execute(
        sa.select(Article.id, Article.title).where(Article.id == article_id)).first()
    if row is None:
        raise AgreementFilterError(f"There is no article {article_id}.", field="article")
    return ArticleChoice(*row)


def agreement_report(article_id: int | None = None,
                     since: dt.date | None = None) -> AgreementReport:
    """The agreement report for the ``agreement`` command; an unknown article is refused."""
    if article_id is not None:
        _article(article_id)
    return _compute(counted_ratings(article_id, since), _final_verdicts(article_id, since))


# --- the agreement page -------------------------------------------------------------------


def _choices() -> tuple[ArticleChoice, ...]:
    """The articles with at least one counted verdict, whatever the date: the filter's list."""
    counted = _counted(None, None).with_only_columns(Claim.article_id)
    query = (sa.select(Article.id, Article.title).where(Article.id.in_(counted))
             .order_by(Article.id))
    return tuple(ArticleChoice(*row) for row in db.session.execute(query))


def _focused(report: AgreementReport, focus: str) -> tuple[str, tuple] | None:
    """The heading and claims of the figure ``focus`` names: ``pair-<id>-<id>``,
    ``label-<label>``, ``reviewer-<id>`` (differs from the others) or ``final-<id>``
    (differs from the final verdicts); None when this report has no such figure."""
    kind, _, key = focus.partition("-")
    if kind == "pair":
        for pair in report.pairs:
            if key == f"{pair.reviewers[0]}-{pair.reviewers[1]}":
                return (f"Claims where {pair.names[0]} and {pair.names[1]} differ",
                        pair.disagreements)
    if kind == "label":
        for entry in report.labels:
            if key == entry.label:
                return (f"Claims where some reviewers said “{entry.label}” and others did not",
                        entry.disagreements)
    for reviewer in report.reviewers if kind in ("reviewer", "final") else ():
        if key == str(reviewer.reviewer) and kind == "reviewer":
            return (f"Claims where {reviewer.name} differs from another reviewer",
                    reviewer.disagreements)
        if key == str(reviewer.reviewer):
            return (f"Claims where {reviewer.name} differs from the final verdict",
                    reviewer.differs_from_final)
    return None


def _listed(ids: tuple, ratings: list[CountedRating], finals: dict[int, str],
            titles: dict[int, str]) -> tuple[ListedClaim, ...]:
    """The first LISTED_CLAIMS_MAX of ``ids`` with their text (one query), counted
    verdicts and final verdict."""
    shown = ids[:LISTED_CLAIMS_MAX]
    if not shown:
        return ()
    texts = dict(db.session.execute(
        sa.select(Claim.id, Claim.text).where(Claim.id.in_(shown))).all())
    wanted = set(shown)
    verdicts: dict[int, list[CountedRating]] = defaultdict(list)
    for rating in ratings:
        if rating.claim_id in wanted:
            verdicts[rating.claim_id].append(rating)
    rows = []
    for claim_id in shown:
        counted = sorted(verdicts[claim_id], key=lambda r: (r.reviewer_name.casefold(),
                                                            r.reviewer_id))
        first = counted[0]
        rows.append(ListedClaim(
            claim_id=claim_id, article_id=first.article_id,
            article_title=titles.get(first.article_id, f"article {first.article_id}"),
            position=first.position, text=texts.get(claim_id, ""),
            verdicts=tuple((r.reviewer_name, r.label) for r in counted),
            final_verdict=finals.get(claim_id)))
    return tuple(rows)


def agreement_page(article_id: int | None = None, since: dt.date | None = None,
                   focus: str | None = None) -> AgreementPage:
    """The agreement page's data in at most five queries, whatever the number of verdicts.

    An unknown article gives the empty report and a problem on ``article``; a focus this
    report does not have lists every disagreement, with a problem on ``focus``.
    """
    problems: dict[str, str] = {}
    article = None
    if article_id is not None:
        try:
            article = _article(article_id)
        except AgreementFilterError as error:
            problems["article"] = f"{error} Nothing is counted; choose an article from the list."
    ratings = counted_ratings(article_id, since)
    finals = _final_verdicts(article_id, since) if ratings else {}
    report = _compute(ratings, finals)
    choices = _choices()
    titles = {choice.id: choice.title for choice in choices}
    heading = "Claims whose verdicts differ"
    ids = tuple(item.claim for item in report.disagreements)
    focused = _focused(report, focus) if focus else None
    if focused is not None:
        heading, ids = focused
    elif focus:
        problems["focus"] = ("That figure is not in this report (the filters may leave it "
                             "out); every claim whose verdicts differ is listed instead.")
    return AgreementPage(
        report=report, articles=choices, article_titles=titles, article=article, since=since,
        focus=focus if focused is not None else None, focus_title=heading,
        listed=_listed(ids, ratings, finals, titles), listed_total=len(ids), problems=problems)

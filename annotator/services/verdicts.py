"""Verdicts: the rules a verdict must meet, saving it with its history, the claim page's data."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased, joinedload

from annotator.extensions import db
from annotator.models import (
    LABELS,
    SOURCE_URL_MAX_LENGTH,
    Article,
    Claim,
    FinalVerdict,
    User,
    Verdict,
    VerdictRevision,
)
from annotator.services.errors import DomainError
from annotator.services.transactions import begin_writing
from annotator.text.form_text import as_typed
from annotator.text.highlighting import CutPoint, cut_points
from annotator.text.timestamps import utcnow
from annotator.text.web_addresses import ascii_host, mixed_script_label, scripts_of


class VerdictError(DomainError):
    """The verdict cannot be saved as submitted."""

    field = "verdict"


class ClaimClosed(VerdictError):
    """The claim takes no verdicts: an admin hid it, or a boundary change retired it."""


class StaleEdit(VerdictError):
    """The verdict changed since the form was loaded; saving would overwrite that change."""


class SaveOutcome(NamedTuple):
    verdict: Verdict
    changed: bool
    # The verdict was rejected or to re-check before this save: revising those is a run,
    # and the reviewer goes on to the next one.
    was_waiting: bool = False


# --- the rules a verdict meets ----------------------------------------------------------


def check_takes_verdicts(status: str, is_retired: bool, archived: bool = False) -> None:
    """Refuse a claim that takes no verdicts, saying why.

    ``archived``: the claim's article is archived; a verdict there would be in no queue,
    desk or export, so it waits until an admin restores the article.
    """
    if archived:
        raise ClaimClosed("This claim's article is archived; it takes no verdicts until an "
                          "admin restores it.")
    if is_retired:
        raise ClaimClosed("An admin changed the claim boundaries and this claim no longer "
                          "exists; it takes no verdicts.")
    if status == "hidden":
        raise ClaimClosed("This claim was hidden by an admin; it takes no verdicts.")


def check_label(label: str) -> str:
    """Return the label, or refuse one that is not a verdict."""
    if label not in LABELS:
        raise VerdictError("Choose supported, disputed or unclear.")
    return label


def check_source_note(note: str | None) -> str:
    """Return the trimmed source note, or refuse an empty or overlong one."""
    note = as_typed(note).strip()
    if not note:
        raise VerdictError("Write a source note: what evidence, where.", "source_note")
    limit = current_app.config["SOURCE_NOTE_MAX_LENGTH"]
    if len(note) > limit:
        raise VerdictError(f"The note has {len(note):,} characters; the limit is {limit:,}.",
                           "source_note")
    return note


def check_source_url(url: str | None) -> str | None:
    """Return a trimmed http(s) URL, None for blank, or refuse it saying why."""
    url = (url or "").strip()
    if not url:
        return None
    if len(url) > SOURCE_URL_MAX_LENGTH:
        raise _url_refused(f"The source URL is longer than {SOURCE_URL_MAX_LENGTH:,} characters.")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise _url_refused("The source URL must start with http:// or https:// and name a host.")
    _check_url_characters(url)
    try:
        parts.port  # noqa: B018 (reading it checks it)
    except ValueError:
        raise _url_refused("The source URL's port is not a number from 1 to 65535.") from None
    if "@" in parts.netloc:
        # https://good.example@evil.example/ goes to evil.example.
        raise _url_refused("The source URL must not hold a user name or password before "
                           "its host (text before an @); give the address itself.")
    _check_host(parts.hostname)
    return url


def _url_refused(message: str) -> VerdictError:
    return VerdictError(message, "source_url")


def _check_url_characters(url: str) -> None:
    """Refuse characters that make an address read as something else than where it goes."""
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise _url_refused("The source URL must not contain spaces or control characters.")
    # Invisible format characters (right-to-left overrides, zero-width spaces) and
    # backslashes (which browsers read as slashes: evil.example\@good.example) make a
    # link read differently from where it goes; a real address never needs them.
    if any(unicodedata.category(ch) == "Cf" for ch in url):
        raise _url_refused(
            "The source URL contains invisible characters (such as a right-to-left override); "
            "paste the address again from the browser's address bar."
        )
    if "\\" in url:
        raise _url_refused("The source URL must not contain a backslash; use / instead.")


def _check_host(host: str) -> None:
    """Refuse a host that is no host name, or one whose letters mix alphabets."""
    if ascii_host(host) is None:
        raise _url_refused("The source URL's host is not a valid host name.")
    label = mixed_script_label(host)
    if label is not None:
        alphabets = " and ".join(sorted(scripts_of(label))).lower()
        raise _url_refused(
            f"The source URL's host mixes alphabets in “{label}” ({alphabets}), as look-alike "
            "addresses do; check the address and type it again."
        )


def http_link(url: str | None) -> str | None:
    """The URL when it is a valid http(s) link to show, else None (never raises)."""
    try:
        return check_source_url(url)
    except VerdictError:
        return None


# --- saving -----------------------------------------------------------------------------


def verdict_of(claim: Claim, reviewer: User) -> Verdict | None:
    """The reviewer's current verdict on this claim, if any."""
    return db.session.scalar(_verdict_of_statement(), {"claim_id": claim.id,
                                                       "reviewer_id": reviewer.id})


@cache
def _verdict_of_statement() -> sa.Select:
    return sa.select(Verdict).where(Verdict.claim_id == sa.bindparam("claim_id"),
                                    Verdict.reviewer_id == sa.bindparam("reviewer_id"))


@cache
def _claim_state_and_verdict_statement() -> sa.Select:
    mine = sa.and_(Verdict.claim_id == Claim.id,
                   Verdict.reviewer_id == sa.bindparam("reviewer_id"))
    return (
        sa.select(Claim.status, Claim.retired_at, Article.archived_at, Verdict)
        .join(Article, Article.id == Claim.article_id)
        .outerjoin(Verdict, mine)
        .where(Claim.id == sa.bindparam("claim_id"))
        # The claim's row only: a boundary change locks the article, then its claims, so
        # locking the article here could deadlock. (An archive committed at that very
        # moment may let this save through; the verdict is then kept with the article.)
        # FOR NO KEY UPDATE, not FOR SHARE: the flush then rewrites the claim's desk rank
        # (desk_ranks), and two saves that both held a share lock would deadlock there.
        # Saves on one claim take turns; the second sees the first's verdict.
        .with_for_update(key_share=True, of=Claim)
        # The verdict as it is now, under the lock, even if this session loaded it before.
        .execution_options(populate_existing=True)
    )


def _lock_open_claim(claim: Claim, reviewer: User) -> Verdict | None:
    """Refuse a claim that takes no verdicts, reading its state under a row lock, and
    return the reviewer's verdict on it as it is now (the same query).

    A boundary change may retire the claim while this save runs. On PostgreSQL the row
    lock waits for such a change to commit and sees its outcome (and a change that starts
    later waits for this save, see ``boundaries``); on SQLite the save already holds the
    write lock (``begin_writing``). So no verdict lands on a claim just retired.
    """
    status, retired_at, archived_at, verdict = db.session.execute(
        _claim_state_and_verdict_statement(), {"claim_id": claim.id, "reviewer_id": reviewer.id}
    ).one()
    check_takes_verdicts(status, retired_at is not None, archived_at is not None)
    return verdict


def _is_repeat(verdict: Verdict | None, label: str, note: str, url: str | None) -> bool:
    """Whether the submission is exactly the saved verdict, which then stays as it is.

    A rejected verdict saved unchanged is the reviewer standing by it: that goes back to
    moderation like any revision. So is a verdict confirmed after its claim's boundaries
    changed: the re-check is done, and the verdict is now about the new text.
    """
    return (
        verdict is not None
        and verdict.moderation_state != "rejected"
        and not verdict.needs_recheck
        and (verdict.label, verdict.source_note, verdict.source_url) == (label, note, url)
    )


def _current_or_new(verdict: Verdict | None, claim: Claim, reviewer: User,
                    expected_version: int | None, now: dt.datetime) -> Verdict:
    """The verdict to write: a new one, or ``verdict`` if the form was loaded at its version."""
    if verdict is None:
        if expected_version is not None:
            raise StaleEdit("Your verdict on this claim no longer exists. Nothing was saved.")
        verdict = Verdict(claim_id=claim.id, reviewer_id=reviewer.id, created_at=now, version=1)
        db.session.add(verdict)
        return verdict
    if expected_version != verdict.version:
        raise StaleEdit(
            "Your verdict on this claim changed since you opened this page (in another "
            "tab, or by moderation). Nothing was saved: compare your text, still in the "
            "form, with the saved version, then save again if yours should stand."
        )
    verdict.version += 1
    return verdict


def saved_independently(claim: Claim, author: User, had_verdict: bool) -> bool:
    """Whether a verdict saved now is independent: its author cannot have seen anyone
    else's verdict (or the desk's final verdict) on the claim.

    A reviewer's first verdict always is: the claim page shows a reviewer the others only
    once their own is saved. After that, and for admins (the claim page and the desk show
    them everything), it is independent only while there is nothing else to see.
    """
    if not had_verdict and not author.is_admin:
        return True
    others = sa.select(Verdict.id).where(Verdict.claim_id == claim.id,
                                         Verdict.reviewer_id != author.id)
    decided = sa.select(FinalVerdict.id).where(FinalVerdict.claim_id == claim.id)
    return not db.session.scalar(sa.select(sa.or_(others.exists(), decided.exists())))


def _write(verdict: Verdict, label: str, note: str, url: str | None, now: dt.datetime,
           independent: bool) -> None:
    """Set the verdict's content, send it back to moderation, and keep it as a revision."""
    if independent and verdict.independent_version is None:
        verdict.independent_version = verdict.version
    verdict.label, verdict.source_note, verdict.source_url = label, note, url
    verdict.moderation_state = "pending"
    verdict.moderated_by_id = None
    verdict.moderated_at = None
    verdict.moderation_reason = None
    verdict.needs_recheck = False
    verdict.updated_at = now
    # Through the relationship, one flush writes both rows (the verdict's id first).
    db.session.add(VerdictRevision(
        verdict=verdict, version=verdict.version, label=label, source_note=note,
        source_url=url, created_at=now, independent=independent,
    ))
    db.session.flush()


def save_verdict(
    claim: Claim,
    reviewer: User,
    *,
    label: str,
    source_note: str,
    source_url: str | None,
    expected_version: int | None,
) -> SaveOutcome:
    """Create or revise the reviewer's verdict and keep the submitted version as a revision.

    ``expected_version`` is the version the form was loaded with (None for a new verdict).
    Any change sends the verdict back to moderation; submitting exactly the saved verdict
    again (a double click, a stray Ctrl+Enter) changes nothing, not even its moderation.
    The caller commits.
    """
    label = check_label(label)
    source_note = check_source_note(source_note)
    source_url = check_source_url(source_url)
    # From here to the commit, every other writer waits: only reads and writes inside.
    begin_writing()
    current = _lock_open_claim(claim, reviewer)
    if _is_repeat(current, label, source_note, source_url):
        return SaveOutcome(current, changed=False)
    was_waiting = current is not None and (current.moderation_state == "rejected"
                                           or current.needs_recheck)
    now = utcnow()
    independent = saved_independently(claim, reviewer, had_verdict=current is not None)
    verdict = _current_or_new(current, claim, reviewer, expected_version, now)
    _write(verdict, label, source_note, source_url, now, independent)
    return SaveOutcome(verdict, changed=True, was_waiting=was_waiting)


# --- the claim page ---------------------------------------------------------------------


class ClaimInArticle(NamedTuple):
    claim: Claim
    claim_count: int
    previous_id: int | None
    next_id: int | None
    final: FinalVerdict | None


@cache
def _claim_in_article_statement() -> sa.Select:
    """The query behind ``claim_in_article``, built once per process: building it (an
    aliased claim, three subqueries) cost more than running it, on the page reviewers
    load all day."""
    other = aliased(Claim)
    # Retired claims sit outside the positions 1..n; they are neither counted nor neighbours.
    same_article = sa.and_(other.article_id == Claim.article_id, other.retired_at.is_(None))
    count = sa.select(sa.func.count(other.id)).where(same_article).scalar_subquery()

    def sibling(offset: int):
        return (
            sa.select(other.id)
            .where(same_article, other.position == Claim.position + offset)
            .scalar_subquery()
        )

    return (
        sa.select(Claim, count, sibling(-1), sibling(1), FinalVerdict)
        .outerjoin(FinalVerdict, FinalVerdict.claim_id == Claim.id)
        .where(Claim.id == sa.bindparam("claim_id"))
        .options(joinedload(Claim.article), joinedload(FinalVerdict.decided_by))
    )


def claim_in_article(claim_id: int) -> ClaimInArticle | None:
    """The claim with its article loaded, the article's number of claims, the ids of the
    claims before and after it and its final verdict, in one query; None if there is no
    such claim."""
    row = db.session.execute(_claim_in_article_statement(), {"claim_id": claim_id}).first()
    return None if row is None else ClaimInArticle(*row)


@cache
def _claim_with_article_statement() -> sa.Select:
    return (sa.select(Claim).options(joinedload(Claim.article))
            .where(Claim.id == sa.bindparam("claim_id")))


def claim_with_article(claim_id: int) -> Claim | None:
    """The claim with its article loaded (what a save needs), in one query; None if there
    is no such claim."""
    return db.session.scalar(_claim_with_article_statement(), {"claim_id": claim_id})


@cache
def _verdicts_on_statement() -> sa.Select:
    return (sa.select(Verdict).where(Verdict.claim_id == sa.bindparam("claim_id"))
            .options(joinedload(Verdict.reviewer)).order_by(Verdict.updated_at, Verdict.id))


def verdicts_on(claim: Claim) -> list[Verdict]:
    """Every verdict on the claim, with their reviewers loaded, oldest change first."""
    return list(db.session.scalars(_verdicts_on_statement(), {"claim_id": claim.id}).unique())


def revisions_of(verdict: Verdict) -> list[VerdictRevision]:
    """Every saved version of the verdict, newest first, with their moderators loaded."""
    return list(
        db.session.scalars(
            sa.select(VerdictRevision)
            .where(VerdictRevision.verdict_id == verdict.id)
            .options(joinedload(VerdictRevision.moderated_by))
            .order_by(VerdictRevision.version.desc())
        )
    )


@dataclass(frozen=True)
class ClaimPage:
    """Everything the claim page shows, for one viewer."""

    claim: Claim
    article: Article
    claim_count: int
    previous_id: int | None
    next_id: int | None
    verdict: Verdict | None
    # The viewer's versions before the current one, newest first.
    earlier_versions: list[VerdictRevision]
    # None while the viewer may not see them (see ``claim_page``).
    others: list[Verdict] | None
    # Where an admin may split the claim; empty for reviewers and retired claims.
    cut_points: list[CutPoint]
    # Whether the desk has decided the claim, and (like ``others``) the decision itself
    # only for a viewer who may see it.
    decided: bool = False
    final: FinalVerdict | None = None


def claim_page(claim_id: int, viewer: User) -> ClaimPage | None:
    """The claim page's data for ``viewer``; None when there is no such claim.

    Nobody sees others' verdicts, nor the desk's final verdict, before committing to
    their own; admins moderate and decide, so they do.
    """
    found = claim_in_article(claim_id)
    if found is None:
        return None
    claim = found.claim
    everyone = verdicts_on(claim)
    verdict = next((v for v in everyone if v.reviewer_id == viewer.id), None)
    sees_others = verdict is not None or viewer.is_admin
    final = found.final
    return ClaimPage(
        decided=final is not None, final=final if sees_others else None,
        claim=claim, article=claim.article, claim_count=found.claim_count,
        previous_id=found.previous_id, next_id=found.next_id, verdict=verdict,
        # A first version has no history: no query for it.
        earlier_versions=revisions_of(verdict)[1:] if verdict and verdict.version > 1 else [],
        others=[v for v in everyone if v is not verdict] if sees_others else None,
        cut_points=cut_points(claim.text) if viewer.is_admin and not claim.is_retired else [],
    )

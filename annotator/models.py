"""The data model: users, articles, claims, verdicts with their revisions, audit events."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, ClassVar

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from annotator.extensions import db
from annotator.text.hints import HINT_FILTERS
from annotator.text.timestamps import utcnow

ROLES = ("reviewer", "admin")
LABELS = ("supported", "disputed", "unclear")
MODERATION_STATES = ("pending", "approved", "rejected")
CLAIM_STATUSES = ("open", "hidden")
SPEAKER_MAX_LENGTH = 200
# Every integer column (ids, positions, offsets, versions) is a 32-bit INTEGER on
# PostgreSQL; a larger number from a form or a URL can match no row.
MAX_INTEGER = 2**31 - 1
# The column each hint is stored in: is_quote, has_number, has_percent, has_money, has_date.
HINT_COLUMNS = {name: ("is_" if name == "quote" else "has_") + name for name in HINT_FILTERS}
# Long enough for any real link (browsers cut at about 2,000); the column, the service and
# the form all read it from here.
SOURCE_URL_MAX_LENGTH = 2048


# JSONB on PostgreSQL can be compared and indexed; plain JSON elsewhere.
JSON_TYPE = sa.JSON().with_variant(JSONB(), "postgresql")


class SiteState(db.Model):
    """Singleton facts about the installation, one row per key.

    The setup page inserts key "setup"; the primary key lets exactly one of two
    simultaneous first visitors become the admin, on any database. A row may carry a
    ``value``: the queue's epoch does (``services.queue_frontier``).
    """

    __tablename__ = "site_state"
    # The key of the queue's epoch (``services.queue_frontier``; a backup restore writes it).
    QUEUE_EPOCH: ClassVar[str] = "queue-epoch"

    key: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    value: Mapped[str | None] = mapped_column(sa.String(64))

    def __repr__(self) -> str:
        return f"<SiteState {self.key}>"


class QueueChange(db.Model):
    """A committed change that may have put a claim (back) in a reviewer's queue, under
    the queue's epoch it wrote, with the first place in reading order it may have put one
    at (``services.queue_frontier``). A frontier remembered before the change then moves
    back to that place at most, instead of to the first claim. The newest rows only are
    kept; a restore names the first claim, as does an epoch without a row."""

    __tablename__ = "queue_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # A place, not a reference: the article may be gone by the time the row is read.
    article_id: Mapped[int]
    position: Mapped[int]


class TeamTally(db.Model):
    """The team's progress figures over every live claim, kept current by the session
    (``services.progress_tallies``) so the Progress page reads a few rows instead of
    every claim. Split over a few rows, summed when read: concurrent commits add their
    changes to different rows and do not queue behind one."""

    __tablename__ = "team_tally"

    shard: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    claims: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    verdicts_needed: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    decided: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    recheck: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class ReviewerTally(db.Model):
    """One account's figures over its current verdicts on live claims, kept current like
    ``TeamTally``: what the Progress page shows per reviewer."""

    __tablename__ = "reviewer_tally"

    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"), primary_key=True,
                                             autoincrement=False)
    verdicts: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    approved: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    rejected: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    pending: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    on_decided: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    agreeing: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class LoginAttemptCount(db.Model):
    """Refused password attempts under one key (a username, an address...) in one window.

    The login limits count here, in the database every app server shares, so a burst
    spread over several workers or machines is counted once; one atomic INSERT ... ON
    CONFLICT DO UPDATE both checks and counts (``services.login_limits``).
    """

    __tablename__ = "login_attempt_count"

    # "<endpoint>:<what is counted>:<period in seconds>:<value>", e.g.
    # "auth.login:username:60:alice".
    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    # Unix time at which the window starts: a multiple of the period.
    window_start: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    hits: Mapped[int] = mapped_column(default=0)
    # Unix time after which nothing reads the row any more (it is deleted then).
    expires_at: Mapped[int] = mapped_column(sa.BigInteger, index=True)

    def __repr__(self) -> str:
        return f"<LoginAttemptCount {self.key} @{self.window_start}: {self.hits}>"


def new_session_token() -> str:
    return secrets.token_hex(16)


def _in(column: str, values: tuple[str, ...]) -> str:
    """SQL for a CHECK constraint that keeps a text column within a fixed set."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class User(UserMixin, db.Model):
    """An account: a reviewer or an admin."""

    # Not "user": that is a reserved word in PostgreSQL and trips every hand-written query.
    __tablename__ = "account"
    __table_args__ = (sa.CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(40), unique=True)
    # Usernames compare case-insensitively; this column enforces it in the database.
    username_key: Mapped[str] = mapped_column(sa.String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[str] = mapped_column(sa.String(16), default="reviewer")
    is_active: Mapped[bool] = mapped_column(default=True)
    # Part of the session cookie's user id: replacing it ends every open session of the
    # account (on deactivation), and a reactivated account does not get them back.
    session_token: Mapped[str] = mapped_column(sa.String(32), default=new_session_token)
    # Set when an admin gave the account a temporary password: the next login must choose
    # a new one before anything else.
    must_change_password: Mapped[bool] = mapped_column(default=False,
                                                       server_default=sa.false())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session: the user id and the session token."""
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Log the account out everywhere, at each session's next request."""
        self.session_token = new_session_token()

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password`` (werkzeug's default scrypt)."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Tell whether ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class Article(db.Model):
    """An imported article: its text, and where and when it comes from."""

    __tablename__ = "article"
    # Every list that leaves archived articles out asks for the archived ones' ids, and
    # the Articles page counts the live ones: this small index answers both, not the table.
    __table_args__ = (
        sa.Index("ix_article_archived_at", "archived_at"),
        # The Articles page by article date reads its pages by key from this one: the live
        # articles by (date, id), the undated ones by id.
        sa.Index("ix_article_by_date", "archived_at", "published_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    source: Mapped[str] = mapped_column(sa.String(255))
    published_on: Mapped[dt.date | None]
    body: Mapped[str] = mapped_column(sa.Text)
    checksum: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Header lines of the file (title, source, url, date) exactly as given.
    meta: Mapped[dict[str, str]] = mapped_column(JSON_TYPE, default=dict)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Bumped by every change of claim boundaries (split, merge, re-split). Boundary forms
    # carry the number they were loaded with; a form from before someone else's change is
    # refused instead of cutting claims that no longer look like what the admin saw.
    boundary_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Set while an admin has archived the article: it leaves queues, the desk, statistics
    # and exports, with every claim and verdict kept; restoring clears it. Who and why are
    # in the audit log.
    archived_at: Mapped[dt.datetime | None]

    claims: Mapped[list[Claim]] = relationship(
        back_populates="article", order_by="Claim.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Article {self.id} {self.title[:30]!r}>"


class Claim(db.Model):
    """One checkable sentence of an article, with its offsets into the body.

    A claim that a boundary change replaced (absorbed by a merge, gone after a re-split)
    is *retired*, never deleted: ``retired_at`` is set, its status is "hidden" so it stays
    out of queues, moderation and exports, and it is parked at position ``-id``, outside
    the live claims' positions 1..n. It keeps its offsets, text and any verdicts that had
    nowhere to go; a later change that brings back exactly its span revives it.
    """

    __tablename__ = "claim"
    __table_args__ = (
        sa.UniqueConstraint("article_id", "position"),
        sa.CheckConstraint(_in("status", CLAIM_STATUSES), name="status"),
        sa.CheckConstraint("start_offset >= 0 AND end_offset > start_offset", name="span"),
        # The desk's pages by key: state, oldest article, reading order; only the claims
        # on the desk are in it.
        sa.Index("ix_claim_desk", "desk_rank", "article_id", "position",
                 sqlite_where=sa.text("desk_rank IS NOT NULL"),
                 postgresql_where=sa.text("desk_rank IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("article.id"), index=True)
    position: Mapped[int]
    start: Mapped[int] = mapped_column("start_offset")
    end: Mapped[int] = mapped_column("end_offset")
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default="open")
    retired_at: Mapped[dt.datetime | None]
    # Hints for reviewers (annotator.text.hints), recomputed for the whole article at import and
    # after every boundary change; the queue can be filtered by them.
    is_quote: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    speaker: Mapped[str | None] = mapped_column(sa.String(SPEAKER_MAX_LENGTH))
    has_number: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    has_percent: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    has_money: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    has_date: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Its state's place in the desk's order, None when it is not on the desk; kept by
    # annotator.services.desk_ranks on every flush. Deferred: only the desk reads it, by SQL.
    desk_rank: Mapped[int | None] = mapped_column(sa.SmallInteger, deferred=True)

    article: Mapped[Article] = relationship(back_populates="claims")
    verdicts: WriteOnlyMapped[Verdict] = relationship(back_populates="claim")

    @property
    def is_hidden(self) -> bool:
        return self.status == "hidden"

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def apply_hints(self, hints: Any) -> None:
        """Store a ``ClaimHints`` (from annotator.text.hints) on the claim."""
        values = {column: bool(getattr(hints, name)) for name, column in HINT_COLUMNS.items()}
        values["speaker"] = (hints.speaker or "").strip()[:SPEAKER_MAX_LENGTH] or None
        # Only what changed: recomputing a long article after a boundary change must not
        # turn every one of its claims into an UPDATE.
        for name, value in values.items():
            if getattr(self, name, None) != value:
                setattr(self, name, value)

    @property
    def hint_names(self) -> list[str]:
        """The names (as in ``HINT_FILTERS``) of the hints this claim carries."""
        return [name for name, column in HINT_COLUMNS.items() if getattr(self, column)]

    def __repr__(self) -> str:
        return f"<Claim {self.id} #{self.position} of article {self.article_id}>"


class Verdict(db.Model):
    """A reviewer's current verdict on a claim; its history lives in ``VerdictRevision``."""

    __tablename__ = "verdict"
    __table_args__ = (
        sa.UniqueConstraint("claim_id", "reviewer_id"),
        sa.CheckConstraint(_in("label", LABELS), name="label"),
        sa.CheckConstraint(_in("moderation_state", MODERATION_STATES), name="moderation_state"),
        # The moderation queue reads its pages in this order, from a key on: an index on it
        # makes page 2,001 as cheap as page 1.
        sa.Index("ix_verdict_moderation_queue", "moderation_state", "updated_at", "id"),
        # A claim's verdicts, independent ones and labels (the desk's states, the claims
        # export, the queue's count of reviews) read from the index alone.
        sa.Index("ix_verdict_claim_reviews", "claim_id", "independent_version", "label"),
        # A reviewer's rejected verdicts and those to re-check, found directly; their
        # figures (Progress, the Articles page's counts) read from the index alone.
        sa.Index("ix_verdict_reviewer_state", "reviewer_id", "moderation_state",
                 "needs_recheck", "claim_id", "label"),
        # A reviewer's verdicts by their last change, newest first: the queue finds the
        # reviewer's latest save from the first few (``review_queue._latest_save``).
        sa.Index("ix_verdict_reviewer_changed", "reviewer_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed first in ix_verdict_claim_reviews and ix_verdict_reviewer_state (above).
    # active_history: a flush that moves the verdict knows the claim it left (desk_ranks).
    claim_id: Mapped[int] = mapped_column(sa.ForeignKey("claim.id"), active_history=True)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    label: Mapped[str] = mapped_column(sa.String(16))
    source_note: Mapped[str] = mapped_column(sa.Text)
    source_url: Mapped[str | None] = mapped_column(sa.String(SOURCE_URL_MAX_LENGTH))
    moderation_state: Mapped[str] = mapped_column(sa.String(16), default="pending", index=True)
    moderated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    moderated_at: Mapped[dt.datetime | None]
    moderation_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Bumped on every change; a save or moderation carrying an older number is refused
    # instead of silently overwriting what someone else wrote in between.
    version: Mapped[int] = mapped_column(default=1)
    # Set when the claim's boundaries changed under the verdict (split, merge, re-split);
    # cleared when the reviewer saves the verdict again, even unchanged.
    needs_recheck: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The claim a merge or re-split last moved this verdict from, so an edit that brings
    # that claim back (a split undoing the merge) returns the verdict to it. No foreign key
    # on purpose (see the migration): claims are never deleted.
    moved_from_claim_id: Mapped[int | None]
    # The first version its author saved without having seen anyone else's verdict on the
    # claim (see ``services.verdicts.saved_independently``): the one agreement counts, and
    # what makes the verdict count towards the claim's REVIEWS_PER_CLAIM. None when no
    # version was independent.
    independent_version: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="verdicts")
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    moderated_by: Mapped[User | None] = relationship(foreign_keys=[moderated_by_id])

    # UPDATEs carry "WHERE version = <loaded>": of two concurrent writers, the second fails
    # with StaleDataError instead of overwriting. We bump the number ourselves.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    def __repr__(self) -> str:
        return f"<Verdict {self.id} {self.label} v{self.version} {self.moderation_state}>"


class VerdictRevision(db.Model):
    """What a reviewer submitted, one row per save, never deleted.

    The moderation fields record what became of that very version, so the history
    shows which text was approved or rejected, by whom and why.
    """

    __tablename__ = "verdict_revision"
    __table_args__ = (sa.UniqueConstraint("verdict_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    verdict_id: Mapped[int] = mapped_column(sa.ForeignKey("verdict.id"), index=True)
    version: Mapped[int]
    label: Mapped[str] = mapped_column(sa.String(16))
    source_note: Mapped[str] = mapped_column(sa.Text)
    source_url: Mapped[str | None] = mapped_column(sa.String(SOURCE_URL_MAX_LENGTH))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Whether its author had seen no one else's verdict on the claim when saving it.
    independent: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    moderation_state: Mapped[str] = mapped_column(sa.String(16), default="pending")
    moderated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    moderated_at: Mapped[dt.datetime | None]
    moderation_reason: Mapped[str | None] = mapped_column(sa.Text)

    verdict: Mapped[Verdict] = relationship()
    moderated_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<VerdictRevision {self.verdict_id} v{self.version} {self.label}>"


class FinalVerdict(db.Model):
    """The desk's decision on a claim: the one verdict it stands behind and exports carry.

    At most one per claim; every change is kept as a ``FinalVerdictRevision`` and audited.
    """

    __tablename__ = "final_verdict"
    __table_args__ = (sa.CheckConstraint(_in("label", LABELS), name="label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(sa.ForeignKey("claim.id"), unique=True,
                                          active_history=True)
    label: Mapped[str] = mapped_column(sa.String(16))
    # Public: what readers of the fact-check are told.
    rationale: Mapped[str] = mapped_column(sa.Text)
    # One or more http(s) URLs, in the order given.
    sources: Mapped[list[str]] = mapped_column(JSON_TYPE, default=list)
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Set when the claim's boundaries change under the decision; cleared by deciding again.
    needs_recheck: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    version: Mapped[int] = mapped_column(default=1)

    claim: Mapped[Claim] = relationship()
    decided_by: Mapped[User] = relationship()

    # As for verdicts: of two editors deciding at once, the second is refused.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    def __repr__(self) -> str:
        return f"<FinalVerdict claim {self.claim_id} {self.label} v{self.version}>"


class FinalVerdictRevision(db.Model):
    """One version of a final verdict, as decided; never deleted."""

    __tablename__ = "final_verdict_revision"
    __table_args__ = (sa.UniqueConstraint("final_verdict_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    final_verdict_id: Mapped[int] = mapped_column(sa.ForeignKey("final_verdict.id"), index=True)
    version: Mapped[int]
    label: Mapped[str] = mapped_column(sa.String(16))
    rationale: Mapped[str] = mapped_column(sa.Text)
    sources: Mapped[list[str]] = mapped_column(JSON_TYPE, default=list)
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    decided_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<FinalVerdictRevision {self.final_verdict_id} v{self.version} {self.label}>"


class ClaimSkip(db.Model):
    """A reviewer's "not now" on a claim: it goes to the end of their queue for the day.

    Not a verdict. Undoing it sets ``undone_at``; the row stays, so the skip is on record.
    """

    __tablename__ = "claim_skip"
    __table_args__ = (
        sa.Index("ix_claim_skip_reviewer_day", "reviewer_id", "skipped_on"),
        # A reviewer's skips, newest first: the queue's place (``skips.latest_skip``).
        sa.Index("ix_claim_skip_reviewer_latest", "reviewer_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(sa.ForeignKey("claim.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    # The day (UTC) the skip holds for; the next day the claim is back in its place.
    skipped_on: Mapped[dt.date]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[dt.datetime | None]

    def __repr__(self) -> str:
        return f"<ClaimSkip claim {self.claim_id} by {self.reviewer_id} on {self.skipped_on}>"


class Setting(db.Model):
    """A choice an admin makes for the whole desk in the app (not in a config file), such
    as the order of the review queue; one row per key."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(200))
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Setting {self.key}={self.value!r}>"


class AuditEvent(db.Model):
    """One admin action: who, what, on which object, when, with before/after details."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    target_type: Mapped[str] = mapped_column(sa.String(32))
    target_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(JSON_TYPE, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.target_type}:{self.target_id}>"

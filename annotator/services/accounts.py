"""Accounts: creating users, checking passwords, activating and deactivating."""

from __future__ import annotations

import re
import secrets
import string
import unicodedata
from functools import cache

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from annotator.extensions import db
from annotator.models import ROLES, SiteState, User
from annotator.services import audit
from annotator.services.errors import DomainError

# Starts and ends with a letter or digit: "alice." or "chief_" beside "alice" and "chief"
# would pass for them in a list.
USERNAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,38}[A-Za-z0-9])$")
USERNAME_SEPARATORS = "._-"
# zxcvbn's score: 0 and 1 are "too guessable" (under a million guesses): the most common
# passwords of its 30,000-password list, repeats, sequences, keyboard rows, names, dates.
MIN_PASSWORD_SCORE = 2
# A temporary password an admin hands over: letters and digits that cannot be mistaken
# for one another when read out or copied by hand (no 0/O, 1/l/I), in groups of four.
TEMPORARY_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TEMPORARY_PASSWORD_GROUPS = 4  # 16 characters: about 79 bits, out of reach of guessing
# zxcvbn refuses longer input (its matching is slow on long strings); the first 72
# characters of a longer password already tell whether it is guessable.
ZXCVBN_MAX_LENGTH = 72


class AccountError(DomainError):
    """A rule about accounts was broken (most are about the username)."""

    field = "username"


def username_key(username: str) -> str:
    """The case-insensitive form under which usernames are unique."""
    return username.strip().casefold()


def check_username(username: str) -> str:
    """Return the trimmed username or raise ``AccountError`` explaining what is wrong.

    Only ASCII letters, digits and three separators: no bidirectional control, invisible
    or look-alike character from another script can get into a name.
    """
    username = username.strip()
    if not USERNAME_RE.fullmatch(username):
        raise AccountError(
            "A username has 2 to 40 characters: letters, digits, '.', '_' or '-', "
            "starting and ending with a letter or digit."
        )
    return username


@cache
def _prototypes() -> dict[str, str]:
    """Unicode's confusables (UTS #39), as character -> prototype.

    confusable_homoglyphs ships Unicode's confusables.txt as pairs listed both ways; a
    character with a single partner that has others too (or a partner of several
    characters, like "m" -> "rn") is the source, the partner its prototype. Two
    characters that only have each other map to the smaller one.
    """
    from confusable_homoglyphs.confusables import confusables_data

    def clean(text: str) -> str:
        return text.replace("\u200e", "")

    partners = {clean(k): [clean(e["c"]) for e in v] for k, v in confusables_data.items()}
    prototypes = {}
    for char, others in partners.items():
        if len(others) != 1 or others[0] == char:
            continue
        target = others[0]
        if len(target) > 1 or len(partners.get(target, ())) > 1 or target < char:
            prototypes[char] = target
    return prototypes


def skeleton(text: str) -> str:
    """The UTS #39 skeleton: equal for strings that look alike ("aIice", "alice")."""
    mapped = "".join(_prototypes().get(ch, ch) for ch in unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", mapped)


def look_alike_forms(username: str) -> frozenset[str]:
    """What a name looks like, without separators, as typed, in lower and in upper case,
    compared ignoring case as usernames are ("ALlCE" looks like "ALICE", "AIice" like
    "Alice": both are "alice")."""
    bare = username.translate({ord(ch): None for ch in USERNAME_SEPARATORS})
    return frozenset(
        skeleton(form).casefold() for form in (bare, bare.lower(), bare.upper())
    )


def check_not_look_alike(username: str) -> None:
    """Refuse a name that looks like an existing one: "aIice" (capital i), "a.lice",
    "rnary" beside "alice" and "mary"."""
    forms = look_alike_forms(username)
    for existing in db.session.scalars(sa.select(User.username)):
        if forms & look_alike_forms(existing):
            raise AccountError(
                f"The username {username!r} looks too much like the existing {existing!r}; "
                "choose a clearly different one."
            )


def check_password_strength(password: str, username: str | None = None) -> None:
    """Refuse passwords that are short, the username, or among the easiest to guess.

    Each refusal says why. "Easiest to guess" is zxcvbn's estimate, which knows the
    30,000 commonest passwords, words and names, repeats, sequences and keyboard rows.
    """
    minimum = current_app.config["MIN_PASSWORD_LENGTH"]
    if len(password) < minimum:
        raise AccountError(f"A password needs at least {minimum} characters.", "password")
    if username and _is_username_variant(password, username):
        raise AccountError(
            "A password must not be the username, or the username with digits or symbols "
            "added.", "password",
        )
    from zxcvbn import zxcvbn

    result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[username] if username else [])
    if result["score"] < MIN_PASSWORD_SCORE:
        reason = result["feedback"]["warning"] or (
            "It is made of common words, names, dates or patterns."
        )
        raise AccountError(
            f"This password is too easy to guess. {reason} "
            "Try several unrelated words.", "password",
        )


def _is_username_variant(password: str, username: str) -> bool:
    core = password.casefold().strip(string.digits + string.punctuation + string.whitespace)
    name = username_key(username)
    return bool(core) and (core in (name, name[::-1]) or core.replace(name, "") == "")


def find_user(username: str) -> User | None:
    """Look a user up by name, ignoring case."""
    return db.session.scalar(sa.select(User).where(User.username_key == username_key(username)))


def create_user(username: str, password: str, role: str, actor: User | None) -> User:
    """Create an account; the caller commits."""
    username = check_username(username)
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.", "role")
    check_password_strength(password, username)
    if find_user(username) is not None:
        raise AccountError(f"The username {username!r} is taken.")
    check_not_look_alike(username)
    user = User(username=username, username_key=username_key(username), role=role)
    user.set_password(password)
    # Two requests racing for one name: the unique index refuses the second flush with an
    # IntegrityError, which callers turn into "taken" after rolling back.
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", user, username=username, role=role)
    return user


def create_first_admin(username: str, password: str) -> User:
    """Create the admin on the setup page; exactly one visitor can ever do this.

    Of two simultaneous first visitors, the second one's flush of the "setup" row fails
    with IntegrityError (its primary key exists); the caller rolls back and reports it.
    """
    if any_user_exists():
        raise AccountError("Setup is already done; log in instead.")
    db.session.add(SiteState(key="setup"))
    db.session.flush()
    return create_user(username, password, "admin", actor=None)


def list_users() -> list[User]:
    """Every account, by name."""
    return list(db.session.scalars(sa.select(User).order_by(User.username_key)))


def set_active(user: User, active: bool, actor: User | None) -> None:
    """Activate or deactivate an account; an admin cannot lock themselves out, and the
    last active admin stays active (``actor`` None: the command line)."""
    if actor is not None and user.id == actor.id and not active:
        raise AccountError("You cannot deactivate your own account.")
    if user.is_active == active:
        return
    if user.is_admin and not active:
        lock_active_admins()
    user.is_active = active
    if not active:
        user.end_sessions()
        db.session.flush()
        check_an_active_admin_remains(user)
    audit.record(actor, "user.activate" if active else "user.deactivate", user,
                 username=user.username, before=not active, after=active)


def lock_active_admins() -> None:
    """Serialise every change that could leave no active admin.

    Two admins deactivating each other at the same moment would each see the other one
    still active and both succeed. On PostgreSQL this locks the rows of the active admins
    (in id order, so two callers cannot deadlock): the second caller waits, then sees the
    first one's change. On SQLite ``FOR UPDATE`` does nothing; there the change itself is
    flushed before the check (``check_an_active_admin_remains``), which takes the
    database's single write lock, so the check sees every committed change.
    """
    db.session.execute(
        sa.select(User.id)
        .where(User.role == "admin", User.is_active.is_(True))
        .order_by(User.id)
        .with_for_update()
    ).all()


def check_an_active_admin_remains(changed: User) -> None:
    """Refuse (the caller rolls back) a flushed change that left no active admin.

    Call it after ``lock_active_admins`` and after flushing the change, within the same
    transaction: a deactivation now, a change of role if one is ever added.
    """
    remaining = db.session.scalar(
        sa.select(sa.func.count(User.id)).where(User.role == "admin", User.is_active.is_(True))
    )
    if not remaining:
        raise AccountError(
            f"{changed.username} is the last active admin; at least one must remain. "
            "Create another admin first."
        )


def change_password(user: User, current: str, new: str) -> None:
    """A user changes their own password; every other session of theirs ends.

    The caller commits, and logs the user in again in the browser that asked (its session
    id changed along with the session token).
    """
    if not user.check_password(current):
        raise AccountError("That is not your current password.", "current")
    check_password_strength(new, user.username)
    if new == current:
        raise AccountError("The new password must differ from the current one.", "password")
    user.set_password(new)
    user.must_change_password = False
    user.end_sessions()
    audit.record(user, "user.password", user, username=user.username)


def reset_password(user: User, new: str, actor: User | None) -> None:
    """Set a password without knowing the old one (the operator's ``set-password``).

    The password is the one the account will use: a pending "choose a new password" from
    an admin's reset is lifted. Every open session of the account ends; the caller commits.
    """
    check_password_strength(new, user.username)
    user.set_password(new)
    user.must_change_password = False
    user.end_sessions()
    audit.record(actor, "user.password_reset", user, username=user.username)


def temporary_password() -> str:
    """A random one-time password from ``secrets``, e.g. ``k7mq-x2fp-9hwd-c4ra``."""
    groups = (
        "".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _ in range(4))
        for _ in range(TEMPORARY_PASSWORD_GROUPS)
    )
    return "-".join(groups)


def reset_to_temporary_password(user: User, actor: User) -> str:
    """An admin resets someone's forgotten password; returns the temporary password.

    Only its hash is stored, and nothing else keeps it (not the audit log): the caller
    shows it once. The account must choose a new password at its next login
    (``must_change_password``) and every open session of it ends now. Refused for the
    admin's own account (the Password page asks for the current one, which is the point)
    and for a deactivated account (activate it first: a reset must not let it in by the
    back door). The caller commits.
    """
    if user.id == actor.id:
        raise AccountError("You cannot reset your own password here; change it on the "
                           "Password page.")
    if not user.is_active:
        raise AccountError(f"{user.username}'s account is deactivated; activate it first if "
                           "they should log in again, then reset the password.")
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.end_sessions()
    audit.record(actor, "user.password_reset", user, username=user.username,
                 temporary=True, must_change_password=True)
    return password


def authenticate(username: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = find_user(username)
    if user is None:
        # Hash anyway, so the answer takes as long whether or not the name exists.
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


@cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def any_user_exists() -> bool:
    """True once the first-start setup has created an account."""
    return db.session.scalar(sa.select(sa.literal(True)).select_from(User).limit(1)) is not None

"""Operations commands: ``flask --app annotator import|create-user|set-password|
activate-user|deactivate-user|export-csv|backup|restore|recompute-hints|agreement``.

Thin wrappers over the same service functions the web views call.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from annotator import backup
from annotator.extensions import db
from annotator.models import MAX_INTEGER, ROLES, User
from annotator.services import accounts, agreement, claim_hints
from annotator.services.article_import import (
    ImportReport,
    expand_paths,
    import_and_commit,
    read_limited,
)
from annotator.services.export import claims_export, verdicts_export

# Below this many files a progress bar is noise.
PROGRESS_THRESHOLD = 20
# The import reads and splits so many files (holding no lock), then stores each article
# in its own short transaction, so a huge folder is never all in memory and reviewers'
# saves never wait for splitting.
PREPARE_EVERY = 50
# recompute-hints commits every so many articles.
COMMIT_EVERY = 50


@click.command("import")
@with_appcontext
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def import_command(paths: tuple[Path, ...]) -> None:
    """Import UTF-8 plain-text articles from files or folders (folders: every *.txt below).

    Re-importing a text already present does nothing. Refused files are listed with the
    reason and the exit status is 1; the other files are still imported.
    """
    files = list(expand_paths(paths))
    if not files:
        raise click.ClickException("No .txt files found in the given folders.")
    limit = current_app.config["MAX_ARTICLE_BYTES"]
    report = ImportReport()
    batch: list[tuple[str, bytes]] = []
    with click.progressbar(
        files, label=f"Importing {len(files)} files", file=sys.stderr,
        hidden=len(files) < PROGRESS_THRESHOLD,
    ) as bar:
        for path in bar:
            batch.append((path.name, read_limited(path, limit)))
            if len(batch) == PREPARE_EVERY:
                report.merge(import_and_commit(batch, None))
                batch = []
    if batch:
        report.merge(import_and_commit(batch, None))
    for message in report.refused:
        click.echo(f"refused: {message}", err=True)
    click.echo(
        f"{report.summary()}; "
        f"{sum(a.claims for a in report.imported)} claims created."
    )
    if report.refused:
        sys.exit(1)


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="reviewer", show_default=True)
@click.option(
    "--password", prompt=True, hide_input=True, confirmation_prompt=True,
    envvar="ANNOTATOR_PASSWORD",
    help="Asked for when not given; scripts can pass it or set ANNOTATOR_PASSWORD.",
)
def create_user_command(username: str, role: str, password: str) -> None:
    """Create an account with the given role (reviewer or admin)."""
    try:
        user = accounts.create_user(username, password, role, actor=None)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    except IntegrityError:
        raise click.ClickException(f"The username {username!r} is taken.") from None
    db.session.commit()
    current_app.extensions["annotator.setup_done"] = True
    click.echo(f"Created {user.role} {user.username}.")


@click.command("set-password")
@with_appcontext
@click.argument("username")
@click.option(
    "--password", prompt=True, hide_input=True, confirmation_prompt=True,
    envvar="ANNOTATOR_PASSWORD",
    help="Asked for when not given; scripts can pass it or set ANNOTATOR_PASSWORD.",
)
def set_password_command(username: str, password: str) -> None:
    """Set an account's password (for a forgotten one); its open sessions are logged out."""
    user = _change_account(username, lambda user: accounts.reset_password(user, password, None))
    click.echo(f"Password of {user.username} changed; their sessions were logged out.")


def _change_account(username: str, change) -> User:
    """Find the account (name matched ignoring case), apply ``change`` and commit; a missing
    account or a broken rule stops the command with its message and changes nothing."""
    user = accounts.find_user(username)
    if user is None:
        raise click.ClickException(f"No account named {username!r}.")
    try:
        change(user)
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(f"{error} Nothing was changed.") from None
    db.session.commit()
    return user


def _set_active_from_cli(username: str, active: bool) -> None:
    user = _change_account(username, lambda user: accounts.set_active(user, active, None))
    click.echo(f"{user.username} is now {'active' if active else 'deactivated'}.")


@click.command("activate-user")
@with_appcontext
@click.argument("username")
def activate_user_command(username: str) -> None:
    """Let a deactivated account log in again (name matched ignoring case).

    Its sessions from before the deactivation stay ended. This is the way back in when
    every admin account was deactivated or its password is lost (with set-password).
    """
    _set_active_from_cli(username, True)


@click.command("deactivate-user")
@with_appcontext
@click.argument("username")
def deactivate_user_command(username: str) -> None:
    """Stop an account from logging in and end its open sessions; its verdicts stay.

    The last active admin cannot be deactivated.
    """
    _set_active_from_cli(username, False)


@click.command("export-csv")
@with_appcontext
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option(
    "--per-claim", is_flag=True,
    help="One row per live claim (its verdict counts, state and final verdict) instead of "
         "one per verdict.",
)
def export_csv_command(output: Path | None, per_claim: bool) -> None:
    """Export every verdict on a visible claim as CSV, or with --per-claim one row per live
    claim (the same columns as the web downloads)."""
    export = claims_export() if per_claim else verdicts_export()
    if output is None:
        # Bytes, so the CRLF row ends of RFC 4180 reach the pipe untranslated.
        stdout = sys.stdout.buffer
        try:
            for chunk in export.chunks:
                stdout.write(chunk.encode("utf-8"))
            stdout.flush()
        finally:
            export.close()
        return
    # Write beside the target and rename, so a failed export never leaves half a file.
    partial = output.with_name(output.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            for chunk in export.chunks:
                handle.write(chunk)
        partial.replace(output)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"Cannot write {output}: {error.strerror}.") from None
    finally:
        export.close()
    click.echo(f"Wrote {output} ({export.rows} rows).", err=True)


def _sqlite_file(command: str, postgres_advice) -> Path:
    """The SQLite file of the configured database; on PostgreSQL, stop with the advice that
    ``postgres_advice(url)`` gives (the pg_dump or pg_restore command to run instead)."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        database = backup.sqlite_path(url)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    if database is None:
        raise click.ClickException(
            f"This command {command} SQLite databases only. {postgres_advice(url)}"
        )
    return database


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def backup_command(file: Path, force: bool) -> None:
    """Back up the SQLite database to FILE, safely while the app is running.

    On PostgreSQL, use pg_dump instead (the message gives the command).
    """
    database = _sqlite_file("backs up", lambda url: (
        "On PostgreSQL use pg_dump:\n  " + backup.pg_dump_command(url, str(file))
        + "\n(restore with: " + backup.pg_restore_command(url, str(file)) + ")"
    ))
    try:
        size = backup.backup_sqlite(database, file, force=force)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up {database} to {file} ({size} bytes).")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup FILE (made by the backup command).

    The current database is kept beside it as NAME.before-restore-TIMESTAMP, and the schema
    of an older backup is upgraded. Stop the app servers first, and start them again after.
    """
    database = _sqlite_file("restores", lambda url: (
        "On PostgreSQL use pg_restore:\n  " + backup.pg_restore_command(url, str(file))
    ))
    migrations = os.path.join(current_app.root_path, "migrations")
    try:
        backup.check_backup(file, migrations)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    if not yes:
        click.confirm(
            f"Replace everything in {database} with {file}?", abort=True, err=True,
        )
    # No pooled connection may keep pages of the database being replaced.
    db.session.remove()
    db.engine.dispose()
    try:
        revision, safety = backup.restore_sqlite(database, file, migrations)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    if safety is not None:
        click.echo(f"The database before the restore is kept at {safety}.")
    from flask_migrate import upgrade

    upgrade(directory=migrations)
    db.engine.dispose()
    current_app.extensions.pop("annotator.setup_done", None)
    head = backup.known_revisions(migrations)[0]
    upgraded = f", upgraded to {head}" if revision != head else ""
    click.echo(f"Restored {file} into {database} (schema {revision}{upgraded}).")


@click.command("recompute-hints")
@with_appcontext
def recompute_hints_command() -> None:
    """Recompute every live claim's hints with the current rules (boundaries stay as they are).

    Run it after an upgrade that changes the hint rules; an article's hints are otherwise
    computed at import and after each boundary change.
    """
    done = 0
    for done in claim_hints.refresh_all_in_batches():  # noqa: B007 (the count is echoed)
        db.session.commit()
        db.session.expunge_all()  # the bodies of a large corpus need not stay in memory
    claim_hints.backfill_done()
    db.session.commit()
    click.echo(f"Recomputed the hints of {done} articles.")


@click.command("agreement")
@with_appcontext
@click.option("--article", type=click.IntRange(1, MAX_INTEGER),
              help="Only this article's claims (its id, as in /articles/ID).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Only verdicts whose counted version was saved on or after this day (UTC).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True)
def agreement_command(article: int | None, since: dt.datetime | None,
                      output_format: str) -> None:
    """How far reviewers agree: Krippendorff's alpha, Fleiss' kappa, percent agreement,
    Cohen's kappa per pair, per label, article and reviewer, and the claims that differ.

    Counts each reviewer's first independent verdict on each live claim (README, "Agreement").
    """
    try:
        report = agreement.agreement_report(article, since.date() if since else None)
    except agreement.AgreementFilterError as error:
        raise click.BadParameter(str(error), param_hint="'--article'") from None
    if output_format == "json":
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        click.echo(report.to_text(), nl=False)


commands = [import_command, create_user_command, set_password_command, export_csv_command,
            backup_command, restore_command, recompute_hints_command,
            activate_user_command, deactivate_user_command, agreement_command]

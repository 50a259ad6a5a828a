"""The app's command-line group, filled on first use.

``flask --app annotator ...`` asks the group for its commands; an app server never does.
Importing the commands (and Flask-Migrate's ``flask db``) pulls in Alembic, the backup
module and every service a command uses, which would otherwise sit in each worker's
memory and lengthen its start.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup


class LazyCommands(AppGroup):
    """``app.cli``, importing ``annotator.cli`` and attaching Flask-Migrate the first time
    a command line lists or looks up a command."""

    def __init__(self, app: Flask, **kwargs) -> None:
        super().__init__(**kwargs)
        self._app = app
        self._loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        from annotator.cli import commands
        from annotator.database import attach_migrations

        for command in commands:
            self.add_command(command)
        attach_migrations(self._app)  # adds ``db`` to this group

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load()
        return super().list_commands(ctx)

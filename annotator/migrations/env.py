"""Alembic environment: runs the migrations on the app's own engine and metadata.

Logging is left to the app (no fileConfig), so running migrations at start-up does not
reconfigure the app's loggers.
"""

import logging

from alembic import context
from flask import current_app

config = context.config
logger = logging.getLogger("alembic.env")
target_db = current_app.extensions["migrate"].db

# Any constant works: it only has to be the same for every process migrating this database.
PG_MIGRATION_LOCK = 7461605


def _skip_empty_autogenerate(context_, revision, directives) -> None:
    """``flask db migrate`` with no model change writes no empty revision."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_offline() -> None:
    """Emit SQL for ``flask db upgrade --sql`` without connecting."""
    context.configure(
        url=target_db.engine.url.render_as_string(hide_password=False),
        target_metadata=target_db.metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate through a connection of the app's engine."""
    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", _skip_empty_autogenerate)
    # Batch mode rebuilds tables where SQLite cannot ALTER; a no-op elsewhere.
    conf_args.setdefault("render_as_batch", True)
    conf_args.setdefault("compare_type", True)

    with target_db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # App servers on several hosts may start at once; one migrates, the others wait.
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_MIGRATION_LOCK})")
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

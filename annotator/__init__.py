"""annotator: a fact-checking desk for news claims.

``create_app`` builds the application in a fixed order: settings (defaults, then
``instance/config.py``, then the environment, then the test mapping), extensions,
database preparation, blueprints, CLI commands, error handlers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from annotator import settings
from annotator.web import guards


def create_app(test_config: Mapping[str, Any] | None = None, instance_path: str | None = None):
    """Create and configure an annotator application."""
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    settings.configure(app, test_config)

    register_proxy_fix(app)
    register_extensions(app)
    guards.register(app)  # before the blueprints: their routes use its id converter
    register_blueprints(app)
    register_rate_limits(app)
    register_cli(app)
    register_error_handlers(app)
    register_security_headers(app)

    from annotator.database import prepare_database

    prepare_database(app, migrate=app.config["AUTO_MIGRATE"])
    return app


def register_proxy_fix(app: Flask) -> None:
    """Behind ``PROXY_HOPS`` reverse proxies, take the client's address and scheme from the
    forwarding headers they set (never trusted by default: anyone can send them)."""
    hops = int(app.config["PROXY_HOPS"])
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions from ``extensions.py`` to this app."""
    from annotator import database
    from annotator.extensions import csrf, db, login_manager

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    database.install_sqlite_pragmas()
    database.keep_derived_columns_current()

    from annotator.web import auth

    auth.configure_login(login_manager)


def register_blueprints(app: Flask) -> None:
    """Attach one blueprint per audience."""
    from annotator.web.admin import bp as admin_bp
    from annotator.web.auth import bp as auth_bp
    from annotator.web.export import bp as export_bp
    from annotator.web.review import bp as review_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(export_bp, url_prefix="/export")

    from annotator.web.template_helpers import register_template_helpers

    register_template_helpers(app)


def register_rate_limits(app: Flask) -> None:
    """Slow down password guessing on the login, setup and password-change forms."""
    from annotator.web.rate_limits import configure_rate_limits

    configure_rate_limits(app)


def register_cli(app: Flask) -> None:
    """Add the operations commands (``flask --app annotator --help`` lists them) and
    ``flask db``, loaded when a command line first asks for one: an app server never
    does, and they bring in Alembic and modules no request needs."""
    from annotator.command_group import LazyCommands

    app.cli = LazyCommands(app, name=app.cli.name)


def register_error_handlers(app: Flask) -> None:
    """Friendly pages for the errors users can meet, with a rollback on server errors."""
    from annotator.web.error_pages import register

    register(app)


def register_security_headers(app: Flask) -> None:
    """Send the security headers on every response."""
    from annotator.web.headers import add_security_headers, quiet_development_server

    app.after_request(add_security_headers)
    quiet_development_server()

"""The stack alone: annotator's libraries doing a claim page and a save, with none of its
rules (Flask-SQLAlchemy with four minimal models, Flask-Login, CSRFProtect). See
``reference_apps.py``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, abort, redirect, render_template, request
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from reference_apps import ClaimRow, checked_save, reference_app, render_padded
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

# The stack alone's own minimal models, apart from annotator's metadata.
stack_db = SQLAlchemy()


class StackUser(UserMixin, stack_db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str]


class StackArticle(stack_db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    body: Mapped[str]


class StackClaim(stack_db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("stack_article.id"))
    text: Mapped[str]
    article: Mapped[StackArticle] = relationship()


class StackVerdict(stack_db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(sa.ForeignKey("stack_claim.id"))
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("stack_user.id"))
    label: Mapped[str]
    source_note: Mapped[str]
    created_at: Mapped[dt.datetime]


def build_stack(database: Path, rows: list[ClaimRow]) -> None:
    """The same articles and claims (same ids) as annotator's, and the one reviewer, in a
    WAL database as annotator's are."""
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode = WAL")
        stack_db.metadata.create_all(connection)
        articles = {title: body for _, title, body, _ in rows}
        ids = {title: number for number, title in enumerate(articles, start=1)}
        connection.execute(sa.insert(StackUser.__table__), [{"id": 1, "username": "reviewer"}])
        connection.execute(sa.insert(StackArticle.__table__), [
            {"id": ids[title], "title": title, "body": body} for title, body in articles.items()])
        connection.execute(sa.insert(StackClaim.__table__), [
            {"id": cid, "article_id": ids[title], "text": text} for cid, title, _, text in rows])
    engine.dispose()


def stack_app(database: Path, page_bytes: int) -> Flask:
    """annotator's libraries doing a claim page and a save, with none of annotator's rules."""
    app = reference_app("stack", page_bytes)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    stack_db.init_app(app)
    CSRFProtect(app)
    logins = LoginManager(app)
    logins.user_loader(lambda user_id: stack_db.session.get(StackUser, int(user_id)))

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "GET":
            return render_template("login.html")
        login_user(stack_db.session.get(StackUser, 1))
        return redirect("/")

    @app.get("/claims/<int:claim_id>")
    @login_required
    def claim(claim_id: int):
        found = stack_db.session.scalar(sa.select(StackClaim).where(StackClaim.id == claim_id)
                                        .options(joinedload(StackClaim.article)))
        if found is None:
            abort(404)
        return render_padded(found.id, found.article.title, found.article.body, found.text)

    @app.post("/claims/<int:claim_id>")
    @login_required
    def save(claim_id: int):
        label, note = checked_save()
        stack_db.session.add(StackVerdict(claim_id=claim_id, reviewer_id=current_user.id,
                                          label=label, source_note=note,
                                          created_at=dt.datetime.now(dt.UTC)))
        stack_db.session.commit()
        return redirect(f"/claims/{claim_id + 1}")

    return app

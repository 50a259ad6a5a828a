"""The Articles page's data: search, sort and progress filter, paged by key.

Every choice comes from the query string as plain text and is read here into an
``ArticleQuery``: an unknown or edited value falls back to the default rather than
erroring, so any link reproduces (or safely approximates) a view.

Progress counts live claims and the done ones: my verdicts for a reviewer, the desk's
decisions for an admin. The page is read by key on ``(sort value, id)``, with no OFFSET,
and its rows' progress in one more query on their ids. Only a view that filters or sorts
by progress joins an aggregate over every article's live claims: bounded in queries but
linear in claims (see the README's "Articles" section for the measured cost).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import defer

from annotator.extensions import db
from annotator.models import Article, Claim, FinalVerdict, User, Verdict
from annotator.services import progress, review_queue
from annotator.services.keyset import KeysetPage, count_rows, encode_cursor, keyset_page
from annotator.text.sizes import COUNT_SHOWN_MAX

# What the list can be sorted by, and the label each choice shows.
SORTS = {"imported": "Import date", "published": "Article date", "progress": "Progress"}
DIRECTIONS = {"desc": "Descending", "asc": "Ascending"}
# Progress states; "archived" is offered to admins only.
STATES = {"": "All", "not_started": "Not started", "in_progress": "In progress",
          "done": "Done"}
ARCHIVED = "archived"
_PROGRESS_STATES = ("not_started", "in_progress", "done")
# Longer text cannot match a title (at most 300 characters); cut it instead of refusing.
SEARCH_MAX_CHARS = 300
# The list's count says "1,000+" beyond this (``count_rows``): counting 100,000 articles,
# or their progress when the list is filtered by it, cost more than the page.
ARTICLES_COUNT_SHOWN_MAX = COUNT_SHOWN_MAX
# Progress as an integer in ten-thousandths, so a cursor carries it exactly.
PROGRESS_SCALE = 10_000
_LIKE_ESCAPE = "\\"


@dataclass(frozen=True)
class ArticleQuery:
    """The list's view: search text, sort, direction and state filter."""

    search: str = ""
    sort: str = "imported"
    direction: str = "desc"
    state: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str], *, is_admin: bool) -> ArticleQuery:
        """The view the query string asks for; unknown values fall back to the default."""
        states = set(STATES) | ({ARCHIVED} if is_admin else set())
        sort = args.get("sort", "")
        direction = args.get("dir", "")
        state = args.get("state", "")
        return cls(
            # No stored text holds a NUL (PostgreSQL refuses it in a query, too).
            search=" ".join((args.get("q") or "").replace("\x00", "").split())[:SEARCH_MAX_CHARS],
            sort=sort if sort in SORTS else cls.sort,
            direction=direction if direction in DIRECTIONS else cls.direction,
            state=state if state in states else cls.state,
        )

    def as_args(self) -> dict[str, str]:
        """The query-string arguments that reproduce this view (defaults left out)."""
        default = ArticleQuery()
        pairs = {"q": (self.search, default.search), "sort": (self.sort, default.sort),
                 "dir": (self.direction, default.direction),
                 "state": (self.state, default.state)}
        return {name: value for name, (value, usual) in pairs.items() if value != usual}

    @property
    def cursor_kinds(self) -> tuple[type, ...]:
        """The kinds of the paging key: the id alone for import order, else (value, id)."""
        return (int,) if self.sort == "imported" else (int, int)


@dataclass(frozen=True)
class ArticleRow:
    """One article with its progress: mine for a reviewer, the team's for an admin."""

    article: Article
    claims: int  # live claims
    done: int  # judged by me (reviewer) or decided by the desk (admin)
    recheck: int
    team: progress.ClaimFigures | None = None  # admins only

    @property
    def state(self) -> str:
        if self.claims and not self.done:
            return "not_started"
        return "in_progress" if self.done < self.claims else "done"


@dataclass(frozen=True)
class ArticleListPage:
    page: KeysetPage
    rows: list[ArticleRow]
    query: ArticleQuery
    queue_size: int
    waiting: review_queue.WaitingVerdicts
    team: bool  # whether the rows show the team's progress
    states: dict[str, str] = field(default_factory=dict)  # the filter's choices


def like_pattern(text: str) -> str:
    """``%text%`` with LIKE's wildcards escaped, so ``%`` and ``_`` match themselves."""
    escaped = (text.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2)
               .replace("%", _LIKE_ESCAPE + "%").replace("_", _LIKE_ESCAPE + "_"))
    return f"%{escaped}%"


def _matching(search: str) -> sa.ColumnElement[bool]:
    """Title, file name or the source named in the file's header contain ``search``,
    ignoring case (ILIKE; on SQLite its lower() folds ASCII letters only)."""
    pattern = like_pattern(search)
    columns = (Article.title, Article.source, Article.meta["source"].as_string())
    return sa.or_(*(column.ilike(pattern, escape=_LIKE_ESCAPE) for column in columns))


def _progress_per_article(user: User, team: bool,
                          where: sa.ColumnElement[bool] | None = None) -> sa.Select:
    """Per article with live claims (among those ``where`` keeps): its article id, how
    many, how many done, how many to re-check."""
    live = sa.and_(Claim.status == "open", Claim.retired_at.is_(None))
    if team:
        done, recheck_flag = FinalVerdict.id, FinalVerdict.needs_recheck
        query = sa.select(Claim.article_id).outerjoin(
            FinalVerdict, FinalVerdict.claim_id == Claim.id)
    else:
        done, recheck_flag = Verdict.id, Verdict.needs_recheck
        query = sa.select(Claim.article_id).outerjoin(
            Verdict, sa.and_(Verdict.claim_id == Claim.id, Verdict.reviewer_id == user.id))
    return query.add_columns(
        sa.func.count(Claim.id).label("claims"), sa.func.count(done).label("done"),
        sa.func.count(sa.case((recheck_flag.is_(True), done))).label("recheck"),
    ).where(live, sa.true() if where is None else where).group_by(Claim.article_id)


def _date_key(day: dt.date | None) -> int:
    """An article's date as a cursor carries it: the integer YYYYMMDD, 0 when missing."""
    return 0 if day is None else day.year * 10_000 + day.month * 100 + day.day


def _day_of(key: int) -> dt.date | None:
    """The date a cursor's YYYYMMDD names (None for 0: no date); ValueError when none."""
    return None if key == 0 else dt.date(key // 10_000, key // 100 % 100, key % 100)


def _by_article_date(select: sa.Select, *, descending: bool, after: tuple | None,
                     before: tuple | None, size: int) -> KeysetPage:
    """A page of ``select`` by article date, an undated article counting as the oldest,
    read by key like ``keyset_page`` (same cursors, ``YYYYMMDD_id``) without sorting every
    article: the dated articles are one run by (date, id) on ix_article_by_date, the
    undated ones another by id, read one after the other."""
    try:
        start = next((_day_of(key[0]), key[1]) for key in (before, after) if key is not None)
    except StopIteration:
        start = None
    except ValueError:  # a number that is no date: an edited link shows the first page
        start, after, before = None, None, None
    backwards = before is not None
    forward_desc = descending != backwards  # the direction rows are read in
    # Reading newest first, the dated articles come first; oldest first, the undated.
    runs = (True, False) if forward_desc else (False, True)
    if start is not None:
        runs = runs[runs.index(start[0] is not None):]
    rows: list[sa.Row] = []
    for dated in runs:
        columns = (Article.published_on, Article.id) if dated else (Article.id,)
        run = select.where(Article.published_on.is_not(None) if dated
                           else Article.published_on.is_(None))
        if start is not None and (start[0] is not None) == dated:
            key, here = sa.tuple_(*(start if dated else start[1:])), sa.tuple_(*columns)
            run = run.where(here < key if forward_desc else here > key)
        run = run.options(defer(Article.body)).order_by(
            *(c.desc() if forward_desc else c.asc() for c in columns))
        rows += db.session.execute(run.limit(size + 1 - len(rows))).all()
        if len(rows) > size:
            break
    return _page_of(select, rows, size, backwards=backwards, after=after, before=before)


def _page_of(select: sa.Select, rows: list[sa.Row], size: int, *, backwards: bool,
             after: tuple | None, before: tuple | None) -> KeysetPage:
    """The ``KeysetPage`` of rows read by ``_by_article_date`` (one more than a page when
    there is more), with the cursors of its ends and the count of the whole list."""
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    total = count_rows(select, (Article.id,), ARTICLES_COUNT_SHOWN_MAX)
    keys = [(_date_key(row[0].published_on), row[0].id) for row in rows]
    first, last = (keys[0], keys[-1]) if keys else (None, None)
    has_before = more if backwards else after is not None and bool(rows)
    has_after = (before is not None and bool(rows)) if backwards else more
    return KeysetPage(items=rows, total=total,
                      before=encode_cursor(first) if has_before and first else None,
                      after=encode_cursor(last) if has_after and last else None)


def _state_filter(state: str, claims, done) -> sa.ColumnElement[bool] | None:
    return {
        "not_started": sa.and_(claims > 0, done == 0),
        "in_progress": sa.and_(done > 0, done < claims),
        "done": done >= claims,
    }.get(state)


def _listed(user: User, query: ArticleQuery, team: bool) -> tuple[sa.Select, tuple]:
    """The list's query and its paging key. Progress over every article (one aggregate of
    all live claims) is joined only when the view filters or sorts by it."""
    select = sa.select(Article).where(
        Article.archived_at.is_not(None) if query.state == ARCHIVED
        else Article.archived_at.is_(None))
    if query.search:
        select = select.where(_matching(query.search))
    if query.sort == "imported":
        sort_value = Article.id
    elif query.sort == "published":  # paged by ``_by_article_date``
        sort_value = Article.published_on
    if query.sort == "progress" or query.state in _PROGRESS_STATES:
        stats = _progress_per_article(user, team).subquery("article_progress")
        select = select.outerjoin(stats, stats.c.article_id == Article.id)
        claims = sa.func.coalesce(stats.c.claims, 0)
        done = sa.func.coalesce(stats.c.done, 0)
        if query.state in _PROGRESS_STATES:
            select = select.where(_state_filter(query.state, claims, done))
        if query.sort == "progress":
            sort_value = sa.case((claims > 0, done * PROGRESS_SCALE // claims),
                                 else_=PROGRESS_SCALE)
    order = (Article.id,) if query.sort == "imported" else (sort_value, Article.id)
    return select.add_columns(*order), order


def article_list(user: User, query: ArticleQuery, *, after: tuple | None,
                 before: tuple | None, size: int) -> ArticleListPage:
    """One page of the Articles list for ``user``, as ``query`` asks.

    Queries: the page and its count, the page's progress, the team figures for an admin,
    the queue size and the waiting verdicts: a fixed number whatever the page's size or
    depth."""
    team = user.is_admin
    select, order = _listed(user, query, team)
    if query.sort == "published":
        page = _by_article_date(select, descending=query.direction == "desc", after=after,
                                before=before, size=size)
    else:
        page = keyset_page(
            select, order, lambda row: tuple(row[1:]), descending=query.direction == "desc",
            after=after, before=before, size=size, whole_rows=True,
            # The list never shows bodies; leaving them out keeps the page light.
            options=(defer(Article.body),), count_up_to=ARTICLES_COUNT_SHOWN_MAX,
        )
    articles = [row[0] for row in page.items]
    ids = [article.id for article in articles]
    counts = {}
    if ids:
        counts = {article_id: figures for article_id, *figures in db.session.execute(
            _progress_per_article(user, team, Claim.article_id.in_(ids)))}
    figures = (progress.figures_by_article(ids, current_app.config["REVIEWS_PER_CLAIM"])
               if team else {})
    rows = [ArticleRow(article, *map(int, counts.get(article.id, (0, 0, 0))),
                       team=figures.get(article.id, progress.ClaimFigures()) if team else None)
            for article in articles]
    states = dict(STATES) | ({ARCHIVED: "Archived"} if team else {})
    return ArticleListPage(page, rows, query, review_queue.queue_size(user),
                           review_queue.waiting_verdicts(user), team, states)

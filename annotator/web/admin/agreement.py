"""The agreement page: how far reviewers agree, and the claims behind each figure.

A GET page with a filter form in the query string (``article``, ``since``) and ``focus``
naming the figure whose claims are listed. A filter that cannot be read is left out with
a message beside it; the page never fails on what was typed in the address bar.
"""

from __future__ import annotations

import datetime as dt

from flask import render_template, request
from markupsafe import Markup

from annotator.models import MAX_INTEGER
from annotator.services.agreement import agreement_page
from annotator.text import charts
from annotator.web.admin import bp

DATE_FORMAT = "%Y-%m-%d"


def _article_filter() -> tuple[int | None, str | None]:
    """The ``article`` argument as an id, or None and the reason it was not applied."""
    raw = request.args.get("article", "").strip()
    if not raw:
        return None, None
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_INTEGER:
        return int(raw), None
    return None, (f"“{raw}” is not an article number (the number in an article's "
                  "address, /articles/NUMBER); every article is counted.")


def _since_filter() -> tuple[dt.date | None, str | None]:
    """The ``since`` argument as a date, or None and the reason it was not applied."""
    raw = request.args.get("since", "").strip()
    if not raw:
        return None, None
    try:
        return dt.datetime.strptime(raw, DATE_FORMAT).date(), None
    except ValueError:
        return None, (f"“{raw}” is not a date written YYYY-MM-DD (for example 2026-11-30); "
                      "verdicts of every date are counted.")


@bp.route("/agreement")
def agreement():
    """Agreement figures with what each stands on, the charts, and the disagreement list."""
    article_id, article_problem = _article_filter()
    since, since_problem = _since_filter()
    page = agreement_page(article_id, since, request.args.get("focus") or None)
    problems = {"article": article_problem, "since": since_problem, **page.problems}
    # The filters as applied, for the links that keep them (a figure's claims, a focus).
    applied = {name: value for name, value in (
        ("article", article_id), ("since", since.isoformat() if since else None),
    ) if value is not None}
    return render_template(
        "admin/agreement.html", page=page, report=page.report, applied=applied,
        problems={field: text for field, text in problems.items() if text},
        raw={name: request.args.get(name, "") for name in ("article", "since")},
        # The charts escape every piece of text they draw (annotator.text.charts).
        heatmap=Markup(charts.pair_heatmap(page.report)),
        label_bars=Markup(charts.label_bars(page.report)),
    )

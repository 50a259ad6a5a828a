"""The moderation queue at scale: pending verdicts on claims of 1 MiB articles.

    .venv/bin/python benchmarks/bench_moderation.py [--verdicts 100000] [--article-kib 1024]

Fills a temporary SQLite instance with articles of about ``--article-kib`` KiB, 2,000
claims each, one pending verdict per claim (bulk inserts, no splitting), then times, through
the WSGI stack with an admin logged in, the first page of /admin/moderation, a page in the
middle and the last page (reached by their cursors), and the audit log. For comparison it
also times, once, the OFFSET query the queue used before, for page 2 only (deeper pages
took minutes and filled the disk with sort space), directly in SQL with the article body
loaded as the old page did. Figures in milliseconds, median of ``--repeat`` requests.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from annotator import create_app
from annotator.extensions import db
from annotator.models import Article, Claim, Verdict
from annotator.services.accounts import create_user
from annotator.services.keyset import encode_cursor
from annotator.text.timestamps import utcnow

CLAIMS_PER_ARTICLE = 2000
PASSWORD = "Bench-mark password 42"


def fill(app, verdicts: int, article_kib: int) -> None:
    """Articles of ``article_kib`` KiB with 2,000 one-line claims, one verdict on each."""
    sentence_len = article_kib * 1024 // CLAIMS_PER_ARTICLE
    with app.app_context():
        reviewer = create_user("bulkreviewer", PASSWORD, "reviewer", None)
        db.session.flush()
        articles = -(-verdicts // CLAIMS_PER_ARTICLE)
        for a in range(articles):
            line = (f"Article {a} says the figure rose by {{n}} percent. " * 40)
            texts = [(line.format(n=i))[:sentence_len - 1] for i in range(CLAIMS_PER_ARTICLE)]
            body = "\n".join(texts)
            article = Article(title=f"Large {a}", source=f"large-{a}.txt", body=body,
                              checksum=f"{a:064x}")
            db.session.add(article)
            db.session.flush()
            offset, rows = 0, []
            for i, text in enumerate(texts, start=1):
                rows.append({"article_id": article.id, "position": i, "start": offset,
                             "end": offset + len(text), "text": text, "status": "open"})
                offset += len(text) + 1
            db.session.execute(sa.insert(Claim), rows)
            db.session.commit()
        claim_ids = list(db.session.scalars(sa.select(Claim.id).order_by(Claim.id)))[:verdicts]
        now = utcnow()
        for start in range(0, len(claim_ids), 5000):
            db.session.execute(sa.insert(Verdict), [
                {"claim_id": cid, "reviewer_id": reviewer.id, "label": "supported",
                 "source_note": "Matches the statistics office's table.", "version": 1,
                 "moderation_state": "pending", "created_at": now, "updated_at": now}
                for cid in claim_ids[start:start + 5000]])
        create_user("benchadmin", PASSWORD, "admin", None)
        db.session.commit()


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def cursors(app, positions: list[int]) -> list[str | None]:
    """The ``after`` cursor that starts a page at each position of the queue (None: first)."""
    with app.app_context():
        keys = db.session.execute(
            sa.select(Verdict.updated_at, Verdict.id)
            .where(Verdict.moderation_state == "pending").order_by(Verdict.updated_at, Verdict.id)
        ).all()
    return [None if p == 0 else encode_cursor(keys[p - 1]) for p in positions]


def offset_page_ms(app, offset: int, size: int, repeat: int) -> float:
    """The queue's former query: OFFSET, with each claim's article (body included)."""
    def run():
        with app.app_context():
            db.session.scalars(
                sa.select(Verdict).join(Verdict.claim)
                .where(Verdict.moderation_state == "pending", Claim.status == "open")
                .options(joinedload(Verdict.reviewer),
                         joinedload(Verdict.claim).joinedload(Claim.article))
                .order_by(Verdict.updated_at, Verdict.id).limit(size).offset(offset)
            ).unique().all()
            db.session.remove()
    return median_ms(run, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verdicts", type=int, default=100_000)
    parser.add_argument("--article-kib", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        # No CSRF token: the benchmark logs in with a plain POST.
        app = create_app({"SEED_ON_START": False, "RATELIMIT_ENABLED": False,
                          "WTF_CSRF_ENABLED": False},
                         instance_path=folder)
        started = time.perf_counter()
        fill(app, args.verdicts, args.article_kib)
        print(f"filled {args.verdicts:,} pending verdicts on "
              f"{-(-args.verdicts // CLAIMS_PER_ARTICLE)} articles of {args.article_kib} KiB "
              f"in {time.perf_counter() - started:.0f} s")
        client = app.test_client()
        client.post("/login", data={"username": "benchadmin", "password": PASSWORD})
        size = app.config["PAGE_SIZE"]
        depths = [0, args.verdicts // 2, args.verdicts - size]
        print(f"{'page starting at':>18} {'keyset page (HTTP)':>20}")
        for depth, cursor in zip(depths, cursors(app, depths), strict=True):
            url = "/admin/moderation" + (f"?after={cursor}" if cursor else "")
            assert client.get(url).status_code == 200
            page = median_ms(lambda url=url: client.get(url), args.repeat)
            print(f"{depth:>18,} {page:>17.1f} ms")
        old = offset_page_ms(app, size, size, 1)
        print(f"the former OFFSET query for page 2 alone (SQL, no page rendered): {old:.1f} ms")
        audit = median_ms(lambda: client.get("/admin/audit"), args.repeat)
        print(f"audit log, first page: {audit:.1f} ms")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()

"""Benchmarks of the web app on the embedded default (SQLite), all in one run.

    .venv/bin/python benchmarks/bench_web.py [--verdicts 2000] [--big 200000]

Prints: first start and cold start of create_app, the median time to render a claim page
and the article list through the WSGI stack (Flask's test client, no network), the time
to export N verdicts as CSV, and the peak Python memory of streaming a small and a large
export (their ratio shows whether memory grows with the number of rows).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import sqlalchemy as sa

from annotator import create_app
from annotator.extensions import db
from annotator.models import Article, Claim, User, Verdict
from annotator.services.accounts import create_user
from annotator.services.export import verdicts_csv

PASSWORD = "benchmark-password"


def timed(fn, repeat: int) -> list[float]:
    """Seconds per call, ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def fill(app, verdicts: int) -> list[int]:
    """Articles of 50 claims each, and one verdict per claim by one of 8 reviewers."""
    with app.app_context():
        reviewers = [
            create_user(f"reviewer{i}", PASSWORD, "reviewer", None) for i in range(8)
        ]
        db.session.flush()
        sentence = "The agency said spending rose by {n}% in {year}, citing its own figures."
        claim_ids: list[int] = []
        for a in range(verdicts // 50 + 1):
            texts = [sentence.format(n=i % 97, year=1990 + i % 30) for i in range(50)]
            body = "\n".join(texts)
            claims, offset = [], 0
            for i, text in enumerate(texts, start=1):
                claims.append(Claim(position=i, start=offset, end=offset + len(text), text=text))
                offset += len(text) + 1
            article = Article(title=f"Synthetic {a}", source=f"synthetic-{a}.txt", body=body,
                              checksum=f"{a:064x}", claims=claims)
            db.session.add(article)
        db.session.flush()
        claim_ids = list(db.session.scalars(sa.select(Claim.id).order_by(Claim.id)))
        rows = [
            {"claim_id": cid, "reviewer_id": reviewers[i % 8].id, "label": "supported",
             "source_note": f"Annual report, page {i}", "source_url": "https://example.org/r",
             "moderation_state": "pending", "version": 1}
            for i, cid in enumerate(claim_ids[:verdicts])
        ]
        db.session.execute(sa.insert(Verdict), rows)
        db.session.commit()
        return claim_ids


def export_peak(app, reviewer: User | None = None) -> tuple[int, int]:
    """Bytes produced and peak traced memory while streaming the whole export."""
    with app.app_context():
        tracemalloc.start()
        size = sum(len(chunk) for chunk in verdicts_csv(reviewer))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return size, peak


def process_start(instance: Path) -> float:
    """Seconds for a new Python process to import the app and build it (migrating if new)."""
    code = (
        "from annotator import create_app; "
        f"create_app({{'SECRET_KEY': 'bench'}}, instance_path={str(instance)!r})"
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verdicts", type=int, default=2000)
    parser.add_argument("--big", type=int, default=200_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder) / "instance"
        config = {"SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}

        fresh_process = process_start(Path(folder) / "other-instance")
        warm_process = statistics.median(
            [process_start(Path(folder) / "other-instance") for _ in range(3)]
        )
        start = time.perf_counter()
        app = create_app(config, instance_path=str(instance))
        first_start = time.perf_counter() - start
        with app.app_context():
            seeded = db.session.scalar(sa.select(sa.func.count()).select_from(Article))
            db.engine.dispose()
        cold = statistics.median(
            timed(lambda: create_app(config, instance_path=str(instance)), 5)
        )

        claim_ids = fill(app, args.verdicts)
        client = app.test_client()
        client.post("/login", data={"username": "reviewer0", "password": PASSWORD})
        admin_client = app.test_client()
        with app.app_context():
            create_user("boss", PASSWORD, "admin", None)
            db.session.commit()
        admin_client.post("/login", data={"username": "boss", "password": PASSWORD})

        ids = iter(claim_ids * 2)
        claim_page = timed(lambda: client.get(f"/claims/{next(ids)}").close(), 300)
        article_list = timed(lambda: client.get("/").close(), 100)
        export_small = timed(lambda: admin_client.get("/export/verdicts.csv").get_data(), 10)
        size_small, peak_small = export_peak(app)

        print(f"new process, empty instance (import, migrate, seeds): {fresh_process:6.2f} s")
        print(f"new process, existing instance, median of 3:           {warm_process:6.2f} s")
        print(f"first start (migrate + {seeded} seed articles): {first_start * 1000:8.0f} ms")
        print(f"cold start (create_app, existing db):        {cold * 1000:8.0f} ms")
        for name, times in (("claim page, median of 300", claim_page),
                            ("article list, median of 100", article_list)):
            print(f"{name + ':':45}{statistics.median(times) * 1000:8.2f} ms")
        print(f"CSV export of {args.verdicts} verdicts, median of 10:  "
              f"{statistics.median(export_small) * 1000:8.1f} ms ({size_small / 1024:.0f} KiB)")

        if args.big:
            fill_more(app, args.big)
            start = time.perf_counter()
            size_big, peak_big = export_peak(app)
            elapsed = time.perf_counter() - start
            print(f"CSV export of {args.big + args.verdicts} verdicts (traced): "
                  f"{elapsed:6.1f} s, {size_big / 2**20:.0f} MiB")
            print(f"peak Python memory while streaming: {peak_small / 1024:.0f} KiB for "
                  f"{args.verdicts} rows, {peak_big / 1024:.0f} KiB for {args.big + args.verdicts} "
                  f"rows (ratio {peak_big / peak_small:.2f})")
        with app.app_context():
            db.engine.dispose()


def fill_more(app, count: int) -> None:
    """Many more verdicts: a new reviewer judging existing claims, then more claims."""
    with app.app_context():
        claim_ids = list(db.session.scalars(sa.select(Claim.id)))
        made = 0
        r = 0
        while made < count:
            user = create_user(f"bulk{r}", PASSWORD, "reviewer", None)
            db.session.flush()
            batch = [
                {"claim_id": cid, "reviewer_id": user.id, "label": "disputed",
                 "source_note": "Contradicted by the census " * 3, "moderation_state": "pending",
                 "version": 1}
                for cid in claim_ids[: count - made]
            ]
            db.session.execute(sa.insert(Verdict), batch)
            made += len(batch)
            r += 1
        db.session.commit()


if __name__ == "__main__":
    main()

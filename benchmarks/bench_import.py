"""Article import: articles per second, and the share of the import spent splitting.

    .venv/bin/python benchmarks/bench_import.py [--articles 1000] [--batch 50]

Builds ``--articles`` deterministic news-like articles (a headline, a byline and several
paragraphs each; see ``news_text`` in bench_split.py), then imports them into a fresh
SQLite instance in a temporary folder through the real import service
(``annotator.services.article_import.import_and_commit``, ``--batch`` files per transaction, as an
admin upload of that many files).  In the same run it times ``split_claims`` alone on
the same article bodies, and reports what share of the import time that is, by the
wall clock and by CPU time (on a shared machine the wall clock includes waiting for
the disk and for other processes).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from bench_split import article

from annotator import create_app
from annotator.extensions import db
from annotator.models import Article, Claim
from annotator.services.article_import import import_and_commit
from annotator.text.article_file import parse_article
from annotator.text.splitting import split_claims


def articles(count: int, seed: int = 1000) -> list[tuple[str, bytes]]:
    """``count`` distinct articles as (file name, UTF-8 bytes)."""
    rng = random.Random(seed)
    return [
        (f"article-{i:04d}.txt", f"date 2025-{1 + i % 12:02d}-{1 + i % 28:02d} {text}".encode())
        for i, text in enumerate(article(rng, rng.randint(4, 9)) for _ in range(count))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=50, help="files per transaction")
    args = parser.parse_args()

    blobs = articles(args.articles)
    size = sum(len(raw) for _, raw in blobs)
    bodies = [parse_article(raw, name).body for name, raw in blobs]

    with tempfile.TemporaryDirectory() as folder:
        config = {"SECRET_KEY": "bench", "SEED_ON_START": False}
        app = create_app(config, instance_path=str(Path(folder) / "instance"))
        with app.app_context():
            start, cpu = time.perf_counter(), time.process_time()
            for first in range(0, len(blobs), args.batch):
                report = import_and_commit(blobs[first : first + args.batch], None)
                assert not report.refused, report.refused
            elapsed, import_cpu = time.perf_counter() - start, time.process_time() - cpu
            stored = db.session.scalar(sa.select(sa.func.count()).select_from(Article))
            claims = db.session.scalar(sa.select(sa.func.count()).select_from(Claim))
            db.engine.dispose()

    start, cpu = time.perf_counter(), time.process_time()
    split_count = sum(len(split_claims(body)) for body in bodies)
    splitting, split_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert split_count == claims, (split_count, claims)

    print(f"{stored:,} articles ({size / 1e6:.2f} MB, {claims:,} claims) imported into a fresh "
          f"SQLite instance, {args.batch} per transaction")
    print("| | wall clock | CPU time of this process |")
    print("| --- | ---: | ---: |")
    print(f"| import | {elapsed:.2f} s = {stored / elapsed:.1f} articles/s "
          f"| {import_cpu:.2f} s = {stored / import_cpu:.1f} articles/s |")
    print(f"| split_claims alone, same bodies | {splitting:.2f} s "
          f"| {split_cpu:.2f} s = {size / 1e6 / split_cpu:.2f} MB/s |")
    print(f"| splitting's share of the import | {splitting / elapsed:.1%} "
          f"| {split_cpu / import_cpu:.1%} |")


if __name__ == "__main__":
    main()

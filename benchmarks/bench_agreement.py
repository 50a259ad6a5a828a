"""Agreement statistics: how the time to compute the report grows with the verdicts.

    .venv/bin/python benchmarks/bench_agreement.py [--reviewers 8] [--per-claim 2]

Deterministic synthetic ratings (each claim judged by ``--per-claim`` of ``--reviewers``
reviewers, 70% agreeing with a hidden truth, one claim in ten decided), at 1,000,
10,000 and 100,000 claims; prints CPU seconds for ``compute_agreement``, ``to_json``
and both charts, and verdicts per second. Exact (fraction) arithmetic is the cost to
watch: the figures should grow about linearly with the verdicts.
"""

from __future__ import annotations

import argparse
import random
import time

from annotator.text.agreement import DEFAULT_LABELS, compute_agreement
from annotator.text.charts import label_bars, pair_heatmap


def ratings(claims: int, reviewers: int, per_claim: int, seed: int = 1):
    rnd = random.Random(seed)
    out, final, articles = [], {}, {}
    for claim in range(claims):
        truth = rnd.choice(DEFAULT_LABELS)
        for reviewer in rnd.sample(range(reviewers), per_claim):
            label = truth if rnd.random() < 0.7 else rnd.choice(DEFAULT_LABELS)
            out.append((claim, reviewer, label))
        if claim % 10 == 0:
            final[claim] = truth
        articles[claim] = claim // 25
    return out, final, articles


def timed(action):
    start = time.process_time()
    result = action()
    return result, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviewers", type=int, default=8)
    parser.add_argument("--per-claim", type=int, default=2)
    args = parser.parse_args()
    print(f"{'claims':>8} {'verdicts':>9} {'compute s':>10} {'json s':>8} {'charts s':>9} "
          f"{'verdicts/s':>11}  alpha")
    for claims in (1_000, 10_000, 100_000):
        data, final, articles = ratings(claims, args.reviewers, args.per_claim)
        report, compute_s = timed(lambda d=data, f=final, a=articles: compute_agreement(
            d, final_verdicts=f, articles=a))
        _, json_s = timed(report.to_json)
        _, charts_s = timed(lambda r=report: (pair_heatmap(r), label_bars(r)))
        print(f"{claims:>8} {len(data):>9} {compute_s:>10.3f} {json_s:>8.3f} {charts_s:>9.4f} "
              f"{len(data) / compute_s:>11.0f}  {report.krippendorff_alpha.value:.3f}")


if __name__ == "__main__":
    main()

"""Running several calls at the same moment, for the tests of races and bursts."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence


def run_together(calls: Sequence[Callable[[], object]], *, timeout: float = 60,
                 hang_message: str = "a call never answered") -> list:
    """Run ``calls`` in threads released together at a barrier; return their results in
    order. Each thread waits up to ``timeout`` seconds at the barrier and is joined for up
    to twice that; one still running after that fails the test with ``hang_message``."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        barrier.wait(timeout=timeout)
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * timeout)
    assert not any(thread.is_alive() for thread in threads), hang_message
    return results

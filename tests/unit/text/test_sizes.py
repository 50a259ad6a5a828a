"""Sizes and counts as people read them."""

from __future__ import annotations

import pytest

from annotator.text.sizes import count_shown, human_size


@pytest.mark.parametrize(("size", "shown"), [
    (0, "0 bytes"), (1023, "1023 bytes"), (1024, "1 KiB"), (1536, "1.5 KiB"),
    (1024 * 1024, "1 MiB"), (5 * 1024 ** 3, "5 GiB"), (3 * 1024 ** 4, "3072 GiB"),
])
def test_human_size(size, shown):
    assert human_size(size) == shown


@pytest.mark.parametrize(("count", "shown"), [
    (0, "0"), (999, "999"), (1000, "1,000"), (1001, "1,000+"), (250_000, "1,000+"),
])
def test_a_count_stopped_after_the_maximum_says_so(count, shown):
    assert count_shown(count, 1000) == shown

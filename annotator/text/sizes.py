"""Sizes and counts, written the way people read them."""

from __future__ import annotations


def human_size(size: int) -> str:
    """Format a byte count the way people read it: '900 bytes', '1.5 KiB', '1 MiB'."""
    if size < 1024:
        return f"{size} bytes"
    for unit in ("KiB", "MiB", "GiB"):
        size_in_unit = size / 1024
        if size_in_unit < 1024 or unit == "GiB":
            return f"{size_in_unit:.1f}".removesuffix(".0") + f" {unit}"
        size = size_in_unit
    raise AssertionError("unreachable")


# A count a page shows beside a list stops here ("1,000+"): counting every row of a large
# list (a million claims, 100,000 articles) cost more than the rest of the page.
COUNT_SHOWN_MAX = 1000


def count_shown(count: int, most: int = COUNT_SHOWN_MAX) -> str:
    """A count that was stopped after ``most`` (a list counts at most ``most + 1`` of its
    rows rather than all of them): '1,000+' beyond it, else the count itself, '1,234'."""
    return f"{most:,}+" if count > most else f"{count:,}"

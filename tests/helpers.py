"""Constants and helpers shared by the test files (importable as ``helpers``)."""

import re

TEST_SECRET = "test-secret-key"
PASSWORD = "correct horse battery"

ARTICLE_TEXT = (
    "date 2025-04-03 The U.S. economy grew by 2.5% last year. Officials praised the result.\n"
    "\n"
    "Critics said the figures were revised twice.\n"
)


def csrf_token(html: str) -> str:
    """Read the CSRF token out of a rendered form, as a browser would submit it."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)

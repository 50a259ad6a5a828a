"""Constants every suite shares: one password for every test account, the test secret key,
and the article texts the factories import."""

from __future__ import annotations

from pathlib import Path

# The sample articles of the repository's seeds/ folder.
SEEDS = Path(__file__).resolve().parents[2] / "seeds"

TEST_SECRET = "test-secret-key"
# The password of every account the tests create (the browser and load suites too).
PASSWORD = "correct horse battery"
# A second valid password, for the tests that change one.
NEW_PASSWORD = "purple staple meadow"
# A password no test account has.
WRONG_PASSWORD = "not the password at all"

# Refused logins allowed per username and per address: the defaults documented in the README.
LOGIN_LIMIT_PER_USERNAME = 10
LOGIN_LIMIT_PER_ADDRESS = 30

# The default article: three claims, the first two in one paragraph.
ARTICLE_TEXT = (
    "date 2025-04-03 The U.S. economy grew by 2.5% last year. Officials praised the result.\n"
    "\n"
    "Critics said the figures were revised twice.\n"
)

# Five claims in two paragraphs, the second paragraph's first line with two sentences:
# room for the splits and merges of the boundary tests.
PLAN_TEXT = (
    "Officials said the plan would cost $3 billion. Critics disagreed, citing inflation.\n"
    "The minister replied on Monday, saying the figures were sound.\n"
    "\n"
    "Opposition leaders asked for a vote. The vote is set for June.\n"
)

# A second article, two claims, with a title header.
SECOND_ARTICLE = (
    "title: Budget report\n\nThe deficit fell to 3% of GDP. Unemployment stayed at 5%.\n"
)

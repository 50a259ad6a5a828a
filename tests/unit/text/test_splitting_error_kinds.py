"""The kinds of error found on real news (issue 14), each with near misses that must not
change.  The sentences are our own."""

from __future__ import annotations

import pytest
from annotator_testkit.splitting import sentences, texts

CASES = [
    # 1. A dotted abbreviation before a pronoun or a determiner ends the sentence ...
    sentences(
        "initialism-then-the",
        "The team arrived in Washington D.C.", "The visas had been refused twice.",
    ),
    sentences("initialism-then-they", "The aid came from the U.K.", "They sent more later."),
    sentences("initialism-then-it", "The order was filed in the U.S.", "It was refused."),
    # ... but not before a name or a noun that may belong to it.
    sentences("initialism-then-name", "The U.S. Army left the base on Monday."),
    sentences("initialism-then-noun", "Aid came from the U.S. Officials said it was late."),
    sentences("initialism-mid-sentence", "The D.C. police said the road was closed."),
    # 2. A short abbreviation before a lowercase word goes on with the sentence.
    sentences("bn-before-lowercase", "The fund lost $1.2 bn. in 2024, said Gen. John K. Harlow."),
    sentences("approx-before-lowercase", "It weighs approx. two tons, the firm said."),
    sentences("short-word-before-capital", "The fund lost $1.2 bn.", "In 2025 it gained."),
    sentences("not-all-lowercase", "Sales fell at the shop.", "iPhone sales rose."),
    # 8. A common word that pySBD lists as an abbreviation ends the sentence before "I".
    sentences("me-then-i", "I thank you for the trust placed in me.", "I intend to honour it."),
    sentences("in-then-i", "Nobody let us in.", "I knocked twice."),
    sentences("am-then-i", "That is who I am.", "I will not change."),
    sentences("title-then-i-stays", "He met Gen. I. Petrov on Monday."),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_error_kinds_of_real_news(body: str, expected: list[str]) -> None:
    assert texts(body) == expected

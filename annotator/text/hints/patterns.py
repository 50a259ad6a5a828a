"""Building blocks of the hint patterns: literal word lists that stay fast on long texts.

Every pattern that searches a claim starts with a digit, a sign or a list of literal words,
never with a lookbehind or a word boundary: the regex engine then skips ahead to a possible
first character instead of trying the whole pattern at every position, which keeps a 1 MiB
article fast.  Word boundaries are checked right after the first characters instead.
"""

from __future__ import annotations

# No letter follows (digits and underscores may).
NO_LETTER = r"(?![^\W\d_])"


def any_word(alternatives: str, capitalised: bool = True, whole: bool = True) -> str:
    """A pattern matching any of the literal ``alternatives`` (``|``-separated), each preceded
    by no letter.

    With ``capitalised`` each word also matches with a capital first letter (sentence start);
    with ``whole`` no letter may follow either.
    """
    variants = alternatives.split("|")
    if capitalised:
        variants += [w[:1].upper() + w[1:] for w in variants if w[:1].islower()]
    # Longest first, so "September" is tried before "Sept" and "Sep".
    variants.sort(key=len, reverse=True)
    alternation = "|".join(f"{w}(?<![^\\W\\d_]{w})" for w in variants)
    return f"(?:{alternation})" + (NO_LETTER if whole else "")


def word_set(text: str) -> frozenset[str]:
    """The space-separated words of ``text``: long word lists stay readable in the source."""
    return frozenset(text.split())

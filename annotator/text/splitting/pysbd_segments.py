"""pySBD's sentences of a stretch of one line, as offsets into the line.

pySBD is fed bounded windows (its cost grows quadratically with the length of one
call), and each sentence it returns is found again in the line, since its own offsets
are not reliable.  Also here: the abbreviation tables pySBD itself works with, which
the fast path reads to predict what pySBD would do.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

from annotator.text.splitting.offsets import MAX_CLAIM_CHARS, forced_cut, is_blank

# pysbd 0.3.4 contains regex literals with invalid escape sequences.  When no
# cached bytecode exists, compiling them warns, and with warnings-as-errors
# (our pytest configuration) the import itself would fail.  Silence only the
# import; nothing in the library's runtime behaviour depends on it.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import pysbd
    from pysbd.lang.english import English as _PysbdEnglish

# One segmenter for the process.  We only call its ``processor()`` factory,
# which builds fresh per-call state, so sharing it between threads is safe
# (``Segmenter.segment`` stores the text on the instance and is not).
_SEGMENTER = pysbd.Segmenter(language="en", clean=False)

# Every abbreviation pySBD knows.  After a title (a "prepositive" abbreviation) pySBD
# never ends a sentence; after the others it ends one before a capital, except "I".
_PYSBD = _PysbdEnglish.Abbreviation
ALL_ABBREVIATIONS = frozenset(
    word.lower()
    for words in (_PYSBD.ABBREVIATIONS, _PYSBD.PREPOSITIVE_ABBREVIATIONS,
                  _PYSBD.NUMBER_ABBREVIATIONS)
    for word in words
)  # fmt: skip
PREPOSITIVE_ABBREVIATIONS = frozenset(_PYSBD.PREPOSITIVE_ABBREVIATIONS)
ABBREVIATIONS_BEFORE_LOWERCASE = frozenset(_PYSBD.ABBREVIATIONS)
NUMBER_ABBREVIATIONS = frozenset(_PYSBD.NUMBER_ABBREVIATIONS)
SENTENCE_STARTERS = frozenset(_PysbdEnglish.AbbreviationReplacer.SENTENCE_STARTERS)

# Marks that may end a sentence or start a list item; each is judged in is_plain.
SENTENCE_MARK_RE = re.compile(r"[.!?…•⁃)]")

# pySBD's abbreviation pass rescans the whole text for every abbreviation it
# meets, so its cost grows quadratically with the length of a single call
# (a 200 KB paragraph takes ~25 s).  It is fed windows of this size, grown up
# to twice MAX_CLAIM_CHARS only when a single sentence does not fit.
_WINDOW_CHARS = 3000
_MAX_WINDOW_CHARS = 2 * MAX_CLAIM_CHARS
# A window is only grown for prose: text denser in punctuation than this (a run
# of dots, "a. a. a.") is no long sentence, and pySBD is slowest on exactly that.
_MIN_CHARS_PER_MARK = 50

# How far past the expected position we look for a pySBD sentence.  pySBD
# normally only drops whitespace between sentences; a bounded search keeps a
# sentence that cannot be found (pySBD altered it) from costing a full scan.
_SEARCH_SLACK = 64


def pysbd_ranges(line: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield pySBD's sentence ranges of ``line[start:end]``, working in bounded windows.

    In each window every sentence but the last is final: the last one may be
    cut short by the window's edge, so the next window starts where it
    starts.  If that would advance less than half a window (one very long
    sentence), the window is doubled up to ``_MAX_WINDOW_CHARS``; beyond that
    we cut at whitespace, which keeps the total cost linear at the price of an
    arbitrary break inside a run far too long to be a useful claim anyway.
    """
    pos = start
    window = _WINDOW_CHARS
    while pos < end:
        if end - pos <= window:
            yield from _locate(line, pos, end)
            return
        limit = pos + window
        ranges = _locate(line, pos, limit)
        last_start = ranges[-1][0] if ranges else pos
        if (
            last_start - pos < window // 2
            and window < _MAX_WINDOW_CHARS
            and len(SENTENCE_MARK_RE.findall(line, pos, limit)) <= window // _MIN_CHARS_PER_MARK
        ):
            window *= 2
            continue
        yield from ranges[:-1]
        if last_start - pos >= window // 2:
            pos = last_start
        else:
            cut = forced_cut(line, max(last_start, pos + window // 2), limit)
            yield last_start, cut
            pos = cut
        window = _WINDOW_CHARS


def _locate(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """Segment ``line[start:end]`` with pySBD and find each sentence in ``line``.

    pySBD's own offsets are wrong for repeated sentences, and pySBD sometimes
    returns text that is not in the input (it uses private placeholder
    characters, which clash with the same characters in the input).  So we
    search for each sentence from a moving cursor; text we cannot match
    becomes a range of its own, which keeps every character of the input in
    exactly one range.
    """
    text = line[start:end]
    ranges: list[tuple[int, int]] = []
    cursor = 0
    missed = 0  # length of sentences not found since the cursor last moved
    for sentence in _pysbd_sentences(text):
        sentence = sentence.strip()
        if not sentence:
            continue
        limit = min(len(text), cursor + missed + len(sentence) + _SEARCH_SLACK)
        found = text.find(sentence, cursor, limit)
        if found < 0:
            missed += len(sentence)
            continue
        if not is_blank(text, cursor, found):
            ranges.append((start + cursor, start + found))
        ranges.append((start + found, start + found + len(sentence)))
        cursor = found + len(sentence)
        missed = 0
    if not is_blank(text, cursor, len(text)):
        ranges.append((start + cursor, end))
    return ranges


def _pysbd_sentences(text: str) -> list[str]:
    """Return pySBD's sentences for ``text``, or ``[text]`` if pySBD fails.

    ``Segmenter.segment`` re-finds every sentence with a regex scan of the
    whole text (quadratic, and it silently drops sentences it cannot find);
    the processor alone gives the same sentences without that step.
    """
    try:
        sentences = _SEGMENTER.processor(text).process()
    except Exception:  # a third-party parser must never break an import
        return [text]
    return [sentence for sentence in sentences or () if isinstance(sentence, str)]

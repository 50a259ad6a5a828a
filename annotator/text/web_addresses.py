"""Web addresses as a reader sees them: the scripts a host name is written in, and its
ASCII (IDNA, "punycode") form.

A host written in letters of two alphabets (``exаmple.com`` with a Cyrillic ``а``) reads
as another, real host; that is how look-alike links deceive. Unicode's security
mechanisms (UTS #39) call such a label *mixed-script* and allow only the mixtures that
real writing uses: Latin with Han and the Japanese kana, Latin with Han and Bopomofo,
Latin with Han and Hangul. Showing a non-ASCII host in its ASCII form (``xn--…``) lets
a reader see at once that it is not the address it resembles.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit, urlunsplit

# The mixtures of scripts UTS #39 accepts as "highly restrictive" in one label.
_ACCEPTED_MIXTURES = (
    frozenset({"LATIN", "CJK", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "CJK", "BOPOMOFO"}),
    frozenset({"LATIN", "CJK", "HANGUL"}),
)


def _script(char: str) -> str | None:
    """The script a letter belongs to, read from its Unicode name; None for non-letters."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def scripts_of(label: str) -> frozenset[str]:
    """The scripts of the letters in ``label`` (digits, hyphens and marks belong to none)."""
    return frozenset(s for s in map(_script, label) if s is not None)


def is_mixed_script(label: str) -> bool:
    """Whether the label mixes alphabets in a way real writing does not."""
    scripts = scripts_of(label)
    if len(scripts) <= 1:
        return False
    return not any(scripts <= accepted for accepted in _ACCEPTED_MIXTURES)


def mixed_script_label(host: str) -> str | None:
    """The first label of ``host`` that mixes scripts, or None."""
    return next((label for label in host.split(".") if is_mixed_script(label)), None)


def ascii_host(host: str) -> str | None:
    """The host in its ASCII (IDNA) form; None when it cannot be a host name."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def ascii_url(url: str) -> str:
    """``url`` with its host in ASCII form, so a look-alike host shows as ``xn--…``; the
    URL unchanged when its host is ASCII already or cannot be converted."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host.isascii():
        return url
    converted = ascii_host(host)
    if converted is None:
        return url
    netloc = converted if parts.port is None else f"{converted}:{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))

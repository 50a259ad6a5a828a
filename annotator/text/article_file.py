"""Turn an uploaded article file into a ParsedArticle, or refuse it.

Parsing only: no Flask, no database.  The caller decides what to store.

A file may start with a small metadata header before the article text::

    title: NATO ministers meet in Brussels
    source: Kyiv Post
    url: https://example.org/story
    date: 2025-04-03

Keys are case-insensitive; ``date`` may also be written without the colon and
be followed by article text on the same line (``date 2025-04-03 Rubio said…``).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.text.sizes import human_size
from annotator.text.vocabulary import EDITOR_LINE_ENDS

if TYPE_CHECKING:
    from annotator.text.splitting import ClaimSpan

__all__ = ["ImportRefused", "ParsedArticle", "parse_article"]

DEFAULT_MAX_BYTES = 1_048_576
DEFAULT_MAX_CLAIMS = 2_000
MAX_TITLE_CHARS = 140
MAX_SOURCE_CHARS = 255

# A share of control characters above this means the "text" is really binary.
_MAX_CONTROL_SHARE = 0.05


class ImportRefused(ValueError):
    """Raised with a message fit to show a user, e.g. 'report.txt: not UTF-8 text (…)'."""


@dataclass(frozen=True)
class ParsedArticle:
    """An article ready to store: cleaned body, metadata and its claims."""

    source: str
    title: str
    published_on: datetime.date | None
    body: str
    checksum: str
    metadata: dict[str, str]
    claims: list[ClaimSpan]


def parse_article(
    raw: bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_claims: int = DEFAULT_MAX_CLAIMS,
) -> ParsedArticle:
    """Parse the bytes of an uploaded UTF-8 text file into a ParsedArticle.

    ``filename`` is only used, reduced to a safe base name, as the article's
    source and in messages.  Raises ImportRefused, with a message naming the
    file, when the file is too large, empty, binary, not UTF-8, holds no text
    besides metadata, carries an invalid date, or yields no claims or more than
    ``max_claims`` of them.
    """
    source = _safe_source(filename)
    text = _decode(raw, source, max_bytes)
    metadata, body = _split_metadata(text, source)
    if not body:
        raise ImportRefused(f"{source}: contains only metadata, no article text")
    # Splitting is the slow part; a text with far too many sentence ends or lines (a
    # repeated "a. " or a log file) is refused before it is split, not after.
    if len(_ROUGH_BOUNDARY_RE.findall(body)) > 2 * max_claims:
        raise _too_many_claims(source, max_claims)
    # Loaded on first use: building the splitter's tables costs every app server's
    # start, and most workers never import an article.
    from annotator.text.splitting import split_claims

    claims = split_claims(body)
    if not claims:
        raise ImportRefused(f"{source}: no claims could be found in the text")
    if len(claims) > max_claims:
        raise _too_many_claims(source, max_claims)
    date = metadata.get("date")
    return ParsedArticle(
        source=source,
        title=_shorten(_UNSAFE_NAME_CHARS_RE.sub("", metadata.get("title") or claims[0].text),
                       MAX_TITLE_CHARS),
        published_on=datetime.date.fromisoformat(date) if date else None,
        body=body,
        checksum=_checksum(body),
        metadata=metadata,
        claims=claims,
    )


# One match per possible boundary: sentence punctuation with the whitespace after it,
# or a run of line breaks (a blank line between paragraphs is one boundary, not two).
# A match may only start where a run of punctuation or of whitespace starts: otherwise
# the engine rescans the rest of the run from every position inside it, and a file of a
# million dots or spaces takes hours instead of milliseconds.
_ROUGH_BOUNDARY_RE = re.compile(r"(?<![.!?])[.!?]+\s+|(?<!\s)\s*\n\s*")


def _too_many_claims(source: str, max_claims: int) -> ImportRefused:
    """The refusal for a file with more claims than one article holds."""
    return ImportRefused(
        f"{source}: more than {max_claims:,} claims; this does not look like one article "
        "(split it into several files)"
    )


# --- file name --------------------------------------------------------------

# Control characters, plus the bidirectional controls used to disguise file names and
# titles (e.g. "report\u202etxt.exe" displays as "reportexe.txt").
_UNSAFE_NAME_CHARS_RE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_MAX_KEPT_EXTENSION = 16


def _safe_source(filename: str | None) -> str:
    """Reduce a client-supplied file name to a printable base name of at most 255 chars."""
    # Browsers and old clients may send a full path, with either separator.
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME_CHARS_RE.sub("", name).strip()
    if name in {"", ".", ".."}:
        return "untitled.txt"
    if len(name) <= MAX_SOURCE_CHARS:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and 0 < len(extension) <= _MAX_KEPT_EXTENSION:
        return stem[: MAX_SOURCE_CHARS - len(extension) - 1] + "." + extension
    return name[:MAX_SOURCE_CHARS]


# --- bytes to text ----------------------------------------------------------

# Controls that do not occur in text: all C0/C1 controls except the whitespace
# ones (tab, line feed, vertical tab, form feed, carriage return).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Line ends from Windows, old Mac OS, Word (\v) and Unicode, all made "\n" (the file
# separators \x1c to \x1e are not: see vocabulary.EDITOR_LINE_ENDS).
_LINE_END_RE = re.compile(f"\r\n|[{EDITOR_LINE_ENDS}]")


def _decode(raw: bytes, source: str, max_bytes: int) -> str:
    """Check the raw bytes and return them as normalised text."""
    if len(raw) > max_bytes:
        raise ImportRefused(
            # Callers read at most max_bytes + 1 bytes, so the true size is unknown here.
            f"{source}: the file is larger than the {human_size(max_bytes)} limit"
        )
    if not raw:
        raise ImportRefused(f"{source}: the file is empty")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused(f"{source}: the file is UTF-16 text; save it as UTF-8 and try again")
    if b"\x00" in raw:
        raise ImportRefused(f"{source}: looks like a binary file (it contains NUL bytes), not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ImportRefused(
            f"{source}: not UTF-8 text (invalid byte 0x{raw[error.start]:02X} at position "
            f"{error.start}, line {line}); save it as UTF-8 and try again"
        ) from None
    controls = len(_CONTROL_RE.findall(text))
    if controls > len(text) * _MAX_CONTROL_SHARE:
        raise ImportRefused(
            f"{source}: looks like a binary file ({controls} control characters), not text"
        )
    text = _normalise(text)
    if not text:
        raise ImportRefused(f"{source}: contains only whitespace, no text")
    return text


def _normalise(text: str) -> str:
    """Drop the BOM, make every line end "\\n", trim trailing spaces and outer blank space.

    These are the differences editors introduce without changing the
    article, so normalising them makes re-imports produce the same checksum.
    """
    text = text.removeprefix("\ufeff")
    text = _LINE_END_RE.sub("\n", text)
    # Line by line: a regex for trailing blanks backtracks quadratically on long runs.
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


# --- metadata header --------------------------------------------------------

# Exactly "date YYYY-MM-DD" (or "date: YYYY-MM-DD") at the start of a line; the
# rest of the line may already be article text.  Requiring the exact pattern
# keeps sentences such as "Dates are rising." or "Date night…" in the body.
_DATE_RE = re.compile(r"date(?:[ \t]*:[ \t]*|[ \t]+)(\d{4}-\d{2}-\d{2})(?=\s|$)", re.IGNORECASE)
# A whole header line "key: value".
_FIELD_RE = re.compile(r"(title|source|url|date)[ \t]*:(.*)", re.IGNORECASE)


def _split_metadata(text: str, source: str) -> tuple[dict[str, str], str]:
    """Split the metadata header off ``text``; return (metadata, body).

    The header ends at the first line that is not a metadata line, or that
    repeats a key already seen (so a duplicate stays visible in the body).
    """
    metadata: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if not line:
            index += 1
            continue
        date = _DATE_RE.match(line)
        if date and "date" not in metadata:
            metadata["date"] = _checked_date(date.group(1), source)
            rest = line[date.end() :].strip()
            if rest:  # the article starts on the same line
                lines[index] = rest
                break
            index += 1
            continue
        field = _FIELD_RE.fullmatch(line)
        if field is None or field.group(1).lower() in metadata:
            break
        # A direction override in a title or source name reverses what follows it on
        # every page that shows it; header values are shown, never checked as text.
        key, value = field.group(1).lower(), _UNSAFE_NAME_CHARS_RE.sub("", field.group(2)).strip()
        if key == "date" and value:
            value = _checked_date(value, source)
        if value:
            metadata[key] = value
        index += 1
    return metadata, "\n".join(lines[index:]).strip()


def _checked_date(value: str, source: str) -> str:
    """Return ``value`` if it is a real YYYY-MM-DD date, else refuse the file."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise ImportRefused(f"{source}: invalid date {value!r} in the metadata (expected YYYY-MM-DD)")


# --- derived fields ---------------------------------------------------------

_TRIM_BEFORE_ELLIPSIS = " ,;:-–—"


def _shorten(text: str, limit: int) -> str:
    """Collapse whitespace and cut ``text`` at a word boundary to ``limit`` chars, with '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if not text[limit - 1].isspace():
        space = head.rfind(" ")
        if space > limit // 2:  # otherwise the word is too long to keep whole
            head = head[:space]
    return (head.rstrip(_TRIM_BEFORE_ELLIPSIS) or head) + "…"


def _checksum(body: str) -> str:
    """Hash the normalised body only: the same text with other header lines (a date
    added, a title fixed) is the same article, and importing it again adds nothing."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()

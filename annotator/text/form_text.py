"""Text as a person typed it into a form."""

from __future__ import annotations


def as_typed(text: str | None) -> str:
    """Text from a form with its line breaks as the browser counted them.

    A browser sends each line break of a text box as CRLF but counts it as one character
    against the box's maxlength; measured raw, a note the browser allowed would be refused
    as longer than the limit. So limits are measured, and text kept, with LF line breaks.
    """
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")

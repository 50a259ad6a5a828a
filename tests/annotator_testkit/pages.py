"""Assertions about rendered HTML: hostile text shown escaped, no live markup, safe links."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markupsafe import escape


def html_of(response) -> str:
    return response.get_data(as_text=True)


def assert_escaped(html: str, payload: str) -> None:
    """The payload is on the page, but only in its escaped form."""
    # A lone quote occurs in every page's own markup; longer payloads must not.
    if len(payload) > 2 and any(ch in payload for ch in "<>\"'&"):
        assert payload not in html, f"raw {payload!r} in the page"
    assert str(escape(payload)) in html, f"escaped {payload!r} missing from the page"


def assert_no_raw_markup(html: str) -> None:
    """Nothing a payload carried became a tag or an event handler."""
    assert "<script>alert" not in html.lower()
    assert "<script src=//evil" not in html.lower()
    assert not re.search(r"<(img|svg|body|iframe)\b[^>]*\bon\w+=", html, re.I)
    assert not re.search(r"<a\b[^>]*href=\"javascript:", html, re.I)


def assert_refused_page(response, status: int, message: str) -> None:
    assert response.status_code == status, (response.status_code, html_of(response)[:400])
    assert message in html_of(response)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction") and value is not None:
                self.urls.append(value)


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


def assert_safe_links(html: str) -> None:
    """Every link, script and form target stays on this site or is plain http(s)."""
    for url in links(html):
        stripped = url.strip().lower()
        local = stripped.startswith(("/", "#", "?")) and not stripped.startswith("//")
        web = re.match(r"https?://[^/\s]", stripped) is not None
        data_icon = url == "data:,"  # the empty favicon in base.html
        assert local or web or data_icon, f"unsafe link target {url!r}"

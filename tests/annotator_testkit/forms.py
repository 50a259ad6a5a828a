"""Reading forms out of a page as a browser would, and posting them back with their token.

``form_for`` insists that the form posted carries its own CSRF token, so the CSRF tests
cannot pass on the logout form's token that every page's header holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit


@dataclass
class Form:
    """One <form> of a page: where it posts, and its fields as (name, type, value)."""

    action: str
    method: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)

    def values(self) -> dict[str, str]:
        """What a browser would submit, buttons aside (last one wins for a repeated name)."""
        return {name: value for name, _type, value in self.fields}

    def hidden(self) -> dict[str, str]:
        return {name: value for name, type_, value in self.fields if type_ == "hidden"}


class _FormParser(HTMLParser):
    """Collect every <form> with its <input>, <textarea> and <select> values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: list | None = None  # [name, collected text]
        self._select: list | None = None  # [name, first option value, selected value]

    def handle_starttag(self, tag, attrs):
        attrs = {key: "" if value is None else value for key, value in attrs}
        if tag == "form":
            assert self._form is None, "nested <form> elements"
            self._form = Form(attrs.get("action", ""), attrs.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None or "disabled" in attrs:
            return
        elif tag == "input" and attrs.get("name"):
            type_ = attrs.get("type", "text").lower()
            if type_ in ("submit", "button", "image", "reset", "file"):
                return
            if type_ in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form.fields.append((attrs["name"], type_, attrs.get("value", "")))
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = [attrs["name"], []]
        elif tag == "select" and attrs.get("name"):
            self._select = [attrs["name"], None, None]
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in attrs:
                self._select[2] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # A newline right after <textarea> is not part of the value (HTML spec).
            value = "".join(text)
            self._form.fields.append((name, "textarea", value.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, first, selected = self._select
            chosen = selected if selected is not None else first
            if chosen is not None:
                self._form.fields.append((name, "select", chosen))
            self._select = None


def forms_in(html: str) -> list[Form]:
    """Every form of the page, in document order."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_for(html: str, url: str) -> Form:
    """The one POST form of the page whose action is ``url``; it must carry its own token.

    The action's path must equal ``url``'s path; its query string only counts when ``url``
    has one (the moderation forms post to ``...?page=N``). Fails loudly when no form or more
    than one matches, or when the matching form has no non-empty hidden ``csrf_token``, even
    if another form of the page (the logout form in every page's header) has one.
    """
    wanted = urlsplit(url)
    matches = [
        form for form in forms_in(html)
        if form.method == "post"
        and urlsplit(form.action).path == wanted.path
        and (not wanted.query or urlsplit(form.action).query == wanted.query)
    ]
    actions = [(form.method, form.action) for form in forms_in(html)]
    assert matches, f"no POST form with action {url!r} in the page; forms: {actions}"
    assert len(matches) == 1, f"{len(matches)} POST forms with action {url!r}; forms: {actions}"
    form = matches[0]
    tokens = [(type_, value) for name, type_, value in form.fields if name == "csrf_token"]
    assert tokens, f"the form posting to {url!r} has no csrf_token input of its own"
    assert len(tokens) == 1, f"the form posting to {url!r} has {len(tokens)} csrf_token inputs"
    assert tokens[0][0] == "hidden" and tokens[0][1], (
        f"the form posting to {url!r} has an empty or visible csrf_token input: {tokens[0]}"
    )
    return form


def form_inputs(html: str, url: str) -> dict[str, str]:
    """The values the form posting to ``url`` would submit (hidden inputs included)."""
    return form_for(html, url).values()


def hidden_inputs(html: str, url: str) -> dict[str, str]:
    """The hidden inputs (csrf_token, version, ...) of the form posting to ``url``."""
    return form_for(html, url).hidden()


def csrf_token(html: str) -> str:
    """The first CSRF token anywhere in the page (on most pages the logout form's).

    Use ``form_for``/``hidden_inputs`` to read the token of the form actually posted.
    """
    for form in forms_in(html):
        for name, _type, value in form.fields:
            if name == "csrf_token" and value:
                return value
    raise AssertionError("no CSRF token in the page")


def post_form(client, url: str, data: dict, page: str | None = None):
    """Fetch the page holding the form and post back exactly the hidden inputs of the form
    whose action is ``url`` (its own csrf_token, version...) plus ``data``, as a browser
    would. Fails if that form has no csrf_token of its own, whatever other forms carry."""
    response = client.get(page or url)
    assert response.status_code == 200, (page or url, response.status_code)
    hidden = hidden_inputs(response.get_data(as_text=True), url)
    return client.post(url, data={**hidden, **data})


def form_version(html: str) -> str:
    """The value of the (first) ``version`` input of the page: the row version the form
    was loaded at."""
    match = re.search(r'<input[^>]*name="version"[^>]*value="([^"]*)"', html)
    assert match, "no version field in the form"
    return match.group(1)

"""Errors are tied to their fields for screen readers (aria-invalid, aria-describedby naming
the error's and the hint's ids), and a field's hint sits with its own field, above its error:
the form macro of templates/_macros.html, and the verdict form written out by hand."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from annotator_testkit.constants import PASSWORD
from annotator_testkit.web import verdict_form


class _Elements(HTMLParser):
    """Every element's attributes and text, by id."""

    def __init__(self):
        super().__init__()
        self.by_id: dict[str, dict] = {}
        self.inputs: list[dict] = []
        self._open: list[dict] = []

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, **dict(attrs), "text": ""}
        if "id" in element:
            self.by_id[element["id"]] = element
        if tag in ("input", "textarea", "select"):
            self.inputs.append(element)
        if tag not in ("input", "br", "meta", "link"):
            self._open.append(element)

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def described_by(page: _Elements, field_id: str) -> list[str]:
    return page.by_id[field_id].get("aria-describedby", "").split()


def test_a_refused_password_change_ties_each_error_to_its_field(reviewer_client):
    response = reviewer_client.post("/account/password", data={
        "current": "not my password", "password": "short", "confirm": "other"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    page = elements(html)
    in_error = [e for e in page.inputs if e.get("aria-invalid") == "true"]
    assert in_error, "no field is marked invalid"
    for element in in_error:
        error_ids = [i for i in described_by(page, element["id"]) if i.endswith("-error")]
        assert error_ids, element
        assert page.by_id[error_ids[0]]["text"].strip(), "the error it names is empty"
    # The password's length hint is its own, tied to it, and comes before its error.
    assert "password-hint" in described_by(page, "password")
    assert "At least" in page.by_id["password-hint"]["text"]
    hint_at = html.index('id="password-hint"')
    assert hint_at < html.index('id="confirm"')
    if 'id="password-error"' in html:
        assert hint_at < html.index('id="password-error"')


def test_fields_without_errors_are_not_marked(client):
    page = elements(client.get("/login").get_data(as_text=True))
    assert all("aria-invalid" not in e for e in page.inputs)


def test_the_verdict_form_ties_its_errors(app, claims, reviewer_client):
    response = reviewer_client.post(f"/claims/{claims[0]}", data=verdict_form(note="", label=""))
    html = response.get_data(as_text=True)
    page = elements(html)
    note_ids = described_by(page, "source_note")
    assert note_ids == ["source_note-hint", "source_note-error"]
    assert page.by_id["source_note"]["aria-invalid"] == "true"
    assert page.by_id["source_note-error"]["text"].strip()
    radios = [e for e in page.inputs if e.get("name") == "verdict"]
    assert radios and all(r.get("aria-describedby") == "verdict-error" for r in radios)
    assert page.by_id["verdict-error"]["text"].strip()
    assert re.search(r'aria-invalid="true"[^>]*aria-describedby="verdict-error"', html)


def test_a_good_password_change_still_works(reviewer_client):
    response = reviewer_client.post("/account/password", data={
        "current": PASSWORD, "password": PASSWORD + "-new", "confirm": PASSWORD + "-new"})
    assert response.status_code == 302

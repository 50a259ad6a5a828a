"""A save that fails for a server reason (a locked database, a full disk) answers a 500
page that gives the typed note and URL back, so nothing typed is lost."""

from __future__ import annotations

from annotator_testkit.web import save
from sqlalchemy.exc import OperationalError

from annotator.services import verdicts

NOTE = "Checked against the ministry's table 4 <b>and</b> the minutes of 3 May."


def _locked(*_args, **_kwargs):
    raise OperationalError("UPDATE verdict", {}, Exception("database is locked"))


def test_a_failed_save_shows_the_typed_note_again(app, claims, reviewer_client, monkeypatch):
    monkeypatch.setattr(verdicts, "save_verdict", _locked)
    response = save(reviewer_client, claims[0], "disputed", NOTE, "https://example.org/t4")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Nothing was saved" in html
    assert "Checked against the ministry&#39;s table 4 &lt;b&gt;and&lt;/b&gt;" in html
    assert "https://example.org/t4" in html


def test_an_anonymous_post_gets_nothing_back(app, client, claims, monkeypatch):
    monkeypatch.setattr(verdicts, "save_verdict", _locked)
    response = client.post("/setup", data={"source_note": NOTE})
    assert NOTE not in response.get_data(as_text=True)

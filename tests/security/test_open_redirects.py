"""Where a login leads: the ``next`` target is honoured for paths of this site only."""

from __future__ import annotations

import re

import pytest
from annotator_testkit import hostile
from annotator_testkit.pages import assert_no_raw_markup, html_of
from annotator_testkit.web import login


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
        "/\t/evil.example",
        " //evil.example",
        "http:evil.example",
        "https:/evil.example/",
        "HTTPS://evil.example/articles/1",
        "/articles/1\r\nSet-Cookie: stolen=1",
    ],
)
def test_login_next_offsite_lands_on_index(app, reviewer_id, target):
    client = app.test_client()
    response = login(client, "alice", next_=target)
    assert response.status_code == 302
    assert response.location == "/"


@pytest.mark.parametrize("target", ["/articles/1", "/claims/2?x=1", "/export/"])
def test_login_next_same_site_path_is_honoured(app, reviewer_id, target):
    client = app.test_client()
    response = login(client, "alice", next_=target)
    assert response.status_code == 302
    assert response.location == target


def test_login_gate_round_trip_returns_to_the_requested_page(app, reviewer_id, make_article):
    article = make_article()
    client = app.test_client()
    gate = client.get(f"/articles/{article}")
    assert gate.status_code == 302
    page = client.get(gate.location)
    assert page.status_code == 200
    # The login form carries the target in its hidden "next" field, as a browser posts it.
    assert f'name="next" type="hidden" value="/articles/{article}"'.encode() in page.data
    response = login(client, "alice", next_=f"/articles/{article}")
    assert response.location == f"/articles/{article}"
    assert client.get(response.location).status_code == 200


def test_login_page_escapes_next(app, admin_id):
    page = app.test_client().get('/login?next="><script>alert(1)</script>')
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_login_page_with_offsite_next_still_lands_on_index(app, reviewer_id):
    client = app.test_client()
    page = client.get("/login?next=https://evil.example")
    assert page.status_code == 200
    response = login(client, "alice", next_="https://evil.example")
    assert response.location == "/"


@pytest.mark.parametrize("target", hostile.BAD_URLS + (
    "https://evil.example/", "/\\evil.example", "/\t/evil.example", "\\\\evil.example",
    "/%0d%0aSet-Cookie:x=y", hostile.XSS[0],
))
def test_login_never_redirects_off_site(client, admin_id, target):
    page = client.get("/login", query_string={"next": target})
    assert page.status_code == 200
    assert_no_raw_markup(html_of(page))
    response = login(client, "editor", next_=target)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "evil.example" not in location and "\n" not in location and "\r" not in location
    assert not re.match(r"\s*(javascript|data|file|vbscript):", location, re.I)

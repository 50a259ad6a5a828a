"""Hostile input through the test client: every surface gives a clear refusal (a 4xx page
that says why) or renders the input harmlessly (escaped), and a refusal changes nothing in
the database. The payloads live in ``annotator_testkit/hostile.py``; hostile usernames on
the setup page are in ``web/auth/test_setup.py``, hostile ``next`` targets in
``security/test_open_redirects.py``.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa
from annotator_testkit import hostile
from annotator_testkit.constants import PASSWORD
from annotator_testkit.pages import (
    assert_escaped,
    assert_no_raw_markup,
    assert_refused_page,
    assert_safe_links,
    html_of,
    links,
)
from annotator_testkit.rows import snapshot, the_verdict
from annotator_testkit.spreadsheet import runs_as_formula
from annotator_testkit.web import moderate, save, upload
from markupsafe import escape

from annotator.extensions import db
from annotator.models import Article, Claim, User, Verdict
from annotator.text.csv_rows import COLUMNS


def sentence(index: int) -> str:
    """A distinct, harmless article text, so no upload is taken for a duplicate."""
    return f"Officials reported figure number {index} on Monday. Critics disputed it.\n"


def imported_articles(app) -> list[Article]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Article).order_by(Article.id)))


@pytest.mark.parametrize("payload", hostile.TYPED_TEXT)
def test_login_with_hostile_credentials_is_refused_and_escaped(app, client, admin_id, payload):
    before = snapshot(app)
    response = client.post("/login", data={"username": payload, "password": payload,
                                           "next": payload})
    assert response.status_code == 200
    html = html_of(response)
    assert "Unknown username, wrong password" in html or "Field cannot be longer" in html
    if len(payload) <= 40:
        assert_escaped(html, payload.strip())
    assert_no_raw_markup(html)
    assert payload not in response.headers.get("Location", "")
    assert snapshot(app) == before


@pytest.mark.parametrize("payload", hostile.TYPED_TEXT)
def test_admin_cannot_create_hostile_usernames(app, admin_client, payload):
    before = snapshot(app)
    response = admin_client.post("/admin/users", data={"username": payload,
                                                       "password": PASSWORD, "role": "reviewer"})
    assert response.status_code == 422
    html = html_of(response)
    assert "A username has 2 to 40 characters" in html or "cannot be longer than 40" in html \
        or "This field is required" in html
    assert_no_raw_markup(html)
    if payload.strip() and len(payload) <= 40 and "<" in payload:
        assert_escaped(html, payload.strip())
    assert snapshot(app) == before


@pytest.mark.parametrize("payload", hostile.TYPED_TEXT)
def test_password_change_refuses_a_hostile_current_password(app, reviewer_client, payload):
    before = snapshot(app)
    response = reviewer_client.post("/account/password", data={
        "current": payload, "password": payload + "-and-long-enough",
        "confirm": payload + "-and-long-enough",
    })
    assert response.status_code == 422
    html = html_of(response)
    assert "That is not your current password." in html or "This field is required" in html \
        or "cannot be longer than 200" in html
    assert payload + "-and-long-enough" not in html  # a password is never echoed back
    assert_no_raw_markup(html)
    assert snapshot(app) == before


def test_hostile_file_names_titles_bodies_and_metadata_render_escaped(app, admin_client):
    payloads = hostile.XSS + hostile.UNICODE + hostile.SQL + (hostile.LONG_LINE,)
    files = []
    for index, payload in enumerate(payloads):
        url = hostile.BAD_URLS[index % len(hostile.BAD_URLS)]
        text = (
            f"title: {payload} {index}\nsource: {payload}\nurl: {url}\n"
            f"\n{payload}\n{sentence(index)}"
        )
        # Browsers send a quote in a file name as %22; the test client would end the
        # header's quoted string at it and lose the file name.
        files.append((f"{payload}-{index}.txt".replace('"', "%22"), text.encode()))
    response = upload(admin_client, files)
    assert response.status_code == 200
    html = html_of(response)
    assert f"{len(payloads)} imported, 0 already present, 0 refused" in html
    assert_no_raw_markup(html)

    articles = imported_articles(app)
    assert len(articles) == len(payloads)
    for article in articles:
        # A file name is cut to its base name and loses controls and bidi overrides.
        assert "/" not in article.source and "\\" not in article.source
        assert "\u202e" not in article.source and "\x00" not in article.source
        assert_escaped(html, article.source)
        assert_escaped(html, article.title)

    index_page = html_of(admin_client.get("/?page=1"))
    assert_no_raw_markup(index_page)
    for article in articles:
        page = admin_client.get(f"/articles/{article.id}")
        assert page.status_code == 200
        body = html_of(page)
        assert_no_raw_markup(body)
        assert_escaped(body, article.title)
        # A header url that is not http(s) is never turned into a link.
        assert_safe_links(body)
    for claim_id in range(1, 6):
        page = admin_client.get(f"/claims/{claim_id}")
        assert page.status_code == 200
        assert_no_raw_markup(html_of(page))
        assert_safe_links(html_of(page))


MIB = 1024 * 1024


REFUSED_UPLOADS = [
    ("binary.txt", bytes(range(256)) * 4, "binary"),
    ("png.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "binary"),
    ("controls.txt", b"\x01\x02\x03\x04\x05\x06 text" * 20, "binary"),
    ("latin1.txt", "Caf\u00e9 au lait co\u00fbte cher.".encode("latin-1"), "not UTF-8"),
    ("utf16.txt", "A sentence.".encode("utf-16"), "UTF-16"),
    ("surrogate.txt", b"Half a pair " + hostile.SURROGATE_BYTES[0] + b" here.", "not UTF-8"),
    ("empty.txt", b"", "empty"),
    ("blank.txt", b" \n\t\r\n \xe2\x80\xa8 ", "whitespace"),
    ("bom-only.txt", b"\xef\xbb\xbf", "whitespace"),
    ("header-only.txt", b"title: Only a title\ndate: 2025-04-03\n", "only metadata"),
    ("bad-date.txt", b"date: 2025-02-30\nText.", "invalid date"),
    ("big.txt", b"A sentence of text. " * (MIB // 20) + b"x" * (MIB % 20 + 1), "larger than"),
    ("lines.txt", b"a line\n" * 100_000, "more than 2,000 claims"),
    ("repeat.txt", b"a. " * 300_000, "more than 2,000 claims"),
    ("<img src=x onerror=alert(1)>.txt", b"\x00\x01", "binary"),
]


@pytest.mark.parametrize(("name", "raw", "reason"), REFUSED_UPLOADS,
                         ids=[name for name, _, _ in REFUSED_UPLOADS])
def test_bad_files_are_refused_by_name_and_write_nothing(app, admin_client, name, raw, reason):
    if name == "big.txt":
        assert len(raw) == MIB + 1
    before = snapshot(app)
    response = upload(admin_client, [(name, raw)])
    assert response.status_code == 200
    html = html_of(response)
    assert "0 imported, 0 already present, 1 refused" in html
    refusals = re.findall(r'<ul class="errors">(.*?)</ul>', html, re.S)
    assert refusals, html
    assert str(escape(name)) + ": " in refusals[0] and reason in refusals[0], refusals[0]
    assert_no_raw_markup(html)
    assert snapshot(app) == before


def test_one_bad_file_does_not_stop_the_good_ones(app, admin_client):
    response = upload(admin_client, [
        ("good.txt", sentence(1).encode()), ("bad.txt", b"\xff\xfe\x00"),
        ("good2.txt", sentence(2).encode()),
    ])
    assert "2 imported, 0 already present, 1 refused" in html_of(response)
    assert len(imported_articles(app)) == 2


def test_an_upload_over_the_request_limit_gets_a_clear_413(app, admin_client):
    before = snapshot(app)
    response = upload(admin_client, [("huge.txt", b"A sentence. " * (10 * MIB // 12 + 1))])
    assert_refused_page(
        response, 413, "The upload is larger than the 8 MiB limit. Nothing was saved."
    )
    assert snapshot(app) == before


@pytest.mark.parametrize("raw", [b"." * (MIB - 100), b" " * (MIB - 100) + b"x", b"?!" * 400_000,
                                 b"x" * (MIB - 100)],
                         ids=["dots", "spaces", "marks", "one-word"])
def test_deeply_repetitive_text_is_handled_quickly_and_renders(app, admin_client, raw):
    """Runs of one character once made a boundary pre-check backtrack for hours."""
    response = upload(admin_client, [("run.txt", raw)])
    assert response.status_code == 200
    html = html_of(response)
    assert "1 imported" in html or "run.txt: " in html
    for article in imported_articles(app):
        page = admin_client.get(f"/articles/{article.id}")
        assert page.status_code == 200


NOTE_PAYLOADS = hostile.XSS + hostile.SQL + hostile.UNICODE + hostile.FORMULA


def test_hostile_notes_are_saved_verbatim_and_shown_escaped(
    app, reviewer_client, reviewer2_client, admin_client, make_article, claim_ids
):
    claim_list = []
    for index in range(len(NOTE_PAYLOADS) // 3 + 1):
        claim_list += claim_ids(make_article(sentence(index) + "One more sentence.\n",
                                             f"a{index}.txt"))
    pairs = list(zip(claim_list, NOTE_PAYLOADS, strict=False))
    for claim_id, payload in pairs:
        response = save(reviewer_client, claim_id, note=payload)
        assert response.status_code == 302, (payload, html_of(response)[:300])
    with app.app_context():
        stored = dict(db.session.execute(sa.select(Verdict.claim_id, Verdict.source_note)).all())
    for claim_id, payload in pairs:
        # Only the outer blanks are trimmed; every character of the text is kept.
        assert stored[claim_id] == payload.strip()
        for client in (reviewer_client, reviewer2_client):
            html = html_of(client.get(f"/claims/{claim_id}"))
            assert_no_raw_markup(html)
        mine = html_of(reviewer_client.get(f"/claims/{claim_id}"))
        assert str(escape(payload.strip())) in mine
    moderation = html_of(admin_client.get("/admin/moderation"))
    assert_no_raw_markup(moderation)
    for _, payload in pairs[:40]:
        assert str(escape(payload.strip())) in moderation


def test_a_one_megabyte_note_is_refused_with_its_length(app, reviewer_client, claims):
    before = snapshot(app)
    response = save(reviewer_client, claims[0], note="A" * 1_000_000)
    assert_refused_page(response, 422, "The note has 1,000,000 characters; the limit is 5,000.")
    assert snapshot(app) == before


def refused_source_url_page(app, reviewer_client, claim_id: int, url: str) -> str:
    """Save a verdict with source ``url``: it must be refused (422) with no live markup on
    the page and nothing changed in the database. Returns the page, to say why."""
    before = snapshot(app)
    response = save(reviewer_client, claim_id, note="Checked.", url=url)
    assert response.status_code == 422
    html = html_of(response)
    assert_no_raw_markup(html)
    assert snapshot(app) == before
    return html


@pytest.mark.parametrize("url", hostile.BAD_URLS)
def test_source_urls_other_than_http_are_refused(app, reviewer_client, claims, url):
    html = refused_source_url_page(app, reviewer_client, claims[0], url)
    assert ("must start with http:// or https://" in html
            or "must not contain spaces or control characters" in html)
    assert_safe_links(html)


@pytest.mark.parametrize("url", hostile.DECEPTIVE_URLS)
def test_deceptive_source_urls_are_refused_saying_why(app, reviewer_client, claims, url):
    html = refused_source_url_page(app, reviewer_client, claims[0], url)
    assert any(words in html for words in ("user name or password", "backslash",
                                           "mixes alphabets"))


@pytest.mark.parametrize("url", hostile.ODD_BUT_VALID_URLS)
def test_odd_http_urls_are_kept_and_linked_escaped(app, reviewer_client, admin_client, claims,
                                                   url):
    assert save(reviewer_client, claims[0], note="Checked.", url=url).status_code == 302
    mine = html_of(reviewer_client.get(f"/claims/{claims[0]}"))
    # Admins see everyone's verdicts with their links; the reviewer sees the URL in the form.
    theirs = html_of(admin_client.get(f"/claims/{claims[0]}"))
    for html in (mine, theirs):
        assert_no_raw_markup(html)
        assert_safe_links(html)
        assert str(escape(url)) in html
    assert url in links(theirs)


@pytest.mark.parametrize("url", hostile.INVISIBLE_URLS)
def test_urls_with_invisible_characters_are_refused(app, reviewer_client, claims, url):
    before = snapshot(app)
    response = save(reviewer_client, claims[0], note="Checked.", url=url)
    assert response.status_code == 422
    assert "contains invisible characters" in html_of(response)
    assert snapshot(app) == before


@pytest.mark.parametrize("bad", [b"\xed\xa0\x80", b"\xff\xfe", b"%ED%A0%80"])
def test_undecodable_form_bytes_do_not_break_the_save(app, reviewer_client, claims, bad):
    body = b"verdict=supported&source_url=&version=&source_note=Note+" + bad + b"+end"
    response = reviewer_client.post(f"/claims/{claims[0]}", data=body,
                                    content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 400, 422)
    assert_no_raw_markup(html_of(response))


def test_hostile_rejection_reasons_are_shown_escaped(
    app, reviewer_client, admin_client, reviewer_id, make_article, claim_ids
):
    payloads = hostile.XSS + hostile.SQL + hostile.UNICODE + hostile.FORMULA
    claim_list = []
    for index in range(len(payloads) // 3 + 1):
        claim_list += claim_ids(make_article(sentence(index) + "One more sentence.\n",
                                             f"m{index}.txt"))
    for claim_id, payload in zip(claim_list, payloads, strict=False):
        save(reviewer_client, claim_id, note="My note.")
        with app.app_context():
            verdict = db.session.scalar(sa.select(Verdict).where(Verdict.claim_id == claim_id))
            verdict_id, version = verdict.id, verdict.version
        response = admin_client.post(f"/admin/verdicts/{verdict_id}/reject",
                                     data={"version": str(version), "reason": payload})
        assert response.status_code == 302, (payload, html_of(response)[:300])
        page = html_of(reviewer_client.get(f"/claims/{claim_id}"))
        assert_no_raw_markup(page)
        assert str(escape(payload.strip())) in page
    audit = html_of(admin_client.get("/admin/audit"))
    assert_no_raw_markup(audit)


def test_an_overlong_rejection_reason_is_refused(app, reviewer_client, admin_client, claims):
    save(reviewer_client, claims[0], note="My note.")
    with app.app_context():
        verdict_id = db.session.scalar(sa.select(Verdict.id))
    before = snapshot(app)
    response = admin_client.post(f"/admin/verdicts/{verdict_id}/reject",
                                 data={"version": "1", "reason": "<b>" * 1000})
    assert_refused_page(response, 422, "The reason has 3,000 characters; the limit is 2,000.")
    html = html_of(response)
    assert "<b><b>" not in html and "&lt;b&gt;&lt;b&gt;" in html
    assert snapshot(app) == before


QUERY_VALUES = (
    "-1", "0", "abc", "1e3", str(2**31 - 1), "' OR 1=1 --", "1; DROP TABLE claim", "%", "_",
    "\\", "%00", "\u202e1", "\uff11", "<script>alert(1)</script>", "", "1&page=2",
)


QUERY_KEYS = ("page", "article", "next", "q", "state")


PATH_VALUES = ("1", str(2**31 - 1))


def get_routes(app) -> list[str]:
    """Every GET route except static files, as its rule (``/articles/<int:article_id>``)."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        routes.append(rule.rule)
    return sorted(routes)


def test_every_get_route_is_enumerated(app):
    assert {"/", "/queue", "/articles/<int:article_id>", "/claims/<int:claim_id>",
            "/admin/moderation", "/admin/audit", "/export/verdicts.csv"} <= set(get_routes(app))


def fill(rule: str, value: str) -> str:
    return re.sub(r"<int:\w+>", value, rule)


def test_hostile_query_strings_never_cause_a_server_error(
    app, admin_client, reviewer_client, claims
):
    save(reviewer_client, claims[0], note="My note.")
    before = snapshot(app)
    for rule in get_routes(app):
        for path_value in PATH_VALUES if "<int:" in rule else ("",):
            path = fill(rule, path_value)
            for key in QUERY_KEYS:
                for value in QUERY_VALUES:
                    # Reviewers only for the parameters their pages read; admin pages
                    # answer them 403 before any parameter is looked at.
                    clients = (admin_client, reviewer_client) if key in ("page", "article") \
                        else (admin_client,)
                    for client in clients:
                        response = client.get(path, query_string={key: value})
                        assert response.status_code in (200, 302, 400, 403, 404), (
                            path, key, value, response.status_code)
                        assert_no_raw_markup(html_of(response))
    for rule in get_routes(app):
        if "<int:" in rule:
            for bad in ("-1", "abc", "1.0", "%27%20OR%201=1", "1%00"):
                assert admin_client.get(fill(rule, bad)).status_code == 404
    assert snapshot(app) == before


TEXT_COLUMNS = ("article_title", "claim_text", "source_note", "source_url", "reviewer",
                "moderated_by", "moderation_reason")


def test_formulas_in_every_exported_text_field_are_neutralised(
    app, admin_client, make_article, claim_ids
):
    # The forms do not let most of these values in (usernames, URLs, titles are checked or
    # trimmed), so they go straight into the rows the export reads: the export must not
    # trust what earlier checks let through.
    with app.app_context():
        moderator = User(username="=moderator", username_key="=moderator", role="admin",
                         password_hash="x")
        db.session.add(moderator)
        db.session.commit()
        moderator_id = moderator.id
    for index, payload in enumerate(hostile.FORMULA):
        claim_id = claim_ids(make_article(sentence(index), f"f{index}.txt"))[0]
        with app.app_context():
            user = User(username=f"{payload[:30]}{index}", username_key=f"k{index}",
                        role="reviewer", password_hash="x")
            db.session.add(user)
            claim = db.session.get(Claim, claim_id)
            claim.text = payload
            claim.article.title = payload
            db.session.flush()
            db.session.add(Verdict(
                claim_id=claim_id, reviewer_id=user.id, label="disputed", source_note=payload,
                source_url=payload, moderation_state="rejected", moderated_by_id=moderator_id,
                moderation_reason=payload,
            ))
            db.session.commit()

    response = admin_client.get("/export/verdicts.csv")
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(html_of(response), newline="")))
    assert tuple(table[0]) == COLUMNS
    rows = table[1:]
    assert len(rows) == len(hostile.FORMULA)
    for row in rows:
        assert len(row) == len(COLUMNS), row
        cells = dict(zip(COLUMNS, row, strict=True))
        for column in TEXT_COLUMNS:
            assert not runs_as_formula(cells[column]), (column, cells[column])
            # Neutralised by one apostrophe in front, nothing else changed.
            assert cells[column].startswith("'"), (column, cells[column])
        assert cells["verdict"] == "disputed" and cells["moderation_state"] == "rejected"
        payload = cells["source_note"][1:]
        assert payload in hostile.FORMULA
        assert cells["claim_text"][1:] == cells["article_title"][1:] == payload
        assert cells["source_url"][1:] == cells["moderation_reason"][1:] == payload


def test_hostile_file_names_are_escaped(app, admin_client):
    img = "<img src=x onerror=alert(1)>"  # browsers send '"' as %22, so no quote here
    bold = "<b onmouseover=alert(1)>"
    response = upload(admin_client, [
        (f"{img}.txt", b"The deficit fell to 3% of GDP.\n"),
        (f"{bold}.txt", b""),
    ])
    pages = [response, admin_client.get("/"), admin_client.get("/admin/audit")]
    with app.app_context():
        pages.append(admin_client.get(f"/articles/{db.session.scalar(sa.select(Article.id))}"))
    for page in pages:
        html = page.get_data(as_text=True)
        assert "<img src=x onerror=alert(1)>" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;.txt" in html
    report = response.get_data(as_text=True)
    assert bold not in report
    assert "&lt;b onmouseover=alert(1)&gt;.txt: the file is empty" in report


RAW_SCRIPT = "<script>alert(1)</script>"


ESC_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


RAW_IMG_ATTACK = '"><img src=x onerror=alert(1)>'


RAW_IMG = "<img src=x onerror=alert(1)>"


ESC_IMG = "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"


def assert_script_and_img_escaped(html: str, where: str, script=True, img=True) -> None:
    assert RAW_SCRIPT not in html, where
    assert RAW_IMG not in html, where
    if script:
        assert ESC_SCRIPT in html, where
    if img:
        assert ESC_IMG in html, where


def test_hostile_text_is_rendered_escaped_everywhere(
    app, claim_ids, admin_client, reviewer_client, reviewer2_client
):
    hostile_article = (
        f"title: {RAW_SCRIPT} {RAW_IMG_ATTACK} Budget\n"
        "date: 2025-01-02\n\n"
        f"{RAW_SCRIPT}\n"
        f"{RAW_IMG_ATTACK}\n"
        "The minister said taxes rose by 3% in 2024.\n"
    )
    response = admin_client.post(
        "/admin/import",
        data={"files": [(io.BytesIO(hostile_article.encode()), "hostile.txt")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert_script_and_img_escaped(response.get_data(as_text=True), "import report")
    with app.app_context():
        article = db.session.scalar(sa.select(Article.id))
    claims = claim_ids(article)
    note = f"See {RAW_SCRIPT} and {RAW_IMG_ATTACK}"
    url = f'https://example.org/?q=">{RAW_SCRIPT}'  # no spaces: a URL that is accepted
    assert save(reviewer_client, claims[0], "disputed", note, url).status_code == 302
    verdict = the_verdict(app)
    assert verdict.source_note == note  # stored as typed, escaped only when shown
    moderate(admin_client, app, verdict.id, "reject", f"Because {RAW_SCRIPT} {RAW_IMG_ATTACK}")
    save(reviewer2_client, claims[0], "unclear", "Bob's note.")

    pages = {
        "index": reviewer_client.get("/"),
        "article": reviewer_client.get(f"/articles/{article}"),
        "claim (own verdict, rejection reason)": reviewer_client.get(f"/claims/{claims[0]}"),
        "claim (other reviewer)": reviewer2_client.get(f"/claims/{claims[0]}"),
        "claim (admin)": admin_client.get(f"/claims/{claims[0]}"),
        "second claim": reviewer_client.get(f"/claims/{claims[1]}"),
        "audit log": admin_client.get("/admin/audit"),
    }
    for where, response in pages.items():
        assert response.status_code == 200, where
        assert_script_and_img_escaped(response.get_data(as_text=True), where)

    # Also escaped in the pending queue, once the verdict is pending again.
    with app.app_context():
        current = db.session.get(Verdict, verdict.id).version
    # A changed note (an identical resubmission would change nothing, moderation included).
    assert save(reviewer_client, claims[0], "disputed", note + " Revised.", url,
                version=str(current)).status_code == 302
    queue = admin_client.get("/admin/moderation")
    assert_script_and_img_escaped(queue.get_data(as_text=True), "moderation queue")
    # The URL lands in an href attribute: its quote must not end the attribute.
    assert 'href="https://example.org/?q=&#34;&gt;&lt;script&gt;' in queue.get_data(as_text=True)

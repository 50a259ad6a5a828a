"""The verdict service called directly: its rules raise errors naming their form field,
a save refused for any reason writes nothing, and the claim page's data respects blind
review."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from annotator.extensions import db
from annotator.models import SOURCE_URL_MAX_LENGTH, Claim, User, Verdict, VerdictRevision
from annotator.services import verdicts
from annotator.services.errors import DomainError


@pytest.mark.parametrize(("label", "note", "url", "field"), [
    ("maybe", "A note.", None, "verdict"),
    ("supported", "   ", None, "source_note"),
    ("supported", "x" * 5001, None, "source_note"),
    ("supported", "A note.", "ftp://example.org/", "source_url"),
    ("supported", "A note.", "https://example.org/" + "a" * SOURCE_URL_MAX_LENGTH,
     "source_url"),
    ("supported", "A note.", "https://exa\u202emple.org/", "source_url"),
])
def test_a_broken_rule_names_its_field_and_saves_nothing(app, claims, reviewer_id, label,
                                                          note, url, field):
    with app.app_context():
        claim = db.session.get(Claim, claims[0])
        reviewer = db.session.get(User, reviewer_id)
        with pytest.raises(verdicts.VerdictError) as raised:
            verdicts.save_verdict(claim, reviewer, label=label, source_note=note,
                                  source_url=url, expected_version=None)
        db.session.rollback()
        assert isinstance(raised.value, DomainError)
        assert raised.value.field == field
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Verdict)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(VerdictRevision)) == 0


@pytest.mark.parametrize(("status", "retired", "words"), [
    ("hidden", False, "hidden by an admin"),
    ("hidden", True, "no longer exists"),
])
def test_a_claim_that_takes_no_verdicts_is_refused(app, claims, reviewer_id, status, retired,
                                                    words):
    with app.app_context():
        claim = db.session.get(Claim, claims[1])
        claim.status = status
        if retired:
            claim.retired_at = claim.article.created_at
        db.session.commit()
        with pytest.raises(verdicts.ClaimClosed, match=words):
            verdicts.check_takes_verdicts(claim.status, claim.is_retired)
        with pytest.raises(verdicts.ClaimClosed, match=words):
            verdicts.save_verdict(claim, db.session.get(User, reviewer_id), label="supported",
                                  source_note="A note.", source_url=None,
                                  expected_version=None)


def test_an_open_claim_takes_verdicts(app, claims):
    with app.app_context():
        claim = db.session.get(Claim, claims[0])
        verdicts.check_takes_verdicts(claim.status, claim.is_retired)  # does not raise


def test_saving_keeps_each_version_and_a_repeat_changes_nothing(app, claims, reviewer_id):
    with app.app_context():
        claim = db.session.get(Claim, claims[0])
        reviewer = db.session.get(User, reviewer_id)
        first = verdicts.save_verdict(claim, reviewer, label="supported", source_note=" A. ",
                                      source_url=" https://example.org/a ",
                                      expected_version=None)
        db.session.commit()
        assert first.changed and first.verdict.version == 1
        assert (first.verdict.source_note, first.verdict.source_url) == (
            "A.", "https://example.org/a")
        again = verdicts.save_verdict(claim, reviewer, label="supported", source_note="A.",
                                      source_url="https://example.org/a", expected_version=1)
        assert not again.changed and again.verdict.version == 1
        second = verdicts.save_verdict(claim, reviewer, label="disputed", source_note="B.",
                                       source_url=None, expected_version=1)
        db.session.commit()
        assert second.changed and second.verdict.version == 2
        assert [r.label for r in verdicts.revisions_of(second.verdict)] == [
            "disputed", "supported"]
        with pytest.raises(verdicts.StaleEdit):
            verdicts.save_verdict(claim, reviewer, label="unclear", source_note="C.",
                                  source_url=None, expected_version=1)


def test_the_claim_page_hides_others_verdicts_until_mine_is_saved(
        app, claims, reviewer_id, reviewer2_id, admin_id, make_verdict):
    make_verdict(claims[1], reviewer2_id, note="Theirs.")
    with app.app_context():
        reviewer = db.session.get(User, reviewer_id)
        page = verdicts.claim_page(claims[1], reviewer)
        assert page.verdict is None and page.others is None and page.earlier_versions == []
        assert (page.claim_count, page.previous_id, page.next_id) == (3, claims[0], claims[2])
        assert page.cut_points == []  # only admins split claims
        admin_page = verdicts.claim_page(claims[1], db.session.get(User, admin_id))
        assert [v.source_note for v in admin_page.others] == ["Theirs."]
        assert admin_page.cut_points and all(
            0 < point.at < len(admin_page.claim.text) for point in admin_page.cut_points)
    make_verdict(claims[1], reviewer_id, note="Mine.")
    with app.app_context():
        page = verdicts.claim_page(claims[1], db.session.get(User, reviewer_id))
        assert page.verdict.source_note == "Mine."
        assert [v.source_note for v in page.others] == ["Theirs."]


def test_the_claim_page_of_no_claim_is_none(app, reviewer_id):
    with app.app_context():
        assert verdicts.claim_page(10**6, db.session.get(User, reviewer_id)) is None


@pytest.mark.parametrize(("url", "link"), [
    ("https://example.org/story", "https://example.org/story"),
    ("javascript:alert(1)", None),
    (None, None),
])
def test_a_header_url_is_a_link_only_when_it_is_http(app, url, link):
    with app.app_context():
        assert verdicts.http_link(url) == link


@pytest.mark.parametrize(("url", "words"), [
    ("https://exаmple.com/", "mixes alphabets in “exаmple” (cyrillic and latin)"),
    ("https://good.example@evil.example/", "user name or password"),
    ("https://user:pw@example.org/", "user name or password"),
    ("https://evil.example\\@good.example/", "backslash"),
    ("https://example.org\\path", "backslash"),
    ("http://example.org:99999/", "port"),
    ("https://exa_mple..org/", "not a valid host name"),
])
def test_deceptive_source_urls_are_refused(app, url, words):
    with app.app_context(), pytest.raises(verdicts.VerdictError,
                                          match=re.escape(words)) as raised:
        verdicts.check_source_url(url)
    assert raised.value.field == "source_url"


@pytest.mark.parametrize("url", [
    "https://пример.рф/статья", "https://例え.テスト/", "http://[::1]:8080/x",
    "https://xn--e1afmkfd.xn--p1ai/", "https://example.org/search?q=a@b",
])
def test_honest_addresses_in_any_script_are_accepted(app, url):
    with app.app_context():
        assert verdicts.check_source_url(url) == url


def test_a_note_is_measured_as_the_browser_counts_it(app, claims, reviewer_id):
    """A browser sends line breaks as CRLF but counts one character each against the
    text box's maxlength: a note it allowed must not be refused as too long."""
    with app.app_context():
        limit = app.config["SOURCE_NOTE_MAX_LENGTH"]
        lines = ["x" * 82] * 60
        as_browser_counts = "\n".join(lines)
        assert len(as_browser_counts) <= limit < len(as_browser_counts.replace("\n", "\r\n"))
        outcome = verdicts.save_verdict(
            db.session.get(Claim, claims[0]), db.session.get(User, reviewer_id),
            label="supported", source_note="\r\n".join(lines), source_url=None,
            expected_version=None)
        assert outcome.verdict.source_note == as_browser_counts
        with pytest.raises(verdicts.VerdictError, match="the limit is 5,000"):
            verdicts.check_source_note("\r\n".join(["x" * 100] * 50))

"""Numbers no row can have and NUL characters: clear answers, never a database error."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from annotator_testkit import hostile
from annotator_testkit.rows import snapshot
from annotator_testkit.web import save

from annotator.extensions import db
from annotator.models import MAX_INTEGER, Verdict

HUGE = str(10**30)


@pytest.mark.parametrize("path", [
    f"/articles/{HUGE}", f"/claims/{HUGE}", f"/articles/{2**63}", f"/claims/{MAX_INTEGER + 1}",
    f"/queue?article={HUGE}", f"/queue?article={MAX_INTEGER + 1}", "/queue?article=-5",
    f"/admin/verdicts/{2**40}/approve",
])
def test_ids_beyond_any_row_are_not_found(admin_client, path):
    method = "post" if path.endswith("/approve") else "get"
    response = getattr(admin_client, method)(path, data={"version": "1"})
    assert response.status_code == 404
    assert "There is nothing at this address." in response.get_data(as_text=True)


@pytest.mark.parametrize("path", [
    f"/?page={HUGE}", f"/?page={2**62}", "/?page=-3", f"/admin/moderation?page={HUGE}",
    f"/admin/audit?page={HUGE}", f"/admin/users?page={2**63}",
])
def test_huge_or_negative_pages_are_a_page_or_not_found(admin_client, make_article, path):
    make_article()
    assert admin_client.get(path).status_code in (200, 404)


def test_the_largest_possible_id_is_still_a_plain_miss(admin_client):
    assert admin_client.get(f"/claims/{MAX_INTEGER}").status_code == 404


@pytest.mark.parametrize("nul", hostile.NUL)
def test_a_nul_in_a_note_is_refused_and_nothing_saved(app, reviewer_client, make_article,
                                                     claim_ids, nul):
    claim = claim_ids(make_article())[0]
    before = snapshot(app)
    response = save(reviewer_client, claim, note=f"Checked {nul} the report")
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)
    assert snapshot(app) == before


@pytest.mark.parametrize("nul", hostile.NUL)
def test_a_nul_in_a_rejection_reason_is_refused(app, admin_client, reviewer_client,
                                                make_article, claim_ids, nul):
    claim = claim_ids(make_article())[0]
    assert save(reviewer_client, claim, note="fine").status_code == 302
    with app.app_context():
        verdict = db.session.scalar(sa.select(Verdict))
        verdict_id, version = verdict.id, verdict.version
    before = snapshot(app)
    response = admin_client.post(f"/admin/verdicts/{verdict_id}/reject",
                                 data={"version": str(version), "reason": f"bad{nul}"})
    assert response.status_code == 400
    assert snapshot(app) == before


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_nul_in_the_login_form_is_refused(app, client, admin_id, field):
    data = {"username": "editor", "password": "x" * 12}
    data[field] = data[field][:2] + "\x00" + data[field][2:]
    before = snapshot(app)
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_a_nul_in_a_query_string_is_refused(admin_client):
    response = admin_client.get("/queue?hint=quote&hint=mon%00ey")
    assert response.status_code == 400


OUT_OF_RANGE = [HUGE, str(2**31), "-5", "-" + HUGE]


@pytest.mark.parametrize("number", OUT_OF_RANGE)
@pytest.mark.parametrize("action", ["merge", "split-version", "split-at", "resplit"])
def test_boundary_forms_refuse_numbers_no_column_holds(app, admin_client, article, claims,
                                                       action, number):
    """Every numeric field is range-checked by its form: a 422 naming the problem, never
    a 500 from the database driver, and nothing changed."""
    url, data = {
        "merge": (f"/admin/claims/{claims[0]}/merge", {"version": number}),
        "split-version": (f"/admin/claims/{claims[0]}/split", {"version": number, "at": "3"}),
        "split-at": (f"/admin/claims/{claims[0]}/split", {"version": "1", "at": number}),
        "resplit": (f"/admin/articles/{article}/resplit", {"version": number}),
    }[action]
    before = snapshot(app)
    response = admin_client.post(url, data=data)
    assert response.status_code == 422
    assert "out of range" in response.get_data(as_text=True)
    assert snapshot(app) == before


@pytest.mark.parametrize("number", OUT_OF_RANGE)
def test_verdict_and_moderation_versions_out_of_range_are_stale(
        app, admin_client, reviewer_client, claims, number):
    """A hidden version field is compared, never stored: out of range it matches no
    version, so the form is refused as stale (409) and nothing changes."""
    assert save(reviewer_client, claims[0], note="fine").status_code == 302
    with app.app_context():
        verdict = db.session.scalar(sa.select(Verdict))
    before = snapshot(app)
    assert save(reviewer_client, claims[0], note="changed", version=number).status_code == 409
    response = admin_client.post(f"/admin/verdicts/{verdict.id}/approve",
                                 data={"version": number})
    assert response.status_code == 409
    assert snapshot(app) == before

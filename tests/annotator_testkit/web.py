"""What a person does through the Flask test client: log in, save a verdict, moderate, upload.

Each helper posts what the app's own form would post (CSRF is off in the default test app;
``annotator_testkit.forms.post_form`` adds the page's token when it is on).
"""

from __future__ import annotations

import io

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from annotator_testkit.constants import PASSWORD, WRONG_PASSWORD

DEFAULT_NOTE = "Checked the statistics office report."


def login(client, username, password=PASSWORD, next_=None):
    """Post the login form; returns the response, whatever its status."""
    data = {"username": username, "password": password}
    if next_ is not None:
        data["next"] = next_
    return client.post("/login", data=data)


def password_works(app, username: str, password: str) -> bool:
    """Whether a fresh browser can log in with these credentials (``app`` with CSRF off)."""
    return login(app.test_client(), username, password).status_code == 302


def from_address(app, address: str):
    """A test client whose requests come from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def fail_logins(client, username: str, times: int) -> None:
    """Log in ``times`` times with a wrong password; each must be an ordinary refusal."""
    for attempt in range(times):
        response = login(client, username, WRONG_PASSWORD)
        assert response.status_code == 200, (attempt, response.status_code)
        assert "wrong password" in response.get_data(as_text=True)


def verdict_form(label="supported", note=DEFAULT_NOTE, url="", version="") -> dict:
    """The fields the claim page's verdict form posts."""
    return {"verdict": label, "source_note": note, "source_url": url, "version": version}


def save(client, claim_id, label="supported", note=DEFAULT_NOTE, url="", version="", *,
         expect: int | None = None):
    """Post a verdict on a claim; returns the response.

    With ``expect``, the response must have that status (``expect=302``: the save went
    through and the page moves on to the next claim).
    """
    response = client.post(f"/claims/{claim_id}", data=verdict_form(label, note, url, version))
    if expect is not None:
        assert response.status_code == expect, response.status_code
    return response


def moderate(admin_client, app, verdict_id, action, reason=None):
    """Approve or reject a verdict at its current version; the admin must be redirected."""
    from annotator.extensions import db
    from annotator.models import Verdict

    with app.app_context():
        version = db.session.get(Verdict, verdict_id).version
    data = {"version": str(version)}
    if reason is not None:
        data["reason"] = reason
    response = admin_client.post(f"/admin/verdicts/{verdict_id}/{action}", data=data)
    assert response.status_code == 302
    return response


def upload(client, files, **kwargs):
    """Post ``[(file name, bytes), ...]`` to the import page as one multipart request."""
    # The body is encoded here, in memory: the test client would spool a large body to a
    # temporary file that nobody closes when the app refuses it unread (a 413).
    boundary, body = encode_multipart(
        MultiDict([("files", FileStorage(io.BytesIO(data), name)) for name, data in files])
    )
    return client.post(
        "/admin/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        **kwargs,
    )

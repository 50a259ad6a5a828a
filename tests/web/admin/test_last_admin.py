"""At least one active admin always remains: two admins deactivating each other at the
same moment leave one of them active; the command line cannot deactivate the last one;
``activate-user`` lets a deactivated account back in.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa
from annotator_testkit.concurrency import run_together
from annotator_testkit.confirm import confirmed
from annotator_testkit.rows import audit_events, new_audit_events, set_active
from annotator_testkit.web import login

from annotator.extensions import db
from annotator.models import User

ROUNDS = 25


def active_admins(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(
            sa.select(User.username).where(User.role == "admin", User.is_active.is_(True))
            .order_by(User.username)
        ))


def test_two_admins_deactivating_each_other_leave_one_active(app, admin_id, make_user):
    chief_id = make_user("chief", "admin")
    for round_ in range(ROUNDS):
        set_active(app, admin_id, True)
        set_active(app, chief_id, True)
        editor, chief = app.test_client(), app.test_client()
        assert login(editor, "editor").status_code == 302
        assert login(chief, "chief").status_code == 302
        answers = run_together([
            functools.partial(editor.post, f"/admin/users/{chief_id}/deactivate",
                              data=confirmed()),
            functools.partial(chief.post, f"/admin/users/{admin_id}/deactivate",
                              data=confirmed()),
        ], timeout=30, hang_message="a request never answered")
        assert [a.status_code for a in answers] == [302, 302], round_
        assert len(active_admins(app)) == 1, (round_, active_admins(app))
    # The refused one was told why.
    survivor = editor if active_admins(app) == ["editor"] else chief
    page = survivor.get("/admin/users").get_data(as_text=True)
    assert "last active admin" in page or "is now deactivated" in page


def test_the_last_admin_cannot_be_deactivated_from_the_command_line(app, admin_id, runner):
    before = audit_events(app)
    result = runner.invoke(args=["deactivate-user", "editor"])
    assert result.exit_code == 1
    assert "editor is the last active admin" in result.output
    assert "Nothing was changed" in result.output
    assert active_admins(app) == ["editor"]
    assert audit_events(app) == before
    assert login(app.test_client(), "editor").status_code == 302


def test_an_admin_can_be_deactivated_while_another_remains(app, admin_id, make_user, runner):
    make_user("chief", "admin")
    result = runner.invoke(args=["deactivate-user", "Chief"])
    assert result.exit_code == 0, result.output
    assert "chief is now deactivated." in result.output
    assert active_admins(app) == ["editor"]


def test_activate_user_lets_a_deactivated_account_back_in(app, admin_id, reviewer_id, runner):
    set_active(app, reviewer_id, False)
    assert login(app.test_client(), "alice").status_code == 200
    before = audit_events(app)

    result = runner.invoke(args=["activate-user", "ALICE"])
    assert result.exit_code == 0, result.output
    assert "alice is now active." in result.output
    [event] = new_audit_events(app, before)
    assert event[:4] == ("user.activate", None, "user", reviewer_id)
    assert login(app.test_client(), "alice").status_code == 302

    # Again: nothing to do, nothing recorded.
    assert runner.invoke(args=["activate-user", "alice"]).exit_code == 0
    assert len(new_audit_events(app, before)) == 1


def test_activate_user_refuses_an_unknown_name(app, admin_id, runner):
    before = audit_events(app)
    result = runner.invoke(args=["activate-user", "nobody"])
    assert result.exit_code == 1
    assert "No account named 'nobody'" in result.output
    assert audit_events(app) == before

"""Every CLI command through ``app.test_cli_runner()``: import, create-user, set-password,
export-csv, recompute-hints. (backup and restore: ``app/test_backup.py``.)
"""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from annotator_testkit.constants import ARTICLE_TEXT, NEW_PASSWORD, PASSWORD
from annotator_testkit.rows import audit_events, count_rows, password_state
from annotator_testkit.web import password_works

from annotator.extensions import db
from annotator.models import Article, AuditEvent, Claim, User
from annotator.text.csv_rows import COLUMNS
from annotator.text.hints import hints_for_claims


def test_import_files_and_folders(app, runner, tmp_path):
    folder = tmp_path / "batch"
    (folder / "nested").mkdir(parents=True)
    (folder / "one.txt").write_text(ARTICLE_TEXT)
    (folder / "nested" / "two.txt").write_text("Inflation hit 3% in May. Prices rose.\n")
    (folder / "ignored.md").write_text("Not an article file.")
    single = tmp_path / "three.text"
    single.write_text("date 2024-01-02\nThe mayor resigned on Monday.")

    result = runner.invoke(args=["import", str(folder), str(single)])
    assert result.exit_code == 0, result.output
    assert "3 imported, 0 already present, 0 refused" in result.output
    assert count_rows(app, Article) == 3
    with app.app_context():
        article = db.session.scalar(sa.select(Article).where(Article.source == "three.text"))
        assert str(article.published_on) == "2024-01-02"
        assert [c.text for c in article.claims] == ["The mayor resigned on Monday."]
        assert db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent)
            .where(AuditEvent.action == "article.import")
        ) == 3

    again = runner.invoke(args=["import", str(folder)])
    assert again.exit_code == 0
    assert "0 imported, 2 already present" in again.output
    assert count_rows(app, Article) == 3


def test_import_refuses_bad_files_and_keeps_the_good(app, runner, tmp_path):
    (tmp_path / "good.txt").write_text("The bridge opened in 1932.")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "latin1.txt").write_bytes("Le café est fermé.".encode("latin-1"))
    result = runner.invoke(args=["import", str(tmp_path)])
    assert result.exit_code == 1
    assert "1 imported, 0 already present, 3 refused" in result.output
    for name in ("empty.txt", "binary.txt", "latin1.txt"):
        assert f"refused: {name}" in result.output
    assert count_rows(app, Article) == 1


def test_import_refuses_oversized_file(make_app, tmp_path):
    app = make_app(MAX_ARTICLE_BYTES=1000)
    big = tmp_path / "big.txt"
    big.write_text("A sentence that repeats. " * 100)
    result = app.test_cli_runner().invoke(args=["import", str(big)])
    assert result.exit_code == 1
    assert "big.txt" in result.output and "limit" in result.output
    assert count_rows(app, Article) == 0


def test_import_missing_path_is_an_error(runner, tmp_path):
    result = runner.invoke(args=["import", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_import_shows_progress_on_large_batches(app, runner, tmp_path):
    for i in range(25):
        (tmp_path / f"a{i:02}.txt").write_text(f"Report number {i} was published today.")
    result = runner.invoke(args=["import", str(tmp_path)])
    assert result.exit_code == 0
    assert "Importing 25 files" in result.output
    assert count_rows(app, Article) == 25


def test_create_user_with_option_and_prompt(app, runner):
    result = runner.invoke(args=["create-user", "Alice", "--role", "admin", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert "Created admin Alice" in result.output

    prompted = runner.invoke(args=["create-user", "bob"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0, prompted.output
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(sa.select(User))}
        assert users["Alice"].role == "admin" and users["bob"].role == "reviewer"
        assert users["bob"].check_password(PASSWORD)


def test_create_user_refusals(app, runner):
    runner.invoke(args=["create-user", "alice", "--password", PASSWORD])
    duplicate = runner.invoke(args=["create-user", "ALICE", "--password", PASSWORD])
    assert duplicate.exit_code == 1 and "taken" in duplicate.output
    short = runner.invoke(args=["create-user", "carol", "--password", "short"])
    assert short.exit_code == 1 and "at least" in short.output
    bad_name = runner.invoke(args=["create-user", "<script>", "--password", PASSWORD])
    assert bad_name.exit_code == 1 and "username" in bad_name.output
    bad_role = runner.invoke(args=["create-user", "dave", "--role", "root", "--password", PASSWORD])
    assert bad_role.exit_code == 2
    assert count_rows(app, User) == 1


def test_cli_set_password(app, runner, reviewer_id, reviewer_client):
    result = runner.invoke(args=["set-password", "ALICE", "--password", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    assert "Password of alice changed" in result.output
    assert NEW_PASSWORD not in result.output
    assert password_works(app, "alice", NEW_PASSWORD)
    assert not password_works(app, "alice", PASSWORD)
    assert reviewer_client.get("/").status_code == 302  # open sessions were ended
    events = [e[1:] for e in audit_events(app, "user.password_reset")]
    assert events == [(None, "user", reviewer_id, {"username": "alice"})]


def test_cli_set_password_from_the_environment(app, runner, reviewer_id):
    result = runner.invoke(args=["set-password", "alice"],
                           env={"ANNOTATOR_PASSWORD": NEW_PASSWORD})
    assert result.exit_code == 0, result.output
    assert password_works(app, "alice", NEW_PASSWORD)


def test_cli_set_password_prompts_with_confirmation(app, runner, reviewer_id):
    result = runner.invoke(args=["set-password", "alice"],
                           input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output
    assert NEW_PASSWORD not in result.output  # hidden input is not echoed
    assert password_works(app, "alice", NEW_PASSWORD)


def test_cli_set_password_unknown_user(app, runner, reviewer_id):
    result = runner.invoke(args=["set-password", "nobody", "--password", NEW_PASSWORD])
    assert result.exit_code == 1
    assert "No account named 'nobody'" in result.output
    assert [e[1:] for e in audit_events(app, "user.password_reset")] == []


def test_cli_set_password_weak_password(app, runner, reviewer_id):
    before = password_state(app, "alice")
    result = runner.invoke(args=["set-password", "alice", "--password", "short"])
    assert result.exit_code == 1
    assert "A password needs at least" in result.output
    assert password_state(app, "alice") == before
    assert password_works(app, "alice", PASSWORD)
    assert [e[1:] for e in audit_events(app, "user.password_reset")] == []


def result_bytes(runner) -> bytes:
    result = runner.invoke(args=["export-csv"])
    assert result.exit_code == 0
    return result.stdout_bytes


def test_export_csv_to_stdout_and_file(
    runner, claims, make_user, make_verdict, hide_claim, tmp_path
):
    alice = make_user("alice")
    first, second, third = claims
    make_verdict(first, alice, "supported", "=1+1")
    make_verdict(second, alice, "disputed", 'line one\nline "two", with comma')
    make_verdict(third, alice, "unclear", "hidden")
    hide_claim(third)
    result = runner.invoke(args=["export-csv"])
    assert result.exit_code == 0
    text = result.stdout_bytes.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert [r[6] for r in rows[1:]] == ["supported", "disputed"]  # the hidden claim is left out
    assert rows[1][7] == "'=1+1"
    assert rows[2][7] == 'line one\nline "two", with comma'

    target = tmp_path / "out.csv"
    result = runner.invoke(args=["export-csv", "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_bytes() == result_bytes(runner)
    assert not (tmp_path / "out.csv.partial").exists()


def test_export_csv_to_a_missing_folder_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(args=["export-csv", "-o", str(tmp_path / "missing" / "x.csv")])
    assert result.exit_code == 1
    assert "Cannot write" in result.output and "No such file or directory" in result.output
    assert "Traceback" not in result.output


def test_export_csv_with_no_verdicts_has_the_header(runner):
    assert result_bytes(runner) == (",".join(COLUMNS) + "\r\n").encode()


def test_recompute_hints_restores_what_the_rules_say(app, runner, make_article, claim_ids):

    article_id = make_article(
        "“Prices rose 4% in March 2024,” the minister said.\nThe sky is blue.\n"
    )
    ids = claim_ids(article_id)
    with app.app_context():
        for claim in db.session.scalars(sa.select(Claim).where(Claim.id.in_(ids))):
            # What an older rule set could have left behind.
            claim.is_quote, claim.speaker = not claim.is_quote, "somebody else"
            claim.has_percent = not claim.has_percent
        db.session.commit()

    result = runner.invoke(args=["recompute-hints"])

    assert result.exit_code == 0, result.output
    assert "Recomputed the hints of 1 articles." in result.output
    with app.app_context():
        article = db.session.get(Article, article_id)
        claims = [db.session.get(Claim, i) for i in ids]
        expected = hints_for_claims(article.body, [(c.start, c.end) for c in claims])
        stored = [(c.is_quote, c.speaker, c.has_number, c.has_percent, c.has_money, c.has_date)
                  for c in claims]
    assert stored == [(h.quote, h.speaker, h.number, h.percent, h.money, h.date)
                      for h in expected]
    assert stored[0][0] is True and stored[0][1] == "the minister"

"""The factory's settings: their order, database URLs, the secret key shared by workers."""

from __future__ import annotations

import subprocess
import sys

import pytest

from annotator import create_app


def test_settings_order(tmp_path, clean_env):
    """Defaults < instance/config.py < environment < test mapping."""
    (tmp_path / "config.py").write_text("PAGE_SIZE = 7\nMIN_PASSWORD_LENGTH = 12\n"
                                        "SOURCE_NOTE_MAX_LENGTH = 100\n")
    clean_env.setenv("FLASK_MIN_PASSWORD_LENGTH", "14")
    clean_env.setenv("FLASK_SOURCE_NOTE_MAX_LENGTH", "200")
    clean_env.setenv("SECRET_KEY", "from-the-environment")
    app = create_app({"SOURCE_NOTE_MAX_LENGTH": 300, "AUTO_MIGRATE": False},
                     instance_path=str(tmp_path))
    assert app.config["PAGE_SIZE"] == 7
    assert app.config["MIN_PASSWORD_LENGTH"] == 14
    assert app.config["SOURCE_NOTE_MAX_LENGTH"] == 300
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.sqlite", "sqlite:////tmp/x.sqlite"),
    ],
)
def test_postgres_urls_use_psycopg3(given, expected):
    from annotator.settings import normalise_database_url

    assert normalise_database_url(given) == expected


@pytest.mark.parametrize("workers", [6])
def test_workers_starting_together_share_one_secret_key(tmp_path, workers):
    code = (
        "import sys; from annotator.settings import load_or_create_secret_key; "
        "print(load_or_create_secret_key(sys.argv[1]))"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE,
                         text=True)
        for _ in range(workers)
    ]
    keys = {p.communicate(timeout=60)[0].strip() for p in processes}
    assert all(p.returncode == 0 for p in processes)
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary left over

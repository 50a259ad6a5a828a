"""Browser tests: Chromium through Playwright against the app under gunicorn (see conftest)."""

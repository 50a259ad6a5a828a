"""Support for the test suites, importable as ``annotator_testkit`` (``pythonpath = ["tests"]``).

One package, named so that it cannot be mistaken for an installed distribution:

- ``constants``: the shared password, secret key and article texts.
- ``apps``: the settings of a test app and closing its connections.
- ``databases``: SQLite files by default, throwaway PostgreSQL databases when asked.
- ``forms``: reading forms and their CSRF tokens out of a page, as a browser would.
- ``web``: what a person does through the test client (log in, save, moderate, upload).
- ``rows``: reading the database back (every table's rows, audit events, verdict ids).
- ``pages``: assertions about rendered HTML (escaping, no live markup, safe links).
- ``hints``: a known article and fake rules for the tests of stored claim hints.
- ``hostile``: the named groups of hostile payloads.
- ``spreadsheet``: the independent oracle of what a spreadsheet runs as a formula.
- ``concurrency``: running several calls at the same moment (races, bursts).
- ``confirm``: the second step of an admin action that asks for confirmation.

The fixtures that use these (apps, role clients, factories) are in ``tests/conftest.py``.
"""

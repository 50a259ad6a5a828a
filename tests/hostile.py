"""Old import name, kept only for ``tests/unit/text/test_properties.py``.

The payloads live in ``annotator_testkit.hostile``; delete this module once that file
imports them from there.
"""

from annotator_testkit.hostile import ALL, FORMULA, LONG_LINE, SQL, UNICODE, XSS

__all__ = ["ALL", "FORMULA", "LONG_LINE", "SQL", "UNICODE", "XSS"]

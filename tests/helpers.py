"""Old import name, kept only for ``tests/unit/text/test_properties.py``.

Test support lives in ``annotator_testkit``; delete this module once that file imports
``runs_as_formula`` from ``annotator_testkit.spreadsheet``.
"""

from annotator_testkit.spreadsheet import runs_as_formula

__all__ = ["runs_as_formula"]

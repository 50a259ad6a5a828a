"""What a spreadsheet runs as a formula: the oracle the CSV tests check the export against."""

from __future__ import annotations

import unicodedata


def runs_as_formula(cell: str) -> bool:
    """Whether a spreadsheet that trims blank and invisible leading characters sees a formula.

    Written independently of ``csv_export.neutralise``, as the oracle its tests check against.
    """
    from annotator.text.csv_rows import FORMULA_TRIGGERS

    for char in cell:
        if char in FORMULA_TRIGGERS:
            return True
        if not (char.isspace() or unicodedata.category(char) == "Cf"):
            return False
    return False

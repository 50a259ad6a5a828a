"""Old import name of the test support, re-exported while the test files move to
``annotator_testkit``."""

from annotator_testkit.constants import ARTICLE_TEXT, PASSWORD, TEST_SECRET
from annotator_testkit.forms import (
    Form, csrf_token, form_for, form_inputs, forms_in, hidden_inputs,
)
from annotator_testkit.spreadsheet import runs_as_formula
from annotator_testkit.web import login, save

__all__ = [
    "ARTICLE_TEXT", "PASSWORD", "TEST_SECRET", "Form", "csrf_token", "form_for", "form_inputs",
    "forms_in", "hidden_inputs", "login", "runs_as_formula", "save",
]

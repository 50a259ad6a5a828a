"""Database work without the request, one module per noun.

The rule of this folder: functions take model objects and plain values, with the acting
user passed in; they raise a ``DomainError`` (``annotator.services.errors``) carrying a
message fit to show and the form field it concerns; they flush but never commit, so
the caller (a view or a CLI command) commits one transaction per user action. Nothing
here imports ``annotator.web``, Flask's request or the login session. Every query a
page or a command needs lives here. An import contract in ``pyproject.toml`` keeps it so.
"""

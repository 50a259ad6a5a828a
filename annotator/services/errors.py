"""The one kind of error services raise: a rule was broken, and the user can be told which.

A view turns it into a form error on ``field`` (or a flash when the field is not on the
page); a CLI command turns it into a ``click.ClickException``. Nothing was changed when
one is raised: the caller rolls the transaction back.
"""

from __future__ import annotations


class DomainError(ValueError):
    """A rule about the data was broken; the message is fit to show the person acting.

    ``field`` names the form field the message belongs to, or None for the whole form.
    """

    field: str | None = None

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        if field is not None:
            self.field = field

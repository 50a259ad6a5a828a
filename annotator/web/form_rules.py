"""Form fields that ask the services' own rules, so a form refuses exactly what the
service would, in the service's words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wtforms.validators import ValidationError

from annotator.services.errors import DomainError


def service_rule(check: Callable[[Any], Any]):
    """A WTForms validator running ``check`` on the field's data; a DomainError it raises
    becomes the field's error."""

    def validate(_form, field) -> None:
        try:
            check(field.data)
        except DomainError as error:
            raise ValidationError(str(error)) from None

    return validate

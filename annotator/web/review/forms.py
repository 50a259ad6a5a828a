"""The verdict form. Field names are an interface: verdict, source_note, source_url."""

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from annotator.models import LABELS
from annotator.services.verdicts import ReviewError, check_source_url

LABEL_CHOICES = [SelectChoice(label, label.capitalize()) for label in LABELS]


class VerdictForm(FlaskForm):
    verdict = RadioField("Verdict", choices=LABEL_CHOICES, validators=[InputRequired()])
    source_note = TextAreaField(
        "Source note", description="What evidence supports your verdict, and where it is.",
        validators=[DataRequired("Write a source note: what evidence, where.")],
    )
    source_url = URLField("Source URL (optional)", validators=[Optional(), Length(max=2048)])
    # The version of my verdict this form was loaded with; empty for a first verdict.
    version = HiddenField()
    submit = SubmitField("Save verdict")

    def validate_source_note(self, field) -> None:
        limit = current_app.config["SOURCE_NOTE_MAX_LENGTH"]
        if field.data and len(field.data) > limit:
            raise ValidationError(
                f"The note has {len(field.data):,} characters; the limit is {limit:,}."
            )

    def validate_source_url(self, field) -> None:
        try:
            check_source_url(field.data)
        except ReviewError as error:
            raise ValidationError(str(error)) from None

    def expected_version(self) -> int | None:
        """The version number posted back, or None for a new verdict."""
        try:
            return int(self.version.data) if self.version.data else None
        except ValueError:
            return -1  # matches no version: refused as a stale edit

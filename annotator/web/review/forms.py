"""The verdict form. Field names are an interface: verdict, source_note, source_url."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional

from annotator.models import LABELS, Verdict
from annotator.services.verdicts import check_source_note, check_source_url
from annotator.web.form_rules import service_rule
from annotator.web.guards import posted_version

LABEL_CHOICES = [SelectChoice(label, label.capitalize()) for label in LABELS]


class VerdictForm(FlaskForm):
    verdict = RadioField("Verdict", choices=LABEL_CHOICES, validators=[InputRequired()])
    source_note = TextAreaField(
        "Source note", description="What evidence supports your verdict, and where it is.",
        validators=[DataRequired("Write a source note: what evidence, where."),
                    service_rule(check_source_note)],
    )
    source_url = URLField("Source URL (optional)",
                          validators=[Optional(), service_rule(check_source_url)])
    # The version of my verdict this form was loaded with; empty for a first verdict.
    version = HiddenField()
    submit = SubmitField("Save verdict")

    def show(self, verdict: Verdict | None) -> None:
        """Fill the form with my current verdict and the version it was loaded at."""
        if verdict is None:
            self.version.data = ""
            return
        self.verdict.data = verdict.label
        self.source_note.data = verdict.source_note
        self.source_url.data = verdict.source_url or ""
        self.version.data = str(verdict.version)

    def expected_version(self) -> int | None:
        """The version number posted back, or None for a new verdict."""
        return posted_version(self.version.data)

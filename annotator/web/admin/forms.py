"""Admin forms; every one-button action is a form too, so it carries a CSRF token."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileRequired, MultipleFileField
from wtforms import (
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
)

from annotator.models import MAX_INTEGER, ROLES
from annotator.services.final_verdicts import check_rationale, check_sources
from annotator.services.moderation import check_reason
from annotator.web.form_rules import service_rule
from annotator.web.review.forms import LABEL_CHOICES


class ActionForm(FlaskForm):
    """A one-button action (hide, unhide, activate, deactivate): its CSRF token, and
    ``confirm`` once the admin said yes on the confirmation page (web/admin/confirmation.py)."""

    confirm = HiddenField()


# A number a form posts must fit the INTEGER column it is compared with.
IN_INTEGER_RANGE = NumberRange(0, MAX_INTEGER, "The form holds a number out of range.")


class BoundaryForm(FlaskForm):
    """Merge or re-split: the article's boundary version the page was loaded with, and
    ``confirm`` once the admin said yes on the confirmation page."""

    confirm = HiddenField()

    version = IntegerField(validators=[InputRequired("The form lacks the article's version."),
                                       IN_INTEGER_RANGE])


class SplitForm(BoundaryForm):
    """Split a claim ``at`` characters into its text (the page lists the word gaps)."""

    at = IntegerField(validators=[InputRequired("Choose where to split the claim."),
                                  IN_INTEGER_RANGE])


class ApproveForm(FlaskForm):
    version = HiddenField(validators=[InputRequired()])
    submit = SubmitField("Approve")


class RejectForm(FlaskForm):
    version = HiddenField(validators=[InputRequired()])
    reason = TextAreaField("Reason", validators=[DataRequired("Give the reviewer a reason."),
                                                 service_rule(check_reason)])
    submit = SubmitField("Reject")


class CreateUserForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=40)])
    password = PasswordField("Initial password", validators=[DataRequired(), Length(max=200)])
    role = SelectField(
        "Role", choices=[SelectChoice(r, r.capitalize()) for r in ROLES], default="reviewer"
    )
    submit = SubmitField("Create account")


class ImportForm(FlaskForm):
    files = MultipleFileField(
        "Article files (UTF-8 plain text)", validators=[FileRequired("Choose at least one file.")]
    )
    submit = SubmitField("Import")


class DecideForm(FlaskForm):
    """The desk's decision on a claim. Field names: final_verdict, rationale, sources."""

    final_verdict = RadioField("Final verdict", choices=LABEL_CHOICES,
                               validators=[InputRequired("Choose the final verdict.")])
    rationale = TextAreaField(
        "Public rationale", description="Why the desk stands behind this verdict; published.",
        validators=[DataRequired("Write the public rationale."),
                    service_rule(check_rationale)],
    )
    sources = TextAreaField("Sources", description="One http(s) URL a line.",
                            validators=[service_rule(check_sources)])
    # The final verdict's version the form was loaded with; empty when undecided.
    version = HiddenField()
    # The desk page (its filters and place) to go back to.
    next = HiddenField()
    submit = SubmitField("Decide")


class BulkDecideForm(FlaskForm):
    """Decide the unanimous claims in view: the claim ids come as repeated ``claim``
    fields; ``confirm`` is set by the confirmation page's button."""

    confirm = HiddenField()
    next = HiddenField()

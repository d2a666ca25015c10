"""Forms of the answering journey. They validate; the functions in answering.py do the work."""

import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.evidence import validate_evidence_file
from assessment.models import Answer, Assessment, Direction, QuestionnaireVersion, QuestionType
from common.numbers import read_number


def out_of_range_message(low: float, high: float) -> str:
    return _("Enter a number from %(low)s to %(high)s.") % {"low": f"{low:,.0f}", "high": f"{high:,.0f}"}


class CrispyForm(forms.Form):
    """A form rendered by crispy-forms with its own <form> tag left to the template."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class StartAssessmentForm(CrispyForm):
    """Year, questionnaire version, and the earlier assessment whose answers to start from."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    version = forms.ModelChoiceField(
        label=_("Questionnaire version"),
        queryset=QuestionnaireVersion.objects.none(),
        required=False,
        empty_label=None,
        help_text=_("Normally the current version; answers are carried across versions by its mapping."),
    )
    start_from = forms.ModelChoiceField(
        label=_("Start from the answers of"),
        queryset=Assessment.objects.none(),
        required=False,
        empty_label=_("nothing: start with no answers"),
        help_text=_("You will see what is carried, what needs review and what is new before anything is saved."),
    )

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = datetime.date.today().year
        versions = QuestionnaireVersion.objects.published().order_by("-published_at", "-pk")
        self.fields["version"].queryset = versions
        self.fields["version"].initial = versions.first()
        earlier = city.assessments.select_related("version").order_by("-year")
        self.fields["start_from"].queryset = earlier
        self.fields["start_from"].label_from_instance = lambda a: (
            f"{a.year} · {a.get_status_display()} · {a.version.code}"
        )
        # Last year's answers as the city submitted them, if it did; else its latest draft.
        self.fields["start_from"].initial = earlier.exclude(status="draft").first() or earlier.first()

    def clean(self):
        data = super().clean()
        source = data.get("start_from")
        if source is not None and data.get("year") is not None and source.year >= data["year"]:
            self.add_error("start_from", _("Start from an assessment of an earlier year."))
        return data


class AssignmentForm(CrispyForm):
    """One set of checkboxes per direction: which officials of the city answer it."""

    def __init__(self, *args, officials, current: dict[str, set[int]], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(user.pk, str(user)) for user in officials]
        self.officials = {user.pk: user for user in officials}
        for direction, label in Direction.choices:
            self.fields[direction] = forms.TypedMultipleChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=sorted(current.get(direction, ())),
            )

    def assignments(self) -> dict[str, list]:
        return {d: [self.officials[pk] for pk in self.cleaned_data[d]] for d in Direction.values}


class ReopenForm(CrispyForm):
    reason = forms.CharField(
        label=_("Why is it reopened?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The coordinator sees this reason; it is kept with the assessment."),
    )


# What an answer may hold: the fields of the page's form, and the checks beyond single fields. The
# batch save (`answers_batch`) cleans its entries with the same fields and checks.

VALUE_FIELD_NAMES = {
    QuestionType.LEVEL: "level",
    QuestionType.YES_NO: "yes",
    QuestionType.CHECKLIST: "items",
    QuestionType.NUMBER: "number",
}


def value_field(question) -> forms.Field:
    """The field of the question's own kind of value (named by VALUE_FIELD_NAMES)."""
    kind = question.type
    if kind == QuestionType.LEVEL:
        return forms.TypedChoiceField(
            choices=[(k, f"L{k}") for k in range(1, 6)], coerce=int, required=False, empty_value=None
        )
    if kind == QuestionType.YES_NO:
        return forms.TypedChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda v: v == "yes",
            required=False,
            empty_value=None,
        )
    if kind == QuestionType.CHECKLIST:
        return forms.MultipleChoiceField(
            choices=[(item.code, item.text) for item in question.checklist_items.all()], required=False
        )
    return NumberField(required=False, error_messages={"invalid": _("Enter a number, e.g. 72.5.")})


class NumberField(forms.FloatField):
    """A number as people type it (`common.numbers.read_number`): full-width digits and separators
    from a Chinese input method (１２．５, ７２％, １，２３４) are read as the number they show."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            number = read_number(value)
            if number is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return number
        return super().to_python(value)


def check_number(question, number: float | None) -> None:
    """A number outside what the question can mean (a share above 100, …) is refused."""
    low, high = question.number_range
    if number is not None and not low <= number <= high:
        raise forms.ValidationError(out_of_range_message(low, high))


def check_not_applicable(question, posted) -> None:
    """N/A posted where the question does not allow it is refused: ignoring it would store an empty
    answer over the one there."""
    if posted and not question.allow_na:
        raise forms.ValidationError(_("%(code)s may not be answered 'not applicable'.") % {"code": question.code})


def answer_values(question, cleaned: dict, *, answered: bool) -> dict:
    """The answer fields to store from cleaned data: exactly one kind of value, or N/A, or nothing
    (cleared), and the comment. `answered`: a checklist was posted as answered, so that nothing
    ticked means "none of these"."""
    values = {"level": None, "yes": None, "items": None, "number": None, "not_applicable": False}
    if cleaned.get("not_applicable"):
        values["not_applicable"] = True
    elif question.type == QuestionType.CHECKLIST:
        values["items"] = list(cleaned.get("items") or []) if answered else None
    else:
        name = VALUE_FIELD_NAMES[question.type]
        values[name] = cleaned.get(name)
    values["comment"] = cleaned.get("comment", "")
    return values


class AnswerForm(forms.Form):
    """One question's answer as posted by the answering page (autosave or the page's save button)."""

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    not_applicable = forms.BooleanField(required=False)
    comment = forms.CharField(
        required=False, max_length=Answer.COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_url = forms.URLField(required=False, max_length=500, assume_scheme="https")
    evidence_file = forms.FileField(required=False, validators=[validate_evidence_file])
    remove_file = forms.BooleanField(required=False)
    # The "Confirm this answer" button of a carried answer flagged for review.
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields[VALUE_FIELD_NAMES[question.type]] = value_field(question)
        if not question.allow_na:
            del self.fields["not_applicable"]

    def clean(self):
        data = super().clean()
        check_not_applicable(self.question, self.data.get("not_applicable"))
        return data

    def clean_evidence_file(self):
        return self.cleaned_data.get("evidence_file") or None

    def clean_number(self):
        number = self.cleaned_data.get("number")
        check_number(self.question, number)
        return number

    def error_lists(self) -> dict[str, list[str]]:
        """The errors as plain strings per field, as the JSON answers carry them."""
        return {name: [str(error) for error in errors] for name, errors in self.errors.items()}

    def answer_values(self) -> dict:
        """The answer fields to store: exactly one kind of value, or N/A, or nothing (cleared)."""
        return answer_values(self.question, self.cleaned_data, answered=bool(self.data.get("answered")))

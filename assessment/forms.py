"""Forms of the answering journey. They validate; the functions in answering.py do the work."""

import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.evidence import validate_evidence_file
from assessment.models import Answer, Assessment, Direction, QuestionnaireVersion, QuestionType


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

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        kind = question.type
        if kind == QuestionType.LEVEL:
            self.fields["level"] = forms.TypedChoiceField(
                choices=[(k, f"L{k}") for k in range(1, 6)],
                coerce=int,
                required=False,
                empty_value=None,
            )
        elif kind == QuestionType.YES_NO:
            self.fields["yes"] = forms.TypedChoiceField(
                choices=[("yes", _("Yes")), ("no", _("No"))],
                coerce=lambda v: v == "yes",
                required=False,
                empty_value=None,
            )
        elif kind == QuestionType.CHECKLIST:
            self.fields["items"] = forms.MultipleChoiceField(
                choices=[(item.code, item.text) for item in question.checklist_items.all()],
                required=False,
            )
        else:
            self.fields["number"] = forms.FloatField(
                required=False, error_messages={"invalid": _("Enter a number, e.g. 72.5.")}
            )
        if not question.allow_na:
            del self.fields["not_applicable"]

    def clean_evidence_file(self):
        return self.cleaned_data.get("evidence_file") or None

    def error_lists(self) -> dict[str, list[str]]:
        """The errors as plain strings per field, as the JSON answers carry them."""
        return {name: [str(error) for error in errors] for name, errors in self.errors.items()}

    def clean_number(self):
        number = self.cleaned_data.get("number")
        low, high = self.question.number_range
        if number is not None and not low <= number <= high:
            raise forms.ValidationError(out_of_range_message(low, high))
        return number

    def answer_values(self) -> dict:
        """The answer fields to store: exactly one kind of value, or N/A, or nothing (cleared)."""
        data = self.cleaned_data
        values = {"level": None, "yes": None, "items": None, "number": None, "not_applicable": False}
        if data.get("not_applicable"):
            values["not_applicable"] = True
        elif self.question.type == QuestionType.CHECKLIST:
            # A checklist posted from the page is answered even with nothing ticked ("none of these").
            values["items"] = list(data.get("items") or []) if self.data.get("answered") else None
        else:
            field = {QuestionType.LEVEL: "level", QuestionType.YES_NO: "yes", QuestionType.NUMBER: "number"}
            values[field[self.question.type]] = data.get(field[self.question.type])
        values["comment"] = data.get("comment", "")
        return values

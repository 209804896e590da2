"""Forms of the drafting screens: a decision's fields, and the reason for a correction.

The list fields (legal bases, articles, recipients) are edited as text, one item a
line. The decision form holds the text to reports.decision_rules and puts each
refusal on its field; the drafting services ask the same rules again. Whether a
decision may change at all is the view's and the model's business (a published
decision never changes).
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from reports.decision_rules import decision_problems
from reports.models import Decision
from reports.selectors.appraisal_end import appraisal_ended_on

# Decisions are dated as official documents write it, whatever the interface language.
DATE_INPUT_FORMATS = ["%d/%m/%Y"]


def _label(name: str):
    """The model field's own label, as a ModelForm would give it."""
    return capfirst(Decision._meta.get_field(name).verbose_name)


class LinesField(forms.CharField):
    """A list of strings edited as a textarea, one item a line; blank lines are dropped."""

    widget = forms.Textarea

    def __init__(self, *, rows: int = 4, **kwargs) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(strip=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list | tuple):
            lines = [str(item) for item in value]
        else:
            lines = (value or "").splitlines()
        return [line.strip() for line in lines if line.strip()]

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class DecisionForm(forms.ModelForm):
    signed_on = forms.DateField(
        label=_label("signed_on"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
        help_text=_("As written on the decision: dd/mm/yyyy, e.g. 17/10/2016."),
    )
    legal_bases = LinesField(
        label=_label("legal_bases"),
        rows=5,
        help_text=_("One legal basis a line, each starting “Căn cứ …”."),
    )
    articles = LinesField(
        label=_label("articles"),
        rows=6,
        help_text=_("One article a line, without “Điều N.”: the first is Điều 1, and so on."),
    )
    recipients = LinesField(
        label=_label("recipients"),
        rows=5,
        help_text=_("One recipient a line, without the leading dash; the last is “Lưu: VT, …”."),
    )

    class Meta:
        model = Decision
        fields = [
            "number",
            "signed_on",
            "place",
            "issuing_body",
            "subject",
            "signing_mode",
            "signer_title",
            "signer_name",
            "legal_bases",
            "articles",
            "recipients",
        ]
        widgets = {"subject": forms.Textarea(attrs={"rows": 2})}

    def clean(self) -> dict:
        cleaned = super().clean()
        # A field already refused (required, not a date) is not judged again.
        judged = {name: cleaned[name] for name in self.Meta.fields if name in cleaned}
        ended = appraisal_ended_on(self.instance.campaign_id)
        for problem in decision_problems(judged, appraisal_ended=ended):
            self.add_error(problem.field, problem.message)
        return cleaned


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_label("correction_reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the correction and shown beside the corrected decision."),
    )

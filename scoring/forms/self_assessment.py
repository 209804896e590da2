"""Forms of the unit's self-assessment: one leaf's score, one evidence upload, a reopening.

Each leaf has its own small form, named by a prefix holding the criterion's id, so
that a page of a hundred leaves has unique field ids and a post reads one leaf only.
The forms only parse what was typed; the rules (ranges, steps, levels, who and when)
are the services', whose refusals are added to the form that caused them.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from scoring.forms.versions import VersionedForm
from scoring.models import Criterion, Score
from scoring.points_rules import points_hint
from scoring.selectors.self_assessment import SelfAssessmentSheet, SheetRow
from scoring.services.self_assessment import SelfInput
from scoring.templatetags.assessments import points_count
from units.number_fields import DecimalCommaField
from units.numbers import to_decimal

Method = Criterion.Method
# Evidence dates are written as in official documents, whatever the interface language:
# an English visitor's 05/01/2016 is still the 5th of January.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
EVIDENCE_ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.png,.jpg,.jpeg"


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


class SelfScoreForm(VersionedForm):
    """The unit's entry for one leaf; its fields follow the leaf's scoring method."""

    def __init__(self, *args, criterion: Criterion, score: Score | None = None, **kwargs):
        kwargs.setdefault("prefix", f"s{criterion.pk}")
        if score is not None and "initial" not in kwargs:
            kwargs["initial"] = _initial(score)
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        method = criterion.method
        if method == Method.LEVELS:
            self.fields["level"] = forms.ChoiceField(
                label=_("Level reached"),
                required=False,
                choices=[
                    (
                        str(entry.get("label", "")),
                        f"{entry.get('label', '')} ({_points(entry)})",
                    )
                    for entry in criterion.scale or []
                    if isinstance(entry, dict)
                ],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
        elif method == Method.RATIO:
            self.fields["numerator"] = DecimalCommaField(
                label=_("Achieved (numerator)"), required=False
            )
            self.fields["denominator"] = DecimalCommaField(
                label=_("Total (denominator)"), required=False
            )
        elif method != Method.SURVEY:
            label = {
                Method.DEDUCTION: _("Points deducted"),
                Method.BONUS: _("Bonus points"),
            }.get(method, _("Points"))
            # Checked against the leaf by the service (scoring.points_rules), not here.
            self.fields["points"] = DecimalCommaField(
                label=label, required=False, help_text=points_hint(criterion)
            )
        if criterion.na_allowed:
            self.fields["not_applicable"] = forms.BooleanField(
                label=_("Not applicable to our unit"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields["na_reason"] = forms.CharField(
                label=_("Why it does not apply"),
                required=False,
                max_length=2000,
                widget=_textarea(2),
            )
        self.fields["explanation"] = forms.CharField(
            label=_("Explanation"),
            required=False,
            max_length=5000,
            widget=_textarea(2),
        )

    @property
    def input_fields(self) -> list[forms.BoundField]:
        """The fields of the method (points, level or the ratio's figures), in order."""
        names = ("level", "numerator", "denominator", "points")
        return [self[name] for name in names if name in self.fields]

    def entry(self) -> SelfInput:
        data = self.cleaned_data
        return SelfInput(
            points=data.get("points"),
            level=data.get("level") or "",
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            not_applicable=bool(data.get("not_applicable")),
            na_reason=data.get("na_reason") or "",
            explanation=data.get("explanation") or "",
        )


def _points(entry: dict) -> str:
    value = to_decimal(entry.get("points"))
    return points_count(value) if value is not None else str(entry.get("points", ""))


def _initial(score: Score) -> dict:
    recorded = score.self_input or {}
    # Decimals, which the fields show as the page's language writes them (2,5).
    return {
        "points": score.self_points,
        "level": recorded.get("level", ""),
        "numerator": to_decimal(recorded.get("numerator")),
        "denominator": to_decimal(recorded.get("denominator")),
        "not_applicable": score.not_applicable,
        "na_reason": score.na_reason,
        "explanation": score.self_explanation,
        "version": score.version,
    }


class EvidenceUploadForm(forms.Form):
    """A document for one leaf and what identifies it: number, date and issuer."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel or an image (PNG, JPEG)."),
        widget=forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT, "class": "form-control"}),
    )
    document_number = forms.CharField(
        label=_("Document number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": _("e.g. 125/KH-SGDĐT")}
        ),
    )
    document_date = forms.DateField(
        label=_("Document date"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("dd/mm/yyyy"),
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "placeholder": "dd/mm/yyyy",
                "inputmode": "numeric",
                "autocomplete": "off",
            }
        ),
    )
    issuer = forms.CharField(
        label=_("Issued by"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, criterion: Criterion, **kwargs):
        kwargs.setdefault("prefix", f"e{criterion.pk}")
        super().__init__(*args, **kwargs)
        self.criterion = criterion


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=2000,
        help_text=_("The unit's officers and head see it in the assessment's history."),
        widget=_textarea(3),
    )


@dataclass(frozen=True)
class SheetPanel:
    """A row of the self-assessment page with the forms of its leaf.

    On a read-only page a leaf has no forms, except one just posted and refused (the
    deadline passed while the user typed, say), whose reason is shown next to it.
    """

    row: SheetRow
    editable: bool = False
    score_form: SelfScoreForm | None = None
    evidence_form: EvidenceUploadForm | None = None

    @property
    def refusals(self) -> list[str]:
        messages: list[str] = []
        for form in (self.score_form, self.evidence_form):
            if form is not None and form.is_bound:
                messages.extend(str(error) for errors in form.errors.values() for error in errors)
        return messages


def sheet_panels(
    sheet: SelfAssessmentSheet,
    *,
    editable: bool,
    score_form: SelfScoreForm | None = None,
    evidence_form: EvidenceUploadForm | None = None,
) -> list[SheetPanel]:
    """Every row of the sheet with its leaf's forms: fresh ones, or the posted one refused."""
    panels = []
    for row in sheet.rows:
        leaf = row.leaf
        if leaf is None:
            panels.append(SheetPanel(row=row))
            continue
        pk = leaf.criterion.pk
        posted_score = score_form if score_form and score_form.criterion.pk == pk else None
        posted_evidence = (
            evidence_form if evidence_form and evidence_form.criterion.pk == pk else None
        )
        if not editable or leaf.is_survey:
            panels.append(
                SheetPanel(row=row, score_form=posted_score, evidence_form=posted_evidence)
            )
            continue
        panels.append(
            SheetPanel(
                row=row,
                editable=True,
                score_form=posted_score
                or SelfScoreForm(criterion=leaf.criterion, score=leaf.score),
                evidence_form=posted_evidence or EvidenceUploadForm(criterion=leaf.criterion),
            )
        )
    return panels

"""Forms of a campaign's set-up, its deadlines, its stragglers and its bulk steps.

They only parse input; the rules (who may, what order, what state) belong to the
services, whose refusals the views add to these forms beside what was typed.
"""

from datetime import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from scoring.models import (
    Campaign,
    DeadlineExtension,
    Framework,
    deadline_order_problems,
)
from scoring.services.campaigns import Answer, Band

# What <input type="datetime-local"> sends and shows; the time is Vietnam's (TIME_ZONE).
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def _when_field(label, help_text="") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        help_text=help_text,
        input_formats=[LOCAL_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
    )


def _reason_field(label, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CampaignCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=300)
    source = forms.ModelChoiceField(
        label=_("Start from"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("Nothing: an empty campaign"),
        help_text=_(
            "Copies the campaign's blocks, their frameworks (cloned to the new year, so they "
            "can be revised), tier bands and survey answer weights. Deadlines are set afresh."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = Campaign.objects.order_by("-year")


class DeadlinesForm(forms.Form):
    self_assessment_deadline = _when_field(
        _("Self-assessment deadline"), _("Units edit and submit until then.")
    )
    appraisal_deadline = _when_field(
        _("Appraisal deadline"), _("The preliminary appraisal goes back to the units by then.")
    )
    explanation_deadline = _when_field(
        _("Explanation deadline"), _("Units reply to the appraisal until then.")
    )

    def clean(self) -> dict:
        data = super().clean()
        problems = deadline_order_problems(
            self_assessment=data.get("self_assessment_deadline"),
            appraisal=data.get("appraisal_deadline"),
            explanation=data.get("explanation_deadline"),
        )
        for name, message in problems.items():
            self.add_error(name, message)
        return data


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Framework) -> str:
        return f"{obj.block.name}: {obj.name}"


class BlockAddForm(forms.Form):
    """A block joins the campaign with one of its frameworks of the campaign's year."""

    framework = FrameworkChoiceField(label=_("Block and framework"), queryset=Framework.objects)

    def __init__(self, *args, campaign: Campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = (
            Framework.objects.filter(year=campaign.year)
            .exclude(block__campaignblock__campaign=campaign)
            .select_related("block")
            .order_by("block__position", "block__code")
        )


class _RowForm(forms.Form):
    """A row of a set-up table: small inputs, drawn by hand in the table's cells."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-control form-control-sm")


class TierBandForm(_RowForm):
    name = forms.CharField(label=_("Tier"), max_length=60, required=False)
    min_index = forms.DecimalField(
        label=_("From index (%)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    inclusive = forms.BooleanField(
        label=_("Included"),
        required=False,
        help_text=_("Off when the rule says “above”."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("name") and data.get("min_index") is None:
            self.add_error("min_index", _("Give the index the tier starts from."))
        if data.get("min_index") is not None and not data.get("name"):
            self.add_error("name", _("Give the tier a name."))
        return data


TierBandFormSet = forms.formset_factory(TierBandForm, extra=2, can_delete=True)


def tier_formset(campaign_block, data=None) -> forms.BaseFormSet:
    initial = [
        {"name": band.name, "min_index": band.min_index, "inclusive": band.inclusive}
        for band in campaign_block.tiers.all()
    ]
    return TierBandFormSet(data, initial=initial, prefix=f"tiers-{campaign_block.block.code}")


def formset_bands(formset: forms.BaseFormSet) -> list[Band]:
    return [
        Band(
            form.cleaned_data["name"],
            form.cleaned_data["min_index"],
            form.cleaned_data["inclusive"],
        )
        for form in formset.forms
        if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
    ]


class SurveyAnswerForm(_RowForm):
    code = forms.CharField(label=_("Answer"), max_length=5, required=False)
    label = forms.CharField(label=_("Label"), max_length=100, required=False)
    weight_percent = forms.DecimalField(
        label=_("Weight (%)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("code") and data.get("weight_percent") is None:
            self.add_error("weight_percent", _("Give the share of the points this answer earns."))
        if not data.get("code") and (data.get("label") or data.get("weight_percent") is not None):
            self.add_error("code", _("Give the answer a code (A, B, C…)."))
        return data


SurveyAnswerFormSet = forms.formset_factory(SurveyAnswerForm, extra=2, can_delete=True)


def answers_formset(campaign: Campaign, answers, data=None) -> forms.BaseFormSet:
    initial = [
        {"code": a.code, "label": a.label, "weight_percent": a.weight_percent} for a in answers
    ]
    return SurveyAnswerFormSet(data, initial=initial, prefix="answers")


def formset_answers(formset: forms.BaseFormSet) -> list[Answer]:
    return [
        Answer(
            form.cleaned_data["code"],
            form.cleaned_data.get("label", ""),
            form.cleaned_data["weight_percent"],
        )
        for form in formset.forms
        if form.cleaned_data.get("code") and not form.cleaned_data.get("DELETE")
    ]


class ExtensionForm(forms.Form):
    """One unit's later deadline for a phase, with why."""

    phase = forms.ChoiceField(label=_("Phase"), choices=DeadlineExtension.Phase.choices)
    deadline = _when_field(_("New deadline"))
    reason = _reason_field(_("Reason"), _("The unit's officers see it on their assessment's page."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deadline"].required = True

    @property
    def new_deadline(self) -> datetime:
        return self.cleaned_data["deadline"]


class StepReasonForm(forms.Form):
    """The reason staff give for a step taken for a late unit (kept in its history)."""

    reason = _reason_field(
        _("Reason"), _("The unit's officers and head see it in the assessment's history.")
    )


class BulkStepForm(forms.Form):
    """The confirmation of a bulk step: the assessments of the preview, and the reason."""

    ids = forms.CharField(widget=forms.HiddenInput)
    reason = _reason_field(
        _("Reason"), _("Kept in each file's history; the units see it on their pages.")
    )

    def __init__(self, *args, reason_required: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required

    def clean_ids(self) -> list[int]:
        try:
            return [int(part) for part in self.cleaned_data["ids"].split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(
                _("The list of files was damaged; open the preview again.")
            ) from None

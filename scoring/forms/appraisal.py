"""Forms of the appraisal screens: assignments, appraising a leaf, accepting, replying, filters.

The forms only parse input; the rules (a note when lowering, who may do what,
deadlines) belong to the services, whose refusals the views add to these forms
so they are shown beside what the user typed.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from scoring.forms.self_assessment import EvidenceUploadForm
from scoring.forms.versions import VersionedForm
from scoring.models import Assessment, Criterion
from scoring.points_rules import points_hint
from scoring.selectors.appraisal import SheetRow
from scoring.selectors.assignments import AreaChoice
from units.models import APPRAISER_GROUP, Block, Unit
from units.number_fields import DecimalCommaField
from units.people import person_name

ALL_AREAS = ""


class AppraiserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = person_name(obj)
        return name if name == obj.get_username() else f"{name} ({obj.get_username()})"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} — {obj.block.name}"


class AssignmentForm(forms.Form):
    """Give an appraiser a unit of the campaign: one area, or every area."""

    appraiser = AppraiserChoiceField(label=_("Appraiser"), queryset=get_user_model().objects.none())
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    area_code = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(
        self,
        *args,
        campaign,
        areas_by_block: dict[int, tuple[str, list[AreaChoice]]],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.areas_by_block = areas_by_block
        self.fields["appraiser"].queryset = (
            get_user_model()
            .objects.filter(groups__name=APPRAISER_GROUP, is_active=True)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["unit"].queryset = (
            Unit.objects.filter(assessments__campaign=campaign)
            .select_related("block")
            .order_by("block__position", "search_text")
        )
        # The same area code means a different area in each block's framework,
        # so the choices are grouped by block and checked against the unit's block.
        self.fields["area_code"].choices = [(ALL_AREAS, _("Every area"))] + [
            (block_name, [(area.code, f"{area.code}. {area.title}") for area in areas])
            for block_name, areas in areas_by_block.values()
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        unit, area_code = cleaned.get("unit"), cleaned.get("area_code") or ALL_AREAS
        if unit is not None and area_code != ALL_AREAS:
            _name, areas = self.areas_by_block.get(unit.block_id, ("", []))
            if area_code not in {area.code for area in areas}:
                self.add_error(
                    "area_code", _("The framework of this unit's block has no such area.")
                )
        cleaned["area_code"] = area_code
        return cleaned


class AppraiseForm(VersionedForm):
    """The appraiser's points and note for one leaf (prefixed by the score's id)."""

    points = DecimalCommaField(label=_("Appraised points"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def appraise_form(score, data=None) -> AppraiseForm:
    form = AppraiseForm(
        data,
        prefix=f"s{score.pk}",
        initial={
            "points": score.appraised_points,
            "note": score.appraisal_note,
            "version": score.version,
        },
    )
    # Each leaf's fields name their criterion: a page holds a hundred of them.
    code = {"code": score.criterion.code}
    form.fields["points"].label = _("Appraised points of %(code)s") % code
    # What the leaf accepts (its levels, range or step), checked by score_appraise.
    form.fields["points"].help_text = points_hint(score.criterion)
    form.fields["note"].label = _("Note on %(code)s") % code
    return form


class AcceptReplyForm(VersionedForm):
    """Accept the unit's explanation of a leaf, with an optional closing note."""

    note = forms.CharField(
        label=_("Note on the explanation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def accept_reply_form(score, data=None) -> AcceptReplyForm:
    form = AcceptReplyForm(data, prefix=f"r{score.pk}", initial={"version": score.version})
    form.fields["note"].label = _("Note on accepting %(code)s (optional)") % {
        "code": score.criterion.code
    }
    return form


class AcceptSelectedForm(forms.Form):
    """Leaves ticked to be accepted as self-assessed, all at once."""

    criteria = forms.ModelMultipleChoiceField(
        queryset=Criterion.objects.none(),
        error_messages={"required": _("Tick at least one criterion to accept.")},
    )

    def __init__(self, *args, assessment: Assessment, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criteria"].queryset = Criterion.objects.filter(
            framework_id=assessment.framework_id
        )

    def versions(self) -> dict[int, int]:
        """Each ticked leaf's version as the page showed it ("version-<criterion id>")."""
        found = {}
        for criterion in self.cleaned_data["criteria"]:
            value = self.data.get(f"version-{criterion.pk}", "")
            if value.isdigit():
                found[criterion.pk] = int(value)
        return found

    @property
    def ticked(self) -> set[str]:
        """The criteria ticked in a refused post, ticked again on the page shown with it."""
        return set(self.data.getlist("criteria")) if self.is_bound else set()


class ReplyForm(VersionedForm):
    """The unit's reply to the appraisal of one leaf (giải trình)."""

    reply = forms.CharField(
        label=_("Your explanation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def reply_form(score, data=None) -> ReplyForm:
    form = ReplyForm(
        data, prefix=f"s{score.pk}", initial={"reply": score.unit_reply, "version": score.version}
    )
    form.fields["reply"].label = _("Your explanation of %(code)s") % {"code": score.criterion.code}
    return form


def _focus_on(form) -> None:
    """Put the keyboard (and the view) on a refused form: a page may hold a hundred."""
    if form is not None and form.errors:
        visible = (field for field in form.fields.values() if not field.widget.is_hidden)
        next(visible).widget.attrs["autofocus"] = True


def attach_forms(rows: list[SheetRow], bound=None, bound_score_pk: int | None = None) -> None:
    """Give each row the forms it shows; the row of a refused post keeps its bound form.

    `bound` is an AppraiseForm, AcceptReplyForm or ReplyForm: it replaces the blank
    form of the same kind on the row of `bound_score_pk`.
    """
    _focus_on(bound)
    for row in rows:
        score = row.score
        if score is None:
            continue
        mine = bound is not None and score.pk == bound_score_pk
        if row.may_appraise:
            row.form = bound if mine and isinstance(bound, AppraiseForm) else appraise_form(score)
        if row.may_accept_reply:
            row.reply_form = (
                bound if mine and isinstance(bound, AcceptReplyForm) else accept_reply_form(score)
            )


def attach_reply_forms(rows: list[SheetRow], bound=None, bound_score_pk: int | None = None):
    """The explanation sheet's forms: a reply and a further document per leaf."""
    _focus_on(bound)
    for row in rows:
        mine = bound is not None and row.score.pk == bound_score_pk
        row.reply_form = bound if mine and isinstance(bound, ReplyForm) else reply_form(row.score)
        row.evidence_form = (
            bound
            if mine and isinstance(bound, EvidenceUploadForm)
            else EvidenceUploadForm(criterion=row.criterion)
        )


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, read from the query string."""

    block = forms.ModelChoiceField(
        label=_("Block"),
        queryset=Block.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All blocks"),
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *Assessment.State.choices],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["block"].queryset = Block.objects.filter(campaignblock__campaign=campaign)

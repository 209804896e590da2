"""One unit's assessment in a campaign: its scores, evidence, appraisers and workflow events."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import DecimalField, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scoring.calculations import COUNTED_FIELDS, ZERO
from scoring.models.campaigns import Campaign, CampaignBlock
from scoring.models.frameworks import POINTS, Criterion, Framework
from scoring.points_rules import PointsError, checked_points
from units.models import Unit


class AssessmentQuerySet(models.QuerySet):
    def for_campaign(self, campaign: Campaign) -> "AssessmentQuerySet":
        return self.filter(campaign=campaign)


class Assessment(models.Model):
    """One unit in one campaign, scored on its block's framework."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_APPRAISAL = "in_appraisal", _("In appraisal")
        RETURNED = "returned", _("Returned for explanation")
        EXPLAINED = "explained", _("Explained")
        APPRAISED = "appraised", _("Appraised")
        PUBLISHED = "published", _("Published")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("campaign")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("unit")
    )
    # Kept on the row (not looked up through the unit's current block) so a past
    # assessment keeps the framework it was scored on even if the unit moves block.
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("framework")
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # This unit's own deadlines, later than the campaign's: the latest DeadlineExtension of
    # each phase, kept on the row so that every page can tell whether a phase is open
    # without a query (the extensions keep who granted what, when and why).
    self_assessment_extended_to = models.DateTimeField(
        _("self-assessment extended to"), null=True, blank=True
    )
    explanation_extended_to = models.DateTimeField(
        _("explanation extended to"), null=True, blank=True
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "unit__block__position", "unit__search_text"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="assessment_one_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.campaign.year}"

    def clean(self) -> None:
        if not (self.campaign_id and self.framework_id):
            return
        if not CampaignBlock.objects.filter(
            campaign_id=self.campaign_id, framework_id=self.framework_id
        ).exists():
            raise ValidationError({"framework": _("This framework is not used by the campaign.")})
        if self.unit_id and self.framework.block_id != self.unit.block_id:
            raise ValidationError({"framework": _("The framework is for another block.")})


# Sums of points in queries: wide enough for a province's totals, two decimals as stored.
POINTS_SUM = DecimalField(max_digits=12, decimal_places=2)


def counted_points_sql() -> Coalesce:
    """The points a Score row counts for, in a query: calculations.COUNTED_FIELDS, else 0."""
    return Coalesce(*COUNTED_FIELDS, Value(ZERO), output_field=POINTS_SUM)


# Why a score changed: the key stored as the history row's change reason (Score.history),
# translated when the history is shown.
HISTORY_REASONS = {
    "self_assessment": _("self-assessment"),
    "appraisal": _("appraisal"),
    "accepted": _("accepted as self-assessed"),
    "explanation": _("explanation"),
    "reply_accepted": _("explanation accepted"),
    "finalised": _("appraisal finalised"),
    "import": _("imported from a workbook"),
    "unsubmitted": _("opened for appraisal without a self-assessment"),
}


class Score(models.Model):
    """One leaf of one assessment: the unit's claim, the appraisal, the reply, the result."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    na_reason = models.TextField(_("reason for not applicable"), blank=True)
    self_points = models.DecimalField(_("self-assessed points"), null=True, blank=True, **POINTS)
    self_input = models.JSONField(
        _("self-assessment input"),
        default=dict,
        blank=True,
        help_text=_(
            "The figures behind the points: the chosen level, "
            "or a ratio's numerator and denominator."
        ),
    )
    self_explanation = models.TextField(_("explanation"), blank=True)
    appraised_points = models.DecimalField(_("appraised points"), null=True, blank=True, **POINTS)
    appraisal_note = models.TextField(_("appraisal note"), blank=True)
    unit_reply = models.TextField(_("unit's reply"), blank=True)
    final_points = models.DecimalField(_("final points"), null=True, blank=True, **POINTS)
    # Counts the saves of what people typed (score_changes.save_with_history): a form
    # carries back the version it was opened on, and a save finding another version is
    # refused (optimistic concurrency). 0 means nothing was saved yet, like no row at all:
    # the empty row an evidence upload creates holds nothing a form could lose.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    # Every change of a score, with who made it and why (history_change_reason):
    # appraisal disputes are exactly where this is asked.
    history = HistoricalRecords(excluded_fields=["updated_at"], cascade_delete_history=True)

    class Meta:
        ordering = ["assessment", "criterion__sort_key"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_one_per_leaf"),
            models.CheckConstraint(
                condition=Q(self_points__isnull=True) | Q(self_points__gte=0),
                name="score_self_points_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(appraised_points__isnull=True) | Q(appraised_points__gte=0),
                name="score_appraised_points_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(final_points__isnull=True) | Q(final_points__gte=0),
                name="score_final_points_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.criterion.code}"

    def clean(self) -> None:
        if self.criterion_id is None:
            return  # the form already says the criterion is missing (was a 500 in the admin)
        errors = {}
        for field in ("self_points", "appraised_points", "final_points"):
            value = getattr(self, field)
            if value is None:
                continue
            try:
                checked_points(self.criterion, value)
            except PointsError as error:
                errors[field] = str(error)
        if self.not_applicable and not self.criterion.na_allowed:
            errors["not_applicable"] = _("This criterion applies to every unit.")
        if errors:
            raise ValidationError(errors)


def evidence_path(instance: "Evidence", filename: str) -> str:
    # Files are named by their digest, never by what the uploader typed: no path tricks,
    # and the same document uploaded twice is stored once.
    return f"evidence/{instance.score.assessment.campaign.year}/{instance.sha256}"


class EvidenceFile(models.Model):
    """A stored evidence file, which every Evidence row of the same digest (and year) shares.

    Its row is the lock under which a file is checked for, written and deleted: a
    removal deletes the file only while holding it and seeing no Evidence row left, and
    an upload reuses the file only while holding it, so a file is never deleted while a
    row refers to it. A row is made on first use and deleted with its file (a file
    stored before this table existed gets one when it is next attached or released).
    """

    name = models.CharField(_("file name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("stored evidence file")
        verbose_name_plural = _("stored evidence files")

    def __str__(self) -> str:
        return self.name


class Evidence(models.Model):
    """A document supporting a score (tài liệu kiểm chứng), stored privately."""

    class Stage(models.TextChoices):
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
        EXPLANATION = "explanation", _("Explanation")

    score = models.ForeignKey(
        Score, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("score")
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    document_number = models.CharField(
        _("document number"), max_length=100, blank=True, help_text=_("For example 125/KH-SGDĐT")
    )
    document_date = models.DateField(_("document date"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.SELF_ASSESSMENT
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["score", "uploaded_at"]
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")

    def __str__(self) -> str:
        return self.document_number or self.original_name

    @property
    def dated_outside_year(self) -> bool:
        """A document dated outside the assessed year is suspicious: warned of, not refused."""
        year = self.score.assessment.campaign.year
        return self.document_date is not None and self.document_date.year != year


class AppraiserAssignment(models.Model):
    """Who appraises which unit in a campaign: one area, or every area when area_code is blank."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("campaign")
    )
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="appraisals",
        verbose_name=_("appraiser"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="appraisers", verbose_name=_("unit")
    )
    area_code = models.CharField(
        _("area"), max_length=20, blank=True, help_text=_("Empty: every area of the framework.")
    )

    class Meta:
        ordering = ["campaign", "unit__search_text", "area_code"]
        verbose_name = _("appraiser assignment")
        verbose_name_plural = _("appraiser assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "appraiser", "unit", "area_code"],
                name="assignment_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.appraiser} → {self.unit} {self.area_code or '*'}"


# Reasons the portal itself gives a workflow step, stored as these keys and translated
# when shown; any other reason is what a person typed.
EVENT_REASONS = {
    "imported": _("imported from a workbook"),
}


class AssessmentEvent(models.Model):
    """One step of an assessment's workflow: who moved it, from where to where, and why."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="events", verbose_name=_("assessment")
    )
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from"), max_length=20, choices=Assessment.State.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=Assessment.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "at", "pk"]
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")

    def __str__(self) -> str:
        return f"{self.assessment}: {self.from_state} → {self.to_state}"

    @property
    def reason_display(self) -> str:
        return str(EVENT_REASONS.get(self.reason, self.reason))


class DeadlineExtension(models.Model):
    """A later deadline for one unit in one phase: who granted it, when, and why."""

    class Phase(models.TextChoices):
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
        EXPLANATION = "explanation", _("Explanation")

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("assessment"),
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    deadline = models.DateTimeField(_("new deadline"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "granted_at", "pk"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self) -> str:
        return f"{self.assessment}: {self.get_phase_display()} → {self.deadline:%Y-%m-%d %H:%M}"

"""Criteria frameworks, campaigns, assessments and their scores.

Points are Decimal with two decimal places in the database: every maximum, step
and level in the official frameworks is a multiple of 0.25, and the results of a
computation are never stored here but derived by the scoring service.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scoring.frameworks import ADJUSTMENTS, leaf_scale_problems, tree_problems
from units.models import Block, Unit

POINTS = {"max_digits": 7, "decimal_places": 2}


class FrameworkLockedError(ValidationError):
    """Raised when anything tries to change the criteria of a locked framework."""


def code_sort_key(code: str) -> str:
    """Sort key that orders "2.10" after "2.9": each numeric part padded to 3 digits."""
    return ".".join(part.zfill(3) if part.isdigit() else part for part in code.split("."))


class Framework(models.Model):
    """The criteria set of one year for one block, as issued by a provincial decision."""

    year = models.PositiveSmallIntegerField(_("year"))
    block = models.ForeignKey(
        Block, on_delete=models.PROTECT, related_name="frameworks", verbose_name=_("block")
    )
    name = models.CharField(_("name"), max_length=300)
    source_decision = models.CharField(
        _("source decision"),
        max_length=300,
        blank=True,
        help_text=_("The decision that issued this criteria set, e.g. Quyết định số 1294/QĐ-BNV."),
    )
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Demonstration content, not an official criteria set."),
    )
    locked = models.BooleanField(
        _("locked"),
        default=False,
        help_text=_("Locked once a campaign opens on it: its criteria can no longer change."),
    )
    cloned_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clones",
        verbose_name=_("cloned from"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "block__position"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [
            models.UniqueConstraint(fields=["year", "block"], name="framework_one_per_year_block")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def criteria_in_order(self) -> models.QuerySet["Criterion"]:
        return self.criteria.order_by("sort_key")

    @property
    def max_points(self) -> Decimal:
        total = (
            self.criteria.filter(parent__isnull=True)
            .exclude(method__in=ADJUSTMENTS)
            .aggregate(total=models.Sum("max_points"))["total"]
        )
        return total or Decimal("0")

    def consistency_problems(self) -> list[str]:
        """Every broken tree rule of this framework, as sentences; empty when sound."""
        return tree_problems(list(self.criteria.all()))


class Criterion(models.Model):
    """A node of a framework: an area, a criterion or a sub-criterion (leaf when childless)."""

    class Method(models.TextChoices):
        DIRECT = "direct", _("Direct points")
        LEVELS = "levels", _("One of listed levels")
        RATIO = "ratio", _("Ratio with thresholds")
        SURVEY = "survey", _("Survey")
        DEDUCTION = "deduction", _("Deduction")
        BONUS = "bonus", _("Bonus points")

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("framework")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("For example 3.2.1"))
    sort_key = models.CharField(max_length=80, editable=False, db_index=True)
    # The code of the area (top-level node) this criterion belongs to, kept on the row
    # so that points can be summed per area by the database in one GROUP BY.
    area_code = models.CharField(max_length=20, editable=False, db_index=True)
    title = models.CharField(_("title"), max_length=500)
    guidance = models.TextField(_("guidance"), blank=True)
    max_points = models.DecimalField(
        _("maximum points"), validators=[MinValueValidator(Decimal("0"))], **POINTS
    )
    method = models.CharField(
        _("scoring method"), max_length=12, choices=Method.choices, default=Method.DIRECT
    )
    step = models.DecimalField(
        _("step"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Allowed increment for direct points, e.g. 0.25."),
        **POINTS,
    )
    scale = models.JSONField(
        _("scale"),
        default=list,
        blank=True,
        help_text=_(
            'Levels [{"label", "points"}] or thresholds [{"min_percent", "points"}], '
            "points as strings."
        ),
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    na_allowed = models.BooleanField(_("may be not applicable"), default=False)

    class Meta:
        ordering = ["framework", "sort_key"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="criterion_code_unique_in_framework"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    def save(self, *args, **kwargs) -> None:
        self._refuse_if_locked()
        self.sort_key = code_sort_key(self.code)
        self.area_code = self.code.split(".", 1)[0]
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_locked()
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        problems = leaf_scale_problems(
            method=self.method, max_points=self.max_points, step=self.step, scale=self.scale
        )
        if problems:
            raise ValidationError({"scale": problems})

    @property
    def depth(self) -> int:
        """1 for an area, 2 for a criterion, 3 for a sub-criterion."""
        return self.code.count(".") + 1

    def _refuse_if_locked(self) -> None:
        locked = Framework.objects.filter(pk=self.framework_id, locked=True).exists()
        if locked:
            raise FrameworkLockedError(
                _("The framework “%(framework)s” is locked: its criteria cannot be changed.")
                % {"framework": self.framework}
            )


class Campaign(models.Model):
    """One year's assessment for the province."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
        APPRAISAL = "appraisal", _("Appraisal")
        EXPLANATION = "explanation", _("Explanation")
        FINALISED = "finalised", _("Finalised")
        PUBLISHED = "published", _("Published")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("name"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREPARING
    )
    self_assessment_deadline = models.DateTimeField(
        _("self-assessment deadline"), null=True, blank=True
    )
    explanation_deadline = models.DateTimeField(_("explanation deadline"), null=True, blank=True)
    frameworks = models.ManyToManyField(
        Framework, through="CampaignBlock", related_name="campaigns", verbose_name=_("frameworks")
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.self_assessment_deadline
            and self.explanation_deadline
            and self.explanation_deadline < self.self_assessment_deadline
        ):
            raise ValidationError(
                {
                    "explanation_deadline": _(
                        "The explanation deadline comes before self-assessment closes."
                    )
                }
            )


class CampaignBlock(models.Model):
    """A block taking part in a campaign: the framework it is scored on and its tier bands."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("campaign")
    )
    block = models.ForeignKey(Block, on_delete=models.PROTECT, verbose_name=_("block"))
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="+", verbose_name=_("framework")
    )

    class Meta:
        ordering = ["campaign", "block__position"]
        verbose_name = _("block in campaign")
        verbose_name_plural = _("blocks in campaign")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "block"], name="campaign_block_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.block}"

    def clean(self) -> None:
        errors = {}
        if self.framework_id and self.block_id and self.framework.block_id != self.block_id:
            errors["framework"] = _("The framework belongs to another block.")
        if self.framework_id and self.campaign_id and self.framework.year != self.campaign.year:
            errors["framework"] = _("The framework is for %(year)s, not the campaign's year.") % {
                "year": self.framework.year
            }
        if errors:
            raise ValidationError(errors)


class TierBand(models.Model):
    """A tier of a block in a campaign: units whose index reaches min_index get its name."""

    campaign_block = models.ForeignKey(
        CampaignBlock, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("block")
    )
    name = models.CharField(_("name"), max_length=60, help_text=_("For example: Tốt, Nhóm A"))
    min_index = models.DecimalField(
        _("minimum index (%)"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    inclusive = models.BooleanField(
        _("minimum included"),
        default=True,
        help_text=_("Off when the rule says “above” rather than “from” (e.g. Tốt > 80%)."),
    )

    class Meta:
        ordering = ["campaign_block", "-min_index"]
        verbose_name = _("tier band")
        verbose_name_plural = _("tier bands")
        constraints = [
            models.UniqueConstraint(fields=["campaign_block", "name"], name="tier_name_unique")
        ]

    def __str__(self) -> str:
        sign = "≥" if self.inclusive else ">"
        return f"{self.name} ({sign} {self.min_index}%)"


class SurveyAnswer(models.Model):
    """An answer option of the campaign's surveys and the share of a leaf's points it earns."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="survey_answers",
        verbose_name=_("campaign"),
    )
    code = models.CharField(_("code"), max_length=5, help_text=_("For example A, B, C, D"))
    label = models.CharField(_("label"), max_length=100, blank=True)
    weight_percent = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["campaign", "code"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="survey_answer_unique"),
            models.CheckConstraint(
                condition=Q(weight_percent__lte=100), name="survey_weight_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.weight_percent}%"


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
        errors = {}
        maximum = self.criterion.max_points
        for field in ("self_points", "appraised_points", "final_points"):
            value = getattr(self, field)
            if value is not None and value > maximum:
                errors[field] = _("At most %(max)s points for this criterion.") % {"max": maximum}
        if self.not_applicable and not self.criterion.na_allowed:
            errors["not_applicable"] = _("This criterion applies to every unit.")
        if errors:
            raise ValidationError(errors)


class SurveyResult(models.Model):
    """Answer counts of one respondent group about one unit, for one survey leaf."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="survey_results",
        verbose_name=_("assessment"),
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        related_name="survey_results",
        verbose_name=_("criterion"),
    )
    respondent_group = models.CharField(
        _("respondent group"),
        max_length=100,
        blank=True,
        help_text=_("For example: district leaders, citizens."),
    )
    answer_counts = models.JSONField(
        _("answer counts"),
        default=dict,
        help_text=_('For example {"A": 12, "B": 5, "C": 1, "D": 0}'),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        ordering = ["assessment", "criterion__sort_key", "respondent_group"]
        verbose_name = _("survey result")
        verbose_name_plural = _("survey results")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion", "respondent_group"],
                name="survey_result_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.criterion.code} {self.respondent_group}".strip()


# Computed values keep ten decimal places: divisions (survey points, indexes) are
# carried that far, so sums do not depend on the order of addition, and only the
# display rounds to two (scoring.calculations.display_round).
EXACT = {"max_digits": 22, "decimal_places": 10}


class ResultFigures(models.Model):
    """The figures of a unit's result, shared by computed rows and published (frozen) rows."""

    survey_points = models.DecimalField(_("survey points"), **EXACT)
    deductions = models.DecimalField(_("deductions"), **EXACT)
    bonus = models.DecimalField(_("bonus points"), **EXACT)
    total = models.DecimalField(_("total points"), **EXACT)
    applicable_max = models.DecimalField(_("applicable maximum"), **EXACT)
    index = models.DecimalField(_("index (%)"), **EXACT)
    rank = models.PositiveIntegerField(_("rank"))
    tier = models.CharField(_("tier"), max_length=60, blank=True)
    previous_rank = models.PositiveIntegerField(_("previous rank"), null=True, blank=True)
    previous_index = models.DecimalField(_("previous index (%)"), null=True, blank=True, **EXACT)

    class Meta:
        abstract = True

    @property
    def index_change(self) -> Decimal | None:
        """This year's index minus last year's, unrounded; None for a unit new this year."""
        if self.previous_index is None:
            return None
        return self.index - self.previous_index

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) or lost (negative) in the block's ranking."""
        if self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


class ResultQuerySet(models.QuerySet):
    def for_block(self, campaign: Campaign, block: Block) -> "ResultQuerySet":
        return self.filter(campaign=campaign, block=block).order_by("rank", "unit__search_text")


class Result(ResultFigures):
    """The computed result of one assessment, stored so pages read it instead of recomputing.

    Written only by scoring.computation.results_compute, which replaces a
    campaign's rows at once; `computed_at` says how fresh they are.
    """

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="result", verbose_name=_("assessment")
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="results", verbose_name=_("campaign")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="results", verbose_name=_("unit")
    )
    block = models.ForeignKey(
        Block, on_delete=models.PROTECT, related_name="results", verbose_name=_("block")
    )
    is_final = models.BooleanField(
        _("final"),
        help_text=_("Computed from final points of an appraised assessment, not a preview."),
    )
    scored_points = models.DecimalField(_("points of scored criteria"), **EXACT)
    areas = models.JSONField(
        _("points per area"),
        default=list,
        help_text=_('[{"code", "title", "points", "max", "index"}], numbers as strings.'),
    )
    computed_at = models.DateTimeField(_("computed at"))

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "block__position", "rank"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        indexes = [models.Index(fields=["campaign", "block", "rank"])]

    def __str__(self) -> str:
        return f"{self.unit} — {self.campaign.year}: {self.index:.2f}%"

    def area_scored_points(self) -> dict[str, Decimal]:
        """Area code → points of its self-assessed and appraised criteria.

        Tables show survey points in a column of their own, so that a row adds up:
        Σ areas + survey − deductions + bonus = total.
        """
        return {
            area["code"]: Decimal(area["points"]) - Decimal(area.get("survey_points", "0"))
            for area in self.areas
        }


def evidence_path(instance: "Evidence", filename: str) -> str:
    # Files are named by their digest, never by what the uploader typed: no path tricks,
    # and the same document uploaded twice is stored once.
    return f"evidence/{instance.score.assessment.campaign.year}/{instance.sha256}"


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

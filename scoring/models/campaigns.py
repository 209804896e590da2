"""A year's campaign: its blocks with their frameworks, tier bands and survey answer weights."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.models.frameworks import Framework
from units.models import Block


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
    # The preliminary appraisal goes back to the units by then, so that they can explain
    # before the explanation deadline; files still with the appraisers after it are late.
    appraisal_deadline = models.DateTimeField(
        _("appraisal deadline"),
        null=True,
        blank=True,
        help_text=_("The preliminary appraisal goes back to the units by then."),
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
        problems = deadline_order_problems(
            self_assessment=self.self_assessment_deadline,
            appraisal=self.appraisal_deadline,
            explanation=self.explanation_deadline,
        )
        if problems:
            raise ValidationError(problems)


def deadline_order_problems(*, self_assessment, appraisal, explanation) -> dict[str, str]:
    """The phases follow each other: self-assessment, appraisal, explanation; field → why."""
    problems = {}
    if self_assessment and explanation and explanation < self_assessment:
        problems["explanation_deadline"] = _(
            "The explanation deadline comes before self-assessment closes."
        )
    if self_assessment and appraisal and appraisal < self_assessment:
        problems["appraisal_deadline"] = _(
            "The appraisal deadline comes before self-assessment closes."
        )
    late = appraisal and explanation and explanation < appraisal
    if late and "explanation_deadline" not in problems:
        problems["explanation_deadline"] = _(
            "The explanation deadline comes before the appraisal goes back to the units."
        )
    return problems


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

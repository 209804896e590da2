"""Computed results of a campaign, one row per assessment."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.models.assessments import Assessment
from scoring.models.campaigns import Campaign
from units.models import Block, Unit

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

    Written only by scoring.services.results.results_compute, which replaces a
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

    def area_scored_points(self) -> dict[str, Decimal | None]:
        """Area code → points of its self-assessed and appraised criteria.

        Tables show survey points in a column of their own, so that a row adds up:
        Σ areas + survey − deductions + bonus = total. An area without any scored
        criterion that applies (all survey, say) has None, not 0: its points are all in
        the survey column, and a 0 would read as "scored nothing".
        """
        points: dict[str, Decimal | None] = {}
        for area in self.areas:
            scored_max = Decimal(area["max"]) - Decimal(area.get("survey_max", "0"))
            points[area["code"]] = (
                Decimal(area["points"]) - Decimal(area.get("survey_points", "0"))
                if scored_max
                else None
            )
        return points

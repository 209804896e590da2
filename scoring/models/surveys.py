"""Survey answer counts per unit, survey leaf and respondent group."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.models.assessments import Assessment
from scoring.models.frameworks import Criterion


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

"""Rows of a year's published results table that the portal did not produce itself."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.models.results import EXACT
from units.models import Block, Unit


class ImportedResult(models.Model):
    """One unit's line of a decision published before the province ran the portal.

    A province starting on the portal has only last year's published table: its ranks
    and indexes are brought in from a workbook (scoring.services.published_table_import)
    so that year-on-year figures compare with what was published. They stand in for a
    year only while the portal has no published decision of its own for it.
    """

    year = models.PositiveSmallIntegerField(_("year assessed"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="imported_results", verbose_name=_("unit")
    )
    # The unit's block and name when the table was imported, as the table ranked them.
    block = models.ForeignKey(
        Block, on_delete=models.PROTECT, related_name="imported_results", verbose_name=_("block")
    )
    unit_name = models.CharField(_("unit"), max_length=200)
    index = models.DecimalField(_("index (%)"), **EXACT)
    rank = models.PositiveIntegerField(_("rank"))
    tier = models.CharField(_("tier"), max_length=60, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=50)
    decision_date = models.DateField(_("decision date"))
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        ordering = ["-year", "block__position", "rank", "unit_name"]
        verbose_name = _("imported published result")
        verbose_name_plural = _("imported published results")
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="imported_result_unique")
        ]
        indexes = [models.Index(fields=["year", "block", "rank"])]

    def __str__(self) -> str:
        return f"{self.unit_name} — {self.year}: {self.index:.2f}% ({self.decision_number})"

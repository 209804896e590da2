"""Criteria frameworks: the tree of areas, criteria and sub-criteria of one year and block."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.criteria_tree import ADJUSTMENTS, leaf_scale_problems, tree_problems
from units.models import Block

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

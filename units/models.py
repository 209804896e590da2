"""Who is assessed: blocks, units and their lineage, and who works for which unit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.text import fold

# Django groups that carry the province-wide roles; unit roles live in Membership.
STAFF_GROUP = "staff"
APPRAISER_GROUP = "appraiser"


class Province(models.Model):
    """The province running the portal; one row, entered with the demo or by an operator."""

    name = models.CharField(_("name"), max_length=100, help_text=_("For example: Sóc Trăng"))
    issuing_body = models.CharField(
        _("issuing body"),
        max_length=150,
        help_text=_("For example: Ủy ban nhân dân tỉnh Sóc Trăng"),
    )

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Province | None":
        return cls.objects.order_by("pk").first()


class Block(models.Model):
    """A group of units that are ranked together (departments, districts, communes...)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(models.QuerySet):
    def active_in(self, year: int) -> "UnitQuerySet":
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=year),
            Q(active_to__isnull=True) | Q(active_to__gte=year),
        )

    def search(self, text: str) -> "UnitQuerySet":
        """Units whose name, short name or code hold every word typed, accents ignored."""
        queryset = self
        for word in fold(text).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset


class Unit(models.Model):
    """An assessed body. A merged or renamed unit is a new row pointing to its predecessors."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    block = models.ForeignKey(
        Block, on_delete=models.PROTECT, related_name="units", verbose_name=_("block")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    active_from = models.PositiveSmallIntegerField(_("active from (year)"), null=True, blank=True)
    active_to = models.PositiveSmallIntegerField(_("active to (year)"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="successors",
        verbose_name=_("predecessors"),
        help_text=_("Units this one was merged or renamed from."),
    )
    search_text = models.CharField(max_length=400, editable=False, db_index=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        # The folded name sorts "Đ" with "D" on any database (C collation puts it after "V").
        ordering = ["block__position", "search_text"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="unit_active_years_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.refresh_search_text()
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        """The folded name, short name and code; bulk writes, which skip save(), call it too."""
        self.search_text = fold(f"{self.name} {self.short_name} {self.code}")

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A unit cannot be its own parent.")})
        if self.active_from and self.active_to and self.active_to < self.active_from:
            raise ValidationError({"active_to": _("The last active year comes before the first.")})

    def is_active_in(self, year: int) -> bool:
        return (self.active_from is None or self.active_from <= year) and (
            self.active_to is None or self.active_to >= year
        )


class Membership(models.Model):
    """A user's role in one unit. Province-wide roles are groups (STAFF_GROUP, APPRAISER_GROUP)."""

    class Role(models.TextChoices):
        EDITOR = "unit_editor", _("Unit editor")
        HEAD = "unit_head", _("Unit head")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_one_role_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.unit} ({self.get_role_display()})"

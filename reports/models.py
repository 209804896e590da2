"""Published decisions and their frozen result rows: what the public reads, never live scores.

A published decision never changes. A correction is a new decision that
supersedes it; both stay readable.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.models import Campaign, ResultFigures
from units.models import Unit


class PublishedDecisionError(ValidationError):
    """Raised when anything tries to change a published decision or its rows."""


class DecisionQuerySet(models.QuerySet):
    def published(self) -> "DecisionQuerySet":
        return self.filter(status=Decision.Status.PUBLISHED)

    def in_force(self) -> "DecisionQuerySet":
        """Published decisions that no published decision supersedes.

        A correction still in draft changes nothing for the public: the decision it
        will correct stays in force until the correction itself is published.
        """
        return self.published().exclude(superseded_by__status=Decision.Status.PUBLISHED)


class Decision(models.Model):
    """The People's Committee's decision approving and publishing a campaign's index."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHING = "publishing", _("Publishing")
        PUBLISHED = "published", _("Published")

    class SigningMode(models.TextChoices):
        # Decree 30/2020: signing on behalf of the chair (KT.) or of the committee (TM.).
        KT = "KT", _("KT. CHỦ TỊCH (a vice-chair signs for the chair)")
        TM = "TM", _("TM. ỦY BAN NHÂN DÂN (the chair signs for the committee)")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("campaign")
    )
    number = models.CharField(_("number"), max_length=50, help_text=_("For example 2491/QĐ-UBND"))
    signed_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, help_text=_("For example Sóc Trăng"))
    issuing_body = models.CharField(
        _("issuing body"), max_length=150, help_text=_("For example Ủy ban nhân dân tỉnh Sóc Trăng")
    )
    subject = models.CharField(_("subject"), max_length=500)
    signing_mode = models.CharField(
        _("signing on behalf of"),
        max_length=2,
        choices=SigningMode.choices,
        default=SigningMode.KT,
    )
    signer_title = models.CharField(
        _("signer's title"), max_length=100, help_text=_("For example PHÓ CHỦ TỊCH")
    )
    signer_name = models.CharField(_("signer's name"), max_length=100)
    legal_bases = models.JSONField(
        _("legal bases"), default=list, blank=True, help_text=_("One “Căn cứ …” line each.")
    )
    articles = models.JSONField(
        _("articles"), default=list, blank=True, help_text=_("The text of Điều 1, 2, 3…")
    )
    recipients = models.JSONField(
        _("recipients"), default=list, blank=True, help_text=_("The “Nơi nhận” lines.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
        help_text=_("The published decision this one corrects."),
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("The written summary, frozen at publication.")
    )
    pdf = models.FileField(_("PDF"), upload_to="decisions/", blank=True, max_length=200)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True, db_index=True)
    # Who signed the PDF (reports.outputs.signing), recorded at publication so that pages
    # can say it without opening the file; a demo authority signs when no certificate is set.
    signer_subject = models.CharField(_("signing certificate"), max_length=500, blank=True)
    signer_issuer = models.CharField(_("certificate issuer"), max_length=500, blank=True)
    signed_by_demo_authority = models.BooleanField(_("signed by the demo authority"), default=False)
    pdf_signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    # Publication runs in the background (reports.services.publication_queue): requested
    # on the page, then started and finished by the worker. A refusal or failure puts the
    # draft back with its reasons in publication_error.
    publication_requested_at = models.DateTimeField(
        _("publication requested at"), null=True, blank=True
    )
    publication_started_at = models.DateTimeField(
        _("publication started at"), null=True, blank=True
    )
    publication_error = models.TextField(_("why the last publication failed"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["number", "signed_on"], name="decision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"

    def save(self, *args, **kwargs) -> None:
        # Only the publication service moves a decision to published, in one save;
        # after that the row is read-only.
        if self.pk and Decision.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists():
            raise PublishedDecisionError(
                _("Decision %(number)s is published and can no longer change.")
                % {"number": self.number}
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED:
            raise PublishedDecisionError(
                _("Decision %(number)s is published and cannot be deleted.")
                % {"number": self.number}
            )
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_publishing(self) -> bool:
        return self.status == self.Status.PUBLISHING

    @property
    def signature_lines(self) -> tuple[str, str]:
        """The signature block's lines above the name, as Decree 30/2020 sets them out:
        "KT. CHỦ TỊCH" then the title ("PHÓ CHỦ TỊCH"), or "TM. ỦY BAN NHÂN DÂN" then
        "CHỦ TỊCH". The PDF and the public page both print these."""
        if self.signing_mode == self.SigningMode.TM:
            return "TM. ỦY BAN NHÂN DÂN", self.signer_title.upper()
        return "KT. CHỦ TỊCH", self.signer_title.upper()

    @property
    def published_successor(self) -> "Decision | None":
        """The published decision correcting this one; a draft correction does not count."""
        successor = getattr(self, "superseded_by", None)
        return successor if successor is not None and successor.is_published else None


class PublishedResult(ResultFigures):
    """One unit's row in a published decision's appendix, frozen at publication.

    Names are copied, so a later rename or merger never changes what was published.
    """

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="rows", verbose_name=_("decision")
    )
    block_code = models.CharField(_("block code"), max_length=20)
    block_name = models.CharField(_("block"), max_length=150)
    block_position = models.PositiveSmallIntegerField(_("block position"))
    position = models.PositiveIntegerField(_("no."), help_text=_("STT in the block's table"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="published_results", verbose_name=_("unit")
    )
    unit_code = models.CharField(_("unit code"), max_length=40)
    unit_name = models.CharField(_("unit"), max_length=200)
    areas = models.JSONField(
        _("points per area"),
        default=list,
        help_text=_('[{"code", "title", "points", "max"}], points without survey, as strings.'),
    )

    class Meta:
        ordering = ["decision", "block_position", "position"]
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        constraints = [
            models.UniqueConstraint(fields=["decision", "unit"], name="published_row_unique")
        ]
        indexes = [models.Index(fields=["decision", "block_code", "rank"])]

    def __str__(self) -> str:
        return f"{self.decision.number}: {self.unit_name}"

    def save(self, *args, **kwargs) -> None:
        if (
            self.pk
            and Decision.objects.filter(
                pk=self.decision_id, status=Decision.Status.PUBLISHED
            ).exists()
        ):
            raise PublishedDecisionError(_("Published rows can no longer change."))
        super().save(*args, **kwargs)

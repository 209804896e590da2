"""Writes on decisions: draft defaults, publication, correction.

Publication is the one moment the index becomes public: in one transaction it
recomputes the results, freezes them as PublishedResult rows, renders the PDF once,
stores it with its SHA-256 and marks the campaign and its assessments published.
A refusal raises PublicationError and changes nothing.

Rendering takes seconds to minutes for a large province, so the web page does not
publish: decision_publication_request checks the draft, marks it "publishing" and
queues reports.tasks.publish_decision in the same transaction; the worker then runs
decision_publish_requested. decision_publish does it all at once (the command, the demo).
"""

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import selectors
from reports.errors import PublicationError
from reports.models import Decision, PublishedResult
from reports.outputs.decision_rows import published_rows
from reports.outputs.pdf import decision_pdf
from reports.outputs.signing import decision_pdf_sign
from reports.publication_progress import publication_progress
from reports.summary import summary_text
from reports.verification import decision_file_key, sha256_hex
from scoring.computation import results_compute
from scoring.models import Assessment, AssessmentEvent, Campaign, CampaignBlock
from units.models import Province
from units.people import person_name
from units.text import fold

# The state an assessment must be in to be published. An assessment published by
# an earlier decision stays final, so a correction may publish it again.
PUBLISHABLE_STATES = (Assessment.State.APPRAISED, Assessment.State.PUBLISHED)

NAMED_UNITS = 20  # units named in a refusal; the others are counted

# How the subject names a block's units, keyed by the folded block name. Only a
# drafting default: staff edit the subject freely; unknown blocks use their name.
BLOCK_PHRASES = {
    "so, ban, nganh": "các sở, ban, ngành",
    "ubnd cap huyen": "Ủy ban nhân dân các huyện, thị xã, thành phố",
    "ubnd cap xa": "Ủy ban nhân dân các xã, phường, thị trấn",
}


def _subject_units(campaign: Campaign) -> str:
    blocks = [
        campaign_block.block
        for campaign_block in CampaignBlock.objects.filter(campaign=campaign)
        .select_related("block")
        .order_by("block__position", "block__code")
    ]
    phrases = [BLOCK_PHRASES.get(fold(block.name), block.name) for block in blocks]
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " và " + phrases[-1]


def decision_draft_defaults(*, campaign: Campaign) -> dict:
    """Field values of a new draft decision for the campaign (Decision field names).

    number, signed_on and signer_name are left to the drafter. Articles hold the
    text after "Điều N." and recipients the text after "- ": the template adds both.
    """
    province = Province.current()
    place = province.name if province else ""
    issuing_body = province.issuing_body if province else ""
    units = _subject_units(campaign)
    subject = f"Phê duyệt và công bố Chỉ số cải cách hành chính năm {campaign.year} của {units}"
    return {
        "place": place,
        "issuing_body": issuing_body,
        "subject": subject,
        "signing_mode": Decision.SigningMode.KT,
        "signer_title": "PHÓ CHỦ TỊCH",
        "legal_bases": [
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
            f"Căn cứ Kế hoạch số …/KH-UBND ngày … của {issuing_body} về xác định "
            f"Chỉ số cải cách hành chính năm {campaign.year} của {units};",
            "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số …/TTr-SNV ngày ….",
        ],
        "articles": [
            f"Phê duyệt và công bố Chỉ số cải cách hành chính năm {campaign.year} của {units} "
            "(chi tiết tại Phụ lục kèm theo).",
            f"Căn cứ kết quả Chỉ số cải cách hành chính năm {campaign.year}, {units} "
            "rút kinh nghiệm, phát huy kết quả đạt được; tập trung khắc phục những tiêu chí, "
            "tiêu chí thành phần đạt điểm thấp hoặc không đạt điểm, nâng cao hiệu quả công tác "
            "cải cách hành chính trong thời gian tới.",
            f"Chánh Văn phòng {issuing_body}, Giám đốc Sở Nội vụ, Thủ trưởng các sở, ban, "
            "ngành tỉnh, Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố và các cơ quan, "
            "đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này kể từ ngày ký./.",
        ],
        "recipients": [
            "Như Điều 3;",
            "TT. Tỉnh ủy, TT. HĐND tỉnh (b/c);",
            "CT, các PCT UBND tỉnh;",
            "Lưu: VT, NC.",
        ],
    }


@transaction.atomic
def decision_draft_update(*, decision: Decision, changes: dict) -> Decision:
    """Save a draft's edited fields, or raise PublicationError if it left draft meanwhile.

    The row is re-read under a lock: an edit must not slip in after publication was
    requested, since the worker renders what the row says then.
    """
    current = Decision.objects.select_for_update().get(pk=decision.pk)
    if current.status != Decision.Status.DRAFT:
        raise PublicationError(
            _("Decision %(number)s is no longer a draft (%(status)s): nothing was saved.")
            % {"number": current.number, "status": current.get_status_display()}
        )
    for name, value in changes.items():
        setattr(current, name, value)
    current.save()
    return current


def decision_rows_preview(*, decision: Decision) -> list[PublishedResult]:
    """Unsaved appendix rows from the campaign's current Result rows (no recomputation)."""
    return published_rows(decision=decision)


def _in_force_for_campaign(campaign: Campaign) -> list[Decision]:
    return list(Decision.objects.in_force().filter(campaign=campaign))


def _refusals(decision: Decision, *, expected: str = Decision.Status.DRAFT) -> list[str]:
    if decision.status == Decision.Status.PUBLISHING and expected == Decision.Status.DRAFT:
        return [_("Decision %(number)s is being published.") % {"number": decision.number}]
    if decision.status != expected:
        return [
            _("Decision %(number)s is not a draft (%(status)s): it cannot be published again.")
            % {"number": decision.number, "status": decision.get_status_display()}
        ]
    campaign = decision.campaign
    problems = []
    publishing = (
        Decision.objects.filter(campaign=campaign, status=Decision.Status.PUBLISHING)
        .exclude(pk=decision.pk)
        .first()
    )
    if publishing is not None:
        problems.append(
            _("Decision %(number)s of the same campaign is being published.")
            % {"number": publishing.number}
        )
    for in_force in _in_force_for_campaign(campaign):
        if decision.supersedes_id != in_force.pk:
            problems.append(
                _(
                    "Decision %(number)s already publishes the %(year)s index; "
                    "publish a correction of it instead."
                )
                % {"number": in_force.number, "year": campaign.year}
            )
    if decision.supersedes_id is not None:
        superseded = decision.supersedes
        if superseded.status != Decision.Status.PUBLISHED or superseded.campaign_id != campaign.pk:
            problems.append(
                _("A correction must supersede a published decision of the same campaign.")
            )
    block_ids = set(
        CampaignBlock.objects.filter(campaign=campaign).values_list("block_id", flat=True)
    )
    if not block_ids:
        problems.append(_("The campaign has no blocks."))
    assessments = Assessment.objects.filter(campaign=campaign, unit__block_id__in=block_ids)
    assessed_blocks = set(
        assessments.values_list("unit__block_id", flat=True).order_by().distinct()
    )
    for campaign_block in CampaignBlock.objects.filter(campaign=campaign).select_related("block"):
        if campaign_block.block_id not in assessed_blocks:
            problems.append(
                _("Block %(block)s has no assessment.") % {"block": campaign_block.block.name}
            )
    pending = (
        assessments.exclude(state__in=PUBLISHABLE_STATES)
        .select_related("unit")
        .order_by("unit__block__position", "unit__search_text")
    )
    if pending:
        # A large province may have hundreds pending: name the first ones, count the rest.
        named = [f"{a.unit.name} ({a.get_state_display()})" for a in pending[: NAMED_UNITS + 1]]
        units = "; ".join(named[:NAMED_UNITS])
        if len(named) > NAMED_UNITS:
            rest = pending.count() - NAMED_UNITS
            units += "; " + _("and %(count)s more") % {"count": rest}
        problems.append(_("Not every assessment is appraised: %(units)s.") % {"units": units})
    return problems


def _pdf_name(decision: Decision) -> str:
    # upload_to is "decisions/": the stored name becomes decisions/<year>/<number-date>.pdf.
    return f"{decision.campaign.year}/{decision_file_key(decision)}.pdf"


def _locked(decision_pk: int, campaign_pk: int, *, expected: str) -> Decision:
    """The decision re-read under a row lock, or PublicationError with every reason.

    The campaign row first: two drafts of one campaign published at once must not both
    pass the "no decision already in force" check.
    """
    Campaign.objects.select_for_update().filter(pk=campaign_pk).first()
    current = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("campaign", "supersedes")
        .get(pk=decision_pk)
    )
    problems = _refusals(current, expected=expected)
    if problems:
        raise PublicationError("\n".join(problems))
    return current


@transaction.atomic
def decision_publication_request(*, decision: Decision, actor) -> Decision:
    """Queue a draft's publication for the background worker, or raise PublicationError.

    The checks that need no rendering run here, so the drafter hears at once what
    blocks publication; the worker checks again (the scores may change meanwhile).
    The task row is written in this transaction: a request is never queued without
    its "publishing" status, nor marked without its task.
    """
    from reports.tasks import publish_decision  # the task module imports this one

    current = _locked(decision.pk, decision.campaign_id, expected=Decision.Status.DRAFT)
    current.status = Decision.Status.PUBLISHING
    current.publication_requested_at = timezone.now()
    current.publication_started_at = None
    current.publication_error = ""
    current.published_by = actor if getattr(actor, "pk", None) else None
    current.save()
    publish_decision.enqueue(decision_id=current.pk)
    current.refresh_from_db()
    return current


def decision_publish_requested(*, decision_id: int) -> Decision | None:
    """Run a queued publication (the worker); a refusal puts the draft back with its reasons.

    Returns the published decision, or None when there was nothing to do (the request
    was cancelled or already run) or it was refused. An unexpected error also puts the
    draft back, then propagates so that the task is recorded as failed with its traceback.
    """
    started = Decision.objects.filter(pk=decision_id, status=Decision.Status.PUBLISHING).update(
        publication_started_at=timezone.now()
    )
    if not started:
        return None
    decision = Decision.objects.select_related("published_by").get(pk=decision_id)
    try:
        return _publish(decision, actor=decision.published_by, expected=Decision.Status.PUBLISHING)
    except PublicationError as error:
        _back_to_draft(decision_id, error.message)
        return None
    except Exception:
        _back_to_draft(
            decision_id,
            _(
                "Publication stopped on an unexpected error; nothing was published. Try again, "
                "and tell the portal's administrator if it happens again."
            ),
        )
        raise


def _back_to_draft(decision_id: int, reason: str) -> None:
    Decision.objects.filter(pk=decision_id, status=Decision.Status.PUBLISHING).update(
        status=Decision.Status.DRAFT, publication_error=reason
    )


@transaction.atomic
def decision_publication_cancel(*, decision: Decision, actor) -> Decision:
    """Take a queued publication back to draft: one no worker has started, or a stalled one.

    A publication the worker is running holds the decision's row lock and is let
    finish; one started so long ago that its worker must have stopped (its transaction
    then rolled back) can be cancelled.
    """
    current = Decision.objects.select_for_update().get(pk=decision.pk)
    if current.status != Decision.Status.PUBLISHING:
        raise PublicationError(
            _("Decision %(number)s is not being published (%(status)s).")
            % {"number": current.number, "status": current.get_status_display()}
        )
    progress = publication_progress(current)
    if progress.started and not progress.stalled:
        raise PublicationError(
            _("The publication of %(number)s is running: let it finish.")
            % {"number": current.number}
        )
    Decision.objects.filter(pk=current.pk).update(
        status=Decision.Status.DRAFT,
        publication_error=_("Publication cancelled by %(name)s.") % {"name": person_name(actor)},
    )
    current.refresh_from_db()
    return current


def decision_publish(*, decision: Decision, actor) -> Decision:
    """Publish a draft decision now, or raise PublicationError (nothing is written then)."""
    return _publish(decision, actor=actor, expected=Decision.Status.DRAFT)


@transaction.atomic
def _publish(decision: Decision, *, actor, expected: str) -> Decision:
    current = _locked(decision.pk, decision.campaign_id, expected=expected)
    campaign = current.campaign

    # The frozen rows must be what the scores say now, not whenever results were last computed.
    results_compute(campaign=campaign)
    rows = PublishedResult.objects.bulk_create(published_rows(decision=current))

    now = timezone.now()
    current.status = Decision.Status.PUBLISHED
    current.published_at = now
    current.published_by = actor if getattr(actor, "pk", None) else None
    current.publication_error = ""
    current.summary = summary_text(decision=current, rows=rows)
    # Rendered once, here; every later reader gets these stored bytes.
    pdf = decision_pdf(decision=current, rows=rows)
    pdf = decision_pdf_sign(decision=current, pdf=pdf)  # the digest is the signed file's
    current.pdf_sha256 = sha256_hex([pdf])
    current.pdf.save(_pdf_name(current), ContentFile(pdf), save=False)
    try:
        current.save()
        _mark_published(campaign, current, actor)
    except BaseException:
        # The database rolls back; the stored file would not.
        current.pdf.storage.delete(current.pdf.name)
        raise
    # This process's public pages show the new decision at once; the others within
    # selectors.LATEST_PUBLISHED_MEMO_SECONDS.
    transaction.on_commit(selectors.forget_latest_published_at)
    return current


def _mark_published(campaign: Campaign, decision: Decision, actor) -> None:
    """Every appraised assessment and the campaign become published, with an event each.

    A queryset update (no save() per row) keeps this fast for large provinces; the
    AssessmentEvent rows still record who moved each assessment and why.
    """
    appraised = Assessment.objects.filter(campaign=campaign, state=Assessment.State.APPRAISED)
    ids = list(appraised.values_list("pk", flat=True))
    appraised.update(state=Assessment.State.PUBLISHED, updated_at=timezone.now())
    actor_id = getattr(actor, "pk", None)
    AssessmentEvent.objects.bulk_create(
        [
            AssessmentEvent(
                assessment_id=pk,
                action="publish",
                from_state=Assessment.State.APPRAISED,
                to_state=Assessment.State.PUBLISHED,
                actor_id=actor_id,
                reason=_("Published by decision %(number)s.") % {"number": decision.number},
            )
            for pk in ids
        ],
        batch_size=500,
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.PUBLISHED)


@transaction.atomic
def decision_correct(*, decision: Decision, actor, reason: str) -> Decision:
    """A new draft copying a published decision, superseding it once published."""
    current = Decision.objects.select_for_update().get(pk=decision.pk)
    if current.status != Decision.Status.PUBLISHED:
        raise PublicationError(_("Only a published decision can be corrected."))
    existing = Decision.objects.filter(supersedes=current).first()
    if existing is not None:
        raise PublicationError(
            _("Decision %(number)s already has a correction (%(correction)s).")
            % {"number": current.number, "correction": existing}
        )
    if not reason.strip():
        raise PublicationError(_("Give the reason for the correction."))
    copied = [
        "campaign",
        "place",
        "issuing_body",
        "subject",
        "signing_mode",
        "signer_title",
        "signer_name",
        "legal_bases",
        "articles",
        "recipients",
    ]
    draft = Decision(
        **{name: getattr(current, name) for name in copied},
        # The number and date must change (they are unique together); the drafter sets
        # the real ones, today stands in until then.
        number=current.number,
        signed_on=_free_date(current.number, timezone.localdate()),
        supersedes=current,
        correction_reason=reason.strip(),
        status=Decision.Status.DRAFT,
    )
    draft.save()
    return draft


def _free_date(number: str, start: date) -> date:
    """The first day from `start` on which `number` is not yet used."""
    day = start
    used = set(Decision.objects.filter(number=number).values_list("signed_on", flat=True))
    while day in used:
        day = day.fromordinal(day.toordinal() + 1)
    return day

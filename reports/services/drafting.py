"""Drafting a decision: a new draft's defaults, saving its edits, drafting a correction.

Every save holds the text to reports.decision_rules (no placeholder, no blank, no date
that cannot be), and publication asks the same rules again (decision_text_problems).
"""

from datetime import date
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.decision_rules import Problem, decision_problems, decision_values
from reports.errors import PublicationError
from reports.models import Decision
from reports.selectors.appraisal_end import appraisal_ended_on
from scoring.models import Campaign, CampaignBlock
from units.access import may_draft_decisions
from units.models import Province
from units.text import fold

# How the subject names a block's units, keyed by the folded block name. Only a
# drafting default: staff edit the subject freely; unknown blocks use their name.
BLOCK_PHRASES = {
    "so, ban, nganh": "các sở, ban, ngành",
    "ubnd cap huyen": "Ủy ban nhân dân các huyện, thị xã, thành phố",
    "ubnd cap xa": "Ủy ban nhân dân các xã, phường, thị trấn",
}


# The law on local government a decision cites, by the day it took effect: a decision
# cites the law in force on its own date (the 2015 law was adopted on 19/06/2015 but
# took effect on 01/01/2016, so a decision of 2015 still cites the 2003 law). Newest first.
LOCAL_GOVERNMENT_LAWS = (
    (date(2025, 7, 1), "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"),
    (
        date(2020, 7, 1),
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, "
        "bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa "
        "phương ngày 22 tháng 11 năm 2019;",
    ),
    (date(2016, 1, 1), "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"),
    (
        date.min,
        "Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003;",
    ),
)


class CitedDocument(NamedTuple):
    """A document a legal basis cites: its number ("19/KH-UBND") and date."""

    number: str
    signed_on: date


def local_government_law(day: date) -> str:
    """The legal basis citing the law on local government in force on `day`."""
    return next(text for since, text in LOCAL_GOVERNMENT_LAWS if day >= since)


def _cited(document: CitedDocument | None, blank_number: str) -> str:
    """ "số 19/KH-UBND ngày 24 tháng 2 năm 2014", or its blank form for the drafter to fill."""
    if document is None:
        # How a blank form leaves them: the rules refuse both as missing, not as placeholders.
        return f"số {blank_number} ngày tháng năm"
    day = document.signed_on
    return f"số {document.number} ngày {day.day} tháng {day.month} năm {day.year}"


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


def require_drafter(actor) -> None:
    """PublicationError unless the actor may draft decisions (units.access)."""
    if not may_draft_decisions(actor):
        raise PublicationError(_("Only Interior Department staff draft decisions."))


def decision_draft_defaults(
    *,
    campaign: Campaign,
    signed_on: date | None = None,
    plan: CitedDocument | None = None,
    submission: CitedDocument | None = None,
) -> dict:
    """Field values of a new draft decision for the campaign (Decision field names).

    number, signed_on and signer_name are left to the drafter, and so are the number
    and date of the year's plan and of the Interior Department's submission unless
    given: blank, never "…", so that a draft cannot be published before they are set.
    The law cited is the one in force on `signed_on` (today when not given). Articles
    hold the text after "Điều N." and recipients the text after "- ": the template
    adds both.
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
            local_government_law(signed_on or timezone.localdate()),
            f"Căn cứ Kế hoạch {_cited(plan, '/KH-UBND')} của {issuing_body} về xác định "
            f"Chỉ số cải cách hành chính năm {campaign.year} của {units};",
            f"Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình {_cited(submission, '/TTr-SNV')}.",
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


def decision_text_problems(*, decision: Decision) -> list[Problem]:
    """Why the decision's text cannot stand (reports.decision_rules); empty when it can."""
    return decision_problems(
        decision_values(decision), appraisal_ended=appraisal_ended_on(decision.campaign_id)
    )


def _refuse_problems(decision: Decision) -> None:
    problems = decision_text_problems(decision=decision)
    if problems:
        raise PublicationError("\n".join(problem.message for problem in problems))


@transaction.atomic
def decision_create(*, campaign: Campaign, actor, values: dict) -> Decision:
    """Save a new draft decision of a campaign with the drafter's values (Decision fields).

    PublicationError with every reason when the text breaks reports.decision_rules.
    """
    require_drafter(actor)
    draft = Decision(campaign=campaign, status=Decision.Status.DRAFT, **values)
    _refuse_problems(draft)
    draft.save()
    return draft


@transaction.atomic
def decision_draft_update(*, decision: Decision, actor, changes: dict) -> Decision:
    """Save a draft's edited fields, or raise PublicationError if it left draft meanwhile
    or its text breaks reports.decision_rules.

    The row is re-read under a lock: an edit must not slip in after publication was
    requested, since the worker renders what the row says then.
    """
    require_drafter(actor)
    current = Decision.objects.select_for_update().get(pk=decision.pk)
    if current.status != Decision.Status.DRAFT:
        raise PublicationError(
            _("Decision %(number)s is no longer a draft (%(status)s): nothing was saved.")
            % {"number": current.number, "status": current.get_status_display()}
        )
    for name, value in changes.items():
        setattr(current, name, value)
    _refuse_problems(current)
    current.save()
    return current


@transaction.atomic
def decision_correct(*, decision: Decision, actor, reason: str) -> Decision:
    """A new draft copying a published decision, superseding it once published."""
    require_drafter(actor)
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

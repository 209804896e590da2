"""The demo's last step: the People's Committee publishes the 2014 and 2015 indexes.

2014 is published first so that the 2015 decision has a previous year to compare
with: Quyết định 2491/QĐ-UBND of 17/10/2016 is the one the seed story's news report
describes. The rest is plausible stand-ins, consistent in its dates: the 2014 number
and date, the numbers and dates of each year's assessment plan (Kế hoạch, early in
the year assessed) and of the Interior Department's submission (Tờ trình, a week or
two before the decision). Each decision is drafted from the drafting service's
defaults, saved and published through the services, so the demo's public pages,
frozen rows, PDF and summary are exactly what the portal produces, and its text
passes the same rules as any draft (reports.decision_rules).
"""

import datetime as dt
from typing import NamedTuple

from django.contrib.auth import get_user_model

from reports.models import Decision
from reports.services.drafting import CitedDocument, decision_create, decision_draft_defaults
from reports.services.publication import decision_publish
from scoring.models import Campaign

STAFF_USERNAME = "staff"
SIGNER_NAME = "Lê Thành Trí"


class DecisionSpec(NamedTuple):
    year: int
    number: str
    signed_on: dt.date
    plan: CitedDocument
    submission: CitedDocument


DECISIONS = (
    DecisionSpec(
        2014,
        "1158/QĐ-UBND",
        dt.date(2015, 5, 20),
        plan=CitedDocument("19/KH-UBND", dt.date(2014, 2, 24)),
        submission=CitedDocument("512/TTr-SNV", dt.date(2015, 5, 8)),
    ),
    DecisionSpec(
        2015,
        "2491/QĐ-UBND",
        dt.date(2016, 10, 17),
        plan=CitedDocument("23/KH-UBND", dt.date(2015, 3, 9)),
        submission=CitedDocument("1386/TTr-SNV", dt.date(2016, 10, 5)),
    ),
)


def demo_decision_values(spec: DecisionSpec, campaign: Campaign) -> dict:
    """The Decision fields of a demo decision: the drafting defaults, completed."""
    fields = decision_draft_defaults(
        campaign=campaign, signed_on=spec.signed_on, plan=spec.plan, submission=spec.submission
    )
    fields.update(
        number=spec.number,
        signed_on=spec.signed_on,
        place=fields.get("place") or "Sóc Trăng",
        signing_mode=Decision.SigningMode.KT,
        signer_title="PHÓ CHỦ TỊCH",
        signer_name=SIGNER_NAME,
    )
    return fields


def demo_publish() -> int:
    """Publish each demo decision whose campaign has none published yet; return how many.

    A campaign with a published decision is left alone, whatever its number: the
    user may have published or corrected it themselves.
    """
    actor = get_user_model().objects.filter(username=STAFF_USERNAME).first()
    published = 0
    for spec in DECISIONS:
        campaign = Campaign.objects.get(year=spec.year)
        if Decision.objects.published().filter(campaign=campaign).exists():
            continue
        draft = Decision.objects.filter(
            campaign=campaign, number=spec.number, signed_on=spec.signed_on
        ).first()
        if draft is None:
            draft = decision_create(
                campaign=campaign, actor=actor, values=demo_decision_values(spec, campaign)
            )
        decision_publish(decision=draft, actor=actor)
        published += 1
    return published

"""The second demo: Lam Giang's 2025 season, loaded through the portal's own imports.

Interior Department staff (the demo's `staff` account) import the documented samples of
docs/samples as a province would on its first day: the units and blocks with their
lineage, the officers' accounts, and a framework per block. Then the 2025 campaign is set
up and driven through the workflow services, each step by the role that takes it in the
portal: the units' editors self-assess, their heads submit, staff import the surveys,
close the self-assessment (one straggler gets more time), start the appraisal of the
submitted files in one bulk step, appraise, send two back for explanation and finalise
the ones done. So a newcomer finds the season part-way through appraisal
(demo.lam_giang_plan) and can finish it in the browser.

Idempotent: each import changes nothing the second time, and the season is driven only
when the 2025 campaign does not exist yet (a user's progress in it is never touched).
The imported accounts get the demo's shared password, as if each officer had taken up
the invitation, so no invitation goes out.
"""

import datetime as dt
from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from cchc_portal.accounts.services.account_import import accounts_import
from cchc_portal.accounts.services.invitations import invitation_accept
from demo import lam_giang_plan as plan
from demo.accounts import DEMO_PASSWORD
from demo.lam_giang import (
    ACCOUNTS_SAMPLE,
    ASSESSED_BLOCKS,
    DEPARTMENTS_BLOCK,
    PROVINCE_NAME,
    SAMPLES,
    UNITS_SAMPLE,
)
from demo.lam_giang_criteria import YEAR, leaves, sample_name
from demo.loader import DemoError, DemoSummary, Report
from demo.story import PROVINCE_TZ
from scoring.exchange.survey_xlsx import write_survey_file
from scoring.models import Assessment, Campaign, Criterion, Framework, Score
from scoring.services.appraisal import (
    appraiser_assign,
    assessment_finalise,
    assessment_return,
    score_appraise,
    scores_accept,
)
from scoring.services.bulk import assessments_bulk_transition
from scoring.services.campaigns import (
    Answer,
    Band,
    campaign_block_add,
    campaign_create,
    campaign_open,
    survey_answers_set,
    tier_bands_set,
)
from scoring.services.deadlines import (
    campaign_deadlines_set,
    deadline_extend,
    self_assessment_close,
)
from scoring.services.frameworks import framework_import, framework_lock
from scoring.services.self_assessment import SelfInput, assessment_submit, score_self_assess
from scoring.services.survey_import import survey_import
from scoring.services.units_import import units_import
from units.models import APPRAISER_GROUP, Block, Membership

CAMPAIGN_NAME = f"Chỉ số CCHC năm {YEAR} — tỉnh {PROVINCE_NAME} (minh họa)"
STAFF_USERNAME = "staff"  # the demo's Interior Department account (demo.accounts)
DEMO_APPRAISER = "appraiser"  # the demo's appraiser: gets a few files to appraise
NO_MAIL = "django.core.mail.backends.dummy.EmailBackend"
NOTE = "Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả đơn vị tự chấm."


def lam_giang_load(*, stdout: TextIO | None = None) -> DemoSummary:
    """Import what is missing of Lam Giang and, once, drive its 2025 season."""
    summary = DemoSummary()
    report = Report(stdout, summary)
    staff = get_user_model().objects.filter(username=STAFF_USERNAME).first()
    if staff is None:
        raise DemoError("Load the Sóc Trăng demo first: its staff account imports Lam Giang.")
    # Each workflow step mails the people it concerns once committed; nobody reads a
    # demo's mail, and a hundred messages on the console would bury `make run`'s output.
    with override_settings(EMAIL_BACKEND=NO_MAIL), transaction.atomic():
        units = units_import(file=(SAMPLES / UNITS_SAMPLE).read_bytes())
        report.part("Lam Giang units", len(units.units_created), len(units.units))
        _load_accounts(staff, report)
        frameworks = _load_frameworks(report)
        if Campaign.objects.filter(year=YEAR).exists():
            report.part(f"Lam Giang season {YEAR}", 0, 1)
        else:
            _drive_season(staff, frameworks)
            report.part(f"Lam Giang season {YEAR}", 1, 1, " (part-way through appraisal)")
    return summary


def _load_accounts(staff, report: Report) -> None:
    imported = accounts_import(actor=staff, file=(SAMPLES / ACCOUNTS_SAMPLE).read_bytes())
    created = [account_plan.username for account_plan in imported.created]
    users = list(get_user_model().objects.filter(username__in=created))
    if users:
        # Hashing is slow on purpose; the accounts share the demo password, so hash it once.
        get_user_model().objects.filter(pk__in=[u.pk for u in users]).update(
            password=make_password(DEMO_PASSWORD)
        )
        for user in users:
            invitation_accept(user=user)
    report.part("Lam Giang accounts", len(created), len(created) + imported.unchanged)


def _load_frameworks(report: Report) -> dict[str, Framework]:
    present = {
        f.block.code: f
        for f in Framework.objects.filter(
            year=YEAR, block__code__in=ASSESSED_BLOCKS
        ).select_related("block")
    }
    created = 0
    for block in ASSESSED_BLOCKS:
        if block not in present:
            data = (SAMPLES / sample_name(block)).read_bytes()
            present[block] = framework_import(file=data, year=YEAR, block_code=block)
            created += 1
    report.part("Lam Giang frameworks", created, len(ASSESSED_BLOCKS), f" ({YEAR})")
    return present


def _drive_season(staff, frameworks: dict[str, Framework]) -> None:
    campaign = campaign_create(year=YEAR, name=CAMPAIGN_NAME, source=None, actor=staff)
    for code in ASSESSED_BLOCKS:
        block = Block.objects.get(code=code)
        campaign_block = campaign_block_add(
            campaign=campaign, block=block, framework=frameworks[code], actor=staff
        )
        bands = [Band(name, Decimal(minimum)) for name, minimum in plan.TIERS]
        tier_bands_set(campaign_block=campaign_block, bands=bands, actor=staff)
        framework_lock(framework=frameworks[code])
    survey_answers_set(
        campaign=campaign,
        answers=[Answer(code, label, weight) for code, label, weight in plan.SURVEY_ANSWERS],
        actor=staff,
    )
    # Deadlines from the day of loading, so the season is always part-way through.
    campaign_deadlines_set(
        campaign=campaign,
        actor=staff,
        self_assessment=_end_of_day(7),
        appraisal=_end_of_day(21),
        explanation=_end_of_day(35),
    )
    campaign_open(campaign=campaign, actor=staff)

    assessments = list(
        Assessment.objects.filter(campaign=campaign).select_related("unit__block", "framework")
    )
    by_block: dict[str, list[str]] = {}
    for assessment in assessments:
        by_block.setdefault(assessment.unit.block.code, []).append(assessment.unit.code)
    states = plan.standings(by_block)
    people = _people(assessments)
    criteria = _criteria(frameworks)

    for assessment in assessments:
        _self_assess(assessment, states[assessment.unit.code], people, criteria)
    _import_surveys(campaign, assessments, staff)
    for assessment in assessments:
        if states[assessment.unit.code] != plan.DRAFT:
            assessment_submit(assessment=assessment, actor=people[assessment.unit_id, "head"])
    self_assessment_close(campaign=campaign, actor=staff)
    _extend_one_straggler(assessments, states, staff)

    to_appraise = [
        a for a in assessments if states[a.unit.code] not in (plan.DRAFT, plan.SUBMITTED)
    ]
    assessments_bulk_transition(
        campaign=campaign,
        action="start_appraisal",
        actor=staff,
        assessment_ids=[a.pk for a in to_appraise],
    )
    _assign_demo_appraiser(campaign, to_appraise, states, staff)
    for assessment in to_appraise:
        assessment.refresh_from_db()
        state = states[assessment.unit.code]
        _appraise(assessment, criteria, staff, whole=state != plan.IN_APPRAISAL)
        if state == plan.RETURNED:
            assessment_return(assessment=assessment, actor=staff)
        elif state == plan.APPRAISED:
            assessment_finalise(assessment=assessment, actor=staff)


def _end_of_day(days: int) -> dt.datetime:
    """17:00 in the province, `days` from today: when offices set their deadlines."""
    day = timezone.localdate(timezone.now(), PROVINCE_TZ) + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(17), tzinfo=PROVINCE_TZ)


def _people(assessments: list[Assessment]) -> dict[tuple[int, str], object]:
    """The head and the editor of each unit, as the accounts sample gave them."""
    people = {}
    memberships = Membership.objects.filter(
        unit_id__in=[a.unit_id for a in assessments]
    ).select_related("user")
    for membership in memberships:
        role = "head" if membership.role == Membership.Role.HEAD else "editor"
        people[membership.unit_id, role] = membership.user
    missing = [a.unit.code for a in assessments if (a.unit_id, "head") not in people]
    if missing:
        raise DemoError(f"Units without a head in {ACCOUNTS_SAMPLE}: {', '.join(missing)}.")
    return people


def _criteria(frameworks: dict[str, Framework]) -> dict[tuple[int, str], Criterion]:
    return {
        (criterion.framework_id, criterion.code): criterion
        for criterion in Criterion.objects.filter(framework__in=frameworks.values())
    }


def _self_assess(assessment: Assessment, state: str, people: dict, criteria: dict) -> None:
    """The editor enters the unit's claims, leaf by leaf: all of them, or part of them in
    a draft (between a third and most of the work)."""
    block, code = assessment.unit.block.code, assessment.unit.code
    share = 1.0 if state != plan.DRAFT else plan.quality(block, code) - 0.3
    editor = people.get((assessment.unit_id, "editor")) or people[assessment.unit_id, "head"]
    for leaf_code, claim in plan.claims(block, code, leaves(block), share=share).items():
        score_self_assess(
            assessment=assessment,
            criterion=criteria[assessment.framework_id, leaf_code],
            actor=editor,
            entry=SelfInput(
                points=claim.points,
                level=claim.level,
                numerator=claim.numerator,
                denominator=claim.denominator,
                not_applicable=claim.not_applicable,
                na_reason=plan.NA_REASON if claim.not_applicable else "",
                explanation=claim.explanation,
            ),
        )


def _import_surveys(campaign: Campaign, assessments: list[Assessment], staff) -> None:
    """Staff import every unit's survey answers in one file, as the survey team sends it."""
    rows = []
    for assessment in assessments:
        block, unit = assessment.unit.block.code, assessment.unit
        for leaf_code, leaf in leaves(block).items():
            if leaf.method == "survey":
                counts = plan.survey_counts(block, unit.code, leaf_code, leaf.respondent_group)
                rows.append(
                    [unit.code, unit.name, leaf_code, leaf.title, leaf.respondent_group, *counts]
                )
    answer_codes = [code for code, _label, _weight in plan.SURVEY_ANSWERS]
    survey_import(campaign=campaign, file=write_survey_file(answer_codes, rows), actor=staff)


def _extend_one_straggler(assessments: list[Assessment], states: dict, staff) -> None:
    """The first draft department gets a week more, with the reason it asked for."""
    drafts = sorted(
        (a for a in assessments if states[a.unit.code] == plan.DRAFT),
        key=lambda a: (a.unit.block.position, a.unit.code),
    )
    if drafts:
        deadline_extend(
            assessment=drafts[0],
            phase="self_assessment",
            deadline=_end_of_day(10),
            reason=plan.EXTENSION_REASON,
            actor=staff,
        )


def _assign_demo_appraiser(campaign, to_appraise, states, staff) -> None:
    """The demo's appraiser account appraises the departments still in appraisal."""
    appraiser = (
        get_user_model()
        .objects.filter(username=DEMO_APPRAISER, groups__name=APPRAISER_GROUP)
        .first()
    )
    if appraiser is None:
        return
    for assessment in to_appraise:
        unit = assessment.unit
        if states[unit.code] == plan.IN_APPRAISAL and unit.block.code == DEPARTMENTS_BLOCK:
            appraiser_assign(
                campaign=campaign, unit=assessment.unit, appraiser=appraiser, actor=staff
            )


def _appraise(assessment: Assessment, criteria: dict, staff, *, whole: bool) -> None:
    """Staff lower some claims with a note and accept the rest; a file still in appraisal
    has only its first areas done."""
    block, code = assessment.unit.block.code, assessment.unit.code
    block_leaves = leaves(block)
    scores = {
        score.criterion.code: score
        for score in Score.objects.filter(assessment=assessment).select_related(
            "criterion", "assessment"
        )
    }
    wanted = [c for c in scores if whole or int(c.split(".")[0]) <= 4]
    accepted = []
    for leaf_code in wanted:
        score = scores[leaf_code]
        if score.not_applicable or score.self_points is None:
            continue
        points = plan.lowered(block, code, leaf_code, block_leaves[leaf_code], score.self_points)
        if points is None:
            accepted.append(score.criterion_id)
        else:
            score_appraise(
                score=score, actor=staff, points=points, note=block_leaves[leaf_code].note or NOTE
            )
    scores_accept(assessment=assessment, actor=staff, criterion_ids=accepted)


def sample_logins() -> list[tuple[str, str, str]]:
    """The accounts to try the season with: (username, full name, role, unit and state),
    the head and the editor of the straggler given more time (to finish and submit) and of
    each file sent back for explanation (to explain)."""
    files = Assessment.objects.filter(campaign__year=YEAR).select_related("unit")
    wanted = [
        *files.filter(state=Assessment.State.DRAFT, self_assessment_extended_to__isnull=False),
        *files.filter(state=Assessment.State.RETURNED).order_by("unit__block__position"),
    ]
    states = {a.unit_id: a.get_state_display() for a in wanted}
    memberships = (
        Membership.objects.filter(unit_id__in=states)
        .select_related("user", "unit__block")
        .order_by("unit__block__position", "unit__code", "role")
    )
    return [
        (
            m.user.username,
            f"{m.user.last_name} {m.user.first_name}",
            f"{m.get_role_display()}, {m.unit.short_name or m.unit.name} ({states[m.unit_id]})",
        )
        for m in memberships
    ]

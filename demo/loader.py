"""Load the demo: one entry point, `demo_load`, idempotent and all in one transaction.

Each part creates only what is missing and never changes a row that exists, so a
user's edits to the demo survive `make run`; a second run writes nothing and says
"already loaded". An assessment is the unit of work: one that exists is left as it
is, scores and all.

Choices a reader of the data should know:
- Survey leaves have no Score row: a Score is the unit's claim and its appraisal,
  and nobody claims or appraises a survey. Their points come from one
  SurveyResult per survey leaf (the leaf's respondent group and answer counts).
- The open 2016 campaign has Score rows only where a unit has entered something;
  a leaf without a row is simply not self-assessed yet.
- Score.self_input holds {"level": label} for a levels leaf and
  {"numerator": n, "denominator": d} for a ratio leaf, matching self_points.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from demo import story
from demo.accounts import ACCOUNTS, APPRAISED_UNITS, DEMO_PASSWORD
from demo.criteria_sets import FRAMEWORK_NAMES, SOURCE_DECISION, demo_leaves, demo_tree
from demo.publication import DECISIONS, demo_publish
from demo.scores import AssessmentPlan, LeafPlan, plan_appraised, plan_draft
from demo.units import BLOCKS, ISSUING_BODY, PROVINCE_NAME, UNITS
from scoring.models import (
    AppraiserAssignment,
    Assessment,
    Campaign,
    CampaignBlock,
    Criterion,
    Framework,
    Score,
    SurveyAnswer,
    SurveyResult,
    TierBand,
)
from scoring.services.frameworks import framework_clone, framework_lock
from units.models import Block, Membership, Province, Unit

FIRST_YEAR = story.APPRAISED_YEARS[0]
YEARS = (*story.APPRAISED_YEARS, story.OPEN_YEAR)


class DemoError(Exception):
    """The demo cannot be loaded as it stands; nothing was written."""


@dataclass
class DemoSummary:
    """Rows created per part, and the story's indexes as generated."""

    created: dict[str, int] = field(default_factory=dict)
    indexes: dict[tuple[int, str], Decimal] = field(default_factory=dict)

    @property
    def created_anything(self) -> bool:
        return any(self.created.values())


class Report:
    def __init__(self, stdout: TextIO | None, summary: DemoSummary) -> None:
        self.stdout = stdout
        self.summary = summary

    def part(self, name: str, created: int, total: int, what: str = "") -> None:
        self.summary.created[name] = created
        if self.stdout is None:
            return
        if created == 0:
            line = f"{name}: already loaded."
        elif created == total:
            line = f"{name}: created {created}{what}."
        else:
            line = f"{name}: created {created}{what}, {total - created} already there."
        self.stdout.write(line + "\n")


def demo_plans() -> dict[tuple[int, str], AssessmentPlan]:
    """The appraised assessments of every unit and year, checked against the story."""
    plans = {}
    for unit in UNITS:
        leaves = demo_leaves(unit.block)
        may_not_apply = {spec.code for spec in leaves if spec.leaf.na_allowed}
        wrong = set(story.NOT_APPLICABLE.get(unit.code, {})) - may_not_apply
        if wrong:
            raise DemoError(f"{unit.code}: criteria {sorted(wrong)} cannot be not applicable.")
        for year in story.APPRAISED_YEARS:
            plans[year, unit.code] = plan_appraised(
                unit_code=unit.code,
                year=year,
                leaves=leaves,
                target=story.target(unit.code, year),
                not_applicable=story.NOT_APPLICABLE.get(unit.code, {}),
                weights=story.SURVEY_WEIGHTS,
            )
    problems = story.story_problems({key: plan.index for key, plan in plans.items()})
    if problems:
        raise DemoError("The demo data no longer tells the story: " + "; ".join(problems))
    return plans


def demo_load(*, stdout: TextIO | None = None) -> DemoSummary:
    """Create whatever part of the demo is missing; return what was created."""
    plans = demo_plans()  # before any write: a broken story loads nothing
    summary = DemoSummary(indexes={key: plan.index for key, plan in plans.items()})
    report = Report(stdout, summary)
    with transaction.atomic():
        _load_province(report)
        blocks = _load_blocks(report)
        units = _load_units(blocks, report)
        frameworks = _load_frameworks(blocks, report)
        campaigns = _load_campaigns(blocks, frameworks, report)
        for year in story.APPRAISED_YEARS:
            _load_appraised(campaigns[year], units, frameworks, plans, report)
        _load_drafts(campaigns[story.OPEN_YEAR], units, frameworks, report)
        _load_accounts(units, report)
        _load_assignments(campaigns[story.OPEN_YEAR], units, report)
        _load_decisions(report)
    return summary


def _load_assignments(campaign: Campaign, units: dict[str, Unit], report: Report) -> None:
    """Assign the demo appraiser to the demo units of the open campaign, if not yet done."""
    appraiser = get_user_model().objects.filter(username="appraiser").first()
    created = 0
    if appraiser is not None:
        for code in APPRAISED_UNITS:
            _assignment, made = AppraiserAssignment.objects.get_or_create(
                campaign=campaign, unit=units[code], appraiser=appraiser, area_code=""
            )
            created += made
    report.part("Appraiser assignments", created, len(APPRAISED_UNITS))


def _load_decisions(report: Report) -> None:
    """Publish the 2014 and 2015 decisions (frozen rows, summary, PDF) unless published."""
    report.part("Decisions", demo_publish(), len(DECISIONS), " (published)")


def _load_province(report: Report) -> None:
    created = 0
    if not Province.objects.exists():
        Province.objects.create(name=PROVINCE_NAME, issuing_body=ISSUING_BODY)
        created = 1
    report.part("Province", created, 1)


def _load_blocks(report: Report) -> dict[str, Block]:
    blocks, created = {}, 0
    for spec in BLOCKS:
        blocks[spec.code], new = Block.objects.get_or_create(
            code=spec.code,
            defaults={"name": spec.name, "short_name": spec.short_name, "position": spec.position},
        )
        created += new
    report.part("Blocks", created, len(BLOCKS))
    return blocks


def _load_units(blocks: dict[str, Block], report: Report) -> dict[str, Unit]:
    wanted = Unit.objects.filter(code__in=[u.code for u in UNITS]).select_related("block")
    units = {unit.code: unit for unit in wanted}
    created = 0
    for spec in UNITS:
        if spec.code in units:
            continue
        unit = Unit(
            code=spec.code,
            name=spec.name,
            short_name=spec.short_name,
            block=blocks[spec.block],
            active_from=spec.active_from,
        )
        unit.save()  # save() fills the folded search text
        units[spec.code] = unit
        created += 1
    report.part("Units", created, len(UNITS))
    return units


def _load_frameworks(blocks: dict[str, Block], report: Report) -> dict[tuple[int, str], Framework]:
    """2014 from the demo trees; each later year cloned from the year before, all locked."""
    frameworks = {
        (f.year, f.block.code): f
        for f in Framework.objects.filter(year__in=YEARS).select_related("block")
    }
    created = 0
    for block in story.CAMPAIGN_BLOCKS:
        for year in YEARS:
            if (year, block) in frameworks:
                continue
            name = FRAMEWORK_NAMES[block].format(year=year)
            if year == FIRST_YEAR:
                framework = _build_framework(blocks[block], year, name)
            else:
                framework = framework_clone(
                    source=frameworks[year - 1, block], year=year, name=name
                )
            frameworks[year, block] = framework_lock(framework=framework)
            created += 1
    report.part("Frameworks", created, len(story.CAMPAIGN_BLOCKS) * len(YEARS), " (locked)")
    return frameworks


def _build_framework(block: Block, year: int, name: str) -> Framework:
    framework = Framework.objects.create(
        year=year, block=block, name=name, source_decision=SOURCE_DECISION, illustrative=True
    )
    created: dict[str, Criterion] = {}
    for spec in demo_tree(block.code):  # parents come first
        leaf = spec.leaf
        created[spec.code] = Criterion.objects.create(
            framework=framework,
            parent=created[spec.parent_code] if spec.parent_code else None,
            code=spec.code,
            title=spec.title,
            max_points=spec.max_points,
            guidance=leaf.guidance if leaf else "",
            method=leaf.method if leaf else Criterion.Method.DIRECT,
            step=leaf.step if leaf else None,
            scale=[dict(entry) for entry in leaf.scale] if leaf else [],
            evidence_required=leaf.evidence_required if leaf else False,
            na_allowed=leaf.na_allowed if leaf else False,
        )
    return framework


def _load_campaigns(
    blocks: dict[str, Block],
    frameworks: dict[tuple[int, str], Framework],
    report: Report,
) -> dict[int, Campaign]:
    campaigns, created, total = {}, 0, 0
    for spec in story.CAMPAIGNS:
        campaign, new = Campaign.objects.get_or_create(
            year=spec.year,
            defaults={
                "name": spec.name,
                "status": Campaign.Status(spec.status),
                "self_assessment_deadline": spec.self_assessment_deadline,
                "explanation_deadline": spec.explanation_deadline,
            },
        )
        campaigns[spec.year] = campaign
        created, total = created + new, total + 1
        for block in story.CAMPAIGN_BLOCKS:
            campaign_block, new = CampaignBlock.objects.get_or_create(
                campaign=campaign,
                block=blocks[block],
                defaults={"framework": frameworks[spec.year, block]},
            )
            created, total = created + new, total + 1
            for name, minimum in story.TIERS[block]:
                _tier, new = TierBand.objects.get_or_create(
                    campaign_block=campaign_block,
                    name=name,
                    defaults={"min_index": Decimal(minimum)},
                )
                created, total = created + new, total + 1
        for code, label, weight in story.SURVEY_ANSWERS:
            _answer, new = SurveyAnswer.objects.get_or_create(
                campaign=campaign, code=code, defaults={"label": label, "weight_percent": weight}
            )
            created, total = created + new, total + 1
    report.part("Campaigns", created, total, " rows (campaigns, blocks, tiers, survey answers)")
    return campaigns


def _missing_units(campaign: Campaign, units: dict[str, Unit]) -> list[Unit]:
    present = set(Assessment.objects.filter(campaign=campaign).values_list("unit_id", flat=True))
    return [units[spec.code] for spec in UNITS if units[spec.code].pk not in present]


def _leaf_ids(framework: Framework, codes: list[str]) -> dict[str, int]:
    ids = dict(framework.criteria.filter(code__in=codes).values_list("code", "pk"))
    missing = sorted(set(codes) - set(ids))
    if missing:
        raise DemoError(
            f"“{framework}” has no criteria {', '.join(missing)}: it is not the demo's."
        )
    return ids


def _load_appraised(
    campaign: Campaign,
    units: dict[str, Unit],
    frameworks: dict[tuple[int, str], Framework],
    plans: dict[tuple[int, str], AssessmentPlan],
    report: Report,
) -> None:
    year = campaign.year
    scores, results = [], []
    missing = _missing_units(campaign, units)
    for position, unit in enumerate(missing):
        framework = frameworks[year, unit.block.code]
        plan = plans[year, unit.code]
        assessment = Assessment.objects.create(
            campaign=campaign,
            unit=unit,
            framework=framework,
            state=Assessment.State.APPRAISED,
            submitted_at=dt.datetime(year + 1, 1, 5 + position % 10, 10, tzinfo=story.PROVINCE_TZ),
        )
        ids = _leaf_ids(framework, [leaf.code for leaf in plan.leaves])
        for leaf in plan.leaves:
            if leaf.is_survey:
                results.append(
                    SurveyResult(
                        assessment=assessment,
                        criterion_id=ids[leaf.code],
                        respondent_group=leaf.respondent_group,
                        answer_counts=leaf.answer_counts,
                    )
                )
            else:
                scores.append(_score(assessment, ids[leaf.code], leaf))
    Score.objects.bulk_create(scores)
    SurveyResult.objects.bulk_create(results)
    report.part(
        f"Assessments {year}",
        len(missing),
        len(UNITS),
        f" (appraised, {len(scores)} scores, {len(results)} survey results)",
    )


def _load_drafts(
    campaign: Campaign,
    units: dict[str, Unit],
    frameworks: dict[tuple[int, str], Framework],
    report: Report,
) -> None:
    year = campaign.year
    scores = []
    missing = _missing_units(campaign, units)
    for unit in missing:
        framework = frameworks[year, unit.block.code]
        assessment = Assessment.objects.create(
            campaign=campaign, unit=unit, framework=framework, state=Assessment.State.DRAFT
        )
        if unit.code not in story.PARTLY_FILLED_2016:
            continue
        leaves = plan_draft(unit_code=unit.code, year=year, leaves=demo_leaves(unit.block.code))
        ids = _leaf_ids(framework, [leaf.code for leaf in leaves])
        scores.extend(_score(assessment, ids[leaf.code], leaf) for leaf in leaves)
    Score.objects.bulk_create(scores)
    report.part(f"Assessments {year}", len(missing), len(UNITS), f" (draft, {len(scores)} scores)")


def _score(assessment: Assessment, criterion_id: int, leaf: LeafPlan) -> Score:
    return Score(
        assessment=assessment,
        criterion_id=criterion_id,
        not_applicable=leaf.not_applicable,
        na_reason=leaf.na_reason,
        self_points=leaf.self_points,
        self_input=leaf.self_input,
        self_explanation=leaf.self_explanation,
        appraised_points=leaf.appraised_points,
        appraisal_note=leaf.appraisal_note,
        unit_reply=leaf.unit_reply,
        final_points=leaf.final_points,
    )


def _load_accounts(units: dict[str, Unit], report: Report) -> None:
    """Create missing demo users; an existing user of that name is left untouched."""
    user_model = get_user_model()
    existing = set(
        user_model.objects.filter(username__in=[a.username for a in ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    missing = [spec for spec in ACCOUNTS if spec.username not in existing]
    # Hashing is slow on purpose; the accounts share a password, so hash it once.
    password = make_password(DEMO_PASSWORD) if missing else ""
    for spec in missing:
        user = user_model.objects.create(
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            is_staff=spec.is_staff,
            password=password,
        )
        if spec.group:
            user.groups.add(Group.objects.get_or_create(name=spec.group)[0])
        if spec.unit:
            Membership.objects.create(user=user, unit=units[spec.unit], role=spec.role)
    report.part("Accounts", len(missing), len(ACCOUNTS))

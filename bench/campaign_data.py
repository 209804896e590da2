"""A benchmark campaign generated in bulk: units, one framework, scores and survey results
(the data of bench/scoring.py and bench/publication.py)."""

import argparse
import json
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from bench.bench_database import BENCH_BLOCK, BENCH_NAME, analyze, insert_rows

BENCH_YEAR = 2100

SCORED_AREAS = 7  # plus one area of deductions

DEDUCTION_LEAVES = 2

SURVEY_SHARE = 0.03

NOT_APPLICABLE_SHARE = 0.2  # of the scores of leaves that may not apply (every 10th leaf)

QUARTERS = [f"{q / 4:.2f}" for q in range(0, 4 * 20 + 1)]  # "0.00", "0.25" ... "20.00"

WEIGHTS = {"A": "100", "B": "60", "C": "20", "D": "0"}

GROUPS = ("Lãnh đạo, công chức", "Người dân, doanh nghiệp")

TIERS = (("Tốt", "80"), ("Khá", "65"), ("Trung bình", "50"))

# The areas of a provincial index; their titles go into every Result row's `areas`.
AREA_TITLES = (
    "Công tác chỉ đạo, điều hành cải cách hành chính",
    "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính nhà nước",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
    "Các nội dung bị trừ điểm",
)


def _parent(code: str) -> str | None:
    head, _sep, _tail = code.rpartition(".")
    return head or None


@dataclass(frozen=True)
class NodeSpec:
    code: str
    max_points: Decimal
    method: str = "direct"
    na_allowed: bool = False

    @property
    def parent_code(self) -> str | None:
        return _parent(self.code)


def campaign_name(args: argparse.Namespace) -> str:
    return f"{BENCH_NAME} {args.units}×{args.leaves} seed {args.seed}"


def bench_campaign(args: argparse.Namespace):
    """The campaign of these arguments, kept by an earlier run or generated now.

    Returns (campaign, generation time in ms, or None when reused).
    """
    from scoring.models import Campaign, Result

    kept = Campaign.objects.filter(name=campaign_name(args)).first()
    if kept is not None:
        Result.objects.filter(campaign=kept).delete()
        return kept, None
    started = time.perf_counter()
    delete_bench_data()
    campaign = generate(args)
    analyze()
    return campaign, (time.perf_counter() - started) * 1000


def framework_plan(leaves: int, rng: random.Random) -> list[NodeSpec]:
    """Seven scored areas and one of deductions; some criteria have sub-criteria.

    A few percent of the leaves are surveys (the last leaf of every other area), every
    tenth leaf may be not applicable, leaf maxima are multiples of 0.25.
    """
    scored_leaves = leaves - DEDUCTION_LEAVES
    per_area = [
        scored_leaves // SCORED_AREAS + (1 if i < scored_leaves % SCORED_AREAS else 0)
        for i in range(SCORED_AREAS)
    ]
    surveys = max(1, round(leaves * SURVEY_SHARE))
    survey_areas = [(2 * i + 1) % SCORED_AREAS for i in range(surveys)]  # areas 2, 4, 6, ...
    nodes: list[NodeSpec] = []
    leaf_number = 0
    for area_index, count in enumerate(per_area):
        area = str(area_index + 1)
        children: list[NodeSpec] = []
        criterion, remaining = 0, count
        while remaining:
            criterion += 1
            code = f"{area}.{criterion}"
            subs = min(3, remaining) if criterion % 3 == 0 and remaining >= 2 else 0
            for sub in range(1, subs + 1) if subs else [None]:
                leaf_number += 1
                leaf_code = f"{code}.{sub}" if sub else code
                children.append(
                    NodeSpec(
                        leaf_code,
                        Decimal(rng.choice(("0.5", "0.75", "1", "1", "1.5", "2"))),
                        na_allowed=leaf_number % 10 == 0,
                    )
                )
                remaining -= 1
        for _ in range(survey_areas.count(area_index)):
            # The last direct leaf of the area becomes a survey of 2 points.
            index = max(i for i, n in enumerate(children) if n.method == "direct")
            children[index] = NodeSpec(children[index].code, Decimal("2"), "survey")
        nodes.extend(_with_parents(area, children))
    deductions = [
        NodeSpec(f"{SCORED_AREAS + 1}.{i}", Decimal("1"), "deduction")
        for i in range(1, DEDUCTION_LEAVES + 1)
    ]
    nodes.extend(_with_parents(str(SCORED_AREAS + 1), deductions, method="deduction"))
    return nodes


def _with_parents(area: str, leaves: list[NodeSpec], method: str = "direct") -> list[NodeSpec]:
    """The leaves of one area under their area and criteria, each maximum the sum below it."""
    maxima: dict[str, Decimal] = {}
    for leaf in leaves:
        parent = leaf.parent_code
        while parent:
            maxima[parent] = maxima.get(parent, Decimal("0")) + leaf.max_points
            parent = _parent(parent)
    parents = [NodeSpec(code, total, method) for code, total in maxima.items()]
    return sorted(parents + leaves, key=lambda n: [int(p) for p in n.code.split(".")])


def generate(args: argparse.Namespace):
    """Units, framework, campaign, assessments, scores and survey results, seeded."""
    from django.db import connection, transaction
    from django.utils import timezone

    from scoring.models import (
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
    from units.models import Block, Unit
    from units.text import fold

    rng = random.Random(f"cchc-bench:{args.seed}")
    plan = framework_plan(args.leaves, rng)
    with transaction.atomic():
        block = Block.objects.create(code=BENCH_BLOCK, name="Khối đo hiệu năng", position=99)
        framework = Framework.objects.create(
            year=BENCH_YEAR, block=block, name="Bộ tiêu chí đo hiệu năng", illustrative=True
        )
        created: dict[str, Criterion] = {}
        for node in plan:
            created[node.code] = Criterion.objects.create(
                framework=framework,
                parent=created.get(node.parent_code) if node.parent_code else None,
                code=node.code,
                title=_title(node.code),
                max_points=node.max_points,
                method=node.method,
                step=Decimal("0.25") if node.method == "direct" else None,
                na_allowed=node.na_allowed,
            )
        parents = {node.parent_code for node in plan}
        leaves = [(created[n.code].pk, n) for n in plan if n.code not in parents]  # in code order
        campaign = Campaign.objects.create(
            year=BENCH_YEAR,
            name=campaign_name(args),
            status=Campaign.Status.APPRAISAL,
        )
        campaign_block = CampaignBlock.objects.create(
            campaign=campaign, block=block, framework=framework
        )
        TierBand.objects.bulk_create(
            TierBand(campaign_block=campaign_block, name=name, min_index=Decimal(minimum))
            for name, minimum in TIERS
        )
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(campaign=campaign, code=code, weight_percent=Decimal(weight))
            for code, weight in WEIGHTS.items()
        )

        units = []
        for n in range(1, args.units + 1):
            name = f"Đơn vị đo hiệu năng số {n:05d}"
            code = f"bench-{n:05d}"
            units.append(
                Unit(code=code, name=name, block=block, search_text=fold(f"{name}  {code}"))
            )
        Unit.objects.bulk_create(units, batch_size=2000)
        units = list(Unit.objects.filter(block=block).order_by("code"))
        Assessment.objects.bulk_create(
            (
                Assessment(
                    campaign=campaign, unit=unit, framework=framework, state=_state(position)
                )
                for position, unit in enumerate(units)
            ),
            batch_size=2000,
        )
        assessments = list(
            Assessment.objects.filter(campaign=campaign).order_by("pk").values_list("pk", "state")
        )

        # Rows go in as the columns take them: the time as the database adapter wants it.
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        scored = [(pk, leaf) for pk, leaf in leaves if leaf.method != "survey"]
        surveyed = [pk for pk, leaf in leaves if leaf.method == "survey"]
        insert_rows(
            Score,
            [
                "assessment_id",
                "criterion_id",
                "not_applicable",
                "na_reason",
                "self_points",
                "self_input",
                "self_explanation",
                "appraised_points",
                "appraisal_note",
                "unit_reply",
                "final_points",
                "updated_at",
            ],
            _score_rows(rng, assessments, scored, now),
        )
        insert_rows(
            SurveyResult,
            ["assessment_id", "criterion_id", "respondent_group", "answer_counts", "imported_at"],
            _survey_rows(rng, assessments, surveyed, now),
        )
    return campaign


def _title(code: str) -> str:
    return AREA_TITLES[int(code) - 1] if "." not in code else f"Tiêu chí {code}"


def _state(position: int) -> str:
    """Eight in ten appraised, one in appraisal, one submitted (a preview on its claims)."""
    from scoring.models import Assessment

    return {8: Assessment.State.IN_APPRAISAL, 9: Assessment.State.SUBMITTED}.get(
        position % 10, Assessment.State.APPRAISED
    )


def _score_rows(rng: random.Random, assessments, leaves, now) -> Iterable[tuple]:
    """One row per assessment and non-survey leaf, points in steps of 0.25.

    The unit claims near the maximum; the appraisal sometimes takes a step or two off,
    and the final points are the appraisal, rarely raised back one step after an
    explanation. Final points exist once appraised, appraised points once in appraisal.
    """
    from scoring.models import Assessment

    randint, random_ = rng.randint, rng.random
    for assessment_id, state in assessments:
        appraised = state != Assessment.State.SUBMITTED
        final = state == Assessment.State.APPRAISED
        for criterion_id, leaf in leaves:
            if leaf.na_allowed and random_() < NOT_APPLICABLE_SHARE:
                yield (assessment_id, criterion_id, True, "Không phát sinh", None, "{}", "",
                       None, "", "", None, now)  # fmt: skip
                continue
            steps = int(leaf.max_points * 4)
            if leaf.method == "deduction":
                claim = 0
                points = randint(1, steps) if random_() < 0.1 else 0
            else:
                claim = randint(steps * 3 // 4, steps)
                points = max(0, claim - randint(0, 2)) if random_() < 0.3 else claim
            raised = min(steps, points + 1) if random_() < 0.05 else points
            yield (
                assessment_id,
                criterion_id,
                False,
                "",
                QUARTERS[claim],
                "{}",
                "",
                QUARTERS[points] if appraised else None,
                "",
                "",
                QUARTERS[raised] if final else None,
                now,
            )


def _survey_rows(rng: random.Random, assessments, leaves, now) -> Iterable[tuple]:
    """Answer counts of two respondent groups per assessment and survey leaf."""
    randint = rng.randint
    for assessment_id, _ in assessments:
        for criterion_id in leaves:
            for group in GROUPS:
                counts = {"A": randint(5, 60), "B": randint(0, 30), "C": randint(0, 10)}
                counts["D"] = randint(0, 3)
                yield assessment_id, criterion_id, group, json.dumps(counts), now


def row_counts(campaign) -> dict[str, int]:
    from scoring.models import Assessment, Criterion, Score, SurveyResult

    scores = Score.objects.filter(assessment__campaign=campaign)
    return {
        "assessments": Assessment.objects.filter(campaign=campaign).count(),
        "scores": scores.count(),
        "not_applicable": scores.filter(not_applicable=True).count(),
        "survey_results": SurveyResult.objects.filter(assessment__campaign=campaign).count(),
        "survey_leaves": Criterion.objects.filter(
            framework__campaigns=campaign, method=Criterion.Method.SURVEY
        ).count(),
    }


def delete_bench_data() -> None:
    """Every row the bench ever generated, children first."""
    from django.db import connection

    from scoring.models import (
        Assessment,
        Campaign,
        CampaignBlock,
        Criterion,
        Framework,
        Result,
        Score,
        SurveyAnswer,
        SurveyResult,
        TierBand,
    )
    from units.models import Block, Unit

    campaigns = Campaign.objects.filter(name__startswith=BENCH_NAME)
    # Scores keep a history (django-simple-history), so Django would load and delete
    # them one by one: the bench's rows, which have none, go with one DELETE each.
    assessments = (
        f"SELECT a.id FROM {Assessment._meta.db_table} a "
        f"JOIN {Campaign._meta.db_table} c ON c.id = a.campaign_id WHERE c.name LIKE %s"
    )
    with connection.cursor() as cursor:
        for model in (Score, SurveyResult):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE assessment_id IN ({assessments})",
                [BENCH_NAME + "%"],
            )
    for queryset in (
        Result.objects.filter(campaign__in=campaigns),
        Assessment.objects.filter(campaign__in=campaigns),
        SurveyAnswer.objects.filter(campaign__in=campaigns),
        TierBand.objects.filter(campaign_block__campaign__in=campaigns),
        CampaignBlock.objects.filter(campaign__in=campaigns),
        campaigns,
        Criterion.objects.filter(framework__block__code=BENCH_BLOCK),
        Framework.objects.filter(block__code=BENCH_BLOCK),
        Unit.objects.filter(block__code=BENCH_BLOCK),
        Block.objects.filter(code=BENCH_BLOCK),
    ):
        queryset.delete()

"""Seeded, deterministic generation of leaf scores and survey answers landing near a target.

Nothing here touches the database: a plan is plain values, computed the same way
on every machine, which the loader verifies (story.story_problems) and writes.

How a fully appraised assessment is made up:
- survey leaves get answer counts whose share is a little under the target
  (surveys tend to be harsher than the unit's own record); their points are
  `calculations.survey_points`, unrounded;
- every other leaf starts at its maximum and loses points, leaf by leaf, until
  the total reaches the target; leaves that units often miss (online services,
  electronic documents, recognised initiatives) lose more often;
- the appraisal is then rebuilt backwards: on some of the leaves that lost
  points the unit had claimed more (self > appraised, with the appraiser's note),
  and on a few the appraisal was lower still and raised back after the unit's
  explanation (appraised < final, with the unit's reply). The self-assessed total
  ends about 2–4 points above the appraised one, as DOMAIN.md reports.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from demo.criteria_sets import CITIZENS, Leaf, NodeSpec
from scoring.calculations import index_percent, ratio_points, survey_points

ZERO = Decimal("0")
QUARTER = Decimal("0.25")
REPLY = (
    "Đơn vị đã giải trình bằng Công văn số {number}/GT ngày {day:02d}/{month:02d}/{year} "
    "và bổ sung tài liệu kiểm chứng."
)
MISSING_EVIDENCE = (
    "Đơn vị đã thực hiện nhưng chưa lưu đủ văn bản; tài liệu kiểm chứng sẽ được bổ sung."
)
RAISED_NOTE = (
    "Thẩm định lần đầu: chưa có tài liệu kiểm chứng. "
    "Sau giải trình, Hội đồng thẩm định chấp nhận điểm."
)
GENERIC_NOTES = {
    "direct": "Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả thực hiện.",
    "levels": "Tài liệu kiểm chứng không chứng minh được mức đơn vị tự chấm.",
    "ratio": "Số liệu tự chấm không khớp với báo cáo tổng hợp của Sở Nội vụ.",
}


@dataclass
class LeafPlan:
    """What one leaf of one assessment holds: a Score row, or a SurveyResult row."""

    code: str
    not_applicable: bool = False
    na_reason: str = ""
    self_points: Decimal | None = None
    self_input: dict = field(default_factory=dict)
    self_explanation: str = ""
    appraised_points: Decimal | None = None
    appraisal_note: str = ""
    unit_reply: str = ""
    final_points: Decimal | None = None
    respondent_group: str = ""
    answer_counts: dict[str, int] | None = None

    @property
    def is_survey(self) -> bool:
        return self.answer_counts is not None


@dataclass
class AssessmentPlan:
    unit_code: str
    year: int
    leaves: list[LeafPlan]
    total: Decimal = ZERO
    maximum: Decimal = ZERO

    @property
    def index(self) -> Decimal:
        return index_percent(self.total, self.maximum)


def seeded_random(unit_code: str, year: int) -> random.Random:
    """The generator of one unit and year.

    A str seed goes through SHA-512 inside random.seed, so it is the same on every
    run and machine (hash() is salted per process and would not be). The scores are
    demonstration data, not secrets.
    """
    return random.Random(f"cchc-demo:{unit_code}:{year}")  # noqa: S311


def options(leaf: Leaf) -> list[Decimal]:
    """The points a leaf can take, lowest first."""
    if leaf.method == "direct":
        step = leaf.step or QUARTER
        return [step * i for i in range(int(leaf.max_points / step) + 1)]
    return sorted({Decimal(entry["points"]) for entry in leaf.scale})


def plan_appraised(
    *,
    unit_code: str,
    year: int,
    leaves: Sequence[NodeSpec],
    target: Decimal,
    not_applicable: dict[str, str],
    weights: dict[str, Decimal],
) -> AssessmentPlan:
    rng = seeded_random(unit_code, year)
    plans: dict[str, LeafPlan] = {}
    applicable = [spec for spec in leaves if spec.code not in not_applicable]
    maximum = sum((spec.max_points for spec in applicable), ZERO)
    for code, reason in not_applicable.items():
        plans[code] = LeafPlan(code, not_applicable=True, na_reason=reason)

    surveys = [spec for spec in applicable if spec.leaf.method == "survey"]
    scored = [spec for spec in applicable if spec.leaf.method != "survey"]
    earned: dict[str, Decimal] = {}
    # The same respondents answer every question of their group's questionnaire.
    sample: dict[str, int] = {}
    for spec in surveys:
        group = spec.leaf.respondent_group
        if group not in sample:
            sample[group] = rng.randint(60, 150) if group == CITIZENS else rng.randint(18, 45)
        share = target - rng.randint(1, 8)  # percent
        counts = _answer_counts(rng, share, sample[group])
        plans[spec.code] = LeafPlan(
            spec.code, respondent_group=spec.leaf.respondent_group, answer_counts=counts
        )
        earned[spec.code] = survey_points(spec.max_points, counts, weights)
    survey_total = sum(earned.values(), ZERO)

    need = target * maximum / 100 - survey_total
    final = _lose_points(rng, scored, loss=sum((s.max_points for s in scored), ZERO) - need)
    appraisal = _appraisal(rng, scored, final, year)
    for spec in scored:
        plan = plans[spec.code] = appraisal[spec.code]
        plan.self_input = self_input(rng, spec.leaf, plan.self_points)
    earned.update(final)
    # Summed in code order, as the scoring service does: survey points are rounded
    # to 28 significant digits, so another order could change the last digit.
    total = sum((earned[spec.code] for spec in applicable), ZERO)
    ordered = [plans[spec.code] for spec in leaves]
    return AssessmentPlan(unit_code, year, ordered, total=total, maximum=maximum)


def plan_draft(*, unit_code: str, year: int, leaves: Sequence[NodeSpec]) -> list[LeafPlan]:
    """A self-assessment part-way: the first leaves in tree order claimed, the rest untouched."""
    rng = seeded_random(unit_code, year)
    scored = [spec for spec in leaves if spec.leaf.method != "survey"]
    filled = scored[: rng.randint(len(scored) * 3 // 10, len(scored) * 7 // 10)]
    plans = []
    for spec in filled:
        choices = options(spec.leaf)
        points = choices[-1] if rng.randint(1, 4) > 1 else rng.choice(choices[:-1])
        plans.append(
            LeafPlan(spec.code, self_points=points, self_input=self_input(rng, spec.leaf, points))
        )
    return plans


def _answer_counts(rng: random.Random, share: Decimal, respondents: int) -> dict[str, int]:
    """Counts of answers A–D whose weighted share (100/60/20/0) is about `share` percent.

    Shares of C and D shrink as the unit gets better; A and B split the rest so that
    the expected weighted share is `share`. Counts are then jittered a little.
    """
    p = share / 100
    c = (1 - p) / 2
    d = (1 - p) / 10
    a = (share - 20 * c - 60 * (1 - c - d)) / 40
    shares = {"A": a, "C": c, "D": d}
    counts = {
        code: int((value * respondents).quantize(Decimal("1"), ROUND_HALF_UP))
        for code, value in shares.items()
    }
    counts["B"] = respondents - sum(counts.values())
    for _ in range(rng.randint(0, 3)):
        down, up = rng.choice((("A", "B"), ("B", "A"), ("B", "C"), ("C", "B")))
        if counts[down] > 0:
            counts[down] -= 1
            counts[up] += 1
    return {code: counts[code] for code in ("A", "B", "C", "D")}


def _lose_points(rng: random.Random, scored: list[NodeSpec], loss: Decimal) -> dict[str, Decimal]:
    """Final points per leaf: all at maximum, then points lost until `loss` is used up.

    Each round picks a leaf (weighted by how often units lose points there) among
    those that can still drop without overshooting, and usually drops it by one
    level. The remainder ends under a quarter point; it is taken too when over an
    eighth, so the total lands within an eighth of a point of the target.
    """
    value = {spec.code: spec.max_points for spec in scored}
    lower = {spec.code: options(spec.leaf) for spec in scored}
    by_code = {spec.code: spec for spec in scored}
    while loss > 0:
        drops = {
            code: [
                value[code] - p for p in lower[code] if p < value[code] and value[code] - p <= loss
            ]
            for code in value
        }
        candidates = [code for code, steps in drops.items() if steps]
        if not candidates:
            smallest = [
                (value[code] - max(p for p in lower[code] if p < value[code]), code)
                for code in value
                if value[code] > lower[code][0]
            ]
            if smallest:
                drop, code = min(smallest)
                if drop <= 2 * loss:  # overshooting by less than what remains
                    value[code] -= drop
            break
        weights = [by_code[code].leaf.loss_weight for code in candidates]
        code = rng.choices(candidates, weights=weights)[0]
        steps = sorted(drops[code])
        drop = steps[0] if rng.randint(1, 3) > 1 else rng.choice(steps)
        value[code] -= drop
        loss -= drop
    return value


def _appraisal(
    rng: random.Random, scored: list[NodeSpec], final: dict[str, Decimal], year: int
) -> dict[str, LeafPlan]:
    """The claim, appraisal and reply of each leaf, ending on its final points."""
    plans = {
        spec.code: LeafPlan(
            spec.code,
            self_points=final[spec.code],
            appraised_points=final[spec.code],
            final_points=final[spec.code],
        )
        for spec in scored
    }
    gap_target = QUARTER * rng.randint(8, 16)  # self minus appraised: 2 to 4 points
    gap = ZERO

    # A few leaves were lowered, then raised back after the unit's explanation.
    raisable = [s for s in scored if final[s.code] > options(s.leaf)[0]]
    for spec in rng.sample(raisable, k=min(len(raisable), rng.randint(0, 2))):
        plan = plans[spec.code]
        plan.appraised_points = max(p for p in options(spec.leaf) if p < final[spec.code])
        plan.appraisal_note = RAISED_NOTE
        plan.unit_reply = REPLY.format(
            number=rng.randint(12, 180), day=rng.randint(1, 28), month=rng.randint(2, 3),
            year=year + 1,
        )  # fmt: skip
        gap += final[spec.code] - plan.appraised_points

    # On leaves that lost points, the unit had often claimed more than it kept.
    lost = [s for s in scored if final[s.code] < s.max_points and not plans[s.code].unit_reply]
    rng.shuffle(lost)
    for spec in lost:
        if gap >= gap_target:
            break
        plan = plans[spec.code]
        higher = [p for p in options(spec.leaf) if p > final[spec.code]]
        claimed = higher[-1] if rng.randint(1, 3) > 1 else rng.choice(higher)
        if gap + claimed - final[spec.code] > gap_target + QUARTER:
            claimed = higher[0]  # a smaller claim keeps the gap near its target
        plan.self_points = claimed
        plan.appraisal_note = spec.leaf.note or GENERIC_NOTES[spec.leaf.method]
        if spec.leaf.evidence_required and rng.randint(1, 3) == 1:
            plan.self_explanation = MISSING_EVIDENCE
        gap += claimed - final[spec.code]
    return plans


def self_input(rng: random.Random, leaf: Leaf, points: Decimal) -> dict:
    """The figures behind claimed points: {"level": label} or {"numerator", "denominator"}."""
    if leaf.method == "levels":
        label = next(e["label"] for e in leaf.scale if Decimal(e["points"]) == points)
        return {"level": label}
    if leaf.method != "ratio":
        return {}
    thresholds = sorted((Decimal(e["min_percent"]), Decimal(e["points"])) for e in leaf.scale)
    position = next(i for i, (_t, p) in enumerate(thresholds) if p == points)
    low = thresholds[position][0]
    # The band runs to the next threshold; the top band stays near its threshold,
    # as real figures do (30 % of procedures online was already a lot in 2015).
    high = thresholds[position + 1][0] if position + 1 < len(thresholds) else min(low + 15, 100)
    first, last = leaf.figures
    for _attempt in range(50):
        denominator = rng.randint(first, last)
        smallest = math.ceil(low * denominator / 100)
        if position + 1 == len(thresholds):
            largest = math.floor(high * denominator / 100)  # the top band includes its end
        else:
            largest = math.ceil(high * denominator / 100) - 1  # below the next threshold
        if smallest <= largest:
            numerator = rng.randint(smallest, largest)
            assert ratio_points(leaf.scale, numerator, denominator) == points
            return {"numerator": numerator, "denominator": denominator}
        first, last = first + 1, last + 5  # too few cases for this band: widen
    raise ValueError(f"no figures give {points} points on “{leaf.title}”")

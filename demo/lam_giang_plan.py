"""Where Lam Giang's 2025 season stands, unit by unit, and the figures behind it.

Pure data, no database: which state each unit has reached, how good its work is, what it
claims on each leaf, what the appraisal keeps, and how its survey respondents answered.
Every draw comes from a generator seeded with the unit's code, so the season is the same
on every machine and on every run.

The spread is that of a province part-way through appraisal (DOMAIN.md: appraisal
lowers scores; Tuyên Quang 2025 had its best department at 91 %, weak communes far
below): quality between about 0.66 and 0.94, departments a little ahead; a few units
still in draft (one of them given more time), many submitted, some in appraisal, some
appraised, and two sent back for explanation.
"""

import math
import random
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from demo.criteria_sets import Leaf
from demo.lam_giang import COMMUNES_BLOCK, DEPARTMENTS_BLOCK, WARDS_BLOCK

DRAFT, SUBMITTED, IN_APPRAISAL, RETURNED, APPRAISED = (
    "draft",
    "submitted",
    "in_appraisal",
    "returned",
    "appraised",
)
# How many units of each block stand at each step (in this order, over the shuffled units).
STANDING = {
    DEPARTMENTS_BLOCK: ((APPRAISED, 5), (RETURNED, 1), (IN_APPRAISAL, 3), (SUBMITTED, 3)),
    WARDS_BLOCK: ((APPRAISED, 12), (RETURNED, 1), (IN_APPRAISAL, 8), (SUBMITTED, 14)),
    COMMUNES_BLOCK: ((APPRAISED, 16), (IN_APPRAISAL, 12), (SUBMITTED, 24)),
}  # the rest of each block is still in draft
QUALITY = {DEPARTMENTS_BLOCK: (0.72, 0.94), WARDS_BLOCK: (0.68, 0.92), COMMUNES_BLOCK: (0.66, 0.9)}
SURVEY_ANSWERS = (
    ("A", "Rất hài lòng / Tốt", Decimal("100")),
    ("B", "Hài lòng / Khá", Decimal("60")),
    ("C", "Chưa hài lòng / Trung bình", Decimal("20")),
    ("D", "Không hài lòng / Kém", Decimal("0")),
)
TIERS = (("Nhóm A", "90"), ("Nhóm B", "80"), ("Nhóm C", "70"), ("Nhóm D", "0"))
EXTENSION_REASON = (
    "Đơn vị mới thành lập sau sắp xếp, đề nghị gia hạn để hoàn thiện hồ sơ kiểm chứng."
)
NA_REASON = "Đơn vị không có nhiệm vụ này trong năm 2025."


def _rng(*parts: str) -> random.Random:
    return random.Random("lam-giang-2025:" + ":".join(parts))  # noqa: S311 -- demo figures, seeded


def standings(units_by_block: dict[str, list[str]]) -> dict[str, str]:
    """Each unit's state by code: a fixed shuffle of each block, cut by STANDING."""
    states = {}
    for block, codes in units_by_block.items():
        order = sorted(codes)
        _rng(block).shuffle(order)
        cursor = 0
        for state, count in STANDING[block]:
            for code in order[cursor : cursor + count]:
                states[code] = state
            cursor += count
        for code in order[cursor:]:
            states[code] = DRAFT
    return states


def quality(block: str, code: str) -> float:
    low, high = QUALITY[block]
    return _rng(code, "quality").uniform(low, high)


@dataclass(frozen=True)
class Claim:
    """What the unit enters on one leaf."""

    points: Decimal | None = None
    level: str = ""
    numerator: int | None = None
    denominator: int | None = None
    not_applicable: bool = False
    explanation: str = ""


def _options(leaf: Leaf) -> list[tuple[Decimal, dict[str, str]]]:
    """A levels or ratio leaf's points, best first, with their scale entry."""
    return sorted(((Decimal(e["points"]), e) for e in leaf.scale), key=lambda o: -o[0])


def _band(fraction: float, count: int) -> int:
    """Which option (0 best) a unit of this fraction reaches."""
    if fraction >= 0.82:
        return 0
    if fraction >= 0.5 or count <= 2:
        return min(1, count - 1)
    return min(2, count - 1)


def claims(block: str, code: str, leaves: dict[str, Leaf], *, share: float = 1.0) -> dict:
    """The unit's self-assessment by leaf code; `share` of the leaves, in code order."""
    q = quality(block, code)
    rng = _rng(code, "claims")
    scored = [c for c, leaf in leaves.items() if leaf.method != "survey"]
    chosen = scored[: max(1, math.floor(len(scored) * share))]
    result = {}
    for leaf_code in chosen:
        leaf = leaves[leaf_code]
        fraction = min(1.0, max(0.0, rng.gauss(q + 0.06, 0.14)))  # units claim generously
        evidence = f"Tài liệu kiểm chứng: báo cáo số {rng.randint(10, 240)}/BC ngày "
        evidence += f"{rng.randint(1, 28):02d}/{rng.randint(9, 11):02d}/2025."
        if leaf.na_allowed and rng.random() < 0.12:
            result[leaf_code] = Claim(not_applicable=True)
        elif leaf.method == "direct":
            step = leaf.step or Decimal("0.25")
            raw = Decimal(str(fraction)) * leaf.max_points / step
            result[leaf_code] = Claim(
                points=raw.to_integral_value(ROUND_FLOOR) * step, explanation=evidence
            )
        elif leaf.method == "levels":
            options = _options(leaf)
            entry = options[_band(fraction, len(options))][1]
            result[leaf_code] = Claim(level=entry["label"], explanation=evidence)
        else:  # ratio: figures landing in the band the unit reaches
            options = _options(leaf)
            entry = options[_band(fraction, len(options))][1]
            denominator = rng.randint(*leaf.figures)
            share_met = Decimal(entry["min_percent"]) / 100
            numerator = math.ceil(denominator * share_met) if share_met else denominator // 3
            result[leaf_code] = Claim(
                numerator=min(numerator, denominator),
                denominator=denominator,
                explanation=evidence,
            )
    return result


def lowered(block: str, code: str, leaf_code: str, leaf: Leaf, claimed: Decimal) -> Decimal | None:
    """The appraised points where the appraisal lowers the claim, else None (accepted)."""
    rng = _rng(code, "appraisal", leaf_code)
    odds = 0.1 * leaf.loss_weight * (1.6 - quality(block, code))
    if claimed <= 0 or rng.random() >= odds:
        return None
    if leaf.method == "direct":
        step = leaf.step or Decimal("0.25")
        return max(Decimal(0), claimed - step * rng.randint(1, 2))
    lower = [points for points, _entry in _options(leaf) if points < claimed]
    return lower[0] if lower else None


def survey_counts(block: str, code: str, leaf_code: str, group: str) -> tuple[int, ...]:
    """How the unit's respondents answered A–D (the sample size of DOMAIN.md's surveys)."""
    rng = _rng(code, "survey", leaf_code)
    q = quality(block, code) + rng.gauss(0, 0.03)
    size = rng.randint(80, 140) if group.startswith("Người dân") else rng.randint(12, 30)
    a = min(0.95, max(0.2, q * 1.6 - 0.68))
    b, c = (1 - a) * 0.75, (1 - a) * 0.2
    counts = [round(size * a), round(size * b), round(size * c)]
    return (*counts, max(0, size - sum(counts)))

"""The scoring maths as pure functions over plain values: no database, Decimal only.

Rounding is stated here and in units.numbers. Points entered by people have
at most two decimals and are added exactly. A division (survey points, an index) is
carried to ten decimal places (`exact`), far beyond anything shown, so that a sum of
them does not depend on the order of addition and equal inputs give equal values.
`display_round` (defined with the other number formats in units.numbers, and
re-exported here) is the only rounding a reader sees: half up to two places, as the
published decisions show it. Ranks compare the unrounded values, so 90.024 and
90.018 keep distinct ranks.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TypeVar

from units.numbers import display_round as display_round  # re-exported
from units.numbers import to_decimal

K = TypeVar("K", bound=Hashable)

HUNDRED = Decimal("100")
ZERO = Decimal("0")
EXACT_PLACES = Decimal("1e-10")


def exact(value: Decimal) -> Decimal:
    """The internal precision of a divided value: ten decimal places."""
    return Decimal(value).quantize(EXACT_PLACES, rounding=ROUND_HALF_EVEN)


def _decimal(value: object, what: str) -> Decimal:
    number = to_decimal(value)
    if number is None:
        raise ValueError(f"{what} is not a number: {value!r}")
    return number


def level_points(scale: Iterable[Mapping[str, object]], label: str) -> Decimal:
    """The points of the level called `label` in a levels scale [{"label", "points"}]."""
    for entry in scale:
        if str(entry["label"]).strip() == label.strip():
            return _decimal(entry["points"], "level points")
    raise ValueError(f"no level {label!r} in the scale")


def ratio_points(
    scale: Iterable[Mapping[str, object]], numerator: object, denominator: object
) -> Decimal:
    """The points of the highest threshold [{"min_percent", "points"}] the ratio reaches.

    A ratio below every threshold earns 0. A ratio over nothing (denominator 0)
    is undefined rather than 0 or 100 %: the caller decides, usually "not applicable".
    """
    top = _decimal(denominator, "denominator")
    if top <= 0:
        raise ValueError("a ratio needs a positive denominator")
    percent = _decimal(numerator, "numerator") * HUNDRED / top
    best: tuple[Decimal, Decimal] | None = None
    for entry in scale:
        threshold = _decimal(entry["min_percent"], "threshold")
        if percent >= threshold and (best is None or threshold > best[0]):
            best = (threshold, _decimal(entry["points"], "threshold points"))
    return best[1] if best else ZERO


def pool_answer_counts(groups: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """The answer counts of several respondent groups added up, answer by answer."""
    pooled: dict[str, int] = {}
    for counts in groups:
        for code, count in counts.items():
            pooled[code] = pooled.get(code, 0) + int(count)
    return pooled


# The points a leaf counts for now, most authoritative first: its final points, else
# its appraised points, else the unit's own claim (before appraisal the results are a
# preview on self-assessed points). Named as Score's fields: leaf_points reads them in
# Python and scoring.models.counted_points_sql in the database, so the rule is one.
COUNTED_FIELDS = ("final_points", "appraised_points", "self_points")


def leaf_points(leaf: object) -> Decimal:
    """The points a leaf counts for: the first of COUNTED_FIELDS that is set, else 0.

    `leaf` is anything with those attributes (a Score, a plain record of one).
    """
    for name in COUNTED_FIELDS:
        value = getattr(leaf, name)
        if value is not None:
            return Decimal(value)
    return ZERO


def survey_points(
    max_points: Decimal,
    answer_counts: Mapping[str, int],
    weights_percent: Mapping[str, Decimal],
) -> Decimal:
    """max × Σ(count × weight) / (100 × Σ count), unrounded; 0 when nobody answered.

    Respondent groups are pooled (every answer counts the same): pass the counts
    of all groups through `pool_answer_counts` first.
    """
    respondents = 0
    weighted = ZERO
    for code, count in answer_counts.items():
        if count < 0:
            raise ValueError(f"negative count for answer {code!r}")
        if count == 0:
            continue
        if code not in weights_percent:
            raise ValueError(f"answer {code!r} has no weight in this campaign")
        respondents += count
        weighted += count * _decimal(weights_percent[code], "weight")
    if respondents == 0:
        return ZERO
    return exact(Decimal(max_points) * weighted / (HUNDRED * respondents))


def index_percent(points: Decimal, maximum: Decimal) -> Decimal:
    """points / maximum × 100, unrounded; 0 when nothing applies (maximum 0)."""
    if maximum == 0:
        return ZERO
    return exact(Decimal(points) * HUNDRED / Decimal(maximum))


def ranks(values: Mapping[K, Decimal]) -> dict[K, int]:
    """Competition ranks, highest first: equal values share a rank (1, 2, 2, 4).

    Only exactly equal values tie; callers must pass unrounded values.
    """
    ordered = sorted(values.values(), reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return {key: first_position[value] for key, value in values.items()}


@dataclass(frozen=True)
class Tier:
    name: str
    min_index: Decimal
    inclusive: bool = True

    def admits(self, index: Decimal) -> bool:
        return index >= self.min_index if self.inclusive else index > self.min_index


def tier_for(index: Decimal, tiers: Sequence[Tier]) -> str:
    """The name of the highest tier the index reaches, or "" below every tier."""
    for tier in sorted(tiers, key=lambda t: (t.min_index, not t.inclusive), reverse=True):
        if tier.admits(index):
            return tier.name
    return ""


@dataclass(frozen=True)
class AreaTotal:
    """Points and applicable maximum of one area (or criterion) of one unit."""

    code: str
    points: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class UnitTotal:
    scored_points: Decimal
    survey_points: Decimal
    deductions: Decimal
    bonus: Decimal
    applicable_max: Decimal

    @property
    def total(self) -> Decimal:
        """Scored + survey − deductions + bonus, never below 0 (DOMAIN.md)."""
        return max(ZERO, self.scored_points + self.survey_points - self.deductions + self.bonus)

    @property
    def index(self) -> Decimal:
        return index_percent(self.total, self.applicable_max)


def unit_total(
    *,
    scored: Iterable[AreaTotal],
    survey: Iterable[AreaTotal],
    deductions: Iterable[AreaTotal],
    bonus: Iterable[AreaTotal],
) -> UnitTotal:
    """A unit's total from its area sums; adjustments are capped by their area's maximum.

    `scored` and `survey` carry the applicable maximum (not-applicable leaves already
    left out); an adjustment area's maximum is the cap the framework sets on it.
    """
    scored, survey = list(scored), list(survey)
    return UnitTotal(
        scored_points=sum((a.points for a in scored), ZERO),
        survey_points=sum((a.points for a in survey), ZERO),
        deductions=sum((min(a.points, a.maximum) for a in deductions), ZERO),
        bonus=sum((min(a.points, a.maximum) for a in bonus), ZERO),
        applicable_max=sum((a.maximum for a in scored + survey), ZERO),
    )

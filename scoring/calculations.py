"""The scoring maths as pure functions over plain values: no database, Decimal only.

Rounding is stated once, here: every value keeps full Decimal precision (the
default context, 28 significant digits) until it is shown, and `display_round`
is the only rounding, half up to two places as the published decisions show it.
Ranks compare the unrounded values, so 90.024 and 90.018 keep distinct ranks.
"""

from collections.abc import Hashable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from scoring.frameworks import to_decimal

K = TypeVar("K", bound=Hashable)

HUNDRED = Decimal("100")
ZERO = Decimal("0")
CENT = Decimal("0.01")


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
    return Decimal(max_points) * weighted / (HUNDRED * respondents)


def index_percent(points: Decimal, maximum: Decimal) -> Decimal:
    """points / maximum × 100, unrounded; 0 when nothing applies (maximum 0)."""
    if maximum == 0:
        return ZERO
    return Decimal(points) * HUNDRED / Decimal(maximum)


def display_round(value: Decimal) -> Decimal:
    """The one display rounding: half up to two decimal places (81.325 → 81.33)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def ranks(values: Mapping[K, Decimal]) -> dict[K, int]:
    """Competition ranks, highest first: equal values share a rank (1, 2, 2, 4).

    Only exactly equal values tie; callers must pass unrounded values.
    """
    ordered = sorted(values.values(), reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return {key: first_position[value] for key, value in values.items()}

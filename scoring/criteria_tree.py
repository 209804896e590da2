"""Rules a criteria tree must follow, as pure functions over plain values.

The importer checks rows before anything is saved, the admin and models check
saved rows: both call these, so a rule is written once.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext as _

from units.numbers import localized, to_decimal

CODE_PATTERN = re.compile(r"^[1-9][0-9]*(\.[1-9][0-9]*){0,2}$")
MAX_DEPTH = 3
METHODS = ("direct", "levels", "ratio", "survey", "deduction", "bonus")
# Deductions (điểm trừ) and bonus points (điểm thưởng) adjust the total but are not
# part of the maximum: an area of them has as its maximum the cap of the adjustment.
ADJUSTMENTS = ("deduction", "bonus")


class Node(Protocol):
    code: str
    max_points: Decimal
    method: str


@dataclass(frozen=True)
class TreeProblem:
    code: str
    message: str
    # The field the problem is about ("code", "method" or "max_points"), so an
    # importer can point at the right column of the row holding `code`.
    field: str = "code"

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def parent_code(code: str) -> str | None:
    head, _sep, _tail = code.rpartition(".")
    return head or None


def tree_problems(nodes: list[Node]) -> list[TreeProblem]:
    """Codes well formed and unique, every parent present, maxima adding up.

    A deduction node (an area of điểm trừ and its leaves) may only hold deductions,
    a bonus node only bonuses, and the others only ordinary criteria, so each
    parent's maximum is the plain sum of its children's: for an adjustment it is
    the cap of what can be taken off or added.
    """
    problems: list[TreeProblem] = []
    by_code: dict[str, Node] = {}
    for node in nodes:
        if not CODE_PATTERN.match(node.code):
            problems.append(
                TreeProblem(
                    node.code,
                    _(
                        "the code must be numbers separated by dots, "
                        "at most three levels (e.g. 3.2.1)."
                    ),
                )
            )
            continue
        if node.code in by_code:
            problems.append(TreeProblem(node.code, _("this code appears more than once.")))
            continue
        by_code[node.code] = node

    children: dict[str, list[Node]] = {}
    for code, node in by_code.items():
        parent = parent_code(code)
        if parent is None:
            continue
        if parent not in by_code:
            problems.append(
                TreeProblem(code, _("its parent %(parent)s is missing.") % {"parent": parent})
            )
            continue
        children.setdefault(parent, []).append(node)

    for code, kids in children.items():
        parent = by_code[code]
        for kid in kids:
            if kind(kid.method) != kind(parent.method):
                problems.append(
                    TreeProblem(
                        kid.code,
                        _(
                            "deductions, bonus points and ordinary criteria cannot be "
                            "mixed under %(parent)s."
                        )
                        % {"parent": code},
                        field="method",
                    )
                )
        total = sum((kid.max_points for kid in kids), Decimal("0"))
        if total != parent.max_points:
            problems.append(
                TreeProblem(
                    code,
                    _("its maximum %(max)s is not the sum of its children's maxima (%(sum)s).")
                    % {"max": localized(parent.max_points), "sum": localized(total)},
                    field="max_points",
                )
            )
    return sorted(problems, key=lambda p: p.code)


def kind(method: str) -> str:
    """ "deduction", "bonus", or "scored" for every method that counts in the maximum."""
    return method if method in ADJUSTMENTS else "scored"


def leaf_scale_problems(
    *, method: str, max_points: Decimal | None, step: Decimal | None, scale: object
) -> list[str]:
    """What is wrong with a leaf's scoring rule; empty when it can be used."""
    if method not in METHODS:
        return [_("unknown scoring method “%(method)s”.") % {"method": method}]
    if max_points is None:
        return []
    problems: list[str] = []
    if method == "direct" and step:
        if max_points % step != 0:
            problems.append(
                _("the maximum %(max)s is not a multiple of the step %(step)s.")
                % {"max": localized(max_points), "step": localized(step)}
            )
    if method in ("levels", "ratio"):
        problems.extend(_scale_problems(method, max_points, scale))
    elif scale not in (None, [], ""):
        problems.append(_("only listed levels and ratios take a scale."))
    return problems


def _scale_problems(method: str, max_points: Decimal, scale: object) -> list[str]:
    key = "label" if method == "levels" else "min_percent"
    if not isinstance(scale, list) or len(scale) < 2:
        return [_("a scale needs at least two entries.")]
    problems: list[str] = []
    seen = set()
    for entry in scale:
        if not isinstance(entry, dict) or key not in entry or "points" not in entry:
            problems.append(_("each scale entry needs “%(key)s” and “points”.") % {"key": key})
            continue
        points = to_decimal(entry["points"])
        if points is None or not (0 <= points <= max_points):
            problems.append(
                _("scale points “%(points)s” must be between 0 and %(max)s.")
                % {"points": entry["points"], "max": localized(max_points)}
            )
        threshold = None
        if method == "ratio":
            threshold = to_decimal(entry[key])
            if threshold is None or not (0 <= threshold <= 100):
                problems.append(
                    _("threshold “%(value)s” must be a percentage between 0 and 100.")
                    % {"value": entry[key]}
                )
        marker = str(entry[key]).strip()
        # "80" and "80.0" are one threshold: ratio_points would take whichever came first.
        same = threshold if threshold is not None else marker
        if not marker:
            problems.append(_("a level needs a label."))
        elif same in seen:
            problems.append(_("“%(value)s” appears twice in the scale.") % {"value": marker})
        seen.add(same)
    return problems

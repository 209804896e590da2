"""The criteria rows of a framework workbook checked as a tree, before anything is saved."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from scoring.criteria_tree import leaf_scale_problems, parent_code, tree_problems
from scoring.exchange.framework_format import METHOD_LABELS, ReadRow, methods_text, parse_scale


@dataclass(frozen=True)
class _Node:
    code: str
    max_points: Decimal
    method: str


# Reports a problem of a read row: (row, field, message).
RowProblem = Callable[["ReadRow", str, str], None]


def check_tree(rows: list[ReadRow], row_problem: RowProblem) -> None:
    """The criteria read as a tree: unique codes, parents present, rules of parents and leaves."""
    # A row without a usable code belongs somewhere unknown: any row may be its parent,
    # so sums and "is this a leaf" are not judged until the code is corrected.
    shape_known = all(row.code is not None for row in rows)
    by_code: dict[str, ReadRow] = {}
    for row in rows:
        if row.code is None:
            continue
        if row.code in by_code:
            row_problem(
                row,
                "code",
                _("the code %(code)s is already used on row %(row)s.")
                % {"code": row.code, "row": by_code[row.code].row},
            )
            # The parent's sum cannot be judged while one of its children is ambiguous.
            if parent_code(row.code) in by_code:
                by_code[parent_code(row.code)].bad.add("max_points")
            row.code = None
            continue
        by_code[row.code] = row
    children: dict[str, list[ReadRow]] = {}
    for code, row in by_code.items():
        children.setdefault(parent_code(code) or "", []).append(row)
    # An orphan (its parent is missing) most likely has a mistyped code: the same doubt.
    shape_known = shape_known and all(
        parent_code(code) is None or parent_code(code) in by_code for code in by_code
    )

    # Deepest rows first, so a parent's method can be derived from its children's.
    for code in sorted(by_code, key=lambda c: -c.count(".")):
        row = by_code[code]
        kids = children.get(code, [])
        if kids:
            _check_parent(row, kids, row_problem)
        else:
            _check_leaf(row, shape_known, row_problem)

    # Unreadable values take a placeholder so the rest of the tree is still checked;
    # a rule that would only echo them is skipped below.
    unreliable_max = {
        code for code, row in by_code.items() if row.max_points is None or "max_points" in row.bad
    }
    unreliable_method = {
        code for code, row in by_code.items() if row.method is None or "method" in row.bad
    }
    nodes = [
        _Node(
            code,
            row.max_points if row.max_points is not None else Decimal(0),
            row.method or "direct",
        )
        for code, row in by_code.items()
    ]
    for problem in tree_problems(nodes):
        row = by_code[problem.code]
        if problem.field == "max_points" and (
            not shape_known
            or ({problem.code} | {kid.code for kid in children.get(problem.code, [])})
            & unreliable_max
        ):
            continue
        if problem.field == "method" and (
            {problem.code, parent_code(problem.code)} & unreliable_method
        ):
            continue
        row_problem(row, problem.field, problem.message)


def _check_parent(row: ReadRow, kids: list[ReadRow], row_problem: RowProblem) -> None:
    """A row with sub-criteria is not scored itself: only its maximum counts."""
    if row.method not in (None, "direct", "deduction"):
        row_problem(
            row,
            "method",
            _(
                "a row with sub-criteria is not scored itself: leave the method empty "
                "(or write “%(deduction)s” for an area of deductions)."
            )
            % {"deduction": METHOD_LABELS["deduction"]},
        )
    elif row.method is None and not row.method_text:
        kid_methods = {kid.method for kid in kids}
        row.method = "deduction" if kid_methods == {"deduction"} else "direct"
        if None in kid_methods:
            row.bad.add("method")
    for name, present in (("step", row.step is not None), ("scale", bool(row.scale_text))):
        if present:
            row_problem(
                row,
                name,
                _("a row with sub-criteria is not scored itself: leave this cell empty."),
            )


def _check_leaf(row: ReadRow, shape_known: bool, row_problem: RowProblem) -> None:
    if row.method is None:
        if not row.method_text and shape_known:
            row_problem(
                row,
                "method",
                _("a criterion without sub-criteria needs a scoring method: %(methods)s.")
                % {"methods": methods_text()},
            )
        return
    if row.step is not None and row.method != "direct":
        row_problem(
            row,
            "step",
            _("only criteria scored by “%(direct)s” take a step; leave this cell empty.")
            % {"direct": METHOD_LABELS["direct"]},
        )
    if row.method in ("levels", "ratio"):
        scale, scale_problems = parse_scale(row.method, row.scale_text)
        for message in scale_problems:
            row_problem(row, "scale", message)
        if scale_problems:
            return
        row.scale = scale
    if row.max_points is None:
        return
    if row.method == "direct" and "step" not in row.bad:
        for message in leaf_scale_problems(
            method=row.method, max_points=row.max_points, step=row.step, scale=[]
        ):
            row_problem(row, "step", message)
    # Methods without a scale get the text itself, so the rule says it has no place.
    scale = row.scale if row.method in ("levels", "ratio") else row.scale_text
    for message in leaf_scale_problems(
        method=row.method, max_points=row.max_points, step=None, scale=scale
    ):
        row_problem(row, "scale", message)

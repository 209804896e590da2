"""The checks of a units import that span units: years along the lineage, and circles.

They look at every unit as it will be once the file is imported: the portal's units
with the file's rows laid over them (Target), so a circle closed through a unit the file
does not list is found too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from scoring.exchange.units_xlsx import UnitRow

Problem = Callable[[int, str, str], None]  # (row, field, message) on sheet Đơn vị


@dataclass
class Target:
    """A unit as it will be once the file is imported, for the checks spanning units."""

    code: str
    parent: str
    active_from: int | None
    active_to: int | None
    predecessors: frozenset[str]
    row: int | None = None  # its row in the file, if it has one


def lineage_check(rows: list[UnitRow], targets: dict[str, Target], problem: Problem) -> None:
    """A predecessor ends before its successor begins; no unit comes from itself."""
    for row in rows:
        for code in row.predecessors:
            before = targets.get(code)
            if before is None or before.active_to is None or row.active_from is None:
                continue
            if before.active_to >= row.active_from:
                problem(
                    row.row,
                    "predecessors",
                    _(
                        "the predecessor “%(code)s” is active until %(to)s, not before "
                        "%(from)s when this unit begins: a predecessor ends before its "
                        "successor begins."
                    )
                    % {"code": code, "to": before.active_to, "from": row.active_from},
                )
    for name, follow in (
        ("predecessors", lambda target: target.predecessors),
        ("parent", lambda target: {target.parent} if target.parent else set()),
    ):
        for circle in circles(targets, follow):
            first = min(
                (targets[code] for code in circle if targets[code].row),
                key=lambda target: target.row,
                default=None,
            )
            if first is None:
                continue  # a circle of the portal's own, not the file's doing
            message = (
                _("the predecessors go round in a circle: %(circle)s.")
                if name == "predecessors"
                else _("the parent units go round in a circle: %(circle)s.")
            )
            problem(
                first.row,
                name,
                message % {"circle": " → ".join([*circle, circle[0]])},
            )


def circles(targets: dict[str, Target], follow) -> list[list[str]]:
    """Each circle of the graph once, as the codes along it (depth-first, iterative)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    circles, seen = [], set()
    for start in sorted(targets):
        if start in state:
            continue
        path: list[str] = []
        stack = [(start, iter(sorted(follow(targets[start]))))]
        state[start] = 1
        path.append(start)
        while stack:
            code, edges = stack[-1]
            step = next(edges, None)
            if step is None:
                stack.pop()
                path.pop()
                state[code] = 2
                continue
            if step not in targets:
                continue
            if state.get(step) == 1:
                circle = path[path.index(step) :]
                if frozenset(circle) not in seen:
                    seen.add(frozenset(circle))
                    circles.append(circle)
            elif step not in state:
                state[step] = 1
                path.append(step)
                stack.append((step, iter(sorted(follow(targets[step])))))
    return circles

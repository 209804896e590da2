"""A province's blocks and units from the units workbook: planned, shown, then written.

The staff page shows what an upload would create and change before anything is
written, and imports it once confirmed; `import_units` does the same in one go.
Units and blocks are matched on their code (any case), so a second upload of the same
file changes nothing and an edited one updates names and lineage without duplicating
a unit. Units the file does not list stay as they are: nothing is ever deleted. All
or nothing: a file with any problem writes nothing.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _

from scoring.exchange.problems import ImportProblem, rows_phrase
from scoring.exchange.units_xlsx import (
    BLOCK_SHEET,
    UNIT_SHEET,
    UnitRow,
    UnitsWorkbook,
    read_units_workbook,
    write_units_workbook,
)
from scoring.models import Assessment
from scoring.services.import_rows import ImportRefused, file_bytes, file_name
from units.models import Block, Province, Unit
from units.selectors import units_for_export

# Rows per INSERT or UPDATE statement when thousands of units come at once.
BATCH_SIZE = 500


class UnitsImportChanged(Exception):
    """The portal's units changed between the preview and its confirmation: nothing was
    written; `plan` is what the file would do now, to be shown again."""

    def __init__(self, plan: "UnitsImportPlan") -> None:
        super().__init__(
            _("The units changed since the preview: check what the file would do now.")
        )
        self.plan = plan


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass
class ProvincePlan:
    name: str
    issuing_body: str
    province: Province | None
    changes: list[Change]


@dataclass
class BlockPlan:
    code: str
    name: str
    short_name: str
    position: int
    block: Block | None  # None: created
    changes: list[Change]


@dataclass
class UnitPlan:
    row: UnitRow
    unit: Unit | None  # None: created
    changes: list[Change]


@dataclass
class UnitsImportPlan:
    """What the file creates and changes; everything else it lists is already so."""

    province: ProvincePlan | None
    blocks: list[BlockPlan]
    units: list[UnitPlan]
    unchanged: int  # units of the file already as it says
    untouched: int  # units of the portal the file does not list, left as they are
    digest: str = ""

    @property
    def blocks_created(self) -> list[BlockPlan]:
        return [plan for plan in self.blocks if plan.block is None]

    @property
    def blocks_changed(self) -> list[BlockPlan]:
        return [plan for plan in self.blocks if plan.block is not None]

    @property
    def units_created(self) -> list[UnitPlan]:
        return [plan for plan in self.units if plan.unit is None]

    @property
    def units_changed(self) -> list[UnitPlan]:
        return [plan for plan in self.units if plan.unit is not None]

    @property
    def nothing_to_do(self) -> bool:
        return self.province is None and not self.blocks and not self.units


def units_import_plan(*, file: bytes | BinaryIO) -> UnitsImportPlan:
    """What importing the file would do, writing nothing; ImportRefused names every problem."""
    planner = _Planner(read_units_workbook(file_bytes(file), name=file_name(file)), lock=False)
    return planner.plan()


@transaction.atomic
def units_import(*, file: bytes | BinaryIO, expected_digest: str | None = None) -> UnitsImportPlan:
    """Import the file, all or nothing, and return what it did.

    With `expected_digest` (the preview's), refuse with UnitsImportChanged when the file
    would now do something else than the preview showed. The caller checks the actor:
    the staff page is for staff only, the command for the operator of the server.
    """
    planner = _Planner(read_units_workbook(file_bytes(file), name=file_name(file)), lock=True)
    plan = planner.plan()
    if expected_digest is not None and plan.digest != expected_digest:
        raise UnitsImportChanged(plan)
    if not plan.nothing_to_do:
        planner.write(plan)
    return plan


def units_export() -> bytes:
    """Every unit of the portal in the import's format: edit it and import it back."""
    export = units_for_export()
    province = (export.province.name, export.province.issuing_body) if export.province else None
    return write_units_workbook(
        province=province,
        blocks=[(b.code, b.name, b.short_name, b.position) for b in export.blocks],
        units=[
            (
                unit.code,
                unit.name,
                unit.short_name,
                unit.block.code,
                unit.block.name,
                export.codes.get(unit.parent_id, ""),
                unit.active_from,
                unit.active_to,
                ", ".join(export.predecessor_codes(unit)),
            )
            for unit in export.units
        ],
    )


def _year(value: int | None) -> str:
    return str(value) if value is not None else "—"


def _codes(codes) -> str:
    return ", ".join(sorted(codes)) or "—"


@dataclass
class _Target:
    """A unit as it will be once the file is imported, for the checks spanning units."""

    code: str
    parent: str
    active_from: int | None
    active_to: int | None
    predecessors: frozenset[str]
    row: int | None = None  # its row in the file, if it has one


@dataclass
class _Planner:
    read: UnitsWorkbook
    lock: bool
    problems: list[ImportProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.problems = list(self.read.problems)
        units = Unit.objects.order_by()
        blocks = Block.objects.order_by()
        if self.lock:
            units, blocks = units.select_for_update(), blocks.select_for_update()
        self.blocks = {block.code.lower(): block for block in blocks}
        self.block_code_of = {block.pk: code for code, block in self.blocks.items()}
        self.units = {unit.code.lower(): unit for unit in units}
        self.code_of = {unit.pk: code for code, unit in self.units.items()}
        self.links: dict[int, dict[int, int]] = defaultdict(dict)  # unit → predecessor → link
        for pk, unit_id, predecessor_id in Unit.predecessors.through.objects.values_list(
            "pk", "from_unit_id", "to_unit_id"
        ):
            self.links[unit_id][predecessor_id] = pk

    # -- planning ---------------------------------------------------------------------

    def plan(self) -> UnitsImportPlan:
        province = self._plan_province()
        blocks, block_names = self._plan_blocks()
        self._check_references()
        targets = self._targets()
        self._check_lineage(targets)
        units, unchanged = self._plan_units(block_names)
        self._check_block_moves(units)
        if self.problems:
            raise ImportRefused(self.read.ordered(self.problems))
        listed = {row.code for row in self.read.units}
        plan = UnitsImportPlan(
            province=province,
            blocks=blocks,
            units=units,
            unchanged=unchanged,
            untouched=sum(1 for code in self.units if code not in listed),
        )
        plan.digest = _digest(plan)
        return plan

    def _problem(self, sheet: str, row: int | None, name: str, message: str) -> None:
        self.problems.append(self.read.problem(sheet, row, name, message))

    def _plan_province(self) -> ProvincePlan | None:
        row = self.read.province
        if row is None:
            return None
        province = Province.current()
        changes = [
            Change(label, before, after)
            for label, before, after in (
                (_("Name"), province.name if province else "", row.name),
                (_("Issuing body"), province.issuing_body if province else "", row.issuing_body),
            )
            if before != after
        ]
        if province is not None and not changes:
            return None
        return ProvincePlan(row.name, row.issuing_body, province, changes)

    def _plan_blocks(self) -> tuple[list[BlockPlan], dict[str, str]]:
        """Blocks the file creates or changes, and every block's name once imported."""
        plans: list[BlockPlan] = []
        names = {code: block.name for code, block in self.blocks.items()}
        on_sheet: set[str] = set()
        for ordinal, row in enumerate(self.read.blocks, start=1):
            block = self.blocks.get(row.code)
            position = row.position
            if position is None:
                position = block.position if block is not None else ordinal
            plan = BlockPlan(row.code, row.name, row.short_name, position, block, [])
            if block is not None:
                plan.changes = [
                    Change(label, str(before), str(after))
                    for label, before, after in (
                        (_("Name"), block.name, row.name),
                        (_("Short name"), block.short_name, row.short_name),
                        (_("Position"), block.position, position),
                    )
                    if before != after
                ]
            if block is None or plan.changes:
                plans.append(plan)
            names[row.code] = row.name
            on_sheet.add(row.code)
        plans += self._blocks_from_unit_rows(names, on_sheet, plans)
        return plans, names

    def _blocks_from_unit_rows(
        self, names: dict[str, str], on_sheet: set[str], plans_so_far: list[BlockPlan]
    ) -> list[BlockPlan]:
        """Blocks named only on the unit rows (Tên khối); one problem per block otherwise."""
        rows_of: dict[str, list[UnitRow]] = defaultdict(list)
        for row in self.read.units:
            rows_of[row.block].append(row)
        # Blocks named only on unit rows come after every other, in the order first met.
        position = max(
            [block.position for block in self.blocks.values()]
            + [plan.position for plan in plans_so_far]
            + [len(on_sheet)]
        )
        plans = []
        for code, rows in rows_of.items():
            written = sorted({row.block_name for row in rows if row.block_name})
            numbers = [row.row for row in rows]
            if code in names:
                where = _("on sheet %(sheet)s") % {"sheet": self._title(BLOCK_SHEET)}
                if code not in on_sheet:
                    where = _("in the portal")
                other = [name for name in written if name != names[code]]
                if other:
                    self._problem(
                        UNIT_SHEET,
                        rows[0].row,
                        "block_name",
                        _(
                            "the block “%(code)s” is named “%(name)s” %(where)s, not "
                            "“%(other)s” (%(rows)s): rename a block on sheet %(sheet)s."
                        )
                        % {
                            "code": code,
                            "name": names[code],
                            "where": where,
                            "other": "”, “".join(other),
                            "rows": rows_phrase(numbers),
                            "sheet": self._title(BLOCK_SHEET),
                        },
                    )
            elif code in self.read.block_codes:
                continue  # its row on sheet Khối was refused, with its own problem
            elif len(written) == 1:
                position += 1
                plans.append(BlockPlan(code, written[0], "", position, None, []))
                names[code] = written[0]
            elif written:
                self._problem(
                    UNIT_SHEET,
                    rows[0].row,
                    "block_name",
                    _("the block “%(code)s” is given several names: “%(names)s” (%(rows)s).")
                    % {"code": code, "names": "”, “".join(written), "rows": rows_phrase(numbers)},
                )
            else:
                self._problem(
                    UNIT_SHEET,
                    rows[0].row,
                    "block",
                    _(
                        "the block “%(code)s” is neither on sheet %(sheet)s nor in the portal "
                        "(%(rows)s): add it on sheet %(sheet)s with its code, name and "
                        "position, or write its name in column %(column)s."
                    )
                    % {
                        "code": code,
                        "sheet": self._title(BLOCK_SHEET),
                        "rows": rows_phrase(numbers),
                        "column": self.read.problem(UNIT_SHEET, None, "block_name", "").column,
                    },
                )
        return plans

    def _title(self, sheet: str) -> str:
        table = self.read.tables.get(sheet)
        return table.sheet if table is not None else sheet

    def _check_references(self) -> None:
        """Parents and predecessors name units of the file or of the portal: one problem
        per unknown code and column, naming its rows."""
        known = set(self.units) | self.read.unit_codes
        unknown: dict[tuple[str, str], list[int]] = defaultdict(list)
        for row in self.read.units:
            if row.parent and row.parent not in known:
                unknown[row.parent, "parent"].append(row.row)
            for code in row.predecessors:
                if code not in known:
                    unknown[code, "predecessors"].append(row.row)
        for (code, name), rows in unknown.items():
            self._problem(
                UNIT_SHEET,
                rows[0],
                name,
                _(
                    "there is no unit “%(code)s” in this file or in the portal (%(rows)s): "
                    "check the code, or add the unit on sheet %(sheet)s."
                )
                % {"code": code, "rows": rows_phrase(rows), "sheet": self._title(UNIT_SHEET)},
            )

    def _targets(self) -> dict[str, _Target]:
        """Every unit's parent, years and predecessors as they will be after the import."""
        targets = {
            code: _Target(
                code=code,
                parent=self.code_of.get(unit.parent_id, ""),
                active_from=unit.active_from,
                active_to=unit.active_to,
                predecessors=frozenset(self.code_of[pk] for pk in self.links.get(unit.pk, {})),
            )
            for code, unit in self.units.items()
        }
        for row in self.read.units:
            targets[row.code] = _Target(
                code=row.code,
                parent=row.parent,
                active_from=row.active_from,
                active_to=row.active_to,
                predecessors=frozenset(row.predecessors),
                row=row.row,
            )
        return targets

    def _check_lineage(self, targets: dict[str, _Target]) -> None:
        """A predecessor ends before its successor begins; no unit comes from itself."""
        for row in self.read.units:
            for code in row.predecessors:
                before = targets.get(code)
                if before is None or before.active_to is None or row.active_from is None:
                    continue
                if before.active_to >= row.active_from:
                    self._problem(
                        UNIT_SHEET,
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
            for circle in _circles(targets, follow):
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
                self._problem(
                    UNIT_SHEET,
                    first.row,
                    name,
                    message % {"circle": " → ".join([*circle, circle[0]])},
                )

    def _plan_units(self, block_names: dict[str, str]) -> tuple[list[UnitPlan], int]:
        plans, unchanged = [], 0
        for row in self.read.units:
            unit = self.units.get(row.code)
            if unit is None:
                plans.append(UnitPlan(row, None, []))
                continue
            predecessors = {self.code_of[pk] for pk in self.links.get(unit.pk, {})}
            changes = [
                Change(label, before, after)
                for label, before, after in (
                    (_("Name"), unit.name, row.name),
                    (_("Short name"), unit.short_name, row.short_name),
                    (_("Block"), self.block_code_of.get(unit.block_id, ""), row.block),
                    (
                        _("Parent unit"),
                        self.code_of.get(unit.parent_id, "") or "—",
                        row.parent or "—",
                    ),
                    (_("Active from"), _year(unit.active_from), _year(row.active_from)),
                    (_("Active to"), _year(unit.active_to), _year(row.active_to)),
                    (_("Predecessors"), _codes(predecessors), _codes(row.predecessors)),
                )
                if before != after
            ]
            if changes:
                plans.append(UnitPlan(row, unit, changes))
            else:
                unchanged += 1
        return plans, unchanged

    def _check_block_moves(self, plans: list[UnitPlan]) -> None:
        """A unit with assessments keeps its block: its frameworks and ranks are that block's."""
        moved = {
            plan.unit.pk: plan
            for plan in plans
            if plan.unit is not None and plan.row.block != self.block_code_of[plan.unit.block_id]
        }
        if not moved:
            return
        years: dict[int, set[int]] = defaultdict(set)
        for unit_id, year in Assessment.objects.filter(unit_id__in=list(moved)).values_list(
            "unit_id", "campaign__year"
        ):
            years[unit_id].add(year)
        for unit_id, unit_years in years.items():
            plan = moved[unit_id]
            self._problem(
                UNIT_SHEET,
                plan.row.row,
                "block",
                _(
                    "%(unit)s has assessments (%(years)s) in the block “%(block)s”, so its "
                    "block cannot change. A unit that moves to another block is a new unit "
                    "(a new code) with this one as its predecessor."
                )
                % {
                    "unit": plan.unit.name,
                    "years": ", ".join(str(year) for year in sorted(unit_years)),
                    "block": self.block_code_of[plan.unit.block_id],
                },
            )

    # -- writing ----------------------------------------------------------------------

    def write(self, plan: UnitsImportPlan) -> None:
        if plan.province is not None:
            province = plan.province.province or Province()
            province.name, province.issuing_body = plan.province.name, plan.province.issuing_body
            province.save()
        block_ids = self._write_blocks(plan.blocks)
        created = [
            Unit(
                code=p.row.code,
                name=p.row.name,
                short_name=p.row.short_name,
                block_id=block_ids[p.row.block],
                active_from=p.row.active_from,
                active_to=p.row.active_to,
            )
            for p in plan.units_created
        ]
        for unit in created:
            unit.refresh_search_text()
        Unit.objects.bulk_create(created, batch_size=BATCH_SIZE)
        unit_ids = {code.lower(): pk for code, pk in Unit.objects.values_list("code", "pk")}
        self._write_units(plan, block_ids, unit_ids)
        self._write_predecessors(plan, unit_ids)

    def _write_blocks(self, plans: list[BlockPlan]) -> dict[str, int]:
        for plan in plans:
            if plan.block is not None:
                plan.block.name, plan.block.short_name = plan.name, plan.short_name
                plan.block.position = plan.position
        Block.objects.bulk_update(
            [plan.block for plan in plans if plan.block is not None],
            ["name", "short_name", "position"],
        )
        Block.objects.bulk_create(
            [
                Block(code=p.code, name=p.name, short_name=p.short_name, position=p.position)
                for p in plans
                if p.block is None
            ]
        )
        return {code.lower(): pk for code, pk in Block.objects.values_list("code", "pk")}

    def _write_units(
        self, plan: UnitsImportPlan, block_ids: dict[str, int], unit_ids: dict[str, int]
    ) -> None:
        changed = []
        for unit_plan in plan.units_changed:
            unit, row = unit_plan.unit, unit_plan.row
            unit.name, unit.short_name = row.name, row.short_name
            unit.block_id = block_ids[row.block]
            unit.parent_id = unit_ids[row.parent] if row.parent else None
            unit.active_from, unit.active_to = row.active_from, row.active_to
            unit.refresh_search_text()
            changed.append(unit)
        Unit.objects.bulk_update(
            changed,
            ["name", "short_name", "search_text", "block", "parent", "active_from", "active_to"],
            batch_size=BATCH_SIZE,
        )
        # New units are written without their parent, which may be another new unit.
        parented = [
            Unit(pk=unit_ids[p.row.code], parent_id=unit_ids[p.row.parent])
            for p in plan.units_created
            if p.row.parent
        ]
        Unit.objects.bulk_update(parented, ["parent"], batch_size=BATCH_SIZE)

    def _write_predecessors(self, plan: UnitsImportPlan, unit_ids: dict[str, int]) -> None:
        through = Unit.predecessors.through
        removed, added = [], []
        for unit_plan in plan.units:
            unit_id = unit_ids[unit_plan.row.code]
            wanted = {unit_ids[code] for code in unit_plan.row.predecessors}
            current = self.links.get(unit_id, {})
            removed += [link for pk, link in current.items() if pk not in wanted]
            added += [
                through(from_unit_id=unit_id, to_unit_id=pk) for pk in wanted if pk not in current
            ]
        for start in range(0, len(removed), BATCH_SIZE):
            through.objects.filter(pk__in=removed[start : start + BATCH_SIZE]).delete()
        through.objects.bulk_create(added, batch_size=BATCH_SIZE)


def _circles(targets: dict[str, _Target], follow) -> list[list[str]]:
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


def _digest(plan: UnitsImportPlan) -> str:
    """A fingerprint of what the plan writes: the preview's must match the confirmation's."""
    writes = []
    if plan.province is not None:
        writes.append(["province", plan.province.name, plan.province.issuing_body])
    for block in plan.blocks:
        writes.append(["block", block.code, block.name, block.short_name, block.position])
    for unit in plan.units:
        row = unit.row
        writes.append(
            [
                "unit",
                row.code,
                unit.unit.pk if unit.unit else None,
                row.name,
                row.short_name,
                row.block,
                row.parent,
                row.active_from,
                row.active_to,
                sorted(row.predecessors),
            ]
        )
    return hashlib.sha256(json.dumps(writes, ensure_ascii=False).encode()).hexdigest()

"""What a units workbook would do to the portal: planned against what it holds, with
every problem found, before anything is written (scoring.services.units_import)."""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from scoring.exchange.problems import ImportProblem, rows_phrase
from scoring.exchange.units_xlsx import BLOCK_SHEET, UNIT_SHEET, UnitRow, UnitsWorkbook
from scoring.models import Assessment
from scoring.services.import_rows import ImportRefused
from scoring.services.units_lineage import Target, lineage_check
from units.models import Block, Province, Unit


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


def _year(value: int | None) -> str:
    return str(value) if value is not None else "—"


def _codes(codes) -> str:
    return ", ".join(sorted(codes)) or "—"


@dataclass
class UnitsPlanner:
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
        lineage_check(
            self.read.units,
            targets,
            lambda row, name, message: self._problem(UNIT_SHEET, row, name, message),
        )
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

    def _targets(self) -> dict[str, Target]:
        """Every unit's parent, years and predecessors as they will be after the import."""
        targets = {
            code: Target(
                code=code,
                parent=self.code_of.get(unit.parent_id, ""),
                active_from=unit.active_from,
                active_to=unit.active_to,
                predecessors=frozenset(self.code_of[pk] for pk in self.links.get(unit.pk, {})),
            )
            for code, unit in self.units.items()
        }
        for row in self.read.units:
            targets[row.code] = Target(
                code=row.code,
                parent=row.parent,
                active_from=row.active_from,
                active_to=row.active_to,
                predecessors=frozenset(row.predecessors),
                row=row.row,
            )
        return targets

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

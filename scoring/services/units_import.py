"""A province's blocks and units from the units workbook: planned, shown, then written.

The staff page shows what an upload would create and change before anything is
written, and imports it once confirmed; `import_units` does the same in one go.
Units and blocks are matched on their code (any case), so a second upload of the same
file changes nothing and an edited one updates names and lineage without duplicating
a unit. Units the file does not list stay as they are: nothing is ever deleted. All
or nothing: a file with any problem writes nothing.
"""

from typing import BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _

from scoring.exchange.units_xlsx import read_units_workbook, write_units_workbook
from scoring.services.import_rows import file_bytes, file_name
from scoring.services.units_plan import BlockPlan, UnitsImportPlan, UnitsPlanner
from units.models import Block, Province, Unit
from units.selectors import units_for_export

# Rows per INSERT or UPDATE statement when thousands of units come at once.
BATCH_SIZE = 500


class UnitsImportChanged(Exception):
    """The portal's units changed between the preview and its confirmation: nothing was
    written; `plan` is what the file would do now, to be shown again."""

    def __init__(self, plan: UnitsImportPlan) -> None:
        super().__init__(
            _("The units changed since the preview: check what the file would do now.")
        )
        self.plan = plan


def units_import_plan(*, file: bytes | BinaryIO) -> UnitsImportPlan:
    """What importing the file would do, writing nothing; ImportRefused names every problem."""
    planner = UnitsPlanner(read_units_workbook(file_bytes(file), name=file_name(file)), lock=False)
    return planner.plan()


@transaction.atomic
def units_import(*, file: bytes | BinaryIO, expected_digest: str | None = None) -> UnitsImportPlan:
    """Import the file, all or nothing, and return what it did.

    With `expected_digest` (the preview's), refuse with UnitsImportChanged when the file
    would now do something else than the preview showed. The caller checks the actor:
    the staff page is for staff only, the command for the operator of the server.
    """
    planner = UnitsPlanner(read_units_workbook(file_bytes(file), name=file_name(file)), lock=True)
    plan = planner.plan()
    if expected_digest is not None and plan.digest != expected_digest:
        raise UnitsImportChanged(plan)
    if not plan.nothing_to_do:
        _write(planner, plan)
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


def _write(planner: UnitsPlanner, plan: UnitsImportPlan) -> None:
    if plan.province is not None:
        province = plan.province.province or Province()
        province.name, province.issuing_body = plan.province.name, plan.province.issuing_body
        province.save()
    block_ids = _write_blocks(plan.blocks)
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
    _write_units(plan, block_ids, unit_ids)
    _write_predecessors(planner, plan, unit_ids)


def _write_blocks(plans: list[BlockPlan]) -> dict[str, int]:
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
    plan: UnitsImportPlan, block_ids: dict[str, int], unit_ids: dict[str, int]
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


def _write_predecessors(
    planner: UnitsPlanner, plan: UnitsImportPlan, unit_ids: dict[str, int]
) -> None:
    through = Unit.predecessors.through
    removed, added = [], []
    for unit_plan in plan.units:
        unit_id = unit_ids[unit_plan.row.code]
        wanted = {unit_ids[code] for code in unit_plan.row.predecessors}
        current = planner.links.get(unit_id, {})
        removed += [link for pk, link in current.items() if pk not in wanted]
        added += [
            through(from_unit_id=unit_id, to_unit_id=pk) for pk in wanted if pk not in current
        ]
    for start in range(0, len(removed), BATCH_SIZE):
        through.objects.filter(pk__in=removed[start : start + BATCH_SIZE]).delete()
    through.objects.bulk_create(added, batch_size=BATCH_SIZE)

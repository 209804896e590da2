"""Reads of units shared by views and templates: each one a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import F, Max, Prefetch, QuerySet

from units.access import user_roles
from units.models import Block, Membership, Province, Unit


def block_list() -> QuerySet[Block]:
    return Block.objects.all()


def unit_list(
    *, block: Block | None = None, year: int | None = None, text: str = ""
) -> QuerySet[Unit]:
    """Units filtered by block, active year and folded search text, in display order."""
    units = Unit.objects.select_related("block")
    if block is not None:
        units = units.filter(block=block)
    if year is not None:
        units = units.active_in(year)
    return units.search(text)


@dataclass(frozen=True)
class UnitDetail:
    unit: Unit
    predecessors: list[Unit]
    successors: list[Unit]
    children: list[Unit]
    memberships: list[Membership]
    assessments: list  # scoring.Assessment rows, newest campaign first


def unit_by_code(code: str) -> Unit | None:
    return Unit.objects.select_related("block").filter(code=code).first()


def unit_detail(code: str) -> UnitDetail | None:
    """A unit with its lineage, members and assessments; None when the code is unknown."""
    related_units = Unit.objects.select_related("block").order_by("name")
    unit = (
        Unit.objects.select_related("block", "parent")
        .prefetch_related(
            Prefetch("predecessors", queryset=related_units),
            Prefetch("successors", queryset=related_units),
            Prefetch("children", queryset=related_units),
        )
        .filter(code=code)
        .first()
    )
    if unit is None:
        return None
    memberships = unit.memberships.select_related("user").order_by("role", "user__username")
    # Assessments belong to the scoring app; reached through the reverse relation so
    # units does not import scoring. The computed result, when there is one, comes
    # along in the same query (a LEFT JOIN), for a link to the unit's results page.
    assessments = (
        unit.assessments.select_related("campaign", "framework")
        .annotate(
            result_index=F("result__index"),
            result_rank=F("result__rank"),
            result_is_final=F("result__is_final"),
        )
        .order_by("-campaign__year")
    )
    return UnitDetail(
        unit=unit,
        predecessors=list(unit.predecessors.all()),
        successors=list(unit.successors.all()),
        children=list(unit.children.all()),
        memberships=list(memberships),
        assessments=list(assessments),
    )


def member_units(user) -> list[Unit]:
    """The units a user edits or heads, read once per request and cached on the user.

    Each carries `latest_result_year`, the newest campaign with a computed result
    for it (None before any), so the navigation can link to its results page.
    """
    cached = getattr(user, "_cchc_member_units", None)
    if cached is not None:
        return cached
    roles = user_roles(user)
    units = (
        list(
            Unit.objects.filter(pk__in=roles.editor_of | roles.head_of)
            .annotate(latest_result_year=Max("results__campaign__year"))
            .order_by("name")
        )
        if roles.any_unit
        else []
    )
    if getattr(user, "is_authenticated", False):
        user._cchc_member_units = units
    return units


@dataclass(frozen=True)
class UnitsExport:
    """Every block and unit with the codes of their lineage: four queries."""

    province: Province | None
    blocks: list[Block]
    units: list[Unit]
    codes: dict[int, str]  # unit pk → code
    predecessors: dict[int, list[int]]  # unit pk → its predecessors' pks

    def predecessor_codes(self, unit: Unit) -> list[str]:
        return sorted(self.codes[pk] for pk in self.predecessors.get(unit.pk, []))


def units_for_export() -> UnitsExport:
    units = list(Unit.objects.select_related("block"))
    predecessors: dict[int, list[int]] = {}
    for unit_id, predecessor_id in Unit.predecessors.through.objects.values_list(
        "from_unit_id", "to_unit_id"
    ):
        predecessors.setdefault(unit_id, []).append(predecessor_id)
    return UnitsExport(
        province=Province.current(),
        blocks=list(Block.objects.all()),
        units=units,
        codes={unit.pk: unit.code for unit in units},
        predecessors=predecessors,
    )

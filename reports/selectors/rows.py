"""A published row as the public pages show it: its areas, and the table's area headings."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from reports.models import PublishedResult
from scoring import calculations as calc
from scoring.models import code_sort_key
from scoring.result_columns import scored_area_points

ZERO = Decimal("0")


@dataclass(frozen=True)
class AreaValue:
    code: str
    title: str
    points: Decimal
    max_points: Decimal

    @property
    def index(self) -> Decimal:
        return calc.index_percent(self.points, self.max_points)


@dataclass(frozen=True)
class PublicRow:
    """A frozen row with what pages derive from it: per-area points, changes on last year."""

    row: PublishedResult
    area_points: tuple[Decimal | None, ...] = ()

    def __getattr__(self, name: str):
        # The template reads the frozen fields (rank, index, tier...) through the wrapper.
        return getattr(self.row, name)

    @property
    def unit_code(self) -> str:
        # The unit's current code (for links), not the code frozen on the row.
        return self.row.unit.code


@dataclass(frozen=True)
class AreaHeading:
    code: str
    title: str


def area_headings(rows: Iterable[PublishedResult]) -> list[AreaHeading]:
    titles: dict[str, str] = {}
    for row in rows:
        for area in row.areas:
            titles.setdefault(area["code"], area["title"])
    return [AreaHeading(code, titles[code]) for code in sorted(titles, key=code_sort_key)]


def area_points(row: PublishedResult, headings: list[AreaHeading]) -> tuple:
    """Points per heading; None ("—") for an area the row lacks or has no scored criteria in."""
    by_code = {area["code"]: area for area in row.areas}
    return tuple(
        scored_area_points(by_code[h.code]) if h.code in by_code else None for h in headings
    )


def area_value(area: dict) -> AreaValue:
    return AreaValue(
        code=area["code"],
        title=area["title"],
        points=Decimal(str(area["points"])),
        max_points=Decimal(str(area["max"])),
    )

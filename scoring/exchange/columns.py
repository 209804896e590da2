"""How a reader finds a sheet's columns: the header spec, where to look for the header,
and the checks every cell of any workbook shares."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from scoring.exchange.workbook import (
    cell_text,
)

MAX_POINTS = Decimal("99999.99")

HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as the exporter writes it
    aliases: tuple[str, ...] = ()  # further accepted headers, e.g. the English key
    required: bool = False
    width: int = 14


def too_long(maximum: int, length: int) -> str:
    return _("too long: at most %(max)s characters, this has %(length)s.") % {
        "max": maximum,
        "length": length,
    }


def yes_no_problem(value: object) -> str:
    return _("write Có or Không, not “%(value)s”.") % {"value": cell_text(value)}

"""The framework workbook: sheet "Thông tin" (key/value rows), sheet "Tiêu chí" (a row per node).

The format is Vietnamese because the people who fill it in are; English keys are accepted
too. docs/formats.md describes it for them. Reading (framework_reader, framework_checks)
checks everything that can be checked without the database and collects every problem;
scoring.services.frameworks.framework_import adds the checks that need the database (the
block exists, the year is free) and writes."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from scoring.criteria_tree import parent_code
from scoring.exchange.columns import Column
from scoring.exchange.problems import ImportProblem
from scoring.exchange.workbook import (
    cell_decimal,
    cell_text,
    header_key,
    plain,
    plain_vi,
)

INFO_SHEET = "Thông tin"

CRITERIA_SHEET = "Tiêu chí"

INFO_SHEET_NAMES = (INFO_SHEET, "Info", "Information")

CRITERIA_SHEET_NAMES = (CRITERIA_SHEET, "Criteria")

# Limits of the model fields (scoring.models), checked here so the clerk hears about
# them with a row number instead of a database error.
MAX_CODE_LENGTH = 20

MAX_TITLE_LENGTH = 500

MAX_NAME_LENGTH = 300

MIN_YEAR, MAX_YEAR = 1990, 2100

# A real framework has 50–150 nodes; beyond this the file is most likely something else.
MAX_CRITERIA_ROWS = 2000

METHOD_LABELS = {
    "direct": "Chấm trực tiếp",
    "levels": "Theo mức",
    "ratio": "Tỷ lệ",
    "survey": "Điều tra XHH",
    "deduction": "Điểm trừ",
    "bonus": "Điểm thưởng",
}

_METHOD_ALIASES = {
    "direct": ("direct points", "cham diem truc tiep"),
    "levels": ("one of listed levels", "muc"),
    "ratio": ("ratio with thresholds", "ti le"),
    "survey": ("dieu tra xa hoi hoc", "dieu tra"),
    "deduction": ("tru diem",),
    "bonus": ("bonus points", "thuong diem", "diem cong"),
}

METHOD_BY_KEY = {
    header_key(text): method
    for method, label in METHOD_LABELS.items()
    for text in (method, label, *_METHOD_ALIASES[method])
}

COLUMNS = (
    Column("code", "Mã", ("code",), required=True, width=9),
    Column("title", "Nội dung", ("title",), required=True, width=60),
    Column("max_points", "Điểm tối đa", ("max_points", "max points"), required=True, width=11),
    Column("method", "Phương pháp", ("method",), required=True, width=16),
    Column("step", "Bước điểm", ("step",), width=10),
    Column("scale", "Thang điểm", ("scale",), width=42),
    Column("evidence_required", "Tài liệu kiểm chứng", ("evidence_required", "evidence")),
    Column("na_allowed", "Không áp dụng", ("na_allowed", "not applicable")),
    Column("guidance", "Hướng dẫn", ("guidance",), width=60),
)

COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}

COLUMN_BY_KEY = {
    header_key(text): column for column in COLUMNS for text in (column.header, *column.aliases)
}

INFO_KEYS = {
    "block": ("Khối", ("block", "block code", "ma khoi")),
    "year": ("Năm", ("year",)),
    "name": ("Tên bộ tiêu chí", ("name", "ten")),
    "source_decision": ("Văn bản ban hành", ("source decision",)),
    "illustrative": ("Minh họa", ("illustrative",)),
}

INFO_BY_KEY = {
    header_key(text): key
    for key, (label, aliases) in INFO_KEYS.items()
    for text in (label, *aliases)
}

# ">=80%=0,5": an optional ">=" or "≥", a percentage, an optional "%".
THRESHOLD = re.compile(r"^(?:>=|≥)?\s*(?P<value>[0-9]+(?:[.,][0-9]+)?)\s*%?$")


@dataclass(frozen=True)
class FrameworkInfo:
    """The "Thông tin" sheet. `rows` maps a key to its row and label, to point at it later."""

    block: str = ""
    year: int | None = None
    name: str = ""
    source_decision: str = ""
    illustrative: bool = False
    rows: dict[str, tuple[int, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class CriterionRow:
    """One node of the tree as read, with its scale already in the stored form."""

    row: int
    code: str
    title: str
    max_points: Decimal
    method: str
    step: Decimal | None
    scale: list[dict[str, str]]
    evidence_required: bool
    na_allowed: bool
    guidance: str

    @property
    def parent_code(self) -> str | None:
        return parent_code(self.code)


@dataclass
class FrameworkWorkbook:
    """What a workbook holds, and every problem found in it; criteria is empty if any."""

    info: FrameworkInfo
    criteria: list[CriterionRow]
    problems: list[ImportProblem]
    info_sheet: str = INFO_SHEET
    criteria_sheet: str = CRITERIA_SHEET

    def info_problem(self, key: str, message: str) -> ImportProblem:
        """A problem about an entry of "Thông tin", pointing at its row when it has one."""
        row, label = self.info.rows.get(key, (None, INFO_KEYS[key][0]))
        return ImportProblem(sheet=self.info_sheet, row=row, column=label, message=message)

    def has_info_problem(self, key: str) -> bool:
        row, label = self.info.rows.get(key, (None, INFO_KEYS[key][0]))
        return any(
            p.sheet == self.info_sheet and p.row == row and p.column == label for p in self.problems
        )

    def ordered(self, problems: Iterable[ImportProblem]) -> list[ImportProblem]:
        """The file's problems first, then sheet by sheet, row by row."""
        rank = {"": 0, self.info_sheet: 1, self.criteria_sheet: 2}
        return sorted(problems, key=lambda p: (rank.get(p.sheet, 3), p.row or 0))


def methods_text() -> str:
    return ", ".join(METHOD_LABELS.values())


@dataclass
class ReadRow:
    """A row of "Tiêu chí" while it is being checked: values may still be missing."""

    row: int
    code: str | None = None
    title: str = ""
    max_points: Decimal | None = None
    method_text: str = ""
    method: str | None = None
    step: Decimal | None = None
    scale_text: str = ""
    scale: list[dict[str, str]] = field(default_factory=list)
    evidence_required: bool = False
    na_allowed: bool = False
    guidance: str = ""
    bad: set[str] = field(default_factory=set)  # fields that already have a problem


def parse_scale(method: str, text: str) -> tuple[list[dict[str, str]], list[str]]:
    """The stored scale of a "levels" or "ratio" leaf from its text, and what is wrong with it.

    Levels: "Đúng hạn=1; Trễ hạn=0,5; Không thực hiện=0" → [{"label", "points"}].
    Ratio: ">=100%=1; >=80%=0,5; >=0%=0" → [{"min_percent", "points"}].
    """
    scale: list[dict[str, str]] = []
    problems: list[str] = []
    for entry in (part.strip() for part in re.split(r"[;\n]", text)):
        if not entry:
            continue
        # The last "=" separates the points, so ">=80%=0,5" splits after "80%".
        marker, sep, points_text = (part.strip() for part in entry.rpartition("="))
        threshold = THRESHOLD.match(marker) if method == "ratio" else None
        if not sep or not marker or not points_text or (method == "ratio" and not threshold):
            if method == "ratio":
                message = _(
                    "“%(entry)s” should be written as >=percentage%%=points, e.g. >=80%%=0,5."
                )
            else:
                message = _("“%(entry)s” should be written as level=points, e.g. Đúng hạn=1.")
            problems.append(message % {"entry": entry})
            continue
        points = cell_decimal(points_text)
        if points is None:
            problems.append(
                _("in “%(entry)s”, “%(points)s” is not a number.")
                % {"entry": entry, "points": points_text}
            )
            continue
        if threshold:
            percent = cell_decimal(threshold.group("value"))
            scale.append({"min_percent": plain(percent), "points": plain(points)})
        else:
            scale.append({"label": marker, "points": plain(points)})
    return scale, problems


def format_scale(method: str, scale: object) -> str:
    """The text a clerk reads and types for a stored scale; parse_scale reads it back."""
    if method not in ("levels", "ratio") or not isinstance(scale, list):
        return ""
    entries = []
    for entry in scale:
        if not isinstance(entry, dict):
            continue
        points = vi_text(entry.get("points"))
        if method == "levels":
            entries.append(f"{entry.get('label', '')}={points}")
        else:
            entries.append(f">={vi_text(entry.get('min_percent'))}%={points}")
    return "; ".join(entries)


def vi_text(value: object) -> str:
    number = cell_decimal(value)
    return plain_vi(number) if number is not None else cell_text(value)

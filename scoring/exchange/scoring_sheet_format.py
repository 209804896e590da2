"""The unit's scoring sheet (phiếu chấm điểm): one workbook per assessment, out and back in.

Sheet "Thông tin" says which assessment the file belongs to (year, unit code), so a
sheet uploaded into another unit's or another year's assessment is refused. Sheet
"Chấm điểm" lists the framework's criteria: the columns describing a criterion are
locked (the sheet is protected, without a password: it guards against slips, and the
import checks every cell anyway), the unit's entries are white and editable. A
hidden sheet "Danh sách" holds the levels offered by each drop-down.

Reading (scoring_sheet_reader) checks only what the file alone can tell (sheets, header,
readable cells); scoring.services.sheet_import judges the values against the criteria and
writes.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring.exchange.columns import Column
from scoring.exchange.framework_format import format_scale
from scoring.exchange.tables import RowReader
from scoring.exchange.workbook import (
    header_key,
    plain_vi,
)
from scoring.models import Criterion

INFO_SHEET = "Thông tin"

SCORES_SHEET = "Chấm điểm"

LISTS_SHEET = "Danh sách"

INFO_SHEET_NAMES = (INFO_SHEET, "Info", "Information")

SCORES_SHEET_NAMES = (SCORES_SHEET, "Scores", "Scoring")

INFO_KEYS = {
    "year": ("Năm", ("year",)),
    "unit_code": ("Mã đơn vị", ("unit code", "unit")),
    "unit_name": ("Đơn vị", ("unit name",)),
    "framework": ("Bộ tiêu chí", ("framework",)),
    "downloaded_at": ("Tải về lúc", ("downloaded at",)),
}

INFO_BY_KEY = {
    header_key(text): key
    for key, (label, aliases) in INFO_KEYS.items()
    for text in (label, *aliases)
}

INSTRUCTIONS = (
    "Chỉ nhập vào các ô nền trắng của trang “Chấm điểm”: Điểm tự chấm (tiêu chí chấm trực "
    "tiếp, điểm trừ, điểm thưởng), Mức đạt (chọn trong danh sách), Tử số và Mẫu số (tiêu chí "
    "tính theo tỷ lệ), Không áp dụng và lý do, Giải trình. Không đổi tên trang tính và không "
    "sửa cột Mã. Tệp chỉ tải lên được cho đúng đơn vị và năm ghi ở trên; nếu có ô sai, "
    "không ô nào được lưu và mọi lỗi được liệt kê."
)

# The columns describing a criterion come first and are locked; the unit's entries follow.
COLUMNS = (
    Column("code", "Mã", ("code",), required=True, width=9),
    Column("title", "Nội dung", ("title",), width=48),
    Column("max_points", "Điểm tối đa", ("max points", "max_points"), width=9),
    Column("method", "Phương pháp", ("method",), width=14),
    Column("scale", "Cách chấm", ("scale", "thang diem"), width=36),
    Column("evidence_required", "Tài liệu kiểm chứng", ("evidence required",), width=11),
    Column("na_allowed", "Được không áp dụng", ("na allowed", "may be not applicable"), width=11),
    Column("points", "Điểm tự chấm", ("points", "self points"), required=True, width=10),
    Column("level", "Mức đạt", ("level",), required=True, width=22),
    Column("numerator", "Tử số", ("numerator",), required=True, width=9),
    Column("denominator", "Mẫu số", ("denominator",), required=True, width=9),
    Column("not_applicable", "Không áp dụng", ("not applicable", "n/a"), required=True, width=10),
    Column("na_reason", "Lý do không áp dụng", ("na reason",), required=True, width=28),
    Column("explanation", "Giải trình", ("explanation",), required=True, width=40),
)

COLUMN_INDEX = {column.field: index for index, column in enumerate(COLUMNS, start=1)}

INPUTS = (
    "points",
    "level",
    "numerator",
    "denominator",
    "not_applicable",
    "na_reason",
    "explanation",
)

# Which input holds the figures of each method; the others stay empty on its rows.
SCORED_BY = {
    Criterion.Method.DIRECT: ("points",),
    Criterion.Method.DEDUCTION: ("points",),
    Criterion.Method.BONUS: ("points",),
    Criterion.Method.LEVELS: ("level",),
    Criterion.Method.RATIO: ("numerator", "denominator"),
    Criterion.Method.SURVEY: (),
}

FIGURES = ("points", "level", "numerator", "denominator")


@dataclass
class SelfCells:
    """The self-assessment cells of a row, typed; `filled` and `bad` name input fields."""

    points: Decimal | None = None
    level: str = ""
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    not_applicable: bool | None = None  # None: the cell is empty
    na_reason: str = ""
    explanation: str = ""
    filled: frozenset[str] = frozenset()
    bad: frozenset[str] = frozenset()


def read_self_cells(reader: RowReader, names: Sequence[str] = INPUTS) -> SelfCells:
    present = [name for name in names if name in reader.record.cells]
    cells = SelfCells(
        points=reader.points("points") if "points" in present else None,
        level=reader.text("level") if "level" in present else "",
        numerator=reader.number("numerator") if "numerator" in present else None,
        denominator=reader.number("denominator") if "denominator" in present else None,
        not_applicable=reader.yes_no("not_applicable") if "not_applicable" in present else None,
        na_reason=reader.text("na_reason") if "na_reason" in present else "",
        explanation=reader.text("explanation") if "explanation" in present else "",
    )
    cells.filled = frozenset(name for name in present if reader.filled(name))
    cells.bad = frozenset(reader.bad)
    return cells


@dataclass(frozen=True)
class SheetIdentity:
    """Which assessment a sheet belongs to, as written on "Thông tin"."""

    year: int
    unit_code: str
    unit_name: str
    framework_name: str


def scale_text(criterion: Criterion) -> str:
    """How a leaf is scored, written out for the unit: its range, levels or thresholds."""
    maximum = plain_vi(criterion.max_points)
    method = criterion.method
    if method == Criterion.Method.DIRECT:
        step = f", bước {plain_vi(criterion.step)}" if criterion.step else ""
        return f"Từ 0 đến {maximum} điểm{step}"
    if method == Criterion.Method.DEDUCTION:
        return f"Số điểm bị trừ, từ 0 đến {maximum}"
    if method == Criterion.Method.BONUS:
        return f"Số điểm thưởng, từ 0 đến {maximum}"
    if method == Criterion.Method.LEVELS:
        return format_scale(method, criterion.scale)
    if method == Criterion.Method.RATIO:
        return f"{format_scale(method, criterion.scale)} (tỷ lệ = tử số / mẫu số)"
    return "Tính từ kết quả điều tra xã hội học, không nhập ở đây"


def sheet_filename(identity: SheetIdentity) -> str:
    """An ASCII file name: cham-diem-so-gddt-2025.xlsx."""
    code = re.sub(r"[^a-z0-9-]+", "-", identity.unit_code.lower()).strip("-")
    return f"cham-diem-{code or 'don-vi'}-{identity.year}.xlsx"

"""Framework workbooks built in tests: rows in, .xlsx bytes out; snapshots of what is stored."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from copy import deepcopy
from io import BytesIO

from openpyxl import Workbook

from scoring.models import Criterion, Framework

HEADER = [
    "Mã",
    "Nội dung",
    "Điểm tối đa",
    "Phương pháp",
    "Bước điểm",
    "Thang điểm",
    "Tài liệu kiểm chứng",
    "Không áp dụng",
    "Hướng dẫn",
]

INFO = [
    ("Khối", "so"),
    ("Năm", 2025),
    ("Tên bộ tiêu chí", "Bộ tiêu chí Chỉ số CCHC cấp sở năm 2025"),
    ("Văn bản ban hành", "Quyết định số 1294/QĐ-UBND"),
    ("Minh họa", "Có"),
]

# Excel row numbers in the comments: the header is row 1.
ROWS = [
    ["1", "Công tác chỉ đạo, điều hành CCHC", 4, None, None, None, "Không", "Không", None],  # 2
    ["1.1", "Kế hoạch CCHC năm", 3, None, None, None, None, None, None],  # 3
    [
        "1.1.1",
        "Ban hành kế hoạch CCHC đúng thời hạn",
        1,
        "Theo mức",
        None,
        "Đúng hạn=1; Trễ hạn=0,5; Không ban hành=0",
        "Có",
        "Không",
        "Kế hoạch ban hành trước ngày 15/12 năm trước.",
    ],  # 4
    [
        "1.1.2",
        "Mức độ hoàn thành kế hoạch CCHC",
        2,
        "Tỷ lệ",
        None,
        ">=100%=2; >=80%=1; >=0%=0",
        "Có",
        "Không",
        None,
    ],  # 5
    ["1.2", "Tuyên truyền CCHC", 1, "Chấm trực tiếp", 0.25, None, "Có", "Có", None],  # 6
    ["2", "Mức độ hài lòng của người dân", 2, None, None, None, None, None, None],  # 7
    [
        "2.1",
        "Hài lòng về thủ tục hành chính",
        "2",
        "Điều tra XHH",
        None,
        None,
        None,
        None,
        None,
    ],  # 8
    ["3", "Điểm trừ", 1, None, None, None, None, None, None],  # 9
    ["3.1", "Bị cấp có thẩm quyền phê bình", "1", "Điểm trừ", None, None, None, None, None],  # 10
]
# Tuples, so a test cannot change them for the tests that follow: use changed().
ROWS = tuple(tuple(row) for row in ROWS)


def xlsx(
    *,
    info: Sequence[Sequence[object]] | None = INFO,
    rows: Sequence[Sequence[object]] | None = ROWS,
    header: Sequence[object] = HEADER,
    info_sheet: str = "Thông tin",
    criteria_sheet: str = "Tiêu chí",
) -> bytes:
    """A workbook with the given sheets; None leaves a sheet out."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    if info is not None:
        sheet = workbook.create_sheet(info_sheet)
        for entry in info:
            sheet.append(list(entry))
    if rows is not None:
        sheet = workbook.create_sheet(criteria_sheet)
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
    if not workbook.sheetnames:
        workbook.create_sheet("Sheet1")
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def changed(rows: Sequence[Sequence[object]] = ROWS, **cells: object) -> list[list[object]]:
    """A copy of `rows` with cells replaced, named like `r4_max_points=...` (Excel row 4)."""
    fields = [
        "code",
        "title",
        "max_points",
        "method",
        "step",
        "scale",
        "evidence_required",
        "na_allowed",
        "guidance",
    ]
    result = [list(row) for row in deepcopy(rows)]
    for name, value in cells.items():
        row, field = name[1:].split("_", 1)
        result[int(row) - 2][fields.index(field)] = value
    return result


def info_with(**values: object) -> list[tuple[str, object]]:
    """INFO with entries replaced by label, e.g. info_with(Năm=2024)."""
    return [(label, values.get(label, value)) for label, value in INFO]


def stored() -> tuple[list, list]:
    """Everything the import could have touched, to compare before and after."""
    return (
        list(Framework.objects.order_by("pk").values_list()),
        list(Criterion.objects.order_by("pk").values_list()),
    )


@contextmanager
def nothing_written() -> Iterator[None]:
    before = stored()
    yield
    assert stored() == before


def tree(framework: Framework) -> list[tuple]:
    """A framework's tree as comparable values, in code order."""
    return [
        (
            c.code,
            c.parent.code if c.parent else None,
            c.title,
            c.max_points,
            c.method,
            c.step,
            c.scale,
            c.evidence_required,
            c.na_allowed,
            c.guidance,
        )
        for c in framework.criteria_in_order().select_related("parent")
    ]

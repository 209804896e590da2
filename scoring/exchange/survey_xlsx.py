"""Survey results (kết quả điều tra xã hội học): answer counts per unit, criterion and group.

One row per unit, survey criterion and respondent group; one column per answer code
of the campaign (A, B, C, D…) holding how many respondents gave that answer. Any
other column must be one of the few known ones (unit name, criterion title, total,
note): a stray header is taken for a mistyped answer and refused, since counts
under it would silently be lost.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from django.utils.translation import gettext as _

from scoring.exchange.columns import HEADER_SEARCH_ROWS, Column, too_long
from scoring.exchange.problems import ImportProblem
from scoring.exchange.tables import (
    MAX_TABLE_ROWS,
    RowReader,
    TableFile,
    pick_sheet,
    read_table,
    write_table,
)
from scoring.exchange.workbook import header_key, is_blank, open_workbook
from scoring.models import SurveyResult

SHEET = "Điều tra"
SHEET_NAMES = (SHEET, "Khảo sát", "Survey")
MAX_GROUP_LENGTH = SurveyResult._meta.get_field("respondent_group").max_length

COLUMNS = (
    Column("unit_code", "Mã đơn vị", ("unit code", "unit"), required=True, width=14),
    Column("unit_name", "Tên đơn vị", ("unit name",), width=30),
    Column("code", "Mã tiêu chí", ("criterion code", "criterion"), required=True, width=11),
    Column("title", "Nội dung", ("criterion title", "title"), width=30),
    Column("group", "Nhóm đối tượng", ("respondent group", "group"), required=True, width=24),
    Column("total", "Tổng số phiếu", ("total",), width=10),
    Column("note", "Ghi chú", ("note",), width=20),
)


@dataclass(frozen=True)
class SurveyRow:
    row: int
    unit_code: str
    code: str
    group: str
    counts: dict[str, int]  # by the campaign's answer code


@dataclass
class SurveyFile(TableFile):
    COLUMNS: ClassVar[Sequence[Column]] = COLUMNS
    SHEET: ClassVar[str] = SHEET

    rows: list[SurveyRow] = field(default_factory=list)


def read_survey_file(data: bytes, answer_codes: Sequence[str], *, name: str = "") -> SurveyFile:
    """Read a survey file against the campaign's answer codes; lists every problem."""
    result = SurveyFile()
    workbook, problems = open_workbook(
        data, name=name, max_rows=MAX_TABLE_ROWS + HEADER_SEARCH_ROWS
    )
    if workbook is None:
        result.problems = problems
        return result
    try:
        sheet = pick_sheet(workbook, SHEET_NAMES, result.problems)
        if sheet is not None:
            result.table = read_table(sheet, COLUMNS, result.problems, keep_others=True)
            answers = _answer_columns(result, answer_codes)
            if answers:
                _read_rows(result, answers)
    finally:
        workbook.close()
    result.problems = result.ordered(result.problems)
    return result


def _answer_columns(result: SurveyFile, answer_codes: Sequence[str]) -> dict[int, str]:
    """Column index → answer code, for the headers that are neither known columns nor blank."""
    table = result.table
    if table.header_row is None:
        return {}
    codes = {header_key(code): code for code in answer_codes}
    answers: dict[int, str] = {}
    unusable = False
    for index, header in table.other_headers.items():
        code = codes.get(header_key(header))
        if code is None:
            unusable = True
            result.problems.append(
                ImportProblem(
                    sheet=table.sheet,
                    row=table.header_row,
                    column=header,
                    message=_("unknown answer “%(answer)s”: this campaign's answers are %(codes)s.")
                    % {"answer": header, "codes": ", ".join(answer_codes)},
                )
            )
        elif code in answers.values():
            unusable = True
            result.problems.append(
                ImportProblem(
                    sheet=table.sheet,
                    row=table.header_row,
                    column=header,
                    message=_("this column appears twice."),
                )
            )
        else:
            answers[index] = code
    if not answers and not unusable:
        result.problems.append(
            ImportProblem(
                sheet=table.sheet,
                row=table.header_row,
                column="",
                message=_("no answer columns: add one column per answer, headed %(codes)s.")
                % {"codes": ", ".join(answer_codes)},
            )
        )
    return answers


def _read_rows(result: SurveyFile, answers: dict[int, str]) -> None:
    table = result.table
    seen: dict[tuple[str, str, str], int] = {}
    for record in table.records:
        if all(is_blank(record.others.get(index)) for index in answers) and is_blank(
            record.cells.get("total")
        ):
            # A row of the template left as it was (no count at all): nothing to import.
            continue
        reader = RowReader(table, COLUMNS, record, result.problems)
        unit_code = reader.text("unit_code")
        code = reader.text("code")
        code = code[:-1] if code.endswith(".") else code
        group = reader.text("group")
        if not unit_code:
            reader.problem("unit_code", _("the unit code is missing."))
        if not code:
            reader.problem("code", _("the code is missing."))
        if len(group) > MAX_GROUP_LENGTH:
            reader.problem("group", too_long(MAX_GROUP_LENGTH, len(group)))
        counts: dict[str, int] = {}
        for index, answer in answers.items():
            count = reader.count(record.others.get(index), table.other_headers[index])
            if count is not None:
                counts[answer] = count
        if "total" in record.cells and reader.filled("total"):
            _check_total(reader, counts, len(answers))
        # A row with an unreadable count is still checked (its unit, its criterion), so
        # every problem is named at once; nothing is written while any remains.
        if not (unit_code and code):
            continue
        key = (unit_code.lower(), code, group)
        if key in seen:
            reader.problem(
                "group",
                _("unit %(unit)s, criterion %(code)s, group “%(group)s” is already on row %(row)s.")
                % {"unit": unit_code, "code": code, "group": group, "row": seen[key]},
            )
            continue
        seen[key] = record.row
        result.rows.append(
            SurveyRow(row=record.row, unit_code=unit_code, code=code, group=group, counts=counts)
        )


def _check_total(reader: RowReader, counts: dict[str, int], answer_count: int) -> None:
    """A total written beside the counts must be their sum: it catches a mistyped count."""
    total = reader.count(reader.record.cells.get("total"), reader.table.header("total", COLUMNS))
    if total is None or len(counts) != answer_count:
        return
    if total != sum(counts.values()):
        reader.problem(
            "total",
            _("the total %(total)s is not the sum of the answers (%(sum)s).")
            % {"total": total, "sum": sum(counts.values())},
        )


def write_survey_file(answer_codes: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """A survey file: unit code, unit name, code, title, group, then one column per answer."""
    columns = [COLUMNS[0], COLUMNS[1], COLUMNS[2], COLUMNS[3], COLUMNS[4]]
    columns += [Column(f"answer_{code}", code, width=7) for code in answer_codes]
    return write_table(SHEET, columns, rows)

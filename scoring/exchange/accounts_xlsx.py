"""The accounts workbook: a province's officers, their unit and role, in one sheet.

One row per account and unit (an officer of two units has two rows, with the same name
and address), or per account and province-wide group. This module reads what the file
says on its own; cchc_portal.accounts.services.account_import judges it against the
portal. It lives with the other workbook formats: only scoring holds the workbook
machinery, and the accounts app may use scoring (units may not).
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from scoring.exchange.columns import HEADER_SEARCH_ROWS, Column, too_long
from scoring.exchange.problems import rows_phrase
from scoring.exchange.tables import (
    MAX_TABLE_ROWS,
    RowReader,
    TableFile,
    pick_sheet,
    read_table,
    write_table,
)
from scoring.exchange.units_xlsx import CODE_PATTERN, code_problem
from scoring.exchange.workbook import header_key, open_workbook
from units.models import APPRAISER_GROUP, STAFF_GROUP, Membership

SHEET = "Tài khoản"
SHEET_NAMES = (SHEET, "Accounts")

COLUMNS = (
    Column("username", "Tên đăng nhập", ("username",), required=True, width=20),
    Column("full_name", "Họ và tên", ("full name",), required=True, width=26),
    Column("email", "Thư điện tử", ("email", "e-mail"), required=True, width=32),
    Column("unit_code", "Mã đơn vị", ("unit code", "unit"), width=18),
    Column("unit_name", "Tên đơn vị", ("unit name",), width=34),
    Column("role", "Vai trò", ("role",), width=18),
    Column("group", "Nhóm", ("group",), width=16),
)

# What a clerk may write for a unit role or a group, folded (no case, no accents).
ROLE_WORDS = {
    "editor": Membership.Role.EDITOR,
    "unit editor": Membership.Role.EDITOR,
    "can bo nhap lieu": Membership.Role.EDITOR,
    "nhap lieu": Membership.Role.EDITOR,
    "head": Membership.Role.HEAD,
    "unit head": Membership.Role.HEAD,
    "thu truong": Membership.Role.HEAD,
    "thu truong don vi": Membership.Role.HEAD,
    "lanh dao": Membership.Role.HEAD,
}
GROUP_WORDS = {
    "appraiser": APPRAISER_GROUP,
    "tham dinh": APPRAISER_GROUP,
    "thanh vien tham dinh": APPRAISER_GROUP,
    "staff": STAFF_GROUP,
    "so noi vu": STAFF_GROUP,
    "can bo so noi vu": STAFF_GROUP,
}
ROLE_CHOICES = "Cán bộ nhập liệu (editor), Thủ trưởng (head)"
GROUP_CHOICES = "Thẩm định (appraiser), Sở Nội vụ (staff)"

# Django's own username rule in ASCII: a username typed with Vietnamese accents is
# typed differently on every keyboard.
USERNAME_PATTERN = re.compile(r"^[a-z0-9.@+_-]+\Z")
USERNAME_MAX = 150
NAME_MAX = 150
EMAIL_MAX = 254
UNIT_CODE_MAX = 40


@dataclass(frozen=True)
class AccountRow:
    row: int
    username: str
    full_name: str
    email: str
    unit_code: str
    role: str  # a Membership.Role value, or "" with no unit
    group: str  # APPRAISER_GROUP, STAFF_GROUP or ""


@dataclass
class AccountsFile(TableFile):
    COLUMNS = COLUMNS
    SHEET = SHEET

    rows: list[AccountRow] = field(default_factory=list)


def read_accounts_file(data: bytes, *, name: str = "") -> AccountsFile:
    """Read the sheet; every problem of the file itself is listed, none raised."""
    result = AccountsFile()
    workbook, problems = open_workbook(
        data, name=name, max_rows=MAX_TABLE_ROWS + HEADER_SEARCH_ROWS
    )
    if workbook is None:
        result.problems = problems
        return result
    try:
        sheet = pick_sheet(workbook, SHEET_NAMES, result.problems)
        if sheet is not None:
            result.table = read_table(sheet, COLUMNS, result.problems)
            for record in result.table.records:
                row = _read_row(RowReader(result.table, COLUMNS, record, result.problems))
                if row is not None:
                    result.rows.append(row)
            _check_across_rows(result)
    finally:
        workbook.close()
    result.problems = result.ordered(result.problems)
    return result


def _read_row(reader: RowReader) -> AccountRow | None:
    username = reader.text("username").lower()
    if not username:
        reader.problem("username", _("the username is missing."))
    elif not USERNAME_PATTERN.match(username):
        reader.problem(
            "username",
            _(
                "“%(value)s” is not a username: use letters without accents, digits and "
                ". @ + - _ (for example nguyenvana.snv)."
            )
            % {"value": reader.text("username")},
        )
    elif len(username) > USERNAME_MAX:
        reader.problem("username", too_long(USERNAME_MAX, len(username)))
    full_name = " ".join(reader.text("full_name").split())
    if not full_name:
        reader.problem("full_name", _("the name is missing."))
    elif any(len(part) > NAME_MAX for part in full_name.rsplit(" ", 1)):
        reader.problem("full_name", too_long(NAME_MAX, len(full_name)))
    email = reader.text("email")
    _check_email(reader, email)
    unit_code = reader.text("unit_code").lower()
    if unit_code and not CODE_PATTERN.match(unit_code):
        reader.problem("unit_code", code_problem(reader.text("unit_code")))
    elif len(unit_code) > UNIT_CODE_MAX:
        reader.problem("unit_code", too_long(UNIT_CODE_MAX, len(unit_code)))
    role = _choice(reader, "role", ROLE_WORDS, ROLE_CHOICES)
    group = _choice(reader, "group", GROUP_WORDS, GROUP_CHOICES)
    if unit_code and not reader.filled("role"):
        reader.problem(
            "role", _("write the role in this unit: %(roles)s.") % {"roles": ROLE_CHOICES}
        )
    elif reader.filled("role") and not reader.filled("unit_code"):
        reader.problem("unit_code", _("a role needs the code of its unit."))
    elif not reader.filled("unit_code") and not reader.filled("group"):
        reader.problem(
            "unit_code",
            _("this row gives no role: write a unit code and a role, or a group (%(groups)s).")
            % {"groups": GROUP_CHOICES},
        )
    if reader.bad:
        return None
    return AccountRow(reader.row, username, full_name, email, unit_code, role, group)


def _check_email(reader: RowReader, email: str) -> None:
    if not email:
        reader.problem("email", _("the e-mail address is missing: the invitation goes there."))
        return
    if len(email) > EMAIL_MAX:
        reader.problem("email", too_long(EMAIL_MAX, len(email)))
        return
    try:
        validate_email(email)
    except ValidationError:
        reader.problem("email", _("“%(value)s” is not an e-mail address.") % {"value": email})


def _choice(reader: RowReader, name: str, words: dict[str, str], choices: str) -> str:
    if not reader.filled(name):
        return ""
    value = words.get(header_key(reader.text(name)))
    if value is None:
        reader.problem(
            name,
            _("“%(value)s” is not one of %(choices)s.")
            % {"value": reader.text(name), "choices": choices},
        )
        return ""
    return value


def _check_across_rows(result: AccountsFile) -> None:
    """One person, one name and address; one role per unit; one account per address."""
    by_username: dict[str, list[AccountRow]] = defaultdict(list)
    for row in result.rows:
        by_username[row.username].append(row)
    kept: list[AccountRow] = []
    refused: set[str] = set()
    for username, rows in by_username.items():
        for name, values in (
            ("full_name", {row.full_name for row in rows}),
            ("email", {row.email.lower() for row in rows}),
        ):
            if len(values) > 1:
                refused.add(username)
                result.problems.append(
                    result.problem(
                        rows[1].row,
                        name,
                        _("the account “%(username)s” is written differently on %(rows)s.")
                        % {"username": username, "rows": rows_phrase([r.row for r in rows])},
                    )
                )
        units: dict[str, int] = {}
        for row in rows:
            if row.unit_code and row.unit_code in units:
                refused.add(username)
                result.problems.append(
                    result.problem(
                        row.row,
                        "unit_code",
                        _(
                            "the account “%(username)s” already has a role in “%(unit)s” "
                            "on row %(row)s."
                        )
                        % {
                            "username": username,
                            "unit": row.unit_code,
                            "row": units[row.unit_code],
                        },
                    )
                )
            units.setdefault(row.unit_code, row.row)
    owners: dict[str, set[str]] = defaultdict(set)
    first_row: dict[str, int] = {}
    for row in result.rows:
        owners[row.email.lower()].add(row.username)
        first_row.setdefault(row.email.lower(), row.row)
    for email, usernames in owners.items():
        if len(usernames) > 1:
            refused |= usernames
            result.problems.append(
                result.problem(
                    first_row[email],
                    "email",
                    _("the address %(email)s is given to several accounts: %(usernames)s.")
                    % {"email": email, "usernames": ", ".join(sorted(usernames))},
                )
            )
    kept = [row for row in result.rows if row.username not in refused]
    result.rows = kept


def write_accounts_file(rows: Iterable[Sequence[object]]) -> bytes:
    """The accounts sheet: its headers, then the rows (the template and the sample)."""
    return write_table(SHEET, COLUMNS, rows)

"""import_units and export_units: the operator's way in and out, all or nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.scoring.units_workbooks import DEPARTMENTS, unit, units_file
from units.models import Block, Unit

pytestmark = pytest.mark.django_db

FILE = units_file(
    unit("so-nv", "Sở Nội vụ"),
    unit("so-tc", "Sở Tài chính"),
    blocks=(DEPARTMENTS,),
    province=("Hòa Giang", "Ủy ban nhân dân tỉnh Hòa Giang"),
)


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_checks_everything_and_writes_nothing(tmp_path, english):
    path = tmp_path / "units.xlsx"
    path.write_bytes(FILE)
    out, _err = run("import_units", str(path), "--dry-run")
    assert out.splitlines() == [
        "Dry run: the file is valid and nothing was written.",
        "Province: Hòa Giang (Ủy ban nhân dân tỉnh Hòa Giang).",
        "Blocks: 1 created, 0 changed.",
        "Units: 2 created, 0 changed, 0 already so; not in the file, left as they are: 0.",
    ]
    assert Unit.objects.count() == 0 and Block.objects.count() == 0


def test_importing_then_editing_prints_what_changed(tmp_path, english):
    path = tmp_path / "units.xlsx"
    path.write_bytes(FILE)
    run("import_units", str(path))
    path.write_bytes(units_file(unit("so-nv", "Sở Nội vụ tỉnh Hòa Giang"), blocks=()))
    out, _err = run("import_units", str(path))
    assert "  so-nv: Name: Sở Nội vụ → Sở Nội vụ tỉnh Hòa Giang" in out.splitlines()
    assert Unit.objects.count() == 2


def test_a_refused_file_prints_every_problem_and_fails(tmp_path, english):
    path = tmp_path / "units.xlsx"
    path.write_bytes(units_file(unit("so-nv", "Sở Nội vụ", "xa")))
    with pytest.raises(CommandError, match="1 problem; nothing was imported"):
        run("import_units", str(path))
    assert Unit.objects.count() == 0


def test_an_unreadable_file_is_named(tmp_path, english):
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_units", str(tmp_path / "missing.xlsx"))


def test_the_export_imports_back_as_it_is(tmp_path, english):
    source = tmp_path / "units.xlsx"
    source.write_bytes(FILE)
    run("import_units", str(source))
    exported = tmp_path / "export.xlsx"
    out, _err = run("export_units", "-o", str(exported))
    assert out.strip() == f"Wrote 2 units to {exported}."
    out, _err = run("import_units", str(exported), "--dry-run")
    assert "Units: 0 created, 0 changed, 2 already so;" in out

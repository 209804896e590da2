from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from scoring.models import Framework
from scoring.services.frameworks import framework_import
from tests.factories import make_block, make_framework
from tests.scoring.workbooks import changed, nothing_written, tree, xlsx


@pytest.fixture
def block(db):
    return make_block(code="so", name="Sở, ban, ngành")


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "khung-2025.xlsx"
    path.write_bytes(xlsx())
    return path


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_reports_the_framework_its_counts_and_maximum(block, good_file, english):
    out, _err = run("import_framework", str(good_file), "--year", "2025", "--block", "so")
    assert out.strip() == (
        "Bộ tiêu chí Chỉ số CCHC cấp sở năm 2025 (Sở, ban, ngành, 2025): 9 criteria, "
        "5 of them scored, at most 6 points."
    )
    assert Framework.objects.get(year=2025, block=block).criteria.count() == 9


def test_a_dry_run_checks_everything_and_writes_nothing(block, good_file, english):
    with nothing_written():
        out, _err = run(
            "import_framework", str(good_file), "--year", "2025", "--block", "so", "--dry-run"
        )
    assert out.startswith("Dry run: the file is valid and nothing was written.\n")
    assert "9 criteria, 5 of them scored" in out


def test_a_dry_run_still_sees_the_database_problems(block, good_file, english):
    make_framework(year=2025, block=block)
    with nothing_written(), pytest.raises(CommandError):
        run("import_framework", str(good_file), "--year", "2025", "--block", "so", "--dry-run")


def test_a_bad_file_prints_every_problem_and_fails(block, tmp_path, english):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx(rows=changed(r4_max_points="x", r6_method="?")))
    err = StringIO()
    with nothing_written(), pytest.raises(CommandError) as caught:
        call_command(
            "import_framework",
            str(path),
            "--year",
            "2025",
            "--block",
            "so",
            stdout=StringIO(),
            stderr=err,
        )
    assert str(caught.value) == "The file was refused because of 2 problems; nothing was imported."
    assert err.getvalue().splitlines() == [
        "Tiêu chí, row 4, column Điểm tối đa: “x” is not a number.",
        "Tiêu chí, row 6, column Phương pháp: unknown method “?”: use one of "
        "Chấm trực tiếp, Theo mức, Tỷ lệ, Điều tra XHH, Điểm trừ, Điểm thưởng.",
    ]


def test_replace_is_passed_through(block, good_file):
    existing = make_framework(year=2025, block=block)
    run("import_framework", str(good_file), "--year", "2025", "--block", "so", "--replace")
    assert Framework.objects.get().pk == existing.pk
    assert existing.criteria.count() == 9


def test_a_missing_file_is_a_clear_error(block, tmp_path, english):
    with pytest.raises(CommandError, match="Cannot read .*nowhere.xlsx: No such file"):
        run("import_framework", str(tmp_path / "nowhere.xlsx"), "--year", "2025", "--block", "so")


def test_export_writes_a_file_that_imports_back(block, tmp_path, english):
    framework = framework_import(file=xlsx(), year=2025, block_code="so")
    before = tree(framework)
    target = tmp_path / "out.xlsx"

    out, _err = run("export_framework", "--year", "2025", "--block", "so", "-o", str(target))

    assert out.strip() == (
        f"Wrote 9 criteria of “Bộ tiêu chí Chỉ số CCHC cấp sở năm 2025” to {target}."
    )
    framework.delete()
    assert tree(framework_import(file=target.read_bytes())) == before


def test_export_names_the_file_after_block_and_year_by_default(block, tmp_path, monkeypatch):
    make_framework(year=2016, block=block)
    monkeypatch.chdir(tmp_path)
    run("export_framework", "--year", "2016", "--block", "so")
    assert (tmp_path / "bo-tieu-chi-so-2016.xlsx").stat().st_size > 0


def test_export_of_a_missing_framework_fails(block, english):
    with pytest.raises(CommandError, match="There is no framework for the block “so” in 2030."):
        run("export_framework", "--year", "2030", "--block", "so")


def test_clone_copies_a_year_to_another(block, english):
    source = make_framework(year=2015, block=block, leaves=3)
    out, _err = run("clone_framework", "--from-year", "2015", "--to-year", "2016", "--block", "so")
    clone = Framework.objects.get(year=2016, block=block)
    assert clone.cloned_from == source and not clone.locked
    assert out.strip() == (
        "Copied “Bộ tiêu chí 2015” to 2016: 4 criteria, unlocked, as “Bộ tiêu chí 2016”."
    )


def test_clone_onto_an_existing_year_fails_and_writes_nothing(block, english):
    make_framework(year=2015, block=block)
    make_framework(year=2016, block=block)
    with (
        nothing_written(),
        pytest.raises(CommandError, match="A framework for Sở, ban, ngành in 2016 already exists."),
    ):
        run("clone_framework", "--from-year", "2015", "--to-year", "2016", "--block", "so")


def test_clone_of_a_missing_year_fails(block, english):
    with pytest.raises(CommandError, match="There is no framework for the block “so” in 2015."):
        run("clone_framework", "--from-year", "2015", "--to-year", "2016", "--block", "so")

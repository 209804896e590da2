from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scoring.exchange.framework_writer import export_filename
from scoring.models import Criterion, Framework
from scoring.services.frameworks import framework_export, framework_import
from tests.factories import make_block, make_framework
from tests.scoring.workbooks import tree, xlsx

SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "samples" / "framework-sample.xlsx"


@pytest.fixture
def block(db):
    return make_block(code="so", name="Sở, ban, ngành")


def reimported(framework: Framework) -> Framework:
    """Export, delete, import again: what a clerk gets back from the file."""
    data = framework_export(framework=framework)
    year, code = framework.year, framework.block.code
    framework.delete()
    return framework_import(file=data, year=year, block_code=code)


def snapshot(framework: Framework) -> tuple:
    info = (
        framework.year,
        framework.block_id,
        framework.name,
        framework.source_decision,
        framework.illustrative,
    )
    return info, tree(framework)


def test_export_then_import_gives_back_the_same_framework_with_every_method(block):
    framework = framework_import(file=xlsx(), year=2025, block_code="so")
    before = snapshot(framework)
    assert snapshot(reimported(framework)) == before


def test_a_factory_framework_round_trips(block):
    framework = make_framework(year=2016, block=block, leaves=3, leaf_max="2.5")
    before = snapshot(framework)
    assert snapshot(reimported(framework)) == before


def test_text_that_looks_like_a_formula_stays_text(block):
    framework = make_framework(year=2016, block=block)
    Criterion.objects.filter(framework=framework, code="1.1").update(
        title="=1+1 không phải công thức", guidance='=HYPERLINK("http://x")\ndòng hai'
    )
    again = reimported(framework)
    leaf = again.criteria.get(code="1.1")
    assert leaf.title == "=1+1 không phải công thức"
    assert leaf.guidance == '=HYPERLINK("http://x")\ndòng hai'


def test_the_workbook_reads_as_a_clerk_expects(block):
    framework = framework_import(file=xlsx(), year=2025, block_code="so")
    workbook = load_workbook(BytesIO(framework_export(framework=framework)))

    assert workbook.sheetnames == ["Thông tin", "Tiêu chí"]
    info = {row[0]: row[1] for row in workbook["Thông tin"].iter_rows(values_only=True)}
    assert info == {
        "Khối": "so",
        "Năm": 2025,
        "Tên bộ tiêu chí": "Bộ tiêu chí Chỉ số CCHC cấp sở năm 2025",
        "Văn bản ban hành": "Quyết định số 1294/QĐ-UBND",
        "Minh họa": "Có",
    }
    rows = list(workbook["Tiêu chí"].iter_rows(values_only=True))
    assert rows[0] == (
        "Mã",
        "Nội dung",
        "Điểm tối đa",
        "Phương pháp",
        "Bước điểm",
        "Thang điểm",
        "Tài liệu kiểm chứng",
        "Không áp dụng",
        "Hướng dẫn",
    )
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["1"][3] is None  # an ordinary area is not scored: no method
    assert by_code["3"][3] == "Điểm trừ"
    assert by_code["1.1.1"][3:6] == ("Theo mức", None, "Đúng hạn=1; Trễ hạn=0,5; Không ban hành=0")
    assert by_code["1.1.2"][5] == ">=100%=2; >=80%=1; >=0%=0"
    assert by_code["1.2"][2:5] == (1, "Chấm trực tiếp", 0.25)
    assert by_code["1.2"][6:8] == ("Có", "Có")


def test_the_file_name_is_plain_ascii(block):
    framework = make_framework(year=2016, block=block)
    assert export_filename(framework) == "bo-tieu-chi-so-2016.xlsx"


def test_the_documented_sample_imports_cleanly_into_an_empty_portal(block):
    # The demo's departments framework drafted for 2017 (demo.samples; tests/demo checks
    # that it is current): it imports without the demo too.
    framework = framework_import(file=SAMPLE.read_bytes(), year=2017, block_code="so")

    assert framework.consistency_problems() == []
    assert framework.illustrative
    methods = set(framework.criteria.values_list("method", flat=True))
    assert methods == {"direct", "levels", "ratio", "survey"}
    assert framework.criteria.filter(parent__isnull=True).count() == 8
    assert framework.criteria.filter(code__regex=r"^\d+\.\d+\.\d+$").exists()
    assert framework.max_points == Decimal("100")
    before = snapshot(framework)
    assert snapshot(reimported(framework)) == before

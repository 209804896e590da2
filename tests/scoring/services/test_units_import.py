"""A province's blocks and units from a workbook: planned, then written all or nothing,
matched on their code so an upload can run again; every problem named once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.services.import_rows import ImportRefused
from scoring.services.units_import import (
    UnitsImportChanged,
    units_export,
    units_import,
    units_import_plan,
)
from tests.factories import make_assessment, make_block, make_campaign, make_framework, make_unit
from tests.scoring.province_sample import SAMPLES, UNITS_SAMPLE, check_sample, units_sample
from tests.scoring.units_workbooks import DEPARTMENTS, WARDS, raw_workbook, unit, units_file
from units.models import Block, Province, Unit

pytestmark = pytest.mark.django_db

PROVINCE = ("Hòa Giang", "Ủy ban nhân dân tỉnh Hòa Giang")


def messages(error: ImportRefused) -> list[str]:
    return [str(problem) for problem in error.problems]


def refused(file: bytes) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        units_import(file=file)
    return messages(caught.value)


def predecessors(code: str) -> list[str]:
    return sorted(Unit.objects.get(code=code).predecessors.values_list("code", flat=True))


def snapshot() -> tuple:
    return (
        list(Province.objects.values_list("name", "issuing_body")),
        list(Block.objects.order_by("code").values_list("code", "name", "short_name", "position")),
        list(
            Unit.objects.order_by("code").values_list(
                "code", "name", "short_name", "block__code", "parent__code", "active_from",
                "active_to",
            )
        ),
        sorted(Unit.predecessors.through.objects.values_list("from_unit__code", "to_unit__code")),
    )  # fmt: skip


MERGER = units_file(
    unit("tp-hoa-giang", "Thành phố Hòa Giang", "huyen", block_name="UBND cấp huyện",
         active_to=2024),
    unit("p-1", "Phường 1", "phuong", parent="tp-hoa-giang", active_to=2024),
    unit("p-2", "Phường 2", "phuong", parent="tp-hoa-giang", active_to=2024),
    unit("p-trung-tam", "Phường Trung Tâm", "phuong", short_name="P. Trung Tâm",
         active_from=2025, predecessors="p-1, p-2"),
    unit("so-nv", "Sở Nội vụ", short_name="Sở NV"),
    blocks=(DEPARTMENTS, WARDS),
    province=PROVINCE,
)  # fmt: skip


# -- creating and updating -------------------------------------------------------------


def test_a_first_import_creates_the_province_blocks_units_and_lineage():
    plan = units_import(file=MERGER)
    assert [b.code for b in plan.blocks_created] == ["so", "phuong", "huyen"]
    assert len(plan.units_created) == 5 and plan.units_changed == []
    assert Province.current().name == "Hòa Giang"
    huyen = Block.objects.get(code="huyen")
    # A block named only on the unit rows comes after those of sheet Khối.
    assert (huyen.name, huyen.position) == ("UBND cấp huyện", 3)
    ward = Unit.objects.get(code="p-trung-tam")
    assert (ward.name, ward.short_name, ward.block.code) == (
        "Phường Trung Tâm",
        "P. Trung Tâm",
        "phuong",
    )
    assert (ward.active_from, ward.active_to) == (2025, None)
    assert predecessors("p-trung-tam") == ["p-1", "p-2"]
    assert Unit.objects.get(code="p-1").parent.code == "tp-hoa-giang"
    # Written in bulk, yet searchable as save() makes them.
    assert list(Unit.objects.search("trung tam").values_list("code", flat=True)) == ["p-trung-tam"]


def test_the_same_file_again_changes_nothing_and_duplicates_nothing():
    units_import(file=MERGER)
    before = snapshot()
    plan = units_import_plan(file=MERGER)
    assert plan.nothing_to_do and plan.unchanged == 5
    units_import(file=MERGER)
    assert snapshot() == before


def test_an_edited_file_updates_names_and_lineage_matched_on_the_code_in_any_case():
    units_import(file=MERGER)
    edited = units_file(
        unit("P-TRUNG-TAM", "Phường Trung Tâm Hòa Giang", "phuong", active_from=2025,
             predecessors="p-1"),
        blocks=(),
    )  # fmt: skip
    plan = units_import_plan(file=edited)
    [change] = plan.units_changed
    assert change.unit.code == "p-trung-tam"
    assert {(c.label, c.before, c.after) for c in change.changes} == {
        ("Tên", "Phường Trung Tâm", "Phường Trung Tâm Hòa Giang"),
        ("Tên viết tắt", "P. Trung Tâm", ""),
        ("Đơn vị tiền thân", "p-1, p-2", "p-1"),
    }
    # The units the file does not list stay as they are.
    assert plan.untouched == 4
    units_import(file=edited)
    assert Unit.objects.count() == 5
    assert Unit.objects.get(code="p-trung-tam").name == "Phường Trung Tâm Hòa Giang"
    assert predecessors("p-trung-tam") == ["p-1"]


def test_blocks_on_sheet_khoi_update_the_portals_and_keep_their_position_when_left_empty():
    make_block(code="so", name="Sở ban ngành", position=4)
    units_import(
        file=units_file(unit("so-nv", "Sở Nội vụ"), blocks=[("so", "Sở, ban, ngành", "Sở", None)])
    )
    block = Block.objects.get(code="so")
    assert (block.name, block.short_name, block.position) == ("Sở, ban, ngành", "Sở", 4)
    assert Block.objects.count() == 1


def test_the_province_is_renamed_only_when_the_file_says_otherwise():
    Province.objects.create(name="Sóc Trăng", issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng")
    plan = units_import_plan(file=units_file(unit("so-nv", "Sở Nội vụ"), province=PROVINCE))
    assert [(c.before, c.after) for c in plan.province.changes] == [
        ("Sóc Trăng", "Hòa Giang"),
        ("Ủy ban nhân dân tỉnh Sóc Trăng", "Ủy ban nhân dân tỉnh Hòa Giang"),
    ]
    units_import(file=units_file(unit("so-nv", "Sở Nội vụ"), province=PROVINCE))
    assert list(Province.objects.values_list("name", flat=True)) == ["Hòa Giang"]
    assert (
        units_import_plan(file=units_file(unit("so-nv", "Sở Nội vụ"), province=PROVINCE)).province
        is None
    )


def test_a_unit_without_assessments_may_move_to_another_block():
    make_unit(code="x-an-lac", name="Xã An Lạc", block=make_block(code="xa", name="UBND xã"))
    units_import(file=units_file(unit("x-an-lac", "Phường An Lạc", "phuong"), blocks=[WARDS]))
    assert Unit.objects.get(code="x-an-lac").block.code == "phuong"


def test_the_export_imports_back_unchanged():
    units_import(file=MERGER)
    before = snapshot()
    exported = units_export()
    assert units_import_plan(file=exported).nothing_to_do
    Unit.objects.update(parent=None)
    Unit.objects.all().delete()
    units_import(file=exported)
    assert snapshot() == before


# -- refusals: one problem per cause, nothing written -------------------------------------


def test_a_missing_block_is_named_once_with_its_rows_and_what_to_do():
    file = units_file(
        *[unit(f"x-{n}", f"Xã {n}", "xa") for n in range(1, 9)],
        unit("so-nv", "Sở Nội vụ"),
        blocks=(DEPARTMENTS,),
    )
    assert refused(file) == [
        "Đơn vị, dòng 2, cột Mã khối: khối “xa” không có trên trang tính Khối và cũng chưa có "
        "trên cổng thông tin (dòng 2–9): hãy thêm khối này vào trang tính Khối với mã, tên và "
        "thứ tự, hoặc ghi tên khối ở cột Tên khối."
    ]
    assert Unit.objects.count() == 0 and Block.objects.count() == 0


def test_a_missing_block_without_any_block_anywhere_still_says_what_to_do(english):
    file = raw_workbook(
        {"Đơn vị": [["Mã đơn vị", "Tên đơn vị", "Mã khối"], ["so-nv", "Sở Nội vụ", "so"]]}
    )
    [problem] = refused(file)
    assert "add it on sheet Khối with its code, name and position" in problem
    assert "Known" not in problem and "—" not in problem


def test_a_block_named_differently_on_the_unit_rows_is_refused_once():
    make_block(code="so", name="Sở, ban, ngành")
    file = units_file(
        unit("so-nv", "Sở Nội vụ", block_name="Các sở"),
        unit("so-tc", "Sở Tài chính", block_name="Các sở"),
        blocks=(),
    )
    assert refused(file) == [
        "Đơn vị, dòng 2, cột Tên khối: khối “so” trên cổng thông tin có tên “Sở, ban, ngành”, "
        "không phải “Các sở” (dòng 2–3): hãy đổi tên khối trên trang tính Khối."
    ]


def test_unknown_parents_and_predecessors_are_named_once_per_code():
    file = units_file(
        unit("p-a", "Phường A", "phuong", parent="tp-x", predecessors="x-1, x-2"),
        unit("p-b", "Phường B", "phuong", parent="tp-x", predecessors="x-1"),
        blocks=(WARDS,),
    )
    assert refused(file) == [
        "Đơn vị, dòng 2, cột Mã đơn vị cấp trên: không có đơn vị “tp-x” trong tệp này hay trên "
        "cổng thông tin (dòng 2–3): hãy kiểm tra lại mã, hoặc thêm đơn vị vào trang tính Đơn vị.",
        "Đơn vị, dòng 2, cột Đơn vị tiền thân: không có đơn vị “x-1” trong tệp này hay trên cổng "
        "thông tin (dòng 2–3): hãy kiểm tra lại mã, hoặc thêm đơn vị vào trang tính Đơn vị.",
        "Đơn vị, dòng 2, cột Đơn vị tiền thân: không có đơn vị “x-2” trong tệp này hay trên cổng "
        "thông tin (dòng 2): hãy kiểm tra lại mã, hoặc thêm đơn vị vào trang tính Đơn vị.",
    ]


def test_a_predecessor_must_end_before_its_successor_begins(english):
    make_unit(code="x-cu", name="Xã Cũ", active_to=2025, block=make_block(code="phuong"))
    file = units_file(
        unit("p-moi", "Phường Mới", "phuong", active_from=2025, predecessors="x-cu"), blocks=()
    )
    assert refused(file) == [
        "Đơn vị, row 2, column Đơn vị tiền thân: the predecessor “x-cu” is active until 2025, "
        "not before 2025 when this unit begins: a predecessor ends before its successor begins."
    ]


def test_predecessors_and_parents_may_not_go_round_in_a_circle(english):
    file = units_file(
        unit("a", "A", predecessors="b"),
        unit("b", "B", predecessors="c"),
        unit("c", "C", predecessors="a"),
        unit("d", "D", parent="e"),
        unit("e", "E", parent="d"),
    )
    assert refused(file) == [
        "Đơn vị, row 2, column Đơn vị tiền thân: the predecessors go round in a circle: "
        "a → b → c → a.",
        "Đơn vị, row 5, column Mã đơn vị cấp trên: the parent units go round in a circle: "
        "d → e → d.",
    ]


def test_a_circle_through_the_portals_units_is_found_too(english):
    old = make_unit(code="old", name="Old")
    new = make_unit(code="new", name="New")
    new.predecessors.add(old)
    [problem] = refused(units_file(unit("old", "Old", predecessors="new"), blocks=()))
    assert "new → old → new" in problem


def test_a_unit_with_assessments_keeps_its_block(english):
    make_block(code="so", name="Sở, ban, ngành")
    block = make_block(code="huyen", name="UBND cấp huyện")
    district = make_unit(code="h-long-phu", name="Huyện Long Phú", block=block)
    make_assessment(
        campaign=make_campaign(year=2015, frameworks=(make_framework(block=block),)), unit=district
    )
    [problem] = refused(units_file(unit("h-long-phu", "Huyện Long Phú", "so"), blocks=()))
    assert problem == (
        "Đơn vị, row 2, column Mã khối: Huyện Long Phú has assessments (2015) in the block "
        "“huyen”, so its block cannot change. A unit that moves to another block is a new unit "
        "(a new code) with this one as its predecessor."
    )


def test_one_bad_row_writes_nothing_at_all():
    make_block(code="so", name="Sở, ban, ngành")
    file = units_file(
        unit("so-nv", "Sở Nội vụ"),
        unit("so-tc", "Sở Tài chính", active_from="năm 2025"),
        province=PROVINCE,
    )
    before = snapshot()
    assert refused(file) == [
        "Đơn vị, dòng 3, cột Từ năm: “năm 2025” không phải là một năm: hãy ghi năm bằng bốn "
        "chữ số, ví dụ 2025."
    ]
    assert snapshot() == before


def test_a_confirmation_refuses_when_the_units_changed_since_the_preview():
    make_block(code="so", name="Sở, ban, ngành")
    file = units_file(unit("so-nv", "Sở Nội vụ"), blocks=())
    preview = units_import_plan(file=file)
    make_unit(code="so-nv", name="Sở Nội vụ tỉnh")  # someone else, meanwhile
    with pytest.raises(UnitsImportChanged) as caught:
        units_import(file=file, expected_digest=preview.digest)
    assert [c.after for c in caught.value.plan.units_changed[0].changes] == ["Sở Nội vụ"]
    assert Unit.objects.get(code="so-nv").name == "Sở Nội vụ tỉnh"
    units_import(file=file, expected_digest=caught.value.plan.digest)
    assert Unit.objects.get(code="so-nv").name == "Sở Nội vụ"


# -- cost ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [20, 1200])
def test_planning_and_importing_take_queries_per_batch_not_per_unit(size):
    rows = [
        unit(
            f"x-{n}", f"Xã {n}", "xa", block_name="UBND xã", predecessors=f"x-{n - 1}" if n else ""
        )
        for n in range(size)
    ]
    file = units_file(*rows, blocks=())
    with CaptureQueriesContext(connection) as planning:
        units_import_plan(file=file)
    with CaptureQueriesContext(connection) as importing:
        units_import(file=file)
    assert len(planning) <= 5
    batches = -(-size // 500)
    assert len(importing) <= 16 + 3 * batches
    assert Unit.objects.count() == size and predecessors(f"x-{size - 1}") == [f"x-{size - 2}"]


# -- the documented sample ---------------------------------------------------------------


def test_the_documented_sample_is_current_and_imports():
    check_sample(UNITS_SAMPLE, units_sample())
    plan = units_import(file=(SAMPLES / UNITS_SAMPLE).read_bytes())
    assert (len(plan.blocks_created), len(plan.units_created)) == (4, 142)
    # No Tỉnh sheet: the sample imports beside the demo's province without renaming it.
    assert plan.province is None and Province.current() is None
    current = Unit.objects.active_in(2025)
    assert current.filter(block__code="lg-so").count() == 14
    assert current.filter(block__code="lg-phuong").count() == 40
    assert current.filter(block__code="lg-xa").count() == 60
    assert not current.filter(block__code="lg-huyen").exists()
    assert predecessors("lg-dk-hon-ngoc") == [
        "lg-h-hon-ngoc",
        "lg-hhn-hon-tre",
        "lg-hhn-tt-hon-ngoc",
    ]
    assert predecessors("lg-so-nnmt") == ["lg-so-nnptnt", "lg-so-tnmt"]
    assert Unit.objects.get(code="lg-hhn-hon-tre").parent.code == "lg-h-hon-ngoc"
    assert units_import_plan(file=(SAMPLES / UNITS_SAMPLE).read_bytes()).nothing_to_do

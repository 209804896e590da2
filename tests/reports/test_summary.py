"""The written summary: sentence builders over plain rows, and the demo's 2015 story."""

import datetime as dt
from decimal import Decimal as D

import pytest

from reports import summary, vietnamese
from reports.models import Decision
from reports.summary import BlockSummary, SummaryRow, WeakCriterion
from scoring.block_statistics import UnitFigures, block_statistics


def row(name: str, rank: int, index: str, previous_rank=None, previous_index=None) -> SummaryRow:
    return SummaryRow(
        name=name,
        rank=rank,
        index=D(index),
        previous_rank=previous_rank,
        previous_index=D(previous_index) if previous_index is not None else None,
    )


# -- words ---------------------------------------------------------------------------


def test_join_vi():
    assert vietnamese.join_vi([]) == ""
    assert vietnamese.join_vi(["A"]) == "A"
    assert vietnamese.join_vi(["A", "B"]) == "A và B"
    assert vietnamese.join_vi(["A", "B", "C"]) == "A, B và C"


def test_numbers_have_a_decimal_comma_and_are_rounded_half_up():
    assert vietnamese.number(D("81.325")) == "81,33"
    assert vietnamese.signed(D("14.5")) == "+14,50"
    assert vietnamese.signed(D("-2.404")) == "-2,40"
    assert vietnamese.percent(D("88.7")) == "88,70%"


def test_names_inside_a_sentence():
    assert vietnamese.name_in_sentence("Huyện Mỹ Xuyên") == "Mỹ Xuyên"
    assert vietnamese.name_in_sentence("Thị xã Ngã Năm") == "thị xã Ngã Năm"
    assert vietnamese.name_in_sentence("Thành phố Sóc Trăng") == "thành phố Sóc Trăng"
    assert vietnamese.name_in_sentence("Sở Y tế") == "Sở Y tế"
    assert vietnamese.block_noun("Sở, ban, ngành") == "sở, ban, ngành"
    assert vietnamese.block_noun("UBND cấp huyện") == "UBND cấp huyện"


def test_a_sentence_starts_with_a_capital_even_after_a_lowered_name():
    rows = [row("Huyện A", 1, "90", 1, "88"), row("Thị xã B", 2, "70", 2, "69")]
    assert summary.last_sentence(rows, previous_year=2014) == "Thị xã B tiếp tục xếp cuối (70,00%)."


# -- changes on last year ------------------------------------------------------------


def test_changes_count_improved_and_declined_and_name_the_two_biggest_gains():
    rows = [
        row("Sở A", 1, "90", 1, "85"),
        row("Sở B", 2, "80", 3, "65.47"),
        row("Sở C", 3, "79", 4, "66.16"),
        row("Sở D", 4, "70", 2, "75"),
    ]
    text = summary.changes_sentence(rows, noun="sở, ban, ngành", previous_year=2014)
    assert text == (
        "Có 3/4 sở, ban, ngành tăng chỉ số so với năm 2014, 1 đơn vị giảm; "
        "Sở B và Sở C tăng nhiều nhất (+14,53 và +12,84 điểm phần trăm)."
    )


def test_changes_name_every_unit_tied_at_the_cut():
    rows = [
        row("Sở A", 1, "90", 1, "85"),
        row("Sở B", 2, "80", 2, "75"),
        row("Sở C", 3, "79", 3, "74"),
        row("Sở D", 4, "70", 4, "69"),
    ]
    text = summary.changes_sentence(rows, noun="sở", previous_year=2014)
    assert "Sở A, Sở B và Sở C tăng nhiều nhất (+5,00, +5,00 và +5,00 điểm phần trăm)" in text
    assert "không đơn vị nào giảm" in text


def test_changes_when_nobody_improved_and_a_change_that_reads_zero_is_unchanged():
    rows = [row("Sở A", 1, "90.001", 1, "90"), row("Sở B", 2, "80", 2, "81")]
    text = summary.changes_sentence(rows, noun="sở", previous_year=2014)
    assert text == (
        "Không có sở nào tăng chỉ số so với năm 2014, 1 đơn vị giảm, 1 đơn vị giữ nguyên."
    )


def test_changes_count_new_units_apart():
    rows = [row("Sở A", 1, "90", 1, "85"), row("Sở B", 2, "80")]
    text = summary.changes_sentence(rows, noun="sở", previous_year=2014)
    assert text.startswith("Có 1/2 sở tăng chỉ số so với năm 2014, không đơn vị nào giảm, ")
    assert "1 đơn vị chưa có chỉ số năm 2014" in text
    assert "Sở A tăng (+5,00 điểm phần trăm)" in text


def test_no_previous_year():
    rows = [row("Huyện A", 1, "90"), row("Huyện B", 2, "80")]
    block = BlockSummary(name="UBND cấp huyện", rows=tuple(rows))
    text = summary.block_paragraph(block, previous_year=2014)
    assert text == (
        "Chưa có chỉ số năm 2014 của các UBND cấp huyện để so sánh. "
        "A xếp thứ nhất với chỉ số 90,00%. "
        "Xếp cuối là B với chỉ số 80,00%."
    )


# -- first, last and rank moves ------------------------------------------------------


def test_first_tied_and_first_again():
    tied = [row("Sở A", 1, "90", 2, "80"), row("Sở B", 1, "90", 1, "85"), row("Sở C", 3, "70")]
    assert summary.first_sentence(tied, previous_year=2014) == (
        "Sở A và Sở B cùng xếp thứ nhất với chỉ số 90,00%."
    )
    again = [row("Sở A", 1, "90", 1, "85")]
    assert summary.first_sentence(again, previous_year=2014) == (
        "Sở A tiếp tục xếp thứ nhất với chỉ số 90,00%."
    )
    climbed = [row("Sở A", 1, "90", 3, "85")]
    assert summary.first_sentence(climbed, previous_year=2014) == (
        "Sở A xếp thứ nhất với chỉ số 90,00% (năm 2014 xếp thứ 3)."
    )


def test_last_not_last_last_year():
    rows = [row("Sở A", 1, "90", 2, "80"), row("Sở B", 2, "70", 1, "85")]
    assert summary.last_sentence(rows, previous_year=2014) == (
        "Xếp cuối là Sở B với chỉ số 70,00% (năm 2014 xếp thứ nhất)."
    )


def test_nobody_changed_place():
    rows = [row("Sở A", 1, "90", 1, "80"), row("Sở B", 2, "70", 2, "65")]
    assert summary.rank_moves_sentence(rows, previous_year=2014) == (
        "Thứ hạng của các đơn vị không thay đổi so với năm 2014."
    )


def test_rank_moves_tell_big_climbs_and_group_equal_moves():
    rows = [
        row("Huyện A", 1, "90", 1, "80"),
        row("Huyện B", 2, "89", 8, "70"),
        row("Huyện C", 3, "88", 10, "69"),
        row("Huyện D", 4, "87", 5, "75"),
        row("Huyện E", 5, "86", 6, "74"),
        row("Huyện F", 6, "85", 2, "79"),
        row("Huyện G", 7, "84", 3, "78"),
        row("Thành phố H", 8, "83", 9, "70"),
        row("Thị xã I", 9, "82", 7, "72"),
        row("Huyện J", 10, "81", 4, "76"),
    ]
    assert summary.rank_moves_sentence(rows, previous_year=2014) == (
        "Về thứ hạng, B vươn lên vị trí thứ 2 (năm 2014 xếp thứ 8), "
        "C từ vị trí thứ 10 lên thứ 3 (tăng 7 bậc); "
        "D, E và thành phố H cùng tăng 1 bậc; "
        "J giảm 6 bậc, F và G cùng giảm 4 bậc, thị xã I giảm 2 bậc."
    )


def test_rank_moves_count_the_smallest_movers_beyond_those_named():
    # Eight units each fall by a different number of places: six are named.
    rows = [row(f"Sở {n}", n, str(90 - n), 1, "90") for n in range(2, 10)]
    rows.append(row("Sở X", 1, "95", 9, "60"))
    text = summary.rank_moves_sentence(rows, previous_year=2014)
    assert "Sở 9 giảm 8 bậc" in text
    assert "Sở 4 giảm 3 bậc" in text
    assert "Sở 3" not in text
    assert text.endswith("2 đơn vị khác giảm từ 1 đến 2 bậc.")


def test_weak_criteria():
    weak = [
        WeakCriterion("7.3", "Dịch vụ công trực tuyến mức độ 3", 22, 20, 5),
        WeakCriterion("2.1", "Kiểm soát TTHC", 22, 15, 0),
    ]
    assert summary.weak_sentence(weak) == (
        "Các tiêu chí nhiều đơn vị bị mất điểm nhất là 7.3 “Dịch vụ công trực tuyến mức độ 3” "
        "(20/22 đơn vị không đạt điểm tối đa, 5 đơn vị không có điểm); "
        "2.1 “Kiểm soát TTHC” (15/22 đơn vị không đạt điểm tối đa)."
    )
    assert summary.weak_sentence([]) == ""


def test_opening_paragraph_names_the_decision_and_the_blocks():
    blocks = [
        BlockSummary(name="Sở, ban, ngành", rows=(row("Sở A", 1, "90"),) * 22),
        BlockSummary(name="UBND cấp huyện", rows=(row("Huyện A", 1, "90"),) * 11),
    ]
    text = summary.opening_paragraph(
        year=2015,
        number_text="2491/QĐ-UBND",
        signed_on=dt.date(2016, 10, 17),
        issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng",
        blocks=blocks,
    )
    assert text == (
        "Ngày 17/10/2016, Ủy ban nhân dân tỉnh Sóc Trăng ban hành Quyết định số 2491/QĐ-UBND "
        "phê duyệt và công bố Chỉ số cải cách hành chính năm 2015 của 22 sở, ban, ngành "
        "và 11 UBND cấp huyện."
    )


# -- the block's statistics and an incomplete last year -------------------------------


def test_the_statistics_sentence_gives_mean_median_extremes_and_every_tier():
    stats = block_statistics(
        [
            UnitFigures(index=D("92.184"), tier="Tốt"),
            UnitFigures(index=D("84.115"), tier="Khá"),
            UnitFigures(index=D("84.125"), tier="Khá"),
            UnitFigures(index=D("76.05"), tier=""),
        ],
        tier_names=["Tốt", "Khá", "Yếu"],
    )
    assert summary.statistics_sentence(stats, noun="sở, ban, ngành") == (
        "Chỉ số trung bình của khối sở, ban, ngành là 84,12% (trung vị 84,12%), cao nhất "
        "92,18%, thấp nhất 76,05%; 1 đơn vị xếp loại Tốt, 2 đơn vị xếp loại Khá và không "
        "đơn vị nào xếp loại Yếu."
    )


PARTIAL = BlockSummary(
    name="UBND cấp huyện",
    rows=(
        # Published ranks of last year, true for each unit, but the table held 4 of 11.
        row("Huyện A", 1, "90", 1, "88"),
        row("Huyện B", 2, "85", 5, "86"),
        row("Huyện C", 19, "60", 3, "70"),
        row("Huyện D", 20, "55", 4, "50"),
        row("Huyện E", 21, "50"),
    ),
    previous_complete=False,
    previous_units=4,
)


def test_against_part_of_last_years_block_no_claim_about_places_is_made():
    text = summary.block_paragraph(PARTIAL, previous_year=2024)
    assert (
        "Bảng kết quả năm 2024 chỉ có 4 đơn vị của khối nên không so sánh thứ hạng; so với "
        "chỉ số năm 2024 của chính mình, 2/4 đơn vị có số liệu năm 2024 tăng chỉ số, 2 đơn "
        "vị giảm."
    ) in text
    for claim in ("bậc", "tiếp tục", "vươn lên", "năm 2024 xếp"):
        assert claim not in text, claim
    assert "A xếp thứ nhất với chỉ số 90,00%." in text
    assert "Xếp cuối là E với chỉ số 50,00%." in text


def test_the_same_block_against_a_whole_year_tells_the_moves():
    whole = BlockSummary(name=PARTIAL.name, rows=PARTIAL.rows)
    text = summary.block_paragraph(whole, previous_year=2024)
    assert "C và D cùng giảm 16 bậc" in text and "A tiếp tục xếp thứ nhất" in text


# -- the demo ------------------------------------------------------------------------


def preview_rows(decision: Decision) -> list:
    """The unsaved appendix rows, through the publication service when it is there."""
    try:
        from reports.services.publication import decision_rows_preview
    except ImportError:
        from reports.outputs.decision_rows import frozen_rows

        return frozen_rows(decision=decision)
    return decision_rows_preview(decision=decision)


@pytest.fixture
def demo_2015_summary(demo_db, db) -> str:
    """The summary the demo's publication of Quyết định 2491/QĐ-UBND froze."""
    decision = Decision.objects.published().get(campaign__year=2015)
    assert decision.number == "2491/QĐ-UBND"
    # Frozen rows give the same text as the rows the preview builds from the results.
    frozen = summary.summary_text(decision=decision, rows=list(decision.rows.all()))
    assert frozen == summary.summary_text(decision=decision, rows=preview_rows(decision))
    assert decision.summary == frozen
    return decision.summary


def test_the_demo_summary_tells_the_story_of_2015(demo_2015_summary):
    opening, departments, districts = demo_2015_summary.split("\n\n")
    assert opening.startswith("Ngày 17/10/2016, Ủy ban nhân dân tỉnh Sóc Trăng ban hành")
    assert "của 22 sở, ban, ngành và 11 UBND cấp huyện" in opening

    assert departments.startswith("Chỉ số trung bình của khối sở, ban, ngành là ")
    assert (
        "Có 14/22 sở, ban, ngành tăng chỉ số so với năm 2014, 8 đơn vị giảm; "
        "Sở Giáo dục và Đào tạo và Sở Giao thông vận tải tăng nhiều nhất (+"
    ) in departments

    assert "Long Phú tiếp tục xếp thứ nhất" in districts
    assert "Mỹ Xuyên vươn lên vị trí thứ 2 (năm 2014 xếp thứ 8)" in districts
    assert "Trần Đề từ vị trí thứ 10 lên thứ 3 (tăng 7 bậc)" in districts
    assert "Cù Lao Dung, Mỹ Tú và thành phố Sóc Trăng cùng tăng 1 bậc" in districts
    assert "Châu Thành giảm 6 bậc" in districts
    assert "Thạnh Trị và Kế Sách cùng giảm 4 bậc" in districts
    assert "thị xã Vĩnh Châu giảm 2 bậc" in districts
    assert "Thị xã Ngã Năm tiếp tục xếp cuối" in districts
    assert "Các tiêu chí nhiều đơn vị bị mất điểm nhất là" in districts

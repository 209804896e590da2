"""The written summary of a decision, in Vietnamese, as a provincial news report tells it.

The sentences are built by pure functions over plain values (`SummaryRow`,
`WeakCriterion`), tested without a database; `summary_text` is the selector that
feeds them from a decision's result rows and, for the criteria most units lost
points on, from the campaign's Score rows (scoring.selectors.weak_leaves).

The text is Vietnamese whatever the reader's language: it is part of the
published record, frozen in Decision.summary at publication, like the decision
itself. Numbers are rounded once, as the appendix shows them (display_round),
with a decimal comma."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from reports.models import Decision, PublishedResult
from reports.vietnamese import (
    block_noun,
    join_vi,
    name_in_sentence,
    ordinal,
    percent,
    sentence,
    signed,
)
from scoring import calculations as calc
from scoring.selectors.weak_leaves import weak_leaves
from units.models import Block

# A unit climbing at least this many places is told with its old and new place;
# smaller moves are grouped by their size ("cùng tăng 1 bậc").
BIG_MOVE = 3

# Per direction, the units named before the rest are counted ("3 đơn vị khác …").
MOVERS_NAMED = 6

TOP_IMPROVERS = 2

WEAK_CRITERIA_NAMED = 3


@dataclass(frozen=True)
class SummaryRow:
    """One unit of a block: its name, rank and index, and last year's where known."""

    name: str
    rank: int
    index: Decimal
    previous_rank: int | None = None
    previous_index: Decimal | None = None

    @property
    def index_change(self) -> Decimal | None:
        """The change of the index as the appendix would show it (two decimals)."""
        if self.previous_index is None:
            return None
        return calc.display_round(self.index - self.previous_index)

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) or lost (negative)."""
        if self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


@dataclass(frozen=True)
class WeakCriterion:
    code: str
    title: str
    units: int  # units the criterion applies to
    below_max: int
    at_zero: int


@dataclass(frozen=True)
class BlockSummary:
    name: str  # the block's name, e.g. "Sở, ban, ngành"
    rows: tuple[SummaryRow, ...]
    weak: tuple[WeakCriterion, ...] = ()


def _names(rows: Iterable[SummaryRow]) -> list[str]:
    return [name_in_sentence(row.name) for row in rows]


def _by_rank(rows: Iterable[SummaryRow]) -> list[SummaryRow]:
    return sorted(rows, key=lambda row: (row.rank, row.name))


def _compared(rows: Sequence[SummaryRow]) -> list[SummaryRow]:
    return [row for row in rows if row.previous_index is not None]


def changes_sentence(rows: Sequence[SummaryRow], *, noun: str, previous_year: int) -> str:
    """ "Có 14/22 sở, ban, ngành tăng chỉ số so với năm 2014, 8 đơn vị giảm; A và B tăng
    nhiều nhất (+14,53 và +12,84 điểm phần trăm)."""
    compared = _compared(rows)
    if not compared:
        return sentence(f"chưa có chỉ số năm {previous_year} của các {noun} để so sánh")
    improved = [row for row in compared if row.index_change > 0]
    declined = [row for row in compared if row.index_change < 0]
    unchanged = len(compared) - len(improved) - len(declined)
    new = len(rows) - len(compared)
    if improved:
        text = f"có {len(improved)}/{len(rows)} {noun} tăng chỉ số so với năm {previous_year}"
    else:
        text = f"không có {noun} nào tăng chỉ số so với năm {previous_year}"
    parts = [text]
    if declined:
        parts.append(f"{len(declined)} đơn vị giảm")
    elif improved:
        parts.append("không đơn vị nào giảm")
    if unchanged:
        parts.append(f"{unchanged} đơn vị giữ nguyên")
    if new:
        parts.append(f"{new} đơn vị chưa có chỉ số năm {previous_year}")
    text = ", ".join(parts)
    if improved:
        best = sorted(improved, key=lambda row: (-row.index_change, row.rank, row.name))
        # Units tied with the last one named are named too.
        cut = best[min(TOP_IMPROVERS, len(best)) - 1].index_change
        top = [row for row in best if row.index_change >= cut]
        verb = "tăng nhiều nhất" if len(top) < len(improved) else "tăng"
        changes = join_vi(signed(row.index_change) for row in top)
        text += f"; {join_vi(_names(top))} {verb} ({changes} điểm phần trăm)"
    return sentence(text)


def first_sentence(rows: Sequence[SummaryRow], *, previous_year: int) -> str:
    """Who is first, and whether they were first last year too."""
    first = [row for row in rows if row.rank == 1]
    if not first:
        return ""
    names = join_vi(_names(_by_rank(first)))
    value = percent(first[0].index)
    if len(first) > 1:
        return sentence(f"{names} cùng xếp thứ nhất với chỉ số {value}")
    row = first[0]
    if row.previous_rank == 1:
        return sentence(f"{names} tiếp tục xếp thứ nhất với chỉ số {value}")
    if row.previous_rank is not None:
        return sentence(
            f"{names} xếp thứ nhất với chỉ số {value} "
            f"(năm {previous_year} xếp {ordinal(row.previous_rank)})"
        )
    return sentence(f"{names} xếp thứ nhất với chỉ số {value}")


def _grouped(rows: list[SummaryRow], verb: str) -> list[str]:
    """Movers of equal size together: "A giảm 6 bậc", "B và C cùng giảm 4 bậc"."""
    phrases = []
    ordered = sorted(rows, key=lambda row: (-abs(row.rank_change), row.rank, row.name))
    for size, group in groupby(ordered, key=lambda row: abs(row.rank_change)):
        group = list(group)
        together = "cùng " if len(group) > 1 else ""
        phrases.append(f"{join_vi(_names(group))} {together}{verb} {size} bậc")
    return phrases


def _capped(rows: list[SummaryRow], verb: str) -> tuple[list[SummaryRow], str]:
    """The biggest movers (whole groups of equal moves, about MOVERS_NAMED units) and a
    phrase counting the others: "2 đơn vị khác giảm 1 bậc"."""
    ordered = sorted(rows, key=lambda row: (-abs(row.rank_change), row.rank, row.name))
    named: list[SummaryRow] = []
    for _size, group in groupby(ordered, key=lambda row: abs(row.rank_change)):
        if len(named) >= MOVERS_NAMED:
            break
        named.extend(group)
    rest = ordered[len(named) :]
    if not rest:
        return named, ""
    low, high = abs(rest[-1].rank_change), abs(rest[0].rank_change)
    size = f"{low} bậc" if low == high else f"từ {low} đến {high} bậc"
    return named, f"{len(rest)} đơn vị khác {verb} {size}"


def rank_moves_sentence(rows: Sequence[SummaryRow], *, previous_year: int) -> str:
    """Who rose or fell by how many places.

    "Về thứ hạng, Mỹ Xuyên vươn lên vị trí thứ 2 (năm 2014 xếp thứ 8), Trần Đề từ vị
    trí thứ 10 lên thứ 3 (tăng 7 bậc); Cù Lao Dung, Mỹ Tú và thành phố Sóc Trăng cùng
    tăng 1 bậc; Châu Thành giảm 6 bậc, …"
    """
    ranked = [row for row in rows if row.rank_change is not None]
    if not ranked:
        return ""
    risers = [row for row in ranked if row.rank_change > 0]
    fallers = [row for row in ranked if row.rank_change < 0]
    if not risers and not fallers:
        return sentence(f"thứ hạng của các đơn vị không thay đổi so với năm {previous_year}")
    clauses = []
    if risers:
        named, others = _capped(risers, "tăng")
        big = _by_rank(row for row in named if row.rank_change >= BIG_MOVE)
        told = []
        for position, row in enumerate(big):
            name = name_in_sentence(row.name)
            if position == 0:
                told.append(
                    f"{name} vươn lên vị trí {ordinal(row.rank)} "
                    f"(năm {previous_year} xếp {ordinal(row.previous_rank)})"
                )
            else:
                told.append(
                    f"{name} từ vị trí {ordinal(row.previous_rank)} lên {ordinal(row.rank)} "
                    f"(tăng {row.rank_change} bậc)"
                )
        small = [row for row in named if row.rank_change < BIG_MOVE]
        if told:
            clauses.append(", ".join(told))
        if small:
            clauses.append(", ".join(_grouped(small, "tăng")))
        if others:
            clauses.append(others)
    if fallers:
        named, others = _capped(fallers, "giảm")
        phrases = _grouped(named, "giảm")
        if others:
            phrases.append(others)
        clauses.append(", ".join(phrases))
    return sentence("về thứ hạng, " + "; ".join(clauses))


def last_sentence(rows: Sequence[SummaryRow], *, previous_year: int) -> str:
    """Who is last, and whether they were last last year too ("tiếp tục xếp cuối")."""
    if len(rows) < 2:
        return ""
    bottom = max(row.rank for row in rows)
    last = _by_rank(row for row in rows if row.rank == bottom)
    if bottom == 1:  # every unit shares the first place
        return ""
    names = join_vi(_names(last))
    value = percent(last[0].index)
    known = [row.previous_rank for row in rows if row.previous_rank is not None]
    previous_bottom = max(known) if known else None
    if len(last) > 1:
        return sentence(f"{names} cùng xếp cuối với chỉ số {value}")
    row = last[0]
    if row.previous_rank is not None and row.previous_rank == previous_bottom:
        return sentence(f"{names} tiếp tục xếp cuối ({value})")
    if row.previous_rank is not None:
        return sentence(
            f"xếp cuối là {names} với chỉ số {value} "
            f"(năm {previous_year} xếp {ordinal(row.previous_rank)})"
        )
    return sentence(f"xếp cuối là {names} với chỉ số {value}")


def weak_sentence(weak: Sequence[WeakCriterion]) -> str:
    """The criteria most units lost points on, with how many did and how many scored nothing."""
    if not weak:
        return ""
    parts = []
    for criterion in weak[:WEAK_CRITERIA_NAMED]:
        detail = f"{criterion.below_max}/{criterion.units} đơn vị không đạt điểm tối đa"
        if criterion.at_zero:
            detail += f", {criterion.at_zero} đơn vị không có điểm"
        parts.append(f"{criterion.code} “{criterion.title}” ({detail})")
    return sentence("các tiêu chí nhiều đơn vị bị mất điểm nhất là " + "; ".join(parts))


def block_paragraph(block: BlockSummary, *, previous_year: int) -> str:
    rows = block.rows
    sentences = [
        changes_sentence(rows, noun=block_noun(block.name), previous_year=previous_year),
        first_sentence(rows, previous_year=previous_year),
        rank_moves_sentence(rows, previous_year=previous_year),
        last_sentence(rows, previous_year=previous_year),
        weak_sentence(block.weak),
    ]
    return " ".join(text for text in sentences if text)


def opening_paragraph(
    *,
    year: int,
    number_text: str,
    signed_on,
    issuing_body: str,
    blocks: Sequence[BlockSummary],
) -> str:
    """ "Ngày 17/10/2016, Ủy ban nhân dân tỉnh Sóc Trăng ban hành Quyết định số …"."""
    covered = join_vi(f"{len(block.rows)} {block_noun(block.name)}" for block in blocks)
    what = f"phê duyệt và công bố Chỉ số cải cách hành chính năm {year}"
    if covered:
        what += f" của {covered}"
    decision = f"Quyết định số {number_text}" if number_text else "Quyết định"
    if signed_on is not None:
        return sentence(f"ngày {signed_on:%d/%m/%Y}, {issuing_body} ban hành {decision} {what}")
    return sentence(f"{issuing_body} ban hành {decision} {what}")


def paragraphs(
    *,
    year: int,
    number_text: str,
    signed_on,
    issuing_body: str,
    blocks: Sequence[BlockSummary],
) -> list[str]:
    previous_year = year - 1
    return [
        opening_paragraph(
            year=year,
            number_text=number_text,
            signed_on=signed_on,
            issuing_body=issuing_body,
            blocks=blocks,
        ),
        *(block_paragraph(block, previous_year=previous_year) for block in blocks),
    ]


def _weak_criteria(decision: Decision, block_codes: list[str]) -> dict[str, list[WeakCriterion]]:
    """Per block code: the leaves most units lost points on, aggregated from the Score rows."""
    blocks = Block.objects.filter(code__in=block_codes)
    found = {}
    for block in blocks:
        found[block.code] = [
            WeakCriterion(
                code=leaf.code,
                title=leaf.title,
                units=leaf.units,
                below_max=leaf.below_max,
                at_zero=leaf.at_zero,
            )
            for leaf in weak_leaves(campaign=decision.campaign, block=block)[:WEAK_CRITERIA_NAMED]
        ]
    return found


def block_summaries(*, decision: Decision, rows: Sequence[PublishedResult]) -> list[BlockSummary]:
    """The rows grouped by block, in the appendix's order, with each block's weak criteria."""
    ordered = sorted(rows, key=lambda row: (row.block_position, row.block_code, row.rank))
    grouped = [
        (code, list(group)) for code, group in groupby(ordered, key=lambda row: row.block_code)
    ]
    weak = _weak_criteria(decision, [code for code, _group in grouped])
    return [
        BlockSummary(
            name=group[0].block_name,
            rows=tuple(
                SummaryRow(
                    name=row.unit_name,
                    rank=row.rank,
                    index=row.index,
                    previous_rank=row.previous_rank,
                    previous_index=row.previous_index,
                )
                for row in group
            ),
            weak=tuple(weak.get(code, [])),
        )
        for code, group in grouped
    ]


def summary_text(*, decision: Decision, rows: Sequence[PublishedResult]) -> str:
    """The summary of a decision's results: paragraphs separated by blank lines."""
    blocks = block_summaries(decision=decision, rows=rows)
    texts = paragraphs(
        year=decision.campaign.year,
        number_text=decision.number,
        signed_on=decision.signed_on,
        issuing_body=decision.issuing_body,
        blocks=blocks,
    )
    return "\n\n".join(text for text in texts if text)

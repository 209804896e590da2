"""The sentences of the written summary, as pure functions over plain values.

`SummaryRow` and `WeakCriterion` are the values; each function builds one Vietnamese
sentence (reports.vietnamese has the words), tested without a database. reports.summary
puts them together per block and feeds them from a decision's rows."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from reports.vietnamese import (
    join_vi,
    name_in_sentence,
    ordinal,
    percent,
    sentence,
    signed,
)
from scoring import calculations as calc
from scoring.block_statistics import BlockStatistics

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


def statistics_sentence(statistics: BlockStatistics | None, *, noun: str) -> str:
    """ "Chỉ số trung bình của khối sở, ban, ngành là 84,12% (trung vị 84,50%), cao nhất
    92,18%, thấp nhất 70,05%; 5 đơn vị xếp loại Tốt, 12 đơn vị xếp loại Khá và không đơn
    vị nào xếp loại Yếu."
    """
    if statistics is None or not statistics.units:
        return ""
    text = (
        f"chỉ số trung bình của khối {noun} là {percent(statistics.mean)} "
        f"(trung vị {percent(statistics.median)})"
    )
    if statistics.units > 1:
        text += f", cao nhất {percent(statistics.maximum)}, thấp nhất {percent(statistics.minimum)}"
    tiers = [
        f"{tier.count} đơn vị xếp loại {tier.name}"
        if tier.count
        else f"không đơn vị nào xếp loại {tier.name}"
        for tier in statistics.tiers
        if tier.name
    ]
    if tiers:
        text += "; " + join_vi(tiers)
    return sentence(text)


def partial_changes_sentence(
    rows: Sequence[SummaryRow], *, previous_year: int, previous_units: int | None
) -> str:
    """Against part of last year's block: how many units are compared, each with its own index.

    "Bảng kết quả năm 2024 chỉ có 10 đơn vị của khối nên không so sánh thứ hạng; so với
    chỉ số năm 2024 của chính mình, 6/8 đơn vị có số liệu năm 2024 tăng chỉ số, 2 đơn vị
    giảm."
    """
    compared = _compared(rows)
    held = f"{previous_units} đơn vị" if previous_units else "một phần"
    text = f"bảng kết quả năm {previous_year} chỉ có {held} của khối nên không so sánh thứ hạng"
    if not compared:
        return sentence(text)
    improved = sum(1 for row in compared if row.index_change > 0)
    declined = sum(1 for row in compared if row.index_change < 0)
    unchanged = len(compared) - improved - declined
    parts = [
        f"so với chỉ số năm {previous_year} của chính mình, {improved}/{len(compared)} "
        f"đơn vị có số liệu năm {previous_year} tăng chỉ số",
        f"{declined} đơn vị giảm",
    ]
    if unchanged:
        parts.append(f"{unchanged} đơn vị giữ nguyên")
    return sentence(text + "; " + ", ".join(parts))


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

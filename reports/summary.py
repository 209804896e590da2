"""The written summary of a decision, in Vietnamese, as a provincial news report tells it.

The sentences are built by pure functions over plain values (reports.summary_sentences:
`SummaryRow`, `WeakCriterion`), tested without a database; here they are put together
per block, and `summary_text` is the selector that feeds them from a decision's result
rows, the block's statistics, how much of the block last year's table holds
(scoring.selectors.previous_year) and, for the criteria most units lost points on, the
campaign's Score rows (scoring.selectors.weak_leaves).

The text is Vietnamese whatever the reader's language: it is part of the
published record, frozen in Decision.summary at publication, like the decision
itself. Numbers are rounded once, as the appendix shows them (display_round),
with a decimal comma."""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from reports.models import Decision, PublishedResult
from reports.selectors.statistics import rows_statistics, tier_names
from reports.summary_sentences import (
    WEAK_CRITERIA_NAMED,
    SummaryRow,
    WeakCriterion,
    changes_sentence,
    first_sentence,
    last_sentence,
    partial_changes_sentence,
    rank_moves_sentence,
    statistics_sentence,
    weak_sentence,
)
from reports.vietnamese import block_noun, join_vi, sentence
from scoring.block_statistics import BlockStatistics
from scoring.selectors.previous_year import previous_table, previous_year_of
from scoring.selectors.weak_leaves import weak_leaves
from units.models import Block

__all__ = [
    "BlockSummary",
    "SummaryRow",
    "WeakCriterion",
    "block_paragraph",
    "block_summaries",
    "changes_sentence",
    "first_sentence",
    "last_sentence",
    "opening_paragraph",
    "paragraphs",
    "rank_moves_sentence",
    "statistics_sentence",
    "summary_text",
    "weak_sentence",
]


@dataclass(frozen=True)
class BlockSummary:
    name: str  # the block's name, e.g. "Sở, ban, ngành"
    rows: tuple[SummaryRow, ...]
    weak: tuple[WeakCriterion, ...] = ()
    statistics: BlockStatistics | None = None
    # Whether last year's table holds the whole block (scoring.selectors.previous_year):
    # against part of a block only each unit's own index is compared, never places.
    previous_complete: bool = True
    previous_units: int | None = None  # units of the block in last year's table


def _without_places(rows: Sequence[SummaryRow]) -> list[SummaryRow]:
    """The rows with last year's ranks left out: places are not compared against part of
    a block, so neither "tiếp tục xếp thứ nhất" nor "tăng 7 bậc" is said."""
    return [SummaryRow(row.name, row.rank, row.index, None, row.previous_index) for row in rows]


def block_paragraph(block: BlockSummary, *, previous_year: int) -> str:
    rows = block.rows
    noun = block_noun(block.name)
    if block.previous_complete:
        changes = changes_sentence(rows, noun=noun, previous_year=previous_year)
    else:
        changes = partial_changes_sentence(
            rows, previous_year=previous_year, previous_units=block.previous_units
        )
        rows = _without_places(rows)
    sentences = [
        statistics_sentence(block.statistics, noun=noun),
        changes,
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
    previous_year: int | None = None,
) -> list[str]:
    """`previous_year` is the year compared with: the one before unless the portal knows
    only an earlier one."""
    previous_year = previous_year or year - 1
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


def _weak_criteria(decision: Decision, blocks: Sequence[Block]) -> dict[str, list[WeakCriterion]]:
    """Per block code: the leaves most units lost points on, aggregated from the Score rows."""
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
    """The rows grouped by block, in the appendix's order, with each block's statistics,
    weak criteria and how much of it last year's table covers."""
    ordered = sorted(rows, key=lambda row: (row.block_position, row.block_code, row.rank))
    grouped = [
        (code, list(group)) for code, group in groupby(ordered, key=lambda row: row.block_code)
    ]
    blocks = list(Block.objects.filter(code__in=[code for code, _group in grouped]))
    weak = _weak_criteria(decision, blocks)
    tiers = tier_names(decision.campaign_id)
    coverage = _previous_coverage(decision, blocks)
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
            statistics=rows_statistics(group, tiers.get(code, [])),
            previous_complete=coverage[code].complete if code in coverage else True,
            previous_units=coverage[code].rows if code in coverage else None,
        )
        for code, group in grouped
    ]


def _previous_coverage(decision: Decision, blocks: Sequence[Block]) -> dict:
    """block code → how much of it the year compared with holds (BlockCoverage)."""
    previous = previous_year_of(decision.campaign)
    if previous is None:
        return {}
    table = previous_table(previous, block_ids=[block.pk for block in blocks])
    return {block.code: table.blocks[block.pk] for block in blocks if block.pk in table.blocks}


def summary_text(*, decision: Decision, rows: Sequence[PublishedResult]) -> str:
    """The summary of a decision's results: paragraphs separated by blank lines."""
    blocks = block_summaries(decision=decision, rows=rows)
    previous = previous_year_of(decision.campaign)
    texts = paragraphs(
        year=decision.campaign.year,
        number_text=decision.number,
        signed_on=decision.signed_on,
        issuing_body=decision.issuing_body,
        blocks=blocks,
        previous_year=previous.year if previous else None,
    )
    return "\n\n".join(text for text in texts if text)

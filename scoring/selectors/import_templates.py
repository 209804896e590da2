"""Workbooks to fill in for the staff imports, pre-filled for one campaign.

The survey template lists every assessed unit × survey criterion of its framework ×
respondent group, under the campaign's answer codes; the scores template every unit ×
scored leaf. Staff then only type figures: codes, names and groups are the campaign's
own, so the file imports without a mistyped code. A fixed number of queries whatever
the number of units.
"""

from collections import defaultdict
from dataclasses import dataclass

from scoring.exchange.scoring_sheet_format import scale_text
from scoring.models import Assessment, Campaign, Criterion, SurveyResult


@dataclass(frozen=True)
class SurveyTemplate:
    answer_codes: list[str]
    rows: list[list[object]]  # unit code, unit name, code, title, group, counts…


def _assessments(campaign: Campaign) -> list[Assessment]:
    return list(
        Assessment.objects.filter(campaign=campaign)
        .exclude(state=Assessment.State.PUBLISHED)
        .select_related("unit__block")
        .order_by("unit__block__position", "unit__search_text")
    )


def _leaves(assessments: list[Assessment], **filters) -> dict[int, list[Criterion]]:
    """Framework → its leaves matching `filters`, in code order."""
    leaves: dict[int, list[Criterion]] = defaultdict(list)
    for leaf in Criterion.objects.filter(
        framework_id__in={a.framework_id for a in assessments}, children__isnull=True, **filters
    ).order_by("sort_key"):
        leaves[leaf.framework_id].append(leaf)
    return leaves


def survey_template(campaign: Campaign) -> SurveyTemplate:
    """One row per unit, survey criterion and respondent group (four queries).

    A unit's groups are those already imported for it, with their counts; otherwise
    the groups that answered on the same criterion for any unit of its block, this
    year or the year before; otherwise one row with the group left to fill in.
    Rows of counts left empty are skipped by the import, so a partly filled
    template imports what was filled.
    """
    answer_codes = list(campaign.survey_answers.order_by("code").values_list("code", flat=True))
    assessments = _assessments(campaign)
    leaves = _leaves(assessments, method=Criterion.Method.SURVEY)
    imported: dict[tuple[int, int], dict[str, dict]] = defaultdict(dict)
    known: dict[tuple[int, str], set[str]] = defaultdict(set)  # (block, code) → groups
    for assessment_id, criterion_id, block_id, code, year, group, counts in (
        SurveyResult.objects.filter(
            assessment__campaign__year__in=(campaign.year, campaign.year - 1)
        )
        .order_by()
        .values_list(
            "assessment_id",
            "criterion_id",
            "assessment__unit__block_id",
            "criterion__code",
            "assessment__campaign__year",
            "respondent_group",
            "answer_counts",
        )
    ):
        known[block_id, code].add(group)
        if year == campaign.year:
            imported[assessment_id, criterion_id][group] = counts
    rows: list[list[object]] = []
    for assessment in assessments:
        unit = assessment.unit
        for leaf in leaves[assessment.framework_id]:
            counts = imported.get((assessment.pk, leaf.pk), {})
            groups = sorted(counts) or sorted(known.get((unit.block_id, leaf.code), ())) or [""]
            for group in groups:
                figures = counts.get(group, {})
                rows.append(
                    [unit.code, unit.name, leaf.code, leaf.title, group]
                    + [figures.get(code) for code in answer_codes]
                )
    return SurveyTemplate(answer_codes=answer_codes, rows=rows)


def scores_template(campaign: Campaign) -> list[list[object]]:
    """One row per unit and scored leaf: unit code and name, code, title, how it is scored.

    The points are left empty (an empty cell changes nothing on import), so a file
    filled in over days never writes back what someone changed on screen meanwhile.
    Two queries.
    """
    assessments = _assessments(campaign)
    leaves = _leaves(assessments)
    return [
        [unit.code, unit.name, leaf.code, leaf.title, scale_text(leaf)]
        for assessment in assessments
        for unit in (assessment.unit,)
        for leaf in leaves[assessment.framework_id]
        if leaf.method != Criterion.Method.SURVEY
    ]

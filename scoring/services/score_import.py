"""Staff import of many units' scores from one workbook (import_scores)."""

from copy import copy
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _

from scoring.exchange.bulk_scores_xlsx import ScoreRow, read_scores_file
from scoring.exchange.scoring_sheet_format import FIGURES
from scoring.models import Assessment, Campaign, Criterion, Score
from scoring.points_rules import PointsError, checked_points
from scoring.services.import_rows import (
    ImportRefused,
    Problem,
    criteria_of,
    file_bytes,
    file_name,
    published_campaign_problem,
    row_assessment,
    units_and_assessments,
    unknown_criterion,
)
from scoring.services.score_changes import AssessmentError, save_with_history
from scoring.services.sheet_import import apply_own_entry, judge_own_entry, recorded_key
from units.access import may_import_results
from units.models import Unit

# What a row of the file may set; the unit's explanation and reply are not in it.
IMPORTED_FIELDS = (
    "not_applicable",
    "na_reason",
    "self_points",
    "self_input",
    "appraised_points",
    "appraisal_note",
    "final_points",
)


@dataclass
class UnitScores:
    """What a scores file did to one unit: its rows, and the leaves that changed."""

    unit: Unit
    rows: int = 0
    changed: list[str] = field(default_factory=list)


@transaction.atomic
def scores_import(*, campaign: Campaign, file: bytes | BinaryIO, actor) -> list[UnitScores]:
    """Self-assessed, appraised and final points of many units from one file, or nothing.

    An operations tool for the Interior Department (bringing in scores kept elsewhere):
    only its staff use it, and each change's history names them. It follows each leaf's
    scoring rules but not the workflow's states or deadlines, except that a published
    assessment never changes. An empty cell changes nothing.
    """
    if not may_import_results(actor):
        raise AssessmentError(_("Only Interior Department staff import scores."))
    read = read_scores_file(file_bytes(file), name=file_name(file))
    problems = list(read.problems)
    if campaign.status == Campaign.Status.PUBLISHED:
        problems.append(published_campaign_problem(campaign))
    units, assessments = units_and_assessments(campaign, {row.unit_code for row in read.rows})
    criteria, parents = criteria_of({a.framework_id for a in assessments.values()})
    # The locks every score writer takes, assessments first and in one order (two
    # imports never wait on each other crosswise); the scores are read under them.
    # Staff's import is authoritative by design: it has no "opened" version to check.
    ids = sorted(assessment.pk for assessment in assessments.values())
    list(Assessment.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    scores = {
        (score.assessment_id, score.criterion_id): score
        for score in Score.objects.select_for_update().filter(assessment_id__in=ids).order_by("pk")
    }

    summaries: dict[int, UnitScores] = {}
    changed: list[tuple[Assessment, Criterion, Score]] = []
    for row in read.rows:

        def problem(name: str, message: str, row: ScoreRow = row) -> None:
            problems.append(read.problem(row.row, name, message))

        assessment = row_assessment(row.unit_code, units, assessments, campaign, problem)
        if assessment is None:
            continue
        summary = summaries.setdefault(assessment.unit_id, UnitScores(unit=assessment.unit))
        summary.rows += 1
        criterion = criteria.get((assessment.framework_id, row.code))
        if criterion is None:
            problem("code", unknown_criterion(row.code, assessment))
            continue
        if criterion.pk in parents:
            problem(
                "code",
                _("%(code)s has sub-criteria and is not scored itself.") % {"code": row.code},
            )
            continue
        if criterion.method == Criterion.Method.SURVEY:
            problem("code", _("Survey criteria are scored from the survey results."))
            continue
        current = scores.get((assessment.pk, criterion.pk))
        score = _score_from_row(row, criterion, current, assessment, problem)
        if score is not None and _score_state(score) != _score_state(current):
            changed.append((assessment, criterion, score))
            summary.changed.append(criterion.code)
    if problems:
        raise ImportRefused(read.ordered(problems))

    for _assessment, _criterion, score in changed:
        save_with_history(score, actor, "import", fields=IMPORTED_FIELDS)
    return sorted(summaries.values(), key=lambda s: (s.unit.block.position, s.unit.search_text))


def _score_from_row(
    row: ScoreRow,
    criterion: Criterion,
    current: Score | None,
    assessment: Assessment,
    problem: Problem,
) -> Score | None:
    """The leaf's score as the row leaves it (unsaved), or None after naming its problems."""
    # A copy, so `current` keeps the stored values to compare with.
    score = (
        copy(current) if current is not None else Score(assessment=assessment, criterion=criterion)
    )
    cells = row.own
    sound = True
    said_not_applicable = cells.not_applicable is not None
    if said_not_applicable or any(name in cells.filled for name in FIGURES):
        if cells.not_applicable is False and not (cells.filled & set(FIGURES)):
            # "Không áp dụng: Không" alone: the leaf applies again, its points unchanged.
            score.not_applicable, score.na_reason = False, ""
        else:
            own = judge_own_entry(criterion, cells, problem)
            if own is None:
                sound = False
            else:
                apply_own_entry(score, own)
    elif "na_reason" in cells.filled:
        if score.not_applicable:
            score.na_reason = cells.na_reason
    for name in ("appraised_points", "final_points"):
        value = getattr(row, name)
        if name not in row.filled:
            continue
        if value is None:
            sound = False  # unreadable: already named
        elif score.not_applicable:
            problem(name, _("the criterion is marked not applicable: leave this cell empty."))
            sound = False
        else:
            # The leaf's rule, as for the self-assessed points and on the appraisal screen.
            try:
                setattr(score, name, checked_points(criterion, value))
            except PointsError as error:
                problem(name, str(error))
                sound = False
    if "appraisal_note" in row.filled:
        score.appraisal_note = row.appraisal_note
    if (
        sound
        and "appraised_points" in row.filled
        and score.self_points is not None
        and score.appraised_points < score.self_points
        and not score.appraisal_note.strip()
    ):
        problem(
            "appraised_points",
            _("Write a note saying why %(code)s gets fewer points than the unit claimed.")
            % {"code": criterion.code},
        )
        sound = False
    return score if sound else None


def _score_state(score: Score | None) -> tuple:
    if score is None:
        return (False, "", None, (), None, "", None)
    return (
        score.not_applicable,
        score.na_reason,
        score.self_points,
        recorded_key(score.self_input),
        score.appraised_points,
        score.appraisal_note,
        score.final_points,
    )

"""Scores and survey results brought in from workbooks: whole files or nothing.

Each import reads its file (scoring.exchange), then checks every row against the
database and the criteria's rules, collecting every problem; it writes only when
there is none, inside one transaction, and otherwise raises ImportRefused naming
them all. Score changes are saved one leaf at a time through the history (reason
"import"), as the self-assessment screens save them. Survey results keep no history
and a province sends thousands of them: they are written in bulk.
"""

from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scoring import access
from scoring.exchange.bulk_scores_xlsx import ScoreRow, read_scores_file
from scoring.exchange.framework_xlsx import METHOD_LABELS
from scoring.exchange.problems import ImportProblem, file_problem
from scoring.exchange.scores_xlsx import (
    FIGURES,
    INPUTS,
    SCORED_BY,
    SelfCells,
    SheetIdentity,
    read_scoring_sheet,
    write_scoring_sheet,
)
from scoring.exchange.survey_xlsx import read_survey_file
from scoring.exchange.workbook import plain
from scoring.frameworks import to_decimal
from scoring.models import Assessment, Campaign, Criterion, Score, SurveyResult
from scoring.selectors import UnitSurveyPoints, survey_points_by_unit
from scoring.services.assessments import (
    AssessmentError,
    SelfInput,
    _save_with_history,
    leaf_self_points,
)
from units.access import user_roles
from units.models import Unit

Problem = Callable[[str, str], None]  # (field, message) of the row being checked


class ImportRefused(Exception):
    """A file was refused; `problems` names every problem found, and nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__(
            ngettext(
                "The file was refused because of %(count)d problem; nothing was imported.",
                "The file was refused because of %(count)d problems; nothing was imported.",
                len(problems),
            )
            % {"count": len(problems)}
        )


def _bytes(file: bytes | BinaryIO) -> bytes:
    return file if isinstance(file, bytes) else file.read()


def _name(file: bytes | BinaryIO) -> str:
    """An uploaded file's name, for the messages that refuse it; bytes have none."""
    return getattr(file, "name", None) or ""


# -- a unit's own entry for a leaf, as both score imports read it -------------------------


@dataclass(frozen=True)
class OwnEntry:
    not_applicable: bool
    na_reason: str
    points: Decimal | None
    recorded: dict


def judge_own_entry(criterion: Criterion, cells: SelfCells, problem: Problem) -> OwnEntry | None:
    """The unit's entry for a leaf by the rules of score_self_assess, or None after problems."""
    method = criterion.method
    scored_by = SCORED_BY.get(method, ("points",))
    figures = [name for name in FIGURES if name in cells.filled]
    sound = True
    for name in figures:
        if name in scored_by:
            continue
        sound = False
        if method == Criterion.Method.SURVEY:
            problem(name, _("Survey criteria are scored from the survey results."))
        else:
            problem(
                name,
                _("%(code)s is scored by “%(method)s”: leave this cell empty.")
                % {"code": criterion.code, "method": METHOD_LABELS.get(method, method)},
            )
    if cells.not_applicable:
        if not criterion.na_allowed:
            problem("not_applicable", _("This criterion applies to every unit."))
            return None
        if not cells.na_reason:
            problem("na_reason", _("Say why the criterion does not apply to the unit."))
            sound = False
        for name in figures:
            if name in scored_by:
                problem(name, _("the criterion is marked not applicable: leave this cell empty."))
                sound = False
        return OwnEntry(True, cells.na_reason, None, {}) if sound else None
    if not sound or cells.bad & set(scored_by):
        return None
    entry = SelfInput(
        points=cells.points,
        level=cells.level,
        numerator=cells.numerator,
        denominator=cells.denominator,
    )
    try:
        points, recorded = leaf_self_points(criterion, entry)
    except AssessmentError as error:
        if method == Criterion.Method.LEVELS:
            labels = [str(entry.get("label", "")) for entry in criterion.scale or []]
            problem(
                "level",
                _("unknown level “%(level)s”: choose one of %(levels)s.")
                % {"level": cells.level, "levels": "; ".join(labels)},
            )
        elif method == Criterion.Method.RATIO:
            problem("denominator" if cells.numerator is not None else "numerator", str(error))
        else:
            problem("points", str(error))
        return None
    return OwnEntry(False, "", points, recorded)


def _recorded_key(recorded: object) -> tuple:
    """A self_input compared by value: figures "90" and "90.0" are the same entry."""
    if not isinstance(recorded, dict):
        return ()
    items = []
    for key, value in recorded.items():
        number = to_decimal(value) if key in ("numerator", "denominator") else None
        items.append((key, plain(number) if number is not None else value))
    return tuple(sorted(items))


def _unknown_criterion(code: str, assessment: Assessment) -> str:
    return _("there is no criterion %(code)s in the framework “%(framework)s”.") % {
        "code": code,
        "framework": assessment.framework.name,
    }


def _criteria_of(framework_ids: set[int]) -> tuple[dict[tuple[int, str], Criterion], set[int]]:
    """(framework, code) → criterion, and the ids of those with sub-criteria: two queries."""
    criteria = Criterion.objects.filter(framework_id__in=framework_ids)
    by_code = {(c.framework_id, c.code): c for c in criteria}
    parents = set(
        Criterion.objects.filter(framework_id__in=framework_ids, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    return by_code, parents


# -- the unit's scoring sheet ------------------------------------------------------------


def assessment_sheet_export(*, assessment: Assessment) -> tuple[bytes, SheetIdentity]:
    """The assessment's scoring sheet, pre-filled with the unit's entries (two queries)."""
    identity = sheet_identity(assessment)
    criteria = list(assessment.framework.criteria.order_by("sort_key"))
    scores = {score.criterion_id: score for score in assessment.scores.all()}
    data = write_scoring_sheet(
        identity=identity,
        criteria=criteria,
        scores=scores,
        downloaded_at=timezone.localtime(),
    )
    return data, identity


def sheet_identity(assessment: Assessment) -> SheetIdentity:
    return SheetIdentity(
        year=assessment.campaign.year,
        unit_code=assessment.unit.code,
        unit_name=assessment.unit.name,
        framework_name=assessment.framework.name,
    )


@dataclass(frozen=True)
class SheetImport:
    """What an accepted sheet changed: the codes of the leaves saved."""

    changed: list[str]


@transaction.atomic
def assessment_sheet_import(
    *, assessment: Assessment, actor, file: bytes | BinaryIO
) -> SheetImport:
    """Save the leaves a unit changed in its scoring sheet, all of them or none.

    The same rules as score_self_assess, leaf by leaf: only the unit's officers,
    only while its self-assessment is open; the sheet must be this assessment's.
    """
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("campaign", "unit", "framework")
        .get(pk=assessment.pk)
    )
    if not access.assessment_access(actor, assessment).is_unit_member:
        raise AssessmentError(_("Only the unit's officers may fill in its self-assessment."))
    if not access.self_assessment_open(assessment):
        raise AssessmentError(
            _("The self-assessment is closed: it was submitted or its deadline passed.")
        )
    sheet = read_scoring_sheet(_bytes(file), name=_name(file))
    problems = list(sheet.problems)
    wrong = _wrong_assessment(sheet.year, sheet.unit_code, assessment)
    if wrong:
        # Another unit's or year's sheet: its rows would only add noise to the refusal.
        raise ImportRefused(sheet.ordered([*problems, sheet.info_problem(*wrong)]))

    criteria, parents = _criteria_of({assessment.framework_id})
    scores = {score.criterion_id: score for score in assessment.scores.all()}
    changes: list[tuple[Criterion, OwnEntry, str]] = []
    for entry in sheet.entries:

        def problem(name: str, message: str, row: int = entry.row) -> None:
            problems.append(sheet.problem(row, name, message))

        criterion = criteria.get((assessment.framework_id, entry.code))
        cells = entry.cells
        if criterion is None:
            problem("code", _unknown_criterion(entry.code, assessment))
            continue
        if criterion.pk in parents or criterion.method == Criterion.Method.SURVEY:
            for name in sorted(cells.filled, key=INPUTS.index):
                problem(
                    name,
                    _("a row with sub-criteria is not scored itself: leave this cell empty.")
                    if criterion.pk in parents
                    else _("Survey criteria are scored from the survey results."),
                )
            continue
        own = judge_own_entry(criterion, cells, problem)
        if own is None:
            continue
        if _self_state(scores.get(criterion.pk)) != _own_state(own, cells.explanation):
            changes.append((criterion, own, cells.explanation))
    if problems:
        raise ImportRefused(sheet.ordered(problems))

    for criterion, own, explanation in changes:
        score = scores.get(criterion.pk) or Score(assessment=assessment, criterion=criterion)
        _apply_own(score, own)
        score.self_explanation = explanation
        _save_with_history(score, actor, "import")
    return SheetImport(changed=[criterion.code for criterion, _own, _text in changes])


def _wrong_assessment(
    year: int | None, unit_code: str, assessment: Assessment
) -> tuple[str, str] | None:
    """(info key, message) when the sheet names another assessment than this one."""
    if year is None or not unit_code:
        return None  # already named: the file does not say whose it is
    if unit_code.lower() == assessment.unit.code.lower() and year == assessment.campaign.year:
        return None
    key = "unit_code" if unit_code.lower() != assessment.unit.code.lower() else "year"
    return key, _(
        "this sheet belongs to unit %(file_unit)s for %(file_year)s, not to %(unit)s for "
        "%(year)s: download this assessment's own sheet."
    ) % {
        "file_unit": unit_code,
        "file_year": year,
        "unit": assessment.unit.code,
        "year": assessment.campaign.year,
    }


def _self_state(score: Score | None) -> tuple:
    if score is None:
        return (False, "", None, (), "")
    return (
        score.not_applicable,
        score.na_reason if score.not_applicable else "",
        score.self_points,
        _recorded_key(score.self_input),
        score.self_explanation,
    )


def _own_state(own: OwnEntry, explanation: str) -> tuple:
    return (
        own.not_applicable,
        own.na_reason,
        own.points,
        _recorded_key(own.recorded),
        explanation,
    )


def _apply_own(score: Score, own: OwnEntry) -> None:
    score.not_applicable = own.not_applicable
    score.na_reason = own.na_reason
    score.self_points = own.points
    score.self_input = own.recorded


# -- the staff's scores file ---------------------------------------------------------------


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
    if not user_roles(actor).staff:
        raise AssessmentError(_("Only Interior Department staff import scores."))
    read = read_scores_file(_bytes(file), name=_name(file))
    problems = list(read.problems)
    if campaign.status == Campaign.Status.PUBLISHED:
        problems.append(_published_campaign(campaign))
    units, assessments = _units_and_assessments(campaign, {row.unit_code for row in read.rows})
    criteria, parents = _criteria_of({a.framework_id for a in assessments.values()})
    scores = {
        (score.assessment_id, score.criterion_id): score
        for score in Score.objects.filter(assessment__in=list(assessments.values()))
    }

    summaries: dict[int, UnitScores] = {}
    changed: list[tuple[Assessment, Criterion, Score]] = []
    for row in read.rows:

        def problem(name: str, message: str, row: ScoreRow = row) -> None:
            problems.append(read.problem(row.row, name, message))

        assessment = _row_assessment(row.unit_code, units, assessments, campaign, problem)
        if assessment is None:
            continue
        summary = summaries.setdefault(assessment.unit_id, UnitScores(unit=assessment.unit))
        summary.rows += 1
        criterion = criteria.get((assessment.framework_id, row.code))
        if criterion is None:
            problem("code", _unknown_criterion(row.code, assessment))
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
        _save_with_history(score, actor, "import")
    return sorted(summaries.values(), key=lambda s: (s.unit.block.position, s.unit.search_text))


def _published_campaign(campaign: Campaign) -> ImportProblem:
    return file_problem(
        _("The %(year)s results are published: their scores can no longer change.")
        % {"year": campaign.year}
    )


def _units_and_assessments(
    campaign: Campaign, codes: set[str]
) -> tuple[dict[str, Unit], dict[int, Assessment]]:
    """Units by lower-cased code, and their assessments in the campaign: two queries."""
    wanted = {code.lower() for code in codes}
    units = {
        unit.code.lower(): unit
        for unit in Unit.objects.annotate(code_lower=Lower("code"))
        .filter(code_lower__in=wanted)
        .select_related("block")
    }
    assessments = {
        assessment.unit_id: assessment
        for assessment in Assessment.objects.filter(
            campaign=campaign, unit__in=list(units.values())
        ).select_related("unit__block", "framework")
    }
    return units, assessments


def _row_assessment(
    unit_code: str,
    units: dict[str, Unit],
    assessments: dict[int, Assessment],
    campaign: Campaign,
    problem: Problem,
) -> Assessment | None:
    unit = units.get(unit_code.lower())
    if unit is None:
        problem("unit_code", _("there is no unit with the code “%(code)s”.") % {"code": unit_code})
        return None
    assessment = assessments.get(unit.pk)
    if assessment is None:
        problem(
            "unit_code",
            _("%(unit)s has no assessment in the %(year)s campaign.")
            % {"unit": unit.name, "year": campaign.year},
        )
        return None
    if assessment.state == Assessment.State.PUBLISHED:
        problem(
            "unit_code",
            _("the assessment of %(unit)s is published: its scores can no longer change.")
            % {"unit": unit.name},
        )
        return None
    return assessment


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
                _apply_own(score, own)
    elif "na_reason" in cells.filled:
        if score.not_applicable:
            score.na_reason = cells.na_reason
    maximum = criterion.max_points
    for name in ("appraised_points", "final_points"):
        value = getattr(row, name)
        if name not in row.filled:
            continue
        if value is None:
            sound = False  # unreadable: already named
        elif score.not_applicable:
            problem(name, _("the criterion is marked not applicable: leave this cell empty."))
            sound = False
        elif not (0 <= value <= maximum):
            problem(
                name,
                _("Points must be between 0 and %(max)s.") % {"max": maximum.normalize()},
            )
            sound = False
        else:
            setattr(score, name, value)
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
        _recorded_key(score.self_input),
        score.appraised_points,
        score.appraisal_note,
        score.final_points,
    )


# -- survey results ------------------------------------------------------------------------


@transaction.atomic
def survey_import(*, campaign: Campaign, file: bytes | BinaryIO, actor) -> list[UnitSurveyPoints]:
    """Answer counts per unit, survey leaf and respondent group, from one file or not at all.

    Only Interior Department staff import them. Each row replaces the counts stored for
    its (unit, leaf, group); other groups of the same leaf are kept. Returns the survey
    points of the units in the file.
    """
    if not user_roles(actor).staff:
        raise AssessmentError(_("Only Interior Department staff import survey results."))
    answers = list(campaign.survey_answers.order_by("code").values_list("code", flat=True))
    if not answers:
        raise ImportRefused(
            [
                file_problem(
                    _(
                        "The %(year)s campaign has no survey answers yet: set its answers "
                        "(A, B, C, D…) and their weights first."
                    )
                    % {"year": campaign.year}
                )
            ]
        )
    read = read_survey_file(_bytes(file), answers, name=_name(file))
    problems = list(read.problems)
    if campaign.status == Campaign.Status.PUBLISHED:
        problems.append(_published_campaign(campaign))
    units, assessments = _units_and_assessments(campaign, {row.unit_code for row in read.rows})
    criteria, parents = _criteria_of({a.framework_id for a in assessments.values()})

    counts_by_key: dict[tuple[int, int, str], dict[str, int]] = {}
    for row in read.rows:

        def problem(name: str, message: str, row_number: int = row.row) -> None:
            problems.append(read.problem(row_number, name, message))

        assessment = _row_assessment(row.unit_code, units, assessments, campaign, problem)
        if assessment is None:
            continue
        criterion = criteria.get((assessment.framework_id, row.code))
        if (
            criterion is None
            or criterion.pk in parents
            or criterion.method != Criterion.Method.SURVEY
        ):
            problem(
                "code",
                _("%(code)s is not a survey criterion of the framework “%(framework)s”.")
                % {"code": row.code, "framework": assessment.framework.name},
            )
            continue
        counts = {code: row.counts.get(code, 0) for code in answers}
        counts_by_key[assessment.pk, criterion.pk, row.group] = counts
    if problems:
        raise ImportRefused(read.ordered(problems))

    assessment_ids = {assessment_id for assessment_id, _leaf, _group in counts_by_key}
    _survey_results_replace(assessment_ids, counts_by_key)
    return survey_points_by_unit(campaign, assessment_ids=assessment_ids)


# Rows per INSERT or UPDATE: a province's file holds thousands, and one UPDATE … CASE
# over all of them would be a single huge statement. SQLite lowers it further by itself
# (999 parameters a statement).
SURVEY_BATCH_SIZE = 500


def _survey_results_replace(
    assessment_ids: set[int], counts_by_key: dict[tuple[int, int, str], dict[str, int]]
) -> None:
    """Store the counts of each (assessment, leaf, group), in queries per batch, not per row."""
    # Locking the assessments makes the read below hold until the writes are done: a
    # concurrent import of the same units waits instead of inserting the same rows.
    list(
        Assessment.objects.select_for_update()
        .filter(pk__in=assessment_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    leaf_ids = {criterion_id for _assessment, criterion_id, _group in counts_by_key}
    stored = {
        (result.assessment_id, result.criterion_id, result.respondent_group): result
        for result in SurveyResult.objects.filter(
            assessment_id__in=assessment_ids, criterion_id__in=leaf_ids
        )
        .only("assessment_id", "criterion_id", "respondent_group")
        .order_by()
    }
    # bulk_update skips auto_now: set it as save() would, for rows created and replaced alike.
    now = timezone.now()
    created: list[SurveyResult] = []
    replaced: list[SurveyResult] = []
    for (assessment_id, criterion_id, group), counts in counts_by_key.items():
        result = stored.get((assessment_id, criterion_id, group))
        if result is None:
            result = SurveyResult(
                assessment_id=assessment_id, criterion_id=criterion_id, respondent_group=group
            )
            created.append(result)
        else:
            replaced.append(result)
        result.answer_counts = counts
        result.imported_at = now
    SurveyResult.objects.bulk_create(created, batch_size=SURVEY_BATCH_SIZE)
    SurveyResult.objects.bulk_update(
        replaced, ["answer_counts", "imported_at"], batch_size=SURVEY_BATCH_SIZE
    )

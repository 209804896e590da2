"""The unit's scoring sheet: exported for offline work, imported back leaf by leaf."""

import datetime
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scoring import access
from scoring.exchange.framework_format import METHOD_LABELS
from scoring.exchange.scoring_sheet_format import (
    FIGURES,
    INPUTS,
    SCORED_BY,
    SelfCells,
    SheetIdentity,
)
from scoring.exchange.scoring_sheet_reader import read_scoring_sheet
from scoring.exchange.scoring_sheet_writer import write_scoring_sheet
from scoring.exchange.workbook import plain
from scoring.models import Assessment, Criterion, Score
from scoring.services.import_rows import (
    ImportRefused,
    Problem,
    criteria_of,
    file_bytes,
    file_name,
    unknown_criterion,
)
from scoring.services.score_changes import (
    AssessmentError,
    changed_by,
    changed_when,
    lock_assessment,
    lock_scores,
    save_with_history,
)
from scoring.services.self_assessment import SELF_FIELDS, SelfInput, leaf_self_points
from units.numbers import localized, to_decimal


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


def recorded_key(recorded: object) -> tuple:
    """A self_input compared by value: figures "90" and "90.0" are the same entry."""
    if not isinstance(recorded, dict):
        return ()
    items = []
    for key, value in recorded.items():
        number = to_decimal(value) if key in ("numerator", "denominator") else None
        items.append((key, plain(number) if number is not None else value))
    return tuple(sorted(items))


def assessment_sheet_export(*, assessment: Assessment) -> tuple[bytes, SheetIdentity]:
    """The assessment's scoring sheet, pre-filled with the unit's entries (three queries).

    The scores are read, and its download time ("Tải về lúc") taken, under the
    assessment's row lock, which every score writer takes: a save is in the sheet or
    later than that time, which the import's conflict check relies on.
    """
    identity = sheet_identity(assessment)
    with transaction.atomic():
        lock_assessment(assessment)
        criteria = list(assessment.framework.criteria.order_by("sort_key"))
        scores = {score.criterion_id: score for score in assessment.scores.all()}
        downloaded_at = _moment_passed()
    data = write_scoring_sheet(
        identity=identity,
        criteria=criteria,
        scores=scores,
        downloaded_at=downloaded_at,
    )
    return data, identity


def _moment_passed() -> datetime.datetime:
    """The next whole millisecond (what a sheet can hold), once it has passed.

    Taken under the lock, after reading: every save before it is in the sheet, and
    every save after it (after the lock is released) is later, not in the same
    millisecond. Waiting for it costs under a millisecond.
    """
    now = timezone.localtime()
    moment = now.replace(microsecond=now.microsecond // 1000 * 1000) + datetime.timedelta(
        milliseconds=1
    )
    while timezone.now() < moment:
        time.sleep(0.0001)
    return moment


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
    The sheet was "opened" when it was downloaded ("Tải về lúc" on its info sheet): a
    leaf it would change that someone saved since then is refused (the whole file, as
    any bad row), naming who and when, with both values, so that an old copy never
    overwrites a newer entry. Leaves the file leaves as they are saved are no conflict.
    """
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("campaign", "unit", "framework")
        .get(pk=assessment.pk)
    )
    if not access.may_fill_in(access.assessment_access(actor, assessment)):
        raise AssessmentError(_("Only the unit's officers may fill in its self-assessment."))
    if not access.self_assessment_open(assessment):
        raise AssessmentError(
            _("The self-assessment is closed: it was submitted or its deadline passed.")
        )
    sheet = read_scoring_sheet(file_bytes(file), name=file_name(file))
    problems = list(sheet.problems)
    wrong = _wrong_assessment(sheet.year, sheet.unit_code, assessment)
    if wrong:
        # Another unit's or year's sheet: its rows would only add noise to the refusal.
        raise ImportRefused(sheet.ordered([*problems, sheet.info_problem(*wrong)]))

    if sheet.downloaded_at is None and sheet.year is not None and sheet.unit_code:
        # Only a sheet that says whose it is: a file that does not is refused for that.
        problems.append(
            sheet.info_problem(
                "downloaded_at",
                _(
                    "the file does not say when it was downloaded, so changes made on the "
                    "portal since could be overwritten: download this assessment's own sheet "
                    "and fill that in."
                ),
            )
        )
    criteria, parents = criteria_of({assessment.framework_id})
    scores = lock_scores(assessment)
    changes: list[tuple[Criterion, OwnEntry, str]] = []
    for entry in sheet.entries:

        def problem(name: str, message: str, row: int = entry.row) -> None:
            problems.append(sheet.problem(row, name, message))

        criterion = criteria.get((assessment.framework_id, entry.code))
        cells = entry.cells
        if criterion is None:
            problem("code", unknown_criterion(entry.code, assessment))
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
        current = scores.get(criterion.pk)
        if _self_state(current) != _own_state(own, cells.explanation):
            if _changed_since(current, sheet.downloaded_at):
                problem("code", _conflict(current, own, cells.explanation, sheet.downloaded_at))
            changes.append((criterion, own, cells.explanation))
    if problems:
        raise ImportRefused(sheet.ordered(problems))

    for criterion, own, explanation in changes:
        score = scores.get(criterion.pk) or Score(assessment=assessment, criterion=criterion)
        apply_own_entry(score, own)
        score.self_explanation = explanation
        save_with_history(score, actor, "import", fields=SELF_FIELDS)
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


def _changed_since(score: Score | None, downloaded_at) -> bool:
    """Saved by someone at or after the download time (an empty row counts as unsaved).

    A sheet written before the time had milliseconds says it to the minute: a save in
    that minute counts as after it, which may refuse needlessly but never overwrites.
    """
    return (
        score is not None
        and downloaded_at is not None
        and score.version > 0
        and score.updated_at >= downloaded_at
    )


def _conflict(score: Score, own: OwnEntry, explanation: str, downloaded_at) -> str:
    saved = _entry_text(score.not_applicable, score.self_points)
    theirs = _entry_text(own.not_applicable, own.points)
    if saved == theirs:
        saved = _("explanation “%(text)s”") % {"text": score.self_explanation[:80]}
        theirs = _("explanation “%(text)s”") % {"text": explanation[:80]}
    return _(
        "changed on the portal by %(name)s at %(time)s, after this sheet was downloaded "
        "(%(downloaded)s): saved now %(saved)s, in this file %(theirs)s. Download the sheet "
        "again and enter your changes in it, or make this one on the portal."
    ) % {
        "name": changed_by(score),
        "time": changed_when(score),
        "downloaded": timezone.localtime(downloaded_at).strftime("%H:%M %d/%m/%Y"),
        "saved": saved,
        "theirs": theirs,
    }


def _entry_text(not_applicable: bool, points: Decimal | None) -> str:
    if not_applicable:
        return _("not applicable")
    if points is None:
        return _("no points")
    return ngettext("%(points)s point", "%(points)s points", 1 if points == 1 else 2) % {
        "points": localized(points)
    }


def _self_state(score: Score | None) -> tuple:
    if score is None:
        return (False, "", None, (), "")
    return (
        score.not_applicable,
        score.na_reason if score.not_applicable else "",
        score.self_points,
        recorded_key(score.self_input),
        score.self_explanation,
    )


def _own_state(own: OwnEntry, explanation: str) -> tuple:
    return (
        own.not_applicable,
        own.na_reason,
        own.points,
        recorded_key(own.recorded),
        explanation,
    )


def apply_own_entry(score: Score, own: OwnEntry) -> None:
    score.not_applicable = own.not_applicable
    score.na_reason = own.na_reason
    score.self_points = own.points
    score.self_input = own.recorded

"""Staff import of a campaign's survey answer counts."""

from typing import BinaryIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.exchange.problems import file_problem
from scoring.exchange.survey_xlsx import read_survey_file
from scoring.models import Assessment, Campaign, Criterion, SurveyResult
from scoring.selectors.survey import UnitSurveyPoints, survey_points_by_unit
from scoring.services.import_rows import (
    ImportRefused,
    criteria_of,
    file_bytes,
    file_name,
    published_campaign_problem,
    row_assessment,
    units_and_assessments,
)
from scoring.services.score_changes import AssessmentError
from units.access import may_import_results


@transaction.atomic
def survey_import(*, campaign: Campaign, file: bytes | BinaryIO, actor) -> list[UnitSurveyPoints]:
    """Answer counts per unit, survey leaf and respondent group, from one file or not at all.

    Only Interior Department staff import them. Each row replaces the counts stored for
    its (unit, leaf, group); other groups of the same leaf are kept. Returns the survey
    points of the units in the file.
    """
    if not may_import_results(actor):
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
    read = read_survey_file(file_bytes(file), answers, name=file_name(file))
    problems = list(read.problems)
    if campaign.status == Campaign.Status.PUBLISHED:
        problems.append(published_campaign_problem(campaign))
    units, assessments = units_and_assessments(campaign, {row.unit_code for row in read.rows})
    criteria, parents = criteria_of({a.framework_id for a in assessments.values()})

    counts_by_key: dict[tuple[int, int, str], dict[str, int]] = {}
    for row in read.rows:

        def problem(name: str, message: str, row_number: int = row.row) -> None:
            problems.append(read.problem(row_number, name, message))

        assessment = row_assessment(row.unit_code, units, assessments, campaign, problem)
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

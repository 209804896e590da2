"""Criteria frameworks, campaigns, assessments and their scores.

Points are Decimal with two decimal places in the database: every maximum, step
and level in the official frameworks is a multiple of 0.25, and the results of a
computation are never stored here but derived by the scoring service.
"""

from scoring.models.assessments import (
    HISTORY_REASONS,
    POINTS_SUM,
    AppraiserAssignment,
    Assessment,
    AssessmentEvent,
    AssessmentQuerySet,
    Evidence,
    EvidenceFile,
    Score,
    counted_points_sql,
    evidence_path,
)
from scoring.models.campaigns import Campaign, CampaignBlock, SurveyAnswer, TierBand
from scoring.models.frameworks import (
    POINTS,
    Criterion,
    Framework,
    FrameworkLockedError,
    code_sort_key,
)
from scoring.models.results import EXACT, Result, ResultFigures, ResultQuerySet
from scoring.models.surveys import SurveyResult

__all__ = [
    "HISTORY_REASONS",
    "EXACT",
    "POINTS",
    "AppraiserAssignment",
    "Assessment",
    "AssessmentEvent",
    "AssessmentQuerySet",
    "POINTS_SUM",
    "counted_points_sql",
    "Campaign",
    "CampaignBlock",
    "Criterion",
    "Evidence",
    "EvidenceFile",
    "Framework",
    "FrameworkLockedError",
    "Result",
    "ResultFigures",
    "ResultQuerySet",
    "Score",
    "SurveyAnswer",
    "SurveyResult",
    "TierBand",
    "code_sort_key",
    "evidence_path",
]

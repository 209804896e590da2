"""The history of one leaf's score: who changed what, when and why."""

import datetime
from dataclasses import dataclass

from scoring.models import (
    HISTORY_REASONS,
    Score,
)

HISTORY_FIELDS = (
    ("self_points", True),
    ("appraised_points", True),
    ("final_points", True),
    ("appraisal_note", False),
    ("unit_reply", False),
)

APPRAISAL_FIELDS = {"appraised_points", "final_points", "appraisal_note"}

APPRAISAL_REASONS = {"appraisal", "accepted"}


@dataclass(frozen=True)
class FieldVersion:
    name: str
    value: object
    previous: object
    changed: bool
    is_points: bool


@dataclass(frozen=True)
class ScoreVersion:
    when: datetime.datetime
    user: object
    reason: str
    fields: dict[str, FieldVersion]
    is_first: bool


def score_history(score: Score, *, show_appraisal: bool) -> list[ScoreVersion]:
    """Every recorded version of a score, newest first, each field with its previous value.

    Without `show_appraisal` (a unit before its appraisal is returned to it) the
    appraisal's fields and the versions that only the appraisal made are left out.
    """
    records = list(score.history.select_related("history_user").order_by("history_date", "pk"))
    fields = [
        (name, is_points)
        for name, is_points in HISTORY_FIELDS
        if show_appraisal or name not in APPRAISAL_FIELDS
    ]
    versions = []
    previous = None
    for record in records:
        values = {
            name: FieldVersion(
                name=name,
                value=getattr(record, name),
                previous=getattr(previous, name) if previous is not None else None,
                changed=previous is not None and getattr(previous, name) != getattr(record, name),
                is_points=is_points,
            )
            for name, is_points in fields
        }
        previous = record
        reason = record.history_change_reason or ""
        if not show_appraisal and reason in APPRAISAL_REASONS:
            continue
        versions.append(
            ScoreVersion(
                when=record.history_date,
                user=record.history_user,
                reason=str(HISTORY_REASONS.get(reason, reason)),
                fields=values,
                is_first=record is records[0],
            )
        )
    versions.reverse()
    return versions

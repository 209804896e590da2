"""What every change of an assessment's scores shares: the refusal, the row locks, the
version check and the history.

A score is written only by a transaction holding its assessment's row lock and then
its own (always in that order, so two writers never wait on each other crosswise),
reading the row after taking them: a value read before is stale by the time it is
written back. A form carries the version it was opened on; a save finding another
version is refused with who changed it and when, so nobody is told "saved" while
another's change silently disappears."""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.models import HISTORY_REASONS, Assessment, Criterion, Score
from units.people import person_name


class AssessmentError(Exception):
    """A change to an assessment was refused; the message says why and nothing changed."""


class ScoreConflict(AssessmentError):
    """The scores changed since the form was opened; `scores` hold what is saved now."""

    def __init__(self, message: str, scores: list[Score]) -> None:
        super().__init__(message)
        self.scores = scores

    @property
    def score(self) -> Score:
        return self.scores[0]


def lock_assessment(assessment: Assessment) -> Assessment:
    """The assessment re-read under a row lock, so a state change cannot slip in between
    the checks and the write (the workflow's transitions take the same lock)."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .get(pk=assessment.pk)
    )


def lock_scores(
    assessment: Assessment, criterion_ids: Iterable[int] | None = None
) -> dict[int, Score]:
    """The assessment's scores of these leaves (all when None) under row locks, by criterion.

    Call after lock_assessment. Who saved each one last comes along, for a conflict's message.
    """
    scores = (
        Score.objects.select_for_update(of=("self",))
        .select_related("criterion", "updated_by")
        .filter(assessment=assessment)
        .order_by("pk")
    )
    if criterion_ids is not None:
        scores = scores.filter(criterion_id__in=list(criterion_ids))
    found = {}
    for score in scores:
        score.assessment = assessment
        found[score.criterion_id] = score
    return found


def lock_score(assessment: Assessment, criterion: Criterion) -> Score | None:
    """One leaf's score under a row lock (after lock_assessment), or None when it has none."""
    return lock_scores(assessment, [criterion.pk]).get(criterion.pk)


def changed_when(score: Score) -> str:
    """When a score was saved last, as people say it: "10:20", or "10:20 05/01/2016"."""
    at = timezone.localtime(score.updated_at)
    return at.strftime("%H:%M" if at.date() == timezone.localdate() else "%H:%M %d/%m/%Y")


def changed_by(score: Score) -> str:
    return person_name(score.updated_by) if score.updated_by else _("someone else")


def check_version(score: Score | None, expected: int | None) -> None:
    """ScoreConflict unless the leaf is at the version its form was opened on.

    `expected` None means the post did not say (a page older than versions): not checked.
    A leaf without a row has nothing saved to lose, whatever the form was opened on.
    """
    if expected is None or score is None or expected == score.version:
        return
    raise ScoreConflict(
        _(
            "%(code)s was changed by %(name)s at %(time)s since you opened it, so your entry "
            "was not saved. The saved values are shown beside yours: save again to replace them."
        )
        % {"code": score.criterion.code, "name": changed_by(score), "time": changed_when(score)},
        [score],
    )


def check_versions(scores: dict[int, Score], expected: dict[int, int]) -> None:
    """ScoreConflict naming every leaf not at the version the page showed (many at once)."""
    changed = [
        score
        for criterion_id, version in expected.items()
        if (score := scores.get(criterion_id)) is not None and score.version != version
    ]
    if not changed:
        return
    changed.sort(key=lambda score: score.criterion.sort_key)
    raise ScoreConflict(
        _(
            "Changed since you opened the page: %(changes)s. Nothing was saved: the page now "
            "shows the saved values; choose again."
        )
        % {
            "changes": "; ".join(
                _("%(code)s by %(name)s at %(time)s")
                % {
                    "code": score.criterion.code,
                    "name": changed_by(score),
                    "time": changed_when(score),
                }
                for score in changed
            )
        },
        changed,
    )


def save_with_history(
    score: Score,
    actor,
    reason: str,
    *,
    fields: Iterable[str] | None = None,
    typed: bool = True,
) -> None:
    """Save a score read under its lock, one version further, with who and why in its history.

    `fields` are the columns this change sets: only they are written (with the version
    and who/when), so a change never writes back another field it did not mean to touch.
    `typed` False is for an empty row made to hang evidence on: it stays at version 0.
    """
    assert reason in HISTORY_REASONS, reason
    score.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    score._history_user = score.updated_by
    score._change_reason = reason
    if typed:
        score.version += 1
    if score.pk is None or fields is None:
        score.save()
    else:
        score.save(update_fields=[*fields, "version", "updated_by", "updated_at"])

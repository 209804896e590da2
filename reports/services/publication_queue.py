"""Publishing in the background: queueing a draft's publication, and cancelling it.

Rendering takes seconds to minutes for a large province, so the web page does not
publish: decision_publication_request checks the draft, marks it "publishing" and
queues publish_decision (a django-tasks task, below) in the same transaction; the
worker (manage.py db_worker) then runs it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from reports.models import Decision
from reports.publication_progress import publication_progress
from reports.services.publication import (
    PublicationError,
    decision_publish_requested,
    lock_for_publication,
    require_publisher,
)
from units.people import person_name


@transaction.atomic
def decision_publication_request(*, decision: Decision, actor) -> Decision:
    """Queue a draft's publication for the background worker, or raise PublicationError.

    The checks that need no rendering run here, so the drafter hears at once what
    blocks publication; the worker checks again (the scores may change meanwhile).
    The task row is written in this transaction: a request is never queued without
    its "publishing" status, nor marked without its task.
    """
    require_publisher(actor)
    current = lock_for_publication(
        decision.pk, decision.campaign_id, expected=Decision.Status.DRAFT
    )
    current.status = Decision.Status.PUBLISHING
    current.publication_requested_at = timezone.now()
    current.publication_started_at = None
    current.publication_error = ""
    current.published_by = actor if getattr(actor, "pk", None) else None
    current.save()
    publish_decision.enqueue(decision_id=current.pk)
    current.refresh_from_db()
    return current


@transaction.atomic
def decision_publication_cancel(*, decision: Decision, actor) -> Decision:
    """Take a queued publication back to draft: one no worker has started, or a stalled one.

    A publication the worker is running holds the decision's row lock and is let
    finish; one started so long ago that its worker must have stopped (its transaction
    then rolled back) can be cancelled.
    """
    require_publisher(actor)
    current = Decision.objects.select_for_update().get(pk=decision.pk)
    if current.status != Decision.Status.PUBLISHING:
        raise PublicationError(
            _("Decision %(number)s is not being published (%(status)s).")
            % {"number": current.number, "status": current.get_status_display()}
        )
    progress = publication_progress(current)
    if progress.started and not progress.stalled:
        raise PublicationError(
            _("The publication of %(number)s is running: let it finish.")
            % {"number": current.number}
        )
    Decision.objects.filter(pk=current.pk).update(
        status=Decision.Status.DRAFT,
        publication_error=_("Publication cancelled by %(name)s.") % {"name": person_name(actor)},
    )
    current.refresh_from_db()
    return current


@task()
def publish_decision(decision_id: int) -> str | None:
    """The worker's job: publish a decision marked "publishing"; its number once published."""
    decision = decision_publish_requested(decision_id=decision_id)
    return str(decision) if decision is not None else None

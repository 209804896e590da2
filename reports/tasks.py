"""Background tasks (django-tasks): what a web request queues instead of waiting for."""

from django_tasks import task

from reports.services.publication import decision_publish_requested


@task()
def publish_decision(decision_id: int) -> str | None:
    """Publish a decision marked "publishing"; returns its number once published."""
    decision = decision_publish_requested(decision_id=decision_id)
    return str(decision) if decision is not None else None

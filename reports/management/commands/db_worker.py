"""django-tasks-db's worker, which first takes back what a stopped worker left running.

It replaces django_tasks_db's own `db_worker` (INSTALLED_APPS lists `reports` before
it), so every way of starting the worker (`make run`, `make worker`, a systemd service)
passes here. django-tasks-db has no start-up hook or signal of its own, and never looks
at a task row it left RUNNING again.
"""

from django_tasks_db.management.commands import db_worker

from reports.services.publication_queue import orphaned_publications_fail


class Command(db_worker.Command):
    help = (
        "Run the background worker (django-tasks-db's db_worker), after taking back to "
        "draft the publications a stopped worker left running."
    )

    def handle(self, *args, **options) -> None:
        for decision in orphaned_publications_fail():
            if options["verbosity"]:
                self.stdout.write(
                    f"Decision {decision.number}: its worker had stopped; back to draft."
                )
        super().handle(*args, **options)

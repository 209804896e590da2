from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scoring.models import Framework
from scoring.services.frameworks import FrameworkError, framework_clone


class Command(BaseCommand):
    help = (
        "Copy a block's framework of one year, with its whole criteria tree, to another year. "
        "The copy is unlocked, so it can be edited (or replaced by an import) before a "
        "campaign opens on it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from-year", type=int, required=True, help="Year of the framework to copy."
        )
        parser.add_argument("--to-year", type=int, required=True, help="Year of the new framework.")
        parser.add_argument("--block", required=True, help="Code of the block, e.g. so.")

    def handle(self, *args, from_year: int, to_year: int, block: str, **options) -> None:
        source = (
            Framework.objects.select_related("block")
            .filter(year=from_year, block__code=block)
            .first()
        )
        if source is None:
            raise CommandError(
                _("There is no framework for the block “%(block)s” in %(year)s.")
                % {"block": block, "year": from_year}
            )
        try:
            clone = framework_clone(source=source, year=to_year)
        except FrameworkError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Copied “%(name)s” to %(year)s: %(count)s criteria, unlocked, as “%(clone)s”.")
                % {
                    "name": source.name,
                    "year": clone.year,
                    "count": clone.criteria.count(),
                    "clone": clone.name,
                }
            )
        )

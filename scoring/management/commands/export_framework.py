from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scoring.exchange.framework_writer import export_filename
from scoring.models import Framework
from scoring.services.frameworks import framework_export


class Command(BaseCommand):
    help = (
        "Write the framework of a year and block as an XLSX workbook in the import format "
        "(docs/formats.md), to edit and import again with import_framework."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="Year of the framework.")
        parser.add_argument("--block", required=True, help="Code of the block, e.g. so.")
        parser.add_argument(
            "-o",
            "--output",
            help="File to write (default: bo-tieu-chi-<block>-<year>.xlsx in this directory).",
        )

    def handle(self, *args, year: int, block: str, output: str | None, **options) -> None:
        framework = (
            Framework.objects.select_related("block").filter(year=year, block__code=block).first()
        )
        if framework is None:
            raise CommandError(
                _("There is no framework for the block “%(block)s” in %(year)s.")
                % {"block": block, "year": year}
            )
        path = Path(output or export_filename(framework))
        try:
            path.write_bytes(framework_export(framework=framework))
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s") % {"file": path, "reason": error.strerror}
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Wrote %(count)s criteria of “%(name)s” to %(file)s.")
                % {"count": framework.criteria.count(), "name": framework.name, "file": path}
            )
        )

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scoring.services.units_import import units_export
from units.models import Unit

DEFAULT_FILE = "danh-muc-don-vi.xlsx"


class Command(BaseCommand):
    help = (
        "Write the province, its blocks and every unit with its lineage as an XLSX workbook "
        "in the import format (docs/formats.md), to edit and import again with import_units."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", default=DEFAULT_FILE, help=f"File to write (default: {DEFAULT_FILE})."
        )

    def handle(self, *args, output: str, **options) -> None:
        path = Path(output)
        try:
            path.write_bytes(units_export())
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s") % {"file": path, "reason": error.strerror}
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Wrote %(count)s units to %(file)s.")
                % {"count": Unit.objects.count(), "file": path}
            )
        )

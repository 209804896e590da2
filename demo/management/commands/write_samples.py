"""`manage.py write_samples`: rewrite docs/samples from the loaded demo and Lam Giang's data."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.lam_giang import province_samples
from demo.lam_giang_criteria import framework_samples
from demo.samples import sample_files
from demo.story import OPEN_YEAR
from scoring.models import Campaign


class Command(BaseCommand):
    help = (
        "Write the sample workbooks of docs/samples (framework, scoring sheet, scores and "
        "survey files) from the loaded demo, so that each imports into it, and Lam Giang's units, "
        "accounts and 2025 frameworks (demo.lam_giang). Run load_demo first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "docs" / "samples",
            help="Folder to write into (default: docs/samples of the checkout).",
        )

    def handle(self, *args, dir: Path, **options) -> None:
        if not Campaign.objects.filter(year=OPEN_YEAR).exists():
            raise CommandError("The demo is not loaded: run manage.py load_demo first.")
        dir.mkdir(parents=True, exist_ok=True)
        files = {**sample_files(), **province_samples(), **framework_samples()}
        for name, data in files.items():
            (dir / name).write_bytes(data)
            self.stdout.write(f"{dir / name}: {len(data)} bytes")

from django.core.management.base import BaseCommand, CommandError

from scoring.exchange.tabular import write_csv, write_json, write_text
from scoring.models import Campaign, Result
from scoring.result_columns import result_table
from scoring.services.results import results_compute
from units.models import Block

WRITERS = {"table": write_text, "csv": write_csv, "json": write_json}


class Command(BaseCommand):
    help = (
        "Compute the results of a campaign (points, index, rank and tier of every unit, "
        "ranked within its block), store them, and print one row per unit. "
        "Columns are described in docs/formats.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="The campaign's year, e.g. 2015.")
        parser.add_argument("--block", help="Only print this block (its code, e.g. so, huyen).")
        parser.add_argument(
            "--format", choices=sorted(WRITERS), default="table", help="Output format."
        )

    def handle(self, *args, year: int, block: str | None, format: str, **options):
        campaign = Campaign.objects.filter(year=year).first()
        if campaign is None:
            known = ", ".join(str(y) for y in Campaign.objects.values_list("year", flat=True))
            raise CommandError(f"No campaign for {year}. Campaigns: {known or 'none'}.")
        if block and not Block.objects.filter(code=block).exists():
            known = ", ".join(Block.objects.values_list("code", flat=True))
            raise CommandError(f"Unknown block {block!r}. Blocks: {known or 'none'}.")

        results_compute(campaign=campaign)
        results = Result.objects.filter(campaign=campaign).select_related("unit", "block")
        if block:
            results = results.filter(block__code=block)
        results = list(results.order_by("block__position", "rank", "unit__search_text"))
        columns, rows = result_table(results)
        WRITERS[format](columns, rows, self.stdout)
        if format == "table":
            final = all(r.is_final for r in results)
            self.stderr.write(
                f"{len(results)} units; "
                + ("final results." if final else "preview: some points are not yet final.")
            )

#!/usr/bin/env python
"""What a block's statistics cost on the public ranking of a 5,000-unit block.

    .venv/bin/python bench/block_statistics.py [--units N] [--runs K]

Generates the published block of bench/public_pages.py (one decision, N units, eight
areas each; default 5,000) in a database of its own (DATABASE_URL, or
bench/.data/block_statistics.sqlite3, kept between runs), then times in process, K
times each (default 10), median and fastest:

  - the block's statistics computed from its rows (the cache emptied before each run):
    what the first reader of a decision's ranking pays, once per cache;
  - one ranking page's body built (selector and template), the statistics cached:
    what every other page, sort and tier of that ranking pays.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "bench" / ".data" / "block_statistics.sqlite3"


def timed(run, runs: int, before=None) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT / "bench"))
    import public_pages

    public_pages.setup_django(
        {
            "DJANGO_SETTINGS_MODULE": "cchc_portal.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
            "PORTAL_BASE_URL": "https://bench.example",
            "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}",
        }
    )
    public_pages.generate(args.units)

    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils import translation

    from reports.selectors import block_tables
    from reports.selectors.decisions import decision_in_force
    from reports.selectors.statistics import published_statistics

    translation.activate("vi")
    decision = decision_in_force(public_pages.YEAR)

    def compute() -> None:
        published_statistics(decision, public_pages.BLOCK)

    def body() -> None:
        ranking = block_tables.ranking(year=public_pages.YEAR, block_code=public_pages.BLOCK)
        render_to_string("reports/public/_rankings_content.html", {"ranking": ranking})

    median, fastest = timed(compute, args.runs, before=cache.clear)
    print(f"statistics of {args.units} units, not cached: {median:.0f} ms (fastest {fastest:.0f})")
    compute()
    median, fastest = timed(body, args.runs)
    print(f"a ranking page's body, statistics cached: {median:.0f} ms (fastest {fastest:.0f})")


if __name__ == "__main__":
    main()

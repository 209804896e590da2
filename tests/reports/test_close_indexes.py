"""Ranks compare unrounded indexes, from the computation to the PDF.

90.024 and 90.018 both read 90,02, yet Thanh Hóa 2024 ranked two departments shown
with 90,02 % second and third (DOMAIN.md): only exactly equal indexes share a rank.
The block here: Sở A 90.024, Sở B 90.018, Sở C 90.024 (a tie with A), Sở D 80.
Expected ranks, written by hand: A 1, C 1, B 3, D 4.
"""

import re
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.models import PublishedResult
from reports.services.publication import decision_publish
from scoring.models import Assessment, Criterion, Result, Score
from scoring.services.results import results_compute
from tests.factories import make_assessment, make_block, make_campaign, make_framework, make_unit
from tests.reports.publication_data import draft_decision
from tests.tools import require_tool
from units.models import Province

pytestmark = pytest.mark.django_db

# Two leaves of 500 points: a unit's index is its total ÷ 1,000 × 100.
TOTALS = {"Sở A": "900.24", "Sở B": "900.18", "Sở C": "900.24", "Sở D": "800"}
RANKS = {"Sở A": 1, "Sở C": 1, "Sở B": 3, "Sở D": 4}
INDEXES = {"Sở A": "90,02", "Sở B": "90,02", "Sở C": "90,02", "Sở D": "80,00"}


@pytest.fixture
def campaign(db):
    Province.objects.get_or_create(
        name="Sóc Trăng", defaults={"issuing_body": "Ủy ban nhân dân tỉnh Sóc Trăng"}
    )
    block = make_block(code="so", name="Sở, ban, ngành")
    framework = make_framework(year=2015, block=block, leaves=2, leaf_max="500")
    framework.criteria.filter(parent__isnull=False).update(step=Decimal("0.01"))
    campaign = make_campaign(year=2015, frameworks=(framework,))
    for name, total in TOTALS.items():
        unit = make_unit(name=name, block=block, code="so-" + name[-1].lower())
        assessment = make_assessment(campaign=campaign, unit=unit, state=Assessment.State.APPRAISED)
        half = Decimal(total) / 2
        for code in ("1.1", "1.2"):
            criterion = Criterion.objects.get(framework=framework, code=code)
            Score.objects.create(assessment=assessment, criterion=criterion, final_points=half)
    return campaign


def test_the_computation_ranks_on_the_unrounded_index(campaign):
    results_compute(campaign=campaign)
    stored = {r.unit.name: (r.index, r.rank) for r in Result.objects.select_related("unit")}
    assert {name: rank for name, (_index, rank) in stored.items()} == RANKS
    assert stored["Sở A"][0] == Decimal("90.024")
    assert stored["Sở B"][0] == Decimal("90.018")


@pytest.fixture
def published(campaign, staff, settings):
    settings.PORTAL_BASE_URL = "https://cchc.soctrang.example"
    return decision_publish(decision=draft_decision(campaign), actor=staff)


def test_the_published_rows_keep_the_ranks_and_the_unrounded_indexes(published):
    rows = {row.unit_name: row for row in PublishedResult.objects.filter(decision=published)}
    assert {name: row.rank for name, row in rows.items()} == RANKS
    assert rows["Sở A"].index - rows["Sở B"].index == Decimal("0.006")
    # STT follows the rank, then the name: A and C share the first place.
    assert [row.unit_name for row in sorted(rows.values(), key=lambda r: r.position)] == [
        "Sở A",
        "Sở C",
        "Sở B",
        "Sở D",
    ]


def test_the_ranking_page_shows_the_shared_and_the_distinct_ranks(client, published):
    response = client.get(reverse("reports:rankings", args=[2015, "so"]))
    html = response.content.decode()
    shown = re.findall(
        r'<td class="num fw-semibold col-rank">(\d+)</td>\s*<th scope="row" class="unit-name">'
        r"<a [^>]*>([^<]+)</a>",
        html,
    )
    assert [(name, int(rank)) for rank, name in shown] == [
        ("Sở A", 1),
        ("Sở C", 1),
        ("Sở B", 3),
        ("Sở D", 4),
    ]


def test_the_pdf_appendix_reads_row_by_row(published, media_root):
    """Each appendix row, as pdftotext lays it out: STT, unit, …, index, rank."""
    text = subprocess.run(  # noqa: S603
        [require_tool("pdftotext"), "-layout", str(media_root / published.pdf.name), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    rows = {}
    for line in text.splitlines():
        found = re.match(r"\s*(\d+)\s+(Sở [A-D])\s+(.*)$", line)
        if found:
            numbers = re.findall(r"\d+(?:,\d+)?", found.group(3))
            rows[found.group(2)] = (int(found.group(1)), numbers)
    assert [name for name, _ in sorted(rows.items(), key=lambda item: item[1][0])] == [
        "Sở A",
        "Sở C",
        "Sở B",
        "Sở D",
    ]
    for name, (_position, numbers) in rows.items():
        # The index is followed by the rank (the tier column is empty: no tier bands).
        index_at = numbers.index(INDEXES[name])
        assert int(numbers[index_at + 1]) == RANKS[name], (name, numbers)

"""The documented sample workbooks (docs/samples), written from the loaded demo.

Each sample is what the portal itself writes for the demo's open campaign (2016),
with a few cells filled in as a clerk would: the departments' criteria framework (drafted
for 2017 from 2016's), the scoring sheet of Sở Giáo dục và Đào tạo, the import_scores
template with a few rows of Sở Giao thông vận tải filled in, and the survey template of
both units. So every sample imports into the demo as it stands: `manage.py write_samples`
rewrites them, and tests/demo/test_samples.py checks that the committed files are current
and import.
"""

import datetime as dt
from decimal import Decimal
from io import BytesIO

from django.db import transaction
from openpyxl import load_workbook

from demo.story import OPEN_YEAR
from demo.units import DEPARTMENTS
from scoring.exchange.bulk_scores_xlsx import COLUMNS as SCORE_COLUMNS
from scoring.exchange.bulk_scores_xlsx import write_scores_template
from scoring.exchange.scoring_sheet_writer import write_scoring_sheet
from scoring.exchange.survey_xlsx import write_survey_file
from scoring.models import Assessment, Campaign, Criterion, Framework, Score
from scoring.selectors import import_templates
from scoring.services.frameworks import framework_clone, framework_export
from scoring.services.self_assessment import SelfInput, leaf_self_points
from scoring.services.sheet_import import sheet_identity
from units.numbers import to_decimal

FRAMEWORK = "framework-sample.xlsx"
SHEET = "unit-scoring-sheet-sample.xlsx"
SCORES = "scores-import-sample.xlsx"
SURVEY = "survey-import-sample.xlsx"
SAMPLE_UNITS = ("so-gddt", "so-gtvt")
DOWNLOADED_AT = dt.datetime(2016, 11, 21, 8, 30)


def sample_files() -> dict[str, bytes]:
    """Every sample, by file name, from the demo in the database."""
    campaign = Campaign.objects.get(year=OPEN_YEAR)
    framework = Framework.objects.get(year=OPEN_YEAR, block__code=DEPARTMENTS)
    return {
        FRAMEWORK: _next_years_framework(framework),
        SHEET: _scoring_sheet(campaign),
        SCORES: _scores_file(campaign),
        SURVEY: _survey_file(campaign),
    }


def _next_years_framework(framework: Framework) -> bytes:
    """The departments' framework drafted for the next year, as staff start one.

    Cloned from the open year's (locked, in use) and exported; the clone is rolled back,
    so the sample imports into the demo as the new year's framework.
    """
    with transaction.atomic():
        clone = framework_clone(source=framework, year=framework.year + 1)
        data = framework_export(framework=clone)
        transaction.set_rollback(True)
    return data


def _first_unscored(leaves: list[Criterion], scored: set[int], method: str) -> Criterion:
    return next(leaf for leaf in leaves if leaf.method == method and leaf.pk not in scored)


def _scoring_sheet(campaign: Campaign) -> bytes:
    """Sở GD&ĐT's sheet as downloaded, with three more leaves filled in offline."""
    assessment = Assessment.objects.get(campaign=campaign, unit__code="so-gddt")
    criteria = list(assessment.framework.criteria.order_by("sort_key"))
    leaves = [c for c in criteria if not any(other.parent_id == c.pk for other in criteria)]
    scores = {score.criterion_id: score for score in assessment.scores.all()}
    direct = _first_unscored(leaves, set(scores), Criterion.Method.DIRECT)
    levels = _first_unscored(leaves, set(scores), Criterion.Method.LEVELS)
    ratio = _first_unscored(leaves, set(scores), Criterion.Method.RATIO)
    entries = {
        direct: SelfInput(
            points=direct.max_points - (direct.step or 0),
            explanation="Báo cáo số 215/BC-SGDĐT ngày 10/11/2016",
        ),
        levels: SelfInput(level=str(levels.scale[1]["label"])),
        ratio: SelfInput(numerator=46, denominator=50, explanation="Số liệu đến 15/11/2016"),
    }
    for leaf, entry in entries.items():
        points, recorded = leaf_self_points(leaf, entry)
        scores[leaf.pk] = Score(
            criterion=leaf,
            self_points=points,
            self_input=recorded,
            self_explanation=entry.explanation,
        )
    return write_scoring_sheet(
        identity=sheet_identity(assessment),
        criteria=criteria,
        scores=scores,
        downloaded_at=DOWNLOADED_AT,
    )


def _scores_file(campaign: Campaign) -> bytes:
    """The scores template of the campaign for Sở GTVT, five of its rows filled in."""
    rows = [row for row in import_templates.scores_template(campaign) if row[0] == "so-gtvt"]
    leaves = {
        leaf.code: leaf
        for leaf in Criterion.objects.filter(
            framework__year=campaign.year, framework__block__code=DEPARTMENTS
        )
    }
    codes = [row[2] for row in rows]
    direct = [code for code in codes if leaves[code].method == Criterion.Method.DIRECT][:2]
    levels = [code for code in codes if leaves[code].method == Criterion.Method.LEVELS][:2]
    entries: dict[str, dict[str, object]] = {}
    for code in direct:
        top = leaves[code].max_points
        entries[code] = {"points": top, "appraised_points": top}
    for code in levels:
        scale = leaves[code].scale
        entries[code] = {
            "level": scale[0]["label"],
            "appraised_points": scale[1]["points"],
            "appraisal_note": "Tài liệu kiểm chứng chưa thể hiện đủ kết quả.",
        }
    optional = next(code for code in codes if leaves[code].na_allowed and code not in entries)
    entries[optional] = {"not_applicable": "Có", "na_reason": "Đơn vị không có nhiệm vụ này."}
    fields = [column.field for column in SCORE_COLUMNS[3:]]
    return write_scores_template(
        [row + [_number(entries.get(row[2], {}).get(name)) for name in fields] for row in rows]
    )


def _number(value: object) -> object:
    """A Decimal or a scale's "1.5" as the number a clerk types in Excel; text as it is."""
    number = to_decimal(value) if isinstance(value, Decimal | str) else None
    if number is None:
        return value
    return int(number) if number == number.to_integral() else float(number)


def _survey_file(campaign: Campaign) -> bytes:
    """The survey template of the campaign for two units, every count filled in."""
    template = import_templates.survey_template(campaign)
    rows = []
    for number, row in enumerate(r for r in template.rows if r[0] in SAMPLE_UNITS):
        # Plausible counts: mostly A and B, a few C and D, varying from row to row.
        counts = (40 + number % 7, 30 + number % 5, 6 + number % 3, 2)
        rows.append([*row[:5], *counts[: len(template.answer_codes)]])
    return write_survey_file(template.answer_codes, rows)


def cell_values(data: bytes) -> dict[str, list[tuple]]:
    """Every sheet's values: what a sample must keep (its styles may differ)."""
    workbook = load_workbook(BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}

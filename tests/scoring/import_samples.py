"""The tiny example behind docs/samples' score and survey files, and the code writing them.

The example: the sample framework (docs/samples/framework-sample.xlsx) used in a 2025
campaign by two departments of Sóc Trăng. The files are written by the portal's own
writers; tests check that the committed samples are what this code writes and that
they import cleanly. To rewrite them after a format change:

    CCHC_WRITE_SAMPLES=1 .venv/bin/pytest tests/scoring -k sample
"""

import datetime
import os
from dataclasses import dataclass
from decimal import Decimal as D
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook

from scoring.exchange.bulk_scores_xlsx import write_scores_file
from scoring.exchange.scoring_sheet_writer import write_scoring_sheet
from scoring.exchange.survey_xlsx import write_survey_file
from scoring.models import Assessment, Campaign, SurveyAnswer
from scoring.services.frameworks import framework_import
from scoring.services.self_assessment import SelfInput, score_self_assess
from scoring.services.sheet_import import sheet_identity
from tests.factories import make_assessment, make_block, make_campaign, make_unit, make_user
from units.models import Membership

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
FRAMEWORK = SAMPLES / "framework-sample.xlsx"
SHEET = "unit-scoring-sheet-sample.xlsx"
SCORES = "scores-import-sample.xlsx"
SURVEY = "survey-import-sample.xlsx"
ANSWERS = (
    ("A", "Rất hài lòng", 100),
    ("B", "Hài lòng", 60),
    ("C", "Chưa hài lòng", 20),
    ("D", "Không hài lòng", 0),
)


@dataclass
class Example:
    campaign: Campaign
    education: Assessment  # Sở Giáo dục và Đào tạo
    transport: Assessment  # Sở Giao thông vận tải
    editor: object


def build_example() -> Example:
    block = make_block(code="so", name="Sở, ban, ngành")
    framework = framework_import(file=FRAMEWORK.read_bytes(), year=2025, block_code="so")
    campaign = make_campaign(year=2025, frameworks=(framework,), name="Chỉ số CCHC năm 2025")
    for code, label, weight in ANSWERS:
        SurveyAnswer.objects.create(
            campaign=campaign, code=code, label=label, weight_percent=weight
        )
    education = make_unit(name="Sở Giáo dục và Đào tạo", code="so-gddt", block=block)
    transport = make_unit(name="Sở Giao thông vận tải", code="so-gtvt", block=block)
    editor = make_user(username="chuyenvien_gddt", unit=education, role=Membership.Role.EDITOR)
    return Example(
        campaign=campaign,
        education=make_assessment(campaign=campaign, unit=education),
        transport=make_assessment(campaign=campaign, unit=transport),
        editor=editor,
    )


def fill_in_education(example: Example) -> None:
    """What Sở Giáo dục và Đào tạo entered on screen before downloading its sheet."""
    entries = {
        "1.1.1": SelfInput(level="Ban hành đúng hạn", explanation="Kế hoạch số 125/KH-SGDĐT"),
        "1.1.2": SelfInput(numerator=D("18"), denominator=D("20")),
        "1.2": SelfInput(points=D("0.75")),
    }
    criteria = example.education.framework.criteria
    for code, entry in entries.items():
        score_self_assess(
            assessment=example.education,
            criterion=criteria.get(code=code),
            actor=example.editor,
            entry=entry,
        )


def sample_files(example: Example) -> dict[str, bytes]:
    fill_in_education(example)
    assessment = example.education
    sheet = write_scoring_sheet(
        identity=sheet_identity(assessment),
        criteria=list(assessment.framework.criteria.order_by("sort_key")),
        scores={score.criterion_id: score for score in assessment.scores.all()},
        downloaded_at=datetime.datetime(2025, 11, 20, 8, 30),
    )
    scores = write_scores_file(
        [
            # unit, name, criterion, self points, level, numerator, denominator,
            # not applicable, reason, appraised, appraisal note, final
            ["so-gtvt", "Sở Giao thông vận tải", "1.1.1", None, "Ban hành trễ hạn"]
            + [None] * 4
            + [0.5, None, None],
            ["so-gtvt", "Sở Giao thông vận tải", "1.1.2", None, None, 17, 20]
            + [None, None, 1, None, None],
            ["so-gtvt", "Sở Giao thông vận tải", "1.3", None, None, None, None]
            + ["Có", "Năm 2025 đơn vị không có sáng kiến được công nhận", None, None, None],
            ["so-gddt", "Sở Giáo dục và Đào tạo", "1.2", None, None, None, None]
            + [None, None, 0.5, "Thiếu báo cáo tuyên truyền quý IV", None],
            ["so-gddt", "Sở Giáo dục và Đào tạo", "2.2", None, "Xử lý đúng hạn", None, None]
            + [None, None, 1, None, 1],
        ]
    )
    survey_rows = []
    counts = {
        ("so-gddt", "2.3.1", "Người dân, tổ chức"): (52, 30, 8, 2),
        ("so-gddt", "2.3.1", "Lãnh đạo UBND cấp huyện"): (7, 3, 1, 0),
        ("so-gddt", "2.3.2", "Người dân, tổ chức"): (48, 35, 7, 2),
        ("so-gtvt", "2.3.1", "Người dân, tổ chức"): (40, 38, 10, 4),
        ("so-gtvt", "2.3.2", "Người dân, tổ chức"): (45, 33, 11, 3),
    }
    names = {"so-gddt": "Sở Giáo dục và Đào tạo", "so-gtvt": "Sở Giao thông vận tải"}
    titles = dict(assessment.framework.criteria.values_list("code", "title"))
    for (unit, code, group), answers in counts.items():
        survey_rows.append([unit, names[unit], code, titles[code], group, *answers])
    survey = write_survey_file([code for code, _label, _weight in ANSWERS], survey_rows)
    return {SHEET: sheet, SCORES: scores, SURVEY: survey}


def cell_values(data: bytes) -> dict[str, list[tuple]]:
    """Every sheet's values, the download time left out: what a sample must keep."""
    workbook = load_workbook(BytesIO(data))
    values = {}
    for sheet in workbook:
        values[sheet.title] = [
            row for row in sheet.iter_rows(values_only=True) if row and row[0] != "Tải về lúc"
        ]
    return values


def check_sample(name: str, data: bytes) -> None:
    """The committed sample holds what the code writes (rewritten when asked to)."""
    path = SAMPLES / name
    if os.environ.get("CCHC_WRITE_SAMPLES"):
        path.write_bytes(data)
    assert cell_values(path.read_bytes()) == cell_values(data), (
        f"{path} is out of date: rewrite it with CCHC_WRITE_SAMPLES=1 (see {__name__})."
    )

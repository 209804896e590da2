"""An area scored by survey only: empty ("—") in every results table, never 0,00.

Its points sit in the survey column, so a 0 in the area's column would read as "the unit
scored nothing there". The computed rows, the decision's appendix (PDF), open data and
the public pages all say the same.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from reports.models import Decision
from reports.outputs import open_data
from reports.outputs.decision_rows import appendix_tables, frozen_rows
from reports.selectors import profiles
from reports.selectors.rows import area_headings, area_points
from scoring.models import Assessment, Criterion, Framework, Result, Score, SurveyAnswer
from scoring.result_columns import result_table
from scoring.services.results import results_compute
from tests.factories import make_assessment, make_campaign
from tests.scoring.results_data import survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(unit_a, unit_b):
    """Area 1 scored (5 points), area 2 all survey (5 points): A has 4 + 5, B 3 + 3."""
    framework = Framework.objects.create(year=2015, block=unit_a.block, name="Bộ tiêu chí 2015")
    area1 = Criterion.objects.create(framework=framework, code="1", title="Chỉ đạo", max_points=5)
    Criterion.objects.create(
        framework=framework, parent=area1, code="1.1", title="Kế hoạch", max_points=5
    )
    area2 = Criterion.objects.create(
        framework=framework, code="2", title="Sự hài lòng", max_points=5
    )
    Criterion.objects.create(
        framework=framework,
        parent=area2,
        code="2.1",
        title="Hài lòng về thủ tục",
        max_points=5,
        method="survey",
    )
    campaign = make_campaign(year=2015, frameworks=(framework,))
    SurveyAnswer.objects.create(campaign=campaign, code="A", weight_percent=D("100"))
    SurveyAnswer.objects.create(campaign=campaign, code="B", weight_percent=D("60"))
    for unit, points, counts in ((unit_a, "4", {"A": 1}), (unit_b, "3", {"B": 1})):
        assessment = make_assessment(campaign=campaign, unit=unit, state=Assessment.State.APPRAISED)
        Score.objects.create(
            assessment=assessment,
            criterion=framework.criteria.get(code="1.1"),
            self_points=D(points),
            final_points=D(points),
        )
        survey(assessment, "2.1", "Người dân", counts)
    results_compute(campaign=campaign)
    return campaign


def decision_of(campaign) -> Decision:
    return Decision.objects.create(
        campaign=campaign,
        number="2491/QĐ-UBND",
        signed_on=dt.date(2016, 10, 17),
        place="Sóc Trăng",
        issuing_body="Ủy ban nhân dân tỉnh Sóc Trăng",
        subject="Phê duyệt và công bố Chỉ số cải cách hành chính năm 2015",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Lê Thành Trí",
    )


def test_a_computed_result_has_no_scored_points_in_an_all_survey_area(campaign, unit_a):
    result = Result.objects.get(unit=unit_a)
    assert result.area_scored_points() == {"1": D("4"), "2": None}
    assert result.survey_points == D("5")
    columns, rows = result_table([result])
    assert rows[0]["area_1"] == D("4.00") and rows[0]["area_2"] is None


def test_the_appendix_shows_a_dash_and_explains_it(campaign):
    decision = decision_of(campaign)
    rows = frozen_rows(decision=decision)
    assert [D(area["max"]) for area in rows[0].areas] == [5, 0]
    [table] = appendix_tables(rows)
    assert [row["areas"] for row in table.rows] == [["4,00", "—"], ["3,00", "—"]]
    assert [row["survey_points"] for row in table.rows] == ["5,00", "3,00"]
    assert table.has_unscored_areas


def test_a_table_whose_areas_are_all_scored_needs_no_dash(campaign):
    decision = decision_of(campaign)
    rows = frozen_rows(decision=decision)
    for row in rows:
        row.areas = [area for area in row.areas if area["code"] == "1"]
    [table] = appendix_tables(rows)
    assert not table.has_unscored_areas


def test_open_data_leaves_the_area_empty_and_the_pages_show_a_dash(campaign):
    decision = decision_of(campaign)
    rows = frozen_rows(decision=decision)
    columns = open_data.table_columns(rows)
    first = next(open_data.open_data_rows(decision, rows, columns))
    assert (first["area_1"], first["area_2"], first["survey_points"]) == (D("4"), None, D("5"))
    headings = area_headings(rows)
    assert area_points(rows[0], headings) == (D("4"), None)


def test_the_unit_profile_draws_no_index_for_an_all_survey_area(campaign):
    decision = decision_of(campaign)
    rows = frozen_rows(decision=decision)
    for row in rows:
        row.save()
    areas, units = profiles._block_areas(rows[0])
    assert [area.code for area in areas] == ["1"]
    assert (areas[0].index, areas[0].block_average, units) == (D("80"), D("70"), 2)

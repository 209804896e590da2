"""The demo's decisions: complete legal bases, consistent dates, every rule passed."""

import datetime as dt

import pytest

from demo.publication import DECISIONS, demo_decision_values
from reports.decision_rules import PLACEHOLDER, cited_dates, decision_problems, decision_values
from reports.models import Decision
from reports.services.drafting import decision_text_problems
from scoring.models import Campaign

pytestmark = pytest.mark.django_db

LAW_2003 = "Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003"
LAW_2015 = "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"


@pytest.fixture(autouse=True)
def media_root(settings, demo_db):
    settings.MEDIA_ROOT = demo_db.media
    return demo_db.media


@pytest.fixture
def published() -> dict[str, Decision]:
    return {d.number: d for d in Decision.objects.published().select_related("campaign")}


def test_both_demo_decisions_are_published_and_pass_every_rule(published):
    assert set(published) == {spec.number for spec in DECISIONS}
    for decision in published.values():
        assert decision_text_problems(decision=decision) == [], decision.number


def test_no_demo_decision_holds_a_placeholder(published):
    for decision in published.values():
        values = decision_values(decision)
        texts = [str(v) for v in values.values() if not isinstance(v, list)]
        texts += [line for v in values.values() if isinstance(v, list) for line in v]
        assert not [text for text in texts if PLACEHOLDER.search(text)], decision.number


def test_the_legal_bases_cite_a_plan_of_the_year_and_a_recent_submission(published):
    for spec in DECISIONS:
        decision = published[spec.number]
        law, plan, submission = decision.legal_bases
        [plan_date] = cited_dates(plan)
        [submission_date] = cited_dates(submission)
        assert f"Kế hoạch số {spec.plan.number} " in plan
        assert plan_date.day.year == spec.year and plan_date.day.month <= 3  # early year N
        assert f"Tờ trình số {spec.submission.number} " in submission
        assert dt.timedelta(days=1) <= decision.signed_on - submission_date.day
        assert decision.signed_on - submission_date.day <= dt.timedelta(days=21)


def test_1158_of_2015_cites_the_2003_law_and_2491_the_2015_law(published):
    assert published["1158/QĐ-UBND"].signed_on == dt.date(2015, 5, 20)
    assert LAW_2003 in published["1158/QĐ-UBND"].legal_bases[0]
    assert LAW_2015 not in " ".join(published["1158/QĐ-UBND"].legal_bases)
    assert LAW_2015 in published["2491/QĐ-UBND"].legal_bases[0]


def test_every_cited_date_comes_before_the_decision(published):
    for decision in published.values():
        for line in decision.legal_bases:
            for cited in cited_dates(line):
                assert cited.day is not None and cited.day < decision.signed_on, line


def test_the_demo_values_pass_the_rules_before_they_are_saved():
    for spec in DECISIONS:
        values = demo_decision_values(spec, Campaign.objects.get(year=spec.year))
        assert decision_problems(values) == [], spec.number

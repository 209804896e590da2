import datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context) -> str:
    return Template("{% load l10n %}" + source).render(Context(context))


def test_vietnamese_pages_show_decimal_commas_and_day_month_year():
    with translation.override("vi"):
        assert render("{{ v }}", v=Decimal("92.18")) == "92,18"
        assert (
            render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=datetime.date(2016, 10, 17))
            == "17/10/2016"
        )
        assert render("{{ d|date }}", d=datetime.date(2016, 3, 7)) == "07/03/2016"


def test_english_pages_keep_english_formats():
    with translation.override("en"):
        assert render("{{ v }}", v=Decimal("92.18")) == "92.18"


def test_english_pages_write_dates_and_times_day_first_like_the_vietnamese_ones():
    moment = datetime.datetime(2016, 3, 7, 14, 5)
    with translation.override("en"):
        assert render("{{ d|date }}", d=datetime.date(2016, 3, 7)) == "07/03/2016"
        assert render("{{ m|date:'SHORT_DATETIME_FORMAT' }}", m=moment) == "07/03/2016 14:05"
        assert render("{{ m|date:'DATETIME_FORMAT' }}", m=moment) == "07/03/2016 14:05"
    with translation.override("vi"):
        assert render("{{ m|date:'SHORT_DATETIME_FORMAT' }}", m=moment) == "07/03/2016 14:05"

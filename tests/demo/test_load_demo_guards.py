"""The load_demo command guards the database: nothing is written when it refuses.

Apart from tests/demo/test_demo.py, whose tests share one loaded demo: these need
an empty database.
"""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from demo import story
from units.models import Province, Unit

pytestmark = pytest.mark.django_db


def test_it_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo", stdout=StringIO())
    assert not Province.objects.exists() and not Unit.objects.exists()
    assert not User.objects.exists()


def test_a_story_that_no_longer_holds_is_refused_before_anything_is_written(settings, monkeypatch):
    settings.DEBUG = True
    # Swap the first and the last district of 2014: the ranks no longer match the report.
    monkeypatch.setitem(story.TARGETS, "h-long-phu", ("66.8", "88.7"))
    monkeypatch.setitem(story.TARGETS, "tx-nga-nam", ("86.4", "69.9"))
    with pytest.raises(CommandError, match="no longer tells the story"):
        call_command("load_demo", stdout=StringIO())
    assert not Unit.objects.exists()

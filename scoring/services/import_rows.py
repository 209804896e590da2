"""What the workbook imports share: the refusal, reading the file, finding rows' targets."""

from collections.abc import Callable
from typing import BinaryIO

from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scoring.exchange.problems import ImportProblem, file_problem
from scoring.models import Assessment, Campaign, Criterion
from units.models import Unit

Problem = Callable[[str, str], None]  # (field, message) of the row being checked


class ImportRefused(Exception):
    """A file was refused; `problems` names every problem found, and nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__(
            ngettext(
                "The file was refused because of %(count)d problem; nothing was imported.",
                "The file was refused because of %(count)d problems; nothing was imported.",
                len(problems),
            )
            % {"count": len(problems)}
        )


def file_bytes(file: bytes | BinaryIO) -> bytes:
    return file if isinstance(file, bytes) else file.read()


def file_name(file: bytes | BinaryIO) -> str:
    """An uploaded file's name, for the messages that refuse it; bytes have none."""
    return getattr(file, "name", None) or ""


def unknown_criterion(code: str, assessment: Assessment) -> str:
    return _("there is no criterion %(code)s in the framework “%(framework)s”.") % {
        "code": code,
        "framework": assessment.framework.name,
    }


def criteria_of(framework_ids: set[int]) -> tuple[dict[tuple[int, str], Criterion], set[int]]:
    """(framework, code) → criterion, and the ids of those with sub-criteria: two queries."""
    criteria = Criterion.objects.filter(framework_id__in=framework_ids)
    by_code = {(c.framework_id, c.code): c for c in criteria}
    parents = set(
        Criterion.objects.filter(framework_id__in=framework_ids, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    return by_code, parents


def published_campaign_problem(campaign: Campaign) -> ImportProblem:
    return file_problem(
        _("The %(year)s results are published: their scores can no longer change.")
        % {"year": campaign.year}
    )


def units_and_assessments(
    campaign: Campaign, codes: set[str]
) -> tuple[dict[str, Unit], dict[int, Assessment]]:
    """Units by lower-cased code, and their assessments in the campaign: two queries."""
    wanted = {code.lower() for code in codes}
    units = {
        unit.code.lower(): unit
        for unit in Unit.objects.annotate(code_lower=Lower("code"))
        .filter(code_lower__in=wanted)
        .select_related("block")
    }
    assessments = {
        assessment.unit_id: assessment
        for assessment in Assessment.objects.filter(
            campaign=campaign, unit__in=list(units.values())
        ).select_related("unit__block", "framework")
    }
    return units, assessments


def row_assessment(
    unit_code: str,
    units: dict[str, Unit],
    assessments: dict[int, Assessment],
    campaign: Campaign,
    problem: Problem,
) -> Assessment | None:
    unit = units.get(unit_code.lower())
    if unit is None:
        problem("unit_code", _("there is no unit with the code “%(code)s”.") % {"code": unit_code})
        return None
    assessment = assessments.get(unit.pk)
    if assessment is None:
        problem(
            "unit_code",
            _("%(unit)s has no assessment in the %(year)s campaign.")
            % {"unit": unit.name, "year": campaign.year},
        )
        return None
    if assessment.state == Assessment.State.PUBLISHED:
        problem(
            "unit_code",
            _("the assessment of %(unit)s is published: its scores can no longer change.")
            % {"unit": unit.name},
        )
        return None
    return assessment

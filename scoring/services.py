"""Everything that changes scoring data: one keyword-only function per use case, each atomic."""

from django.db import transaction
from django.utils.translation import gettext as _

from scoring.models import Criterion, Framework


class FrameworkError(Exception):
    """A framework operation was refused; the message says why and nothing was changed."""


@transaction.atomic
def framework_clone(*, source: Framework, year: int, name: str | None = None) -> Framework:
    """Copy a framework and its whole criteria tree to another year, unlocked."""
    if Framework.objects.filter(year=year, block=source.block).exists():
        raise FrameworkError(
            _("A framework for %(block)s in %(year)s already exists.")
            % {"block": source.block, "year": year}
        )
    clone = Framework.objects.create(
        year=year,
        block=source.block,
        name=name or source.name.replace(str(source.year), str(year)),
        source_decision=source.source_decision,
        illustrative=source.illustrative,
        cloned_from=source,
    )
    # Parents come before children in code order, so each new parent exists when needed.
    new_by_code: dict[str, Criterion] = {}
    for criterion in source.criteria.select_related("parent").order_by("sort_key"):
        parent = new_by_code[criterion.parent.code] if criterion.parent_id else None
        new_by_code[criterion.code] = Criterion.objects.create(
            framework=clone,
            parent=parent,
            code=criterion.code,
            title=criterion.title,
            guidance=criterion.guidance,
            max_points=criterion.max_points,
            method=criterion.method,
            step=criterion.step,
            scale=criterion.scale,
            evidence_required=criterion.evidence_required,
            na_allowed=criterion.na_allowed,
        )
    return clone


@transaction.atomic
def framework_lock(*, framework: Framework) -> Framework:
    """Lock a framework for scoring; refused while its tree breaks a rule."""
    problems = framework.consistency_problems()
    if problems:
        raise FrameworkError(
            _("The framework cannot be locked: %(problems)s")
            % {"problems": "; ".join(str(p) for p in problems)}
        )
    if not framework.locked:
        framework.locked = True
        framework.save(update_fields=["locked"])
    return framework

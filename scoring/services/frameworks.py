"""Criteria frameworks: import, export, clone and lock; each function atomic."""

from typing import BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scoring.exchange.framework_format import FrameworkWorkbook
from scoring.exchange.framework_reader import read_framework_workbook
from scoring.exchange.framework_writer import write_framework_workbook
from scoring.exchange.problems import ImportProblem, file_problem
from scoring.models import Criterion, Framework, code_sort_key
from units.models import Block
from units.text import fold


class FrameworkError(Exception):
    """A framework operation was refused; the message says why and nothing was changed."""


class FrameworkImportError(FrameworkError):
    """A framework workbook was refused; `problems` names every problem found in it."""

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


@transaction.atomic
def framework_import(
    *,
    file: bytes | BinaryIO,
    year: int | None = None,
    block_code: str | None = None,
    replace: bool = False,
) -> Framework:
    """Create a framework from a workbook, whole or not at all, naming every problem.

    `year` and `block_code` say what the caller means to import; the file must agree.
    With `replace`, an existing framework of that year and block is overwritten in
    place (keeping its campaigns) while it is unlocked and nobody has been scored on it.
    """
    data = file if isinstance(file, bytes) else file.read()
    workbook = read_framework_workbook(data, name=getattr(file, "name", None) or "")
    problems = list(workbook.problems)
    block = _import_block(workbook, block_code, problems)
    year = _import_year(workbook, year, problems)
    existing = None
    if block is not None and year is not None:
        existing = _import_existing(block, year, replace, problems)
    if problems:
        raise FrameworkImportError(workbook.ordered(problems))

    info = workbook.info
    fields = {
        "name": info.name,
        "source_decision": info.source_decision,
        "illustrative": info.illustrative,
    }
    if existing is None:
        framework = Framework.objects.create(year=year, block=block, **fields)
    else:
        framework = existing
        framework.criteria.all().delete()
        for name, value in fields.items():
            setattr(framework, name, value)
        # The tree now comes from the file, no longer from the framework it was cloned from.
        framework.cloned_from = None
        framework.save()
    # Rows come in code order, parents before children, so each parent exists when needed.
    created: dict[str, Criterion] = {}
    for row in sorted(workbook.criteria, key=lambda r: code_sort_key(r.code)):
        created[row.code] = Criterion.objects.create(
            framework=framework,
            parent=created[row.parent_code] if row.parent_code else None,
            code=row.code,
            title=row.title,
            guidance=row.guidance,
            max_points=row.max_points,
            method=row.method,
            step=row.step,
            scale=row.scale,
            evidence_required=row.evidence_required,
            na_allowed=row.na_allowed,
        )
    return framework


def framework_export(*, framework: Framework) -> bytes:
    """The framework as a workbook in the import format, to edit and import again.

    Only reads, so no transaction: the tree is read in one query.
    """
    return write_framework_workbook(
        framework=framework, criteria=list(framework.criteria_in_order())
    )


def _find_block(text: str, blocks: list[Block]) -> Block | None:
    """A block by its code, or by its name as a clerk may write it (any case, any accents)."""
    key = fold(text)
    for block in blocks:
        if key in (block.code.lower(), fold(block.name), fold(block.short_name or "")):
            return block
    return None


def _import_block(
    workbook: FrameworkWorkbook, block_code: str | None, problems: list[ImportProblem]
) -> Block | None:
    blocks = list(Block.objects.all())
    known = ", ".join(block.code for block in blocks) or "—"
    asked = None
    if block_code:
        asked = _find_block(block_code, blocks)
        if asked is None:
            problems.append(
                file_problem(
                    _("There is no block with the code “%(code)s”. Known codes: %(known)s.")
                    % {"code": block_code, "known": known}
                )
            )
    in_file = None
    if workbook.info.block:
        in_file = _find_block(workbook.info.block, blocks)
        if in_file is None:
            problems.append(
                workbook.info_problem(
                    "block",
                    _("there is no block with the code “%(code)s”; known codes: %(known)s.")
                    % {"code": workbook.info.block, "known": known},
                )
            )
    elif not block_code:
        problems.append(
            workbook.info_problem(
                "block",
                _("the block is missing: write its code, one of %(known)s.") % {"known": known},
            )
        )
    if asked and in_file and asked != in_file:
        problems.append(
            workbook.info_problem(
                "block",
                _(
                    "the file is for the block “%(file)s” but you are importing into “%(asked)s”: "
                    "check that this is the right file."
                )
                % {"file": in_file, "asked": asked},
            )
        )
        return None
    return asked or in_file


def _import_year(
    workbook: FrameworkWorkbook, year: int | None, problems: list[ImportProblem]
) -> int | None:
    in_file = workbook.info.year
    if year and in_file and year != in_file:
        problems.append(
            workbook.info_problem(
                "year",
                _(
                    "the file is for %(file)s but you are importing into %(asked)s: "
                    "check that this is the right file."
                )
                % {"file": in_file, "asked": year},
            )
        )
        return None
    # A year the file gives but that cannot be read has been named already.
    if not (year or in_file) and not workbook.has_info_problem("year"):
        problems.append(workbook.info_problem("year", _("the year is missing.")))
    return year or in_file


def _import_existing(
    block: Block, year: int, replace: bool, problems: list[ImportProblem]
) -> Framework | None:
    existing = Framework.objects.filter(year=year, block=block).first()
    if existing is None:
        return None
    values = {"block": block, "year": year}
    if not replace:
        message = _(
            "A framework for %(block)s in %(year)s already exists. To overwrite it, "
            "import again and choose to replace it."
        )
    elif existing.locked:
        message = _(
            "The framework for %(block)s in %(year)s is locked because a campaign uses it, "
            "so it cannot be replaced."
        )
    elif existing.assessments.exists():
        message = _(
            "The framework for %(block)s in %(year)s already has assessments, "
            "so it cannot be replaced."
        )
    else:
        return existing
    problems.append(file_problem(message % values))
    return None

"""Reads of criteria frameworks: the list, one framework, its tree."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from scoring.criteria_tree import ADJUSTMENTS, TreeProblem, tree_problems
from scoring.models import (
    Criterion,
    Framework,
)
from units.numbers import to_decimal


def _count_of(criteria: QuerySet[Criterion]) -> Coalesce:
    """A subquery counting the given criteria of the outer framework."""
    counted = (
        criteria.filter(framework=OuterRef("pk"))
        .order_by()
        .values("framework")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def framework_list() -> QuerySet[Framework]:
    """Frameworks with their block, number of criteria and leaves and maximum, in one query.

    Subqueries rather than joined aggregates: counting over the criteria join and
    the children join at once would multiply rows. The maximum follows
    Framework.max_points (top-level nodes, deductions excluded).
    """
    has_children = Criterion.objects.filter(parent=OuterRef("pk"))
    maximum = (
        Criterion.objects.filter(framework=OuterRef("pk"), parent__isnull=True)
        .exclude(method__in=ADJUSTMENTS)
        .order_by()
        .values("framework")
        .annotate(total=Sum("max_points"))
        .values("total")
    )
    points = DecimalField(max_digits=9, decimal_places=2)
    return Framework.objects.select_related("block").annotate(
        criterion_count=_count_of(
            Criterion.objects.filter(parent__isnull=False, parent__parent__isnull=True)
        ),
        leaf_count=_count_of(Criterion.objects.filter(~Exists(has_children))),
        total_max=Coalesce(
            Subquery(maximum, output_field=points), Value(Decimal("0"), output_field=points)
        ),
    )


@dataclass(frozen=True)
class ScaleEntry:
    """One level ("on time": 1) or threshold (≥ 90 %: 2) of a leaf's scale."""

    label: str
    min_percent: Decimal | None
    points: Decimal | None
    raw_points: str


@dataclass
class TreeNode:
    criterion: Criterion
    depth: int
    children: list["TreeNode"] = field(default_factory=list)
    scale: list[ScaleEntry] = field(default_factory=list)
    # Areas only: the sum of the maxima of the leaves below.
    subtotal: Decimal | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class TreeRow:
    """A line of the tree as a table shows it: a node, or the subtotal closing an area."""

    node: TreeNode
    is_subtotal: bool = False


@dataclass(frozen=True)
class FrameworkTree:
    areas: list[TreeNode]
    rows: list[TreeRow]
    total_max: Decimal
    deduction_max: Decimal
    bonus_max: Decimal
    leaf_count: int
    problems: list[TreeProblem]


def _scale_entries(criterion: Criterion) -> list[ScaleEntry]:
    if not isinstance(criterion.scale, list):
        return []
    entries = []
    for entry in criterion.scale:
        if not isinstance(entry, dict):
            continue
        threshold = to_decimal(entry.get("min_percent")) if criterion.method == "ratio" else None
        entries.append(
            ScaleEntry(
                label=str(entry.get("label", "")),
                min_percent=threshold,
                points=to_decimal(entry.get("points")),
                raw_points=str(entry.get("points", "")),
            )
        )
    return entries


def framework_tree(framework: Framework) -> FrameworkTree:
    """The criteria of a framework as a tree, built from one ordered query."""
    criteria = list(framework.criteria.order_by("sort_key"))
    nodes: dict[int, TreeNode] = {}
    areas: list[TreeNode] = []
    for criterion in criteria:
        node = TreeNode(criterion=criterion, depth=criterion.depth, scale=_scale_entries(criterion))
        nodes[criterion.pk] = node
        parent = nodes.get(criterion.parent_id) if criterion.parent_id else None
        # sort_key puts parents first; an orphan (a broken tree) is shown at the top
        # level rather than hidden, and tree_problems names it.
        (parent.children if parent else areas).append(node)

    rows: list[TreeRow] = []
    leaf_count = 0

    def walk(node: TreeNode) -> Decimal:
        nonlocal leaf_count
        rows.append(TreeRow(node=node))
        if node.is_leaf:
            leaf_count += 1
            return node.criterion.max_points
        return sum((walk(child) for child in node.children), Decimal("0"))

    total_max = deduction_max = bonus_max = Decimal("0")
    for area in areas:
        area.subtotal = walk(area)
        rows.append(TreeRow(node=area, is_subtotal=True))
        if area.criterion.method == Criterion.Method.DEDUCTION:
            deduction_max += area.criterion.max_points
        elif area.criterion.method == Criterion.Method.BONUS:
            bonus_max += area.criterion.max_points
        else:
            total_max += area.criterion.max_points
    return FrameworkTree(
        areas=areas,
        rows=rows,
        total_max=total_max,
        deduction_max=deduction_max,
        bonus_max=bonus_max,
        leaf_count=leaf_count,
        problems=tree_problems(criteria),
    )


def framework_detail(pk: int) -> Framework | None:
    return Framework.objects.select_related("block", "cloned_from").filter(pk=pk).first()


@dataclass(frozen=True)
class FrameworkLeaf:
    criterion: Criterion
    area: Criterion


def framework_leaves(framework_id: int) -> list[FrameworkLeaf]:
    """The leaves of a framework in code order, each with its area (one query)."""
    criteria = list(Criterion.objects.filter(framework_id=framework_id).order_by("sort_key"))
    parents = {c.parent_id for c in criteria if c.parent_id is not None}
    areas = {c.code: c for c in criteria if c.parent_id is None}
    return [
        FrameworkLeaf(criterion=c, area=areas.get(c.area_code, c))
        for c in criteria
        if c.pk not in parents
    ]

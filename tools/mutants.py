"""The mutants of tools/mutation.py: where they are made and how one is compiled.

Each mutant is one classic change (mutmut's and cosmic-ray's operators) to one node of a
function body: a comparison or an arithmetic operator flipped, `and`/`or` swapped, a
number, a boolean or a string changed, `not`/unary minus dropped, a returned value
replaced by None, a call statement removed, `break`/`continue` swapped. Nothing is written
to disk: the mutated module is compiled in memory and only the mutated function's code
object is kept.
"""

import ast
import types
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Calls whose arguments are message text, not behaviour.
MESSAGE_CALLS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "format_html",
    "debug",
    "info",
    "warning",
    "error",
    "exception",
    "critical",
}


# --- mutants ---------------------------------------------------------------------------

COMPARE_SWAPS = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
BINOP_SWAPS = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
}
SYMBOLS = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.And: "and",
    ast.Or: "or",
}


@dataclass
class Mutant:
    module: str
    path: str
    target: tuple[str, int]  # the function it lives in: (qualname, first line)
    index: int  # the node's position in the walk of the module
    operator: str
    line: int
    source_line: str
    outcome: str = ""  # killed, timeout, survived, not reached
    killer: str = ""


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def target_defs(tree: ast.Module):
    """The functions a mutant can be swapped into: module functions and class methods."""
    stack = [("", node) for node in tree.body]
    while stack:
        prefix, node = stack.pop(0)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            yield f"{prefix}{node.name}", first, node
        elif isinstance(node, ast.ClassDef):
            stack.extend((f"{prefix}{node.name}.", child) for child in node.body)


def _quiet_nodes(function: ast.AST) -> set[int]:
    """Nodes of a function that hold message text or types, not behaviour."""
    quiet = set()

    def hush(node):
        quiet.update(id(n) for n in ast.walk(node))

    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        hush(body[0])
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and _call_name(node) in MESSAGE_CALLS:
            hush(node)
        elif isinstance(node, ast.Raise) and node.exc is not None:
            for sub in ast.walk(node.exc):
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                    quiet.add(id(sub))
        elif isinstance(node, ast.JoinedStr):
            hush(node)
        elif isinstance(node, ast.arg | ast.AnnAssign) and getattr(node, "annotation", None):
            hush(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            if node is not function:
                hush(node.args)
                if not isinstance(node, ast.Lambda):
                    for decorator in node.decorator_list:
                        hush(decorator)
                    if node.returns:
                        hush(node.returns)
    hush(function.args)
    for decorator in function.decorator_list:
        hush(decorator)
    if function.returns:
        hush(function.returns)
    return quiet


def operators(node: ast.AST, parent: ast.AST | None):
    """The mutations of one node: (description, function that applies it in place)."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            new = COMPARE_SWAPS.get(type(op))
            if new:

                def apply(n, i=i, new=new):
                    n.ops[i] = new()

                yield f"{SYMBOLS[type(op)]} -> {SYMBOLS[new]}", apply
    elif isinstance(node, ast.BoolOp):
        new = ast.Or if isinstance(node.op, ast.And) else ast.And
        yield (
            f"{SYMBOLS[type(node.op)]} -> {SYMBOLS[new]}",
            lambda n, new=new: setattr(n, "op", new()),
        )
    elif isinstance(node, ast.BinOp | ast.AugAssign):
        new = BINOP_SWAPS.get(type(node.op))
        is_format = isinstance(node, ast.BinOp) and isinstance(
            node.left, ast.Constant | ast.JoinedStr
        )
        if new and not (isinstance(node.op, ast.Mod) and is_format):
            yield (
                f"{SYMBOLS[type(node.op)]} -> {SYMBOLS[new]}",
                lambda n, new=new: setattr(n, "op", new()),
            )
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
        label = "not x -> x" if isinstance(node.op, ast.Not) else "-x -> x"
        yield label, None  # the operand takes the node's place
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            yield f"{value} -> {not value}", lambda n: setattr(n, "value", not n.value)
        elif isinstance(value, int | float):
            yield f"{value!r} -> {value + 1!r}", lambda n: setattr(n, "value", n.value + 1)
        elif isinstance(value, str):
            yield f"{value!r} -> 'XX{value}XX'", lambda n: setattr(n, "value", f"XX{n.value}XX")
    elif isinstance(node, ast.Return) and node.value is not None:
        if not (isinstance(node.value, ast.Constant) and node.value.value is None):
            yield "return x -> return None", lambda n: setattr(n, "value", ast.Constant(None))
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        yield "call statement removed", None  # handled by the parent's body
    elif isinstance(node, ast.Break):
        yield "break -> continue", None
    elif isinstance(node, ast.Continue):
        yield "continue -> break", None


def _replacement(node: ast.stmt) -> ast.stmt:
    if isinstance(node, ast.Break):
        return ast.Continue()
    if isinstance(node, ast.Continue):
        return ast.Break()
    return ast.Pass()


def _walk(tree: ast.Module):
    """Every mutable node of every target function, in a fixed order, with its target."""
    for qualname, first, function in target_defs(tree):
        quiet = _quiet_nodes(function)
        index = 0
        for stmt in function.body:
            for node in ast.walk(stmt):
                index += 1
                if id(node) in quiet:
                    continue
                yield (qualname, first), index, node


_SOURCES: dict[str, str] = {}


def source_of(path: str) -> str:
    """The module's text as first read: the run never sees an edit made while it runs."""
    if path not in _SOURCES:
        _SOURCES[path] = (ROOT / path).read_text()
    return _SOURCES[path]


def mutants_of(module: str, path: str) -> list[Mutant]:
    source = source_of(path)
    lines = source.splitlines()
    found = []
    for target, index, node in _walk(ast.parse(source)):
        for label, _apply in operators(node, None):
            found.append(
                Mutant(
                    module=module,
                    path=path,
                    target=target,
                    index=index,
                    operator=label,
                    line=node.lineno,
                    source_line=lines[node.lineno - 1].strip(),
                )
            )
    return found


def mutated_code(mutant: Mutant) -> types.CodeType:
    """The mutated module compiled, and the code object of the mutated function in it."""
    tree = ast.parse(source_of(mutant.path))
    seen = 0
    for target, index, node in _walk(tree):
        if target != mutant.target or index != mutant.index:
            continue
        for label, apply in operators(node, None):
            if label != mutant.operator:
                continue
            seen += 1
            if apply is not None:
                apply(node)
            elif isinstance(node, ast.UnaryOp):
                _replace_node(tree, node, node.operand)
            else:
                _replace_statement(tree, node)
            break
        break
    if not seen:
        raise LookupError(f"mutant not found again: {mutant}")
    ast.fix_missing_locations(tree)
    code = compile(tree, str(ROOT / mutant.path), "exec")
    wanted = mutant.target
    for candidate in _codes(code):
        if (candidate.co_qualname, candidate.co_firstlineno) == wanted:
            return candidate
    raise LookupError(f"no code object for {wanted}")


def _replace_statement(tree: ast.Module, old: ast.stmt) -> None:
    for parent in ast.walk(tree):
        for name in ("body", "orelse", "finalbody"):
            block = getattr(parent, name, None)
            if isinstance(block, list) and old in block:
                new = ast.copy_location(_replacement(old), old)
                block[block.index(old)] = new
                return
        for handler in getattr(parent, "handlers", []) or []:
            if old in handler.body:
                handler.body[handler.body.index(old)] = ast.copy_location(_replacement(old), old)
                return
    raise LookupError("statement not found")


def _replace_node(tree: ast.Module, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return
            if isinstance(value, list) and any(v is old for v in value):
                value[[i for i, v in enumerate(value) if v is old][0]] = new
                return
    raise LookupError("node not found")


def _codes(code: types.CodeType):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)

"""Mutation testing of the portal's core: which plausible bugs would the tests let through?

Run from the checkout (slow, never part of CI):

    .venv/bin/python tools/mutation.py                  # every core module
    .venv/bin/python tools/mutation.py calculations workflow
    .venv/bin/python tools/mutation.py --list           # the modules and their tests
    .venv/bin/python tools/mutation.py workflow --line 120-140   # only mutants on those lines

It prints, per module, the mutants, how many the tests killed, the score, and each
survivor (file:line, operator, source line). Exit status 0 whatever the score.

Why a runner of our own rather than mutmut or cosmic-ray. Both are well kept, and both
pay a whole test-process start for each mutant: cosmic-ray rewrites the file and runs the
test command; mutmut 3 forks and calls pytest.main, so each mutant sets pytest-django's
test database up again (migrations included). At ~5 s a mutant, the ~2,000 mutants of
these modules need hours on the two cores of this machine. This runner starts pytest once:

1. The mapped tests (MODULES below) are collected and run once, unmutated, with a call
   tracer that records which function of a target module each test reaches. A test that
   fails unmutated is named and left out: it cannot tell a mutant from the original.
2. Each mutant is one small change to a function body (the classic operators of mutmut
   and cosmic-ray, see `operators`), compiled from the whole mutated module, and swapped
   into the live function objects (`function.__code__`), so every reference to the
   function, wherever it was imported, runs the mutant. The file on disk is never written.
3. Only the tests that reached the mutated function run, fastest first, stopping at the
   first failure (killed). A test that overruns its time limit kills the mutant too
   (an endless loop is a caught bug). The session's fixtures (the test database) stay up
   between mutants; module and class fixtures are torn down and set up again, so a
   fixture built under one mutant never serves the next.

Left out on purpose, as mutmut 3 leaves them out: module-level code (constants, class
attributes, default argument values, decorators) and the text of messages (strings in
gettext, logging and raise statements, docstrings, f-strings): a reworded message is not
a bug the tests should pin. A mutant no mapped test reaches counts as a survivor
("not reached"). Threads a test starts are traced too (the row-lock races).

The original code is put back after each mutant, in `finally`.
"""

import argparse
import ast
import gc
import os
import signal
import sys
import threading
import time
import types
from dataclasses import dataclass, field

from mutants import ROOT, Mutant, mutants_of, mutated_code, source_of, target_defs

# module key -> (source file, the test files or folders that exercise it)
MODULES: dict[str, tuple[str, list[str]]] = {
    "calculations": (
        "scoring/calculations.py",
        [
            "tests/scoring/test_calculations.py",
            "tests/scoring/services/test_results.py",
            "tests/scoring/test_whatif.py",
            "tests/scoring/test_block_statistics.py",
            "tests/reports/test_close_indexes.py",
        ],
    ),
    "computation": (
        "scoring/services/results.py",
        [
            "tests/scoring/services/test_results.py",
            "tests/scoring/selectors/test_previous_year.py",
            "tests/scoring/views/test_campaign_results.py",
            "tests/reports/test_close_indexes.py",
            "tests/reports/outputs/test_decision_rows.py",
        ],
    ),
    "workflow": (
        "scoring/workflow.py",
        ["tests/scoring/test_workflow.py", "tests/scoring/test_workflow_stragglers.py"],
    ),
    "workflow_checks": (
        "scoring/workflow_checks.py",
        [
            "tests/scoring/test_workflow_checks.py",
            "tests/scoring/test_workflow.py",
            "tests/scoring/test_workflow_stragglers.py",
            "tests/scoring/views/test_overview.py",
            "tests/scoring/views/test_conflicts.py",
        ],
    ),
    "scoring_access": (
        "scoring/access.py",
        [
            "tests/scoring/test_workflow.py",
            "tests/scoring/services/test_deadlines.py",
            "tests/scoring/views/test_self_assessment.py",
            "tests/scoring/views/test_appraisal.py",
            "tests/scoring/services/test_evidence.py",
            "tests/scoring/views/test_overview.py",
            "tests/cchc_portal/test_access_matrix.py",
            "tests/scoring/test_access.py",
        ],
    ),
    "units_access": (
        "units/access.py",
        [
            "tests/units/test_access.py",
            "tests/units/test_views.py",
            "tests/cchc_portal/accounts/services/test_roles.py",
            "tests/cchc_portal/accounts/views/test_accounts.py",
            "tests/cchc_portal/test_access_matrix.py",
            "tests/reports/views/test_unit_results.py",
        ],
    ),
    "workbook_guard": (
        "scoring/exchange/workbook_guard.py",
        ["tests/scoring/exchange/test_workbook_guard.py"],
    ),
    "sheet_scan": (
        "scoring/exchange/sheet_scan.py",
        [
            "tests/scoring/exchange/test_sheet_scan.py",
            "tests/scoring/exchange/test_workbook_guard.py",
            "tests/scoring/exchange/test_formula_cells.py",
        ],
    ),
    "zip_inspection": (
        "scoring/zip_inspection.py",
        [
            "tests/scoring/test_zip_inspection.py",
            "tests/scoring/exchange/test_workbook_guard.py",
            "tests/scoring/services/test_evidence.py",
            "tests/scoring/services/test_evidence_content.py",
        ],
    ),
    "publication": (
        "reports/services/publication.py",
        [
            "tests/reports/services/test_publication.py",
            "tests/reports/services/test_publication_refusals.py",
            "tests/reports/services/test_publication_queue.py",
            "tests/reports/services/test_publication_races.py",
            "tests/reports/services/test_decision_actors.py",
            "tests/reports/services/test_signed_publication.py",
            "tests/reports/views/test_drafting.py",
        ],
    ),
    "publication_queue": (
        "reports/services/publication_queue.py",
        [
            "tests/reports/services/test_publication_queue.py",
            "tests/reports/services/test_publication_queue_recovery.py",
            "tests/reports/services/test_decision_actors.py",
            "tests/reports/test_publication_progress.py",
        ],
    ),
}


# --- the pytest side ---------------------------------------------------------------------


class MutantTimeout(BaseException):
    """Raised in a test that overran its limit: BaseException, so `except Exception` in the
    code under test cannot swallow it."""


class _SessionOnly:
    """A stand-in for 'the next test': tearing down to it keeps only session fixtures."""

    def __init__(self, session):
        self.session = session

    def listchain(self):
        return [self.session]


@dataclass
class Plan:
    modules: list[str]
    lines: tuple[int, int] | None
    mutants: list[Mutant] = field(default_factory=list)


class MutationPlugin:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.reached: dict[tuple[str, tuple[str, int]], set[str]] = {}
        self.duration: dict[str, float] = {}

    # output past pytest's capture
    def say(self, text: str = "") -> None:
        capman = self.config.pluginmanager.getplugin("capturemanager")
        with capman.global_and_fixture_disabled():
            print(text, flush=True)

    def pytest_configure(self, config):
        self.config = config

    def pytest_runtestloop(self, session):
        from _pytest.runner import runtestprotocol

        if session.testsfailed and not session.config.option.continue_on_collection_errors:
            return None
        items = session.items
        keeper = _SessionOnly(session)
        targets = self._targets()

        changed = [m for m in self.plan.modules if not self._unchanged(MODULES[m][0])]
        if changed:
            self.say(f"edited since the run started, run again: {', '.join(changed)}")
            return True

        # 1. the baseline, traced
        started = time.monotonic()
        current: set = set()

        def tracer(frame, event, arg):
            code = frame.f_code
            spans = targets.get(code.co_filename)
            if spans:
                line = code.co_firstlineno
                for first, last, key in spans:
                    if first <= line <= last:
                        current.add(key)
                        break
            return None

        failed = []
        for i, item in enumerate(items):
            nextitem = items[i + 1] if i + 1 < len(items) else keeper
            current.clear()
            t0 = time.monotonic()
            sys.settrace(tracer)
            threading.settrace(tracer)  # the race tests publish from threads of their own
            try:
                reports = runtestprotocol(item, nextitem=nextitem, log=False)
            finally:
                threading.settrace(None)
                sys.settrace(None)
            self.duration[item.nodeid] = time.monotonic() - t0
            if any(r.failed for r in reports):
                failed.append(item.nodeid)
            elif not any(r.skipped for r in reports):
                for key in current:
                    self.reached.setdefault(key, set()).add(item.nodeid)
        self.say(f"baseline: {len(items)} tests in {time.monotonic() - started:.0f} s")
        if failed:
            # They cannot tell a mutant from the original: left out, and named, so the
            # score is the one the passing tests earn.
            self.say(f"left out, failing without any mutant ({len(failed)}):")
            for nodeid in failed:
                self.say(f"  {nodeid}")

        # 2. the mutants
        by_id = {item.nodeid: item for item in items}
        originals = self._function_objects()
        last_killer: dict[tuple, str] = {}
        # A test kills a mutant only if it passes again on the original code right after:
        # one that fails when run twice in a process (a file closed by its first run)
        # would otherwise "kill" every mutant it is tried on.
        repeatable: set[str] = set()
        unrepeatable: set[str] = set()
        for number, mutant in enumerate(self.plan.mutants, 1):
            key = (mutant.path, mutant.target)
            tests = sorted(
                self.reached.get(key, set()) - unrepeatable, key=lambda n: self.duration[n]
            )
            if key in last_killer and last_killer[key] in tests:
                tests.remove(last_killer[key])
                tests.insert(0, last_killer[key])
            if not tests:
                mutant.outcome = "not reached"
            else:
                functions = originals.get(key, [])
                if not functions:
                    mutant.outcome = "not reached"
                    self._report(number, mutant)
                    continue
                code = mutated_code(mutant)
                saved = [(f, f.__code__) for f in functions]
                if len(code.co_freevars) != len(functions[0].__code__.co_freevars):
                    # e.g. the only super() call removed: the code no longer fits the
                    # function's closure, so the mutant cannot be swapped in.
                    mutant.outcome = "not swappable"
                    self._report(number, mutant)
                    continue
                try:
                    self._swap(saved, original=False, mutant=mutant, code=code)
                    mutant.outcome = "survived"
                    for nodeid in tests:
                        item = by_id[nodeid]
                        limit = 3 * self.duration[nodeid] + 5
                        outcome = self._run(runtestprotocol, item, keeper, limit)
                        if outcome == "passed":
                            continue
                        if nodeid not in repeatable:
                            self._swap(saved, original=True, mutant=mutant)
                            again = self._run(runtestprotocol, item, keeper, limit)
                            self._swap(saved, original=False, mutant=mutant, code=code)
                            if again != "passed":
                                unrepeatable.add(nodeid)
                                self.say(f"  left out, fails when run again unmutated: {nodeid}")
                                continue
                            repeatable.add(nodeid)
                        mutant.outcome, mutant.killer = outcome, nodeid
                        last_killer[key] = nodeid
                        break
                finally:
                    self._swap(saved, original=True, mutant=mutant)
            self._report(number, mutant)
        session._setupstate.teardown_exact(None)
        return True

    def _swap(self, saved, *, original: bool, mutant: Mutant, code=None) -> None:
        """Put the original code (or the mutant's) into every function object it lives in."""
        for function, original_code in saved:
            function.__code__ = original_code if original else code
        self._clear_caches(mutant)

    def _unchanged(self, path: str) -> bool:
        return (ROOT / path).read_text() == source_of(path)

    def _run(self, runtestprotocol, item, keeper, limit) -> str:
        def overrun(signum, frame):
            raise MutantTimeout(f"over {limit:.0f} s")

        previous = signal.signal(signal.SIGALRM, overrun)
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            reports = runtestprotocol(item, nextitem=keeper, log=False)
        except MutantTimeout:
            item.session._setupstate.teardown_exact(keeper)
            return "timeout"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        for report in reports:
            if report.failed:
                text = str(report.longrepr or "")
                return "timeout" if "MutantTimeout" in text else "killed"
        return "passed"

    def _report(self, number: int, mutant: Mutant) -> None:
        mark = {"killed": ".", "timeout": "T"}.get(mutant.outcome, "S")
        by = f", by {mutant.killer}" if mutant.killer else ""
        self.say(
            f"  [{number}/{len(self.plan.mutants)}] {mark} {mutant.path}:{mutant.line} "
            f"{mutant.operator}  ({mutant.outcome}{by})"
        )

    def _targets(self):
        """file -> [(first line, last line, (path, target))] for the tracer."""
        spans: dict[str, list] = {}
        for module in self.plan.modules:
            path = MODULES[module][0]
            tree = ast.parse(source_of(path))
            for qualname, first, node in target_defs(tree):
                filename = str(ROOT / path)
                spans.setdefault(filename, []).append(
                    (first, node.end_lineno, (path, (qualname, first)))
                )
        return spans

    def _function_objects(self):
        """(path, (qualname, first line)) -> the live function objects running that code."""
        files = {str(ROOT / MODULES[m][0]): MODULES[m][0] for m in self.plan.modules}
        found: dict[tuple, list] = {}
        for obj in gc.get_objects():
            if type(obj) is types.FunctionType:  # isinstance would wake lazy objects
                code = obj.__code__
                path = files.get(code.co_filename)
                if path:
                    found.setdefault((path, (code.co_qualname, code.co_firstlineno)), []).append(
                        obj
                    )
        return found

    def _clear_caches(self, mutant: Mutant) -> None:
        import importlib

        name = mutant.path.removesuffix(".py").replace("/", ".")
        module = importlib.import_module(name)
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


# --- the command -------------------------------------------------------------------------


def summary(plan: Plan) -> str:
    out = ["", f"{'module':<20} {'mutants':>8} {'killed':>8} {'score':>7}"]
    for module in plan.modules:
        mine = [m for m in plan.mutants if m.module == module and m.outcome != "not swappable"]
        killed = sum(m.outcome in ("killed", "timeout") for m in mine)
        score = 100 * killed / len(mine) if mine else 100.0
        out.append(f"{module:<20} {len(mine):>8} {killed:>8} {score:>6.1f}%")
    survivors = [m for m in plan.mutants if m.outcome not in ("killed", "timeout", "not swappable")]
    for m in plan.mutants:
        if m.outcome == "not swappable":
            out.append(f"not counted (cannot be swapped in): {m.path}:{m.line} {m.operator}")
    out.append("")
    out.append(f"survivors ({len(survivors)}):")
    for m in survivors:
        tag = " [not reached]" if m.outcome == "not reached" else ""
        out.append(f"  {m.path}:{m.line}  {m.operator}{tag}\n      {m.source_line}")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"any of: {', '.join(MODULES)} (default: all)")
    parser.add_argument(
        "--list", action="store_true", help="list the modules, their tests and mutant counts"
    )
    parser.add_argument("--line", help="only the mutants on these lines, e.g. 120 or 120-140")
    args = parser.parse_args(argv)
    modules = args.modules or list(MODULES)
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module(s): {', '.join(unknown)}")
    lines = None
    if args.line:
        first, _, last = args.line.partition("-")
        lines = (int(first), int(last or first))
    plan = Plan(modules=modules, lines=lines)
    for module in modules:
        for mutant in mutants_of(module, MODULES[module][0]):
            if lines is None or lines[0] <= mutant.line <= lines[1]:
                plan.mutants.append(mutant)
    if args.list:
        for module in modules:
            path, tests = MODULES[module]
            count = sum(m.module == module for m in plan.mutants)
            print(f"{module}: {path}, {count} mutants\n  " + "\n  ".join(tests))
        return 0

    import pytest

    os.chdir(ROOT)
    tests = sorted({t for m in modules for t in MODULES[m][1]})
    started = time.monotonic()
    code = pytest.main(
        ["-q", "-p", "no:randomly", "-p", "no:cacheprovider", "--no-header", *tests],
        plugins=[MutationPlugin(plan)],
    )
    print(summary(plan))
    print(f"\ntime: {time.monotonic() - started:.0f} s")
    return 0 if code in (0, 5) and all(m.outcome for m in plan.mutants) else 1


if __name__ == "__main__":
    sys.exit(main())

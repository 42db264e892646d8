"""Self-checks for the notebooks' exercises, and the runner that keeps their solutions correct.

Each exercise has an *answer cell* (metadata ``{"exercise": "NN.k"}``) that binds a placeholder (``None``, or a
function whose body is ``...``) and a *self-check cell* calling ``check("NN.k", answer, **context)``, which never
raises: it prints "correct", a hint (the checkers in ``lectureutils/exercise_checks/``), or "not answered yet", in
the student's language. Solutions live in ``solutions/NN_name.py``, one ``# %% NN.k`` block per exercise. With
``LECTUREUTILS_SOLVE_EXERCISES=1`` (``make test``, ``make solutions``) every check of a placeholder also runs the
solution block on a copy of the notebook's namespace and raises if its check fails: the normal CI run proves both
that the untouched notebook says "not answered yet" and that every solution passes.
``python -m lectureutils.exercises solve NOTEBOOK...`` runs notebooks that way and reports.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from . import env
from .i18n import _
from .exercise_checks import CHECKERS, MODEL_ANSWERS

__all__ = ["check", "model_answer", "is_placeholder", "results", "statuses", "solved", "reset", "solution_blocks",
           "solutions_file", "answer_name", "exercise_ids", "solve", "main"]

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"
_STATUS: dict[str, str] = {}  # id -> "correct" | "wrong" | "not answered"
_SOLVED: dict[str, bool] = {}  # id -> the solution passed its check (solve mode only)
PLACEHOLDERS = (None, Ellipsis)


def _judge(exercise_id: str, answer, context: dict) -> str | None:
    """None when correct, else the hint (a checker that raises is a wrong answer, not a crash)."""
    try:
        return CHECKERS[exercise_id](answer, **context)
    except Exception as error:  # the student's answer may be of any type; say what happened
        return _("checking your answer raised {error_type}: {error}. Is it the kind of value asked for?").format(
            error_type=type(error).__name__, error=error)


def check(exercise_id: str, answer, **context) -> bool:
    """Print "correct", a hint or "not answered yet" (never raises in a student's run); True only when correct
    (every notebook's Exercises section). ``context``: what the checker needs from the notebook."""
    label = _("Exercise {id}").format(id=exercise_id)
    if exercise_id not in CHECKERS:
        print(_("{label}: no self-check is registered for this exercise (lectureutils.exercises)").format(label=label))
        _STATUS[exercise_id] = "wrong"
        return False
    if is_placeholder(answer):
        print(_("{label}: not answered yet").format(label=label))
        _STATUS[exercise_id] = "not answered"
        if env.solve_exercises():
            frame = sys._getframe(1)
            _check_solution(exercise_id, frame.f_globals, context, _answer_expression(frame, exercise_id))
        return False
    if env.solve_exercises():
        raise AssertionError(f"{label}: the notebook must keep the placeholder (None) in its answer cell; "
                             "solutions belong in solutions/")
    hint = _judge(exercise_id, answer, context)
    _STATUS[exercise_id] = "correct" if hint is None else "wrong"
    print(_("{label}: correct").format(label=label) if hint is None
          else _("{label}: not quite. {hint}").format(label=label, hint=hint))
    return hint is None


def model_answer(exercise_id: str) -> None:
    """Print one good answer of an exercise that asks for judgement (every notebook's Exercises section)."""
    if exercise_id not in MODEL_ANSWERS:
        known = ", ".join(sorted(MODEL_ANSWERS)) or _("none")
        print(_("Exercise {id}: no model answer (the exercises with one: {known})").format(id=exercise_id, known=known))
        return
    print(_("Exercise {id}, a model answer (yours may choose differently and still be right):").format(id=exercise_id)
          + "\n" + _(MODEL_ANSWERS[exercise_id]))


def is_placeholder(answer) -> bool:
    """True for an untouched answer: None, ``...``, a tuple of them, or a function whose body is only ``...``."""
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, tuple) and answer and all(item is None or item is Ellipsis for item in answer):
        return True
    if callable(answer) and hasattr(answer, "__code__"):
        import inspect
        import textwrap

        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(answer)))
        except (OSError, TypeError, SyntaxError):
            return False
        if not tree.body or not isinstance(tree.body[0], (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False  # a lambda, a class ...: an answer
        body = [node for node in tree.body[0].body if not (isinstance(node, ast.Expr) and isinstance(
            node.value, ast.Constant) and isinstance(node.value.value, str))]  # a docstring does not count
        return all(isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and node.value.value is ...
                   for node in body)
    return False


def _answer_expression(frame, exercise_id: str) -> str | None:
    """``((<answer>), dict(<keywords>))`` of the calling cell's ``check("NN.k", ...)`` (IPython keeps cell sources in
    linecache): solve mode evaluates both after the solution ran, which may rebuild the context (11's tokenizer)."""
    import linecache

    source = "".join(linecache.getlines(frame.f_code.co_filename))
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and len(node.args) >= 2 and isinstance(node.args[0], ast.Constant)
                and node.args[0].value == exercise_id):
            keywords = ", ".join(f"{keyword.arg}={ast.unparse(keyword.value)}" for keyword in node.keywords
                                 if keyword.arg)
            return f"(({ast.unparse(node.args[1])}), dict({keywords}))"
    return None


def _check_solution(exercise_id: str, namespace: dict, context: dict, expression: str | None = None) -> None:
    """Solve mode: run the solution block on a copy of the notebook's namespace and check its answer."""
    path = solutions_file(exercise_id)
    block = solution_blocks(path).get(exercise_id)
    if block is None:
        raise AssertionError(f"Exercise {exercise_id}: no `# %% {exercise_id}` block in {path}")
    scope = dict(namespace)
    exec(compile(block, f"<{path.name}: {exercise_id}>", "exec"), scope)
    if expression:  # the answer and the context as the self-check cell writes them, after the solution ran
        answer, context = eval(expression, scope)
    else:
        answer = scope[answer_name(block)]
    hint = _judge(exercise_id, answer, context)
    _SOLVED[exercise_id] = hint is None
    if hint is not None:
        raise AssertionError(f"Exercise {exercise_id}: the solution in {path.name} fails its check: {hint}")
    print(f"  (solve mode: the solution in solutions/{path.name} passes)")


def results() -> dict[str, bool]:
    """Every exercise checked so far in this process: True when correct."""
    return {exercise_id: status == "correct" for exercise_id, status in _STATUS.items()}


def statuses() -> dict[str, str]:
    """Every exercise checked so far: "correct", "wrong" or "not answered"."""
    return dict(_STATUS)


def solved() -> dict[str, bool]:
    """Solve mode: every solution run so far, True when it passed its check (make solutions)."""
    return dict(_SOLVED)


def reset() -> None:
    """Forget the recorded results (tests)."""
    _STATUS.clear()
    _SOLVED.clear()


def solutions_file(exercise_id: str) -> Path:
    """``solutions/NN_name.py`` for exercise ``NN.k`` (make solutions)."""
    number = exercise_id.split(".")[0]
    found = sorted(SOLUTIONS.glob(f"{number}_*.py"))
    if not found:
        raise FileNotFoundError(f"no solutions/{number}_*.py (the solutions live in the repository checkout)")
    return found[0]


def solution_blocks(path: Path) -> dict[str, str]:
    """The ``# %% NN.k`` blocks of a solutions file, by exercise id (make solutions)."""
    blocks: dict[str, list[str]] = {}
    current = None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        marker = re.match(r"# %% (\d\d\.\d+)\s*$", line)
        if marker:
            current = marker.group(1)
            blocks[current] = []
        elif current is not None:
            blocks[current].append(line)
    return {exercise_id: "\n".join(lines).strip() + "\n" for exercise_id, lines in blocks.items()}


def answer_name(block: str) -> str:
    """The name a solution block binds last at top level: the answer (make solutions)."""
    names = []
    for node in ast.parse(block).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [target.id for target in targets if isinstance(target, ast.Name)]
    if not names:
        raise ValueError("a solution block must bind its answer (an assignment or a def)")
    return names[-1]


def exercise_ids(notebook: dict) -> list[str]:
    """The exercise ids of a parsed notebook's answer cells, in order (make solutions)."""
    return [cell["metadata"]["exercise"] for cell in notebook["cells"] if "exercise" in cell.get("metadata", {})]


def solve(path: Path, timeout: int = 900) -> dict:
    """Execute a notebook in solve mode: its exercise ids, statuses and solved results (make solutions)."""
    import json
    import os

    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    ids = exercise_ids(notebook)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "import json as _json\nfrom lectureutils import exercises as _exercises\n"
        "print('EXERCISES ' + _json.dumps({'statuses': _exercises.statuses(), 'solved': _exercises.solved()}))"))
    saved = os.environ.get(env.SOLVE_EXERCISES)
    os.environ[env.SOLVE_EXERCISES] = "1"  # the kernel inherits it
    try:
        NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent.resolve())}}).execute()
    finally:
        if saved is None:
            del os.environ[env.SOLVE_EXERCISES]
        else:
            os.environ[env.SOLVE_EXERCISES] = saved
    text = "".join(output.get("text", "") for output in notebook.cells[-1].outputs)
    report = json.loads(text.split("EXERCISES ", 1)[1])
    return {"ids": ids} | report


def main(argv=None) -> int:
    """``python -m lectureutils.exercises solve NOTEBOOK...`` (make solutions)."""
    import argparse
    import json
    import time

    parser = argparse.ArgumentParser(prog="python -m lectureutils.exercises")
    commands = parser.add_subparsers(dest="command", required=True)
    solver = commands.add_parser("solve", help="run notebooks with their solutions checked")
    solver.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    failed = 0
    for path in args.notebooks:
        if not exercise_ids(json.loads(path.read_text(encoding="utf-8"))):
            print(f"{path.name}: no exercise answer cells in check() form yet (skipped)")
            continue
        start = time.perf_counter()
        try:
            report = solve(path)
        except Exception as error:  # a failing cell: nbclient's error names it
            print(f"{path.name}: FAILED\n{error}")
            failed += 1
            continue
        untouched = all(report["statuses"].get(i) == "not answered" for i in report["ids"])
        passed = all(report["solved"].get(i) is True for i in report["ids"])
        ok = untouched and passed and bool(report["ids"])
        failed += not ok
        print(f"{path.name}: {'ok' if ok else 'FAILED'} ({time.perf_counter() - start:.0f} s) exercises "
              f"{', '.join(report['ids'])}; untouched: {report['statuses']}; solutions: {report['solved']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Verifying the real models: the lecture's published outputs next to what the real models give (make verify-online).

On a machine with network (an instructor's laptop, a Colab GPU runtime), ``make verify-online`` executes every
notebook online in fast mode with the real models; their cells hand values over with ``lectureutils.verify.record``.
``write_report`` then puts the lecture's published values (``PUBLISHED``, quoted from the lecture) next to the
recorded ones in ``build/real_results.md``, followed by every other recorded value (the fine-tuning metrics reached).
Offline the run refuses at once and says why.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from lectureutils import env

__all__ = ["PUBLISHED", "load_results", "compare", "write_report", "refusal", "run", "main"]

# The lecture's published outputs, by notebook: key -> (what, the lecture's value). Keys are what the notebooks
# record. Fill-mask lists are (token, score) pairs, most likely first.
PUBLISHED: dict[str, dict[str, tuple[str, object]]] = {
    "01": {
        "01.tokens": ("bert-large-uncased: tokens of 'I love Paris'", ["i", "love", "paris"]),
        "01.input_ids": ("bert-large-uncased: ids, padded to 7", [101, 1045, 2293, 3000, 102, 0, 0]),
        "01.last_hidden_state_shape": ("bert-large-uncased: last_hidden_state shape", [1, 7, 1024]),
        "01.pooler_output_shape": ("bert-large-uncased: pooler_output shape", [1, 1024]),
    },
    "02": {
        "02.input_ids": ("bert-large-uncased: input_ids of 'Soccer is a really fun [MASK].'",
                         [101, 4715, 2003, 1037, 2428, 4569, 103, 1012, 102]),
        "02.fill_mask.soccer": ("bert-large-uncased: Soccer is a really fun [MASK].",
                                [("sport", 0.762), ("game", 0.203), ("thing", 0.012), ("activity", 0.0019),
                                 ("field", 0.0013)]),
        "02.fill_mask.avengers": ("bert-large-uncased: The Avengers is a really fun [MASK].",
                                  [("show", 0.256), ("movie", 0.173), ("story", 0.111), ("series", 0.072),
                                   ("film", 0.070)]),
        "02.fill_mask.morning": ("bert-large-uncased: I went to [MASK] this morning.",
                                 [("work", 0.357), ("bed", 0.233), ("school", 0.128), ("sleep", 0.062),
                                  ("class", 0.047)]),
        "02.fill_mask.korean": ("klue/bert-base: ...아침 [MASK]에 출근을 했다.",
                                [("회사", 0.080), ("[UNK]", 0.061), ("공장", 0.017), ("사무실", 0.016), ("서울", 0.015)]),
    },
    "03": {
        "03.nsp.pizza": ("bert-base-uncased: P(IsNext), P(NotNext), pizza pair", [0.99999714, 2.8381855e-06]),
        "03.nsp.sky_label": ("bert-base-uncased: label, pizza + sky", 1),
        "03.nsp.bank_label": ("bank account / river bank: label", 1),
        "03.nsp.korean_labels": ("klue/bert-base: labels, World Cup pair and cinema pair", [0, 1]),
    },
}
PROBABILITY_TOLERANCE = 0.05  # absolute; a different library version or precision moves the lecture's numbers a little


def load_results(folder: Path) -> dict[str, object]:
    """Every recorded value in ``folder/NN.json``, by key (make verify-online; every notebook)."""
    values: dict[str, object] = {}
    for path in sorted(Path(folder).glob("[0-9][0-9].json")):
        values |= json.loads(path.read_text(encoding="utf-8"))
    return values


def _pairs(value) -> list | None:
    if isinstance(value, list) and value and all(isinstance(p, (list, tuple)) and len(p) == 2 for p in value):
        return [(str(token), float(score)) for token, score in value]
    return None


def compare(published, found) -> str:
    """How a recorded value compares with the lecture's (every notebook): "same", "close", "same words, other
    order", "same words, other scores", "differs" or "not recorded"."""
    if found is None:
        return "not recorded"
    lecture_pairs, found_pairs = _pairs(published), _pairs(found)
    if lecture_pairs is not None and found_pairs is not None:
        lecture_words, found_words = [t for t, _ in lecture_pairs], [t.strip() for t, _ in found_pairs]
        if lecture_words == found_words:
            close = all(abs(a - b[1]) <= PROBABILITY_TOLERANCE for (_, a), b in zip(lecture_pairs, found_pairs))
            return "same" if close else "same words, other scores"
        if set(lecture_words) == set(found_words):
            return "same words, other order"
        shared = len(set(lecture_words) & set(found_words))
        return f"differs ({shared} of {len(lecture_words)} words shared)"
    numbers = published if isinstance(published, list) else [published]
    values = found if isinstance(found, list) else [found]
    if all(isinstance(x, float) for x in numbers) and len(numbers) == len(values):
        try:
            close = all(math.isclose(a, float(b), abs_tol=PROBABILITY_TOLERANCE) for a, b in zip(numbers, values))
        except (TypeError, ValueError):
            return "differs"
        return "close" if close else "differs"
    return "same" if published == found else "differs"


def _show(value) -> str:
    pairs = _pairs(value)
    if pairs is not None:
        return ", ".join(f"{token.strip()} {score:.3g}" for token, score in pairs)
    if isinstance(value, float):
        return f"{value:.4g}"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 200 else text[:197] + "..."


def write_report(folder: Path, target: Path, failures: dict[str, str] | None = None) -> str:
    """Write the markdown report (build/real_results.md) from the recorded values; return its text (every notebook).
    """
    found = load_results(folder)
    lines = ["# The lecture's published outputs next to the real models", "",
             "Written by `make verify-online` (every notebook run online, fast mode, real models). "
             "\"close\": every probability within "
             f"{PROBABILITY_TOLERANCE} of the lecture's.", ""]
    for notebook, expected in PUBLISHED.items():
        lines += [f"## Notebook {notebook}", "", "| value | lecture | real model (this run) | |", "|---|---|---|---|"]
        for key, (what, value) in expected.items():
            got = found.get(key)
            shown = "—" if got is None else _show(got)
            lines.append(f"| {what} | {_show(value)} | {shown} | {compare(value, got)} |")
        lines.append("")
    published_keys = {key for expected in PUBLISHED.values() for key in expected}
    others = {key: value for key, value in found.items() if key not in published_keys}
    lines += ["## Other values the real models gave (fine-tuning metrics and more)", ""]
    lines += [f"- `{key}`: {_show(value)}" for key, value in sorted(others.items())] or ["(none recorded)"]
    if failures:
        lines += ["", "## Notebooks that failed", ""]
        lines += [f"- {name}: {error}" for name, error in sorted(failures.items())]
    text = "\n".join(lines) + "\n"
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text(text, encoding="utf-8")
    return text


def refusal() -> str | None:
    """Why a verification run cannot start here (offline, or nowhere to record), or None (every notebook).

    ``LECTUREUTILS_OFFLINE=0`` skips setup's probe, so the hub is probed here too (make verify-online)."""
    reason = env.offline_reason() or (None if env.hub_reachable() else f"no route to {env.HUB_HOST}")
    if reason:
        return (f"make verify-online needs the real models, but this machine is offline ({reason}). Run it where "
                "huggingface.co is reachable (an instructor's laptop, a Colab runtime); offline runs use stand-ins.")
    if env.results_dir() is None:
        return "no results folder: run it through `make verify-online` (it sets LECTUREUTILS_RESULTS)."
    return None


def run(notebooks, target: Path, timeout: int = 3600) -> int:
    """Execute each notebook (its cells record values), then write the report (every notebook).

    A failing notebook is listed in the report and makes the exit status 1 (make verify-online)."""
    import nbformat
    from nbclient import NotebookClient

    failures = {}
    for path in map(Path, notebooks):
        print(f"running {path.name} ...", flush=True)
        notebook = nbformat.read(path, as_version=4)
        try:
            NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent.resolve())}}).execute()
        except Exception as error:  # a failing cell: keep going, report it
            failures[path.stem] = str(error).strip().splitlines()[-1][:300] if str(error).strip() else repr(error)
    write_report(env.results_dir(), target, failures)
    print(f"wrote {target}")
    return 1 if failures else 0


def main(argv=None) -> int:
    """``python -m tools.verify {run NOTEBOOK...|report}`` (make verify-online; every notebook)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.verify")
    parser.add_argument("command", choices=["run", "report"])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--output", type=Path, default=Path("build/real_results.md"))
    args = parser.parse_args(argv)
    if args.command == "report":
        folder = env.results_dir()
        if folder is None:
            print("no results folder: set LECTUREUTILS_RESULTS to the folder make verify-online wrote", file=sys.stderr)
            return 2
        write_report(folder, args.output)
        print(f"wrote {args.output}")
        return 0
    reason = refusal()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    return run(args.notebooks, args.output)


if __name__ == "__main__":
    sys.exit(main())

"""Prepare an offline classroom: fetch every model and data set the notebooks use.

    python -m lectureutils.prefetch            # download everything (needs the network)
    python -m lectureutils.prefetch --dry-run  # only list what would be fetched
    python -m lectureutils.prefetch --standins # build the offline stand-ins (no network)

Models go to the Hugging Face cache (where ``lectureutils.models`` finds them offline),
data sets to the lectureutils cache. Described in README.md ("Preparing an offline classroom").
"""

from __future__ import annotations

import argparse
import sys

from .models import CATALOGUE, StandIn
from .standins import build

# Data sets: (label, name of the loader in lectureutils.data, its arguments).
DATASETS = [
    ("NSMC train (e9t/nsmc ratings_train.txt)", "load_nsmc", {"split": "train"}),
    ("NSMC test (e9t/nsmc ratings_test.txt)", "load_nsmc", {"split": "test"}),
    ("KorQuAD 1.0 train", "load_korquad", {"split": "train"}),
    ("KorQuAD 1.0 dev", "load_korquad", {"split": "dev"}),
]


def plan_lines() -> list[str]:
    lines = [f"model  {name}  (notebooks {', '.join(entry.notebooks)})" for name, entry in CATALOGUE.items()]
    lines += [f"data   {label}" for label, _, _ in DATASETS]
    return lines


def fetch_models() -> None:
    from huggingface_hub import snapshot_download

    for name in CATALOGUE:
        print(f"fetching model {name} ...", flush=True)
        snapshot_download(name)


def fetch_datasets() -> None:
    from . import data

    for label, loader, arguments in DATASETS:
        print(f"fetching data {label} ...", flush=True)
        getattr(data, loader)(offline=False, **arguments)


def build_standins() -> None:
    for name, entry in CATALOGUE.items():
        if isinstance(entry.offline, StandIn):
            print(f"stand-in for {name}: {build(name, entry.offline)}", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lectureutils.prefetch", description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="list what would be fetched and exit")
    parser.add_argument("--standins", action="store_true", help="build the offline stand-ins instead (no network)")
    args = parser.parse_args(argv)
    if args.dry_run:
        print("\n".join(plan_lines()))
        return 0
    if args.standins:
        build_standins()
        return 0
    from .env import offline_reason

    reason = offline_reason()
    if reason is not None:
        print(f"Cannot prefetch while offline ({reason}). Connect to the network and run again.", file=sys.stderr)
        return 2
    fetch_models()
    fetch_datasets()
    print("Done: the notebooks now run without a network (set LECTUREUTILS_OFFLINE=1 in class).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

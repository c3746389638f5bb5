"""How much the AskAPatient figures hang on the one split: ``evaluate.py`` on random re-splits of the same rows.

``../shared/eval/evaluate.py`` scores ``hgap suggest`` on fold 0's validation rows (845) with its train rows
(6,950) as the known mappings. The project is judged again on rows it never saw, so a figure that holds only
on this split would mislead. This script pools the train and validation rows, draws ``--splits`` new
validation sets of the same size at random (row by row, as the fold was drawn: a phrasing can be in both
parts, as 498 of the 845 validation rows are), runs the unchanged ``evaluate.py`` contract on each, and prints
each line and the mean, lowest and highest of every figure. It reads ``../shared`` (the product never does).

    python benchmarks/eval_resplit.py [--splits 5] [--seed 0] [--open-set 0.2] [--train-only] [--cmd "hgap"]

With ``--open-set F`` each split is also scored in open-set mode (``evaluate.py``'s own seed, 13). With
``--train-only`` the validation rows are left out and the splits are drawn from the train rows alone, so that a
setting can be chosen on them without the validation rows having a say.
"""
from __future__ import annotations

import argparse
import csv
import random
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
_FIGURE = re.compile(r"\b(acc@1|acc@5|mrr|gap_precision|gap_recall|gap_f1)=([0-9.]+)")


def resplit(rows: list[dict[str, str]], n_validation: int, seed: int) -> list[dict[str, str]]:
    """The same rows with ``n_validation`` of them, drawn at random, as the validation split.

    >>> rows = [{"phrase": str(i), "split": "train"} for i in range(10)]
    >>> sum(r["split"] == "validation" for r in resplit(rows, 3, seed=1))
    3
    """
    chosen = set(random.Random(seed).sample(range(len(rows)), n_validation))
    return [{**row, "split": "validation" if i in chosen else "train"} for i, row in enumerate(rows)]


def run(cmd: str, data: Path, open_set: float) -> str:
    """One ``evaluate.py`` line for the rows in ``data``."""
    args = [sys.executable, str(EVAL / "evaluate.py"), "--data", str(data), "--cmd", cmd]
    if open_set:
        args += ["--open-set", str(open_set)]
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"evaluate.py failed on {data}:\n{done.stdout[-1000:]}{done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--splits", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--open-set", type=float, default=0.0, metavar="F")
    ap.add_argument("--train-only", action="store_true", help="draw the splits from the train rows alone")
    ap.add_argument("--cmd", default="hgap", help="how to call the CLI (passed to evaluate.py)")
    args = ap.parse_args()
    source = EVAL / "askapatient_fold0_dev.tsv"
    if not source.exists():
        print(f"{source} is not there: this benchmark needs ../shared/eval beside the project", file=sys.stderr)
        return 2
    with source.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = list(reader.fieldnames or [])
        rows = [r for r in reader if r["split"] in ("train", "validation")]
    n_validation = sum(r["split"] == "validation" for r in rows)
    if args.train_only:
        rows = [r for r in rows if r["split"] == "train"]
    print(f"{len(rows)} rows, {n_validation} drawn as validation in each split")
    # Each mode: the --open-set fraction it runs with, and the figures summed up for it.
    modes = {"closed": (0.0, ("acc@1", "acc@5", "mrr"))}
    if args.open_set:
        modes["open"] = (args.open_set, ("gap_precision", "gap_recall", "gap_f1"))
    figures: dict[str, dict[str, list[float]]] = {mode: {} for mode in modes}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.splits):
            data = Path(tmp) / f"split{k}.tsv"
            with data.open("w", encoding="utf-8", newline="") as f:
                w = csv.DictWriter(f, header, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n")
                w.writeheader()
                w.writerows(resplit(rows, n_validation, args.seed + k))
            for mode, (open_set, wanted) in modes.items():
                line = run(args.cmd, data, open_set)
                print(f"split {args.seed + k} {mode}: {line}", flush=True)
                for name, value in _FIGURE.findall(line):
                    if name in wanted:
                        figures[mode].setdefault(name, []).append(float(value))
    for mode, by_name in figures.items():
        print(f"{mode}, {args.splits} splits: " + "  ".join(
            f"{name} mean {statistics.mean(v):.3f} (lowest {min(v):.3f}, highest {max(v):.3f})"
            for name, v in by_name.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

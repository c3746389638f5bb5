"""Speed of this checkout's suggester against another revision's, alternated in one run.

The shared machine's speed wanders by a third within an hour, so a change's cost or gain is measured side by
side: the revision is checked out into a temporary git worktree, and each round runs one fresh process per code
(the order swapped every round) over AskAPatient's validation phrasings against its tables (from
../shared/eval; fits cached), or with ``--graph builtin`` over the built graph's own expressions against
it (``hgap build``'s home, $HGAP_HOME or the default), with the static embeddings where installed: batch phrases/s with the default
threads and with one, then single-phrase latency over 300 phrasings. Prints each run, the medians, the batch
ratio, and the machine reference before and after.

    python benchmarks/compare_code.py --rev HEAD~2 [--rounds 4] [--repeat 3] [--embeddings static|none]
                                      [--graph askapatient|builtin]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, machine_line, machine_reference, suggest_speed  # noqa: E402

DATA = REPO.parent / "shared" / "eval"
# hgap's packages and the folders they are installed from (pyproject.toml's package-dir).
PACKAGE_DIRS = {"graph": "graph", "ontology": "ontology", "webui": "webui", "queries": "queries", "data": "data"}


def shim(tree: Path, into: Path) -> Path:
    """A folder from which ``import hgap`` gives ``tree``'s code (the editable install maps the folders the same
    way), for a child process that puts it first on its path."""
    pkg = into / "hgap"
    pkg.mkdir(parents=True)
    for item in (tree / "hgap").iterdir():
        (pkg / item.name).symlink_to(item)
    for name, folder in PACKAGE_DIRS.items():
        (pkg / name).symlink_to(tree / folder)
    return into


def child(root: str, repeat: int, kind: str, graph: str) -> None:
    """Measure the code under ``root`` ('.' for the installed one); print one JSON line."""
    if root != ".":
        # The editable install's finder comes before sys.path: take it out, so the shim's code is imported.
        sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
        sys.path.insert(0, root)
    import csv

    from hgap.graph import suggest
    from hgap.graph.embeddings import load_embedder
    from hgap.graph.lexicon import Lexicon

    def read_tsv(path: Path) -> list[dict[str, str]]:
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))

    embedder = load_embedder(kind) if kind != "none" else None
    if graph == "builtin":
        from hgap.graph.lexicon import load_built

        knowledge = load_built()
        if knowledge is None:
            sys.exit("no built graph: run `hgap build` first")
        phrases = sorted({e.text for e in knowledge.expressions.values()})
        s = suggest.Suggester.from_knowledge(knowledge, embedder=embedder)
    else:
        rows = read_tsv(DATA / "askapatient_fold0_dev.tsv")
        concepts = [(r["concept_id"], r["concept_label"]) for r in read_tsv(DATA / "askapatient_concepts.tsv")]
        known = [(r["phrase"], r["concept_id"]) for r in rows if r["split"] == "train"]
        phrases = sorted({r["phrase"] for r in rows if r["split"] == "validation"})
        s = suggest.Suggester.from_tables(concepts, known, Lexicon.builtin(), embedder=embedder)
    s.suggest_many(phrases[:50])
    rounds = [suggest_speed(s, phrases, singles=300) for _ in range(repeat)]
    two, one, p50, p99 = (statistics.median(values) for values in zip(*rounds))
    print(json.dumps({"code": suggest.__file__, "two": two, "one": one, "p50": p50, "p99": p99}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rev", default="HEAD~1", help="the revision to compare with (default HEAD~1)")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=3, help="batches per process (their median is the run's figure)")
    ap.add_argument("--embeddings", default="static", choices=("static", "none"))
    ap.add_argument("--graph", default="askapatient", choices=("askapatient", "builtin"))
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.repeat, args.embeddings, args.graph)
        return 0
    if args.graph == "askapatient" and not (DATA / "askapatient_fold0_dev.tsv").exists():
        print(f"no AskAPatient data under {DATA}", file=sys.stderr)
        return 2
    print(machine_line())
    print(machine_reference())
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(tree), args.rev], check=True)
        try:
            codes = {"this checkout": ".", args.rev: str(shim(tree, Path(tmp) / "shim"))}
            runs: dict[str, list[dict]] = {name: [] for name in codes}
            for r in range(args.rounds):
                for name in (list(codes) if r % 2 == 0 else list(codes)[::-1]):
                    out = subprocess.run([sys.executable, __file__, "--child", codes[name], "--repeat", str(args.repeat),
                                          "--embeddings", args.embeddings, "--graph", args.graph],
                                         capture_output=True, text=True, check=True)
                    result = json.loads(out.stdout.strip().splitlines()[-1])
                    runs[name].append(result)
                    print(f"round {r + 1}, {name} ({result['code']}): {result['two']:,.0f} phrases/s "
                          f"(one thread {result['one']:,.0f}), single phrase p50 {result['p50']:.1f} ms, "
                          f"p99 {result['p99']:.1f} ms", flush=True)
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False)
    medians = {name: tuple(statistics.median(x[k] for x in rs) for k in ("two", "one", "p50", "p99"))
               for name, rs in runs.items()}
    (new_two, new_one, *_), (old_two, old_one, *_) = medians.values()
    for name, (two, one, p50, p99) in medians.items():
        print(f"{name}: median {two:,.0f} phrases/s (one thread {one:,.0f}), single phrase p50 {p50:.1f} ms, "
              f"p99 {p99:.1f} ms, over {args.rounds} rounds")
    print(f"ratio this checkout / {args.rev}: {new_two / old_two:.3f} (one thread {new_one / old_one:.3f})")
    print(machine_reference())
    return 0


if __name__ == "__main__":
    sys.exit(main())

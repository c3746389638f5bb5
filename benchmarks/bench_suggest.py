"""Speed of phrase suggestion: build time, batch phrases/s, single-phrase p50/p99 latency.

On the AskAPatient tables (from ../shared/eval, if present: the product does not need them) and in
built-in mode on the built graph (``Suggester.from_knowledge`` over ``hgap build``'s Knowledge: every HPO
concept, the curated expressions, the EHR categories), with the graph's expressions as the phrases.

    HGAP_HOME=/tmp/hg-real python benchmarks/bench_suggest.py [--repeat 5] [--home DIR] [--embeddings KIND,...]

``--embeddings static,sentence`` measures the same again with each kind of the optional embeddings
(graph/embeddings.py), after the default, in the same run.
"""
from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine_line, machine_reference, suggest_speed  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "eval"


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def measure(name: str, build, phrases: list[str], repeat: int) -> None:  # type: ignore[no-untyped-def]
    """Build, then batch throughput with one thread and with the default (a thread per core), alternated in
    each run so both see the same machine, then single-phrase latency."""
    builds, rates1, rates, p50s, p99s = [], [], [], [], []
    s = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        s = build()
        builds.append(time.perf_counter() - t0)
        s.suggest_many(phrases[:50])  # first-call set-up (folded document texts) is not throughput
        for figures, value in zip((rates, rates1, p50s, p99s), suggest_speed(s, phrases)):
            figures.append(value)
    med = statistics.median
    print(f"{name}: concepts={len(s.ids)} documents={len(s.doc_text)} build_s={med(builds):.2f} "
          f"batch_phrases/s={med(rates):.0f} (one thread {med(rates1):.0f}, ratio {med(rates) / med(rates1):.2f}) "
          f"single_p50_ms={med(p50s):.2f} single_p99_ms={med(p99s):.2f} "
          f"(median of {repeat} runs, {len(phrases)} phrases, {os.cpu_count()} cores)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--home", type=Path, default=None, help="the hgap home of the build (default $HGAP_HOME)")
    ap.add_argument("--embeddings", default="", help="also measure with these kinds of embeddings: static,sentence")
    args = ap.parse_args()
    from hgap.graph.embeddings import load_embedder

    embedders = {kind: load_embedder(kind) for kind in filter(None, args.embeddings.split(","))}
    print(machine_line())
    print(machine_reference())
    t0 = time.perf_counter()
    from hgap.graph.lexicon import Lexicon, builtin_knowledge, load_built
    from hgap.graph.suggest import Suggester

    print(f"import: {time.perf_counter() - t0:.3f} s")
    t0 = time.perf_counter()
    lexicon = Lexicon.builtin()
    print(f"built-in lexicon (cached): {time.perf_counter() - t0:.2f} s")
    if (DATA / "askapatient_fold0_dev.tsv").exists():
        rows = read_tsv(DATA / "askapatient_fold0_dev.tsv")
        concepts = [(r["concept_id"], r["concept_label"]) for r in read_tsv(DATA / "askapatient_concepts.tsv")]
        known = [(r["phrase"], r["concept_id"]) for r in rows if r["split"] == "train"]
        phrases = sorted({r["phrase"] for r in rows if r["split"] == "validation"})
        t0 = time.perf_counter()
        Suggester.from_tables(concepts, known, lexicon, cache=False)
        print(f"askapatient: first build with fitting (no cache): {time.perf_counter() - t0:.2f} s")
        measure("askapatient (fit cached)", lambda: Suggester.from_tables(concepts, known, lexicon), phrases, args.repeat)
        for kind, e in embedders.items():
            Suggester.from_tables(concepts, known, lexicon, embedder=e)  # the fit, once
            measure(f"askapatient, {kind} embeddings (fit cached)",
                    lambda: Suggester.from_tables(concepts, known, lexicon, embedder=e), phrases, args.repeat)
    else:
        phrases = ["pins and needles", "headache", "tummy ache", "swollen ankles", "can't sleep"] * 60
        print(f"(no AskAPatient data under {DATA}: skipped)")
    t0 = time.perf_counter()
    knowledge = load_built(args.home)
    if knowledge is None:
        print("no built graph (run `hgap build`, or pass --home): built-in mode uses the bundled HPO alone")
        knowledge = builtin_knowledge(built=False)
    print(f"built-in knowledge: {time.perf_counter() - t0:.2f} s ({len(knowledge.concepts)} concepts, "
          f"{len(knowledge.expressions)} expressions)")
    t0 = time.perf_counter()
    s = Suggester.from_knowledge(knowledge, cache=False)
    print(f"built-in: first build with fitting (no cache): {time.perf_counter() - t0:.2f} s  fit: "
          + " ".join(f"{k}={v:.3f}" for k, v in s.fit_report.items()))
    own = sorted({e.text for e in knowledge.expressions.values()}) or phrases
    measure("built-in graph (fit cached)", lambda: Suggester.from_knowledge(knowledge), own, args.repeat)
    for kind, e in embedders.items():
        Suggester.from_knowledge(knowledge, embedder=e)
        measure(f"built-in graph, {kind} embeddings (fit cached)",
                lambda: Suggester.from_knowledge(knowledge, embedder=e), own, args.repeat)
    if load_built(args.home) is not None:
        cold_start(args.home, args.repeat)
    print(machine_reference())  # again: the machine may have changed speed during the run
    return 0


def cold_start(home: Path | None, repeat: int) -> None:
    """What a one-phrase command-line lookup pays before it can answer, side by side in each run: loading
    the graph and making its suggester (fit cached) against loading the cached suggester."""
    from hgap.graph.lexicon import load_built
    from hgap.graph.suggest import Suggester, built_suggester

    built_suggester(home)  # makes the cache once
    made, cached = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        Suggester.from_knowledge(load_built(home)).suggest("pins and needles")
        made.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        built_suggester(home).suggest("pins and needles")  # type: ignore[union-attr]
        cached.append(time.perf_counter() - t0)
    m, c = statistics.median(made), statistics.median(cached)
    print(f"cold start of a lookup on the built graph: load graph + make suggester {m:.2f} s, "
          f"cached suggester {c:.2f} s (x{m / c:.1f}; medians of {repeat})")


if __name__ == "__main__":
    sys.exit(main())

"""Time the gap analysis on the full built graph: projection, each gap kind, ranking, clustering, impact.

    python benchmarks/bench_gaps.py [--home DIR] [--repeat 5]

Uses the current build of ``--home`` (default: $HGAP_HOME or ~/.local/share/hgap). With no build there,
builds one into ``$TMPDIR/hgap-bench-home`` from the real HPO and ICD-10-CM, with the curated files of
``data/`` when they are there, else those of ``tests/data/fixture``. Prints the median of ``--repeat`` runs.
Target: projection + every gap kind + ranking + clustering under 5 s.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]


def home_with_build(home: Path | None) -> Path:
    from hgap.ontology.build import build, hgap_home
    from hgap.ontology.sources import Sources

    home = home or hgap_home()
    if (home / "current" / "knowledge.pickle").exists():
        return home
    home = Path(tempfile.gettempdir()) / "hgap-bench-home"
    data = ROOT / "data"
    if not (data / "expressions.tsv").exists():
        data = ROOT / "tests" / "data" / "fixture"
    print(f"building the graph into {home} (curated files: {data}) ...", file=sys.stderr)
    build(Sources(data_dir=data), home=home)
    return home


def timed(label: str, fn: Callable[[], Any], repeat: int, results: dict[str, float]) -> Any:
    """Run ``fn`` ``repeat`` times; print and keep the median wall time (and the median CPU time, which a
    busy machine disturbs less)."""
    walls, cpus, value = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    results[label] = statistics.median(walls)
    results[label + " (cpu)"] = statistics.median(cpus)
    size = f"{len(value):>6}" if hasattr(value, "__len__") else " " * 6
    print(f"{label:<52} {size}  {results[label] * 1000:8.1f} ms  cpu {results[label + ' (cpu)'] * 1000:8.1f} ms"
          f"  (median of {repeat})")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from hgap.graph import clusters, gaps, impact
    from hgap.graph.projection import project
    from hgap.ontology.build import load_knowledge
    from hgap.ontology.model import Concept, Mapping

    home = home_with_build(args.home)
    r: dict[str, float] = {}
    knowledge = timed("load knowledge (pickle)", lambda: load_knowledge(home), 1, r)
    print(f"graph: {knowledge.counts()}")
    G = timed("project", lambda: project(knowledge), args.repeat, r)
    print(f"projection: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
    for kinds in (None, "icd10cm"):
        suffix = f" [{kinds or 'any'}]"
        timed("unmapped_expressions" + suffix, lambda: list(gaps.unmapped_expressions(G, kinds)), args.repeat, r)
        timed("uncodable_concepts" + suffix, lambda: list(gaps.uncodable_concepts(G, kinds)), args.repeat, r)
        timed("weak_bridges" + suffix, lambda: list(gaps.weak_bridges(G, kinds)), args.repeat, r)
        timed("stranded_categories" + suffix, lambda: list(gaps.stranded_categories(G, kinds)), args.repeat, r)
    timed("uncodable_concepts [icd10cm, all below HP:0000118]",
          lambda: list(gaps.uncodable_concepts(G, "icd10cm", scope="all", root="HP:0000118")), args.repeat, r)
    found = timed("all_gaps [any]", lambda: list(gaps.all_gaps(G)), args.repeat, r)
    timed("rank_gaps", lambda: gaps.rank_gaps(found), args.repeat, r)
    def cold_clusters() -> list:  # type: ignore[type-arg]
        clusters._INDEXES.clear()  # the lexical index of concept names is built once per graph
        return list(clusters.gap_clusters(G))

    timed("clusters (cold: builds the lexical index)", cold_clusters, args.repeat, r)
    timed("clusters (warm)", lambda: list(clusters.gap_clusters(G)), args.repeat, r)
    unmapped = [g.subject_id for g in gaps.unmapped_expressions(G)][:3]
    proposal = [Mapping(e, "skos:exactMatch", "hgap:Proposed", "semapv:ManualMappingCuration", 0.9) for e in unmapped]
    some_code = next(n for n, d in G.nodes(data=True) if d.get("category_kind") == "icd10cm_code")
    proposal.append(Mapping("hgap:Proposed", "skos:broadMatch", some_code, "semapv:ManualMappingCuration", 0.9))
    timed("bridge_impact (1 concept, 4 mappings)",
          lambda: impact.bridge_impact(G, proposal, [Concept("hgap:Proposed", "Proposed")]), args.repeat, r)
    parts = ("project", "all_gaps [any]", "rank_gaps", "clusters (cold: builds the lexical index)")
    total, cpu = sum(r[p] for p in parts), sum(r[p + " (cpu)"] for p in parts)
    print(f"\nfull gap analysis + clustering (project + all_gaps + rank + cold clusters): {total:.2f} s wall, "
          f"{cpu:.2f} s cpu (target < 5 s: {'ok' if total < 5 else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

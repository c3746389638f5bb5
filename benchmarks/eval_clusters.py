"""How well ``hgap clusters`` groups the built graph's gap expressions that say the same thing.

``tests/data/gap_cluster_gold.tsv`` says which of the curated gap expressions are one experience, taken from
the curators' comments in ``data/expressions.tsv`` ("same experience as brain zaps", "American name for brain
freeze"); every other gap expression is a group of its own. Prints, per threshold, the pairwise precision,
recall and F1 (over pairs of expressions put in one cluster) and how many of the gold groups of two or more
come out as exactly one cluster.

``tests/data/gap_cluster_eval.tsv`` holds 31 more phrasings in 15 groups (11 of two or more), written after the changes that the
curated set guided and before the clustering was run on them: the same figures on them show whether those
changes carry to wordings they were not chosen on (they are clustered on their own, as a graph's gaps).

    python benchmarks/eval_clusters.py [--home DIR] [--thresholds 0.25,0.35] [--show] [--lexical]

As ``hgap clusters`` does, phrasings that one EHR category names word for word are joined (the suggester's
answers say which); ``--lexical`` leaves that out, as ``hgap clusters --lexical`` does.
"""
from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from hgap.graph import clusters, gaps
from hgap.graph.projection import project
from hgap.ontology.build import load_knowledge
from hgap.ontology.tsv import read_rows

if TYPE_CHECKING:
    from hgap.graph.suggest import Suggester

GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "gap_cluster_gold.tsv"
HELD_OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "gap_cluster_eval.tsv"


def pairs(groups: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for g in groups for p in itertools.combinations(g, 2)}


def score(found: list[list[str]], gold: list[list[str]]) -> dict[str, float]:
    """Pairwise precision, recall and F1, and the share of gold groups (two or more) found whole."""
    got, want = pairs(found), pairs(gold)
    hit = len(got & want)
    precision = hit / len(got) if got else 1.0
    recall = hit / len(want) if want else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    as_sets = {frozenset(g) for g in found}
    whole = sum(frozenset(g) in as_sets for g in gold if len(g) > 1)
    return {"pair_precision": precision, "pair_recall": recall, "pair_f1": f1,
            "groups_whole": whole, "groups": sum(len(g) > 1 for g in gold)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None, help="the hgap home holding the build")
    parser.add_argument("--thresholds", default=f"0.25,0.30,{clusters.DEFAULT_THRESHOLD},0.40",
                        help="similarity thresholds to score (comma-separated)")
    parser.add_argument("--show", action="store_true", help="list the clusters of two or more at the default threshold")
    parser.add_argument("--lexical", action="store_true", help="without the suggester (no joins by EHR category)")
    args = parser.parse_args()
    G = project(load_knowledge(args.home))
    suggester = None
    if not args.lexical:
        from hgap.graph.embeddings import load_embedder
        from hgap.graph.suggest import built_suggester

        suggester = built_suggester(args.home, embedder=load_embedder("static"))
    expressions = [g.subject_id for g in gaps.unmapped_expressions(G)]
    by_group: dict[str, list[str]] = {}
    for _, row in read_rows(GOLD, ["expression_id", "group"]):
        by_group.setdefault(row["group"], []).append(row["expression_id"])
    listed = {e for g in by_group.values() for e in g}
    gold = list(by_group.values()) + [[e] for e in expressions if e not in listed]
    print(f"{len(expressions)} gap expressions, {sum(len(g) > 1 for g in gold)} gold groups of two or more "
          f"({len(pairs(gold))} pairs)")
    thresholds = [float(t) for t in args.thresholds.split(",")]
    report(G, expressions, gold, thresholds, args.show, suggester)
    # The held-out phrasings, as the gap expressions of a graph of their own.
    H = nx.DiGraph(hgap=1)
    held: dict[str, list[str]] = {}
    for line, row in read_rows(HELD_OUT, ["text", "group"]):
        H.add_node(f"E:{line}", kind="expression", label=row["text"], text=row["text"], report_count=1)
        held.setdefault(row["group"], []).append(f"E:{line}")
    print(f"\nheld out: {H.number_of_nodes()} phrasings, {sum(len(g) > 1 for g in held.values())} groups of two or more "
          f"({len(pairs(list(held.values())))} pairs)")
    report(H, list(H), list(held.values()), thresholds, args.show, suggester)
    return 0


def report(G: nx.DiGraph, expressions: list[str], gold: list[list[str]], thresholds: list[float], show: bool,
           suggester: "Suggester | None") -> None:
    for threshold in thresholds:
        found = [list(c.expression_ids) for c in clusters.gap_clusters(G, expressions, threshold=threshold,
                                                                       top_concepts=0, suggester=suggester)]
        s = score(found, gold)
        mark = "  (default)" if threshold == clusters.DEFAULT_THRESHOLD else ""
        print(f"threshold {threshold:.2f}: pair precision {s['pair_precision']:.3f} recall {s['pair_recall']:.3f} "
              f"F1 {s['pair_f1']:.3f}; gold groups found whole {s['groups_whole']}/{s['groups']}{mark}")
    if show:
        for c in clusters.gap_clusters(G, expressions, top_concepts=0, min_size=2, suggester=suggester):
            print("  ", list(c.texts))


if __name__ == "__main__":
    sys.exit(main())

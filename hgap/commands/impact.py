"""``hgap impact``: what a proposed concept or mapping would bridge, computed on a copy of the graph."""
from __future__ import annotations

import argparse
from pathlib import Path

from hgap.commands import add_home_option
from hgap.commands.gaps import add_flags_option, load_graph
from hgap.output import emit


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "impact",
        help="how many gap expressions (and reports) a proposed concept or mapping would bridge",
        description="Add proposed concepts and mappings to a copy of the built graph and compare its gaps "
        "before and after; see hgap.graph.impact. Example: hgap impact --concept HGAPC:1 'Brain zaps' "
        "--mapping HGAPEX:0806 skos:exactMatch HGAPC:1 --mapping HGAPEX:0807 skos:exactMatch HGAPC:1 "
        "--mapping HGAPC:1 skos:broadMatch ICD10CM:R20.2 (brain zaps and brain buzzing, two of the built graph's "
        "unmapped phrasings)",
    )
    p.add_argument("--mapping", nargs=3, action="append", default=[], metavar=("SUBJECT", "PREDICATE", "OBJECT"),
                   help="a proposed mapping, expression → concept or concept → category (repeatable)")
    p.add_argument("--mappings", type=Path, help="proposed mappings from an SSSOM TSV file")
    p.add_argument("--concept", nargs=2, action="append", default=[], metavar=("ID", "LABEL"),
                   help="a proposed new concept (repeatable)")
    p.add_argument("--parent", nargs=2, action="append", default=[], metavar=("ID", "PARENT"),
                   help="place a proposed concept under an existing one (repeatable)")
    p.add_argument("--confidence", type=float, default=0.9, help="confidence of the --mapping mappings (default 0.9)")
    add_home_option(p)
    add_flags_option(p)
    p.add_argument("--format", choices=("table", "tsv", "json"), default="table", help="output format (default: table)")
    p.add_argument("--category-kinds", choices=("any", "icd10cm", "section"), default="any",
                   help="what counts as an EHR category (default: any)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from hgap.graph import impact
    from hgap.ontology.model import Concept, Mapping

    mappings = [Mapping(s, p, o, "semapv:ManualMappingCuration", args.confidence, author_id="HGAPU:hgap-impact")
                for s, p, o in args.mapping]
    if args.mappings:
        from hgap.ontology.curated import read_mappings

        mappings += read_mappings(args.mappings)
    if not mappings:
        raise ValueError("no proposed mapping (give --mapping SUBJECT PREDICATE OBJECT or --mappings FILE)")
    parents: dict[str, list[str]] = {}
    for cid, parent in args.parent:
        parents.setdefault(cid, []).append(parent)
    unknown = set(parents) - {cid for cid, _ in args.concept}
    if unknown:
        raise ValueError(f"--parent: {', '.join(sorted(unknown))} is not a proposed --concept")
    concepts = [Concept(cid, label, parents=tuple(parents.get(cid, ()))) for cid, label in args.concept]
    G = load_graph(args)
    result = impact.bridge_impact(G, mappings, concepts, category_kinds=args.category_kinds)
    if args.format == "json":
        emit([impact.as_dict(result)], (), "json")
        return 0
    labels = {e: G.nodes[e].get("label", e) for e in result.expressions_bridged}
    rows = [
        {"what": "expressions bridged", "value": len(result.expressions_bridged),
         "detail": [f"{e} '{labels[e]}'" for e in result.expressions_bridged]},
        {"what": "reports bridged", "value": result.reports_bridged, "detail": ""},
        {"what": "categories newly reached", "value": len(result.categories_newly_reached),
         "detail": list(result.categories_newly_reached)},
        {"what": "concepts newly codable", "value": len(result.concepts_newly_codable),
         "detail": list(result.concepts_newly_codable)},
        {"what": "weak bridges strengthened", "value": len(result.weak_bridges_strengthened),
         "detail": list(result.weak_bridges_strengthened)},
    ]
    for kind, before in result.gaps_before.items():
        after = result.gaps_after[kind]
        rows.append({"what": f"gaps: {kind}", "value": after, "detail": f"{before} before ({after - before:+d})"})
    emit(rows, (("what", "what", 26), ("value", "number", 6), ("detail", "detail", 100)), args.format)
    return 0

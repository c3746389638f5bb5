"""hgap export: the whole graph as Turtle, N-Triples, JSON-LD or OWL (RDF/XML), or its mappings as SSSOM TSV."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hgap.commands import add_home_option
from hgap.ontology.build import load
from hgap.ontology.store import FORMATS


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the whole graph (ttl, nt, jsonld, owl) or its mappings (sssom)")
    p.add_argument("--format", choices=sorted(FORMATS) + ["sssom"], default="ttl")
    p.add_argument("--mappings", choices=("all", "curated", "derived", "expressions"), default="all",
                   help="with --format sssom: which mappings (default all)")
    p.add_argument("--output", type=Path, help="a file to write (default: standard output)")
    add_home_option(p)
    p.set_defaults(run=run)


SELECTIONS = {
    "all": lambda m, k: True,
    "curated": lambda m, k: m.source in ("HGAPS:expression-mappings", "HGAPS:crosswalk"),
    "derived": lambda m, k: m.source == "HGAPS:derived",
    "expressions": lambda m, k: m.subject_id in k.expressions,
}


def run(args: argparse.Namespace) -> int:
    graph = load(args.home)
    if args.format == "sssom":
        import io

        from hgap.ontology.sssom import write_sssom

        keep = SELECTIONS[args.mappings]
        buffer = io.StringIO()
        write_sssom((m for m in graph.knowledge.mappings if keep(m, graph.knowledge)), buffer,
                    mapping_set_id=f"https://w3id.org/hgap/mappings/{args.mappings}")
        data = buffer.getvalue().encode("utf-8")
    else:
        data = graph.store.dump(args.format)
    if args.output:
        from hgap.ontology.tsv import atomic_write_text

        atomic_write_text(args.output, lambda out: out.write(data.decode("utf-8")))
        print(f"wrote {len(data):,} bytes to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0

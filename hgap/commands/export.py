"""hgap export: the whole graph as Turtle, N-Triples, JSON-LD or OWL (RDF/XML)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hgap.ontology.build import load
from hgap.ontology.store import FORMATS


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the whole graph (ttl, nt, jsonld, owl)")
    p.add_argument("--format", choices=sorted(FORMATS), default="ttl")
    p.add_argument("--output", type=Path, help="a file to write (default: standard output)")
    p.add_argument("--home", type=Path)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    data = load(args.home).store.dump(args.format)
    if args.output:
        from hgap.ontology.tsv import atomic_write_text

        atomic_write_text(args.output, lambda out: out.write(data.decode("utf-8")))
        print(f"wrote {len(data):,} bytes to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0

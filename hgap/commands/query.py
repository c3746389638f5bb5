"""hgap query: run a named SPARQL query from queries/ with bound parameters."""
from __future__ import annotations

import argparse

from hgap.commands import add_home_option
from hgap.ontology.build import load
from hgap.ontology.queries import load_queries, run_named
from hgap.ontology.store import QueryError
from hgap.output import FORMATS, write_rows


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("query", help="run a named SPARQL query (see --list)")
    p.add_argument("name", nargs="?", help="the query's name (its file name in queries/ without .rq)")
    p.add_argument("--param", action="append", default=[], metavar="K=V", help="a parameter value, bound as an RDF term")
    p.add_argument("--format", choices=sorted(FORMATS), default="table")
    p.add_argument("--list", action="store_true", help="list the named queries with their descriptions")
    p.add_argument("--show", action="store_true", help="print the query's SPARQL text instead of running it")
    add_home_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    queries = load_queries()
    if args.list or not args.name:
        for q in queries.values():
            params = " ".join(f"{p.name}={p.default or '…'}" for p in q.params)
            print(f"{q.name}: {q.title}\n    finds: {q.description}\n    fix:   {q.fix}" + (f"\n    params: {params}" if params else ""))
        return 0
    values: dict[str, str] = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep:
            raise QueryError(f"--param {item!r}: expected NAME=VALUE")
        values[key.strip()] = value
    if args.name in queries and args.show:
        print(queries[args.name].text)
        return 0
    graph = load(args.home)
    result = run_named(graph.store, args.name, values, queries)
    write_rows(result.columns, result.rows, args.format)
    return 0

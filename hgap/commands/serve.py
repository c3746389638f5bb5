"""``hgap serve``: the web app (search, gaps, JSON API, SPARQL endpoint) behind waitress."""
from __future__ import annotations

import argparse
from pathlib import Path

from hgap.commands import add_embeddings_option, add_home_option, command_embedder


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "serve",
        help="serve the search pages, gaps pages, JSON API and SPARQL endpoint",
        description="Serve the current build over HTTP with waitress (a production WSGI server).",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    add_home_option(p)
    p.add_argument("--threads", type=int, default=8, help="request threads (default 8)")
    p.add_argument("--sparql-timeout", type=float, default=10.0, help="seconds a SPARQL query may run (default 10)")
    p.add_argument("--sparql-max-rows", type=int, default=10000, help="rows a SPARQL answer may have (default 10000)")
    p.add_argument("--sparql-workers", type=int, default=2, help="SPARQL worker processes (default 2)")
    p.add_argument("--flags", type=Path, help="file of flagged phrases (default <home>/flags.jsonl)")
    add_embeddings_option(p, "suggest")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from waitress.server import create_server

    from hgap.ontology.build import hgap_home
    from hgap.webui.app import create_app

    if not 0 <= args.port <= 65535:
        raise ValueError(f"--port: {args.port} is not a port number")
    # Made here, before the app, so that a default the machine cannot have (the extra half installed) is
    # reported and left out, not a failed start; the app then loads the same model from its cache.
    kind, _ = command_embedder(args.embeddings)
    config = {
        "HGAP_HOME": str(args.home or hgap_home()),
        "SPARQL_TIMEOUT_S": args.sparql_timeout,
        "SPARQL_MAX_ROWS": args.sparql_max_rows,
        "SPARQL_WORKERS": args.sparql_workers,
        "SPARQL_START_WORKERS": True,
        "WARM_CACHES": True,
        "EMBEDDINGS": kind,
    }
    if args.flags:
        config["FLAGS_PATH"] = str(args.flags)
    app = create_app(config)
    server = create_server(app, host=args.host, port=args.port, threads=args.threads, ident="hgap")
    host, port = server.effective_host, server.effective_port  # type: ignore[attr-defined]
    shown = f"[{host}]" if ":" in str(host) else host
    print(f"hgap: serving {config['HGAP_HOME']} with waitress; open http://{shown}:{port}/ "
          f"(SPARQL at http://{shown}:{port}/sparql; Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        server.run()
    finally:
        app.extensions["hgap_pool"].close()
    return 0

"""``hgap flag``: mark a patient phrasing as reaching no concept, as the web app's flag button does."""
from __future__ import annotations

import argparse
from pathlib import Path

from hgap.commands import add_home_option
from hgap.output import emit


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "flag",
        help="flag a patient phrasing that reaches no concept (counted as a report by hgap gaps and clusters)",
        description="Append a flag to <home>/flags.jsonl, the file the web app keeps its flags in. hgap gaps, "
        "hgap clusters and hgap impact count each flag as a report of the phrasing (an unmapped expression "
        "of its own when the graph has no such phrasing). Without a phrase: list the flagged phrasings.",
    )
    p.add_argument("phrase", nargs="?", help="the phrasing, as the patient said it")
    p.add_argument("--note", default="", help="why, or where it was heard (optional)")
    add_home_option(p)
    p.add_argument("--flags", type=Path, help="the flag file (default <home>/flags.jsonl)")
    p.add_argument("--format", choices=("table", "tsv", "json"), default="table", help="output format of the list")
    p.set_defaults(run=run)


COLUMNS = (("count", "flags", 5), ("phrase", "phrase", 40), ("last_flagged", "last flagged", 20), ("notes", "notes", 60))


def run(args: argparse.Namespace) -> int:
    from hgap.ontology.flags import FlagStore, flags_path

    store = FlagStore(args.flags or flags_path(args.home))
    if args.phrase is None:
        rows = store.summary()
        if args.format != "json":
            rows = [{**r, "notes": "; ".join(r["notes"])} for r in rows]
        emit(rows, COLUMNS, args.format, empty=f"no flags in {store.path}")
        return 0
    record = store.add(args.phrase, note=args.note, source="cli")
    count = store.counts()[record["key"]]
    print(f"flagged {record['phrase']!r} ({count} flag{'s' * (count != 1)} in {store.path})")
    return 0

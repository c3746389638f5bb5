"""``hgap gaps``: where patient language falls through, ranked by impact.

Also home of the options and loading that ``hgap clusters`` and ``hgap impact`` share."""
from __future__ import annotations

import argparse
from pathlib import Path

from hgap.commands import add_home_option
from hgap.output import FORMATS, emit

KINDS = ("unmapped_expression", "uncodable_concept", "weak_bridge", "stranded_category")


# ----------------------------------------------------------------------------------------------------
# Shared by the gap commands


def add_flags_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--flags", type=Path,
                   help="flagged phrases to count as reports (default <home>/flags.jsonl, where `hgap flag` and the "
                        "web app keep them)")
    p.add_argument("--no-flags", action="store_true", help="count no flags: the build's own report counts only")


def add_common(p: argparse.ArgumentParser, top: int = 20) -> None:
    add_home_option(p)
    add_flags_option(p)
    p.add_argument("--top", type=int, default=top, help=f"show the first N (default {top}; 0 for all)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--category-kinds", choices=("any", "icd10cm", "section"), default="any",
                   help="what counts as an EHR category: any (default), ICD-10-CM codes only, template sections only")


def load_graph(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The projection of the current build (a NoBuildError, which says to run `hgap build`, if none), with
    the flagged phrases counted as reports, as the web app counts them."""
    from hgap.graph.projection import project
    from hgap.ontology.build import load_knowledge
    from hgap.ontology.flags import FlagStore, flags_path, knowledge_with_flags

    knowledge = load_knowledge(args.home)
    if not args.no_flags:
        path = args.flags or flags_path(args.home)
        if args.flags and not path.exists():
            raise FileNotFoundError(f"--flags: {path}: no such file")
        knowledge = knowledge_with_flags(knowledge, FlagStore(path))
    return project(knowledge)


def check_top(top: int) -> int | None:
    if top < 0:
        raise ValueError("--top: must not be negative")
    return top or None


# ----------------------------------------------------------------------------------------------------
# hgap gaps


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "gaps",
        help="list hermeneutical gaps (unmapped expressions, uncodable concepts, weak bridges, stranded categories)",
        description="List the gaps of the built graph, ranked by impact = W·(1+C) (W: reports the gap "
        "strands, C: log-scaled degree centrality); see hgap.graph.gaps.",
    )
    p.add_argument("--kind", action="append", choices=KINDS, help="only this kind of gap (repeatable; default: all)")
    add_common(p)
    p.add_argument("--threshold", type=float, default=0.7, help="weak bridge: least confidence of a strong path (default 0.7)")
    p.add_argument("--combine", choices=("min", "product"), default="min",
                   help="weak bridge: how the two links' confidences combine (default min)")
    p.add_argument("--concept-scope", choices=("expressed", "all"), default="expressed",
                   help="uncodable concepts: those some expression maps to (default) or all")
    p.add_argument("--root", help="uncodable concepts: only those below this concept (e.g. HP:0000118)")
    p.add_argument("--category-scope", choices=("near", "mapped", "all"), default="near",
                   help="stranded categories: mapped by a concept or next to a reached one (near, default), "
                   "mapped by a concept, or all")
    p.set_defaults(run=run)


COLUMNS = (
    ("rank", "rank", 4), ("kind", "kind", 19), ("impact", "impact", 8), ("reports", "reports", 7),
    ("subject_id", "subject_id", 15), ("subject_label", "label", 34), ("reason", "reason", 90),
)


def run(args: argparse.Namespace) -> int:
    from hgap.graph import gaps

    top = check_top(args.top)
    G = load_graph(args)
    found = gaps.rank_gaps(
        gaps.all_gaps(G, kinds=args.kind, category_kinds=args.category_kinds, threshold=args.threshold,
                      combine=args.combine, concept_scope=args.concept_scope, root=args.root,
                      category_scope=args.category_scope),
        top=top,
    )
    rows = []
    for rank, gap in enumerate(found, 1):
        row = {"rank": rank, **gaps.as_dict(gap)}
        if args.format != "json":
            row["reason"] = "; ".join(gap.reasons)
            row["impact"] = round(gap.impact, 2)
        rows.append(row)
    columns = COLUMNS if args.format == "table" else COLUMNS[:-1] + (
        ("centrality", "", 0), ("expression_ids", "", 0), ("object_ids", "", 0), ("reason", "", 0))
    empty = "no gaps found"
    if args.kind == ["uncodable_concept"] and args.category_kinds in (None, "any"):
        # In the built graph every expressed concept reaches a template section: the likely question is ICD-10-CM.
        empty += (" (with --category-kinds any, a template section counts as a category; "
                  "--category-kinds icd10cm lists the concepts with no ICD-10-CM code)")
    emit(rows, columns, args.format, empty=empty)
    return 0

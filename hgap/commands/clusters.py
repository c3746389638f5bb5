"""``hgap clusters``: groups of unmapped expressions that say the same thing (candidate missing concepts)."""
from __future__ import annotations

import argparse

from hgap.commands import add_embeddings_option, command_embedder
from hgap.commands.gaps import add_common, check_top, load_graph
from hgap.output import emit

COLUMNS = (
    ("rank", "rank", 4), ("representative_text", "representative", 30), ("size", "size", 4),
    ("reports", "reports", 7), ("cohesion", "cohesion", 8), ("texts", "expressions", 60),
    ("nearest", "nearest concepts", 70), ("codes", "EHR codes naming it", 40),
)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "clusters",
        help="cluster unmapped expressions into candidate missing concepts",
        description="Group the unmapped expressions of the built graph that say the same thing (shared body "
        "region, kind of sensation, words and character 3-grams; Louvain communities), most reported first; see hgap.graph.clusters.",
    )
    add_common(p)
    p.add_argument("--threshold", type=float, default=0.35, help="least similarity that joins two expressions (default 0.35)")
    p.add_argument("--method", choices=("louvain", "components"), default="louvain", help="community detection (default louvain)")
    p.add_argument("--seed", type=int, default=0, help="Louvain seed (default 0)")
    p.add_argument("--min-size", type=int, default=1, help="leave out smaller clusters (default 1)")
    p.add_argument("--lexical", action="store_true",
                   help="find the nearest concepts by the lexical index of concept names (faster, cruder) "
                        "instead of the suggester")
    add_embeddings_option(p, "find the nearest concepts by the suggester")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from hgap.graph import clusters, gaps

    top = check_top(args.top)
    G = load_graph(args)
    suggester = None
    if not args.lexical:
        from hgap.graph.suggest import built_suggester

        # The suggester `hgap suggest` answers with (the same embeddings), so that the two agree.
        suggester = built_suggester(args.home, embedder=command_embedder(args.embeddings)[1])
    expressions = [g.subject_id for g in gaps.unmapped_expressions(G, args.category_kinds)]
    found = list(clusters.gap_clusters(G, expressions, threshold=args.threshold, method=args.method, seed=args.seed,
                                       min_size=args.min_size, suggester=suggester))[:top]
    rows = []
    for rank, cluster in enumerate(found, 1):
        row = {"rank": rank, **clusters.as_dict(cluster)}
        if args.format != "json":
            row["nearest"] = [f"{n.concept_label} ({n.concept_id}) {n.score:.2f}" for n in cluster.nearest_concepts]
            row["codes"] = [f"{n.category_id} {n.label}" for n in cluster.named_categories]
        rows.append(row)
    columns = COLUMNS if args.format == "table" else (
        ("rank", "", 0), ("cluster_id", "", 0), ("representative_id", "", 0), *COLUMNS[1:5],
        ("expression_ids", "", 0), COLUMNS[5], COLUMNS[6], COLUMNS[7])
    emit(rows, columns, args.format, empty="no unmapped expressions to cluster")
    return 0

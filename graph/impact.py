"""What a proposed bridge would close: the impact of new concepts and mappings, without changing the graph.

:func:`with_bridges` returns a copy of a projection with the proposed concepts and mappings added (a
copy-on-write copy: only the adjacency of the nodes the proposal touches is duplicated, so it is cheap
on the full graph; the original is never modified). :func:`bridge_impact` compares the gaps before and
after: which unmapped expressions would reach a category, with how many reports, which categories
patients would newly reach, which concepts would become codable, which weak bridges would be strong.

>>> from hgap.ontology.model import Category, Concept, Expression, Knowledge, Mapping
>>> from hgap.graph.projection import project
>>> k = Knowledge(
...     categories={"ICD10CM:R20.2": Category("ICD10CM:R20.2", "Paresthesia of skin", "icd10cm_code")},
...     expressions={"E:1": Expression("E:1", "brain zaps", report_count=12),
...                  "E:2": Expression("E:2", "brain buzzing", report_count=5)})
>>> G = project(k)
>>> x = Concept("HGAPC:1", "Brain zaps")
>>> proposal = [Mapping("E:1", "skos:exactMatch", "HGAPC:1", "semapv:ManualMappingCuration", 0.9),
...             Mapping("E:2", "skos:closeMatch", "HGAPC:1", "semapv:ManualMappingCuration", 0.8),
...             Mapping("HGAPC:1", "skos:broadMatch", "ICD10CM:R20.2", "semapv:ManualMappingCuration", 0.8)]
>>> i = bridge_impact(G, proposal, new_concepts=[x])
>>> i.expressions_bridged, i.reports_bridged, i.categories_newly_reached
(('E:1', 'E:2'), 17, ('ICD10CM:R20.2',))
>>> i.gaps_before["unmapped_expression"], i.gaps_after["unmapped_expression"], "HGAPC:1" in G
(2, 0, False)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import networkx as nx

from hgap.ontology.model import Concept, Mapping

from ._checks import require_hgap_graph
from .gaps import Gap, GapKind, all_gaps, reached_categories
from .projection import CATEGORY, CONCEPT, EXPRESSION, IS_A, add_mappings

__all__ = ["Impact", "with_bridges", "bridge_impact", "as_dict"]


@dataclass(frozen=True)
class Impact:
    """What a proposal would close. ``expressions_bridged``: unmapped expressions that would reach a
    category (``reports_bridged``: their reports); ``gaps_before``/``gaps_after``: gaps by kind."""

    expressions_bridged: tuple[str, ...]
    reports_bridged: int
    categories_newly_reached: tuple[str, ...]
    concepts_newly_codable: tuple[str, ...]
    weak_bridges_strengthened: tuple[str, ...]
    gaps_before: dict[str, int] = field(default_factory=dict)
    gaps_after: dict[str, int] = field(default_factory=dict)

    @property
    def gaps_closed(self) -> int:
        return sum(self.gaps_before.values()) - sum(self.gaps_after.values())


def _cow_copy(G: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``G`` that shares the node attribute dicts and per-node adjacency dicts until they are
    written (:func:`_own` them first). O(nodes) dict copies, no per-edge work."""
    H = G.__class__()
    H.graph.update(G.graph)
    H._node = dict(G._node)
    H._succ = H._adj = dict(G._succ)  # type: ignore[misc]
    H._pred = dict(G._pred)  # type: ignore[misc]
    return H


def _own(H: nx.DiGraph, G: nx.DiGraph, s: str, o: str) -> None:
    """Give ``H`` its own adjacency of ``s`` (successors) and ``o`` (predecessors), and of the edge s → o."""
    for table, original, node in ((H._succ, G._succ, s), (H._pred, G._pred, o)):
        if node in original and table[node] is original[node]:
            table[node] = dict(original[node])
    if o in H._succ[s] and H._succ[s][o] is G._succ.get(s, {}).get(o):
        attrs = dict(H._succ[s][o])
        H._succ[s][o] = H._pred[o][s] = attrs


def with_bridges(G: nx.DiGraph, new_mappings: Sequence[Mapping], new_concepts: Iterable[Concept] = ()) -> nx.DiGraph:
    """A copy of the projection ``G`` with ``new_concepts`` (and their ``is_a`` edges) and ``new_mappings``
    added; ``G`` is left as it was. Mappings must go expression → concept or concept → category."""
    require_hgap_graph(G)
    concepts = list(new_concepts)
    H = _cow_copy(G)
    for c in concepts:
        if c.id in G:
            raise ValueError(f"new concept {c.id}: already a {G.nodes[c.id].get('kind')} of the graph")
        H.add_node(c.id, kind=CONCEPT, label=c.label, synonyms=tuple(s.text for s in c.synonyms), proposed=True)
    for c in concepts:
        for parent in c.parents:
            if H.nodes.get(parent, {}).get("kind") != CONCEPT:
                raise ValueError(f"new concept {c.id}: parent {parent} is not a concept")
            _own(H, G, c.id, parent)
            H.add_edge(c.id, parent, kind=IS_A)
    for index, m in enumerate(new_mappings, 1):
        s_kind = H.nodes[m.subject_id].get("kind") if m.subject_id in H else None
        o_kind = H.nodes[m.object_id].get("kind") if m.object_id in H else None
        if (s_kind, o_kind) not in ((EXPRESSION, CONCEPT), (CONCEPT, CATEGORY)):
            raise ValueError(
                f"mapping {index}: {m.subject_id} ({s_kind or 'unknown'}) → {m.object_id} ({o_kind or 'unknown'}) "
                "must go expression → concept or concept → category (declare new concepts first)"
            )
        _own(H, G, m.subject_id, m.object_id)
        add_mappings(H, [m])
    return H


def _count(gaps: Iterable[Gap]) -> tuple[dict[str, int], dict[GapKind, set[str]]]:
    by_kind: dict[GapKind, set[str]] = {k: set() for k in GapKind}
    for g in gaps:
        by_kind[g.kind].add(g.subject_id)
    return {k.value: len(v) for k, v in by_kind.items()}, by_kind


def bridge_impact(
    G: nx.DiGraph, new_mappings: Sequence[Mapping], new_concepts: Iterable[Concept] = (), **gap_options: Any
) -> Impact:
    """The gaps that ``new_mappings`` (and ``new_concepts``) would close, computed on a copy of ``G``.

    ``gap_options`` go to :func:`hgap.graph.gaps.all_gaps` (``category_kinds``, ``threshold``, ...), and
    decide what counts as reaching a category."""
    require_hgap_graph(G)
    H = with_bridges(G, new_mappings, new_concepts)
    counts_before, before = _count(all_gaps(G, **gap_options))
    counts_after, after = _count(all_gaps(H, **gap_options))
    kinds = gap_options.get("category_kinds")
    bridged = tuple(sorted(before[GapKind.UNMAPPED_EXPRESSION] - after[GapKind.UNMAPPED_EXPRESSION]))
    reach_before = {c for cats in reached_categories(G, kinds).values() for c in cats}
    reach_after = {c for cats in reached_categories(H, kinds).values() for c in cats}
    return Impact(
        expressions_bridged=bridged,
        reports_bridged=sum(int(G.nodes[e].get("report_count", 0) or 0) for e in bridged),
        categories_newly_reached=tuple(sorted(reach_after - reach_before)),
        concepts_newly_codable=tuple(sorted(before[GapKind.UNCODABLE_CONCEPT] - after[GapKind.UNCODABLE_CONCEPT])),
        weak_bridges_strengthened=tuple(sorted(
            (before[GapKind.WEAK_BRIDGE] - after[GapKind.WEAK_BRIDGE]) - after[GapKind.UNMAPPED_EXPRESSION])),
        gaps_before=counts_before,
        gaps_after=counts_after,
    )


def as_dict(impact: Impact) -> dict:
    """A JSON-ready dict of ``impact``."""
    return {
        "expressions_bridged": list(impact.expressions_bridged), "reports_bridged": impact.reports_bridged,
        "categories_newly_reached": list(impact.categories_newly_reached),
        "concepts_newly_codable": list(impact.concepts_newly_codable),
        "weak_bridges_strengthened": list(impact.weak_bridges_strengthened),
        "gaps_before": impact.gaps_before, "gaps_after": impact.gaps_after, "gaps_closed": impact.gaps_closed,
    }

"""The knowledge graph as a typed networkx DiGraph: what every gap algorithm works on.

Nodes are of three kinds (node attribute ``kind``):

``expression``  a patient expression (``label`` = ``text``, ``report_count``, ``body_system``, ``origin``);
``concept``     a clinical concept (``label``, ``synonyms``: its exact and lay synonyms);
``category``    an EHR category (``label``, ``category_kind``: a :class:`~hgap.ontology.vocab.CategoryKind`
                value, ``codable``).

Edges point from the specific to the general. ``kind="mapping"`` edges go expression → concept and
concept → category and carry the SSSOM fields ``predicate_id``, ``mapping_justification``, ``confidence``,
``review_status`` (plain strings) and ``mapping_id``; when several mappings join the same pair, the
strongest is kept (strong predicate first, then a broad one, then related; then the higher confidence)
and ``mapping_count`` says how many there were. Rejected mappings are left out. Hierarchy edges go
concept → parent concept (``kind="is_a"``) and category → parent category (``kind="broader"``).

>>> from hgap.ontology.model import Category, Concept, Expression, Knowledge, Mapping
>>> k = Knowledge(
...     concepts={"HP:1": Concept("HP:1", "Paresthesia")},
...     categories={"ICD10CM:R20.2": Category("ICD10CM:R20.2", "Paresthesia of skin", "icd10cm_code")},
...     expressions={"HGAPEX:1": Expression("HGAPEX:1", "pins and needles", report_count=3)},
...     mappings=[Mapping("HGAPEX:1", "skos:exactMatch", "HP:1", "semapv:ManualMappingCuration", 0.95),
...               Mapping("HP:1", "skos:exactMatch", "ICD10CM:R20.2", "semapv:LexicalMatching", 0.9)])
>>> G = project(k)
>>> G.nodes["HGAPEX:1"]["kind"], G.nodes["HGAPEX:1"]["report_count"]
('expression', 3)
>>> G.edges["HP:1", "ICD10CM:R20.2"]["predicate_id"]
'skos:exactMatch'
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

import networkx as nx

from hgap.ontology.model import Knowledge, Mapping
from hgap.ontology.vocab import CategoryKind, MappingPredicate, ReviewStatus, SynonymScope, SynonymType

from ._checks import PROJECTION_MARK

__all__ = [
    "EXPRESSION", "CONCEPT", "CATEGORY", "MAPPING", "IS_A", "BROADER",
    "project", "mapping_edge", "add_mappings", "predicate_rank", "max_degree", "no_gc",
]

EXPRESSION, CONCEPT, CATEGORY = "expression", "concept", "category"
MAPPING, IS_A, BROADER = "mapping", "is_a", "broader"

_RANK = {
    MappingPredicate.EXACT.value: 2, MappingPredicate.CLOSE.value: 2, MappingPredicate.NARROW.value: 2,
    MappingPredicate.BROAD.value: 1, MappingPredicate.RELATED.value: 0,
}


def predicate_rank(predicate_id: str) -> int:
    """2 for a predicate that carries the meaning (exact, close, narrow), 1 for broad, 0 for related.

    >>> predicate_rank("skos:closeMatch"), predicate_rank("skos:broadMatch"), predicate_rank("skos:relatedMatch")
    (2, 1, 0)
    """
    return _RANK[str(predicate_id)]


def mapping_edge(mapping: Mapping) -> dict[str, Any]:
    """The attributes of the edge that stands for ``mapping`` (plain strings, so the graph pickles and prints)."""
    return {
        "kind": MAPPING,
        "predicate_id": mapping.predicate_id.value,
        "mapping_justification": mapping.mapping_justification.value,
        "confidence": mapping.confidence,
        "review_status": mapping.review_status.value,
        "mapping_id": mapping.id,
        "mapping_count": 1,
    }


def _better(new: dict[str, Any], old: dict[str, Any]) -> bool:
    return (_RANK[new["predicate_id"]], new["confidence"]) > (_RANK[old["predicate_id"]], old["confidence"])


def add_mappings(G: nx.DiGraph, mappings: Iterable[Mapping]) -> None:
    """Add mapping edges to ``G`` (both ends must be nodes), keeping the strongest per pair.

    Used by :func:`project` and by :mod:`hgap.graph.impact` on a copy."""
    succ = G._succ  # the plain adjacency: far faster than G.add_edge for ten thousand edges
    for mapping in mappings:
        if mapping.review_status is ReviewStatus.REJECTED:
            continue
        s, o = mapping.subject_id, mapping.object_id
        if s not in succ or o not in succ:
            continue
        attrs = mapping_edge(mapping)
        old = succ[s].get(o)
        if old is None:
            G.add_edge(s, o, **attrs)
        elif old.get("kind") == MAPPING:
            count = old["mapping_count"] + 1
            if _better(attrs, old):
                old.update(attrs)
            old["mapping_count"] = count


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while making many small dicts that hold no cycles (it would run
    a full collection every few thousand of them and double the time); restore its state after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def project(knowledge: Knowledge) -> nx.DiGraph:
    """The typed DiGraph of ``knowledge``: expression, concept and category nodes, mapping and hierarchy edges.

    The graph attribute ``hgap`` marks it as a projection (the algorithms check it); ``max_degree`` is the
    largest node degree, which :func:`hgap.graph.gaps.centrality` scales by.
    """
    with no_gc():
        return _project(knowledge)


def _project(knowledge: Knowledge) -> nx.DiGraph:
    G = nx.DiGraph(**{PROJECTION_MARK: 1})
    # Filled through the adjacency dicts directly: add_nodes_from/add_edges_from check every item and
    # cost several times more on ~120k nodes. The result is an ordinary DiGraph.
    nodes: dict[str, dict[str, Any]] = {}
    for e in knowledge.expressions.values():
        nodes[e.id] = {"kind": EXPRESSION, "label": e.text, "text": e.text, "report_count": e.report_count,
                       "body_system": e.body_system, "origin": e.origin.value}
    for c in knowledge.concepts.values():
        nodes[c.id] = {"kind": CONCEPT, "label": c.label, "synonyms": tuple(
            s.text for s in c.synonyms
            if s.type is SynonymType.LAYPERSON or (s.scope is SynonymScope.EXACT and s.type is not SynonymType.OBSOLETE))}
    codable = {k: k in (CategoryKind.CODE, CategoryKind.CATEGORY, CategoryKind.SECTION) for k in CategoryKind}
    values = {k: k.value for k in CategoryKind}
    for g in knowledge.categories.values():
        nodes[g.id] = {"kind": CATEGORY, "label": g.label, "category_kind": values[g.kind], "codable": codable[g.kind]}
    succ: dict[str, dict[str, dict[str, Any]]] = {n: {} for n in nodes}
    pred: dict[str, dict[str, dict[str, Any]]] = {n: {} for n in nodes}
    concepts, categories = knowledge.concepts, knowledge.categories
    for c in concepts.values():
        for p in c.parents:
            if p in concepts and p != c.id:
                succ[c.id][p] = pred[p][c.id] = {"kind": IS_A}
    for g in categories.values():
        if g.parent is not None and g.parent in categories and g.parent != g.id:
            succ[g.id][g.parent] = pred[g.parent][g.id] = {"kind": BROADER}
    G._node.update(nodes)
    G._succ.update(succ)
    G._pred.update(pred)
    add_mappings(G, (m for m in knowledge.mappings if _joins(m, knowledge)))
    G.graph["max_degree"] = max_degree(G)
    return G


def _joins(mapping: Mapping, knowledge: Knowledge) -> bool:
    s, o = mapping.subject_id, mapping.object_id
    return (s in knowledge.expressions and o in knowledge.concepts) or (s in knowledge.concepts and o in knowledge.categories)


def max_degree(G: nx.DiGraph) -> int:
    """The largest degree (in + out) of a node of ``G`` (0 for an empty graph)."""
    pred = G._pred
    return max((len(out) + len(pred[n]) for n, out in G._succ.items()), default=0)

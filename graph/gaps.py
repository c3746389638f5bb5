"""Hermeneutical gaps: where patient language falls through on its way to an EHR category.

Four kinds, each its own generator over a projection (:func:`hgap.graph.projection.project`):

- :func:`unmapped_expressions`: an expression with no path expression → concept → category (chaining and
  template-section placement are materialised as mappings already, so two hops are the whole path);
- :func:`uncodable_concepts`: a concept with no category of its own nor through an ancestor;
- :func:`weak_bridges`: an expression that reaches a category only through a weak path;
- :func:`stranded_categories`: a codable category that no patient expression reaches.

:func:`all_gaps` yields them all as one record, :class:`Gap`, and :func:`rank_gaps` orders them by impact.

**Impact.** ``impact = W · (1 + C)`` where ``C`` is the subject's :func:`centrality` in [0, 1] and ``W``
is what the gap costs patients, by kind:

- unmapped expression: ``max(1, report_count)``;
- uncodable concept: the sum of ``max(1, report_count)`` over the expressions it strands (expressions mapped
  to it that reach no category; not those of its descendants, whose own gap that is);
- weak bridge: ``max(1, report_count) × (1 − c)``, ``c`` the confidence of its best path;
- stranded category: ``0.1 · log10(1 + n)``, ``n`` the concepts mapped to it by a mapping of their own (not
  one chained from an ancestor): clinical ideas patients have no words for, damped so that they always rank
  below any phrasing a patient has reported (they strand no reported expression).

So reports dominate, a central node weighs up to twice as much, and among stranded categories the one more
concepts map to, and the more central, comes first. ``C`` is the log-scaled degree centrality ``log(1 + deg v) / log(1 + max deg)``
on the projection (in + out edges: mappings and hierarchy): linear in the graph, and a concept with many
children or expressions, or a category many concepts map to, counts more.

>>> from hgap.ontology.model import Category, Concept, Expression, Knowledge, Mapping
>>> from hgap.graph.projection import project
>>> k = Knowledge(
...     concepts={"HP:1": Concept("HP:1", "Paresthesia"), "HP:2": Concept("HP:2", "Restless legs")},
...     categories={"ICD10CM:R20.2": Category("ICD10CM:R20.2", "Paresthesia of skin", "icd10cm_code")},
...     expressions={"E:1": Expression("E:1", "pins and needles"), "E:2": Expression("E:2", "creepy legs", report_count=4),
...                  "E:3": Expression("E:3", "brain zaps", report_count=12)},
...     mappings=[Mapping("E:1", "skos:exactMatch", "HP:1", "semapv:ManualMappingCuration", 0.95),
...               Mapping("E:2", "skos:closeMatch", "HP:2", "semapv:ManualMappingCuration", 0.85),
...               Mapping("HP:1", "skos:exactMatch", "ICD10CM:R20.2", "semapv:LexicalMatching", 0.9)])
>>> G = project(k)
>>> [g.subject_id for g in unmapped_expressions(G)]
['E:2', 'E:3']
>>> [g.subject_id for g in uncodable_concepts(G)]
['HP:2']
>>> [(g.kind.value, g.subject_id, round(g.impact, 2)) for g in rank_gaps(all_gaps(G))]
[('unmapped_expression', 'E:3', 12.0), ('unmapped_expression', 'E:2', 6.52), ('uncodable_concept', 'HP:2', 6.52)]
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator, Literal, Sequence

import networkx as nx

from hgap.ontology.vocab import CategoryKind, ClosedVocabulary, Justification

from ._checks import CategoryKinds, require_hgap_graph, require_unit, resolve_category_kinds
STRANDED_DAMPING = 0.1  # a stranded category costs no reported phrasing: below every reported gap

from .projection import BROADER, CATEGORY, CONCEPT, EXPRESSION, IS_A, MAPPING, predicate_rank

__all__ = [
    "GapKind", "Gap", "Path", "unmapped_expressions", "uncodable_concepts", "weak_bridges",
    "stranded_categories", "all_gaps", "rank_gaps", "centrality", "impact_score", "paths",
    "reached_categories", "reaching_expressions", "DEFAULT_THRESHOLD",
]

DEFAULT_THRESHOLD = 0.7
_CHAINING = Justification.CHAINING.value


class GapKind(ClosedVocabulary):
    """The kinds of hermeneutical gap."""

    UNMAPPED_EXPRESSION = "unmapped_expression"
    UNCODABLE_CONCEPT = "uncodable_concept"
    WEAK_BRIDGE = "weak_bridge"
    STRANDED_CATEGORY = "stranded_category"


_ORDER = {k: i for i, k in enumerate(GapKind)}


@dataclass(frozen=True, slots=True)
class Gap:
    """One gap. ``subject_id``/``subject_label`` name the expression, concept or category that falls through;
    ``expression_ids`` are the expressions it strands (with ``reports``, the sum of their report counts);
    ``object_ids`` what it does reach or touch (the concepts of an unmapped expression, the categories a
    weak bridge reaches, the concepts mapped to a stranded category); ``reasons`` say why, in words."""

    kind: GapKind
    subject_id: str
    subject_label: str
    impact: float
    reasons: tuple[str, ...]
    reports: int = 0
    expression_ids: tuple[str, ...] = ()
    object_ids: tuple[str, ...] = ()
    centrality: float = 0.0

    @property
    def label(self) -> str:
        return self.subject_label


@dataclass(frozen=True, slots=True)
class Path:
    """One way an expression reaches a category: expression → concept → category, with both links."""

    expression_id: str
    concept_id: str
    category_id: str
    predicates: tuple[str, str]
    confidences: tuple[float, float]

    def confidence(self, combine: Literal["min", "product"] = "min") -> float:
        a, b = self.confidences
        return min(a, b) if combine == "min" else a * b

    def is_strong(self, threshold: float = DEFAULT_THRESHOLD, combine: Literal["min", "product"] = "min") -> bool:
        """A path carries the meaning when the expression link is exact/close/narrow, the category link is
        not merely related (broad is how a specific concept is coded under a general category), and the
        combined confidence reaches ``threshold``."""
        return (predicate_rank(self.predicates[0]) == 2 and predicate_rank(self.predicates[1]) >= 1
                and self.confidence(combine) >= threshold)


# ----------------------------------------------------------------------------------------------------
# Walking the projection


def _allowed(G: nx.DiGraph, node: str, kinds: frozenset[str] | None) -> bool:
    data = G.nodes[node]
    return data.get("kind") == CATEGORY and (kinds is None or data.get("category_kind") in kinds)


def _mapped(G: nx.DiGraph, node: str) -> Iterator[tuple[str, dict]]:
    for other, attrs in G._succ[node].items():
        if attrs.get("kind") == MAPPING:
            yield other, attrs


def paths(G: nx.DiGraph, expression: str, category_kinds: CategoryKinds = None) -> Iterator[Path]:
    """Every path expression → concept → category of ``expression`` (to categories of ``category_kinds``)."""
    kinds = resolve_category_kinds(category_kinds)
    for concept, first in _mapped(G, expression):
        if G.nodes[concept].get("kind") != CONCEPT:
            continue
        for category, second in _mapped(G, concept):
            if _allowed(G, category, kinds):
                yield Path(expression, concept, category, (first["predicate_id"], second["predicate_id"]),
                           (first["confidence"], second["confidence"]))


def _expressions(G: nx.DiGraph) -> list[str]:
    return [n for n, kind in G.nodes(data="kind") if kind == EXPRESSION]


def reached_categories(G: nx.DiGraph, category_kinds: CategoryKinds = None) -> dict[str, set[str]]:
    """For each expression of ``G``, the categories (of ``category_kinds``) it reaches."""
    require_hgap_graph(G)
    kinds = resolve_category_kinds(category_kinds)
    return {e: {p.category_id for p in paths(G, e, kinds)} for e in _expressions(G)}


def reaching_expressions(G: nx.DiGraph, category_kinds: CategoryKinds = None) -> dict[str, set[str]]:
    """For each category some expression reaches, those expressions (the inverse of :func:`reached_categories`)."""
    inverse: dict[str, set[str]] = defaultdict(set)
    for e, categories in reached_categories(G, category_kinds).items():
        for c in categories:
            inverse[c].add(e)
    return dict(inverse)


def _walk(adjacency: dict, starts: Iterable[str], edge_kind: str) -> set[str]:
    """Every node reached from ``starts`` along edges of ``edge_kind`` (``G._succ`` walks up, ``G._pred`` down)."""
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        for other, attrs in adjacency[stack.pop()].items():
            if attrs.get("kind") == edge_kind and other not in seen:
                seen.add(other)
                stack.append(other)
    return seen


def _ancestors(G: nx.DiGraph, node: str, edge_kind: str) -> set[str]:
    return _walk(G._succ, [node], edge_kind)


def _descendants(G: nx.DiGraph, nodes: Iterable[str], edge_kind: str) -> set[str]:
    """``nodes`` and everything below them."""
    nodes = set(nodes)
    return nodes | _walk(G._pred, nodes, edge_kind)


# ----------------------------------------------------------------------------------------------------
# Ranking


def centrality(G: nx.DiGraph, node: str) -> float:
    """Log-scaled degree centrality of ``node`` in [0, 1]: ``log(1 + deg) / log(1 + max deg)``.

    >>> import networkx as nx
    >>> G = nx.DiGraph(hgap=1, max_degree=3); G.add_edges_from([("a", "b"), ("c", "b"), ("d", "b")])
    >>> centrality(G, "b"), round(centrality(G, "a"), 2)
    (1.0, 0.5)
    """
    top = G.graph.get("max_degree") or max((d for _, d in G.degree()), default=0)
    degree = G.degree(node)
    if top <= 0 or degree <= 0:
        return 0.0
    return min(1.0, math.log1p(degree) / math.log1p(top))


def impact_score(weight: float, centrality: float) -> float:
    """``W · (1 + C)``: the impact of a gap that costs ``weight`` with subject centrality ``C``.

    >>> impact_score(12, 0.0), impact_score(0, 0.5), impact_score(2, 1.0)
    (12.0, 0.0, 4.0)
    """
    return float(weight) * (1.0 + centrality)


def rank_gaps(gaps: Iterable[Gap], top: int | None = None) -> list[Gap]:
    """``gaps`` by impact, highest first (ties: kind, then id); the first ``top`` if given."""
    ranked = sorted(gaps, key=lambda g: (-g.impact, _ORDER[g.kind], g.subject_id))
    return ranked if top is None else ranked[:top]


def _w(G: nx.DiGraph, expression: str) -> int:
    return max(1, int(G.nodes[expression].get("report_count", 1) or 0))


def _reports(G: nx.DiGraph, expressions: Iterable[str]) -> int:
    return sum(int(G.nodes[e].get("report_count", 0) or 0) for e in expressions)


def _what(kinds: frozenset[str] | None) -> str:
    if kinds is None:
        return "EHR category"
    if kinds == frozenset({CategoryKind.SECTION.value}):
        return "template section"
    if CategoryKind.SECTION.value not in kinds:
        return "ICD-10-CM code"
    return "category of kind " + "/".join(sorted(kinds))


def _label(G: nx.DiGraph, node: str) -> str:
    return str(G.nodes[node].get("label", node))


def _quote(G: nx.DiGraph, nodes: Sequence[str], limit: int = 3) -> str:
    shown = ", ".join(f"'{_label(G, n)}'" for n in nodes[:limit])
    return shown + (f" and {len(nodes) - limit} more" if len(nodes) > limit else "")


# ----------------------------------------------------------------------------------------------------
# The four kinds


def unmapped_expressions(G: nx.DiGraph, category_kinds: CategoryKinds = None) -> Iterator[Gap]:
    """Expressions with no path expression → concept → category (of ``category_kinds``: None for any,
    ``"icd10cm"`` for ICD-10-CM only, ``"section"`` for template sections only), in id order."""
    require_hgap_graph(G)
    kinds = resolve_category_kinds(category_kinds)
    what = _what(kinds)
    for e in sorted(_expressions(G)):
        concepts = sorted(c for c, _ in _mapped(G, e) if G.nodes[c].get("kind") == CONCEPT)
        if any(_allowed(G, cat, kinds) for c in concepts for cat, _ in _mapped(G, c)):
            continue
        if concepts:
            reasons = tuple(f"maps to {_label(G, c)} ({c}), which has no {what}" for c in concepts)
        else:
            reasons = ("maps to no concept",)
        c = centrality(G, e)
        yield Gap(GapKind.UNMAPPED_EXPRESSION, e, _label(G, e), impact_score(_w(G, e), c), reasons,
                  _reports(G, [e]), (e,), tuple(concepts), c)


def uncodable_concepts(
    G: nx.DiGraph,
    category_kinds: CategoryKinds = None,
    scope: Literal["expressed", "all"] = "expressed",
    root: str | None = None,
) -> Iterator[Gap]:
    """Concepts with no category (of ``category_kinds``) of their own nor through an ancestor, in id order.

    ``scope="expressed"`` (default) keeps the concepts some expression maps to; ``"all"`` every concept.
    ``root`` keeps only concepts below it (e.g. ``"HP:0000118"``, Phenotypic abnormality; not the root).
    """
    require_hgap_graph(G)
    kinds = resolve_category_kinds(category_kinds)
    if scope not in ("expressed", "all"):
        raise ValueError(f"scope: {scope!r} is not one of expressed, all")
    concept_nodes = [n for n, kind in G.nodes(data="kind") if kind == CONCEPT]
    codable = [c for c in concept_nodes if any(_allowed(G, cat, kinds) for cat, _ in _mapped(G, c))]
    covered = _descendants(G, codable, IS_A)  # a concept is codable under an ancestor's category
    if scope == "expressed":
        candidates = {c for e in _expressions(G) for c, _ in _mapped(G, e) if G.nodes[c].get("kind") == CONCEPT}
    else:
        candidates = set(concept_nodes)
    if root is not None:
        if root not in G or G.nodes[root].get("kind") != CONCEPT:
            raise ValueError(f"root: {root!r} is not a concept of the graph")
        candidates &= _descendants(G, [root], IS_A) - {root}
    uncodable = candidates - covered
    if not uncodable:
        return
    # The expressions each uncodable concept strands: those mapped to it that reach no category. (Its
    # uncodable ancestors are not credited with them: the missing link is the concept's own.)
    stranded: dict[str, list[str]] = defaultdict(list)
    for e in sorted(_expressions(G)):
        concepts = [c for c, _ in _mapped(G, e) if G.nodes[c].get("kind") == CONCEPT]
        if not concepts or any(_allowed(G, cat, kinds) for c in concepts for cat, _ in _mapped(G, c)):
            continue
        for c in concepts:
            if c in uncodable:
                stranded[c].append(e)
    what = _what(kinds)
    for concept in sorted(uncodable):
        expressions = stranded.get(concept, [])
        reasons = [f"no {what} of its own or through an ancestor"]
        if expressions:
            reasons.append(f"strands {len(expressions)} expression(s), {_reports(G, expressions)} report(s): "
                           + _quote(G, expressions))
        c = centrality(G, concept)
        yield Gap(GapKind.UNCODABLE_CONCEPT, concept, _label(G, concept),
                  impact_score(sum(_w(G, e) for e in expressions), c), tuple(reasons),
                  _reports(G, expressions), tuple(expressions), (), c)


def weak_bridges(
    G: nx.DiGraph,
    category_kinds: CategoryKinds = None,
    threshold: float = DEFAULT_THRESHOLD,
    combine: Literal["min", "product"] = "min",
) -> Iterator[Gap]:
    """Expressions that reach a category (of ``category_kinds``) but by no strong :class:`Path`: only through
    related/broad expression links, related category links, or a combined confidence (``min`` of the two
    links, or their ``product``) below ``threshold``. In id order."""
    require_hgap_graph(G)
    require_unit(threshold, "threshold")
    if combine not in ("min", "product"):
        raise ValueError(f"combine: {combine!r} is not one of min, product")
    kinds = resolve_category_kinds(category_kinds)
    for e in sorted(_expressions(G)):
        found = list(paths(G, e, kinds))
        if not found or any(p.is_strong(threshold, combine) for p in found):
            continue
        best = min(found, key=lambda p: (-p.confidence(combine), -predicate_rank(p.predicates[0]),
                                         -predicate_rank(p.predicates[1]), p.category_id))
        weak = []
        if predicate_rank(best.predicates[0]) < 2:
            weak.append(f"the expression is only a {best.predicates[0]} of {_label(G, best.concept_id)}")
        if predicate_rank(best.predicates[1]) < 1:
            weak.append(f"{_label(G, best.concept_id)} is only a {best.predicates[1]} of {best.category_id}")
        if best.confidence(combine) < threshold:
            weak.append(f"confidence {best.confidence(combine):.2f} < {threshold:.2f}")
        reasons = (
            f"best path: {best.predicates[0]} {best.confidences[0]:.2f} → {_label(G, best.concept_id)} ({best.concept_id})"
            f" → {best.predicates[1]} {best.confidences[1]:.2f} → {_label(G, best.category_id)} ({best.category_id})",
            *weak,
        )
        c = centrality(G, e)
        categories = tuple(sorted({p.category_id for p in found}))
        yield Gap(GapKind.WEAK_BRIDGE, e, _label(G, e), impact_score(_w(G, e) * (1.0 - best.confidence(combine)), c),
                  reasons, _reports(G, [e]), (e,), categories, c)


def stranded_categories(
    G: nx.DiGraph,
    category_kinds: CategoryKinds = None,
    scope: Literal["near", "mapped", "all"] = "near",
) -> Iterator[Gap]:
    """Codable categories (of ``category_kinds``) that no patient expression reaches, in id order.

    ``scope`` bounds what is worth listing (the full ICD-10-CM has ~74k leaf codes):
    ``"mapped"``: categories some concept maps to (a clinical idea patients have no words for);
    ``"near"`` (default): those, and the leaf categories next to one that patients do reach (a sibling
    under the same parent);
    ``"all"``: every codable category no expression reaches.
    """
    require_hgap_graph(G)
    kinds = resolve_category_kinds(category_kinds)
    if scope not in ("near", "mapped", "all"):
        raise ValueError(f"scope: {scope!r} is not one of near, mapped, all")
    reached_by = reaching_expressions(G, kinds)
    pred = G._pred

    def children(node: str) -> list[str]:
        return [c for c, a in pred[node].items() if a.get("kind") == BROADER]

    def concepts_of(node: str) -> list[str]:
        return sorted(c for c, a in pred[node].items() if a.get("kind") == MAPPING)

    def own_concepts(node: str) -> int:
        return sum(1 for a in pred[node].values() if a.get("kind") == MAPPING and a["mapping_justification"] != _CHAINING)

    candidates: set[str] = set()
    if scope == "all":
        candidates = {n for n, d in G.nodes(data=True) if d.get("kind") == CATEGORY}
    else:
        # Categories some concept maps to: the objects of concept → category mapping edges.
        for n, kind in G.nodes(data="kind"):
            if kind == CONCEPT:
                candidates.update(cat for cat, _ in _mapped(G, n))
        if scope == "near":
            for category in reached_by:
                for parent, attrs in G._succ[category].items():
                    if attrs.get("kind") == BROADER:
                        candidates.update(s for s in children(parent) if not children(s))
    for category in sorted(candidates):
        data = G.nodes[category]
        if not data.get("codable") or category in reached_by or not _allowed(G, category, kinds):
            continue
        concepts = concepts_of(category)
        reasons = ["no patient expression reaches it"]
        if concepts:
            reasons.append(f"{len(concepts)} concept(s) map to it: " + _quote(G, concepts))
        parents = [p for p, a in G._succ[category].items() if a.get("kind") == BROADER]
        near = sorted({e for p in parents for s in children(p) for e in reached_by.get(s, ())})
        if near:
            reasons.append(f"patients do reach its siblings under {', '.join(parents)}: {len(near)} expression(s), "
                           f"{_reports(G, near)} report(s)")
        c = centrality(G, category)
        yield Gap(GapKind.STRANDED_CATEGORY, category, _label(G, category), impact_score(STRANDED_DAMPING * math.log10(1 + own_concepts(category)), c),
                  tuple(reasons), 0, (), tuple(concepts), c)


def all_gaps(
    G: nx.DiGraph,
    kinds: Iterable[GapKind | str] | None = None,
    category_kinds: CategoryKinds = None,
    threshold: float = DEFAULT_THRESHOLD,
    combine: Literal["min", "product"] = "min",
    concept_scope: Literal["expressed", "all"] = "expressed",
    root: str | None = None,
    category_scope: Literal["near", "mapped", "all"] = "near",
) -> Iterator[Gap]:
    """Every gap of the chosen ``kinds`` (default: all four), kind by kind; see each generator for the options."""
    require_hgap_graph(G)
    chosen = list(GapKind) if kinds is None else [GapKind.parse(k, "kinds") for k in kinds]
    for kind in GapKind:
        if kind not in chosen:
            continue
        if kind is GapKind.UNMAPPED_EXPRESSION:
            yield from unmapped_expressions(G, category_kinds)
        elif kind is GapKind.UNCODABLE_CONCEPT:
            yield from uncodable_concepts(G, category_kinds, concept_scope, root)
        elif kind is GapKind.WEAK_BRIDGE:
            yield from weak_bridges(G, category_kinds, threshold, combine)
        else:
            yield from stranded_categories(G, category_kinds, category_scope)


def as_dict(gap: Gap) -> dict:
    """A JSON-ready dict of ``gap``."""
    return {
        "kind": gap.kind.value, "subject_id": gap.subject_id, "subject_label": gap.subject_label,
        "impact": round(gap.impact, 4), "reports": gap.reports, "centrality": round(gap.centrality, 4),
        "expression_ids": list(gap.expression_ids), "object_ids": list(gap.object_ids), "reasons": list(gap.reasons),
    }

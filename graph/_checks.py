"""Input checks shared by the graph algorithms: one place that says what a projection is.

>>> import networkx as nx
>>> try:
...     require_hgap_graph(nx.DiGraph())
... except TypeError as error:
...     print(error)
expected an hgap projection (hgap.graph.projection.project(knowledge)); got a DiGraph without the 'hgap' graph attribute
>>> sorted(resolve_category_kinds("section"))
['ros_section']
>>> len(resolve_category_kinds("icd10cm")), resolve_category_kinds(None)
(4, None)
"""
from __future__ import annotations

from typing import Iterable, Union

import networkx as nx

from hgap.ontology.vocab import CategoryKind

__all__ = ["PROJECTION_MARK", "require_hgap_graph", "resolve_category_kinds", "CategoryKinds", "ICD10CM_KINDS"]

#: The graph attribute that marks a projection (its value is the projection format version).
PROJECTION_MARK = "hgap"

_ALL_KINDS = frozenset(k.value for k in CategoryKind)
ICD10CM_KINDS = frozenset(k.value for k in CategoryKind if k is not CategoryKind.SECTION)
_SHORTHANDS = {
    "any": None,
    "all": None,
    "icd10cm": ICD10CM_KINDS,
    "icd": ICD10CM_KINDS,
    "section": frozenset({CategoryKind.SECTION.value}),
    "sections": frozenset({CategoryKind.SECTION.value}),
    "ros": frozenset({CategoryKind.SECTION.value}),
}

#: What ``category_kinds=`` accepts: None (any category), a shorthand ("icd10cm", "section", "any")
#: or some :class:`~hgap.ontology.vocab.CategoryKind` values.
CategoryKinds = Union[str, Iterable[Union[str, CategoryKind]], None]


def require_hgap_graph(G: object) -> nx.DiGraph:
    """``G`` itself if it is a projection made by :func:`hgap.graph.projection.project`, else a TypeError."""
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise TypeError(
            "expected an hgap projection (hgap.graph.projection.project(knowledge)); "
            f"got {type(G).__name__}"
        )
    if PROJECTION_MARK not in G.graph:
        raise TypeError(
            "expected an hgap projection (hgap.graph.projection.project(knowledge)); "
            f"got a {type(G).__name__} without the {PROJECTION_MARK!r} graph attribute"
        )
    return G


def resolve_category_kinds(category_kinds: CategoryKinds) -> frozenset[str] | None:
    """The set of :class:`CategoryKind` values that count as a category, or None for every kind."""
    if category_kinds is None:
        return None
    if isinstance(category_kinds, frozenset) and category_kinds and category_kinds <= _ALL_KINDS:
        return category_kinds  # already resolved
    if isinstance(category_kinds, str):
        if category_kinds in _SHORTHANDS:
            return _SHORTHANDS[category_kinds]
        category_kinds = (category_kinds,)
    kinds = frozenset(CategoryKind.parse(k, "category_kinds").value for k in category_kinds)
    if not kinds:
        raise ValueError("category_kinds: empty (use None for any category)")
    return kinds


def require_positive(value: float, name: str) -> None:
    if value is None or value < 0:
        raise ValueError(f"{name}: {value!r} must not be negative")


def require_unit(value: float, name: str) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name}: {value!r} is not a number in [0, 1]")


def known_nodes(G: nx.DiGraph, ids: Iterable[str], kind: str | None = None) -> list[str]:
    """``ids`` checked to be nodes of ``G`` (of ``kind`` when given), in order; a ValueError names the first stranger."""
    out = []
    for node in ids:
        if node not in G:
            raise ValueError(f"{node!r} is not a node of the graph")
        if kind is not None and G.nodes[node].get("kind") != kind:
            raise ValueError(f"{node!r} is a {G.nodes[node].get('kind')}, not a {kind}")
        out.append(node)
    return out

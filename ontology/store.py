"""The graph store behind one small interface, so that a SPARQL server can stand in for the embedded one.

The embedded default is pyoxigraph on disk, chosen by ``benchmarks/bench_store.py`` on the full graph: it opens
in well under a second where rdflib's in-memory graph takes ~40 s and 1.5 GB to load. Query speed depends on the
query's shape on either store (pyoxigraph evaluates an OPTIONAL's right side, or a join after a UNION, in full),
so the named queries are written in shapes that are index look-ups on it; the benchmark prints both. Values are always bound as RDF terms through
SPARQL substitution (SEP-0007), never pasted into query text.

>>> store = OxigraphStore.from_ntriples('<urn:a> <http://www.w3.org/2000/01/rdf-schema#label> "pins"@en .\\n')
>>> store.select("SELECT ?s ?l WHERE { ?s rdfs:label ?l }", {"l": literal("pins")}).rows
[('urn:a', 'pins')]
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol, Union

import pyoxigraph as ox

from .vocab import PREFIXES, VocabularyError, expand

Term = Union[ox.NamedNode, ox.Literal, ox.BlankNode]
PREFIX_MAP = dict(PREFIXES)

FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "owl": ox.RdfFormat.RDF_XML,
}


class QueryError(ValueError):
    """A query that cannot be parsed or run; the message says why."""


@dataclass(frozen=True)
class QueryResult:
    """A SELECT answer with a fixed shape: its columns, then rows of plain strings (None where unbound)."""

    columns: list[str]
    rows: list[tuple[str | None, ...]]

    def records(self) -> list[dict[str, str | None]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def literal(value: str | int | float, language: str | None = "en") -> ox.Literal:
    """A literal to bind: strings match the graph's English labels (``"pins"@en``) unless language is None."""
    if isinstance(value, bool) or not isinstance(value, str):
        return ox.Literal(value)
    return ox.Literal(value, language=language) if language else ox.Literal(value)


def node(curie_or_iri: str) -> ox.NamedNode:
    """An IRI to bind, from a CURIE (``HP:0003401``) or a full IRI."""
    try:
        return ox.NamedNode(expand(curie_or_iri.strip("<>")))
    except (VocabularyError, ValueError) as error:
        raise QueryError(f"{curie_or_iri!r} is not an IRI or CURIE: {error}") from None


def term_value(term: object) -> str | None:
    if term is None:
        return None
    return term.value  # type: ignore[attr-defined]


class GraphStore(Protocol):
    """What hgap needs of a store: SELECT with bound values, raw queries for the endpoint, counts, dumps."""

    def select(self, query: str, bindings: dict[str, Term] | None = None) -> QueryResult: ...

    def query(self, query: str, bindings: dict[str, Term] | None = None) -> object: ...

    def triple_count(self) -> int: ...

    def dump(self, fmt: str) -> bytes: ...


class OxigraphStore:
    """pyoxigraph, on disk (opened read-only for use) or in memory (tests, small graphs)."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    @classmethod
    def open(cls, path: Path) -> "OxigraphStore":
        return cls(ox.Store.read_only(str(path)))

    @classmethod
    def from_ntriples(cls, text: str | bytes, more_turtle: Iterable[str] = ()) -> "OxigraphStore":
        store = ox.Store()
        store.load(text, format=ox.RdfFormat.N_TRIPLES)
        for turtle in more_turtle:
            store.load(turtle, format=ox.RdfFormat.TURTLE)
        return cls(store)

    @property
    def native(self) -> ox.Store:
        return self._store

    def query(self, query: str, bindings: dict[str, Term] | None = None) -> object:
        substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            return self._store.query(query, prefixes=PREFIX_MAP, substitutions=substitutions or None)
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {error}") from None
        except OSError as error:
            raise QueryError(f"query failed: {error}") from None

    def select(self, query: str, bindings: dict[str, Term] | None = None) -> QueryResult:
        solutions = self.query(query, bindings)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        columns = [v.value for v in solutions.variables]
        rows = [tuple(term_value(s[c]) for c in columns) for s in solutions]
        return QueryResult(columns, rows)

    def triple_count(self) -> int:
        return len(self._store)

    def dump(self, fmt: str) -> bytes:
        if fmt not in FORMATS:
            raise QueryError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
        if fmt in ("ttl", "owl", "jsonld"):
            # Serialise through rdflib for these: it writes prefixes (Turtle) and OWL-readable RDF/XML.
            return self._dump_with_rdflib(fmt)
        return self._store.dump(format=FORMATS[fmt], from_graph=ox.DefaultGraph())

    def _dump_with_rdflib(self, fmt: str) -> bytes:
        import rdflib

        graph = rdflib.Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, replace=True)
        graph.parse(data=self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
        rdflib_format = {"ttl": "turtle", "owl": "pretty-xml", "jsonld": "json-ld"}[fmt]
        if fmt == "owl":
            rdflib_format = "xml"
        return graph.serialize(format=rdflib_format, encoding="utf-8")

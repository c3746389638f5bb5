"""Named SPARQL queries: one ``.rq`` file each in ``queries/``, opening with a ROBOT-style comment.

A file's header says what it finds, what to do about it, its parameters and its columns::

    # title: Expressions that reach no EHR category
    # finds: patient phrasings that no concept links to a category: hermeneutical gaps.
    # fix: map the phrase to a concept, or propose a concept and a category for it.
    # columns: expression text report_count

Parameters are bound as RDF terms (SPARQL substitution), never pasted into the query text; a query must
project every parameter it declares. Kinds: ``literal`` (a plain string), ``key`` (a string case-folded and
space-collapsed first, to meet the build's lookup keys), ``iri`` (an IRI or CURIE), ``number``.

>>> queries = load_queries()
>>> "unmapped_expressions" in queries and queries["lookup_exact"].params[0].name
'text'
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from .store import GraphStore, QueryError, QueryResult, Term, literal, node
from .vocab import lookup_key

PARAM_KINDS = ("literal", "key", "iri", "number")


@dataclass(frozen=True)
class QueryParam:
    name: str
    kind: str
    doc: str
    default: str | None = None

    def term(self, value: str) -> Term:
        """The RDF term for a value given on the command line or in a form."""
        if self.kind == "iri":
            return node(value)
        if self.kind == "number":
            try:
                number = float(value)
            except ValueError:
                raise QueryError(f"parameter {self.name}: {value!r} is not a number") from None
            return literal(int(number) if number.is_integer() else number)
        if self.kind == "key":
            return literal(lookup_key(value), None)
        return literal(value, None)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    fix: str
    params: tuple[QueryParam, ...]
    columns: tuple[str, ...]
    text: str
    path: Path

    def bindings(self, values: dict[str, str]) -> dict[str, Term]:
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            raise QueryError(f"query {self.name}: unknown parameter(s) {', '.join(unknown)}; "
                             f"it takes {', '.join(sorted(known)) or 'none'}")
        bound: dict[str, Term] = {}
        for param in self.params:
            value = values.get(param.name, param.default)
            if value is None or value == "":
                raise QueryError(f"query {self.name}: parameter {param.name} is required ({param.doc})")
            bound[param.name] = param.term(value)
        return bound


def queries_dir() -> Path:
    return Path(str(files("hgap.queries")))


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    header: dict[str, list[str]] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].strip().partition(":")
        if sep and key.strip() in ("title", "finds", "fix", "param", "columns"):
            header.setdefault(key.strip(), []).append(value.strip())
    for required in ("title", "finds", "fix", "columns"):
        if required not in header:
            raise QueryError(f"{path}: header lacks '# {required}:'")
    params = []
    for spec in header.get("param", []):
        head, _, doc = spec.partition("|")
        parts = head.split()
        if len(parts) not in (2, 3) or parts[1] not in PARAM_KINDS:
            raise QueryError(f"{path}: '# param: {spec}' should be 'name kind [default] | description', kind one of {PARAM_KINDS}")
        params.append(QueryParam(parts[0], parts[1], doc.strip(), parts[2] if len(parts) == 3 else None))
    return NamedQuery(
        name=path.stem, title=header["title"][0], description=" ".join(header["finds"]), fix=" ".join(header["fix"]),
        params=tuple(params), columns=tuple(header["columns"][0].split()), text=text, path=path,
    )


def load_queries(directory: Path | None = None) -> dict[str, NamedQuery]:
    directory = directory or queries_dir()
    return {p.stem: parse_query_file(p) for p in sorted(directory.glob("*.rq"))}


def run_named(store: GraphStore, name: str, params: dict[str, str] | None = None,
              queries: dict[str, NamedQuery] | None = None) -> QueryResult:
    """Run a named query with its parameters bound; the result has the columns the file declares."""
    queries = queries if queries is not None else load_queries()
    if name not in queries:
        raise QueryError(f"no query named {name!r}; known: {', '.join(sorted(queries))}")
    query = queries[name]
    result = store.select(query.text, query.bindings(params or {}))
    if tuple(result.columns) != query.columns:
        raise QueryError(f"{query.path}: answered columns {result.columns}, the header declares {list(query.columns)}")
    return result

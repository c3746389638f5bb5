"""The SPARQL side of the server: checking a query before it runs, the worker processes that run it, and
the result formats.

pyoxigraph cannot interrupt a query from Python, so queries run in a small pool of worker processes that
open the on-disk store read-only; a worker past the time limit is killed and replaced, and the server
keeps answering. This module imports only the standard library and pyoxigraph (the workers are spawned).

>>> check_query("PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:service ?o }").form
'SELECT'
>>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
hgap.webui.sparql_worker.Refused: SERVICE is not allowed: this endpoint never sends requests to other endpoints
>>> check_query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
Traceback (most recent call last):
...
hgap.webui.sparql_worker.Refused: this endpoint is read-only: INSERT (a SPARQL update) is refused
>>> check_query('SELECT ?s WHERE { ?s ?p "SERVICE <x> # INSERT" }').form
'SELECT'
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import os
import queue
import re
import threading
from typing import Any, Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

RESULT_FORMATS = {  # SELECT / ASK
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {  # CONSTRUCT / DESCRIBE
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
# Names a client may give in ``format=`` (or as a media type) → our format name.
FORMAT_ALIASES = {
    "json": "json", "srj": "json", "application/sparql-results+json": "json", "application/json": "json",
    "xml": "xml", "srx": "xml", "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "csv": "csv", "text/csv": "csv",
    "tsv": "tsv", "text/tab-separated-values": "tsv",
    "turtle": "turtle", "ttl": "turtle", "text/turtle": "turtle", "n3": "turtle", "text/n3": "turtle",
    "ntriples": "ntriples", "nt": "ntriples", "n-triples": "ntriples", "application/n-triples": "ntriples",
    "jsonld": "jsonld", "json-ld": "jsonld", "application/ld+json": "jsonld",
    "rdfxml": "rdfxml", "rdf+xml": "rdfxml", "rdf": "rdfxml", "application/rdf+xml": "rdfxml",
}
# A format asked for a query of the other kind → the nearest of the right kind.
_TO_GRAPH = {"json": "jsonld", "xml": "rdfxml", "csv": "ntriples", "tsv": "ntriples"}
_TO_RESULTS = {"jsonld": "json", "rdfxml": "xml", "turtle": "json", "ntriples": "tsv"}

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


class Refused(ValueError):
    """A request the endpoint will not run (an update, SERVICE, a remote graph, a bad format): a 400."""


class QueryFailed(ValueError):
    """A query that did not parse or failed while running: a 400 with the engine's message."""


class QueryTimeout(RuntimeError):
    """A query stopped at its time limit (or no worker was free in time): a 503."""


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    form: str  # SELECT, CONSTRUCT, DESCRIBE or ASK

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][\w]+)
  | (?P<word>[A-Za-z_][\w\-]*(?::[\w\-.%]*)?|:[\w\-.%]*)
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def tokens(text: str) -> list[tuple[str, str]]:
    """The (kind, text) tokens of a SPARQL string, with comments, strings and IRIs as single tokens."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind not in ("space", "comment"):
            out.append((kind, m.group()))
    return out


def check_query(text: str) -> CheckedQuery:
    """The query's form, after refusing updates, SERVICE and FROM/FROM NAMED (found in its tokens, so a
    keyword inside a string, an IRI or a comment does not count)."""
    if not text or not text.strip():
        raise Refused("no query given: pass the SPARQL text as query=")
    toks = tokens(text)
    keywords = [t.upper() for kind, t in toks if kind == "word" and ":" not in t]
    form = None
    i = 0
    while i < len(keywords):  # skip the prologue (BASE/PREFIX declarations)
        word = keywords[i]
        if word in ("BASE", "PREFIX"):
            i += 1
            continue
        if word in QUERY_FORMS:
            form = word
            break
        if word in UPDATE_KEYWORDS:
            raise Refused(f"this endpoint is read-only: {word} (a SPARQL update) is refused")
        i += 1
    if "SERVICE" in keywords:
        raise Refused("SERVICE is not allowed: this endpoint never sends requests to other endpoints")
    if form is None:
        for word in keywords:
            if word in UPDATE_KEYWORDS:
                raise Refused(f"this endpoint is read-only: {word} (a SPARQL update) is refused")
        raise Refused("not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    if "FROM" in keywords:
        raise Refused("FROM / FROM NAMED are not allowed: the endpoint answers over its own default graph and "
                      "never loads graphs from other addresses")
    if any(word in ("LOAD",) for word in keywords):
        raise Refused("this endpoint is read-only: LOAD is refused")
    return CheckedQuery(text, form)


def pick_format(query: CheckedQuery, requested: str | None, accept: "list[tuple[str, float]]") -> str:
    """Our format name for a query, from ``format=`` if given, else from the Accept header's media types."""
    wanted = RESULT_FORMATS if not query.is_graph else GRAPH_FORMATS
    default = "json" if not query.is_graph else "turtle"
    if requested:
        name = FORMAT_ALIASES.get(requested.strip().lower())
        if name is None:
            raise Refused(f"format {requested!r} is not one of {', '.join(sorted(set(FORMAT_ALIASES.values())))}")
        if name not in wanted:
            name = (_TO_GRAPH if query.is_graph else _TO_RESULTS).get(name, default)
        return name
    for media, _ in sorted(accept, key=lambda mq: -mq[1]):
        media = media.lower().split(";")[0].strip()
        if media in ("*/*", ""):
            return default
        name = FORMAT_ALIASES.get(media)
        if name in wanted:
            return name
        if name is not None:
            return (_TO_GRAPH if query.is_graph else _TO_RESULTS).get(name, default)
    return default


def content_type(fmt: str) -> str:
    media = RESULT_FORMATS.get(fmt) or GRAPH_FORMATS[fmt]
    return media + "; charset=utf-8"


# ----------------------------------------------------------------------------------------------------
# Writing results (done in the worker, with the row cap applied while reading).

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _json_term(term) -> dict:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def _xml_term(term) -> str:  # type: ignore[no-untyped-def]
    j = _json_term(term)
    if j["type"] == "uri":
        return f"<uri>{escape(j['value'])}</uri>"
    if j["type"] == "bnode":
        return f"<bnode>{escape(j['value'])}</bnode>"
    attrs = ""
    if "xml:lang" in j:
        attrs = f" xml:lang={quoteattr(j['xml:lang'])}"
    elif "datatype" in j:
        attrs = f" datatype={quoteattr(j['datatype'])}"
    return f"<literal{attrs}>{escape(j['value'])}</literal>"


def write_select(variables: list[str], rows: list[list], fmt: str) -> bytes:  # type: ignore[type-arg]
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(variables, row) if t is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else t.value for t in row])
        return buf.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        for row in rows:
            lines.append("\t".join("" if t is None else str(t) for t in row))
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise Refused(f"format {fmt!r} is not one for SELECT results")


def write_ask(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    if fmt == "csv":
        return f"_askResult\r\n{'true' if value else 'false'}\r\n".encode()
    return f"?_askResult\n{'true' if value else 'false'}\n".encode()


def write_triples(triples: list, fmt: str) -> bytes:  # type: ignore[type-arg]
    import pyoxigraph as ox

    from hgap.ontology.vocab import PREFIXES  # plain data module, cheap

    rdf = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
           "jsonld": getattr(ox.RdfFormat, "JSON_LD", None), "rdfxml": ox.RdfFormat.RDF_XML}[fmt]
    if rdf is None:  # pragma: no cover - older pyoxigraph: JSON-LD through rdflib
        import rdflib

        g = rdflib.Graph()
        g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
        return g.serialize(format="json-ld", encoding="utf-8")
    if fmt == "turtle":
        return ox.serialize(triples, format=rdf, prefixes=PREFIXES)
    return ox.serialize(triples, format=rdf)



def _take(items: Iterable[Any], cap: int) -> tuple[list[Any], bool]:
    """Up to ``cap`` items, and whether more were left (the answer is then cut at the row cap)."""
    taken = list(itertools.islice(items, cap + 1))
    return taken[:cap], len(taken) > cap

def run_in_store(store, text: str, fmt: str, max_rows: int) -> tuple[bytes, bool]:  # type: ignore[no-untyped-def]
    """Run a checked query on a pyoxigraph store: (body, truncated)."""
    import pyoxigraph as ox

    from hgap.ontology.vocab import PREFIXES

    try:
        result = store.query(text, prefixes=PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            if fmt not in RESULT_FORMATS:
                fmt = "json"
            return write_ask(bool(result), fmt), False
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            solutions, truncated = _take(result, max_rows)
            rows = [[solution[v] for v in variables] for solution in solutions]
            return write_select(variables, rows, fmt if fmt in RESULT_FORMATS else "json"), truncated
        triples, truncated = _take(result, max_rows)
        return write_triples(triples, fmt if fmt in GRAPH_FORMATS else "turtle"), truncated
    except SyntaxError as error:
        raise QueryFailed(f"SPARQL syntax error: {error}") from None
    except (OSError, ValueError, TypeError) as error:
        raise QueryFailed(f"query failed: {error}") from None


# ----------------------------------------------------------------------------------------------------
# The worker processes.


def _worker_main(store_path: str) -> None:  # pragma: no cover - runs in the child
    """The child: read (query, format, max_rows) jobs on stdin, answer on the original stdout."""
    import sys
    from multiprocessing.connection import Connection

    import pyoxigraph as ox

    try:
        os.nice(10)  # long queries yield the CPU to the server's lookups
    except (AttributeError, OSError):  # pragma: no cover
        pass
    out_fd = os.dup(1)
    os.dup2(2, 1)  # anything printed goes to stderr, never into the answers
    reader = Connection(0, writable=False)
    writer = Connection(out_fd, readable=False)
    try:
        store = ox.Store.read_only(store_path)
    except Exception as error:  # noqa: BLE001 - reported to the parent
        writer.send(("dead", str(error)))
        sys.exit(1)
    writer.send(("ready", os.getpid()))
    while True:
        try:
            job = reader.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if job is None:
            return
        text, fmt, max_rows = job
        try:
            body, truncated = run_in_store(store, text, fmt, max_rows)
            writer.send(("ok", body, truncated))
        except (QueryFailed, Refused) as error:
            writer.send(("error", str(error)))
        except Exception as error:  # noqa: BLE001 - never let the worker die on a query
            writer.send(("error", f"query failed: {error}"))


class _Worker:
    """One worker process (``python -m hgap.webui.sparql_worker STORE``), talked to over its stdin/stdout
    (a subprocess, not multiprocessing, so that nothing of the server's ``__main__`` is re-run)."""

    def __init__(self, store_path: str) -> None:
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        self.process = subprocess.Popen(
            [sys.executable, "-m", "hgap.webui.sparql_worker", store_path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.to_child = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.from_child = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.ready = False

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if not self.from_child.poll(timeout):
            raise QueryTimeout("the SPARQL worker did not start in time")
        message = self.from_child.recv()
        if message[0] != "ready":
            raise QueryFailed(f"the SPARQL worker could not open the store: {message[1]}")
        self.ready = True

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.wait(5)
        except Exception:  # noqa: BLE001  # pragma: no cover
            pass
        for conn in (self.to_child, self.from_child):
            try:
                conn.close()
            except Exception:  # noqa: BLE001  # pragma: no cover
                pass


class WorkerPool:
    """A few worker processes over the store, each running one query at a time, killed at the time limit."""

    def __init__(self, store_path: str, size: int = 2, timeout: float = 10.0, max_rows: int = 10000,
                 start_timeout: float = 60.0) -> None:
        self.store_path = str(store_path)
        self.size = max(1, size)
        self.timeout = timeout
        self.max_rows = max_rows
        self.start_timeout = start_timeout
        self._idle: "queue.Queue[_Worker]" = queue.Queue()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self.killed = 0

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
            for _ in range(self.size):
                self._idle.put(_Worker(self.store_path))

    def run(self, text: str, fmt: str, timeout: float | None = None) -> tuple[bytes, bool]:
        if self._closed:
            raise QueryTimeout("the SPARQL service is shutting down")
        self.start()
        limit = self.timeout if timeout is None else timeout
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty:
            raise QueryTimeout(f"every SPARQL worker was busy for {limit:g} s; try again") from None
        healthy = False
        try:
            worker.wait_ready(self.start_timeout)
            worker.to_child.send((text, fmt, self.max_rows))
            if not worker.from_child.poll(limit):
                raise QueryTimeout(f"the query was stopped at its time limit of {limit:g} s")
            message = worker.from_child.recv()
            healthy = True
            if message[0] == "ok":
                return message[1], message[2]
            raise QueryFailed(message[1])
        except (EOFError, OSError, BrokenPipeError):
            raise QueryFailed("the SPARQL worker stopped unexpectedly; the query was not answered") from None
        finally:
            if healthy and worker.alive():
                self._idle.put(worker)
            else:
                self.killed += 1
                worker.kill()
                if not self._closed:
                    self._idle.put(_Worker(self.store_path))

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            try:
                worker.to_child.send(None)
            except Exception:  # noqa: BLE001
                pass
            worker.kill()


if __name__ == "__main__":  # pragma: no cover
    import sys

    _worker_main(sys.argv[1])

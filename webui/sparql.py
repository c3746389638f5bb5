"""``/sparql``: the SPARQL 1.1 Protocol for queries (read-only).

GET with ``query=``, POST urlencoded (``query=``) or POST ``application/sparql-query``. Results as JSON,
XML, CSV or TSV (SELECT/ASK) and Turtle, N-Triples, JSON-LD or RDF/XML (CONSTRUCT/DESCRIBE), chosen by
``format=`` (or ``output=``/``results=``) or else by the Accept header. Updates, SERVICE, FROM/FROM NAMED
and ``default-graph-uri``/``named-graph-uri`` are refused with a 400; a query past its time limit is
stopped (its worker process killed) and answered with a 503.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, request, url_for
from werkzeug.exceptions import BadRequest, ServiceUnavailable

from .sparql_worker import QueryFailed, QueryTimeout, Refused, WorkerPool, check_query, content_type, pick_format

bp = Blueprint("sparql", __name__)

MAX_QUERY = 100_000


def pool() -> WorkerPool:
    return current_app.extensions["hgap_pool"]


def run_query(text: str, requested_format: str | None, accept: list[tuple[str, float]]) -> tuple[bytes, str, bool]:
    """Check and run a query: (body, content type, truncated). Raises BadRequest / ServiceUnavailable."""
    if len(text) > MAX_QUERY:
        raise BadRequest(f"the query is longer than {MAX_QUERY:,} characters")
    try:
        checked = check_query(text)
        fmt = pick_format(checked, requested_format, accept)
        body, truncated = pool().run(checked.text, fmt)
    except (Refused, QueryFailed) as error:
        raise BadRequest(str(error)) from None
    except QueryTimeout as error:
        raise ServiceUnavailable(str(error)) from None
    return body, content_type(fmt), truncated


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    args = request.args
    form = request.form if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded" else {}
    if request.method == "POST" and request.mimetype == "application/sparql-update" or "update" in args or "update" in form:
        raise BadRequest("this endpoint is read-only: SPARQL updates are refused")
    for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
        if name in args or name in form:
            raise BadRequest(f"{name} is not allowed: the endpoint answers over its own default graph and never "
                             "loads graphs from other addresses")
    if request.method == "POST" and request.mimetype == "application/sparql-query":
        text = request.get_data(as_text=True)
    elif request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
        queries = request.form.getlist("query")
        if len(queries) != 1:
            raise BadRequest("give exactly one query= parameter")
        text = queries[0]
    elif request.method == "POST":
        raise BadRequest("POST the query as application/x-www-form-urlencoded (query=...) or as "
                         "application/sparql-query")
    else:
        queries = args.getlist("query")
        if not queries:
            if request.accept_mimetypes.best_match(["text/html", "application/json"]) == "text/html":
                return redirect(url_for("views.editor"))
            raise BadRequest("no query given: pass the SPARQL text as query=")
        if len(queries) != 1:
            raise BadRequest("give exactly one query= parameter")
        text = queries[0]
    requested = args.get("format") or args.get("output") or args.get("results") or \
        form.get("format") or form.get("output") or form.get("results")
    accept = list(request.accept_mimetypes) or [("*/*", 1.0)]
    body, ctype, truncated = run_query(text, requested, accept)
    response = Response(body, content_type=ctype)
    response.headers["Vary"] = "Accept"
    response.headers["Cache-Control"] = "no-store"
    if truncated:
        response.headers["HGAP-Truncated"] = str(current_app.config["SPARQL_MAX_ROWS"])
    return response

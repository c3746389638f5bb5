"""The JSON API, ``/api/v1/...``: lookup, suggest, complete, concept, category, gaps, clusters, impact,
flags and named queries. Errors are ``{"error": {"status": ..., "message": ...}}``."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import BadRequest, NotFound

from hgap.ontology.store import QueryError

from hgap.ontology.flags import FlagError
from .openapi import openapi_document
from .state import GAP_KINDS, GraphState

bp = Blueprint("api", __name__, url_prefix="/api")

MAX_PHRASE = 300


def state() -> GraphState:
    return current_app.extensions["hgap"]


def _phrase(name: str = "q") -> str:
    value = request.args.get(name, "")
    if not value.strip():
        raise BadRequest(f"parameter {name} is required: the phrase to look up")
    if len(value) > MAX_PHRASE:
        raise BadRequest(f"parameter {name}: longer than {MAX_PHRASE} characters")
    return value


def _int(name: str, default: int, lo: int, hi: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"parameter {name}: {raw!r} is not a whole number") from None
    if not lo <= value <= hi:
        raise BadRequest(f"parameter {name}: {value} is not between {lo} and {hi}")
    return value


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document(request.host_url.rstrip("/")))


@bp.get("/v1/lookup")
def lookup() -> Response:
    return jsonify(state().lookup(_phrase()))


@bp.get("/v1/suggest")
def suggest() -> Response:
    return jsonify(state().suggest(_phrase(), top=_int("top", 5, 1, 50)))


@bp.get("/v1/complete")
def complete() -> Response:
    q = request.args.get("q", "")
    if len(q) > MAX_PHRASE:
        raise BadRequest(f"parameter q: longer than {MAX_PHRASE} characters")
    response = jsonify({"q": q, "completions": state().complete(q, limit=_int("limit", 10, 1, 50)) if q.strip() else []})
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/v1/concepts/<concept_id>")
def concept(concept_id: str) -> Response:
    found = state().concept(concept_id)
    if found is None:
        raise NotFound(f"no concept {concept_id!r} in the graph")
    return jsonify(found)


@bp.get("/v1/categories/<category_id>")
def category(category_id: str) -> Response:
    found = state().category(category_id)
    if found is None:
        raise NotFound(f"no EHR category {category_id!r} in the graph")
    return jsonify(found)


@bp.get("/v1/expressions/<expression_id>")
def expression(expression_id: str) -> Response:
    if expression_id not in state().knowledge.expressions:
        raise NotFound(f"no expression {expression_id!r} in the graph")
    return jsonify(state().expression_chain(expression_id))


@bp.get("/v1/gaps")
def gaps() -> Response:
    kind = request.args.get("kind") or None
    if kind is not None and kind not in GAP_KINDS:
        raise BadRequest(f"parameter kind: {kind!r} is not one of {', '.join(GAP_KINDS)}")
    limit = _int("limit", 100, 1, 10000)
    offset = _int("offset", 0, 0, 10**7)
    rows = [g for g in state().gaps() if kind is None or g.get("kind") == kind]
    return jsonify({"kind": kind, "total": len(rows), "offset": offset, "gaps": rows[offset:offset + limit]})


@bp.get("/v1/clusters")
def clusters() -> Response:
    rows = state().clusters()
    limit = _int("limit", 100, 1, 10000)
    return jsonify({"total": len(rows), "clusters": rows[:limit]})


@bp.post("/v1/impact")
def impact() -> Response:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        body = request.form.to_dict()
    phrases = body.get("phrases")
    if phrases is None:
        phrases = [str(body.get("phrase") or body.get("expression_id") or "")]
    elif not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
        raise BadRequest("phrases: give a list of texts or expression ids")
    phrases = [p.strip() for p in phrases if p.strip()]
    concept_id = str(body.get("concept_id") or "").strip()
    new_concept_label = str(body.get("new_concept_label") or "").strip()
    if not phrases or not (concept_id or new_concept_label):
        raise BadRequest("give phrase (or phrases, or expression_id) and concept_id (or new_concept_label)")
    if len(phrases) > 100 or any(len(p) > MAX_PHRASE for p in phrases) or len(new_concept_label) > MAX_PHRASE:
        raise BadRequest(f"phrases: at most 100, each at most {MAX_PHRASE} characters, as the concept's label")
    predicate = str(body.get("predicate") or "skos:exactMatch")
    try:
        confidence = float(body.get("confidence", 0.9))
    except (TypeError, ValueError):
        raise BadRequest("confidence: not a number") from None
    try:
        return jsonify(state().impact(phrases, concept_id, predicate, confidence, new_concept_label,
                                      str(body.get("category_id") or "").strip()))
    except LookupError as error:
        raise NotFound(str(error)) from None
    except ValueError as error:
        raise BadRequest(str(error)) from None


@bp.get("/v1/flags")
def flags() -> Response:
    rows = state().flags.summary()
    return jsonify({"total": len(rows), "flags": rows})


@bp.post("/v1/flags")
def add_flag() -> Response:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        body = request.form.to_dict()
    try:
        record = state().flags.add(str(body.get("phrase", "")), str(body.get("note", "")), source="api")
    except FlagError as error:
        raise BadRequest(str(error)) from None
    count = state().flags.counts().get(record["key"], 0)
    response = jsonify({"flag": record, "count": count})
    response.status_code = 201
    return response


@bp.get("/v1/queries")
def queries() -> Response:
    from .views import named_queries

    return jsonify({"queries": [
        {"name": q.name, "title": q.title, "description": q.description, "fix": q.fix,
         "params": [{"name": p.name, "kind": p.kind, "doc": p.doc, "default": p.default} for p in q.params],
         "columns": list(q.columns), "text": q.text}
        for q in named_queries().values()]})


@bp.get("/v1/queries/<name>")
def run_query(name: str) -> Response:
    from hgap.ontology.queries import run_named

    from .views import named_queries

    queries = named_queries()
    if name not in queries:
        raise NotFound(f"no named query {name!r}; known: {', '.join(sorted(queries))}")
    params = {k: v for k, v in request.args.items() if v != ""}
    try:
        result = run_named(state().store, name, params, queries=queries)
    except QueryError as error:
        raise BadRequest(str(error)) from None
    return jsonify({"name": name, "params": params, "columns": list(result.columns),
                    "rows": [list(r) for r in result.rows]})


@bp.get("/v1/stats")
def stats() -> Response:
    return jsonify(state().stats())

"""The HTML pages: search and result (clinicians), gaps, clusters and bridge impact (terminology teams),
named queries and a query editor (informatics staff). Plain HTML forms; JavaScript only adds autocomplete."""
from __future__ import annotations

import json
from functools import lru_cache
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.exceptions import BadRequest, NotFound

from hgap.ontology.store import QueryError

from hgap.ontology.flags import FlagError
from .state import GAP_KINDS, GraphState
from .svg import chain_svg

bp = Blueprint("views", __name__)

MAX_PHRASE = 300
SHOW_SCORE = 0.2  # a suggested candidate below this is listed as "nearest", not drawn in the chain


def state() -> GraphState:
    return current_app.extensions["hgap"]


@lru_cache(maxsize=1)
def named_queries() -> dict:
    from hgap.ontology.queries import load_queries

    return load_queries()


def search_url(phrase: str) -> str:
    return url_for("views.search", q=phrase)


@bp.app_template_global()
def search_link(phrase: str) -> str:
    return search_url(phrase)


@bp.get("/")
def index() -> str:
    q = request.args.get("q", "")
    if q.strip():
        return redirect(search_url(q))  # type: ignore[return-value]
    return render_template("index.html", q="")


@bp.get("/search")
def search() -> str:
    q = request.args.get("q", "")
    if not q.strip():
        return redirect(url_for("views.index"))  # type: ignore[return-value]
    if len(q) > MAX_PHRASE:
        raise BadRequest(f"the phrase is longer than {MAX_PHRASE} characters")
    s = state()
    result = s.suggest(q, top=5)
    expressions = result["expressions"]
    mapped = [c for e in expressions for c in e["concepts"]]
    if mapped:  # the graph's own chain: the curated links of the expression
        # Recorded only under a broader or related concept, or with low confidence: a weak bridge, not known.
        status = "known" if any(c["strong"] for c in mapped) else "weak"
        chain = [{**c, "score": c["confidence"], "known": True, "evidence": [{"kind": "curated mapping", "text": e["text"],
                  "how": f"{c['predicate']} ({c['justification']})", "score": c["confidence"]}]}
                 for e in expressions for c in e["concepts"]]
    else:
        status = "gap" if result["unmapped_in_graph"] else result["status"]
        chain = [] if status == "gap" else [
            # A phrase known by a concept's name or phrasing is known for that concept (the first), not for
            # the broader ones shown after it.
            {"id": c["concept_id"], "label": c["concept_label"], "definition": c["definition"], "score": c["score"],
             "strong": True, "known": i == 0, "evidence": c["evidence"], "categories": c["categories"]}
            for i, c in enumerate(result["candidates"]) if i == 0 or c["score"] >= SHOW_SCORE][:3]
    # Merge suggester evidence into the curated chain's concepts.
    by_id = {c["concept_id"]: c for c in result["candidates"]}
    for c in chain:
        if c["id"] in by_id and mapped:
            c["evidence"] = c["evidence"] + [e for e in by_id[c["id"]]["evidence"] if e["kind"] != "parent_of_match"]
    chain_ids = {c["id"] for c in chain}
    nearest = [c for c in result["candidates"] if c["concept_id"] not in chain_ids
               and (status == "gap" or c["score"] >= 0.01)]
    similar = []
    seen = {q.casefold()}
    for c in result["candidates"]:
        for e in c["evidence"]:
            if e["kind"] in ("known_expression", "layperson_synonym", "inclusion_term", "synonym") and \
                    e["text"].casefold() not in seen:
                seen.add(e["text"].casefold())
                similar.append({"text": e["text"], "concept_id": c["concept_id"], "label": c["concept_label"],
                                "kind": e["kind"], "score": e["score"]})
    svg = Markup(chain_svg(q, chain)) if chain else None
    # The codes that name the phrase are news only where the chain drawn does not reach them already.
    # (A curated chain's categories carry "id", the suggester's "category_id".)
    reached = {g.get("id") or g.get("category_id") for c in chain for g in c.get("categories", ())}
    named = [n for n in result["named_categories"] if n["category_id"] not in reached]
    return render_template("result.html", q=q, status=status, result=result, chain=chain, nearest=nearest,
                           similar=similar[:6], svg=svg, named=named, flagged=request.args.get("flagged") == "1",
                           # the graph's own placement stands for a recorded phrase; the gap model's guess is not asked
                           show_likelihood=status != "known")


@bp.post("/flag")
def flag() -> Response:
    phrase = request.form.get("phrase", "")
    try:
        state().flags.add(phrase, request.form.get("note", ""), source="web")
    except FlagError as error:
        raise BadRequest(str(error)) from None
    return redirect(url_for("views.search", q=phrase, flagged=1), code=303)


@bp.get("/concept/<concept_id>")
def concept(concept_id: str) -> str:
    found = state().concept(concept_id)
    if found is None:
        raise NotFound(f"There is no concept {concept_id} in the graph.")
    return render_template("concept.html", c=found)


@bp.get("/category/<category_id>")
def category(category_id: str) -> str:
    found = state().category(category_id)
    if found is None:
        raise NotFound(f"There is no EHR category {category_id} in the graph.")
    return render_template("category.html", c=found)


# -- terminology teams


@bp.get("/gaps")
def gaps() -> str:
    kind = request.args.get("kind") or ""
    if kind and kind not in GAP_KINDS:
        raise BadRequest(f"kind must be one of {', '.join(GAP_KINDS)}")
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        raise BadRequest("page must be a whole number") from None
    all_rows = state().gaps()
    counts = {k: sum(1 for g in all_rows if g.get("kind") == k) for k in GAP_KINDS}
    rows = [g for g in all_rows if not kind or g.get("kind") == kind]
    per = 50
    shown = rows[(page - 1) * per: page * per]
    return render_template("gaps.html", rows=shown, kind=kind, kinds=GAP_KINDS, counts=counts, total=len(rows),
                           page=page, pages=max(1, (len(rows) + per - 1) // per), offset=(page - 1) * per,
                           flags=state().flags.summary()[:20])


@bp.get("/gaps/clusters")
def clusters() -> str:
    return render_template("clusters.html", clusters=state().clusters())


@bp.route("/gaps/impact", methods=["GET", "POST"])
def impact() -> str:
    form = request.form if request.method == "POST" else request.args
    # One phrase per line ("phrases", as the clusters page links here), or one ("phrase").
    phrases = form.get("phrases") or form.get("phrase", "")
    concept_id = form.get("concept_id", "")
    new_concept_label = form.get("new_concept_label", "")
    category_id = form.get("category_id", "")
    predicate = form.get("predicate", "skos:exactMatch")
    result, error = None, None
    if request.method == "POST":
        try:
            confidence = float(form.get("confidence", "0.9") or 0.9)
            result = state().impact(phrases.splitlines()[:100], concept_id.strip(), predicate, confidence,
                                    new_concept_label.strip()[:300], category_id.strip())
        except (LookupError, ValueError) as exc:
            error = str(exc)
    return render_template("impact.html", phrases=phrases, concept_id=concept_id, new_concept_label=new_concept_label,
                           category_id=category_id, predicate=predicate, result=result, error=error,
                           result_json=json.dumps(result["impact"], indent=2, ensure_ascii=False) if result else "")


# -- informatics staff


@bp.get("/queries")
def queries() -> str:
    return render_template("queries.html", queries=named_queries())


@bp.get("/queries/<name>")
def query(name: str) -> str:
    from hgap.ontology.queries import run_named

    queries = named_queries()
    if name not in queries:
        raise NotFound(f"There is no named query {name}.")
    q = queries[name]
    values = {p.name: request.args.get(p.name, "") for p in q.params}
    result, error = None, None
    if request.args.get("run"):
        try:
            result = run_named(state().store, name, {k: v for k, v in values.items() if v != ""}, queries=queries)
        except QueryError as exc:
            error = str(exc)
    editor_url = url_for("views.editor") + "?" + urlencode({"query": q.text})
    return render_template("query.html", q=q, values=values, result=result, error=error, editor_url=editor_url)


@bp.get("/queries/editor")
def editor() -> str:
    from .sparql import run_query

    text = request.args.get("query", "")
    columns, rows, error, truncated, raw, boolean = [], [], None, False, None, None
    if text.strip():
        try:
            body, ctype, truncated = run_query(text, "json", [])
            if ctype.startswith("application/sparql-results+json"):
                data = json.loads(body)
                if "boolean" in data:
                    boolean = data["boolean"]
                else:
                    columns = data["head"]["vars"]
                    rows = [[b.get(v, {}).get("value", "") for v in columns] for b in data["results"]["bindings"]]
            else:
                raw = body.decode("utf-8")
        except Exception as exc:  # noqa: BLE001 - BadRequest / ServiceUnavailable: shown on the page
            error = getattr(exc, "description", None) or str(exc)
    example = ("SELECT ?expression ?text WHERE {\n  ?expression a hgap:PatientExpression ; rdfs:label ?text .\n}\n"
               "LIMIT 20")
    return render_template("editor.html", text=text or example, ran=bool(text.strip()), columns=columns, rows=rows,
                           error=error, truncated=truncated, raw=raw, boolean=boolean,
                           max_rows=current_app.config["SPARQL_MAX_ROWS"],
                           timeout=current_app.config["SPARQL_TIMEOUT_S"])

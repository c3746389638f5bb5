"""The app factory: ``create_app(config)`` loads the current build once and registers the search pages,
the gaps pages, the JSON API (``/api/v1``) and the SPARQL endpoint (``/sparql``).

Config keys (all optional): ``HGAP_HOME`` (the hgap home; default :func:`hgap_home`), ``FLAGS_PATH``
(default ``<home>/flags.jsonl``), ``SPARQL_TIMEOUT_S`` (10), ``SPARQL_MAX_ROWS`` (10000),
``EMBEDDINGS`` (None: the optional embedding model to suggest with, ``"static"`` or ``"sentence"``; True or
yes means ``"static"``), ``SPARQL_WORKERS`` (2), ``SPARQL_START_WORKERS`` (start the worker processes now rather than on the
first query) and ``WARM_CACHES`` (compute the gap ranking and clusters in the background at start); the
server sets both, tests don't.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from hgap.graph.embeddings import embeddings_setting
from hgap.ontology.build import hgap_home, load

from hgap.ontology.flags import FlagStore, flags_path
from .sparql_worker import WorkerPool
from .state import GraphState, store_path

DEFAULTS: dict[str, Any] = {
    "SPARQL_TIMEOUT_S": 10.0,
    "SPARQL_MAX_ROWS": 10000,
    "SPARQL_WORKERS": 2,
    "SPARQL_START_WORKERS": False,
    "JSON_SORT_KEYS": False,
    "MAX_CONTENT_LENGTH": 1 << 20,
}

log = logging.getLogger("hgap.webui")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    home = Path(app.config.get("HGAP_HOME") or hgap_home())
    app.config["HGAP_HOME"] = str(home)
    flags_file = Path(app.config.get("FLAGS_PATH") or flags_path(home))
    app.config["FLAGS_PATH"] = str(flags_file)

    loaded = load(home)
    state = GraphState(loaded, FlagStore(flags_file), embeddings=embeddings_setting(app.config.get("EMBEDDINGS")))
    pool = WorkerPool(store_path(loaded), size=int(app.config["SPARQL_WORKERS"]),
                      timeout=float(app.config["SPARQL_TIMEOUT_S"]), max_rows=int(app.config["SPARQL_MAX_ROWS"]))
    if app.config["SPARQL_START_WORKERS"]:
        pool.start()
    if app.config.get("WARM_CACHES"):
        threading.Thread(target=state.warm, name="hgap-warm", daemon=True).start()
    app.extensions["hgap"] = state
    app.extensions["hgap_pool"] = pool

    from . import api, sparql, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(sparql.bp)
    _register_errors(app)

    @app.context_processor
    def _globals() -> dict:
        return {"graph_stats": state.stats()}

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
        return response

    return app


def wants_json() -> bool:
    path = request.path
    if path.startswith("/api/") or path.startswith("/sparql"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def error_response(status: int, message: str) -> Response:
    """A JSON error for the API and the endpoint, a plain page for people; never a stack trace."""
    if wants_json():
        response = jsonify({"error": {"status": status, "message": message}})
    else:
        response = Response(render_template("error.html", status=status, message=message), mimetype="text/html")
    response.status_code = status
    return response


def _register_errors(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        response = error_response(error.code or 500, error.description or error.name)
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _any(error: Exception) -> Response:
        if isinstance(error, HTTPException):  # pragma: no cover - handled above
            return _http(error)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, InternalServerError.description)

"""The OpenAPI document is valid and matches the /api routes exactly."""
from __future__ import annotations

import re



def _routes(app) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    out = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            out.add((path, method.lower()))
    return out


def test_openapi_is_valid(client) -> None:
    from openapi_spec_validator import validate

    doc = client.get("/api/openapi.json").json
    validate(doc)


def test_openapi_matches_routes(client, app) -> None:
    doc = client.get("/api/openapi.json").json
    documented = {(path, method) for path, item in doc["paths"].items() for method in item
                  if method in ("get", "post", "put", "patch", "delete")}
    assert documented == _routes(app)

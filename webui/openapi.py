"""The OpenAPI 3 document of the JSON API, served at ``/api/openapi.json`` (tests check it matches the
routes: every ``/api`` route is documented and every documented path is a route).

>>> doc = openapi_document("http://127.0.0.1:8000")
>>> doc["openapi"], "/api/v1/suggest" in doc["paths"]
('3.0.3', True)
"""
from __future__ import annotations

from typing import Any


def _q(name: str, description: str, required: bool = False, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or {"type": "string"}}


def _path(name: str, description: str, example: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "string"}, "example": example}


def _ok(description: str, schema: str | dict) -> dict:
    ref = {"$ref": f"#/components/schemas/{schema}"} if isinstance(schema, str) else schema
    return {"description": description, "content": {"application/json": {"schema": ref}}}


_ERR = {"$ref": "#/components/responses/Error"}

OBJ: dict = {"type": "object", "additionalProperties": True}


def openapi_document(server: str = "") -> dict[str, Any]:
    phrase = _q("q", "the patient phrase", True, {"type": "string", "maxLength": 300})
    paths: dict[str, Any] = {
        "/api/openapi.json": {"get": {
            "summary": "This document", "operationId": "openapi", "tags": ["meta"],
            "responses": {"200": _ok("the OpenAPI document", OBJ)}}},
        "/api/v1/lookup": {"get": {
            "summary": "Exact lookup of a phrase", "operationId": "lookup", "tags": ["search"],
            "description": "Expressions, concept labels and synonyms, category titles and inclusion terms whose "
                           "text equals the phrase after folding case, punctuation and spelling.",
            "parameters": [phrase],
            "responses": {"200": _ok("the matches", "Lookup"), "400": _ERR}}},
        "/api/v1/suggest": {"get": {
            "summary": "Suggest the concepts a phrase may express", "operationId": "suggest", "tags": ["search"],
            "description": "The same answer as `hgap suggest --format json`, with each candidate's definition "
                           "and EHR categories, the graph's expressions equal to the phrase and its flag count.",
            "parameters": [phrase, _q("top", "candidates to return (1-50, default 5)", False,
                                      {"type": "integer", "minimum": 1, "maximum": 50, "default": 5})],
            "responses": {"200": _ok("the suggestion", "Suggestion"), "400": _ERR}}},
        "/api/v1/complete": {"get": {
            "summary": "Autocomplete", "operationId": "complete", "tags": ["search"],
            "parameters": [_q("q", "what has been typed so far"),
                           _q("limit", "entries to return (1-50, default 10)", False,
                              {"type": "integer", "minimum": 1, "maximum": 50, "default": 10})],
            "responses": {"200": _ok("completions, exact matches first", "Completions"), "400": _ERR}}},
        "/api/v1/concepts/{concept_id}": {"get": {
            "summary": "A clinical concept", "operationId": "concept", "tags": ["records"],
            "parameters": [_path("concept_id", "a concept CURIE", "HP:0003401")],
            "responses": {"200": _ok("the concept with its categories and expressions", "Concept"), "404": _ERR}}},
        "/api/v1/categories/{category_id}": {"get": {
            "summary": "An EHR category", "operationId": "category", "tags": ["records"],
            "parameters": [_path("category_id", "an ICD-10-CM or ROS CURIE", "ICD10CM:R20.2")],
            "responses": {"200": _ok("the category with its concepts", "Category"), "404": _ERR}}},
        "/api/v1/expressions/{expression_id}": {"get": {
            "summary": "A patient expression and its chain", "operationId": "expression", "tags": ["records"],
            "parameters": [_path("expression_id", "an expression CURIE", "HGAPEX:0001")],
            "responses": {"200": _ok("the expression → concepts → categories", "Expression"), "404": _ERR}}},
        "/api/v1/gaps": {"get": {
            "summary": "Gaps ranked by impact (flags counted)", "operationId": "gaps", "tags": ["gaps"],
            "parameters": [
                _q("kind", "only gaps of this kind", False, {"type": "string", "enum": [
                    "unmapped_expression", "uncodable_concept", "weak_bridge", "stranded_category"]}),
                _q("limit", "rows to return (default 100)", False, {"type": "integer", "minimum": 1, "maximum": 10000}),
                _q("offset", "rows to skip", False, {"type": "integer", "minimum": 0})],
            "responses": {"200": _ok("the gaps", "Gaps"), "400": _ERR}}},
        "/api/v1/clusters": {"get": {
            "summary": "Clusters of gap phrasing", "operationId": "clusters", "tags": ["gaps"],
            "parameters": [_q("limit", "clusters to return", False, {"type": "integer", "minimum": 1})],
            "responses": {"200": _ok("the clusters with size, representative and nearest concepts", "Clusters"),
                          "400": _ERR}}},
        "/api/v1/impact": {"post": {
            "summary": "The impact of a candidate bridge", "operationId": "impact", "tags": ["gaps"],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/BridgeRequest"}},
                "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/BridgeRequest"}}}},
            "responses": {"200": _ok("what the mapping would change", OBJ), "400": _ERR, "404": _ERR}}},
        "/api/v1/flags": {
            "get": {"summary": "Flagged phrases with their counts", "operationId": "listFlags", "tags": ["flags"],
                    "responses": {"200": _ok("the flags", "Flags")}},
            "post": {"summary": "Flag a phrase as reaching no concept", "operationId": "addFlag", "tags": ["flags"],
                     "requestBody": {"required": True, "content": {
                         "application/json": {"schema": {"$ref": "#/components/schemas/FlagRequest"}},
                         "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/FlagRequest"}}}},
                     "responses": {"201": _ok("the stored flag and the phrase's count", OBJ), "400": _ERR}}},
        "/api/v1/queries": {"get": {
            "summary": "The named SPARQL queries", "operationId": "listQueries", "tags": ["sparql"],
            "responses": {"200": _ok("name, title, description, parameters and text of each", OBJ)}}},
        "/api/v1/queries/{name}": {"get": {
            "summary": "Run a named query", "operationId": "runQuery", "tags": ["sparql"],
            "description": "Query-string parameters are the query's parameters, bound as RDF terms.",
            "parameters": [_path("name", "the query's name", "lookup_exact")],
            "responses": {"200": _ok("columns and rows", "Table"), "400": _ERR, "404": _ERR}}},
        "/api/v1/stats": {"get": {
            "summary": "Figures of the loaded build", "operationId": "stats", "tags": ["meta"],
            "responses": {"200": _ok("counts from the build manifest", OBJ)}}},
    }
    schemas = {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["status", "message"],
            "properties": {"status": {"type": "integer"}, "message": {"type": "string"}}}}},
        "Evidence": {"type": "object", "properties": {
            "kind": {"type": "string"}, "text": {"type": "string"}, "how": {"type": "string"},
            "score": {"type": "number"}}},
        "CategoryLink": {"type": "object", "properties": {
            "id": {"type": "string"}, "label": {"type": "string"}, "kind": {"type": "string"},
            "icd10cm": {"type": "boolean"}, "predicate": {"type": "string"}, "justification": {"type": "string"},
            "confidence": {"type": "number"}, "review_status": {"type": "string"}, "strong": {"type": "boolean"}}},
        "Candidate": {"type": "object", "properties": {
            "rank": {"type": "integer"}, "concept_id": {"type": "string"}, "concept_label": {"type": "string"},
            "score": {"type": "number"}, "definition": {"type": "string"},
            "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}},
            "categories": {"type": "array", "items": {"$ref": "#/components/schemas/CategoryLink"}}}},
        "Suggestion": {"type": "object", "required": ["phrase", "status", "candidates"], "properties": {
            "phrase": {"type": "string"},
            "status": {"type": "string", "enum": ["known", "suggested", "gap"]},
            "candidates": {"type": "array", "items": {"$ref": "#/components/schemas/Candidate"}},
            "expressions": {"type": "array", "items": {"$ref": "#/components/schemas/Expression"}},
            "unmapped_in_graph": {"type": "boolean"}, "flags": {"type": "integer"},
            "similar_gaps": {"type": "array", "description": "for a gap: known unplaced patient phrasings that resemble it",
                             "items": {"type": "object", "required": ["text", "score"], "properties": {
                                 "text": {"type": "string"}, "score": {"type": "number"}}}},
            "named_categories": {"type": "array", "description": "EHR categories whose own title or inclusion term "
                                 "is the phrase (same words after normalisation) and that its first concept does not "
                                 "reach: a code even where no concept fits",
                                 "items": {"type": "object", "required": ["category_id", "label", "matched"], "properties": {
                                     "category_id": {"type": "string"}, "label": {"type": "string"},
                                     "matched": {"type": "string"}}}},
            "gap_likelihood": {"type": "number", "nullable": True, "description": "when the fitted gap decision chose "
                               "between suggested and gap: its estimate that no concept fits"},
            "gap_threshold": {"type": "number", "nullable": True, "description": "the likelihood from which it calls a gap"},
            "read_as": {"type": "string", "nullable": True, "description": "the phrase as read, when an idiom was read "
                        "as what it says (\"ending it all\": suicidal ideation) or when it happened left out (\"this "
                        "morning\"); else null"},
            "left_out": {"type": "array", "items": {"type": "string"}, "description": "the words that reading set "
                         "aside as no part of the experience: when it happened, the medicine it came with (\"after "
                         "taking statins\"); empty if none"},
            "absent": {"type": "boolean", "description": "the phrase says its first concept is absent (\"no fever\", "
                       "\"I don't have a headache\"): to record as negated, not as a finding"},
            "parts": {"type": "array", "description": "when the phrase lists several experiences, each a name or "
                      "recorded phrasing of a concept of its own (\"I've had headaches and I feel sick\"): each part "
                      "with its concept, in the order said (the candidates start with them); else empty",
                      "items": {"type": "object", "properties": {
                          "phrase": {"type": "string"}, "status": {"type": "string"}, "concept_id": {"type": "string"},
                          "concept_label": {"type": "string"}, "score": {"type": "number"},
                          "absent": {"type": "boolean"}}}}}},
        "Lookup": {"type": "object", "properties": {
            "phrase": {"type": "string"}, "found": {"type": "boolean"},
            "matches": {"type": "array", "items": OBJ}}},
        "Completions": {"type": "object", "properties": {
            "q": {"type": "string"}, "completions": {"type": "array", "items": {"type": "object", "properties": {
                "text": {"type": "string"}, "concept_id": {"type": "string"}, "label": {"type": "string"},
                "matched": {"type": "string"}, "scope": {"type": "string"}}}}}},
        "Concept": {"type": "object", "properties": {
            "id": {"type": "string"}, "label": {"type": "string"}, "definition": {"type": "string"},
            "synonyms": {"type": "array", "items": OBJ},
            "categories": {"type": "array", "items": {"$ref": "#/components/schemas/CategoryLink"}},
            "expressions": {"type": "array", "items": OBJ}}},
        "Category": {"type": "object", "properties": {
            "id": {"type": "string"}, "label": {"type": "string"}, "kind": {"type": "string"},
            "inclusion_terms": {"type": "array", "items": {"type": "string"}},
            "concepts": {"type": "array", "items": OBJ}}},
        "Expression": {"type": "object", "properties": {
            "id": {"type": "string"}, "text": {"type": "string"}, "report_count": {"type": "integer"},
            "flags": {"type": "integer"}, "concepts": {"type": "array", "items": OBJ}}},
        "Gaps": {"type": "object", "properties": {
            "kind": {"type": "string", "nullable": True}, "total": {"type": "integer"},
            "offset": {"type": "integer"}, "gaps": {"type": "array", "items": {"type": "object", "properties": {
                "kind": {"type": "string"}, "subject_id": {"type": "string"}, "label": {"type": "string"},
                "impact": {"type": "number"}, "reasons": {"type": "array", "items": {"type": "string"}}},
                "additionalProperties": True}}}},
        "Clusters": {"type": "object", "properties": {
            "total": {"type": "integer"}, "clusters": {"type": "array", "items": {"type": "object", "properties": {
                "named_categories": {"type": "array", "description": "EHR categories whose own title or inclusion "
                                     "term names phrases of the cluster (matched): the experience already has a code",
                                     "items": {"type": "object", "properties": {
                                         "category_id": {"type": "string"}, "label": {"type": "string"},
                                         "matched": {"type": "array", "items": {"type": "string"}}}}}}}}}},
        "Flags": {"type": "object", "properties": {
            "total": {"type": "integer"}, "flags": {"type": "array", "items": {"type": "object", "properties": {
                "phrase": {"type": "string"}, "key": {"type": "string"}, "count": {"type": "integer"},
                "notes": {"type": "array", "items": {"type": "string"}}}}}}},
        "FlagRequest": {"type": "object", "required": ["phrase"], "properties": {
            "phrase": {"type": "string", "maxLength": 300}, "note": {"type": "string", "maxLength": 1000}}},
        "BridgeRequest": {"type": "object", "properties": {
            "phrase": {"type": "string", "description": "an expression's text or id"},
            "phrases": {"type": "array", "items": {"type": "string"}, "maxItems": 100,
                        "description": "several expressions (texts or ids), instead of phrase"},
            "concept_id": {"type": "string", "description": "an existing concept (or give new_concept_label)"},
            "new_concept_label": {"type": "string", "description": "a new concept to measure, by its label"},
            "category_id": {"type": "string", "description": "an EHR category to map the concept to (exactMatch)"},
            "predicate": {"type": "string", "default": "skos:exactMatch"},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.9}}},
        "Table": {"type": "object", "properties": {
            "name": {"type": "string"}, "columns": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": {"type": "array", "items": {"type": "string", "nullable": True}}}}},
    }
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "hgap API", "version": "1",
                 "description": "Patient language → clinical concepts → EHR categories: lookup, suggestions, "
                                "gaps and flags. The SPARQL 1.1 endpoint is at /sparql."},
        "paths": paths,
        "components": {"schemas": schemas, "responses": {"Error": {
            "description": "an error, never a stack trace",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}},
    }
    if server:
        doc["servers"] = [{"url": server}]
    return doc

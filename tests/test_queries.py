"""Each named query answers correctly on the fixture graph; parameters are bound, never pasted."""
from __future__ import annotations

import pytest

import fixture_ids as ids
from hgap.cli import main
from hgap.ontology.build import LoadedGraph
from hgap.ontology.queries import load_queries, run_named
from hgap.ontology.store import QueryError
from hgap.ontology.vocab import contract


def curies(rows: list[tuple], column: int) -> set[str]:
    return {contract(r[column]) for r in rows if r[column]}


def test_every_query_file_has_the_robot_header() -> None:
    queries = load_queries()
    assert len(queries) >= 7
    for q in queries.values():
        assert q.title and q.description and q.fix and q.columns, q.name


def test_lookup_exact_ignores_case(fixture_graph: LoadedGraph) -> None:
    result = run_named(fixture_graph.store, "lookup_exact", {"text": "PINS AND NEEDLES"})
    found = {(r[1], contract(r[2])) for r in result.rows}
    assert ("expression", ids.PINS_AND_NEEDLES) in found
    assert ("concept synonym", ids.PARESTHESIA) in found
    assert ("ICD-10-CM inclusion term", ids.R20_2_PARESTHESIA) in found


def test_lookup_contains(fixture_graph: LoadedGraph) -> None:
    result = run_named(fixture_graph.store, "lookup_contains", {"text": "buzz"})
    assert curies(result.rows, 2) == {ids.BRAIN_BUZZING, ids.BODY_BUZZING}


def test_parameters_are_bound_not_pasted(fixture_graph: LoadedGraph) -> None:
    hostile = 'x")) } UNION { ?subject ?p ?name } #'
    assert run_named(fixture_graph.store, "lookup_exact", {"text": hostile}).rows == []


def test_expression_chain(fixture_graph: LoadedGraph) -> None:
    result = run_named(fixture_graph.store, "expression_chain", {"expression": ids.PINS_AND_NEEDLES})
    assert curies(result.rows, 2) == {ids.PARESTHESIA}
    assert {ids.R20_2_PARESTHESIA, "ROS:neurological"} <= curies(result.rows, 6)


def test_unmapped_expressions_are_the_gaps(fixture_graph: LoadedGraph) -> None:
    result = run_named(fixture_graph.store, "unmapped_expressions")
    assert curies(result.rows, 0) == ids.UNMAPPED_EXPRESSIONS | {ids.CREEPY_CRAWLY_LEGS}
    assert result.rows[0][1] == "brain zaps"  # most reported first


def test_concepts_without_category(fixture_graph: LoadedGraph) -> None:
    result = run_named(fixture_graph.store, "concepts_without_category")
    assert curies(result.rows, 0) == {ids.RESTLESS_LEGS}


def test_mappings_by_justification_and_confidence(fixture_graph: LoadedGraph) -> None:
    result = run_named(fixture_graph.store, "mappings_by_justification",
                       {"justification": "semapv:LexicalMatching", "min_confidence": "0.85"})
    pairs = {(contract(r[2]), contract(r[5])) for r in result.rows}
    assert (ids.MIGRAINE, ids.G43_9_MIGRAINE) in pairs
    assert (ids.VERTIGO, ids.R42_DIZZINESS) not in pairs  # 0.8: below the bar
    assert all(float(r[7]) >= 0.85 for r in result.rows)


def test_counts_per_source(fixture_graph: LoadedGraph) -> None:
    counts = {contract(r[0]): int(r[4]) for r in run_named(fixture_graph.store, "counts_per_source").rows}
    assert counts["HGAPS:hpo"] == 21
    assert counts["HGAPS:expressions"] == 40
    assert counts["HGAPS:expression-mappings"] == 32
    assert counts["HGAPS:crosswalk"] == 9


def test_bad_parameters_get_clear_errors(fixture_graph: LoadedGraph) -> None:
    with pytest.raises(QueryError, match="parameter text is required"):
        run_named(fixture_graph.store, "lookup_exact", {})
    with pytest.raises(QueryError, match="unknown parameter"):
        run_named(fixture_graph.store, "lookup_exact", {"text": "x", "colour": "red"})
    with pytest.raises(QueryError, match="not a number"):
        run_named(fixture_graph.store, "mappings_by_justification", {"min_confidence": "lots"})


def test_cli_query_prints_a_table(fixture_home, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("HGAP_HOME", str(fixture_home))
    assert main(["query", "unmapped_expressions", "--format", "tsv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split("\t") == ["expression", "text", "report_count", "concept"]
    assert out[1].startswith("HGAPEX:0034\tbrain zaps\t12")
    assert main(["query", "no_such_query"]) == 2
    assert "no query named 'no_such_query'" in capsys.readouterr().err

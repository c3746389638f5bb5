"""The impact of a proposed bridge, computed on a copy of the graph."""
from __future__ import annotations

import networkx as nx
import pytest
from fixture_ids import (
    BRAIN_BUZZING, BRAIN_ZAPS, CHEST_FEELS_TIGHT, CHEST_PAIN, CREEPY_CRAWLY_LEGS, HAVING_A_FIT, LIMBS,
    PARESTHESIA, R20_2_PARESTHESIA, RESTLESS_LEGS, ROS_NEUROLOGICAL, SEIZURE,
)

from hgap.graph import gaps
from hgap.graph.impact import bridge_impact, with_bridges
from hgap.graph.projection import project
from hgap.ontology.model import Concept, Knowledge, Mapping

MANUAL = "semapv:ManualMappingCuration"
X = Concept("HGAPC:0001", "Brain zaps", parents=(PARESTHESIA,))
BRAIN_ZAPS_TO_R20_2 = [
    Mapping(BRAIN_ZAPS, "skos:exactMatch", X.id, MANUAL, 0.9),
    Mapping(BRAIN_BUZZING, "skos:closeMatch", X.id, MANUAL, 0.85),
    Mapping(X.id, "skos:broadMatch", R20_2_PARESTHESIA, MANUAL, 0.8),
]


@pytest.fixture(scope="module")
def G(fixture_knowledge: Knowledge) -> nx.DiGraph:
    return project(fixture_knowledge)


def snapshot(G: nx.DiGraph) -> tuple:  # type: ignore[type-arg]
    return (dict(G.nodes(data=True)), sorted((u, v, tuple(sorted(d.items()))) for u, v, d in G.edges(data=True)))


def test_a_new_concept_coded_as_r20_2(G: nx.DiGraph) -> None:
    before = snapshot(G)
    impact = bridge_impact(G, BRAIN_ZAPS_TO_R20_2, [X])
    assert impact.expressions_bridged == (BRAIN_BUZZING, BRAIN_ZAPS)
    assert impact.reports_bridged == 17
    assert impact.categories_newly_reached == ()  # pins and needles reaches R20.2 already
    assert impact.gaps_before["unmapped_expression"] == 9 and impact.gaps_after["unmapped_expression"] == 7
    assert impact.gaps_closed == 2
    assert snapshot(G) == before and X.id not in G  # the graph is as it was


def test_a_crosswalk_for_an_uncodable_concept(G: nx.DiGraph) -> None:
    impact = bridge_impact(G, [Mapping(RESTLESS_LEGS, "skos:broadMatch", ROS_NEUROLOGICAL, MANUAL, 0.9)])
    assert impact.expressions_bridged == (CREEPY_CRAWLY_LEGS,) and impact.reports_bridged == 1
    assert impact.concepts_newly_codable == (RESTLESS_LEGS,)
    # ICD-10-CM only: Seizure → R20.2 is clinically wrong but shows the mechanism on the fixture's codes.
    icd = bridge_impact(G, [Mapping(SEIZURE, "skos:exactMatch", R20_2_PARESTHESIA, MANUAL, 0.9)],
                        category_kinds="icd10cm")
    assert icd.expressions_bridged == (HAVING_A_FIT,) and icd.concepts_newly_codable == (SEIZURE,)


def test_strengthening_a_weak_bridge(G: nx.DiGraph) -> None:
    impact = bridge_impact(G, [Mapping(CHEST_FEELS_TIGHT, "skos:closeMatch", CHEST_PAIN, "semapv:MappingReview", 0.9)])
    assert impact.weak_bridges_strengthened == (CHEST_FEELS_TIGHT,) and impact.expressions_bridged == ()
    assert impact.gaps_after["weak_bridge"] == impact.gaps_before["weak_bridge"] - 1


def test_with_bridges_is_a_faithful_copy(G: nx.DiGraph) -> None:
    before = snapshot(G)
    H = with_bridges(G, BRAIN_ZAPS_TO_R20_2, [X])
    reference = G.copy()
    reference.add_node(X.id, kind="concept", label=X.label, synonyms=(), proposed=True)
    reference.add_edge(X.id, PARESTHESIA, kind="is_a")
    from hgap.graph.projection import add_mappings

    add_mappings(reference, BRAIN_ZAPS_TO_R20_2)
    assert snapshot(H) == snapshot(reference)
    assert snapshot(G) == before
    assert [g.subject_id for g in gaps.all_gaps(H)] == [g.subject_id for g in gaps.all_gaps(reference)]


def test_bad_proposals_are_refused(G: nx.DiGraph) -> None:
    with pytest.raises(ValueError, match="must go expression → concept or concept → category"):
        bridge_impact(G, [Mapping(BRAIN_ZAPS, "skos:exactMatch", "HGAPC:9", MANUAL)])
    with pytest.raises(ValueError, match="must go expression"):
        bridge_impact(G, [Mapping(BRAIN_ZAPS, "skos:exactMatch", R20_2_PARESTHESIA, MANUAL)])
    with pytest.raises(ValueError, match="already"):
        bridge_impact(G, [], [Concept(LIMBS, "Limbs again")])
    with pytest.raises(ValueError, match="parent"):
        bridge_impact(G, [], [Concept("HGAPC:2", "Orphan", parents=("HP:404",))])


def test_cli_impact(fixture_home, monkeypatch, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from hgap.cli import main

    monkeypatch.setenv("HGAP_HOME", str(fixture_home))
    args = ["impact", "--concept", X.id, X.label, "--parent", X.id, PARESTHESIA,
            "--mapping", BRAIN_ZAPS, "skos:exactMatch", X.id, "--mapping", BRAIN_BUZZING, "skos:closeMatch", X.id,
            "--mapping", X.id, "skos:broadMatch", R20_2_PARESTHESIA]
    assert main(args) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["what", "number", "detail"]
    assert lines[2].split()[:3] == ["expressions", "bridged", "2"] and "'brain zaps'" in lines[2]
    assert lines[3].split() == ["reports", "bridged", "17"]
    assert "gaps: unmapped_expression       7  9 before (-2)" in out
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)[0]
    assert data["expressions_bridged"] == [BRAIN_BUZZING, BRAIN_ZAPS] and data["reports_bridged"] == 17

    sssom = tmp_path / "proposal.sssom.tsv"
    sssom.write_text(
        "#mapping_set_id: https://w3id.org/hgap/mappings/proposal\n"
        "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\tconfidence\n"
        f"{RESTLESS_LEGS}\tRestless legs\tskos:broadMatch\t{ROS_NEUROLOGICAL}\tNeurological\t{MANUAL}\t0.9\n",
        encoding="utf-8")
    assert main(["impact", "--mappings", str(sssom), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)[0]
    assert data["expressions_bridged"] == [CREEPY_CRAWLY_LEGS] and data["concepts_newly_codable"] == [RESTLESS_LEGS]

    assert main(["impact"]) == 2
    assert "no proposed mapping" in capsys.readouterr().err
    assert main(["impact", "--mapping", BRAIN_ZAPS, "skos:exactMatch", "HGAPC:404"]) == 2
    assert "must go expression" in capsys.readouterr().err

"""The typed networkx projection of the knowledge graph."""
from __future__ import annotations

import networkx as nx
import pytest
from fixture_ids import (
    BRAIN_ZAPS, CHEST_PAIN, FLUTTERY_CHEST, HEADACHE, NERVOUS_SYSTEM, PALPITATIONS, PINS_AND_NEEDLES, PARESTHESIA,
    R00_2_PALPITATIONS, R20_2_PARESTHESIA, R51_9_HEADACHE, ROS_NEUROLOGICAL,
)

from hgap.graph._checks import require_hgap_graph, resolve_category_kinds
from hgap.graph.projection import project
from hgap.ontology.model import Knowledge, Mapping
from hgap.ontology.vocab import ReviewStatus


@pytest.fixture(scope="module")
def G(fixture_knowledge: Knowledge) -> nx.DiGraph:
    return project(fixture_knowledge)


def test_nodes_are_typed(G: nx.DiGraph, fixture_knowledge: Knowledge) -> None:
    kinds = nx.get_node_attributes(G, "kind")
    assert sum(k == "expression" for k in kinds.values()) == len(fixture_knowledge.expressions) == 40
    assert sum(k == "concept" for k in kinds.values()) == len(fixture_knowledge.concepts)
    assert sum(k == "category" for k in kinds.values()) == len(fixture_knowledge.categories)
    brain_zaps = G.nodes[BRAIN_ZAPS]
    assert (brain_zaps["text"], brain_zaps["label"], brain_zaps["report_count"]) == ("brain zaps", "brain zaps", 12)
    assert G.nodes[R20_2_PARESTHESIA]["category_kind"] == "icd10cm_code" and G.nodes[R20_2_PARESTHESIA]["codable"]
    assert G.nodes[ROS_NEUROLOGICAL]["category_kind"] == "ros_section"
    assert G.nodes[PARESTHESIA]["label"] == "Paresthesia"


def test_mapping_edges_carry_sssom_fields(G: nx.DiGraph) -> None:
    edge = G.edges[PINS_AND_NEEDLES, PARESTHESIA]
    assert edge["kind"] == "mapping"
    assert (edge["predicate_id"], edge["mapping_justification"], edge["confidence"], edge["review_status"]) == (
        "skos:exactMatch", "semapv:ManualMappingCuration", 0.95, "approved")
    assert G.edges[FLUTTERY_CHEST, PALPITATIONS]["predicate_id"] == "skos:relatedMatch"
    # Curated exact 0.95 and lexical exact 0.9 join Headache and R51.9: the stronger is kept, both counted.
    edge = G.edges[HEADACHE, R51_9_HEADACHE]
    assert (edge["confidence"], edge["mapping_justification"], edge["mapping_count"]) == (
        0.95, "semapv:ManualMappingCuration", 2)
    assert G.edges[PALPITATIONS, R00_2_PALPITATIONS]["predicate_id"] == "skos:exactMatch"
    # Section placement is materialised as a structural broadMatch.
    assert G.edges[PARESTHESIA, ROS_NEUROLOGICAL]["mapping_justification"] == "semapv:StructuralMatching"


def test_hierarchy_edges(G: nx.DiGraph) -> None:
    assert G.edges[PARESTHESIA, NERVOUS_SYSTEM] == {"kind": "is_a"}
    assert G.edges[R20_2_PARESTHESIA, "ICD10CM:R20"] == {"kind": "broader"}
    assert G.edges["ICD10CM:R20", "ICD10CM:R20-R23"]["kind"] == "broader"
    assert all(d["kind"] in ("mapping", "is_a", "broader") for _, _, d in G.edges(data=True))


def test_rejected_mappings_are_left_out(fixture_knowledge: Knowledge) -> None:
    rejected = Mapping(BRAIN_ZAPS, "skos:exactMatch", CHEST_PAIN, "semapv:ManualMappingCuration", 0.9,
                       review_status=ReviewStatus.REJECTED)
    k = Knowledge(fixture_knowledge.concepts, fixture_knowledge.categories, fixture_knowledge.expressions,
                  [*fixture_knowledge.mappings, rejected])
    assert not project(k).has_edge(BRAIN_ZAPS, CHEST_PAIN)


def test_checks_reject_what_is_not_a_projection(G: nx.DiGraph) -> None:
    assert require_hgap_graph(G) is G
    with pytest.raises(TypeError, match="hgap projection"):
        require_hgap_graph(nx.DiGraph())
    with pytest.raises(TypeError, match="hgap projection"):
        require_hgap_graph({"not": "a graph"})
    with pytest.raises(ValueError, match="category_kinds"):
        resolve_category_kinds(["icd10cm_chapterz"])
    assert resolve_category_kinds(["ros_section"]) == {"ros_section"}

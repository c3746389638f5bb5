"""Clusters of gap expressions: candidate missing concepts."""
from __future__ import annotations

import networkx as nx
import pytest
from fixture_ids import (
    BODY_BUZZING, BRAIN_BUZZING, BRAIN_ZAPS, CRASH_AFTER_EXERTION, CREEPY_CRAWLY_LEGS, ELECTRIC_SHIVERS,
    HANGXIETY, HEAD_FIZZING, INTERNAL_VIBRATIONS, PARESTHESIA, RESTLESS_LEGS, UNMAPPED_EXPRESSIONS,
)

from hgap.graph import clusters
from hgap.graph.clusters import Cluster
from hgap.graph.projection import project
from hgap.ontology.model import Knowledge

BRAIN_ZAPS_FAMILY = {BRAIN_BUZZING, BRAIN_ZAPS, HEAD_FIZZING, ELECTRIC_SHIVERS}


@pytest.fixture(scope="module")
def G(fixture_knowledge: Knowledge) -> nx.DiGraph:
    return project(fixture_knowledge)


@pytest.fixture(scope="module")
def found(G: nx.DiGraph) -> list[Cluster]:
    return list(clusters.gap_clusters(G))


def test_brain_zaps_family_is_one_cluster(found: list[Cluster]) -> None:
    family = [c for c in found if BRAIN_ZAPS in c.expression_ids]
    assert len(family) == 1
    zaps = family[0]
    assert set(zaps.expression_ids) == BRAIN_ZAPS_FAMILY
    assert HANGXIETY not in zaps.expression_ids
    assert (zaps.representative_id, zaps.representative_text) == (BRAIN_ZAPS, "brain zaps")  # 12 reports
    assert (zaps.size, zaps.reports) == (4, 12 + 5 + 2 + 3)
    assert zaps.cluster_id == "cluster-1" and found[0] is zaps  # the most reported comes first
    assert 0.35 <= zaps.cohesion <= 1.0


def test_what_the_rest_gives(found: list[Cluster]) -> None:
    # Honest about the rest: internal vibrations and body buzzing share the body region and come out
    # together, apart from brain zaps (body ≠ head halves the pull of the shared "buzzing"); hangxiety,
    # the crash after exertion and the creepy crawly legs stand alone.
    groups = {frozenset(c.expression_ids) for c in found}
    assert groups == {
        frozenset(BRAIN_ZAPS_FAMILY), frozenset({INTERNAL_VIBRATIONS, BODY_BUZZING}),
        frozenset({CRASH_AFTER_EXERTION}), frozenset({HANGXIETY}), frozenset({CREEPY_CRAWLY_LEGS}),
    }
    assert [c.reports for c in found] == sorted((c.reports for c in found), reverse=True)


def test_components_agree_and_options(G: nx.DiGraph, found: list[Cluster]) -> None:
    by_components = list(clusters.gap_clusters(G, method="components"))
    assert {c.expression_ids for c in by_components} == {c.expression_ids for c in found}
    # A low threshold lets the shared "buzzing" join the two families; a high one splits brain zaps up.
    low = list(clusters.gap_clusters(G, threshold=0.2, method="components", top_concepts=0))
    assert any(BRAIN_ZAPS_FAMILY | {BODY_BUZZING, INTERNAL_VIBRATIONS} <= set(c.expression_ids) for c in low)
    high = list(clusters.gap_clusters(G, threshold=0.8, top_concepts=0))
    assert not any(BRAIN_ZAPS_FAMILY <= set(c.expression_ids) for c in high)
    assert all(c.size >= 2 for c in clusters.gap_clusters(G, min_size=2, top_concepts=0))
    only = list(clusters.gap_clusters(G, expressions=[BRAIN_ZAPS, HANGXIETY], top_concepts=0))
    assert [c.expression_ids for c in only] == [(BRAIN_ZAPS,), (HANGXIETY,)]
    with pytest.raises(ValueError, match="expression"):
        list(clusters.gap_clusters(G, expressions=[PARESTHESIA]))
    with pytest.raises(ValueError, match="method"):
        list(clusters.gap_clusters(G, method="kmeans"))


def test_similarity_graph(G: nx.DiGraph) -> None:
    H = clusters.similarity_graph(G)
    assert set(H) == UNMAPPED_EXPRESSIONS | {CREEPY_CRAWLY_LEGS}
    assert H.has_edge(BRAIN_ZAPS, HEAD_FIZZING) and H.has_edge(INTERNAL_VIBRATIONS, BODY_BUZZING)
    assert not H.has_edge(BRAIN_BUZZING, BODY_BUZZING)
    assert not any(HANGXIETY in e for e in H.edges)
    assert clusters.similarity("brain zaps", "brain zaps") == 1.0
    assert clusters.regions("pins & needles in my feet") == {"leg"}


def test_names_of_one_experience_without_a_place_or_sensation_are_joined() -> None:
    """Neither "car sick" nor "travel sickness" says where or what it feels like: their shared word must carry
    them (0.16 against the threshold 0.35 before); a place and a kind of sensation in other words join too."""
    at = clusters.DEFAULT_THRESHOLD
    assert clusters.similarity("car sick", "travel sickness") >= at
    assert clusters.similarity("adrenaline dumps", "adrenaline surges at night") >= at
    assert clusters.similarity("brain freeze", "ice cream headache") >= at  # the head, and cold
    # the same place, but a discharge is not a blocked feeling
    assert clusters.similarity("runny ear", "cotton wool in my ears") < at
    assert clusters.similarity("my ears feel full", "cotton wool in my ears") >= at
    assert clusters.similarity("hangxiety", "crash after exertion") == 0.0


def test_nearest_concepts(G: nx.DiGraph, found: list[Cluster]) -> None:
    legs = next(c for c in found if c.representative_id == CREEPY_CRAWLY_LEGS)
    assert legs.nearest_concepts[0].concept_id == RESTLESS_LEGS and legs.nearest_concepts[0].how == "lexical"
    for c in found:
        assert len(c.nearest_concepts) <= 3
        assert all(0.0 < n.score <= 1.0 for n in c.nearest_concepts)
    assert clusters.nearest_concepts(G, ["tingling skin"])[0].concept_id == PARESTHESIA


def test_nearest_concepts_by_the_suggester(G: nx.DiGraph, fixture_knowledge: Knowledge) -> None:
    from hgap.graph.suggest import Suggester

    suggester = Suggester.from_knowledge(fixture_knowledge)
    near = clusters.nearest_concepts(G, ["creepy crawly legs at night"], suggester=suggester)
    assert near[0].concept_id == RESTLESS_LEGS and near[0].how == "suggester"


def test_phrasings_one_ehr_category_names_are_one_cluster_with_its_code() -> None:
    """"seasickness" and "travel sickness" share no word, but ICD-10-CM lists both under T75.3 Motion sickness:
    one experience, which already has a code. A residual category ("Other symptoms and signs ...") gathers
    unlike experiences, so naming two phrasings there joins nothing; it is still shown."""
    from hgap.graph.suggest import Suggester
    from hgap.ontology.model import Category, Concept, Expression

    k = Knowledge(
        concepts={"HP:1": Concept("HP:1", "Nausea"), "HP:2": Concept("HP:2", "Headache")},
        categories={
            "ICD10CM:T75.3": Category("ICD10CM:T75.3", "Motion sickness", "icd10cm_code",
                                      inclusion_terms=("Seasickness", "Travel sickness")),
            "ICD10CM:R45.89": Category("ICD10CM:R45.89", "Other symptoms and signs involving emotional state",
                                       "icd10cm_code", inclusion_terms=("Loneliness", "Restlessness of mind")),
        },
        expressions={f"E:{i}": Expression(f"E:{i}", text, report_count=1) for i, text in
                     enumerate(("seasickness", "travel sickness", "loneliness", "restlessness of mind"))},
    )
    G = project(k)
    without = {frozenset(c.expression_ids) for c in clusters.gap_clusters(G, top_concepts=0)}
    assert frozenset({"E:0", "E:1"}) not in without  # their words alone do not join them
    found = list(clusters.gap_clusters(G, suggester=Suggester.from_knowledge(k)))
    by_members = {frozenset(c.expression_ids): c for c in found}
    motion = by_members[frozenset({"E:0", "E:1"})]
    assert [(n.category_id, sorted(n.matched)) for n in motion.named_categories] == [
        ("ICD10CM:T75.3", ["seasickness", "travel sickness"])]
    assert clusters.as_dict(motion)["named_categories"][0]["label"] == "Motion sickness"
    assert frozenset({"E:2"}) in by_members and frozenset({"E:3"}) in by_members  # R45.89 joins nothing
    assert [n.category_id for n in by_members[frozenset({"E:2"})].named_categories] == ["ICD10CM:R45.89"]


def test_cli_clusters(fixture_home, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from hgap.cli import main

    monkeypatch.setenv("HGAP_HOME", str(fixture_home))
    assert main(["clusters", "--top", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:5] == ["rank", "representative", "size", "reports", "cohesion"]
    assert lines[2].split()[:5] == ["1", "brain", "zaps", "4", "22"]
    assert len(lines) == 4
    assert main(["clusters", "--format", "json", "--min-size", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["size"] for d in data] == [4, 2]
    assert set(data[0]["expression_ids"]) == BRAIN_ZAPS_FAMILY


def test_cli_clusters_nearest_concepts_agree_with_suggest(fixture_home, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    # A one-phrase cluster's nearest concept is what `hgap suggest` puts first for it, with the same embeddings.
    import json

    from hgap.cli import main

    monkeypatch.setenv("HGAP_HOME", str(fixture_home))
    assert main(["clusters", "--format", "json", "--no-embeddings"]) == 0
    single = next(c for c in json.loads(capsys.readouterr().out) if c["size"] == 1 and c["nearest_concepts"])
    assert main(["suggest", single["representative_text"], "--format", "json", "--no-embeddings"]) == 0
    answer = json.loads(capsys.readouterr().out)
    answer = answer[0] if isinstance(answer, list) else answer
    assert single["nearest_concepts"][0]["concept_id"] == answer["candidates"][0]["concept_id"]

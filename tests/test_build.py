"""Building the fixture graph: figures, provenance, the cache, and atomic replacement."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import fixture_ids as ids
from hgap.ontology import build as build_module
from hgap.ontology.build import LoadedGraph, build, load
from hgap.ontology.model import Knowledge, reached_categories
from hgap.ontology.sources import Sources
from hgap.ontology.tsv import DataError
from hgap.ontology.vocab import Justification


def test_fixture_counts(fixture_knowledge: Knowledge) -> None:
    assert fixture_knowledge.counts()["concepts"] == 21  # the obsolete term is left out
    assert ids.OBSOLETE_TERM not in fixture_knowledge.concepts
    assert len(fixture_knowledge.expressions) == 40
    layperson = [s for c in fixture_knowledge.concepts.values() for s in c.layperson_synonyms]
    assert len(layperson) == 12


def test_pins_and_needles_reaches_r20_2_through_paresthesia(fixture_knowledge: Knowledge) -> None:
    reached = reached_categories(fixture_knowledge)
    assert ids.R20_2_PARESTHESIA in reached[ids.PINS_AND_NEEDLES]
    assert reached[ids.BRAIN_BUZZING] == set()


def test_lexical_links_carry_their_justification(fixture_knowledge: Knowledge) -> None:
    lexical = {(m.subject_id, m.object_id): m for m in fixture_knowledge.mappings
               if m.mapping_justification is Justification.LEXICAL}
    vertigo = lexical[(ids.VERTIGO, ids.R42_DIZZINESS)]  # "Vertigo" = inclusion term "Vertigo NOS"
    assert 0 < vertigo.confidence < 0.9 and "inclusion term" in vertigo.comment
    assert (ids.MIGRAINE, ids.G43_9_MIGRAINE) in lexical


def test_chaining_walks_up_to_the_nearest_coded_ancestor(tmp_path: Path) -> None:
    directory = tmp_path / "fixture"
    shutil.copytree(ids.FIXTURE_DIR, directory)
    obo = directory / "hp.obo"
    obo.write_text(obo.read_text() + "\n[Term]\nid: HP:0100000\nname: Thunderclap head pain\nis_a: HP:0002315 ! Headache\n")
    from hgap.ontology.sources import assemble

    knowledge = assemble(Sources.fixture(directory))
    chained = [m for m in knowledge.mappings if m.subject_id == "HP:0100000" and m.mapping_justification is Justification.CHAINING]
    assert {m.object_id for m in chained} >= {ids.R51_9_HEADACHE}
    assert all(m.confidence < 0.9 and "via HP:0002315" in m.comment for m in chained)


def test_built_graph_loads_and_counts(fixture_graph: LoadedGraph) -> None:
    assert fixture_graph.manifest["expressions_unmapped"] == 8
    assert fixture_graph.store.triple_count() == fixture_graph.manifest["triples"] > 1500
    assert {s["id"] for s in fixture_graph.manifest["sources"]} >= {"HGAPS:hpo", "HGAPS:icd10cm", "HGAPS:crosswalk"}


def test_second_build_is_cached_and_says_why(tmp_path: Path, fixture_sources: Sources) -> None:
    first = build(fixture_sources, home=tmp_path)
    second = build(fixture_sources, home=tmp_path)
    assert not first.cached and second.cached
    assert "unchanged" in second.reason and second.path == first.path


def test_crash_mid_build_keeps_previous_graph(tmp_path: Path, fixture_sources: Sources,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    build(fixture_sources, home=tmp_path)
    before = load(tmp_path).manifest["fingerprint"]

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut while writing the store")

    monkeypatch.setattr(build_module, "_build_into", crash)
    with pytest.raises(RuntimeError):
        build(fixture_sources, home=tmp_path, force=True)
    assert load(tmp_path).manifest["fingerprint"] == before
    assert not list((tmp_path / "builds").glob("*.tmp-*"))


def test_bad_input_leaves_previous_graph(tmp_path: Path, fixture_sources: Sources) -> None:
    build(fixture_sources, home=tmp_path / "home")
    directory = tmp_path / "fixture"
    shutil.copytree(ids.FIXTURE_DIR, directory)
    (directory / "expressions.tsv").write_text("expression_id\ttext\n")
    with pytest.raises(DataError, match="header lacks column"):
        build(Sources.fixture(directory), home=tmp_path / "home")
    assert load(tmp_path / "home").manifest["expressions"] == 40


def test_export_formats_parse(fixture_graph: LoadedGraph) -> None:
    import rdflib

    for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("owl", "xml"), ("jsonld", "json-ld")):
        graph = rdflib.Graph().parse(data=fixture_graph.store.dump(fmt), format=parser)
        assert len(graph) > 1500, fmt

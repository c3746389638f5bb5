"""Exports a terminology team would hand on: SSSOM TSV for mappings, RDF for the whole graph."""
from __future__ import annotations

from pathlib import Path

import pytest

from hgap.cli import main
from hgap.ontology.curated import read_mappings
from hgap.ontology.model import Knowledge


def test_sssom_export_round_trips_the_curated_mappings(fixture_home: Path, fixture_knowledge: Knowledge,
                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HGAP_HOME", str(fixture_home))
    out = tmp_path / "curated.sssom.tsv"
    assert main(["export", "--format", "sssom", "--mappings", "curated", "--output", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("#curie_map:\n") and "#  HP: http://purl.obolibrary.org/obo/HP_\n" in text
    again = read_mappings(out)
    curated = [m for m in fixture_knowledge.mappings if m.source in ("HGAPS:expression-mappings", "HGAPS:crosswalk")]
    strip = lambda m: (m.subject_id, m.predicate_id, m.object_id, m.mapping_justification, m.confidence,  # noqa: E731
                       m.author_id, m.reviewer_id, m.mapping_date, m.review_status, m.subject_label)
    assert sorted(map(strip, again)) == sorted(map(strip, curated))
    assert len(again) == 41


def test_turtle_export_to_stdout(fixture_home: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("HGAP_HOME", str(fixture_home))
    assert main(["export", "--format", "ttl"]) == 0
    out = capsysbinary.readouterr().out.decode()
    assert "@prefix hgap: <https://w3id.org/hgap/ontology#>" in out and "HGAPEX:0034" in out

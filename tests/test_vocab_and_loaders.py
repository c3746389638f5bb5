"""Closed vocabularies are checked when a value is made; bad data files name the file, line and reason."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fixture_ids import FIXTURE_DIR
from hgap.ontology.curated import read_expressions, read_mappings
from hgap.ontology.model import Mapping, Synonym
from hgap.ontology.sources import Sources, assemble
from hgap.ontology.tsv import DataError
from hgap.ontology.vocab import MappingPredicate, VocabularyError, contract, expand


@pytest.mark.parametrize("field, kwargs, message", [
    ("predicate_id", {"predicate_id": "skos:sameAs"}, "predicate_id: 'skos:sameAs' is not one of skos:exactMatch"),
    ("mapping_justification", {"mapping_justification": "semapv:Guessing"}, "mapping_justification: 'semapv:Guessing'"),
    ("review_status", {"review_status": "maybe"}, "review_status: 'maybe' is not one of proposed, approved, rejected"),
    ("confidence", {"confidence": "high"}, "confidence: 'high' is not a number in [0, 1]"),
])
def test_mapping_rejects_values_outside_closed_vocabularies(field: str, kwargs: dict, message: str) -> None:
    values = dict(subject_id="HGAPEX:0001", predicate_id="skos:exactMatch", object_id="HP:0003401",
                  mapping_justification="semapv:ManualMappingCuration")
    values.update(kwargs)
    with pytest.raises(VocabularyError) as caught:
        Mapping(**values)
    assert message in str(caught.value)


def test_synonym_scope_is_closed() -> None:
    with pytest.raises(VocabularyError, match="synonym scope: 'SIMILAR'"):
        Synonym("pins and needles", "SIMILAR")  # type: ignore[arg-type]
    assert Synonym("pins and needles", "EXACT", "layperson").type.value == "layperson"  # type: ignore[arg-type, union-attr]


def test_curies_round_trip() -> None:
    assert contract(expand("ICD10CM:R20.2")) == "ICD10CM:R20.2"
    assert MappingPredicate.parse("skos:broadMatch", "p").is_strong is False
    with pytest.raises(VocabularyError, match="known prefix"):
        expand("NOPE:1")


def _copy_fixture(tmp_path: Path) -> Path:
    target = tmp_path / "fixture"
    shutil.copytree(FIXTURE_DIR, target)
    return target


def test_malformed_expression_row_names_file_and_line(tmp_path: Path) -> None:
    directory = _copy_fixture(tmp_path)
    path = directory / "expressions.tsv"
    lines = path.read_text().splitlines()
    lines[5] = lines[5].replace("\tcommon_usage\t", "\toverheard\t")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as caught:
        read_expressions(path)
    assert f"{path}, line 6: origin: 'overheard' is not one of" in str(caught.value)


def test_short_row_and_bad_confidence_are_reported(tmp_path: Path) -> None:
    directory = _copy_fixture(tmp_path)
    path = directory / "expression_mappings.sssom.tsv"
    text = path.read_text().replace("\t0.95\t", "\t9.5\t", 1)
    path.write_text(text)
    with pytest.raises(DataError, match=r"line \d+: confidence: '9.5' is not a number in \[0, 1\]"):
        read_mappings(path)
    path.write_text(text.replace("\t9.5\t", "\t0.95\t") + "HGAPEX:0001\tpins\n")
    with pytest.raises(DataError, match=r"line \d+: expected 12 fields"):
        read_mappings(path)


def test_mapping_to_unknown_concept_is_refused(tmp_path: Path) -> None:
    directory = _copy_fixture(tmp_path)
    path = directory / "expression_mappings.sssom.tsv"
    path.write_text(path.read_text().replace("HP:0003401", "HP:0099999", 1))  # an obsolete term
    with pytest.raises(DataError, match="object_id HP:0099999 is not a known HPO term"):
        assemble(Sources.fixture(directory))

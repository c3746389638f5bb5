from __future__ import annotations

from pathlib import Path

import pytest

from hgap.graph.qualifiers import qualifier_words, split_qualifiers
from hgap.ontology.model import Concept, Knowledge, Synonym
from hgap.ontology.tsv import DataError

MODIFIERS = Knowledge(concepts={c.id: c for c in [
    Concept("HP:0012824", "Severity"),
    Concept("HP:0012828", "Severe", parents=("HP:0012824",)),
    Concept("HP:0011008", "Temporal pattern"),
    Concept("HP:0031796", "Recurrent", synonyms=(Synonym("Intermittent", "EXACT"),), parents=("HP:0011008",)),
    Concept("HP:0025303", "Episodic", synonyms=(Synonym("Now and then", "EXACT"),), parents=("HP:0011008",)),
    Concept("HP:0025301", "Nocturnal", parents=("HP:0011008",)),
]})


def test_hpo_modifier_names_and_our_lay_words_are_qualifiers() -> None:
    words = qualifier_words(MODIFIERS)
    rest, found = split_qualifiers("Awful, intermittent stomach cramps", words)
    assert rest == "stomach cramps"
    assert [(q.word, q.modifier_id) for q in found] == [("awful", "HP:0012828"), ("intermittent", "HP:0031796")]
    assert split_qualifiers("severe", words) == ("severe", ())  # nothing left to qualify: kept whole
    assert qualifier_words(Knowledge()) == {}  # a vocabulary without HPO's modifiers has none


def test_only_one_word_names_are_qualifiers() -> None:
    # HPO's "Now and then" (Episodic) is a phrase: its one content word, "now", says no pattern by itself.
    words = qualifier_words(MODIFIERS)
    assert split_qualifiers("dizzy now", words) == ("dizzy now", ())
    rest, found = split_qualifiers("threw up twice in the night", words)
    assert rest == "threw up in the"
    assert [(q.word, q.label) for q in found] == [("twice", "Recurrent"), ("night", "Nocturnal")]


def test_a_bad_qualifier_row_names_the_file_and_line(tmp_path: Path) -> None:
    table = tmp_path / "qualifiers.tsv"
    table.write_text("word\tmodifier_id\nterrible\tHP:0012828\nawfully bad\tHP:0012828\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"qualifiers.tsv, line 3: word: 'awfully bad' is not one content word"):
        qualifier_words(MODIFIERS, table)
    table.write_text("word\tmodifier_id\nterrible\tSNOMED:24484000\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"line 2: modifier_id: 'SNOMED:24484000' is not an HPO id"):
        qualifier_words(MODIFIERS, table)

"""The lay-word table loads, expands patients' words into clinical ones, and rejects a bad row by line."""
from __future__ import annotations

from pathlib import Path

import pytest

from hgap.graph import laywords, textnorm
from hgap.ontology.tsv import DataError


def test_table_expands_common_lay_words() -> None:
    table = laywords.lay_expansions()
    assert len(table) > 150
    assert "urination" in laywords.expand(textnorm.content_tokens("my wee burns"), table)
    assert textnorm.content_tokens("tingling")[0] in laywords.expand(textnorm.content_tokens("tingly toes"), table)
    assert laywords.expand(textnorm.content_tokens("pins and needles"), table) == []


def test_bad_row_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "lay_words.tsv"
    path.write_text("lay_word\tclinical_words\tnote\nwee\turine\t\nsore throat\tpharyngitis\t\n")
    with pytest.raises(DataError, match=r"line 3: lay_word: 'sore throat' is not one content word"):
        laywords.lay_expansions(path)

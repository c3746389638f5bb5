"""Lay words patients use (``wee``, ``tingly``, ``poo``) and the words clinical labels use for the same thing.

The table is ``data/lay_words.tsv`` (ours). Both sides go through :func:`hgap.graph.textnorm.content_tokens`,
the normaliser the suggester uses, so a lay word's stem finds the stems of its clinical words; the suggester
adds those to a phrase's words with a lower weight (query expansion), as it does for typo corrections.

>>> table = {"wee": ("urine", "urination")}
>>> expand(["wee", "burn"], table)
['urine', 'urination']
>>> "urination" in lay_expansions()[textnorm.content_tokens("wee")[0]]
True
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

from hgap.ontology.curated import data_dir
from hgap.ontology.tsv import DataError, read_rows

from . import textnorm

LAY_WORDS_FILE = "lay_words.tsv"
LAY_WEIGHT = 0.7  # an expansion counts less than a word the patient wrote


@lru_cache(maxsize=4)
def lay_expansions(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Lay-word stem → clinical-word stems, from ``data/lay_words.tsv`` (or ``path``)."""
    path = path or data_dir() / LAY_WORDS_FILE
    table: dict[str, tuple[str, ...]] = {}
    for lineno, row in read_rows(path, ("lay_word", "clinical_words")):
        keys = textnorm.content_tokens(row["lay_word"])
        if len(keys) != 1:
            raise DataError(f"{path}, line {lineno}: lay_word: {row['lay_word']!r} is not one content word")
        targets = tuple(t for t in textnorm.content_tokens(row["clinical_words"]) if t != keys[0])
        if targets:  # none left when normalisation already does it (British spelling: anaemia → anemia)
            table[keys[0]] = tuple(dict.fromkeys(table.get(keys[0], ()) + targets))
    return table


def expand(tokens: Sequence[str], table: Mapping[str, tuple[str, ...]] | None = None) -> list[str]:
    """The clinical stems for the lay stems among ``tokens`` (none for the others), without repeats."""
    table = lay_expansions() if table is None else table
    seen: dict[str, None] = {}
    for token in tokens:
        for target in table.get(token, ()):
            if target not in tokens:
                seen.setdefault(target)
    return list(seen)

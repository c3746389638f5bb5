"""Qualifiers: the words of a phrase that say how bad, how long or how often ("terrible", "constant",
"recurrent"), not what. HPO records them as clinical modifiers beside a finding (Severe HP:0012828, Chronic
HP:0011010), so "a terrible headache" is the concept Headache qualified as Severe, not a phrasing nobody can
place. The words are HPO's own one-word names and synonyms of its Severity and Temporal pattern modifiers,
plus the everyday words patients use for them (``data/qualifiers.tsv``, ours).

>>> from hgap.ontology.model import Concept, Knowledge, Synonym
>>> k = Knowledge(concepts={"HP:0012824": Concept("HP:0012824", "Severity"),
...                         "HP:0012828": Concept("HP:0012828", "Severe", parents=("HP:0012824",))})
>>> words = qualifier_words(k)
>>> rest, found = split_qualifiers("Terrible, severe headaches", words)
>>> rest, [(q.word, q.modifier_id, q.label) for q in found]
('headaches', [('terrible', 'HP:0012828', 'Severe'), ('severe', 'HP:0012828', 'Severe')])
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from hgap.ontology.curated import data_dir
from hgap.ontology.hpo import descendants_of
from hgap.ontology.tsv import DataError, read_rows

from . import textnorm

if TYPE_CHECKING:  # pragma: no cover
    from hgap.ontology.model import Knowledge

__all__ = ["Qualifier", "QUALIFIERS_FILE", "MODIFIER_ROOTS", "qualifier_words", "split_qualifiers"]

QUALIFIERS_FILE = "qualifiers.tsv"
MODIFIER_ROOTS = ("HP:0012824", "HP:0011008")  # HPO's Severity and Temporal pattern


@dataclass(frozen=True)
class Qualifier:
    """A word of the phrase (as written, folded) and the HPO clinical modifier it stands for."""

    word: str
    modifier_id: str
    label: str


def qualifier_words(knowledge: "Knowledge", path: Path | None = None) -> dict[str, tuple[str, str]]:
    """Word stem → (modifier id, modifier label): HPO's one-word Severity and Temporal pattern names and
    synonyms found in ``knowledge``, then the rows of ``data/qualifiers.tsv`` (or ``path``) whose modifier
    is there. Empty when ``knowledge`` has no such modifiers (a vocabulary without them)."""
    concepts = knowledge.concepts
    modifiers: set[str] = set()
    for root in MODIFIER_ROOTS:
        if root in concepts:
            modifiers |= descendants_of(root, concepts.values()) - {root}
    if not modifiers:
        return {}
    words: dict[str, tuple[str, str]] = {}
    for cid in sorted(modifiers):
        concept = concepts[cid]
        for text in (concept.label, *(s.text for s in concept.synonyms)):
            # One word as written: "Now and then" (Episodic) would leave "now" alone, which says no pattern.
            written = textnorm.normalize(text).split()
            if len(written) == 1 and written[0] not in textnorm.STOPWORDS:
                words.setdefault(textnorm.stem(written[0]), (cid, concept.label))
    path = path or data_dir() / QUALIFIERS_FILE
    for lineno, row in read_rows(path, ("word", "modifier_id")):
        stems = textnorm.content_tokens(row["word"])
        if len(stems) != 1:
            raise DataError(f"{path}, line {lineno}: word: {row['word']!r} is not one content word")
        cid = row["modifier_id"].strip()
        if not cid.startswith("HP:"):
            raise DataError(f"{path}, line {lineno}: modifier_id: {cid!r} is not an HPO id")
        if cid in modifiers:
            words.setdefault(stems[0], (cid, concepts[cid].label))
    return words


def split_qualifiers(text: str, words: Mapping[str, tuple[str, str]]) -> tuple[str, tuple[Qualifier, ...]]:
    """The phrase without its qualifier words (the others kept in order, normalised) and the qualifiers
    found. A phrase made only of qualifiers is left whole."""
    kept: list[str] = []
    found: list[Qualifier] = []
    for word in textnorm.normalize(text).split():
        hit = words.get(textnorm.stem(word)) if word not in textnorm.STOPWORDS else None
        if hit:
            found.append(Qualifier(word, *hit))
        else:
            kept.append(word)
    if not found or not textnorm.content_tokens(" ".join(kept)):
        return text, ()
    return " ".join(kept), tuple(found)

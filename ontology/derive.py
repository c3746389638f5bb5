"""Concept → category links that neither HPO nor ICD-10-CM states, derived with recorded provenance.

- :func:`lexical_mappings`: an HPO label or exact synonym equals an ICD-10-CM title or inclusion term after
  normalisation (``semapv:LexicalMatching``).
- :func:`chained_mappings`: a concept with no ICD-10-CM category of its own inherits its nearest ancestors'
  (``semapv:MappingChaining``, confidence decaying with distance).
- :func:`section_mappings`: a concept below an HPO branch that a review-of-systems section documents is placed
  in that section (``semapv:StructuralMatching``).

>>> from hgap.ontology.model import Category, Concept
>>> concepts = [Concept("HP:1", "Paresthesia", synonyms=()), Concept("HP:2", "Acroparesthesia", parents=("HP:1",))]
>>> categories = [Category("ICD10CM:R20.2", "Paresthesia of skin", "icd10cm_code", inclusion_terms=("Paresthesia NOS",))]
>>> [(m.subject_id, m.object_id, m.mapping_justification.value) for m in lexical_mappings(concepts, categories)]
[('HP:1', 'ICD10CM:R20.2', 'semapv:LexicalMatching')]
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Iterator

from .model import Category, Concept, Mapping
from .vocab import CategoryKind, Justification, MappingPredicate, ReviewStatus, SynonymScope

AUTHOR = "HGAPU:hgap-build"
SOURCE = "HGAPS:derived"
CHAIN_DECAY = 0.8
_QUALIFIERS = re.compile(r"\b(nos|unspecified|not elsewhere classified|nec)\b")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def lexical_key(text: str) -> str:
    """The form two labels must share to match: lower case, no punctuation, no 'NOS'/'unspecified', sorted words."""
    text = _QUALIFIERS.sub(" ", text.lower())
    return " ".join(sorted(_NON_WORD.sub(" ", text).split()))


def lexical_mappings(concepts: Iterable[Concept], categories: Iterable[Category], date: str = "") -> Iterator[Mapping]:
    """Mappings where a concept's label or exact synonym equals a codable category's title or inclusion term."""
    index: dict[str, list[tuple[Category, bool]]] = defaultdict(list)
    for category in categories:
        if category.kind not in (CategoryKind.CODE, CategoryKind.CATEGORY):
            continue
        index[lexical_key(category.label)].append((category, True))
        for term in category.inclusion_terms:
            index[lexical_key(term)].append((category, False))
    for concept in concepts:
        names = [(concept.label, True)] + [(s.text, False) for s in concept.synonyms if s.scope is SynonymScope.EXACT]
        best: dict[str, tuple[float, str]] = {}
        for name, is_label in names:
            key = lexical_key(name)
            if not key:
                continue
            for category, is_title in index.get(key, ()):
                confidence = 0.9 if is_label and is_title else 0.8 if is_label or is_title else 0.7
                how = f"{'label' if is_label else 'synonym'} '{name}' = {'title' if is_title else 'inclusion term'} of {category.id}"
                if confidence > best.get(category.id, (0.0, ""))[0]:
                    best[category.id] = (confidence, how)
        for category_id, (confidence, how) in sorted(best.items()):
            yield Mapping(
                concept.id, MappingPredicate.EXACT if confidence >= 0.9 else MappingPredicate.CLOSE, category_id,
                Justification.LEXICAL, round(confidence, 3), author_id=AUTHOR, source=SOURCE, mapping_date=date,
                review_status=ReviewStatus.PROPOSED, subject_label=concept.label, comment=how,
            )


def chained_mappings(
    concepts: dict[str, Concept], own: Iterable[Mapping], categories: dict[str, Category], date: str = ""
) -> Iterator[Mapping]:
    """For each concept with no ICD-10-CM category of its own, its nearest ancestors' categories (breadth first)."""
    icd_of: dict[str, list[Mapping]] = defaultdict(list)
    for mapping in own:
        category = categories.get(mapping.object_id)
        if category is not None and category.kind is not CategoryKind.SECTION and mapping.is_strong:
            icd_of[mapping.subject_id].append(mapping)
    for concept in concepts.values():
        if concept.id in icd_of:
            continue
        frontier, seen, distance = list(concept.parents), set(concept.parents), 1
        while frontier:
            found = [m for parent in frontier for m in icd_of.get(parent, ())]
            if found:
                best: dict[str, Mapping] = {}
                for m in found:
                    if m.object_id not in best or m.confidence > best[m.object_id].confidence:
                        best[m.object_id] = m
                for m in best.values():
                    yield Mapping(
                        concept.id, MappingPredicate.BROAD, m.object_id, Justification.CHAINING,
                        round(m.confidence * CHAIN_DECAY**distance, 3), author_id=AUTHOR, source=SOURCE, mapping_date=date,
                        review_status=ReviewStatus.PROPOSED, subject_label=concept.label,
                        object_label=m.object_label, comment=f"via {m.subject_id} ({distance} level(s) up)",
                    )
                break
            next_frontier = []
            for parent in frontier:
                for grandparent in concepts[parent].parents if parent in concepts else ():
                    if grandparent not in seen:
                        seen.add(grandparent)
                        next_frontier.append(grandparent)
            frontier, distance = next_frontier, distance + 1


def section_mappings(
    concepts: dict[str, Concept], branches: dict[str, tuple[str, ...]], sections: dict[str, Category], date: str = ""
) -> Iterator[Mapping]:
    """Each concept under an HPO branch that a template section documents, placed in that section.

    Sections may overlap (psychiatric branches sit below the nervous system): a concept goes to the section(s)
    whose branch root is nearest above it, as a clinician would document it in the most specific section.
    """
    children: dict[str, list[str]] = defaultdict(list)
    for concept in concepts.values():
        for parent in concept.parents:
            children[parent].append(concept.id)
    distance: dict[str, dict[str, int]] = defaultdict(dict)  # concept -> section -> levels below the branch root
    for section_id, roots in branches.items():
        frontier = [r for r in roots if r in concepts]
        depth = 0
        seen = set(frontier)
        while frontier:
            for node in frontier:
                distance[node][section_id] = depth
            frontier = [c for node in frontier for c in children.get(node, ()) if c not in seen and not seen.add(c)]  # type: ignore[func-returns-value]
            depth += 1
    for concept_id in sorted(distance):
        by_section = distance[concept_id]
        nearest = min(by_section.values())
        for section_id in sorted(s for s, d in by_section.items() if d == nearest):
            yield Mapping(
                concept_id, MappingPredicate.BROAD, section_id, Justification.STRUCTURAL, 0.9,
                author_id=AUTHOR, source=SOURCE, mapping_date=date, review_status=ReviewStatus.PROPOSED,
                subject_label=concepts[concept_id].label, object_label=sections[section_id].label,
                comment=f"{nearest} level(s) below HPO branch {', '.join(branches[section_id])}",
            )

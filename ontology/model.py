"""The records hgap keeps: concepts, EHR categories, patient expressions and SSSOM mappings.

Every record checks its closed-vocabulary fields when it is made, so a bad value never reaches the graph.
:class:`Knowledge` holds one consistent set of them; the build turns it into RDF, the graph algorithms
into a networkx graph.

>>> m = Mapping("HGAPEX:0001", "skos:exactMatch", "HP:0003401", "semapv:ManualMappingCuration", 0.95)
>>> m.predicate_id, m.confidence
(<MappingPredicate.EXACT: 'skos:exactMatch'>, 0.95)
>>> try:
...     Mapping("HGAPEX:0001", "skos:exactMatch", "HP:0003401", "semapv:ManualMappingCuration", 1.5)
... except VocabularyError as error:
...     print(error)
confidence: 1.5 is not a number in [0, 1]
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Iterator

from .vocab import (
    CategoryKind,
    ExpressionOrigin,
    Justification,
    MappingPredicate,
    ReviewStatus,
    SynonymScope,
    SynonymType,
    VocabularyError,
)

# The mapping predicates that mean "the same thing". Only these let a category reach an expression
# with full strength; broad/related ones make a weak bridge.
STRONG_PREDICATES = frozenset(p for p in MappingPredicate if p.is_strong)


@dataclass(frozen=True, slots=True)
class Synonym:
    text: str
    scope: SynonymScope = SynonymScope.EXACT
    type: SynonymType | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "scope", SynonymScope.parse(self.scope, "synonym scope"))
        if self.type is not None:
            object.__setattr__(self, "type", SynonymType.parse(self.type, "synonym type"))
        if not self.text.strip():
            raise VocabularyError("synonym: empty text")


@dataclass(frozen=True, slots=True)
class Concept:
    """A clinical concept (an HPO term, or one proposed by a terminology team)."""

    id: str
    label: str
    definition: str = ""
    synonyms: tuple[Synonym, ...] = ()
    parents: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    source: str = "HGAPS:hpo"

    @property
    def layperson_synonyms(self) -> tuple[Synonym, ...]:
        return tuple(s for s in self.synonyms if s.type is SynonymType.LAYPERSON)


@dataclass(frozen=True, slots=True)
class Category:
    """An EHR category: an ICD-10-CM chapter, block, category or code, or a review-of-systems section."""

    id: str
    label: str
    kind: CategoryKind
    parent: str | None = None
    inclusion_terms: tuple[str, ...] = ()
    definition: str = ""
    source: str = "HGAPS:icd10cm"

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", CategoryKind.parse(self.kind, "category kind"))

    @property
    def codable(self) -> bool:
        """Something a record can be coded under: an ICD-10-CM code or category, or a template section."""
        return self.kind in (CategoryKind.CODE, CategoryKind.CATEGORY, CategoryKind.SECTION)


@dataclass(frozen=True, slots=True)
class Expression:
    """A patient-language expression: the words a patient uses."""

    id: str
    text: str
    body_system: str = ""
    origin: ExpressionOrigin = ExpressionOrigin.COMMON_USAGE
    origin_ref: str = ""
    report_count: int = 1
    comment: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "origin", ExpressionOrigin.parse(self.origin, "origin"))
        if not self.text.strip():
            raise VocabularyError("text: empty expression")
        if self.report_count < 0:
            raise VocabularyError(f"report_count: {self.report_count} is negative")


@dataclass(frozen=True, slots=True)
class Mapping:
    """One SSSOM mapping (expression → concept, or concept → category), with its provenance."""

    subject_id: str
    predicate_id: MappingPredicate
    object_id: str
    mapping_justification: Justification
    confidence: float = 1.0
    author_id: str = ""
    reviewer_id: str = ""
    mapping_date: str = ""
    review_status: ReviewStatus = ReviewStatus.PROPOSED
    subject_label: str = ""
    object_label: str = ""
    comment: str = ""
    source: str = ""  # the hgap source record (HGAPS:...) it was read or derived from; not an SSSOM column

    def __post_init__(self) -> None:
        object.__setattr__(self, "predicate_id", MappingPredicate.parse(self.predicate_id, "predicate_id"))
        object.__setattr__(
            self, "mapping_justification", Justification.parse(self.mapping_justification, "mapping_justification")
        )
        object.__setattr__(self, "review_status", ReviewStatus.parse(self.review_status, "review_status"))
        confidence = self.confidence
        if isinstance(confidence, str):
            try:
                confidence = float(confidence)
            except ValueError:
                raise VocabularyError(f"confidence: {self.confidence!r} is not a number in [0, 1]") from None
        if not 0.0 <= confidence <= 1.0:
            raise VocabularyError(f"confidence: {self.confidence!r} is not a number in [0, 1]")
        object.__setattr__(self, "confidence", float(confidence))
        for name in ("subject_id", "object_id"):
            if not getattr(self, name).strip():
                raise VocabularyError(f"{name}: empty")

    @property
    def id(self) -> str:
        """A stable id for the reified mapping: the same statement always gets the same IRI."""
        key = f"{self.subject_id}|{self.predicate_id.value}|{self.object_id}|{self.mapping_justification.value}"
        return "HGAPM:" + hashlib.sha1(key.encode()).hexdigest()[:16]

    @property
    def is_strong(self) -> bool:
        return self.predicate_id in STRONG_PREDICATES


@dataclass(frozen=True, slots=True)
class Source:
    """Where a part of the graph comes from: a vocabulary release or a file of ours."""

    id: str
    title: str
    version: str
    license: str
    path: str = ""
    citation: str = ""


@dataclass(slots=True)
class Knowledge:
    """One consistent set of records: what the build turns into RDF and the algorithms into a graph."""

    concepts: dict[str, Concept] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    expressions: dict[str, Expression] = field(default_factory=dict)
    mappings: list[Mapping] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def expression_mappings(self) -> Iterator[Mapping]:
        """Mappings from a patient expression to a concept."""
        return (m for m in self.mappings if m.subject_id in self.expressions)

    def category_mappings(self) -> Iterator[Mapping]:
        """Mappings from a concept to an EHR category."""
        return (m for m in self.mappings if m.subject_id in self.concepts and m.object_id in self.categories)

    def counts(self) -> dict[str, int]:
        return {
            "concepts": len(self.concepts),
            "categories": len(self.categories),
            "expressions": len(self.expressions),
            "mappings": len(self.mappings),
        }


def concept_categories(knowledge: Knowledge) -> dict[str, list[Mapping]]:
    """For each concept, its mappings to EHR categories (curated, lexical, chained and structural), rejected
    ones left out, strongest first: exact/close/narrow before broad/related, ICD-10-CM before template
    sections, then by confidence."""
    index: dict[str, list[Mapping]] = {}
    for mapping in knowledge.category_mappings():
        if mapping.review_status is not ReviewStatus.REJECTED:
            index.setdefault(mapping.subject_id, []).append(mapping)
    for mappings in index.values():
        mappings.sort(key=lambda m: (not m.is_strong, knowledge.categories[m.object_id].kind is CategoryKind.SECTION,
                                     -m.confidence, m.object_id))
    return index


def reached_categories(knowledge: Knowledge) -> dict[str, set[str]]:
    """For each expression, the categories it reaches through a concept (a two-hop join; chaining is
    already materialised in the concept's mappings)."""
    by_concept = concept_categories(knowledge)
    reached: dict[str, set[str]] = {e: set() for e in knowledge.expressions}
    for mapping in knowledge.expression_mappings():
        if mapping.review_status is ReviewStatus.REJECTED:
            continue
        reached[mapping.subject_id].update(m.object_id for m in by_concept.get(mapping.object_id, ()))
    return reached

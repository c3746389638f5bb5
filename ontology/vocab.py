"""Namespaces, CURIEs and the closed vocabularies of hgap.

Closed vocabularies (synonym scope and type, mapping predicate, mapping justification, review status)
are checked when a value is made, as pronto does: ``MappingPredicate.parse("skos:sameAs", "predicate_id")``
raises :class:`VocabularyError` naming the field and the allowed values.

>>> MappingPredicate.parse("skos:exactMatch", "predicate_id")
<MappingPredicate.EXACT: 'skos:exactMatch'>
>>> expand("HP:0003401")
'http://purl.obolibrary.org/obo/HP_0003401'
>>> contract("http://purl.bioontology.org/ontology/ICD10CM/R20.2")
'ICD10CM:R20.2'
"""
from __future__ import annotations

from enum import Enum
from typing import TypeVar

ONTOLOGY_IRI = "https://w3id.org/hgap/ontology"
ONTOLOGY_VERSION = "0.1.0"
VERSION_IRI = f"https://w3id.org/hgap/ontology/{ONTOLOGY_VERSION}"

# One table of prefixes: CURIEs in data files, SSSOM export and SPARQL PREFIX lines all come from here.
PREFIXES: dict[str, str] = {
    "hgap": "https://w3id.org/hgap/ontology#",
    "HGAPEX": "https://w3id.org/hgap/expression/",
    "HGAPM": "https://w3id.org/hgap/mapping/",
    "HGAPU": "https://w3id.org/hgap/user/",
    "HGAPS": "https://w3id.org/hgap/source/",
    "ROS": "https://w3id.org/hgap/section/",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "ICD10CM": "http://purl.bioontology.org/ontology/ICD10CM/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "semapv": "https://w3id.org/semapv/vocab/",
    "sssom": "https://w3id.org/sssom/",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "orcid": "https://orcid.org/",
}

# Longest namespace first, so that a namespace that is a prefix of another cannot win.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


class VocabularyError(ValueError):
    """A value outside a closed vocabulary, or a malformed identifier."""


def expand(curie: str) -> str:
    """The IRI of a CURIE such as ``HP:0003401``; an IRI is returned as it is."""
    if curie.startswith(("http://", "https://", "urn:")):
        return curie
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES or not local:
        raise VocabularyError(f"{curie!r} is not a CURIE with a known prefix ({', '.join(sorted(PREFIXES))})")
    return PREFIXES[prefix] + local


def contract(iri: str) -> str:
    """The CURIE of an IRI, or the IRI itself when no prefix covers it."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def lookup_key(text: str) -> str:
    """The form exact lookups compare: case-folded, spaces collapsed (``"Pins  and Needles"`` → ``"pins and needles"``).

    The build stores it for every name (``hgap:expressionKey``, ``labelKey``, ``synonymKey``, ``inclusionKey``)
    so an exact lookup is an index hit instead of a scan of every label.
    """
    return " ".join(text.casefold().split())


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace of :data:`PREFIXES`."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


E = TypeVar("E", bound="ClosedVocabulary")


class ClosedVocabulary(str, Enum):
    """A str enum whose :meth:`parse` names the field and the allowed values on a bad value."""

    @classmethod
    def parse(cls: type[E], value: "str | E", field: str) -> E:
        if isinstance(value, cls):
            return value
        for member in cls:
            if member.value == value:
                return member
        allowed = ", ".join(m.value for m in cls)
        raise VocabularyError(f"{field}: {value!r} is not one of {allowed}")

    def __str__(self) -> str:
        return self.value


class SynonymScope(ClosedVocabulary):
    """oboInOwl synonym scopes."""

    EXACT = "EXACT"
    BROAD = "BROAD"
    NARROW = "NARROW"
    RELATED = "RELATED"

    @property
    def property_curie(self) -> str:
        return f"oboInOwl:has{self.value.capitalize()}Synonym"


class SynonymType(ClosedVocabulary):
    """Synonym types declared by HPO (``synonymtypedef``); ``layperson`` is the patient language."""

    LAYPERSON = "layperson"
    ABBREVIATION = "abbreviation"
    UK_SPELLING = "uk_spelling"
    PLURAL_FORM = "plural_form"
    OBSOLETE = "obsolete_synonym"
    ALLELIC_REQUIREMENT = "HP:0034334"

    @property
    def iri(self) -> str:
        if self.value.startswith("HP:"):
            return expand(self.value)
        return "http://purl.obolibrary.org/obo/hp#" + self.value


class MappingPredicate(ClosedVocabulary):
    """SKOS mapping relations, as SSSOM uses them."""

    EXACT = "skos:exactMatch"
    CLOSE = "skos:closeMatch"
    BROAD = "skos:broadMatch"
    NARROW = "skos:narrowMatch"
    RELATED = "skos:relatedMatch"

    @property
    def is_strong(self) -> bool:
        """Exact and close matches carry the meaning; broad, narrow and related ones only point near it."""
        return self in (MappingPredicate.EXACT, MappingPredicate.CLOSE, MappingPredicate.NARROW)


class Justification(ClosedVocabulary):
    """The SSSOM/semapv mapping justifications."""

    MANUAL = "semapv:ManualMappingCuration"
    LEXICAL = "semapv:LexicalMatching"
    LEXICAL_SIMILARITY = "semapv:LexicalSimilarityThresholdMatching"
    SEMANTIC_SIMILARITY = "semapv:SemanticSimilarityThresholdMatching"
    LOGICAL = "semapv:LogicalReasoning"
    STRUCTURAL = "semapv:StructuralMatching"
    CHAINING = "semapv:MappingChaining"
    REVIEW = "semapv:MappingReview"
    COMPOSITE = "semapv:CompositeMatching"
    UNSPECIFIED = "semapv:UnspecifiedMatching"


class ReviewStatus(ClosedVocabulary):
    """Where a mapping or a proposed concept stands in review."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class ExpressionOrigin(ClosedVocabulary):
    """Where a patient phrasing in our data comes from."""

    HPO_LAYPERSON = "hpo_layperson_synonym"
    ICD_INCLUSION = "icd10cm_inclusion_term"
    COMMON_USAGE = "common_usage"
    USER_FLAG = "user_flag"


class CategoryKind(ClosedVocabulary):
    """The kinds of EHR category: the ICD-10-CM hierarchy and review-of-systems template sections."""

    CHAPTER = "icd10cm_chapter"
    BLOCK = "icd10cm_block"
    CATEGORY = "icd10cm_category"
    CODE = "icd10cm_code"
    SECTION = "ros_section"


class SuggestionStatus(ClosedVocabulary):
    """What a suggestion says of a phrase (the evaluation contract's ``status`` column)."""

    KNOWN = "known"  # already a mapped expression or a label/synonym of a concept
    SUGGESTED = "suggested"  # a bridge to an existing concept: the gap decision says one fits
    GAP = "gap"  # no established concept fits: the candidates, if any, are only the nearest

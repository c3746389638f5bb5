"""Turning :class:`~hgap.ontology.model.Knowledge` into RDF (N-Triples lines, written fast as text).

Each mapping is reified as an ``hgap:Mapping`` carrying the SSSOM fields, and stated directly too
(``hgap:expresses`` for expression → concept, ``hgap:codedAs`` for concept → category) so that the common
questions are one hop; ``hgap:reaches`` materialises expression → category at build time.

>>> from hgap.ontology.model import Expression
>>> lines = list(expression_triples(Expression("HGAPEX:0001", 'say "hi"')))
>>> lines[1]
'<https://w3id.org/hgap/expression/0001> <http://www.w3.org/2000/01/rdf-schema#label> "say \\\\"hi\\\\""@en .\\n'
"""
from __future__ import annotations

from typing import Iterator

from .model import Category, Concept, Expression, Knowledge, Mapping, Source, reached_categories
from .vocab import PREFIXES, CategoryKind, expand, lookup_key

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
OWL = PREFIXES["owl"]
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]
HGAP = PREFIXES["hgap"]
PROV = PREFIXES["prov"]
DCT = PREFIXES["dcterms"]
OIO = PREFIXES["oboInOwl"]
XSD = PREFIXES["xsd"]
IAO_DEFINITION = "<http://purl.obolibrary.org/obo/IAO_0000115>"

KIND_CLASS = {
    CategoryKind.CHAPTER: "ICD10CMChapter",
    CategoryKind.BLOCK: "ICD10CMBlock",
    CategoryKind.CATEGORY: "ICD10CMCategory",
    CategoryKind.CODE: "ICD10CMCode",
    CategoryKind.SECTION: "TemplateSection",
}


def iri(curie: str) -> str:
    return f"<{expand(curie)}>"


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r"))


def lit(text: str, lang: str | None = "en") -> str:
    return f'"{_escape(text)}"@{lang}' if lang else f'"{_escape(text)}"'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def t(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


def key(s: str, kind: str, text: str) -> str:
    """A lookup key triple (see :func:`hgap.ontology.vocab.lookup_key`)."""
    return t(s, f"<{HGAP}{kind}Key>", lit(lookup_key(text), None))


def concept_triples(concept: Concept) -> Iterator[str]:
    s = iri(concept.id)
    yield t(s, RDF_TYPE, f"<{OWL}Class>")
    yield t(s, f"<{RDFS}label>", lit(concept.label))
    yield key(s, "label", concept.label)
    if concept.definition:
        yield t(s, IAO_DEFINITION, lit(concept.definition))
    for parent in concept.parents:
        yield t(s, f"<{RDFS}subClassOf>", iri(parent))
    if not concept.parents:
        yield t(s, f"<{RDFS}subClassOf>", f"<{HGAP}ClinicalConcept>")
    for number, synonym in enumerate(concept.synonyms):
        prop = iri(synonym.scope.property_curie)
        yield t(s, prop, lit(synonym.text))
        yield key(s, "synonym", synonym.text)
        if synonym.type is not None:
            # An OWL axiom annotation keeps the synonym type (HPO's layperson) as the OBO-to-OWL mapping does.
            axiom = f"_:{concept.id.replace(':', '_')}_synonym{number}"
            yield t(axiom, RDF_TYPE, f"<{OWL}Axiom>")
            yield t(axiom, f"<{OWL}annotatedSource>", s)
            yield t(axiom, f"<{OWL}annotatedProperty>", prop)
            yield t(axiom, f"<{OWL}annotatedTarget>", lit(synonym.text))
            yield t(axiom, f"<{OIO}hasSynonymType>", f"<{synonym.type.iri}>")
    yield t(s, f"<{PROV}wasDerivedFrom>", iri(concept.source))


def category_triples(category: Category) -> Iterator[str]:
    s = iri(category.id)
    yield t(s, RDF_TYPE, f"<{HGAP}{KIND_CLASS[category.kind]}>")
    yield t(s, RDF_TYPE, f"<{OWL}NamedIndividual>")
    yield t(s, f"<{RDFS}label>", lit(category.label))
    yield t(s, f"<{HGAP}categoryKind>", lit(category.kind.value, None))
    code = category.id.split(":", 1)[1]
    yield t(s, f"<{SKOS}notation>", lit(code, None))
    if category.parent:
        yield t(s, f"<{SKOS}broader>", iri(category.parent))
    if category.definition:
        yield t(s, f"<{SKOS}definition>", lit(category.definition))
    for term in category.inclusion_terms:
        yield t(s, f"<{HGAP}inclusionTerm>", lit(term))
        yield key(s, "inclusion", term)
    yield t(s, f"<{PROV}wasDerivedFrom>", iri(category.source))


def expression_triples(expression: Expression) -> Iterator[str]:
    s = iri(expression.id)
    yield t(s, RDF_TYPE, f"<{HGAP}PatientExpression>")
    yield t(s, f"<{RDFS}label>", lit(expression.text))
    yield key(s, "expression", expression.text)
    yield t(s, f"<{HGAP}origin>", lit(expression.origin.value, None))
    if expression.origin_ref:
        yield t(s, f"<{HGAP}originRef>", lit(expression.origin_ref, None))
    yield t(s, f"<{HGAP}reportCount>", typed(expression.report_count, "nonNegativeInteger"))
    if expression.body_system:
        yield t(s, f"<{HGAP}bodySystem>", iri(f"ROS:{expression.body_system}"))
    if expression.comment:
        yield t(s, f"<{RDFS}comment>", lit(expression.comment))
    yield t(s, f"<{PROV}wasDerivedFrom>", iri("HGAPS:expressions"))


def mapping_triples(mapping: Mapping, direct: str) -> Iterator[str]:
    s = iri(mapping.id)
    subject, obj = iri(mapping.subject_id), iri(mapping.object_id)
    yield t(s, RDF_TYPE, f"<{HGAP}Mapping>")
    yield t(s, RDF_TYPE, f"<{OWL}NamedIndividual>")
    yield t(s, f"<{HGAP}mappingSubject>", subject)
    yield t(s, f"<{HGAP}mappingPredicate>", iri(mapping.predicate_id.value))
    yield t(s, f"<{HGAP}mappingObject>", obj)
    yield t(s, f"<{HGAP}mappingJustification>", iri(mapping.mapping_justification.value))
    yield t(s, f"<{HGAP}confidence>", typed(f"{mapping.confidence:.3f}", "decimal"))
    yield t(s, f"<{HGAP}reviewStatus>", f"<{HGAP}{mapping.review_status.value}>")
    if mapping.author_id:
        yield t(s, f"<{PROV}wasAttributedTo>", iri(mapping.author_id))
    if mapping.reviewer_id:
        yield t(s, f"<{HGAP}reviewedBy>", iri(mapping.reviewer_id))
    if mapping.mapping_date:
        yield t(s, f"<{DCT}created>", typed(mapping.mapping_date, "date"))
    if mapping.comment:
        yield t(s, f"<{RDFS}comment>", lit(mapping.comment))
    if mapping.source:
        yield t(s, f"<{PROV}wasDerivedFrom>", iri(mapping.source))
    yield t(subject, f"<{HGAP}{direct}>", obj)
    yield t(subject, iri(mapping.predicate_id.value), obj)


def source_triples(source: Source) -> Iterator[str]:
    s = iri(source.id)
    yield t(s, RDF_TYPE, f"<{HGAP}Source>")
    yield t(s, RDF_TYPE, f"<{OWL}NamedIndividual>")
    yield t(s, f"<{DCT}title>", lit(source.title))
    yield t(s, f"<{HGAP}version>", lit(source.version, None))
    yield t(s, f"<{DCT}license>", lit(source.license, None))
    if source.citation:
        yield t(s, f"<{DCT}bibliographicCitation>", lit(source.citation))


def knowledge_triples(knowledge: Knowledge) -> Iterator[str]:
    """Every N-Triples line of the ABox (the TBox is ``hgap.ttl``)."""
    for source in knowledge.sources:
        yield from source_triples(source)
    agents = {m.author_id for m in knowledge.mappings} | {m.reviewer_id for m in knowledge.mappings}
    for agent in sorted(a for a in agents if a):
        yield t(iri(agent), RDF_TYPE, f"<{PROV}Agent>")
        yield t(iri(agent), RDF_TYPE, f"<{OWL}NamedIndividual>")
    for concept in knowledge.concepts.values():
        yield from concept_triples(concept)
    for category in knowledge.categories.values():
        yield from category_triples(category)
    for expression in knowledge.expressions.values():
        yield from expression_triples(expression)
    for mapping in knowledge.mappings:
        yield from mapping_triples(mapping, "expresses" if mapping.subject_id in knowledge.expressions else "codedAs")
    for expression_id, categories in reached_categories(knowledge).items():
        for category_id in sorted(categories):
            yield t(iri(expression_id), f"<{HGAP}reaches>", iri(category_id))

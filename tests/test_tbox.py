"""The schema (ontology/hgap.ttl) says what it is: IRI, version IRI, licence, a label and definition on every
class and property it defines or reuses as a class or object/data property."""
from __future__ import annotations

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from hgap.ontology.build import TBOX
from hgap.ontology.vocab import ONTOLOGY_IRI, VERSION_IRI

HGAP = rdflib.Namespace("https://w3id.org/hgap/ontology#")


def test_ontology_header() -> None:
    g = rdflib.Graph().parse(TBOX)
    ontology = rdflib.URIRef(ONTOLOGY_IRI)
    assert (ontology, RDF.type, OWL.Ontology) in g
    assert (ontology, OWL.versionIRI, rdflib.URIRef(VERSION_IRI)) in g
    assert g.value(ontology, rdflib.DCTERMS.license) is not None


def test_every_class_and_property_has_label_and_definition() -> None:
    g = rdflib.Graph().parse(TBOX)
    terms = set()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        terms |= {s for s in g.subjects(RDF.type, kind) if isinstance(s, rdflib.URIRef)}
    terms |= {s for s in g.subjects(RDF.type, OWL.AnnotationProperty) if str(s).startswith(str(HGAP))}
    assert len(terms) > 25
    missing = sorted(str(t) for t in terms if g.value(t, RDFS.label) is None or g.value(t, SKOS.definition) is None)
    assert missing == []


def test_closed_vocabularies_match_python() -> None:
    from hgap.ontology.vocab import Justification, ReviewStatus

    g = rdflib.Graph().parse(TBOX)
    statuses = {str(s).rsplit("#", 1)[1] for s in g.subjects(RDF.type, HGAP.ReviewStatus)}
    assert statuses == {s.value for s in ReviewStatus}
    justifications = {"semapv:" + str(s).rsplit("/", 1)[1] for s in g.subjects(RDF.type, HGAP.MappingJustification)}
    assert justifications == {j.value for j in Justification}

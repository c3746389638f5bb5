"""The ontology plus the fixture graph is consistent under HermiT (owlready2; needs Java)."""
from __future__ import annotations

import shutil

import pytest

from hgap.ontology.build import LoadedGraph
from hgap.ontology.reasoning import check_consistency

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java: apt-get install default-jre-headless")


def test_tbox_and_fixture_graph_are_consistent(fixture_graph: LoadedGraph) -> None:
    report = check_consistency(fixture_graph.store.dump("nt"))
    assert report.consistent, report.message
    assert report.unsatisfiable_classes == ()


def test_reasoner_catches_a_confidence_outside_0_1(fixture_graph: LoadedGraph) -> None:
    # Python refuses such a value when a Mapping is made; HermiT must refuse it too if one slips into the RDF.
    bad = b'<https://w3id.org/hgap/mapping/bad> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/hgap/ontology#Mapping> .\n' \
          b'<https://w3id.org/hgap/mapping/bad> <https://w3id.org/hgap/ontology#confidence> "1.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    report = check_consistency(fixture_graph.store.dump("nt") + bad)
    assert not report.consistent


def test_reasoner_catches_an_expression_typed_as_a_category(fixture_graph: LoadedGraph) -> None:
    bad = b'<https://w3id.org/hgap/expression/0001> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/hgap/ontology#ICD10CMCode> .\n'
    assert not check_consistency(fixture_graph.store.dump("nt") + bad).consistent

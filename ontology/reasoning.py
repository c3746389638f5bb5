"""Checking the ontology plus (a sample of) the graph under a real OWL reasoner: HermiT, shipped by owlready2.

HermiT runs on Java: install a JRE (Debian: ``default-jre-headless``).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ReasonerReport:
    consistent: bool
    message: str
    unsatisfiable_classes: tuple[str, ...] = ()


def check_consistency(ntriples: bytes | str) -> ReasonerReport:
    """Load the N-Triples (TBox and ABox together) into a fresh owlready2 world and run HermiT."""
    import owlready2

    data = ntriples.encode() if isinstance(ntriples, str) else ntriples
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.nt"
        path.write_bytes(data)
        world = owlready2.World()
        ontology = world.get_ontology(f"file://{path}").load(format="ntriples")
        try:
            with ontology:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as error:
            return ReasonerReport(False, f"inconsistent: {error}".strip())
        unsatisfiable = tuple(sorted(str(c.iri) for c in world.inconsistent_classes()))
        if unsatisfiable:
            return ReasonerReport(True, "consistent, but some classes are unsatisfiable", unsatisfiable)
        return ReasonerReport(True, "consistent")

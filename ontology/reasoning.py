"""Checking the ontology plus (a sample of) the graph under a real OWL reasoner: HermiT, shipped by owlready2.

HermiT runs on Java: install a JRE (Debian: ``default-jre-headless``).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Knowledge


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


def sample_knowledge(knowledge: "Knowledge", concepts: int = 400, seed: int = 0) -> "Knowledge":
    """A self-contained sample: every expression, the concepts they map to plus ``concepts`` random ones (with
    their ancestors), the categories those are mapped to (with their parents), and the mappings among them."""
    import random

    from .model import Knowledge

    rng = random.Random(seed)
    chosen = {m.object_id for m in knowledge.expression_mappings()}
    chosen |= set(rng.sample(sorted(knowledge.concepts), min(concepts, len(knowledge.concepts))))
    stack = list(chosen)
    while stack:
        for parent in knowledge.concepts[stack.pop()].parents:
            if parent not in chosen and parent in knowledge.concepts:
                chosen.add(parent)
                stack.append(parent)
    mappings = [m for m in knowledge.mappings
                if (m.subject_id in knowledge.expressions or m.subject_id in chosen)
                and (m.object_id in chosen or m.object_id in knowledge.categories)]
    categories = {m.object_id for m in mappings if m.object_id in knowledge.categories}
    stack = list(categories)
    while stack:
        parent = knowledge.categories[stack.pop()].parent
        if parent and parent not in categories:
            categories.add(parent)
            stack.append(parent)
    return Knowledge(
        concepts={c: knowledge.concepts[c] for c in chosen},
        categories={c: knowledge.categories[c] for c in categories},
        expressions=dict(knowledge.expressions),
        mappings=mappings,
        sources=list(knowledge.sources),
    )


def check_knowledge(knowledge: "Knowledge") -> ReasonerReport:
    """The TBox plus the N-Triples of ``knowledge``, under HermiT."""
    import pyoxigraph as ox

    from .build import TBOX
    from .rdf import knowledge_triples

    store = ox.Store()
    store.load(TBOX.read_bytes(), format=ox.RdfFormat.TURTLE)
    tbox = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return check_consistency(tbox + "".join(knowledge_triples(knowledge)).encode())

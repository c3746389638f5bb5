"""A guard against gap queries that grow super-linearly on pyoxigraph (minutes instead of milliseconds).

A synthetic graph of hgap's shape (3,000 expressions, 3,000 concepts in a ``rdfs:subClassOf`` hierarchy,
1,000 ICD-10-CM categories, mappings and the materialised ``hgap:reaches``, all made by hgap's own
derivation and RDF writer) is loaded into an in-memory pyoxigraph store, and each gap query is run in a
subprocess that is killed at ``BOUND_S`` seconds, so the suite never hangs. It catches a form that explodes,
not a few milliseconds: each normally takes well under a second.

Guarded: the named query ``unmapped_expressions`` (whatever ``queries/unmapped_expressions.rq`` says) and
the property-path forms that pyoxigraph answers fast (OPTIONAL + !BOUND, MINUS). Not guarded: the form
``FILTER NOT EXISTS { ?e hgap:expresses/rdfs:subClassOf*/hgap:codedAs ?c }``, which pyoxigraph 0.5 does not
answer within minutes even on the real graph's 40 fixture expressions (see ``benchmarks/bench_store.py``);
if the named query is ever rewritten into that form, the named-query case here fails.

Run directly, ``python tests/test_gap_query_speed_guard.py FORM`` prints the seconds and the gaps found.
"""
from __future__ import annotations

import json
import random
import subprocess
import sys
import time

import pytest

BOUND_S = 20.0
EXPRESSIONS, CONCEPTS, CATEGORIES = 3_000, 3_000, 1_000

PATH = "hgap:expresses/rdfs:subClassOf*/hgap:codedAs"
FORMS = {
    "unmapped_expressions": None,  # the named query, run through run_named
    "path_optional_unbound":
        f"SELECT DISTINCT ?e WHERE {{ ?e a hgap:PatientExpression . OPTIONAL {{ ?e {PATH} ?c }} FILTER(!BOUND(?c)) }}",
    "path_minus":
        f"SELECT DISTINCT ?e WHERE {{ ?e a hgap:PatientExpression . MINUS {{ ?e {PATH} ?c }} }}",
}


def synthetic_knowledge(seed: int = 7):  # type: ignore[no-untyped-def]
    """hgap-shaped records: a concept tree (up to 2 parents), categories in a chapter/category/code tree,
    strong concept → code mappings for a quarter of the concepts, chained to their descendants as the build
    does, and expressions mapped to 0-2 concepts each."""
    from hgap.ontology.derive import chained_mappings
    from hgap.ontology.model import Category, Concept, Expression, Knowledge, Mapping

    rng = random.Random(seed)
    concepts = {}
    for i in range(CONCEPTS):
        cid = f"HP:{i:07d}"
        parents = () if i == 0 else tuple(sorted({f"HP:{rng.randrange(i // 2, i):07d}"
                                                   for _ in range(1 + (rng.random() < 0.2))}))
        concepts[cid] = Concept(cid, f"concept {i}", parents=parents)
    categories = {"ICD10CM:A00-Z99": Category("ICD10CM:A00-Z99", "chapter", "icd10cm_chapter")}
    for i in range(CATEGORIES - 1):
        if i % 10 == 0:
            categories[f"ICD10CM:C{i:04d}"] = Category(f"ICD10CM:C{i:04d}", f"category {i}", "icd10cm_category",
                                                       parent="ICD10CM:A00-Z99")
        else:
            categories[f"ICD10CM:C{i:04d}.1"] = Category(f"ICD10CM:C{i:04d}.1", f"code {i}", "icd10cm_code",
                                                         parent=f"ICD10CM:C{i - i % 10:04d}")
    codes, concept_ids = sorted(categories), sorted(concepts)
    # Only deep concepts are coded, so that many concepts (the upper part of the tree) have no category.
    crosswalk = [Mapping(cid, "skos:exactMatch", rng.choice(codes), "semapv:ManualMappingCuration", 0.9)
                 for cid in rng.sample(concept_ids[CONCEPTS // 3:], CONCEPTS // 3)]
    chained = list(chained_mappings(concepts, crosswalk, categories))
    expressions = {f"HGAPEX:{i:05d}": Expression(f"HGAPEX:{i:05d}", f"phrase {i}", report_count=1 + i % 7)
                   for i in range(EXPRESSIONS)}
    expression_mappings = [Mapping(eid, "skos:exactMatch", rng.choice(concept_ids), "semapv:ManualMappingCuration", 0.9)
                           for eid in expressions for _ in range(rng.choice((0, 1, 1, 2)))]
    return Knowledge(concepts=concepts, categories=categories, expressions=expressions,
                     mappings=expression_mappings + crosswalk + chained)


def run_form(form: str) -> dict:
    """Load the synthetic graph into pyoxigraph in memory and run one form; the seconds and the gaps."""
    from hgap.ontology.model import reached_categories
    from hgap.ontology.queries import run_named
    from hgap.ontology.rdf import knowledge_triples
    from hgap.ontology.store import OxigraphStore
    from hgap.ontology.vocab import contract

    knowledge = synthetic_knowledge()
    store = OxigraphStore.from_ntriples("".join(knowledge_triples(knowledge)))
    start = time.perf_counter()
    if FORMS[form] is None:
        rows = run_named(store, form).rows
    else:
        rows = store.select(FORMS[form]).rows
    seconds = time.perf_counter() - start
    expected = sorted(e for e, cats in reached_categories(knowledge).items() if not cats)
    return {"seconds": seconds, "found": sorted(contract(r[0]) for r in rows), "expected": expected,
            "triples": store.triple_count()}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_gap_query_finishes_quickly_on_a_synthetic_graph(form: str) -> None:
    try:
        done = subprocess.run([sys.executable, __file__, form], capture_output=True, text=True, timeout=BOUND_S)
    except subprocess.TimeoutExpired:  # subprocess.run kills the child
        pytest.fail(f"gap query {form}: no answer within {BOUND_S:.0f} s on {EXPRESSIONS:,} expressions and "
                    f"{CONCEPTS:,} concepts: it grows super-linearly")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    expected = answer["expected"]
    assert 0 < len(expected) < EXPRESSIONS  # the synthetic graph has gaps and non-gaps
    if form == "unmapped_expressions":  # LIMIT 1000 rows, most-reported first
        assert set(answer["found"]) <= set(expected) and len(answer["found"]) == min(len(expected), 1000)
    else:
        assert answer["found"] == expected


if __name__ == "__main__":
    print(json.dumps(run_form(sys.argv[1])))

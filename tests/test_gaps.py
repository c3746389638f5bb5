"""Gap finding on the fixture, whose known gaps are designed in (see fixture_ids)."""
from __future__ import annotations

import networkx as nx
import pytest
from fixture_ids import (
    ALWAYS_NEED_TO_GO, BRAIN_ZAPS, CHEST_FEELS_TIGHT, CREEPY_CRAWLY_LEGS, CRASH_AFTER_EXERTION, FLUTTERY_CHEST,
    GENITOURINARY, HAVING_A_FIT, LIMBS, PHENOTYPIC_ABNORMALITY, R00_1_BRADYCARDIA, R06_2_WHEEZING, RESTLESS_LEGS,
    SEIZURE, UNMAPPED_EXPRESSIONS, URINARY_URGENCY, NERVOUS_SYSTEM, CARDIOVASCULAR, RESPIRATORY, CONSTITUTIONAL,
    PARESTHESIA, HANGXIETY,
)

from hgap.graph import gaps
from hgap.graph.gaps import Gap, GapKind
from hgap.graph.projection import project
from hgap.ontology.model import Knowledge, reached_categories


@pytest.fixture(scope="module")
def G(fixture_knowledge: Knowledge) -> nx.DiGraph:
    return project(fixture_knowledge)


def ids(found) -> set[str]:  # type: ignore[no-untyped-def]
    return {g.subject_id for g in found}


def test_unmapped_expressions(G: nx.DiGraph) -> None:
    assert ids(gaps.unmapped_expressions(G)) == UNMAPPED_EXPRESSIONS | {CREEPY_CRAWLY_LEGS}
    assert ids(gaps.unmapped_expressions(G, "icd10cm")) == UNMAPPED_EXPRESSIONS | {
        HAVING_A_FIT, ALWAYS_NEED_TO_GO, CREEPY_CRAWLY_LEGS}
    assert ids(gaps.unmapped_expressions(G, "section")) == UNMAPPED_EXPRESSIONS | {CREEPY_CRAWLY_LEGS}
    fit = next(g for g in gaps.unmapped_expressions(G, "icd10cm") if g.subject_id == HAVING_A_FIT)
    assert fit.kind is GapKind.UNMAPPED_EXPRESSION and fit.label == "having a fit"
    assert fit.object_ids == (SEIZURE,) and fit.reasons == ("maps to Seizure (HP:0001250), which has no ICD-10-CM code",)
    zaps = next(g for g in gaps.unmapped_expressions(G) if g.subject_id == BRAIN_ZAPS)
    assert (zaps.reasons, zaps.reports, zaps.expression_ids) == (("maps to no concept",), 12, (BRAIN_ZAPS,))


def test_unmapped_agrees_with_the_model(G: nx.DiGraph, fixture_knowledge: Knowledge) -> None:
    reached = reached_categories(fixture_knowledge)
    assert ids(gaps.unmapped_expressions(G)) == {e for e, cats in reached.items() if not cats}


def test_uncodable_concepts(G: nx.DiGraph) -> None:
    assert ids(gaps.uncodable_concepts(G)) == {RESTLESS_LEGS}
    assert ids(gaps.uncodable_concepts(G, "icd10cm")) == {RESTLESS_LEGS, SEIZURE, URINARY_URGENCY}
    below = ids(gaps.uncodable_concepts(G, "icd10cm", scope="all", root=PHENOTYPIC_ABNORMALITY))
    assert below == {RESTLESS_LEGS, SEIZURE, URINARY_URGENCY, LIMBS, NERVOUS_SYSTEM, GENITOURINARY, CARDIOVASCULAR,
                     RESPIRATORY, CONSTITUTIONAL}
    assert ids(gaps.uncodable_concepts(G, scope="all", root=PHENOTYPIC_ABNORMALITY)) == {RESTLESS_LEGS, LIMBS}
    legs = next(gaps.uncodable_concepts(G))
    assert legs.expression_ids == (CREEPY_CRAWLY_LEGS,) and legs.reports == 1
    # Limbs is uncodable too, but the expression is its child's to strand.
    limbs = next(g for g in gaps.uncodable_concepts(G, scope="all") if g.subject_id == LIMBS)
    assert limbs.expression_ids == () and limbs.reports == 0 and limbs.centrality > 0
    assert legs.impact > limbs.impact  # the concept that strands a reported phrase comes first
    with pytest.raises(ValueError, match="root"):
        list(gaps.uncodable_concepts(G, root="HP:404"))


def test_weak_bridges(G: nx.DiGraph) -> None:
    assert ids(gaps.weak_bridges(G)) == {FLUTTERY_CHEST, CHEST_FEELS_TIGHT}
    assert ids(gaps.weak_bridges(G, "icd10cm")) == {FLUTTERY_CHEST, CHEST_FEELS_TIGHT}
    fluttery = next(g for g in gaps.weak_bridges(G, "icd10cm") if g.subject_id == FLUTTERY_CHEST)
    assert "skos:relatedMatch 0.50 → Palpitations (HP:0001962)" in fluttery.reasons[0]
    assert "confidence 0.50 < 0.70" in fluttery.reasons
    # Multiplying the two links' confidences is stricter: Fatigue's broadMatch 0.7 to R53.83 then weakens
    # its expressions too.
    product = ids(gaps.weak_bridges(G, "icd10cm", combine="product"))
    assert {FLUTTERY_CHEST, CHEST_FEELS_TIGHT} < product
    assert ids(gaps.weak_bridges(G, threshold=0.0)) == {FLUTTERY_CHEST, CHEST_FEELS_TIGHT}  # weak by predicate
    with pytest.raises(ValueError, match="threshold"):
        list(gaps.weak_bridges(G, threshold=1.5))


def test_stranded_categories(G: nx.DiGraph) -> None:
    assert ids(gaps.stranded_categories(G)) == {R00_1_BRADYCARDIA, R06_2_WHEEZING}
    assert ids(gaps.stranded_categories(G, scope="mapped")) == set()  # every code a concept maps to is reached
    everything = ids(gaps.stranded_categories(G, scope="all"))
    assert {R00_1_BRADYCARDIA, R06_2_WHEEZING, "ROS:skin"} <= everything
    assert ids(gaps.stranded_categories(G, "section", scope="all")) == {"ROS:skin"}
    bradycardia = next(gaps.stranded_categories(G))
    assert "patients do reach its siblings under ICD10CM:R00" in bradycardia.reasons[-1]


def test_all_gaps_and_ranking(G: nx.DiGraph) -> None:
    found = list(gaps.all_gaps(G))
    assert all(isinstance(g, Gap) for g in found)
    assert {g.kind for g in found} == set(GapKind)
    assert len(found) == 9 + 1 + 2 + 2
    assert ids(gaps.all_gaps(G, kinds=["weak_bridge"])) == {FLUTTERY_CHEST, CHEST_FEELS_TIGHT}
    ranked = gaps.rank_gaps(found)
    assert [g.subject_id for g in ranked[:2]] == [BRAIN_ZAPS, CRASH_AFTER_EXERTION]  # 12 and 6 reports
    assert [g.impact for g in ranked] == sorted((g.impact for g in ranked), reverse=True)
    assert gaps.rank_gaps(found, top=3) == ranked[:3]
    for g in found:
        assert 0.0 <= g.centrality <= 1.0
    with pytest.raises(ValueError, match="kinds"):
        list(gaps.all_gaps(G, kinds=["no_such_gap"]))


def test_impact_grows_with_reports_and_centrality(G: nx.DiGraph) -> None:
    assert gaps.impact_score(2, 0.0) < gaps.impact_score(3, 0.0) < gaps.impact_score(3, 0.5)
    H = G.copy()
    H.nodes[CRASH_AFTER_EXERTION]["report_count"] = 20  # flagged by more users
    top = gaps.rank_gaps(gaps.unmapped_expressions(H), top=1)[0]
    assert top.subject_id == CRASH_AFTER_EXERTION and top.impact == 20.0
    # The three strand one report each; the branch roots none, so they rank below them.
    ranked = [g.subject_id for g in gaps.rank_gaps(
        gaps.uncodable_concepts(G, "icd10cm", scope="all", root=PHENOTYPIC_ABNORMALITY))]
    assert set(ranked[:3]) == {SEIZURE, URINARY_URGENCY, RESTLESS_LEGS}


def test_input_is_checked() -> None:
    with pytest.raises(TypeError, match="hgap projection"):
        list(gaps.unmapped_expressions(nx.DiGraph()))


# ----------------------------------------------------------------------------------------------------
# hgap gaps


def test_cli_gaps_table(fixture_home, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from hgap.cli import main

    monkeypatch.setenv("HGAP_HOME", str(fixture_home))
    assert main(["gaps", "--top", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["rank", "kind", "impact", "reports", "subject_id", "label", "reason"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].split()[:6] == ["1", "unmapped_expression", "12.00", "12", BRAIN_ZAPS, "brain"]
    assert len(lines) == 5


def test_cli_gaps_kinds_and_formats(fixture_home, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from hgap.cli import main

    monkeypatch.setenv("HGAP_HOME", str(fixture_home))
    assert main(["gaps", "--kind", "weak_bridge", "--kind", "stranded_category", "--format", "tsv"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows[0][:5] == ["rank", "kind", "impact", "reports", "subject_id"]
    assert {r[4] for r in rows[1:]} == {FLUTTERY_CHEST, CHEST_FEELS_TIGHT, R00_1_BRADYCARDIA, R06_2_WHEEZING}
    assert main(["gaps", "--kind", "uncodable_concept", "--category-kinds", "icd10cm", "--format", "json",
                 "--top", "0"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {d["subject_id"] for d in data} == {RESTLESS_LEGS, SEIZURE, URINARY_URGENCY}
    assert {"kind", "subject_id", "subject_label", "impact", "reasons", "reports"} <= set(data[0])
    # None below Paresthesia: the empty answer says how to ask about ICD-10-CM codes instead.
    assert main(["gaps", "--kind", "uncodable_concept", "--root", PARESTHESIA]) == 0
    assert "no gaps found (with --category-kinds any" in capsys.readouterr().out


def test_cli_counts_flags_as_reports(fixture_home, tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """A phrase flagged from the terminal (or the web app: one file) is ranked by its flags, as the web app
    ranks it; a flagged phrase the graph lacks becomes a gap of its own; --no-flags ranks the build alone."""
    import json

    from hgap.cli import main

    monkeypatch.setenv("HGAP_HOME", str(fixture_home))
    flags = tmp_path / "flags.jsonl"
    for phrase in ["Hangxiety!"] * 12 + ["my skin feels like static"]:
        assert main(["flag", phrase, "--flags", str(flags)]) == 0
    assert "(12 flags in" in capsys.readouterr().out.splitlines()[11]

    def unmapped(*options: str) -> list[dict]:
        assert main(["gaps", "--kind", "unmapped_expression", "--format", "json", "--top", "0", *options]) == 0
        return json.loads(capsys.readouterr().out)

    ranked = unmapped("--flags", str(flags))
    assert (ranked[0]["subject_id"], ranked[0]["reports"]) == (HANGXIETY, 13)  # 1 in the build + 12 flags
    assert "my skin feels like static" in {g["subject_label"] for g in ranked}
    build_only = unmapped("--flags", str(flags), "--no-flags")
    assert build_only[0]["subject_id"] == BRAIN_ZAPS and len(build_only) == len(ranked) - 1
    assert main(["flag", "--flags", str(flags), "--format", "json"]) == 0
    assert [(r["phrase"], r["count"]) for r in json.loads(capsys.readouterr().out)] == [
        ("Hangxiety!", 12), ("my skin feels like static", 1)]
    # Bad input: a clear error, nothing stored.
    assert main(["flag", "  ", "--flags", str(flags)]) == 2
    assert "phrase: empty" in capsys.readouterr().err
    assert main(["gaps", "--flags", str(tmp_path / "missing.jsonl")]) == 2
    assert "missing.jsonl: no such file" in capsys.readouterr().err
    assert len(flags.read_text().splitlines()) == 13


def test_cli_without_a_build(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from hgap.cli import main

    monkeypatch.setenv("HGAP_HOME", str(tmp_path))
    assert main(["gaps"]) == 2
    assert "run `hgap build`" in capsys.readouterr().err
    assert main(["gaps", "--home", str(tmp_path / "elsewhere")]) == 2
    assert "elsewhere" in capsys.readouterr().err

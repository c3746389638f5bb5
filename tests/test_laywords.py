"""The lay-word table loads, expands patients' words and phrases into clinical ones, and rejects a bad row by line."""
from __future__ import annotations

from pathlib import Path

import pytest

from hgap.graph import laywords, textnorm
from hgap.ontology.tsv import DataError


def _readings(phrase: str) -> list[laywords.LayReading]:
    return laywords.readings(textnorm.content_tokens(phrase), textnorm.normalize(phrase).split())


def test_table_expands_common_lay_words() -> None:
    assert len(laywords.lay_table().words) > 150

    def clinical(phrase: str) -> set[str]:
        return {t for r in _readings(phrase) for t in r.clinical}

    assert "urination" in clinical("my wee burns")
    assert textnorm.content_tokens("tingling")[0] in clinical("tingly toes")
    assert clinical("pins and needles") == set()
    assert clinical("my back is killing me") == {"pain"}  # the idiom says how bad it hurts


def test_a_lay_phrase_is_read_whole_and_in_order() -> None:
    # The particle carries the meaning: "throw up" is not "throw", and it may come after the object.
    def read(phrase: str) -> list[tuple[str, tuple[str, ...]]]:
        return [(r.written, r.clinical) for r in _readings(phrase)]

    vomit = textnorm.content_tokens("vomiting")[0]
    assert vomit in read("throwing up blood")[0][1]
    assert read("throwing up blood")[0][0] == "throwing up"
    assert read("she threw it all up")[0][0] == "threw it all up"
    assert read("I threw my back out") == [] and read("throw the ball up high") == []
    # A word of a lay phrase is read as the phrase, not on its own ("winded" stems like "wind").
    assert [w for w, _ in read("passing wind")] == ["passing wind"]
    assert textnorm.content_tokens("flatulence")[0] in read("passing wind")[0][1]
    assert [w for w, _ in read("winded")] == ["winded"]
    # "seized up" stems like "seizure": the phrase is a stiff joint, not a fit.
    assert read("my knee seizes up") == [("seizes up", tuple(textnorm.content_tokens("stiffness")))]
    assert read("I had a seizure") == []


def test_a_negated_lay_phrase_matches_any_negation() -> None:
    # "not poo" (data/lay_words.tsv) is constipation however the patient says the "not".
    def read(phrase: str) -> list[tuple[str, ...]]:
        return [r.clinical for r in _readings(phrase)]

    constipation = (textnorm.content_tokens("constipation")[0],)
    for phrase in ("I can't poo", "haven't had a poo in days", "not been for a poo", "no poo for a week",
                   "he hasn't opened his bowels"):
        assert read(phrase) == [constipation], phrase
    assert constipation not in read("my poo is runny")  # a word of the phrase, without the negation
    assert read("I can't see at night") == [tuple(textnorm.content_tokens("nyctalopia night blindness"))]
    # The longer phrase is read, not the one inside it: "can't pass water" is not passing water.
    assert read("I can't pass water") == [tuple(textnorm.content_tokens("urinary retention"))]
    restless = (textnorm.stem("restlessness"),)  # "restless" and "restlessness" are one stem
    assert read("my legs won't keep still") == read("I can't sit still") == [restless]
    assert read("I keep still") == []


def test_passing_water_at_night_is_nocturia_in_either_order() -> None:
    def read(phrase: str) -> list[tuple[str, ...]]:
        return [r.clinical for r in _readings(phrase)]

    nocturia = (textnorm.stem("nocturia"),)
    assert read("I keep needing to pee at night") == read("up in the night for a wee") == [nocturia]


def test_moods_that_go_up_and_down_whatever_the_form_of_go() -> None:
    """"goes" stems to "goe": a lay phrase is matched without the verb that only says a thing moves."""
    def read(phrase: str) -> list[str]:
        return [r.written for r in _readings(phrase)]

    assert read("my mood is up and down") == ["mood is up and down"]
    assert read("my moods go up and down") == ["moods go up and down"]
    assert read("my mood goes up and down") == ["mood goes up and down"]
    assert read("my mood is down") == []


def test_not_waking_is_sleepiness_not_waking_early() -> None:
    def read(phrase: str) -> list[tuple[str, ...]]:
        return [r.clinical for r in _readings(phrase)]

    sleepy = tuple(textnorm.content_tokens("hypersomnia somnolence"))
    assert read("I can't wake up") == read("I can't wake up in the morning") == [sleepy]
    assert read("I wake up too early") == []
    # the morning is read with the phrase (when it is hard to wake), not left to draw early waking
    assert [r.written for r in _readings("I can't wake up in the morning")] == ["not wake up in the morning"]


def test_bad_row_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "lay_words.tsv"
    path.write_text("lay_word\tclinical_words\tnote\nwee\turine\t\nup and out\tvomiting\t\n")
    with pytest.raises(DataError, match=r"line 3: lay_word: 'up and out' has no content word"):
        laywords.lay_table(path)
    path.write_text("lay_word\tclinical_words\tnote\nthrow up\tthrowing\t\n")
    with pytest.raises(DataError, match=r"line 2: clinical_words: 'throwing' add nothing to the lay phrase 'throw up'"):
        laywords.lay_table(path)


def test_a_lay_word_is_read_by_its_own_forms_not_by_its_stem() -> None:
    """"chesty" stems to "chest", "sleepy" to "sleep", "hives" to "hiv": those words must not read as the lay word."""
    def read(phrase: str) -> list[str]:
        return [r.written for r in _readings(phrase)]

    assert read("a chesty cough") == ["chesty"] and read("chest pain") == []
    assert read("sleep problems") == [] and read("sleepy all day") == ["sleepy"]
    assert read("hair loss") == [] and read("an HIV test") == [] and read("I came out in hives") == ["hives"]
    # Inflections of the lay word still are: "weeing", "pooed", "achy" and "aching".
    assert read("weeing a lot") == ["weeing"] and read("my muscles are aching") == ["aching"]

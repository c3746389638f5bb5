"""Lay words patients use (``wee``, ``tingly``, ``poo``) and the words clinical labels use for the same thing.

The table is ``data/lay_words.tsv`` (ours). Both sides go through :func:`hgap.graph.textnorm.content_tokens`,
the normaliser the suggester uses, so a lay word's stem finds the stems of its clinical words; the suggester
adds those to a phrase's words with a lower weight (query expansion), as it does for typo corrections.

A row may also give a lay phrase of several words, a phrasal verb whose small word carries the meaning
("throw up", "pass out", "pass wind"): those words are filler to the normaliser, so "throwing up blood"
would otherwise be read as "throw" and "blood". A lay phrase matches the phrase's words in order, filler
words skipped except the particles of :data:`PARTICLES` ("throw it up", "open my bowels").

>>> "urination" in lay_table().words[textnorm.content_tokens("wee")[0]]
True
>>> [(r.covers, r.written, r.clinical[0]) for r in readings(["throw", "blood"], ["throwing", "up", "blood"])]
[((0,), 'throwing up', 'vomit')]

A negated lay phrase ("not poo": constipation) matches any negation, and a lay phrase inside a longer one
is read as the longer:

>>> [(r.written, r.clinical) for r in readings(["not", "poo"], ["havent", "had", "a", "poo"])]
[('havent had a poo', ('constipation',))]
>>> [(r.written, r.clinical[0]) for r in readings(["not", "pas", "water"], ["cant", "pass", "water"])]
[('cant pass water', 'urinar')]
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Sequence

from hgap.ontology.curated import data_dir
from hgap.ontology.tsv import DataError, read_rows

from . import textnorm

LAY_WORDS_FILE = "lay_words.tsv"
LAY_WEIGHT = 0.7  # an expansion counts less than a word the patient wrote
# The adverbs of English phrasal verbs: filler words to the normaliser, but "throw up" is not "throw".
PARTICLES = frozenset({"up", "down", "out", "off", "over", "in", "on", "away"})


class LayTable(NamedTuple):
    """Lay-word stem → clinical stems, and lay phrase (its stems, particles kept) → clinical stems; ``forms``:
    per lay-word stem, the words as written that are read as it."""

    words: dict[str, tuple[str, ...]]
    phrases: dict[tuple[str, ...], tuple[str, ...]]
    forms: dict[str, frozenset[str]]


def inflections(word: str) -> frozenset[str]:
    """A lay word as written and its regular inflections and derivations: the forms read as it. Its stem is
    not enough: "chesty" stems to "chest", "hives" to "hiv", "sleepy" to "sleep", words that mean otherwise.

    >>> {"wees", "weeing", "weed"} <= inflections("wee"), "throbbing" in inflections("throb")
    (True, True)
    >>> "chest" in inflections("chesty"), "sleep" in inflections("sleepy"), "sleepiness" in inflections("sleepy")
    (False, False, True)
    """
    forms = {word}
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.add(word[:-1])  # a plural's singular: "guts", "gut"
    if word.endswith("y") and len(word) > 3 and word[-2] not in "aeiouy":
        forms |= inflections(word[:-1] + "e")  # "achy": "ache", "aches", "aching"
    for suffix in ("s", "es", "ed", "ing", "er", "est", "ness", "ly"):
        forms.add(word + suffix)
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing", word[:-1] + "y"}
    if word.endswith("y") and len(word) > 2:
        base = word[:-1]
        forms |= {base + "ies", base + "ied", base + "ier", base + "iest", base + "iness", base + "ily"}
    if len(word) >= 3 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        forms |= {word + word[-1] + suffix for suffix in ("ed", "ing", "er", "y")}  # throb: throbbing
    return frozenset(forms)


class LayReading(NamedTuple):
    """A lay word or phrase met in a phrase: the positions of the content stems it ``covers``, how it is
    ``written``, and the ``clinical`` stems it stands for."""

    covers: tuple[int, ...]
    written: str
    clinical: tuple[str, ...]
    whole: bool = False  # a lay phrase: its words stand for the clinical words, not for themselves


# "Go" says only that a thing moves ("my moods go up and down", "it goes up"), and the light stemmer gives its
# forms no one stem ("goes" is "goe"): a lay phrase is matched without it.
_MOTION_VERBS = frozenset({"go", "goes", "going", "gone", "went"})


# A lay phrase's negation matches any negation ("not poo" is also "can't poo", "haven't pooed" and "no poo
# for days"): the stemmer makes every negation "not" (textnorm).
def _phrase_stems(words: Sequence[str]) -> list[tuple[int, str]]:
    """(position, stem) of the words (normalised, as written) that a lay phrase is matched on.

    >>> [s for _, s in _phrase_stems(["my", "mood", "goes", "up", "and", "down"])]
    ['mood', 'up', 'down']
    """
    return [(j, textnorm.stem(w)) for j, w in enumerate(words)
            if (w not in textnorm.STOPWORDS or w in PARTICLES) and w not in _MOTION_VERBS]


@lru_cache(maxsize=4)
def lay_table(path: Path | None = None) -> LayTable:
    """The lay words and lay phrases of ``data/lay_words.tsv`` (or ``path``)."""
    path = path or data_dir() / LAY_WORDS_FILE
    words: dict[str, tuple[str, ...]] = {}
    forms: dict[str, frozenset[str]] = {}
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    for lineno, row in read_rows(path, ("lay_word", "clinical_words")):
        written = textnorm.normalize(row["lay_word"]).split()
        keys = [w for w in written if w not in textnorm.STOPWORDS]
        if not keys:
            raise DataError(f"{path}, line {lineno}: lay_word: {row['lay_word']!r} has no content word "
                            f"(only filler words such as 'up', 'my')")
        if len(written) == 1:
            key = textnorm.stem(written[0])
            targets = tuple(t for t in textnorm.content_tokens(row["clinical_words"]) if t != key)
            if targets:  # none left when normalisation already does it (British spelling: anaemia → anemia)
                words[key] = tuple(dict.fromkeys(words.get(key, ()) + targets))
                forms[key] = forms.get(key, frozenset()) | inflections(written[0])
        else:
            stems = tuple(s for _, s in _phrase_stems(written))
            targets = tuple(textnorm.content_tokens(row["clinical_words"]))  # its words may be among them: bowel
            if set(targets) <= set(stems):
                raise DataError(f"{path}, line {lineno}: clinical_words: {row['clinical_words']!r} add nothing "
                                f"to the lay phrase {row['lay_word']!r}")
            phrases[stems] = tuple(dict.fromkeys(phrases.get(stems, ()) + targets))
    return LayTable(words, phrases, forms)


def readings(stems: Sequence[str], as_written: Sequence[str], table: LayTable | None = None) -> list[LayReading]:
    """The lay words and phrases of a phrase, by position: ``stems`` are its content stems
    (:func:`textnorm.content_tokens`), ``as_written`` its normalised words, filler words included.

    >>> [(r.covers, r.written) for r in readings(["pas", "wind", "bum"], ["passing", "wind", "from", "my", "bum"])]
    [((0, 1), 'passing wind'), ((2,), 'bum')]
    """
    table = lay_table() if table is None else table
    content = [(j, w) for j, w in enumerate(as_written) if w not in textnorm.STOPWORDS]
    aligned = len(content) == len(stems)  # else a phrase of filler words only, read by content_tokens' fallback
    found: list[LayReading] = []
    for k, stem in enumerate(stems):
        # As written, when the phrase's words line up with its stems ("chest" is not "chesty").
        if stem in table.words and (not aligned or content[k][1] in table.forms.get(stem, ())):
            found.append(LayReading((k,), content[k][1] if aligned else stem, table.words[stem]))
    if table.phrases and aligned and len(as_written) > 1:
        seq = _phrase_stems(as_written)
        content_at = {j: k for k, (j, _) in enumerate(content)}  # a word's position -> its content position
        stem_seq = [s for _, s in seq]
        phrases: list[LayReading] = []
        for length in {len(p) for p in table.phrases}:
            for start in range(len(seq) - length + 1):
                clinical = table.phrases.get(tuple(stem_seq[start : start + length]))
                if clinical:
                    first, last = seq[start][0], seq[start + length - 1][0]
                    covers = tuple(content_at[j] for j, _ in seq[start : start + length] if j in content_at)
                    phrases.append(LayReading(covers, " ".join(as_written[first : last + 1]), clinical, True))
        # A lay phrase inside a longer one is read as the longer: "can't pass water" is not "pass water".
        phrases = [r for r in phrases if not any(set(r.covers) < set(o.covers) for o in phrases)]
        # A word of a lay phrase is read as the phrase: "passing wind" is not "winded".
        in_phrase = {k for r in phrases for k in r.covers}
        found = sorted([r for r in found if r.covers[0] not in in_phrase] + phrases, key=lambda r: r.covers[0])
    return found

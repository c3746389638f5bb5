"""Suggesting the concepts a patient phrase may express, with evidence, a calibrated score and a status.

Every label, synonym and known expression of a concept becomes a *document* of that concept, of one kind:

``known_expression``  a patient expression already mapped to the concept;
``label`` / ``synonym``  the concept's own names;
``layperson_synonym`` / ``inclusion_term``  HPO lay synonyms and ICD-10-CM inclusion terms, the concept's
own or carried over from a concept of another vocabulary with the same name (label/synonym alignment).

A phrase is compared with every document by character 2–4-grams and by word stems (TF-IDF cosines, after
:mod:`hgap.graph.textnorm` folded case, punctuation, word order, inflections and British spelling;
unknown words are corrected to the nearest indexed word), and with each concept's centroid. Per concept,
the best match of each kind, the share of identical known expressions, a match to a name and the
concept's prior become features of a softmax ranker whose weights are fitted on the known mappings by
cross-validation (on the patients' phrasings held out, when there are enough of them); the score of a
candidate is its softmax probability. With the optional sentence embeddings, each candidate's cosine to
its nearest document and to its centroid join the features. Supervised signals, counted within
each fold on that fold's known phrasings only, join them: the share of known phrasings with the same words in
the same order (a phrasing mapped word for word comes back with its majority concept first), a multinomial
naive Bayes of concept given word stems and stem pairs (its best concepts also join the candidates), a
similarity-weighted vote of the nearest known phrasings, the agreement of the body regions the phrase and
the concept's label name (:func:`sites`), and the share of the phrase's words the concept's phrasings use. Whether a phrase is a ``gap`` is a
second, logistic decision over several signals (top probability, margin, best similarity to anything
known, words never seen, a match to a term of the built-in vocabularies that no given concept carries),
fitted by simulating an open set on the known mappings (concepts held out of cross-validation folds),
its threshold chosen to maximise F1 there.

>>> s = Suggester.from_tables(
...     [("C1", "Headache"), ("C2", "Anaemia"), ("C3", "Paraesthesia"), ("C4", "Leg pain")],
...     [("my head is pounding", "C1"), ("pins and needles", "C3"), ("sore legs", "C4")])
>>> r = s.suggest("Headaches")
>>> r.status.value, r.candidates[0].concept_id
('known', 'C1')
>>> s.suggest("anemia").candidates[0].label
'Anaemia'
>>> s.suggest("head pounding badly").candidates[0].concept_id
'C1'
>>> s.suggest("xqzv blorft").status.value
'gap'
>>> [c.text for c in s.complete("pin")]
['pins and needles']
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, NamedTuple, Sequence, TypeVar

import numpy as np

from hgap.ontology.curated import data_dir
from hgap.ontology.hpo import PHENOTYPIC_ABNORMALITY, descendants_of
from hgap.ontology.vocab import SuggestionStatus

from . import laywords, textnorm
from .bodysites import BODY_SITES_FILE, region_mask, site_split, sites
from ._sparse import DenseProduct, csr_from, l2_rows, tfidf
from .embeddings import Embedder
from .fitting import fit_logistic, fit_softmax, hinge_features, knot_points, softmax
from hgap.ontology.pickles import atomic_pickle, files_digest, read_pickle, replace_cached

from .lexicon import Lexicon, builtin_knowledge, cache_dir, strip_qualifiers
from .qualifiers import QUALIFIERS_FILE, Qualifier, qualifier_words, split_qualifiers

if TYPE_CHECKING:  # pragma: no cover
    from scipy.sparse import csr_matrix

    from hgap.ontology.model import Knowledge

__all__ = ["Evidence", "CategoryLink", "Candidate", "NamedCategory", "SimilarGap", "Suggestion", "Completion", "Lexicon", "Suggester", "FEATURES", "builtin_knowledge"]

T = TypeVar("T")
R = TypeVar("R")

# Kinds of document, and the group whose best match becomes a ranking feature.
KINDS = ("known_expression", "label", "synonym", "layperson_synonym", "inclusion_term")
_GROUP = {"known_expression": 0, "label": 1, "synonym": 1, "layperson_synonym": 2, "inclusion_term": 2}
_PATIENT_KINDS = frozenset({"known_expression", "layperson_synonym"})  # documents in patients' words
_N_GROUPS = 3

# Evidence kinds and signals that can be switched off (``features=`` of the constructors).
FEATURES = frozenset(
    {
        "known_expression", "label", "synonym", "layperson_synonym", "inclusion_term",  # documents
        "char", "word", "centroid", "vote", "typo", "prior", "hierarchy", "lexicon_gap", "embedding",  # signals
        "exact", "nb", "knn", "site", "cover",  # supervised signals (fitted on the known phrasings of each index)
        "laywords",  # lay words and phrases expanded into the clinical words of data/lay_words.tsv (graph/laywords.py)
        "qualifiers",  # a known phrasing with severity or time words is its concept, qualified (graph/qualifiers.py)
    }
)

_F_NAMES = (
    "char_expr", "word_expr", "char_name", "word_name", "char_lay", "word_lay",
    "char_centroid", "word_centroid", "vote", "name_key", "prior", "char_best2", "word_best2", "embedding",
    "exact", "nb_logp", "nb_post", "nb_top", "knn", "site_region", "site_same", "site_conflict", "site_extra",
    "site_missing", "cover", "embedding_best", "cover_finding",
)
_F = {name: j for j, name in enumerate(_F_NAMES)}
_N_F = len(_F_NAMES)
_CANDIDATES = 30  # concepts the ranker looks at per phrase
_GENERATE = 40  # concepts generated per phrase (by best document similarity) before the pre-score cut
# Up to this many documents, phrase-document similarities are computed densely. (AskAPatient's 9,012 on the
# sparse path: 2,698 against 2,290 phrases/s, but acc@1 0.857 against 0.873, so the dense path stays.)
_DENSE_DOCS = 20_000
_GEN_MAX_DF = 200  # sparse generation ignores character n-grams in more documents than this ...
_GEN_MAX_SHARE = 0.005  # ... or this share of the documents, whichever is more
_HIERARCHY_DECAY = 0.5

# Tables with too few known phrasings to fit on (fewer than _MIN_FIT; e.g. a hand-made example) rank with
# these hand-set weights (one per feature of _F_NAMES: similarities count, exact keys count most) and call a
# phrase a gap when its best similarity or its top probability is low. They are a neutral starting point,
# fitted on no data; every table with enough known phrasings (the built graph, the evaluation tables) is
# fitted on its own ones instead (see Suggester.fit).
_UNFITTED_RANK_W = (2.0, 2.0, 2.0, 2.0, 1.5, 1.5, 1.0, 1.0, 3.0, 4.0, 0.5, 3.0, 3.0, 2.0,
                    4.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.5, -0.5, 0.0, 0.0, 0.0, 2.0, 0.0)
_UNFITTED_SIM_FLOOR = 0.5
_UNFITTED_P_FLOOR = 0.2
_NB_ALPHA = 0.1  # additive smoothing of the token counts of the association
_NB_PRIOR = 1.0  # weight of the log share of known phrasings of a concept in the association
_KNN = 10  # known phrasings that vote for their concepts
_NB_GENERATE = 3  # the association's best concepts join each phrase's candidates
# The gap decision also hears the association and the nearest known phrasings, and how far the phrase lies
# from the top concept against that concept's own phrasings' spread (the spread: open-set gap F1 0.653 -> 0.665,
# mean of six seeds; seeds 13/1/2: 0.570/0.723/0.681 -> 0.598/0.737/0.708).
_GAP_SUPERVISED = True
# A name or recorded phrasing met once typos and lay words are read, against one met as written: "throwing up
# blood", read "vomiting blood", is Hematemesis's phrasing (benchmarks/ablation_suggest.py, thirteenth session).
_READ_WEIGHT = 0.7
_MIN_FIT = 300  # known phrasings (held out in turn) needed to fit the ranker and the gap decision
_MIN_GAP_EXAMPLES = 20  # curated gap phrasings needed to fit the gap decision on them (else: simulated open set)
_SIMILAR_GAPS = 3  # known unplaced phrasings shown beside a gap answer, at most ...
_SIMILAR_GAP_FLOOR = 0.35  # ... and only those at least this similar (mean of character and word cosines)
_MIN_FIT_KNOWLEDGE = 60  # the same for a Knowledge (its expressions and lay synonyms)


@dataclass(frozen=True)
class Evidence:
    """Why a concept is suggested: which document matched (``kind``, ``text``), ``how``, and how well."""

    kind: str
    text: str
    how: str
    score: float


@dataclass(frozen=True)
class CategoryLink:
    """An EHR category (ICD-10-CM code or block, review-of-systems section) a concept reaches, and how."""

    category_id: str
    label: str
    predicate: str
    justification: str
    confidence: float


@dataclass(frozen=True)
class Candidate:
    """A concept a phrase may express, with a score in [0, 1], its evidence and (built-in mode) the EHR
    categories the concept reaches."""

    concept_id: str
    label: str
    score: float
    evidence: tuple[Evidence, ...]
    categories: tuple[CategoryLink, ...] = ()


@dataclass(frozen=True)
class NamedCategory:
    """An EHR category whose own title or inclusion term says what the phrase says (the same words after
    normalisation, ``matched``) and that the phrase's first concept does not reach: a code for a phrase the
    concept layer cannot place ("black eye": no HPO concept, but ICD-10-CM S00.1 lists "Black eye")."""

    category_id: str
    label: str
    matched: str


@dataclass(frozen=True)
class SimilarGap:
    """A patient phrasing already known to have no established concept (a curated gap) that resembles the
    phrase: the same hole in the vocabulary, met again."""

    text: str
    score: float


@dataclass(frozen=True)
class Suggestion:
    """The answer for one phrase: its status and its ranked candidates (nearest concepts for a gap), and for
    a gap, the known unplaced phrasings it resembles."""

    phrase: str
    status: SuggestionStatus
    candidates: tuple[Candidate, ...]
    similar_gaps: tuple[SimilarGap, ...] = ()
    # When the fitted gap decision chose between ``suggested`` and ``gap``: its estimate that no concept fits,
    # and the value from which it calls a gap (a top score says which concept is likeliest, not whether any is).
    gap_likelihood: float | None = None
    gap_threshold: float | None = None
    # Codes whose own title or inclusion term the phrase says, that its first concept does not reach.
    named_categories: tuple[NamedCategory, ...] = ()
    # A phrase that lists several experiences ("I've had headaches and I feel sick"): each part's own answer.
    parts: tuple["Suggestion", ...] = ()
    # The phrase says its first concept is absent ("no fever", "I don't have a headache"): to record as negated.
    absent: bool = False


@dataclass(frozen=True)
class Completion:
    """An autocomplete entry: a label, synonym or expression (``text``) of a concept."""

    text: str
    concept_id: str
    label: str
    matched: str
    scope: str


def _reads_as(stem: str, fix: str, english: bool) -> bool:
    """Whether an unindexed word's stem may be read as the indexed ``fix`` (:meth:`Suggester.correct`).
    A word no English dictionary knows is a typo; an English word only stands for an inflection the
    stemmer missed ("slurry" → "slur"), never for another word ("throbbing" is not "throwing")."""
    return not english or fix.startswith(stem) or stem.startswith(fix)


def _unseen_misspelling(word: str, indexed: Mapping[str, str]) -> bool:
    """Whether a folded word is neither an English word nor an indexed word as written: a typo to read even
    when its stem is indexed."""
    return textnorm.is_written_word(word) and word not in indexed and not textnorm.is_english_word(word)


# "ough" and "augh" at a word's end or before an ending said "of", "af" ("cough", "coughing", "laugh"):
# Metaphone and NYSIIS keep the "gh" silent, so "coffing" would not sound like "coughing". ("though" and
# "through" are said otherwise, but a misspelling of them reads nothing a patient means.)
_SPOKEN_GH = re.compile(r"(?<=[oa])ugh(?=$|s$|ed$|ing$)")
# How sure the answer to a phrase's head (before its circumstance or site) must be, unless the head is a name or
# recorded phrasing, to put its concept before the whole phrase's.
_HEAD_SURE = 0.5


@functools.lru_cache(maxsize=65536)
def _sound(word: str) -> tuple[str, str]:
    from jellyfish import metaphone, nysiis

    said = _SPOKEN_GH.sub("f", word)
    return metaphone(said), nysiis(said)


def _sounds_alike(written: str, word: str) -> int:
    """How alike two words sound: 2 if their Metaphone codes agree ("tierd", "tired"), 1 if only their NYSIIS
    codes do ("headake", "headache"), else 0. Patients spell by ear, and a misspelling that sounds like a word
    is that word even two slips away. (jellyfish: both codes, in Rust, well tested; ours would be neither.)

    >>> _sounds_alike("throte", "throat"), _sounds_alike("diahrea", "diarrhea"), _sounds_alike("gane", "gaze")
    (2, 1, 0)
    >>> _sounds_alike("coffing", "coughing")
    2
    """
    a, b = _sound(written), _sound(word)
    return 2 if a[0] == b[0] else 1 if a[1] == b[1] else 0


def _nb_tokens(stems: Sequence[str]) -> list[str]:
    """The tokens the word-to-concept association counts: the content stems and their adjacent pairs."""
    return list(stems) + [f"{a}_{b}" for a, b in zip(stems, stems[1:])]


# ----------------------------------------------------------------------------------------------------
# Vectorising: character n-grams with numpy, word stems with a dictionary.


def _char_codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(row, code) of every character 2-, 3- and 4-gram of ``" " + text + " "`` (bytes packed in an int)."""
    if not texts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    padded = [" " + t + " " for t in texts]
    buf = np.frombuffer("\x00".join(padded).encode("ascii", "replace"), dtype=np.uint8).astype(np.int64)
    lengths = np.fromiter((len(p) + 1 for p in padded), np.int64, len(padded))
    row = np.repeat(np.arange(len(padded), dtype=np.int64), lengths)[: len(buf)]
    zero = buf == 0
    rows, codes = [], []
    for n in (2, 3, 4):
        m = len(buf) - n + 1
        if m <= 0:
            continue
        code = np.zeros(m, np.int64)
        bad = np.zeros(m, bool)
        for i in range(n):
            code = (code << 8) | buf[i : i + m]
            bad |= zero[i : i + m]
        keep = ~bad
        rows.append(row[:m][keep])
        codes.append(code[keep])
    return np.concatenate(rows), np.concatenate(codes)


class _Space:
    """The feature columns (character n-gram codes, word stems) shared by the documents and the phrases."""

    def __init__(self, char_texts: Sequence[str], word_lists: Sequence[Sequence[str]]) -> None:
        _, codes = _char_codes(char_texts)
        self.codes = np.unique(codes)
        self.words: dict[str, int] = {}
        for ws in word_lists:
            for w in ws:
                if w not in self.words:
                    self.words[w] = len(self.words)
        self.word_list = list(self.words)

    def char_counts(self, texts: Sequence[str]) -> "csr_matrix":
        rows, codes = _char_codes(texts)
        cols = np.searchsorted(self.codes, codes)
        cols[cols >= len(self.codes)] = 0
        keep = self.codes[cols] == codes if len(self.codes) else np.zeros(len(codes), bool)
        return csr_from(rows[keep], cols[keep], len(texts), max(len(self.codes), 1))

    def word_counts(self, word_lists: Sequence[Sequence[str]], extra: Sequence[Sequence[tuple[str, float]]] = ()) -> "csr_matrix":
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for i, ws in enumerate(word_lists):
            for w in ws:
                j = self.words.get(w)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
                    vals.append(1.0)
        for i, pairs in enumerate(extra):
            for w, v in pairs:
                rows.append(i)
                cols.append(self.words[w])
                vals.append(v)
        return csr_from(np.array(rows, np.int64), np.array(cols, np.int64), len(word_lists), max(len(self.words), 1),
                    np.array(vals, np.float32))


class _GapSpace:
    """The known gap phrasings in a TF-IDF space of their own (characters and word stems), so that a phrase
    is compared with them on their words, not only on the words the concepts' documents happen to use."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.norms = [textnorm.normalize(t) for t in texts]
        self.norm_index: dict[str, list[int]] = defaultdict(list)  # a normalised text → its phrasings
        for j, n in enumerate(self.norms):
            self.norm_index[n].append(j)
        words = [textnorm.content_tokens(t) for t in texts]
        chars = [" ".join(ws) for ws in words]
        self.space = _Space(chars, words)
        cc, wc = self.space.char_counts(chars), self.space.word_counts(words)
        self.idf_c, self.idf_w = _Index._idf(cc, len(texts)), _Index._idf(wc, len(texts))
        self.cols = (tfidf(cc, self.idf_c).T.tocsr(), tfidf(wc, self.idf_w).T.tocsr())

    def similarities(self, phrases: Sequence[str]) -> np.ndarray:
        """(phrases, gap phrasings): the mean of the character and the word cosine."""
        words = [textnorm.content_tokens(p) for p in phrases]
        qc = tfidf(self.space.char_counts([" ".join(ws) for ws in words]), self.idf_c)
        qw = tfidf(self.space.word_counts(words), self.idf_w)
        return 0.5 * ((qc @ self.cols[0]).toarray() + (qw @ self.cols[1]).toarray())


# ----------------------------------------------------------------------------------------------------
# The documents of a table of concepts.


def _named_text(text: str, kind: str) -> str:
    """What a document is matched and embedded as: a clinical name as what it names, not what it excludes
    ("Nausea without vomiting" is no match for "vomited"); a patient's "can't walk without pain" whole."""
    return text if kind in _PATIENT_KINDS else textnorm.affirmed(text)


@dataclass
class _Docs:
    concept: list[int] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    key: list[str] = field(default_factory=list)
    chars: list[str] = field(default_factory=list)
    words: list[list[str]] = field(default_factory=list)
    fold: list[int] = field(default_factory=list)  # -1: not a known mapping (never held out)
    own: list[bool] = field(default_factory=list)  # False: carried over from a lexicon entry
    norm: list[str] = field(default_factory=list)  # the text normalised, words and order kept

    def add(self, concept: int, kind: str, text: str, fold: int = -1, own: bool = True) -> None:
        words = textnorm.content_tokens(text)
        if not words:
            return
        named = _named_text(text, kind)  # its key, said word for word, is still the whole name
        matched = words if named == text else textnorm.content_tokens(named)
        self.concept.append(concept)
        self.kind.append(kind)
        self.text.append(text)
        self.key.append(" ".join(sorted(set(words))))
        self.chars.append(" ".join(matched))
        self.words.append(matched)
        self.fold.append(fold)
        self.own.append(own)
        self.norm.append(textnorm.normalize(text))


class _Index:
    """Documents of a subset of rows, TF-IDF weighted, grouped by concept.

    A phrase's candidate concepts are generated sparsely (the concepts of the documents sharing its rarer
    character n-grams or any word stem), and the ranking features are computed for those candidates only,
    so the cost per phrase does not grow with the number of concepts.
    """

    def __init__(self, owner: "Suggester", rows: np.ndarray, removed: frozenset[int] = frozenset()) -> None:
        from scipy.sparse import csr_matrix

        self.owner = owner
        # (an unknown stem, the word as written if misspelt) -> the indexed stem it is read as (a typo), or None
        self.corrections: dict[tuple[str, str | None], str | None] = {}
        self.removed = removed
        n_c = len(owner.ids)
        concept = owner.doc_concept[rows]
        group = owner.doc_group[rows]
        order = np.lexsort((group, concept))  # by concept: each concept's documents are contiguous
        self.rows = rows[order]
        self.concept = concept[order]
        self.group = group[order]
        cc = owner.char_counts[self.rows]
        wc = owner.word_counts[self.rows]
        n = len(self.rows)
        self.idf_c = self._idf(cc, n)
        self.idf_w = self._idf(wc, n)
        self.xc = tfidf(cc, self.idf_c)
        self.xw = tfidf(wc, self.idf_w)
        self.dense = n <= _DENSE_DOCS
        if not self.dense:
            # Many documents: character n-grams found in more than a small share of them are dropped (they
            # touch every document and make the phrase-document products dense), and cosines are taken in
            # that reduced space, so that every similarity comes from sparse products. The ranker and the gap
            # decision are fitted on these same features.
            df_c = np.bincount(cc.indices, minlength=cc.shape[1])
            drop = df_c > max(_GEN_MAX_DF, n * _GEN_MAX_SHARE)
            self.idf_c[drop] = 0.0
            self.xc = tfidf(cc, self.idf_c)
            self.xc.eliminate_zeros()
        self.xct = self.xc.T.tocsr()
        self.xwt = self.xw.T.tocsr()
        self._char_products: tuple[DenseProduct, DenseProduct] | None = None
        # Each concept's documents: positions self.cdocs[cptr[c]:cptr[c + 1]].
        self.cdocs = np.argsort(self.concept, kind="stable")
        self.cptr = np.zeros(n_c + 1, np.int64)
        np.cumsum(np.bincount(self.concept, minlength=n_c), out=self.cptr[1:])
        # Centroids of every concept's documents.
        member = csr_matrix((np.ones(n, np.float32), (self.concept, np.arange(n))), shape=(n_c, n))
        cent_c, cent_w = l2_rows(member @ self.xc), l2_rows(member @ self.xw)
        self.cct = cent_c.T.tocsr()
        self.cwt = cent_w.T.tocsr()
        # How far a concept's own documents lie from its centroid, on average (its "radius"): a phrase much
        # farther out than the concept's own phrasings is less likely to be one of them.
        count = np.maximum(np.bincount(self.concept, minlength=n_c), 1)
        self.spread = np.zeros((n_c, 2), np.float32)  # (characters, words) per concept
        for j, (docs, cent) in enumerate(((self.xc, cent_c), (self.xw, cent_w))):
            if n:
                own = np.asarray(docs.multiply(cent[self.concept]).sum(axis=1)).ravel()
                self.spread[:, j] = np.bincount(self.concept, own, n_c) / count
        # Exact keys: votes among known expressions, matches of names.
        self.votes: dict[str, Counter[int]] = defaultdict(Counter)
        self.names: dict[str, set[int]] = defaultdict(set)  # own names: a match makes a phrase "known"
        self.borrowed: dict[str, set[int]] = defaultdict(set)  # names carried over from the lexicon
        self.exact: dict[str, Counter[int]] = defaultdict(Counter)  # the same words in the same order
        keys = owner.doc_key
        own = owner.doc_own
        norms = owner.doc_norm
        for r, c, g in zip(self.rows.tolist(), self.concept.tolist(), self.group.tolist()):
            if g == 0:
                self.votes[keys[r]][c] += 1
                self.exact[norms[r]][c] += 1
            elif own[r]:
                self.names[keys[r]].add(c)
            else:
                self.borrowed[keys[r]].add(c)
        expr_count = np.bincount(self.concept[self.group == 0], minlength=n_c).astype(np.float32)
        self.prior = np.log1p(expr_count) / max(1.0, float(np.log1p(expr_count.max(initial=0.0))))
        present = np.zeros(n_c, bool)
        present[self.concept] = True
        for c in removed:
            present[c] = False
        self.present = present
        df_w = np.diff(wc.tocsc().indptr) if n else np.zeros(0)
        self.vocab = [w for w, d in zip(owner.space.word_list, df_w) if d > 0 and len(w) >= 4]
        self.vocab_set = frozenset(w for w, d in zip(owner.space.word_list, df_w) if d > 0)
        self.word_df = {w: int(d) for w, d in zip(owner.space.word_list, df_w) if d > 0}
        self.surface = [w for w, st in owner.surface_stems.items() if st in self.vocab_set]
        # Adjacent word pairs (stems) of the documents, for reading a word in context (_read_in_context), and
        # the stems of patients' phrasings: a patient's misspelling is of a word patients use.
        rows_list = self.rows.tolist()
        self.pairs = frozenset(pair for r in rows_list for pair in zip(owner.doc_words[r], owner.doc_words[r][1:]))
        self.patient_stems = frozenset(w for r in rows_list if owner.doc_kind[r] in _PATIENT_KINDS
                                       for w in owner.doc_words[r])
        self.heard: dict[str, list[tuple[int, str]]] = {}  # a word as written -> what it may be a slip of
        self.lex_aligned = np.array(owner.lex_aligned_mask(removed), bool)
        self.train = owner.doc_fold[self.rows] >= 0  # the known phrasings among this index's documents
        self._fit_association()
        vecs = getattr(owner, "doc_vecs", None)  # the embedding centroids of this index's own documents
        self.emb_cent = None if vecs is None else _emb_centroids(vecs[self.rows], self.concept, n_c)

    def _fit_association(self) -> None:
        """A multinomial naive Bayes of concept given tokens (stems and stem pairs), counted over this
        index's known phrasings only: which words a concept's phrasings use, whatever their spelling."""
        from scipy.sparse import csr_matrix

        owner = self.owner
        n_c = len(owner.ids)
        self.nb_cls = np.zeros(0, np.int64)
        self.cover_t = None
        if "cover" in owner.features:
            # Which words each concept's known phrasings and label use (for the coverage of a phrase).
            lab = np.array([owner.doc_kind[r] == "label" for r in self.rows.tolist()], bool)
            use = np.flatnonzero(self.train | lab)
            toks = owner.doc_tok[self.rows[use]]
            member = csr_matrix((np.ones(len(use), np.float32), (self.concept[use], np.arange(len(use)))),
                                shape=(n_c, len(use)))
            b = (member @ toks).tocsr()
            b.data[:] = 1.0
            df = np.diff(toks.tocsc().indptr).astype(np.float32)
            self.cover_idf = np.where(df > 0, np.log((1.0 + len(use)) / (1.0 + df)) + 1.0, 0.0).astype(np.float32)
            self.cover_t = b.T.tocsr()
        if "nb" not in owner.features or not self.train.any():
            return
        tr = np.flatnonzero(self.train)
        toks = owner.doc_tok[self.rows[tr]]
        cls, y = np.unique(self.concept[tr], return_inverse=True)
        member = csr_matrix((np.ones(len(tr), np.float32), (y, np.arange(len(tr)))), shape=(len(cls), len(tr)))
        counts = (member @ toks).tocsr()
        df = np.diff(toks.tocsc().indptr)
        self.nb_known = (df > 0).astype(np.float32)
        v = float(self.nb_known.sum())
        a = _NB_ALPHA
        total = np.asarray(counts.sum(axis=1)).ravel()
        lg = counts.copy()
        lg.data = np.log1p(lg.data / a).astype(np.float32)
        self.nb_lt = lg.T.tocsr()
        self.nb_den = np.log(total + a * v).astype(np.float32)
        n_docs = np.bincount(y, minlength=len(cls)).astype(np.float32)
        self.nb_prior = (_NB_PRIOR * np.log(n_docs / n_docs.sum())).astype(np.float32)
        self.nb_cls = cls
        self.nb_of = np.full(n_c, -1, np.int64)
        self.nb_of[cls] = np.arange(len(cls))

    def _tokens_present(self, tok_lists: Sequence[Sequence[str]], usable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(phrase, token) of each distinct token of each phrase that is indexed and marked ``usable``."""
        vocab = self.owner.tok_vocab
        rows, cols = [], []
        for i, ts in enumerate(tok_lists):
            for t in dict.fromkeys(ts):
                j = vocab.get(t)
                if j is not None and usable[j]:
                    rows.append(i)
                    cols.append(j)
        return np.array(rows, np.int64), np.array(cols, np.int64)

    def coverage(self, stem_lists: Sequence[Sequence[str]]) -> "csr_matrix | None":
        """Per phrase and concept, the share of the phrase's words (weighted by rarity) that the concept's
        known phrasings or label use: a word no phrasing of the concept uses hints at another meaning."""
        if self.cover_t is None:
            return None
        r, c = self._tokens_present(stem_lists, self.cover_idf > 0)
        q = csr_from(r, c, len(stem_lists), len(self.cover_idf), self.cover_idf[c])
        tot = np.asarray(q.sum(axis=1)).ravel()
        q = (q.multiply(1.0 / np.maximum(tot, 1e-9)[:, None])).tocsr()
        return (q @ self.cover_t).tocsr()

    def association(self, tok_lists: Sequence[Sequence[str]]) -> np.ndarray | None:
        """Per phrase, the log posterior of every concept of ``nb_cls`` (None without the association)."""
        if not len(self.nb_cls):
            return None
        rows, cols = self._tokens_present(tok_lists, self.nb_known > 0)
        q = csr_from(rows, cols, len(tok_lists), len(self.nb_known))
        n_t = np.bincount(rows, minlength=len(tok_lists)).astype(np.float32)
        s = (q @ self.nb_lt).toarray()
        s += self.nb_prior[None, :] - n_t[:, None] * self.nb_den[None, :]
        s -= s.max(axis=1, keepdims=True)
        s -= np.log(np.exp(s).sum(axis=1, keepdims=True))
        return s

    @staticmethod
    def _idf(counts: "csr_matrix", n: int) -> np.ndarray:
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float32)
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
        idf[df == 0] = 0.0
        return idf.astype(np.float32)

    # -- the phrases' side

    def queries(self, phrases: Sequence[str]) -> tuple["csr_matrix", "csr_matrix", list[str], np.ndarray, list[list[str]], list[list[tuple[str, str]]], list[tuple[str, ...]], list[list[tuple[str, str]]]]:
        """Character and word vectors of the phrases, their keys, their share of unknown words, their
        content stems with typos corrected, those typos (the word as written, the stem read), the keys of
        each phrase as read (:meth:`_read_keys`), and its lay words (as written, a clinical stem each stands
        for)."""
        owner = self.owner
        chars, words, keys, extra, oov = [], [], [], [], np.zeros(len(phrases), np.float32)
        fixed: list[list[str]] = []
        readings: list[list[tuple[str, str]]] = []
        read_keys: list[tuple[str, ...]] = []
        lay_readings: list[list[tuple[str, str]]] = []
        use_typo = "typo" in owner.features
        lay = laywords.lay_table() if "laywords" in owner.features else None
        for i, p in enumerate(phrases):
            ws = textnorm.content_tokens(p)
            chars.append(" ".join(ws))
            words.append(ws)
            keys.append(" ".join(sorted(set(ws))))
            fixes: list[tuple[str, float]] = []
            unknown = [w for w in ws if w not in self.vocab_set]
            oov[i] = len(unknown) / max(1, len(ws))
            repl: dict[str, str] = {}
            read: list[tuple[str, str]] = []
            as_written = textnorm.normalize(p).split()
            written = {textnorm.stem(w): w for w in as_written}  # a stem -> the word as written
            # A misspelt word whose stem happens to be indexed is read too ("migrane" -> "migran", the stem of
            # "migrans"): a word no English dictionary knows, and that no document has as written.
            suspect = [st for x in as_written if _unseen_misspelling(x, owner.surface_stems)
                       and (st := textnorm.stem(x)) in self.vocab_set and st in ws] if use_typo else []
            if use_typo and (unknown or suspect):
                misspelt = textnorm.unknown_word_stems(p)
                for w in suspect + unknown:
                    if written.get(w, w) in owner.clinical_words:  # a real word the concepts lack: no typo
                        continue
                    fix = owner.correct(w, self, written[w] if w in misspelt else None)
                    if fix and fix != w and _reads_as(w, fix, w not in misspelt):
                        repl[w] = fix
                        read.append((written[w], fix))
                    elif fix == w and w in suspect:  # its stem was right ("chils": "chil", of "chills"); its
                        read.append((written[w], fix))  # spelling is still news to the meaning model
            if use_typo and len(ws) > 1:
                self._read_in_context(ws, as_written, repl, read)
            fixes = [(fix, 0.9) for fix in dict.fromkeys(repl.values())]
            readings.append(read)
            lay_here = laywords.readings(ws, as_written, lay) if lay else []
            read_keys.append(self._read_keys([repl.get(w, w) for w in ws], bool(repl), lay_here))
            # The words of a lay phrase stand for its clinical words, not for themselves: "passing of wind" is
            # no "passing out", nor "winded".
            whole = {k for r in lay_here if r.whole for k in r.covers}
            kept = [w for k, w in enumerate(ws) if k not in whole] if whole else ws
            words[-1] = kept
            # Lay words ("wee", "tingly") also count as the clinical words they stand for, a little less.
            expansions = list(dict.fromkeys(t for r in lay_here for t in r.clinical if t not in kept and t in self.vocab_set))
            in_phrase = {t for r in lay_here if r.whole for t in r.clinical}
            fixes.extend((t, 1.0 if t in in_phrase else laywords.LAY_WEIGHT) for t in expansions)
            # Said in the evidence: "'nauseous' is lay for 'nausea'".
            lay_readings.append([(r.written, t) for r in lay_here for t in r.clinical if t in expansions])
            extra.append(fixes)
            fixed.append((list(dict.fromkeys(repl.get(w, w) for w in kept)) if repl else kept) + expansions)
        qc = tfidf(owner.space.char_counts(chars), self.idf_c)
        qw = owner.space.word_counts(words, extra)
        qw.data = np.where(qw.data > 0, 1.0 + np.log(np.maximum(qw.data, 1e-6)), 0.0).astype(np.float32)
        qw.data *= self.idf_w[qw.indices]
        qw = l2_rows(qw)
        if "char" not in owner.features:
            qc = qc.multiply(0).tocsr()
        if "word" not in owner.features:
            qw = qw.multiply(0).tocsr()
        return qc, qw, keys, oov, fixed, readings, read_keys, lay_readings

    @staticmethod
    def _read_keys(read: list[str], typos: bool, lay: Sequence[laywords.LayReading]) -> tuple[str, ...]:
        """The keys of a phrase as read (``read``: its stems, typos read): so, if it had typos, and with each
        lay word or phrase as each clinical word it stands for ("nauseous": "nausea", "throwing up blood":
        "vomiting blood")."""
        keys = {" ".join(sorted(set(read)))} if typos else set()
        for reading in lay:
            rest = [w for k, w in enumerate(read) if k not in reading.covers]
            for clinical in reading.clinical:
                keys.add(" ".join(sorted(set(rest + [clinical]))))
        return tuple(keys)

    def _read_in_context(self, stems: list[str], as_written: list[str], repl: dict[str, str],
                         read: list[tuple[str, str]]) -> None:
        """Read by ear, in context, the words of a phrase that no document has as written and that make no word
        pair any document has with a neighbour: as a near indexed word that does make one ("back pane": "back
        pain", "weight gane": "weight gain", "night sweets": "night sweats"), or two neighbours as one word
        ("hart burn": "heartburn"). A patient who spells by ear writes real words too ("pane", "hart"), which
        the typo reading leaves alone. Updates ``repl`` (stem -> stem read) and ``read`` (the words as
        written -> the stem read) in place."""
        owner = self.owner
        content = [(j, w) for j, w in enumerate(as_written) if w not in textnorm.STOPWORDS]
        if len(content) != len(stems):  # a phrase of filler words only: nothing to read in context
            return
        now = [repl.get(w, w) for w in stems]
        pairs = self.pairs

        def paired(k: int, stem: str) -> bool:
            return (k > 0 and (now[k - 1], stem) in pairs) or (k + 1 < len(now) and (stem, now[k + 1]) in pairs)

        def indexed(word: str) -> bool:  # as written (a short word: its stem)
            return word in owner.surface_stems or (len(word) < 4 and textnorm.stem(word) in self.vocab_set)

        k = 0
        while k < len(now):
            j, word = content[k]
            after = content[k + 1][1] if k + 1 < len(now) and content[k + 1][0] == j + 1 else ""  # next, if adjacent
            if (min(len(word), len(after)) > 1 and (now[k], now[k + 1]) not in pairs
                    and not (indexed(word) and indexed(after))):
                one = word + after  # "bed wetting", or a slip of an indexed word: "hart burn"
                joined = [one] if one in owner.surface_stems else [
                    w for d, w in owner.readings_of(one, self) if d <= 1 or _sounds_alike(one, w)]
                if joined:
                    stem = owner.surface_stems[joined[0]]
                    repl[stems[k]] = repl[stems[k + 1]] = now[k] = now[k + 1] = stem
                    read[:] = [(x, f) for x, f in read if x not in (word, after)]
                    read.append((f"{word} {after}", stem))
                    k += 2
                    continue
            # (Re-reading words that documents have as written, when they sound like a word that makes a pair,
            # read "bad balance" as "bod", "hurt to walk" as "hard": AskAPatient acc@1 0.902 -> 0.897.)
            if not indexed(word) and not paired(k, now[k]):
                fits = [w for _, w in owner.readings_of(word, self)
                        if _sounds_alike(word, w) and paired(k, owner.surface_stems[w])]
                if fits:
                    stem = owner.surface_stems[fits[0]]
                    repl[stems[k]] = now[k] = stem
                    read[:] = [(x, f) for x, f in read if x != word]
                    read.append((word, stem))
            k += 1

    def _similarities(self, qc: "csr_matrix", qw: "csr_matrix") -> tuple:
        """Phrase-document and phrase-centroid cosines (characters, words): dense arrays for a small index,
        sparse matrices for a large one."""
        if self.dense:
            if self._char_products is None:  # made on first use
                self._char_products = (DenseProduct(self.xct), DenseProduct(self.cct))
            to_docs, to_centroids = self._char_products
            return to_docs(qc), (qw @ self.xwt).toarray(), to_centroids(qc), (qw @ self.cwt).toarray()
        return (qc @ self.xct).tocsr(), (qw @ self.xwt).tocsr(), (qc @ self.cct).tocsr(), (qw @ self.cwt).tocsr()

    def _named_by(self, keys: Iterable[str]) -> dict[int, tuple[float, float]]:
        """The concepts whose names or recorded phrasings have one of ``keys``: each with the share of those
        phrasings that are its (0 with the "vote" feature off), and 1 if it is a name (else 0)."""
        hits: dict[int, tuple[float, float]] = {}
        use_votes = "vote" in self.owner.features
        for rk in keys:
            votes = self.votes.get(rk) if use_votes else None
            if votes:
                total = sum(votes.values())
                for c, v in votes.items():
                    share, name = hits.get(c, (0.0, 0.0))
                    hits[c] = (max(share, v / total), name)
            for c in self.names.get(rk, ()):
                hits[c] = (hits.get(c, (0.0, 0.0))[0], 1.0)
        return hits

    def _generate(self, sims: tuple, keys: list[str], k: int, more: Sequence[Sequence[int]] = (),
                  read_hits: Sequence[Mapping[int, tuple[float, float]]] = ()) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` concepts per phrase whose best document is nearest (character + word cosine), after the
        concepts sharing its key (or a key as read); (cand, valid) padded to a rectangle."""
        n_q, n_c = len(keys), len(self.owner.ids)
        lists: list[list[int]] = []
        if self.dense:
            g = sims[0] + sims[1]
            nz = np.flatnonzero(np.diff(self.cptr) > 0)
            per = np.zeros((n_q, n_c), np.float32)
            if len(nz):
                per[:, nz] = np.maximum.reduceat(g, self.cptr[nz], axis=1)
            top = np.argpartition(-per, min(k, n_c - 1), axis=1)[:, :k] if n_c > k else np.tile(np.arange(n_c), (n_q, 1))
            vals = np.take_along_axis(per, top, 1)
            o = np.argsort(-vals, axis=1, kind="stable")
            top, vals = np.take_along_axis(top, o, 1), np.take_along_axis(vals, o, 1)
            lists = [t[v > 0].tolist() for t, v in zip(top, vals)]
        else:
            g = (sims[0] + sims[1]).tocsr()
            for i in range(n_q):
                a, b = g.indptr[i], g.indptr[i + 1]
                d, v = g.indices[a:b], g.data[a:b]
                if len(v) > 4 * k:
                    sel = np.argpartition(-v, 4 * k)[: 4 * k]
                    d, v = d[sel], v[sel]
                c = self.concept[d[np.argsort(-v, kind="stable")]]
                _, first = np.unique(c, return_index=True)
                lists.append(c[np.sort(first)][:k].tolist())
        for i, key in enumerate(keys):  # concepts sharing the phrase's key come first
            same = [*self.votes.get(key, ()), *self.names.get(key, ()), *self.borrowed.get(key, ())]
            if same:
                lists[i] = list(dict.fromkeys(same + lists[i]))[: max(k, len(same))]
        for i, hits in enumerate(read_hits):
            if hits:
                lists[i] = list(dict.fromkeys(lists[i][:1] + list(hits) + lists[i][1:]))
        for i, extra in enumerate(more):  # and the association's best concepts join them
            lists[i] = list(dict.fromkeys(lists[i] + list(extra)))
        m = max(1, max((len(x) for x in lists), default=1))
        cand = np.zeros((n_q, m), np.int64)
        valid = np.zeros((n_q, m), bool)
        for i, x in enumerate(lists):
            cand[i, : len(x)] = x
            valid[i, : len(x)] = True
        return cand, valid

    @staticmethod
    def _row_max(rows: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
        """Per row ``r < n``, the largest of ``values`` where ``rows == r`` (``rows`` sorted; 0 if none)."""
        out = np.zeros(n, np.float32)
        if len(rows):
            starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
            out[rows[starts]] = np.maximum(np.maximum.reduceat(values, starts), 0.0)
        return out

    @staticmethod
    def _lookup(s: "np.ndarray | csr_matrix", rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """``s[rows[i], cols[i]]`` for a dense array or a CSR matrix with sorted indices."""
        if isinstance(s, np.ndarray):
            return s[rows, cols]
        if not s.has_sorted_indices:
            s.sort_indices()
        n = s.shape[1]
        keys = np.repeat(np.arange(s.shape[0], dtype=np.int64), np.diff(s.indptr)) * n + s.indices
        want = rows.astype(np.int64) * n + cols
        pos = np.minimum(np.searchsorted(keys, want), max(0, len(keys) - 1))
        if not len(keys):
            return np.zeros(len(rows), np.float32)
        return np.where(keys[pos] == want, s.data[pos], 0.0).astype(np.float32)

    def features(self, phrases: Sequence[str], emb: np.ndarray | None = None,
                 embed: Callable[[list[str]], np.ndarray | None] | None = None) -> dict:
        """Candidate concepts (n, M) and their features (n, M, F), plus phrase-level signals and the
        similarity of every (phrase, document) pair looked at (for the evidence). ``embed`` gives texts'
        vectors in meaning, of the phrases with their typos read; ``emb``: vectors already at hand (the
        held-out documents'), of which ``embed`` makes again only those of phrases with typos."""
        owner = self.owner
        feats = owner.features
        qc, qw, keys, oov, stems, readings, read_keys, lay_readings = self.queries(phrases)
        # The meaning model cannot read a typo ("fatige" is "fat" and "ige" to it) nor an idiom ("ending it all"):
        # it is told the phrase as read.
        idioms = [textnorm.idioms_read(p) for p in phrases] if embed is not None else []
        redo = [i for i, read in enumerate(readings) if read or emb is None or idioms[i]] if embed is not None else []
        if redo:
            again = embed([owner.typos_read(phrases[i], readings[i]) if readings[i] else idioms[i] or phrases[i]
                           for i in redo])
            if emb is None or again is None:
                emb = again
            else:
                emb = emb.copy()
                emb[redo] = again
        n_q = len(phrases)
        sims = self._similarities(qc, qw)
        nb = self.association([_nb_tokens(ws) for ws in stems])
        more: list[list[int]] = []
        if nb is not None:
            k_nb = min(_NB_GENERATE, nb.shape[1])
            best = np.argpartition(-nb, k_nb - 1, axis=1)[:, :k_nb]
            more = self.nb_cls[best].tolist()
        read_hits = [self._named_by(rk) if rk and key not in self.votes and key not in self.names else {}
                     for key, rk in zip(keys, read_keys)]
        cand, valid = self._generate(sims, keys, _GENERATE, more, read_hits)
        m = cand.shape[1]
        # Every (phrase, candidate, document of the candidate) triple.
        pi, pj = np.nonzero(valid)
        pc = cand[pi, pj]
        cnt = self.cptr[pc + 1] - self.cptr[pc]
        pair = np.repeat(np.arange(len(pi)), cnt)
        offs = np.repeat(self.cptr[pc] - np.concatenate([[0], np.cumsum(cnt)[:-1]]), cnt) if len(cnt) else np.zeros(0, np.int64)
        doc = self.cdocs[np.arange(len(pair)) + offs] if len(pair) else np.zeros(0, np.int64)
        prow = pi[pair]
        s_c, s_w = self._lookup(sims[0], prow, doc), self._lookup(sims[1], prow, doc)
        f = np.zeros((n_q, m, _N_F), np.float32)
        # The best document of each (phrase, candidate, group): a pair's documents are sorted by group.
        gk = pair * _N_GROUPS + self.group[doc]
        starts = np.flatnonzero(np.r_[True, gk[1:] != gk[:-1]]) if len(gk) else np.zeros(0, np.int64)
        flat = np.zeros(len(pi) * _N_GROUPS, np.float32)
        if len(gk):
            flat[gk[starts]] = np.maximum.reduceat(s_c, starts)
        fc = flat.reshape(-1, _N_GROUPS)
        flat = np.zeros(len(pi) * _N_GROUPS, np.float32)
        if len(gk):
            flat[gk[starts]] = np.maximum.reduceat(s_w, starts)
        fw = flat.reshape(-1, _N_GROUPS)
        for g in range(_N_GROUPS):
            f[pi, pj, 2 * g] = fc[:, g]
            f[pi, pj, 2 * g + 1] = fw[:, g]
        if "centroid" in feats and len(pi):
            f[pi, pj, 6] = self._lookup(sims[2], pi, pc)
            f[pi, pj, 7] = self._lookup(sims[3], pi, pc)
        norms = [textnorm.normalize(p) for p in phrases]
        use_exact = "exact" in feats
        for i, key in enumerate(keys):
            named = self._named_by((key,))
            if named:  # a name or recorded phrasing only if it says the phrase's words ("scared" is no "scarring")
                alike = self.owner._said_alike_by(phrases[i], key)
                named = {c: v for c, v in named.items() if c in alike}
            borrowed = self.borrowed.get(key)
            # Its keys as read (typos and lay words read) name concepts too, a little less surely.
            if not (named or borrowed or read_hits[i]):
                continue
            where = {c: j for j, c in enumerate(cand[i].tolist()) if valid[i, j]}
            ex = self.exact.get(norms[i]) if use_exact else None
            if ex:  # the share of known phrasings with the same words in the same order
                total = sum(ex.values())
                for c, v in ex.items():
                    if c in where:
                        f[i, where[c], _F["exact"]] = v / total
            for c in borrowed or ():
                if c in where:
                    f[i, where[c], 9] = 0.5
            for hits, weight in ((named, 1.0), (read_hits[i], _READ_WEIGHT)):
                for c, (share, name) in hits.items():  # as votes (their share) and names
                    if c in where:
                        f[i, where[c], 8] = max(f[i, where[c], 8], weight * share)
                        f[i, where[c], 9] = max(f[i, where[c], 9], weight * name)
        if "prior" in feats:
            f[:, :, 10] = self.prior[cand]
        best_c = f[:, :, [0, 2, 4]].max(axis=2)
        best_w = f[:, :, [1, 3, 5]].max(axis=2)
        f[:, :, 11] = best_c**2
        f[:, :, 12] = best_w**2
        if emb is not None and "embedding" in feats and self.emb_cent is not None and len(pi):
            f[pi, pj, 13] = _pair_cosines(emb, pi, self.emb_cent, pc)
        s_e = None  # each (phrase, document) pair's nearness in meaning, with embeddings
        if emb is not None and "embedding" in feats and owner.doc_vecs is not None and len(pair):
            # The nearest of the candidate's documents by meaning (the centroid above blurs a concept's
            # several senses): AskAPatient acc@1 with embeddings 0.898 -> 0.905.
            s_e = _pair_cosines(emb, prow, owner.doc_vecs, self.rows[doc])
            f[pi, pj, _F["embedding_best"]] = self._row_max(pair, s_e, len(pi))
        nb_max = np.zeros(n_q, np.float32)
        nb_top = np.full(n_q, -1, np.int64)
        if nb is not None:
            ci = self.nb_of[cand]
            lp = np.where(ci >= 0, np.take_along_axis(nb, np.maximum(ci, 0), 1), -np.inf)
            f[:, :, _F["nb_logp"]] = np.maximum(lp, -20.0) / 20.0 + 1.0
            f[:, :, _F["nb_post"]] = np.exp(lp)
            am = nb.argmax(axis=1)
            nb_top = self.nb_cls[am]
            nb_max = np.exp(nb[np.arange(n_q), am])
            f[:, :, _F["nb_top"]] = cand == nb_top[:, None]
        if "knn" in feats and len(pair):  # the concepts of the nearest known phrasings, weighted by nearness
            sim = 0.5 * (s_c + s_w)
            best_sim = self._row_max(prow, sim, n_q)
            m = self.train[doc] & (sim > 0) & (sim >= 0.5 * best_sim[prow])  # the far ones weigh little anyway
            ip, sp, pp = prow[m], sim[m], pair[m]
            o = np.lexsort((-sp, ip))
            ip, sp, pp = ip[o], sp[o], pp[o]
            rank = np.arange(len(ip)) - np.searchsorted(ip, ip)
            keep = rank < _KNN
            w = sp[keep] ** 2
            vote = np.bincount(pp[keep], w, minlength=len(pi))
            total = np.bincount(ip[keep], w, minlength=n_q)
            f[pi, pj, _F["knn"]] = vote / np.maximum(total[pi], 1e-9)
        cover = self.coverage(stems)
        psites = [sites(ws) for ws in stems] if cover is not None or "site" in feats else []
        if cover is not None and len(pi):
            f[pi, pj, _F["cover"]] = f[pi, pj, _F["cover_finding"]] = self._lookup(cover, pi, pc)
            # The same share of what the phrase says apart from where ("crepitus" of "crepitus in my wrist"):
            # a concept that names the finding and no site against those that name the site only. A phrase
            # that names no site, or only sites, keeps its cover.
            site_words = [{w for site in named for w in site.split()} for _, named in psites]
            apart = [[w for w in ws if w not in at] if at else [] for ws, at in zip(stems, site_words)]
            if any(apart):
                has = np.array([bool(a) for a in apart])[pi]
                f[pi[has], pj[has], _F["cover_finding"]] = self._lookup(self.coverage(apart), pi[has], pc[has])
        if "site" in feats:  # agreement of the body regions named by the phrase and by the concept's label
            pm = np.array([region_mask(r) for r, _ in psites], np.int64)[:, None]
            cm = self.owner.concept_regions[cand]
            region = (cm & pm) != 0
            f[:, :, _F["site_region"]] = region
            f[:, :, _F["site_conflict"]] = (cm != 0) & (pm != 0) & ~region
            f[:, :, _F["site_extra"]] = (cm != 0) & (pm == 0)
            f[:, :, _F["site_missing"]] = (cm == 0) & (pm != 0)
            for i, j in zip(*np.nonzero(region)):
                f[i, j, _F["site_same"]] = bool(psites[i][1] & self.owner.concept_sites[int(cand[i, j])][1])
        f[~valid] = 0.0
        # Order the candidates by a simple pre-score and keep the best _CANDIDATES.
        pre = (best_c + best_w + 0.5 * (f[:, :, 6] + f[:, :, 7]) + f[:, :, 8] + f[:, :, 9] + 0.5 * f[:, :, 13]
               + f[:, :, _F["exact"]] + f[:, :, _F["nb_post"]] + f[:, :, _F["knn"]])
        pre[~valid] = -1.0
        order = np.argsort(-pre, axis=1, kind="stable")[:, :_CANDIDATES]
        cand = np.take_along_axis(cand, order, 1)
        valid = np.take_along_axis(valid, order, 1)
        f = np.take_along_axis(f, order[:, :, None], 1)
        if cand.shape[1] < _CANDIDATES:  # a fixed width, so that batches and folds stack
            pad = _CANDIDATES - cand.shape[1]
            cand = np.pad(cand, ((0, 0), (0, pad)))
            valid = np.pad(valid, ((0, 0), (0, pad)))
            f = np.pad(f, ((0, 0), (0, pad), (0, 0)))
        max_c = self._row_max(prow, s_c, n_q)
        max_w = self._row_max(prow, s_w, n_q)
        lex_gap = np.zeros(n_q, np.float32)
        lex_un = np.zeros(n_q, np.float32)
        lex_al = np.zeros(n_q, np.float32)
        if "lexicon_gap" in feats and owner.lexicon is not None:
            for i, key in enumerate(keys):
                hits = owner.lexicon.keys.get(key)
                if hits and not any(self.lex_aligned[e] for e in hits) and not self.votes.get(key) and not self.names.get(key):
                    lex_gap[i] = 1.0
            lex_un, lex_al = owner.lexicon.best_matches(keys, self.lex_aligned)
        known = np.array([bool(self.votes.get(key)) or bool(self.names.get(key)) for key in keys], np.float32)
        return {
            "cand": cand, "feat": f, "valid": valid, "keys": keys, "read_keys": read_keys, "oov": oov,
            "lex_gap": lex_gap, "known": known, "lex_un": lex_un, "lex_al": lex_al,
            "n_tokens": np.array([max(1, len(key.split())) for key in keys], np.float64),
            "max_c": max_c, "max_w": max_w, "nb_max": nb_max, "spread": self.spread, "nb_top": nb_top, "norms": norms,
            "gap_sims": owner.gap_similarities(phrases), "readings": readings, "lay_readings": lay_readings,
            "pairs": (prow, self.concept[doc], self.rows[doc], s_c, s_w, s_e),
        }


# ----------------------------------------------------------------------------------------------------
# The built-in vocabularies as a lexicon of names and lay phrasings to align with given concepts.


class _PackedTable:
    """A read-only str → str table kept as two strings and their offsets: however many entries, it unpickles in
    milliseconds (as a dict, the 95,000 keys of :func:`_category_names` took 0.1 s, as records 0.4 s: a
    third of the built suggester's load). Looked up by binary search.

    >>> t = _PackedTable({"b": "2", "a": "1"})
    >>> t.get("a"), t.get("b"), t.get("c")
    ('1', '2', None)
    """

    def __init__(self, table: Mapping[str, str]) -> None:
        keys = sorted(table)
        self._keys = "".join(keys)
        self._values = "".join(table[k] for k in keys)
        self._key_at = np.cumsum([0] + [len(k) for k in keys], dtype=np.int64)
        self._value_at = np.cumsum([0] + [len(table[k]) for k in keys], dtype=np.int64)

    def __len__(self) -> int:
        return len(self._key_at) - 1

    def __getitem__(self, i: int) -> str:  # the i-th key, for bisect
        return self._keys[self._key_at[i] : self._key_at[i + 1]]

    def get(self, key: str) -> str | None:
        import bisect

        i = bisect.bisect_left(self, key)
        if i < len(self) and self[i] == key:
            return self._values[self._value_at[i] : self._value_at[i + 1]]
        return None


_PLACE_WORDS = frozenset({"in", "on", "at", "around", "across", "over", "under", "behind", "between", "inside"})


def _one_place(parts: Sequence[str]) -> bool:
    """Whether a list's first words, bare (no "I have a"), name no body site and go with the place its last part
    names ("sore and stiff feet", "pain and stiffness in my joints"): one experience at one place, not a list of
    experiences ("I have a cough and a sore throat" is two)."""
    first = tuple(textnorm.content_tokens(parts[0]))
    if len(first) > 2 or len(textnorm.normalize(parts[0]).split()) > len(first) or sites(first)[1]:
        return False
    last = textnorm.normalize(parts[-1]).split()
    return bool(_PLACE_WORDS.intersection(last)) or bool(sites(tuple(textnorm.content_tokens(parts[-1])))[1])


@functools.lru_cache(maxsize=8192)
def _strict_key(phrase: str) -> str:
    """:func:`textnorm.strict_key`, remembered: a phrase's is asked for its ranking and again for its status."""
    return textnorm.strict_key(phrase)


def _folded(text: str) -> str:
    """``text`` with case and runs of spaces folded: what the evidence calls word for word ("exact")."""
    return " ".join(text.casefold().split())


# "Unspecified" and "other" say what a code leaves unsaid: "Other instability, unspecified knee" (M25.369) is what a
# patient means by "knee instability", which says neither which knee nor which kind.
_UNSAID = frozenset(textnorm.stem(w) for w in ("unspecified", "other"))


def _category_key(text: str) -> str:
    """The key a phrase must have to be named by a category's title or inclusion term ``text``."""
    return " ".join(w for w in textnorm.key(strip_qualifiers(text)).split() if w not in _UNSAID)


def _category_names(knowledge: "Knowledge") -> _PackedTable:
    """The codable categories by the key (:func:`textnorm.key`) of their title and of each inclusion term, so
    that a phrase can be met by the category that names it, with or without a concept between. Each key's
    categories are a line "id, label, text matched" (tab-separated) each."""
    named: dict[str, dict[str, str]] = defaultdict(dict)  # key -> category id -> its line
    for cat in knowledge.categories.values():
        # External causes (V00-Y99: "Flood", "Fall from chair") say how an injury came about, not what a
        # patient feels ("flooding" is heavy periods).
        if not cat.codable or cat.id.startswith(("ICD10CM:V", "ICD10CM:W", "ICD10CM:X", "ICD10CM:Y")):
            continue
        for text in dict.fromkeys((cat.label, *cat.inclusion_terms)):
            k = _category_key(text)
            if k:
                named[k].setdefault(cat.id, f"{cat.id}\t{cat.label}\t{text}")
    return _PackedTable({k: "\n".join(lines.values()) for k, lines in named.items()})


def _category_links(knowledge: "Knowledge") -> dict[str, tuple[CategoryLink, ...]]:
    """Per concept, the categories it reaches, strongest first (:func:`hgap.ontology.model.concept_categories`)."""
    from hgap.ontology.model import concept_categories

    return {
        cid: tuple(CategoryLink(m.object_id, knowledge.categories[m.object_id].label, m.predicate_id.value,
                                m.mapping_justification.value, m.confidence) for m in maps)
        for cid, maps in concept_categories(knowledge).items()
    }


# ----------------------------------------------------------------------------------------------------
# Fitting: a softmax ranker and a logistic gap decision, by Newton's method (no scipy.optimize import).


def _pair_cosines(left: np.ndarray, rows: np.ndarray, right: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``left[rows[i]] · right[cols[i]]`` for every i, by one product of the phrases with the vectors and a
    lookup (a vector gathered per pair costs about six times more). A product with every vector costs about
    3 ns an entry, finding the vectors used first about 200 ns a pair: the cheaper is taken."""
    if len(left) * len(right) <= 64 * len(cols):
        return (left @ right.T)[rows, cols]
    used, at = np.unique(cols, return_inverse=True)
    return (left @ right[used].T)[rows, at]


def _encode_cached(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """``embedder.encode(texts)``, with every text's vector kept in a per-model cache file when encoding is
    slow (the sentence kind; the static kind encodes 20,000 documents in a fraction of a second)."""
    if not embedder.cache_vectors:
        return np.asarray(embedder.encode(list(texts), batch_size=1024), np.float32)
    path = cache_dir() / f"emb-{hashlib.sha1(embedder.name.encode()).hexdigest()[:12]}.pickle"
    store: dict[str, np.ndarray] = {}
    if path.exists():
        try:
            store = read_pickle(path)  # type: ignore[assignment]
        except Exception:  # a broken cache is rebuilt
            store = {}
    missing = sorted({t for t in texts if t not in store})
    if missing:
        new = np.asarray(embedder.encode(missing, batch_size=128), np.float32)
        store.update(zip(missing, new))
        atomic_pickle(path, store)
    return np.stack([store[t] for t in texts]).astype(np.float32) if texts else np.zeros((0, 384), np.float32)


@functools.lru_cache(maxsize=1)
def _code_key() -> bytes:
    """A digest of this package's code (graph/*.py): what the features and the fits are made by."""
    return files_digest(sorted(Path(__file__).resolve().parent.glob("*.py")))


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _map_threads(fn: Callable[[T], R], items: Sequence[T], workers: int | None = None) -> list[R]:
    """``[fn(x) for x in items]``, by up to ``workers`` threads (default: one per usable core)."""
    workers = min(len(items), workers or _usable_cores())
    if workers <= 1:
        return [fn(x) for x in items]
    from concurrent.futures import ThreadPoolExecutor

    # One BLAS thread per worker: the workers already fill the cores, and OpenBLAS's own threads on top
    # slowed a batch with embeddings by a fifth (benchmarks/bench_suggest.py: 1,966 -> 2,482 phrases/s).
    with _blas_limit(), ThreadPoolExecutor(workers) as pool:
        return list(pool.map(fn, items))


@functools.lru_cache(maxsize=1)
def _blas_controller() -> object:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # finds the loaded BLAS libraries once (a few ms)


def _blas_limit() -> object:
    return _blas_controller().limit(limits=1, user_api="blas")  # type: ignore[attr-defined]


def _emb_centroids(vecs: np.ndarray, concept: np.ndarray, n_c: int) -> np.ndarray:
    cent = np.zeros((n_c, vecs.shape[1]), np.float32)
    np.add.at(cent, concept, vecs)
    return cent / np.maximum(np.linalg.norm(cent, axis=1, keepdims=True), 1e-9)


def _gap_features(fx: dict[str, np.ndarray], prob: np.ndarray, lin: np.ndarray) -> np.ndarray:
    """Per phrase: what says "no given concept fits" (one column per signal, a constant last)."""
    n = len(prob)
    rows = np.arange(n)
    # The ranker's best two candidates (the candidates come in the pre-score's order, not the ranker's).
    by_prob = np.argsort(-prob, axis=1, kind="stable")
    j1 = by_prob[:, 0]
    p1, lin1 = prob[rows, j1], lin[rows, j1]
    if prob.shape[1] > 1:
        p2, lin2 = prob[rows, by_prob[:, 1]], lin[rows, by_prob[:, 1]]
    else:
        p2 = lin2 = np.zeros(n)
    top = fx["feat"][rows, j1, :]  # the top candidate's features, and its concept
    c1 = fx["cand"][rows, j1]
    cols = [
        1.0 - p1,
        p1 - p2,
        np.clip(lin1 - lin2, -10, 10) / 10,
        fx["max_c"],
        fx["max_w"],
        np.maximum(top[:, 0], top[:, 1]),  # best match among known expressions of the top concept
        np.maximum(top[:, 2], top[:, 3]),  # ... among its names
        fx["oov"],
        fx["lex_gap"],
        fx["known"],
        fx["lex_un"],
        fx["lex_un"] - np.maximum(fx["max_w"], fx["lex_al"]),
        top[:, 8],  # share of identical known expressions of the top concept
        top[:, 10],  # prior of the top concept
        np.clip(lin1, -20, 40) / 20,
        1.0 / fx["n_tokens"],
        (1.0 - fx["known"]) / fx["n_tokens"],
        (1.0 - fx["known"]) * p1,
        p1**2,
        (1.0 - fx["known"]) * fx["max_c"],
        (1.0 - fx["known"]) * fx["max_w"],
        (1.0 - fx["known"]) * np.maximum(top[:, 2], top[:, 3]),
        fx["max_c"] ** 2,
    ]
    if _GAP_SUPERVISED:
        agree = (c1 == fx["nb_top"]).astype(np.float64)
        cols += [
            fx["nb_max"],  # how sure the word-to-concept association is of any concept
            agree,  # whether it agrees with the ranker
            agree * fx["nb_max"],
            top[:, _F["nb_post"]],
            top[:, _F["knn"]],  # the share of the nearest known phrasings that are the top concept's
            top[:, _F["exact"]],
            (1.0 - fx["known"]) * top[:, _F["knn"]],
            top[:, _F["cover"]],  # the share of the phrase's words that the top concept's phrasings use
            (1.0 - fx["known"]) * top[:, _F["cover"]],
            fx["feat"][:, :, _F["cover"]].max(axis=1),
        ]
    # How near the phrase is to a phrasing already known to be a gap, against how near to a placed one.
    gap_sim = fx["gap_sims"].max(axis=1, initial=0.0)
    cols += [gap_sim, gap_sim - np.maximum(fx["max_c"], fx["max_w"])]
    spread = fx["spread"][c1]  # the top concept's own phrasings' mean cosine to its centroid ...
    cols.append(top[:, _F["embedding_best"]])  # how near in meaning its nearest phrasing is (0 without embeddings)
    cols += [spread[:, 0], spread[:, 1],
             top[:, 6] - spread[:, 0], top[:, 7] - spread[:, 1]]  # ... and how much nearer or farther the phrase is
    cols.append(np.ones(n))
    return np.stack(cols, axis=1).astype(np.float64)


# ----------------------------------------------------------------------------------------------------


class _Head(NamedTuple):
    """A phrase's head (:meth:`Suggester._heads`): the phrase's ``index``, the head's ``text`` without its
    ``qualifiers``, and the ``clause`` after it, which says where it is felt if ``is_site``, else when or why."""

    index: int
    text: str
    qualifiers: tuple[Qualifier, ...]
    clause: str
    is_site: bool


def _qualifier_notes(found: Sequence[Qualifier]) -> tuple[Evidence, ...]:
    return tuple(Evidence("qualifier", q.word, f"a clinical modifier recorded alongside: {q.label} ({q.modifier_id})", 1.0)
                 for q in found)


class Suggester:
    """Ranks the concepts a phrase may express. Build with :meth:`from_tables` or :meth:`from_knowledge`.

    >>> s = Suggester.from_tables([("A", "Oesophagitis"), ("B", "Back pain")], [("sore back", "B")])
    >>> s.suggest("esophagitis").candidates[0].concept_id
    'A'
    >>> s.suggest("backs sore").status.value
    'known'
    """

    def __init__(self) -> None:
        self._evidence_numbers: tuple | None = None  # made on first use (_evidence_ids)
        self.gap_texts: list[str] = []  # phrasings known to be gaps (curated expressions with no mapping)
        self.ids: list[str] = []
        self.labels: list[str] = []
        self.parents: list[list[int]] = []
        self.features: frozenset[str] = FEATURES
        self.lexicon: Lexicon | None = None
        self.lex_concepts: list[list[int]] = []  # lexicon entry → given concepts aligned to it
        self.emb_centroids: np.ndarray | None = None
        self.doc_vecs: np.ndarray | None = None
        self.embedder: Embedder | None = None
        self.rank_w = np.array(_UNFITTED_RANK_W)
        self.gap_w: np.ndarray | None = None
        self.gap_knots: list[np.ndarray] = []
        self.gap_t = 0.5
        self.sim_floor = _UNFITTED_SIM_FLOOR
        self.fitted = False  # False: gap by the similarity floor and a probability floor only
        self.categories: dict[str, tuple["CategoryLink", ...]] = {}
        self.category_names: _PackedTable | None = None  # (built-in mode) key → the categories it names
        self.fit_report: dict[str, float] = {}
        self.qualifiers: dict[str, tuple[str, str]] = {}  # word stem → HPO clinical modifier (id, label)
        self.coded_concepts: frozenset[str] = frozenset()  # (built-in mode) the concepts that reach a code
        # Words of the vocabularies' terms that no document has ("otorrhea": ICD-10-CM H92.1, no HPO term): a
        # phrase's word among them is a real word the concepts lack, not a typo of an indexed one ("pyorrhea").
        self.clinical_words: frozenset[str] = frozenset()

    def __getstate__(self) -> dict:
        # The embedding model is not pickled with the suggester (a cached suggester keeps its vectors): a
        # model is loaded, and whoever unpickles attaches it (built_suggester).
        # Caches made while answering are made again after loading.
        state = {**self.__dict__, "embedder": None, "_evidence_numbers": None}
        for cache in ("_stems_cache", "_rows_by_key", "_concepts_by_strict_key"):
            state.pop(cache, None)
        return state

    # -- construction

    @classmethod
    def from_tables(
        cls,
        concepts: Sequence[tuple[str, str]],
        known: Sequence[tuple[str, str]],
        lexicon: "Knowledge | Lexicon | None" = None,
        *,
        parents: dict[str, Sequence[str]] | None = None,
        features: Iterable[str] | None = None,
        fit: bool | None = None,
        cache: bool = True,
        embedder: Embedder | None = None,
        seed: int = 0,
        gap_texts: Sequence[str] = (),
    ) -> "Suggester":
        """A suggester over ``concepts`` (id, label) with ``known`` (phrase, concept id) mappings, and
        ``gap_texts``, phrasings known to have no established concept.

        ``lexicon`` (the built-in vocabularies, :meth:`Lexicon.builtin`, or any Knowledge) contributes
        the names and lay phrasings of its terms whose label or exact synonym is a given concept's name.
        ``parents`` gives a hierarchy among the given concepts; ``features`` the evidence kinds and signals
        to use (default: all of :data:`FEATURES`). The ranker and the gap decision are fitted on ``known``
        by cross-validation when there are enough mappings (``fit``), and the fit is cached.

        >>> s = Suggester.from_tables([("X", "Nausea"), ("Y", "Vomiting")], [("feel sick", "X")],
        ...                           features=FEATURES - {"typo"})
        >>> s.suggest("vomited").candidates[0].concept_id
        'Y'
        """
        self = cls()
        self.features = frozenset(FEATURES if features is None else features)
        unknown = self.features - FEATURES
        if unknown:
            raise ValueError(f"features: unknown {', '.join(sorted(unknown))} (known: {', '.join(sorted(FEATURES))})")
        index: dict[str, int] = {}
        for cid, label in concepts:
            if cid not in index:
                index[cid] = len(self.ids)
                self.ids.append(cid)
                self.labels.append(label)
        self.parents = [[] for _ in self.ids]
        for child, ps in (parents or {}).items():
            if child in index:
                self.parents[index[child]] = [index[p] for p in ps if p in index]
        docs = _Docs()
        for i, label in enumerate(self.labels):
            docs.add(i, "label", label)
        rng = random.Random(seed)
        n_known = 0
        for phrase, cid in known:
            if cid in index and phrase.strip():
                docs.add(index[cid], "known_expression", phrase, rng.randrange(5))
                n_known += 1
        if lexicon is not None:
            lex = lexicon if isinstance(lexicon, Lexicon) else Lexicon.from_knowledge(lexicon)
            self._align(lex, docs)
            self.clinical_words = lex.words
        self.gap_texts = [t for t in gap_texts if t.strip()]
        self._finish(docs)
        if embedder is not None:
            # A static model learns the tables' own names and phrasings first (StaticEmbedder.adapted).
            adapt = getattr(embedder, "adapted", None)
            own = [t for t, mine in zip(docs.text, docs.own) if mine]
            self._embed(adapt(own) if adapt is not None else embedder)
        if fit is None:
            fit = n_known >= _MIN_FIT
        if fit:
            self._fit_cached(cache, seed)
        return self

    @classmethod
    def from_knowledge(
        cls,
        knowledge: "Knowledge",
        *,
        features: Iterable[str] | None = None,
        embedder: Embedder | None = None,
        fit: bool | None = None,
        cache: bool = True,
        seed: int = 0,
    ) -> "Suggester":
        """A suggester over a Knowledge: its concepts (labels, synonyms with scope and type, parents), its
        expressions and their mappings, and the inclusion terms of the categories its concepts map to.

        The ranker and the gap decision are fitted on the Knowledge's own known phrasings (the mapped
        expressions and the layperson synonyms, each held out in turn by 5-fold cross-validation, with a
        simulated open set of removed concepts), when it has at least ``_MIN_FIT_KNOWLEDGE`` of them
        (``fit``); the fit is cached under ``~/.cache/hgap`` keyed by the indexed content (a new build with
        other content is refitted: about 10 s for the full graph). Each candidate carries the EHR categories
        its concept reaches (:func:`hgap.ontology.model.concept_categories`).

        >>> from hgap.ontology.model import Concept, Knowledge, Synonym
        >>> k = Knowledge(concepts={
        ...     "HP:1": Concept("HP:1", "Abnormality of the skin"),
        ...     "HP:2": Concept("HP:2", "Pruritus", synonyms=(Synonym("Itchy skin", "EXACT", "layperson"),),
        ...                     parents=("HP:1",))})
        >>> r = Suggester.from_knowledge(k).suggest("skin itching")
        >>> [(c.concept_id, c.evidence[0].kind) for c in r.candidates]
        [('HP:2', 'layperson_synonym'), ('HP:1', 'parent_of_match')]
        """
        from hgap.ontology.vocab import SynonymScope, SynonymType

        self = cls()
        self.features = frozenset(FEATURES if features is None else features)
        concepts = list(knowledge.concepts.values())
        if PHENOTYPIC_ABNORMALITY in knowledge.concepts:
            # A patient's phrase names a finding: HPO's other branches (modifiers such as "Severe" or
            # "Acute emergence over days", modes of inheritance, frequencies) are not concepts it expresses.
            findings = descendants_of(PHENOTYPIC_ABNORMALITY, concepts)
            concepts = [c for c in concepts if c.id in findings]
        index = {c.id: i for i, c in enumerate(concepts)}
        self.ids = [c.id for c in concepts]
        self.labels = [c.label for c in concepts]
        self.parents = [[index[p] for p in c.parents if p in index] for c in concepts]
        docs = _Docs()
        rng = random.Random(seed)
        n_known = 0
        for i, c in enumerate(concepts):
            docs.add(i, "label", c.label)
            for s in c.synonyms:
                if s.type is SynonymType.OBSOLETE:
                    continue
                if s.type is SynonymType.LAYPERSON:
                    docs.add(i, "layperson_synonym", s.text, rng.randrange(5))
                    n_known += 1
                elif s.scope in (SynonymScope.EXACT, SynonymScope.NARROW) or s.type is not None:
                    docs.add(i, "synonym", s.text)
        mapped = set()
        for m in knowledge.expression_mappings():
            mapped.add(m.subject_id)
            if m.object_id in index and m.is_strong:
                docs.add(index[m.object_id], "known_expression", knowledge.expressions[m.subject_id].text, rng.randrange(5))
                n_known += 1
        # Curated phrasings that map to no concept are real gaps: the gap decision learns from them.
        self.gap_texts = [e.text for e in knowledge.expressions.values() if e.id not in mapped]
        for m in knowledge.category_mappings():
            if m.subject_id in index and m.is_strong:
                for t in knowledge.categories[m.object_id].inclusion_terms:
                    docs.add(index[m.subject_id], "inclusion_term", t)
        self._finish(docs)
        self.clinical_words = textnorm.written_word_set(text for cat in knowledge.categories.values()
                                                       for text in (cat.label, *cat.inclusion_terms))
        self.categories = _category_links(knowledge)
        self.category_names = _category_names(knowledge)
        self.coded_concepts = frozenset(cid for cid, links in self.categories.items()
                                        if any(knowledge.categories[g.category_id].codable for g in links))
        if "qualifiers" in self.features:
            self.qualifiers = qualifier_words(knowledge)
        if embedder is not None:
            self._embed(embedder)
        if fit is None:
            fit = n_known >= _MIN_FIT_KNOWLEDGE
        if fit:
            self._fit_cached(cache, seed)
        return self

    def _align(self, lex: Lexicon, docs: _Docs) -> None:
        """Give each concept the phrasings of the lexicon entries that share one of its names."""
        self.lexicon = lex
        self.lex_concepts = [[] for _ in lex.entry_ids]
        wanted = {"synonym", "layperson_synonym", "inclusion_term"} & self.features
        for i, label in enumerate(self.labels):
            k = textnorm.key(strip_qualifiers(label))
            seen = {k}
            for e in lex.align.get(k, ()):
                self.lex_concepts[e].append(i)
                for kind, text in lex.docs[e]:
                    tk = textnorm.key(text)
                    if kind in wanted and tk not in seen:
                        seen.add(tk)
                        docs.add(i, kind, text, own=False)

    def lex_aligned_mask(self, removed: frozenset[int]) -> list[bool]:
        return [any(c not in removed for c in cs) for cs in self.lex_concepts]

    def _finish(self, docs: _Docs) -> None:
        keep = [i for i, k in enumerate(docs.kind) if k in self.features or k == "label"]
        self.doc_concept = np.array([docs.concept[i] for i in keep], np.int64)
        self.doc_kind = [docs.kind[i] for i in keep]
        self.doc_kind_code = np.array([KINDS.index(k) for k in self.doc_kind], np.int64)
        self.doc_group = np.array([_GROUP[k] for k in self.doc_kind], np.int64)
        self.doc_text = [docs.text[i] for i in keep]
        self.doc_key = [docs.key[i] for i in keep]
        self.doc_fold = np.array([docs.fold[i] for i in keep], np.int64)
        self.doc_own = [docs.own[i] for i in keep]
        self.doc_norm = [docs.norm[i] for i in keep]
        # Every indexed word as written (folded, unstemmed) -> its stem: a typo is also looked for among
        # these, since the stemmer cuts a misspelt word differently ("arthrites" -> "arthrit", not "arthritis").
        self.surface_stems = {w: textnorm.stem(w) for norm in self.doc_norm for w in norm.split()
                              if textnorm.is_written_word(w)}
        # Each indexed stem's most used word as written: what a typo read as that stem is told to the
        # meaning model as (typos_read).
        self.stem_words: dict[str, str] = {}
        used = Counter(w for norm in self.doc_norm for w in norm.split() if w in self.surface_stems)
        for w, _ in used.most_common():
            self.stem_words.setdefault(self.surface_stems[w], w)
        chars = [docs.chars[i] for i in keep]
        words = [docs.words[i] for i in keep]
        self.doc_words = words
        self.space = _Space(chars, words)
        # The association tokens of the known phrasings (the documents that cross-validation holds out).
        self.tok_vocab: dict[str, int] = {}
        trows, tcols = [], []
        for r, ws in enumerate(words):
            if self.doc_fold[r] >= 0 or self.doc_kind[r] == "label":
                for t in dict.fromkeys(_nb_tokens(ws)):  # in order: columns do not hang on string hashing
                    trows.append(r)
                    tcols.append(self.tok_vocab.setdefault(t, len(self.tok_vocab)))
        self.doc_tok = csr_from(np.array(trows, np.int64), np.array(tcols, np.int64), len(words), max(1, len(self.tok_vocab)))
        self.concept_sites = [sites(textnorm.content_tokens(label)) for label in self.labels]
        self.concept_regions = np.array([region_mask(r) for r, _ in self.concept_sites], np.int64)
        self.char_counts = self.space.char_counts(chars)
        self.word_counts = self.space.word_counts(words)
        if "label" not in self.features:
            lab = np.array([k == "label" for k in self.doc_kind])
            self.char_counts = self._zero_rows(self.char_counts, lab)
            self.word_counts = self._zero_rows(self.word_counts, lab)
        self.index = _Index(self, np.arange(len(self.doc_text)))
        self._by_concept: list[list[int]] = [[] for _ in self.ids]
        for r, c in enumerate(self.doc_concept.tolist()):
            self._by_concept[c].append(r)
        self._complete = sorted((textnorm.normalize(t), r) for r, t in enumerate(self.doc_text))
        self._complete_heads: dict[int, list[str]] = {}

    @staticmethod
    def _zero_rows(m: "csr_matrix", rows: np.ndarray) -> "csr_matrix":
        from scipy.sparse import diags

        out = (diags((~rows).astype(np.float32)) @ m).tocsr()
        out.eliminate_zeros()
        return out

    def _embed(self, embedder: Embedder) -> None:
        """The embedding of every document (kept under ``~/.cache/hgap`` per text when encoding is slow),
        and per-concept centroids of them."""
        self.embedder = embedder  # first: the fit's cache key names it
        vecs = _encode_cached(embedder, [_named_text(t, kind) for t, kind in zip(self.doc_text, self.doc_kind)])
        vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
        self.doc_vecs = vecs
        self.emb_centroids = _emb_centroids(vecs, self.doc_concept, len(self.ids))
        self.index.emb_cent = self.emb_centroids

    def typos_read(self, phrase: str, readings: Sequence[tuple[str, str]]) -> str:
        """The phrase (folded) with each misspelt word as the indexed word it is read as (``readings``: the
        word as written, the stem read, from :meth:`_Index.queries`).

        >>> s = Suggester.from_tables([("F", "Fatigue"), ("N", "Numbness")], [])
        >>> s.typos_read("Fatige and numbess", [("fatige", "fatigu"), ("numbess", "numb")])
        'fatigue and numbness'
        >>> s.typos_read("numbess and fatty gue", [("numbess", "numb"), ("fatty gue", "fatigu")])
        'numbness and fatigue'
        """
        fixes = {w: self.stem_words.get(st, w) for w, st in readings}
        words = textnorm.normalize(phrase).split()
        out: list[str] = []
        k = 0
        while k < len(words):
            both = " ".join(words[k : k + 2])
            if both in fixes:  # two words read as one ("hart burn": "heartburn")
                out.append(fixes[both])
                k += 2
                continue
            out.append(fixes.get(words[k], words[k]))
            k += 1
        return " ".join(out)

    def correct(self, word: str, idx: _Index, written: str | None = None) -> str | None:
        """The indexed stem an unknown stem ``word`` is read as (a typo), if one is close enough, else None.
        ``written``: the word as written, for a word no English dictionary knows. A typo is a slip in the word
        as written, so that is compared first, with the indexed words as written; the stemmer cuts a misspelt
        word unlike the word it misspells ("arthrites" -> "arthrit", not "arthritis")."""
        # A short stem is read only when it is not indexed ("numness" -> "num"): an indexed one stands ("gass"
        # -> "gas", not "glass").
        if len(written or word) < 4 or word.isdigit() or (len(word) < 4 and word in idx.vocab_set):
            return None
        if written and textnorm.names_drug(written):  # "statins" is a medicine, not a misspelt "staining"
            return None
        if (word, written) in idx.corrections:
            return idx.corrections[word, written]
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        fix = None
        if written and len(written) >= 4:
            near = self.readings_of(written, idx)
            fix = self.surface_stems[near[0][1]] if near else None
        if fix is None and len(word) >= 4:
            hit = process.extractOne(word, idx.vocab, scorer=OSA.distance, score_cutoff=1 if len(word) < 8 else 2)
            fix = hit[0] if hit else None
        idx.corrections[word, written] = fix
        return fix

    def _reading_order(self, written: str, word: str, sound: int, d: int, idx: _Index) -> tuple:
        """The sort key of an indexed ``word`` as the reading of ``written`` (``sound``: minus how alike they
        sound; ``d``: their edit distance): the smallest is read. A word patients use first (a patient's
        misspelling is of a word patients use: "coffing" is "coughing", not "cuffing"), then one that sounds
        the same ("tierd": "tired", not "tied"), then the nearest; of those, a left-out or extra letter before
        a wrong one ("numbess": "numbness", not "numbers"), then the word in more documents."""
        from rapidfuzz.distance import Indel

        stem = self.surface_stems[word]
        return (stem not in idx.patient_stems, sound, d, Indel.distance(written, word), -idx.word_df[stem], word)

    def readings_of(self, written: str, idx: _Index) -> list[tuple[int, str]]:
        """The indexed words (as written) that a word as written may be a slip of, with their edit distance,
        best first (:meth:`_reading_order`). One edit (a transposition counts as one) in words up to 7
        letters, two in longer ones; one more for a word that sounds the same (_sounds_alike: "throte" is
        "throat", "pane" is "pain"), and two more from 6 letters for one whose Metaphone code is the same
        ("coffing", "coughing").

        >>> s = Suggester.from_tables([("B", "Back pain"), ("G", "Weight gain"), ("C", "Coughing fits")], [])
        >>> s.readings_of("pane", s.index), s.readings_of("gane", s.index), s.readings_of("coffing", s.index)
        ([(2, 'pain')], [(2, 'gain')], [(3, 'coughing')])
        """
        if written in idx.heard:
            return idx.heard[written]
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        # (Allowing only transpositions under 6 letters avoids "throb" → "throw" but lost more than it saved:
        # acc@1 0.876 → 0.873 on AskAPatient, 0.348 → 0.326 on benchmarks/eval_builtin.py.)
        edits = 1 if len(written) < 8 else 2
        reach = edits + 2 if len(written) >= 6 else edits + 1
        hits = process.extract(written, idx.surface, scorer=OSA.distance, limit=None, score_cutoff=reach)
        alike = [(_sounds_alike(written, w), d, w) for w, d, _ in hits if w != written]
        near = [(-a, d, w) for a, d, w in alike if d <= edits or (a and d <= edits + 1) or a == 2]
        out = [(key[2], key[-1]) for key in sorted(self._reading_order(written, w, a, d, idx) for a, d, w in near)]
        idx.heard[written] = out
        return out

    # -- fitting

    def _fit_cached(self, cache: bool, seed: int) -> None:
        h = hashlib.sha1()
        h.update(_code_key())  # a changed feature or fitting step never meets a fit made without it
        h.update(repr(sorted(self.features)).encode())
        h.update(str(seed).encode())
        h.update(self.embedder.name.encode() if self.embedder is not None else b"lexical")
        # Our tables that shape the features.
        h.update(files_digest(data_dir() / table for table in (laywords.LAY_WORDS_FILE, BODY_SITES_FILE)))
        for c, k, t in zip(self.doc_concept.tolist(), self.doc_kind, self.doc_text):
            h.update(f"{self.ids[c]}\t{k}\t{t}\n".encode())
        for text in self.gap_texts:
            h.update(f"gap\t{text}\n".encode())
        path = cache_dir() / f"suggest-fit-{h.hexdigest()[:20]}.json"
        if cache and path.exists():
            try:
                data = json.loads(path.read_text())
                self._set_fit(data)
                return
            except (ValueError, KeyError, TypeError, OSError):
                pass
        self.fit(seed=seed)
        if cache and self.fitted:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(self._get_fit()))
                os.replace(tmp, path)
            except OSError:
                pass

    def _get_fit(self) -> dict:
        return {"rank_w": self.rank_w.tolist(), "gap_w": None if self.gap_w is None else self.gap_w.tolist(),
                "gap_knots": [k.tolist() for k in self.gap_knots],
                "gap_t": self.gap_t, "sim_floor": self.sim_floor, "report": self.fit_report}

    def _set_fit(self, data: dict) -> None:
        if len(data["rank_w"]) != _N_F:  # written by another version of the features: refit
            raise ValueError(f"cached fit has {len(data['rank_w'])} ranking weights, not {_N_F}")
        self.rank_w = np.array(data["rank_w"], np.float64)
        self.gap_w = np.array(data["gap_w"], np.float64)
        self.gap_knots = [np.array(k, np.float64) for k in data["gap_knots"]]
        self.gap_t = float(data["gap_t"])
        self.sim_floor = float(data["sim_floor"])
        self.fit_report = data.get("report", {})
        self.fitted = True

    def _p_gap(self, fx: dict, prob: np.ndarray, lin: np.ndarray) -> np.ndarray:
        """The fitted probability that no given concept fits each phrase."""
        x = hinge_features(_gap_features(fx, prob, lin), self.gap_knots)
        return 1 / (1 + np.exp(-np.clip(x @ self.gap_w, -30, 30)))

    def _folds_features(self, folds: Sequence[int], removed_share: float, rng: random.Random) -> list[tuple[dict, np.ndarray, np.ndarray]]:
        """Per fold: the features of its held-out phrasings against an index of the other folds, with
        ``removed_share`` of the held-out concepts also removed (drawn in fold order, so a seed gives the same
        folds), their gold concepts, and which of them were removed. The folds are scored by parallel threads."""
        plans = []
        # Patients' phrasings are what the ranker will meet: with enough of them, only they are held out.
        # HPO's lay synonyms, near copies of its names, would teach it to trust near copies (built-in,
        # benchmarks/eval_builtin.py: acc@1 0.439 -> 0.432, acc@5 0.614 -> 0.652, gap F1 0.560 -> 0.575; with
        # embeddings and their nearest-document feature, acc@1 0.538 against 0.470).
        expression = np.array([kind == "known_expression" for kind in self.doc_kind])
        if int(expression.sum()) < _MIN_FIT:
            expression[:] = True
        for k in folds:
            held = np.flatnonzero((self.doc_fold == k) & expression)
            gold = self.doc_concept[held]
            removed: frozenset[int] = frozenset()
            if removed_share > 0:
                used = sorted(set(gold.tolist()))
                removed = frozenset(rng.sample(used, round(len(used) * removed_share)))
            plans.append((k, held, gold, removed))

        def score(plan: tuple) -> tuple[dict, np.ndarray, np.ndarray]:
            k, held, gold, removed = plan
            keep = (self.doc_fold != k) & ~np.isin(self.doc_concept, list(removed))
            idx = _Index(self, np.flatnonzero(keep), removed)
            emb = self.doc_vecs[held] if self.doc_vecs is not None and "embedding" in self.features else None
            fx = idx.features([self.doc_text[r] for r in held], emb, self._embed_phrases if emb is not None else None)
            is_removed = np.isin(gold, list(removed)) if removed else np.zeros(len(gold), bool)
            return fx, gold, is_removed

        return _map_threads(score, plans)

    def fit(self, folds: int = 5, seed: int = 0) -> dict[str, float]:
        """Fit the ranker (closed-set cross-validation on the known mappings) and the gap decision
        (simulated open set: a fifth of each fold's concepts removed with all their documents)."""
        rng = random.Random(seed)
        feats, valids, golds = [], [], []
        for fx, gold, _ in self._folds_features(range(folds), 0.0, rng):
            hit = fx["cand"] == gold[:, None]
            ok = hit.any(axis=1)
            feats.append(fx["feat"][ok])
            valids.append(fx["valid"][ok])
            golds.append(hit[ok].argmax(axis=1))
        if sum(len(g) for g in golds) < 20:
            return self.fit_report
        self.rank_w = fit_softmax(np.concatenate(feats), np.concatenate(valids), np.concatenate(golds))
        if len(self.gap_texts) >= _MIN_GAP_EXAMPLES:
            return self._fit_gap_on_examples(folds, rng)
        gx, gy, hits, n_closed, sims = [], [], 0, 0, []
        for fx, gold, is_removed in self._folds_features(range(folds), 0.2, rng):
            lin = fx["feat"] @ self.rank_w
            prob = softmax(lin, fx["valid"])
            gx.append(_gap_features(fx, prob, lin))
            gy.append(is_removed.astype(np.float64))
            sims.append(np.maximum(fx["max_c"], fx["max_w"])[~is_removed])
            top1 = np.take_along_axis(fx["cand"], prob.argmax(axis=1)[:, None], 1)[:, 0]
            hits += int(((top1 == gold) & ~is_removed).sum())
            n_closed += int((~is_removed).sum())
        best_f1 = self._fit_gap_decision(np.concatenate(gx), np.concatenate(gy), np.concatenate(sims))
        self.fit_report = {"cv_acc1_open": hits / max(1, n_closed), "cv_gap_f1": best_f1, "gap_threshold": self.gap_t,
                           "sim_floor": self.sim_floor, "cv_rank_queries": float(sum(len(g) for g in golds))}
        return self.fit_report

    def _fit_gap_decision(self, x: np.ndarray, y: np.ndarray, present_sims: np.ndarray, bends: bool = True) -> float:
        """Fit the gap model on signals ``x`` with labels ``y`` (1: gap), choose the threshold with the best F1,
        and set the similarity floor (1st percentile of the best similarity of phrases whose concept is there).
        ``bends``: a piecewise-linear response to each signal (else linear, for few gap examples)."""
        self.gap_knots = knot_points(x) if bends else [np.zeros(0)] * x.shape[1]
        xs = hinge_features(x, self.gap_knots)
        self.gap_w = fit_logistic(xs, y)
        p = 1 / (1 + np.exp(-np.clip(xs @ self.gap_w, -30, 30)))
        best_f1, best_t = 0.0, 0.5
        for t in np.linspace(0.05, 0.95, 91):
            tp = float(((p >= t) & (y == 1)).sum())
            fp = float(((p >= t) & (y == 0)).sum())
            fn = float(((p < t) & (y == 1)).sum())
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            if f1 > best_f1:
                best_f1, best_t = f1, float(t)
        self.gap_t = best_t
        self.sim_floor = float(np.quantile(present_sims, 0.01))
        self.fitted = True
        return best_f1

    def _fit_gap_on_examples(self, folds: int, rng: random.Random) -> dict[str, float]:
        """The gap decision of a graph that knows real gaps: its curated phrasings with no concept are the
        positives, its curated mapped phrasings (each held out in turn) the negatives. Patient phrasings, not
        HPO's lay synonyms, are what the decision will meet."""
        gx, gy, sims, hits, n_closed = [], [], [], 0, 0
        expression = np.array([kind == "known_expression" for kind in self.doc_kind])
        # Every fold scores every gap phrasing against its own index: with a few dozen gaps against
        # hundreds of mapped phrasings this weights the rare class (used once each, they fit worse:
        # held-out gap F1 0.42 against 0.47, benchmarks/eval_builtin.py).
        gaps = self.gap_texts

        def score(k: int) -> tuple[np.ndarray, dict]:
            held = np.flatnonzero((self.doc_fold == k) & expression)
            idx = _Index(self, np.flatnonzero(self.doc_fold != k))
            return held, idx.features([self.doc_text[r] for r in held] + gaps, None)

        for held, fx in _map_threads(score, list(range(folds))):
            lin = fx["feat"] @ self.rank_w
            prob = softmax(lin, fx["valid"])
            gx.append(_gap_features(fx, prob, lin))
            is_gap = np.r_[np.zeros(len(held), bool), np.ones(len(gaps), bool)]
            gy.append(is_gap.astype(np.float64))
            sims.append(np.maximum(fx["max_c"], fx["max_w"])[~is_gap])
            gold = self.doc_concept[held]
            top1 = np.take_along_axis(fx["cand"], prob.argmax(axis=1)[:, None], 1)[:, 0][: len(held)]
            hits += int((top1 == gold).sum())
            n_closed += len(held)
        # A few dozen gap phrasings cannot carry a bend per signal: linear, the built-in gap decision is
        # steadier on phrasings it never saw (benchmarks/eval_builtin.py, seeds 0/1/2: gap F1 0.458/0.465/
        # 0.408 with bends, 0.486/0.483/0.496 without). The resemblance to the known gaps (gap_sim) costs
        # 0.483/0.472/0.453 there but keeps a new wording of a known gap a gap ("zaps in my brain when I
        # look sideways"), which linear alone lost.
        best_f1 = self._fit_gap_decision(np.concatenate(gx), np.concatenate(gy), np.concatenate(sims), bends=False)
        self.fit_report = {"cv_acc1_curated": hits / max(1, n_closed), "cv_gap_f1": best_f1, "gap_threshold": self.gap_t,
                           "sim_floor": self.sim_floor, "gap_examples": float(len(self.gap_texts))}
        return self.fit_report

    def _embed_phrases(self, phrases: Sequence[str]) -> np.ndarray | None:
        if self.embedder is None or self.emb_centroids is None or "embedding" not in self.features:
            return None
        v = np.asarray(self.embedder.encode(list(phrases)), np.float32)
        return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)

    # -- answering

    def suggest(self, phrase: str, top: int = 5) -> Suggestion:
        """The status and the ``top`` candidate concepts of one phrase."""
        return self.suggest_many([phrase], top)[0]

    def suggest_many(self, phrases: Sequence[str], top: int = 5, batch: int = 256, workers: int | None = None) -> list[Suggestion]:
        """:meth:`suggest` for many phrases at once: vectorised per batch of at most ``batch`` phrases, and the
        batches answered by ``workers`` threads (default: one per usable core). The sparse products and most
        of numpy's work release the GIL, so two threads answer about 1.4 times as many phrases a second on two
        cores (benchmarks/bench_suggest.py)."""
        workers = workers or _usable_cores()
        n_chunks = max(1, -(-len(phrases) // batch))
        if n_chunks > 1 or len(phrases) > 64:  # worth splitting: a multiple of the threads, even work for each
            n_chunks = -(-n_chunks // workers) * workers
        size = max(1, -(-len(phrases) // n_chunks))
        chunks = [list(phrases[start : start + size]) for start in range(0, len(phrases), size)]
        return [s for answers in _map_threads(lambda chunk: self._suggest_batch(chunk, top), chunks, workers) for s in answers]

    def _suggest_batch(self, phrases: list[str], top: int) -> list[Suggestion]:
        if not self.ids:
            return [Suggestion(p, SuggestionStatus.GAP, ()) for p in phrases]
        # A list's parts, and what a phrase says is absent, are answered in the same batch (a second batch costs
        # more than their few phrases).
        listed = self._lists(phrases)
        asked = phrases + [p for _, parts in listed for p in parts]
        denied = [(i, rest) for i, p in enumerate(asked) if (rest := textnorm.absent_part(p))]
        heads = self._heads(phrases)  # the experience said before when, why or where (_read_circumstances)
        extra = [rest for _, rest in denied] + [head.text for head in heads]
        results, named, fx = self._answer(asked + extra, top)
        head_answers = list(zip(results[len(asked) + len(denied) :], named[len(asked) + len(denied) :]))
        for (i, _), answer, names_it in zip(denied, results[len(asked) :], named[len(asked) :]):
            # Absent only where the denied words name, on their own, the phrase's first concept ("no fever": Fever;
            # not "no energy", which is Fatigue).
            if names_it and results[i].candidates and answer.candidates[0].concept_id == results[i].candidates[0].concept_id:
                results[i] = replace(results[i], absent=True)
        results, part_answers = results[: len(phrases)], results[len(phrases) : len(asked)]
        if self.qualifiers:
            results = self._read_qualified(results, top)
        if heads:
            results = self._read_circumstances(results, heads, head_answers, top)
        if listed:
            results = self._read_listed(results, listed, part_answers, top)
        gap_rows = [i for i, r in enumerate(results) if r.status is SuggestionStatus.GAP]
        if gap_rows and self.gap_texts:
            for i, similar in zip(gap_rows, self._nearest_gaps(fx["gap_sims"][gap_rows])):
                results[i] = replace(results[i], similar_gaps=similar)
        return results

    def _answer(self, phrases: list[str], top: int) -> tuple[list[Suggestion], list[bool], dict]:
        """Each phrase's answer; whether its first concept is one it names word for word (a name or recorded
        phrasing, or one misspelt); and the features."""
        idx = self.index
        fx = idx.features(phrases, embed=self._embed_phrases if self.embedder is not None else None)
        lin = fx["feat"] @ self.rank_w
        prob = softmax(lin, fx["valid"])
        p_gap = self._p_gap(fx, prob, lin) if self.fitted else np.zeros(len(phrases))
        orders = np.argsort(-prob, axis=1, kind="stable")[:, :top]
        share = fx["feat"][:, :, _F["exact"]]
        # Not word for word, but its words (any order, inflected) are recorded for one concept only ("swollen":
        # Edema's "swelling"): the ranker's fit on held-out phrasings cannot learn this (a held-out phrasing's
        # words are recorded elsewhere mostly when they are ambiguous, so its vote weight can come out negative).
        # (Only the phrase's own key gives a full vote or name: a key as read counts _READ_WEIGHT.)
        by_key = np.maximum(fx["feat"][:, :, _F["vote"]], fx["feat"][:, :, _F["name_key"]])
        by_key = np.where(by_key >= 1.0, by_key, 0.0)
        for i, j in zip(*np.nonzero(by_key)):  # not by words that only stem alike ("HIV" is no "hives")
            if not self._said_alike(phrases[i], fx["keys"][i], int(fx["cand"][i, j])):
                by_key[i, j] = 0.0
        share = np.where(share.max(axis=1, keepdims=True) > 0, share, by_key)
        for i in np.flatnonzero(share.max(axis=1) > 0):
            # A phrasing already mapped (word for word, else by its words): its majority concept comes first.
            j = int(np.lexsort((-prob[i], -share[i]))[0])
            if j != orders[i, 0]:
                prob[i, j] = prob[i, orders[i, 0]]
                orders[i] = np.concatenate([[j], orders[i][orders[i] != j]])[:top]
        # Plain lists: the loops below read them element by element (a numpy scalar costs more, under the GIL).
        cand_l, valid_l, prob_l, orders_l = fx["cand"].tolist(), fx["valid"].tolist(), prob.tolist(), orders.tolist()
        ranked = [[(cand_l[i][j], prob_l[i][j]) for j in orders_l[i] if valid_l[i][j]] for i in range(len(phrases))]
        evidence = self._evidence_batch([[c for c, _ in r] for r in ranked], fx, phrases)
        results, named = [], []
        for i, phrase in enumerate(phrases):
            cands: list[Candidate] = []
            if not textnorm.content_tokens(phrase):
                results.append(Suggestion(phrase, SuggestionStatus.GAP, ()))
                named.append(False)
                continue
            chosen: list[tuple[int, float, tuple[Evidence, ...]]] = [(c, pr, evidence.get((i, c), ())) for c, pr in ranked[i]]
            if "hierarchy" in self.features:
                chosen = self._add_parents(chosen, top)
            for c, score, ev in chosen[:top]:
                cid = self.ids[c]
                cands.append(Candidate(cid, self.labels[c], round(min(1.0, max(0.0, score)), 4), ev,
                                       self.categories.get(cid, ())))
            likelihood = threshold = None
            first = chosen[0][0] if cands else -1
            known = (bool(fx["known"][i]) and bool(cands) and self._is_known(fx["keys"][i], first)
                     and self._said_alike(phrase, fx["keys"][i], first))
            # A misspelling of a name or recorded phrasing ("arthrites"), or one in lay words ("nauseous":
            # "nausea"), whatever the gap model makes of the word it does not know.
            misspelt = not known and bool(cands) and any(self._is_known(k, first) for k in fx["read_keys"][i])
            named.append(known or misspelt)
            if known:
                status = SuggestionStatus.KNOWN
            elif fx["keys"][i] in self.gap_keys:  # the graph already records this phrasing as placed nowhere
                status = SuggestionStatus.GAP
            elif misspelt:
                status = SuggestionStatus.SUGGESTED
            elif not cands or max(fx["max_c"][i], fx["max_w"][i]) < self.sim_floor:
                status = SuggestionStatus.GAP
            elif self.fitted:
                likelihood, threshold = round(float(p_gap[i]), 4), round(self.gap_t, 4)
                status = SuggestionStatus.GAP if p_gap[i] >= self.gap_t else SuggestionStatus.SUGGESTED
            else:
                status = SuggestionStatus.GAP if prob[i].max() < _UNFITTED_P_FLOOR else SuggestionStatus.SUGGESTED
            codes = self._named_categories(fx["keys"][i], status, cands)
            if codes and status is SuggestionStatus.SUGGESTED and not misspelt:
                # The EHR names the phrase itself ("covid 19": U07.1) and the likeliest concept neither names it
                # nor reaches that code: a gap in the concepts, not in the codes, whatever the gap model guessed.
                status, likelihood, threshold = SuggestionStatus.GAP, None, None
            results.append(Suggestion(phrase, status, tuple(cands), gap_likelihood=likelihood, gap_threshold=threshold,
                                      named_categories=codes))
        return results, named, fx

    def _read_qualified(self, results: list[Suggestion], top: int) -> list[Suggestion]:
        """A gap that is a known phrasing (or a misspelt name or known phrasing) with qualifier words
        ("terrible headache", "constant nausea", "terrible nausia") is that phrasing's concept, qualified:
        ``suggested``, with the HPO clinical modifier each qualifier stands for in the evidence
        (:mod:`hgap.graph.qualifiers`). Only gaps: a concept that names the qualifier itself ("Chronic cough")
        is matched whole, and overriding such matches lost AskAPatient acc@1 (0.876 → 0.865: "severe pain in
        my thighs" is *Severe pain* there)."""
        todo = []
        for i, r in enumerate(results):
            if r.status is SuggestionStatus.GAP and textnorm.key(r.phrase) not in self.gap_keys:
                rest, found = split_qualifiers(r.phrase, self.qualifiers)
                if found:
                    todo.append((i, rest, found))
        if not todo:
            return results
        # The phrases without their qualifiers have none left, so this goes one level deep.
        plain, named, _ = self._answer([rest for _, rest, _ in todo], top)
        for (i, _, found), answer, names_it in zip(todo, plain, named):
            if names_it:
                first = answer.candidates[0]
                notes = _qualifier_notes(found)
                results[i] = Suggestion(results[i].phrase, SuggestionStatus.SUGGESTED,
                                        (replace(first, evidence=first.evidence + notes), *answer.candidates[1:]),
                                        named_categories=answer.named_categories)
        return results

    def _read_circumstances(self, results: list[Suggestion], heads: Sequence["_Head"],
                            head_answers: Sequence[tuple[Suggestion, bool]], top: int) -> list[Suggestion]:
        """A phrase that says an experience and then when or why it happens ("I feel bloated after eating",
        "I get heartburn after spicy food") is first of all the experience its head says: the circumstance is
        recorded beside the concept, it does not replace it. Where the ranker put first a concept that only the
        circumstance draws (*Poor appetite*, by "eating"), the head's concept comes first, with the circumstance
        in its evidence. The ranker's concept stays first where the circumstance makes the head's experience
        specific: a concept under the head's (*Exertional dyspnea* for "short of breath when I walk upstairs"),
        one of the head's own first three ("I bruise if anyone so much as touches me": *Bruising
        susceptibility*), or one recorded with a word of the head ("pain when I pee": *Dysuria*, "pain when
        urinating"). A phrase that ends by saying where it is felt is read the same way ("a bruise on my knee":
        *Ecchymosis*, not *Knee pain*; :func:`~hgap.graph.bodysites.site_split`). A gap whose head names its first
        concept is ``suggested``: its other words had made it look like a gap ("I keep getting headaches at
        work": *Headache*, Recurrent). Not for a site: a concept of that site may be what is missing (with
        "tingling in my arms" so placed, open-set gap F1 fell at four of seven seeds). A known phrasing is left."""
        for said, (head, names_it) in zip(heads, head_answers):
            i = said.index
            if (results[i].status is SuggestionStatus.KNOWN or not results[i].candidates
                    or head.status is SuggestionStatus.GAP or not head.candidates):
                continue
            said_first = head.candidates[0]
            if not names_it and said_first.score < _HEAD_SURE:
                continue  # the head's own answer is a guess ("I turn into a different person": Esotropia, 0.18)
            cands = results[i].candidates
            moved = False
            if cands[0].concept_id != said_first.concept_id and not self._specialises(cands[0].concept_id, said.text, head):
                whole = next((c for c in cands if c.concept_id == said_first.concept_id), said_first)
                cands = (replace(whole, score=max(whole.score, cands[0].score)),
                         *(c for c in cands if c.concept_id != said_first.concept_id))[:top]
                moved = True
            placed = (names_it and not said.is_site and results[i].status is SuggestionStatus.GAP
                      and cands[0].concept_id == said_first.concept_id)
            if moved or placed:
                notes = (*_qualifier_notes(said.qualifiers),
                         Evidence("site", said.clause, "where it is felt, recorded beside the concept", 1.0) if said.is_site else
                         Evidence("circumstance", said.clause, "when or why it happens, recorded beside the concept", 1.0))
                if placed:
                    results[i] = replace(results[i], status=SuggestionStatus.SUGGESTED, gap_likelihood=None, gap_threshold=None)
                results[i] = replace(results[i], candidates=(replace(cands[0], evidence=cands[0].evidence + notes), *cands[1:]))
        return results

    def _heads(self, phrases: Sequence[str]) -> list["_Head"]:
        """The phrases that say an experience and then when or why it happens, or where it is felt, each with
        that head (its qualifiers taken out: "I keep getting headaches at work", "headaches", Recurrent). Not a
        recorded phrasing, nor one recorded as a gap: those are answered whole."""
        index, found = self.index, []
        for i, phrase in enumerate(phrases):
            split, is_site = textnorm.circumstance_split(phrase), False
            if split is None:
                split, is_site = site_split(phrase), True
            if split is None:
                continue
            key = textnorm.key(phrase)
            if key not in index.votes and key not in index.names and key not in self.gap_keys:
                head, qualifiers = split_qualifiers(split[0], self.qualifiers) if self.qualifiers else (split[0], ())
                found.append(_Head(i, head, tuple(qualifiers), split[1], is_site))
        return found

    def _specialises(self, concept_id: str, head_text: str, head: Suggestion) -> bool:
        """Whether ``concept_id``, put first for a whole phrase, is the experience its head (``head_text``,
        answered ``head``) says, made specific by the clause after it: a concept under the head's first, one of
        the head's first three, or one with a name or recorded phrasing that has a word of the head (or of what
        it is lay for: "hurts", pain)."""
        said_first = head.candidates[0].concept_id
        if said_first in self._ancestors(concept_id) or concept_id in {c.concept_id for c in head.candidates[:3]}:
            return True
        stems = textnorm.content_tokens(head_text)
        lay = laywords.lay_table().words
        words = set(stems).union(*(lay.get(st, ()) for st in stems))
        concept = self._index_of[concept_id]
        return any(words.intersection(self._doc_stems(r)[1]) for r in self._by_concept[concept])

    def _lists(self, phrases: Sequence[str]) -> list[tuple[int, list[str]]]:
        """The phrases that may list experiences (see :meth:`_read_listed`), with their parts. Only parts whose
        words are a name or recorded phrasing can come back known: a list with any other part is left whole."""
        index = self.index

        def recorded(text: str) -> bool:  # a name or recorded phrasing, or one denied ("no pins and needles")
            key = textnorm.key(textnorm.absent_part(text) or text)
            return key in index.votes or key in index.names

        def one_name(text: str) -> bool:  # the same words in the same order ("pins and needles")
            return textnorm.normalize(textnorm.absent_part(text) or text) in self._said_whole

        todo = []
        for i, phrase in enumerate(phrases):
            parts = textnorm.listed_parts(phrase, one_name)
            if (parts and all(recorded(p) for p in parts)
                    and textnorm.normalize(phrase) not in self._said_whole and not _one_place(parts)):
                todo.append((i, parts))
        return todo

    def _read_listed(self, results: list[Suggestion], listed: Sequence[tuple[int, list[str]]],
                     answers: Sequence[Suggestion], top: int) -> list[Suggestion]:
        """A phrase that lists experiences, each part a name or recorded phrasing of a concept of its own ("I've had
        headaches and I feel sick": *Headache*, *Nausea*; it was *Migraine*, known, by "sick headache", whose
        words it has), is answered as those concepts in the order said, ``suggested``, with the parts' answers
        (``answers``, in the order of ``listed``). Not a phrase that is itself a name or recorded phrasing word
        for word ("nausea and vomiting"), nor one whose first words go with the last part's body site ("sore and
        stiff feet", "numbness and tingling in my hands": one experience at one place), nor one whose concepts
        are a concept and its ancestor (one experience said twice, once more loosely). A part may deny an
        experience ("no chest pain but short of breath"): it is marked absent and comes after those present."""
        at = 0
        for i, parts in listed:
            got, at = answers[at : at + len(parts)], at + len(parts)
            if not all((a.status is SuggestionStatus.KNOWN or a.absent) and a.candidates for a in got):
                continue
            got = [a for a in got if not a.absent] + [a for a in got if a.absent]  # what is present first
            firsts = [a.candidates[0] for a in got]
            ids = [c.concept_id for c in firsts]
            if len(set(ids)) < len(ids) or any(self._ancestors(b).intersection(ids) for b in ids):
                continue
            said = [replace(c, evidence=(Evidence("part", a.phrase, "this part of the phrase says it" + (" is absent" if a.absent else ""),
                                                  1.0), *c.evidence)) for a, c in zip(got, firsts)]
            rest = [c for c in results[i].candidates if c.concept_id not in ids]
            results[i] = Suggestion(results[i].phrase, SuggestionStatus.SUGGESTED, tuple(said + rest)[: max(top, len(said))],
                                    named_categories=results[i].named_categories, parts=tuple(got),
                                    absent=all(a.absent for a in got))
        return results

    @functools.cached_property
    def _said_whole(self) -> frozenset[str]:
        """Every name and recorded phrasing, normalised: the same words in the same order."""
        return frozenset(self.doc_norm)

    def _ancestors(self, concept_id: str) -> frozenset[str]:
        """The concepts above ``concept_id`` in the hierarchy (none for given tables)."""
        index = self._index_of
        seen: set[int] = set()
        todo = list(self.parents[index[concept_id]]) if concept_id in index and self.parents else []
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(self.parents[c])
        return frozenset(self.ids[c] for c in seen)

    @functools.cached_property
    def _index_of(self) -> dict[str, int]:
        return {cid: i for i, cid in enumerate(self.ids)}

    def similar_gaps(self, phrases: Sequence[str], limit: int = _SIMILAR_GAPS) -> list[tuple[SimilarGap, ...]]:
        """Per phrase, the known gap phrasings (curated expressions with no concept) most like it, best first.

        >>> s = Suggester.from_tables([("C1", "Headache")], [], gap_texts=["brain zaps", "head fizzing"])
        >>> [g.text for g in s.similar_gaps(["zaps in my brain", "Brain zaps"])[1]]  # not itself
        []
        >>> [g.text for g in s.similar_gaps(["zaps in my brain"])[0]]
        ['brain zaps']
        """
        return self._nearest_gaps(self.gap_similarities(phrases), limit)

    def _nearest_gaps(self, sims: np.ndarray, limit: int = _SIMILAR_GAPS) -> list[tuple[SimilarGap, ...]]:
        """Per row of :meth:`gap_similarities`, the known gap phrasings at least _SIMILAR_GAP_FLOOR similar."""
        out = []
        for row in sims:
            best = [j for j in np.argsort(-row, kind="stable")[:limit] if row[j] >= _SIMILAR_GAP_FLOOR]
            out.append(tuple(SimilarGap(self.gap_texts[j], round(float(row[j]), 4)) for j in best))
        return out

    def gap_similarities(self, phrases: Sequence[str]) -> np.ndarray:
        """(phrases, known gap phrasings): how similar each phrase is to each, 0 to itself (the phrase itself
        is no news, and a curated gap held out in fitting must not resemble itself). A new wording of a known
        hole in the vocabulary is likely the same hole."""
        if not self.gap_texts or not len(phrases):
            return np.zeros((len(phrases), len(self.gap_texts)))
        sim = self.gap_space.similarities(phrases)
        own = self.gap_space.norm_index
        for i, phrase in enumerate(phrases):
            sim[i, own.get(textnorm.normalize(phrase), [])] = 0.0
        return sim

    # Both built on first use (two threads may both build one, to the same value).
    @functools.cached_property
    def gap_space(self) -> _GapSpace:
        """The known gap phrasings in their own TF-IDF space (for :meth:`similar_gaps`)."""
        return _GapSpace(self.gap_texts)

    @functools.cached_property
    def gap_keys(self) -> frozenset[str]:
        """The keys (:func:`hgap.graph.textnorm.key`) of the phrasings known to be gaps."""
        return frozenset(k for k in map(textnorm.key, self.gap_texts) if k)

    def _named_categories(self, key: str, status: SuggestionStatus, cands: Sequence[Candidate]) -> tuple[NamedCategory, ...]:
        """The codes whose title or inclusion term the phrase says (its key), where they are news: those the
        first concept does not reach, nor a code above or below one it reaches ("I have a black eye" is S00.1,
        whichever concept is suggested). For a recorded phrasing only where its concept reaches no code: else
        its codes come through its concept ("burning up" is a fever, not a burn). Keys as read are left out: a
        lay word read as its clinical word is a looser match than a code should rest on."""
        found = self.category_names.get(key) if self.category_names else None
        if not found or (status is SuggestionStatus.KNOWN and cands and cands[0].concept_id in self.coded_concepts):
            return ()
        reached = [g.category_id for g in cands[0].categories] if cands else []
        named = [NamedCategory(*line.split("\t")) for line in found.split("\n")]
        # The most specific of a code and its subdivisions that both name it: "knee instability" is M25.369 Other
        # instability, unspecified knee, not also M25.36.
        return tuple(n for n in named if not any(n.category_id.startswith(r) or r.startswith(n.category_id) for r in reached)
                     and not any(m.category_id != n.category_id and m.category_id.startswith(n.category_id) for m in named))

    def _is_known(self, key: str, concept: int) -> bool:
        """Whether ``key`` is a recorded phrasing or a name of ``concept`` (its number)."""
        return concept in self.index.votes.get(key, ()) or concept in self.index.names.get(key, ())

    @functools.cached_property
    def _rows_by_key(self) -> dict[str, list[int]]:
        """The documents of each key."""
        rows: dict[str, list[int]] = defaultdict(list)
        for r, key in enumerate(self.doc_key):
            rows[key].append(r)
        return rows

    def _said_alike(self, phrase: str, key: str, concept: int) -> bool:
        """Whether a document of ``concept`` with the phrase's ``key`` says the phrase's words, not others the
        light stemmer makes the same ("HIV" and "hives", "pill" and "piles", "scared" and "scarring")."""
        return concept in self._said_alike_by(phrase, key)

    def _said_alike_by(self, phrase: str, key: str) -> frozenset[int]:
        """The concepts with a document of the phrase's ``key`` that says the phrase's words (:meth:`_said_alike`)."""
        by_strict = self._concepts_by_strict_key.get(key)
        if by_strict is None:  # made per key on first use: few keys are ever asked, and each many times
            grouped: dict[str, set[int]] = defaultdict(set)
            for r in self._rows_by_key.get(key, ()):
                grouped[textnorm.strict_key(self.doc_text[r])].add(int(self.doc_concept[r]))
            by_strict = self._concepts_by_strict_key[key] = {k: frozenset(v) for k, v in grouped.items()}
        if not by_strict:
            return frozenset()
        return by_strict.get(_strict_key(phrase), frozenset())

    @functools.cached_property
    def _concepts_by_strict_key(self) -> dict[str, dict[str, frozenset[int]]]:
        """Per key met so far: its documents' concepts by their :func:`textnorm.strict_key`."""
        return {}

    def _add_parents(self, chosen: list[tuple[int, float, tuple[Evidence, ...]]], top: int) -> list[tuple[int, float, tuple[Evidence, ...]]]:
        """A phrase that matches a child suggests its parents too (below the child)."""
        rows = {c: [score, ev] for c, score, ev in chosen}
        for c, score, _ in chosen:
            for p in self.parents[c]:
                if not self.index.present[p]:
                    continue
                why = Evidence("parent_of_match", self.labels[c], f"parent of {self.ids[c]}", round(score, 4))
                if p in rows and rows[p][0] >= score:
                    continue
                if p in rows:
                    rows[p][0] = max(rows[p][0], score * _HIERARCHY_DECAY)
                    rows[p][1] = (why,) + tuple(rows[p][1])
                else:
                    rows[p] = [score * _HIERARCHY_DECAY, (why,)]
        return sorted(((c, s, ev) for c, (s, ev) in rows.items()), key=lambda t: -t[1])

    def _evidence_batch(self, picked: list[list[int]], fx: dict, phrases: Sequence[str]) -> dict[tuple[int, int], tuple[Evidence, ...]]:
        """The evidence of every (phrase, picked concept): its best matching documents, at most one per kind of
        document and three in all (the same text is shown once), the best first. A document the phrase says
        word for word (case and spaces folded) is ``exact``, one with the same normalised words "same words
        after normalisation", both scored 1; any other shows its character, word and meaning cosines (the
        meaning one only with embeddings) if its best cosine is at least 0.2."""
        prow, pcon, prows, s_c, s_w, s_e = fx["pairs"]
        if s_e is None:
            s_e = np.zeros_like(s_c)
        n = len(self.ids)
        # A flag per (phrase, concept) picked: one lookup per pair instead of a sorted set membership.
        wanted = np.zeros(len(picked) * n, bool)
        wanted[[i * n + c for i, cs in enumerate(picked) for c in cs]] = True
        key = prow.astype(np.int64) * n + pcon
        sel = np.flatnonzero(wanted[key])
        best = np.maximum(np.maximum(s_c[sel], s_w[sel]), s_e[sel])
        # Per (phrase, concept, kind of document), its best two documents (the second stands in when the
        # first repeats a text already shown under another kind), then by nearness.
        kind = self.doc_kind_code[prows[sel]]
        o = np.lexsort((-best, kind, key[sel]))
        sel, best, k, kind = sel[o], best[o], key[sel][o], kind[o]
        by_kind = k * len(KINDS) + kind
        keep = np.arange(len(k)) - np.searchsorted(by_kind, by_kind) < 2
        sel, best, k, kind = sel[keep], best[keep], k[keep], kind[keep]
        o = np.lexsort((-best, k))
        sel, best, k, kind = sel[o], best[o], k[o], kind[o]
        # How each document matches: word for word, by the same normalised words, or by its cosines (and
        # then only from 0.2); one that cannot be shown is dropped before the per-phrase loop.
        folded_ids, key_ids, folded_id, key_id = self._evidence_ids()
        rows = prows[sel]
        phrase = k // n
        p_folded = np.array([folded_ids.get(_folded(p), -1) for p in phrases], np.int64)
        p_key = np.array([key_ids.get(fk, -1) for fk in fx["keys"]], np.int64)
        fid = folded_id[rows]
        exact = fid == p_folded[phrase]
        same = ~exact & (key_id[rows] == p_key[phrase])
        shown = exact | same | (best >= 0.2)
        rows, k, kind, fid, exact, same = rows[shown], k[shown], kind[shown], fid[shown], exact[shown], same[shown]
        score = np.where(exact | same, 1.0, best[shown])
        sc_l, sw_l, se_l = s_c[sel][shown].tolist(), s_w[sel][shown].tolist(), s_e[sel][shown].tolist()
        how_of = np.where(exact, 0, np.where(same, 1, 2)).tolist()
        starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]]).tolist() if len(k) else []
        rows_l, kind_l, fid_l, score_l, k_l = rows.tolist(), kind.tolist(), fid.tolist(), score.tolist(), k.tolist()
        readings, lay_readings = fx["readings"], fx["lay_readings"]
        # The patient's own spelling of the words read, for the notes ("bruise", not the folded "bruize").
        spelt = {i: textnorm.spelt_words(phrases[i]) for i in range(len(phrases)) if readings[i] or lay_readings[i]}
        out: dict[tuple[int, int], tuple[Evidence, ...]] = {}
        for a, b in zip(starts, starts[1:] + [len(k_l)]):
            taken: set[int] = set()
            used: set[int] = set()
            chosen: list[int] = []
            for t in range(a, b):  # the best document of each kind whose text is not shown already
                if kind_l[t] in taken or fid_l[t] in used:
                    continue
                taken.add(kind_l[t])
                used.add(fid_l[t])
                chosen.append(t)
            chosen.sort(key=score_l.__getitem__, reverse=True)  # stable: ties keep the documents' order
            i, c = divmod(k_l[a], n)
            evidence = []
            for t in chosen[:3]:  # only the three shown are worded
                r = rows_l[t]
                if how_of[t] == 0:
                    how = "exact"
                elif how_of[t] == 1:
                    how = "same words after normalisation"
                else:
                    sc, sw, se = sc_l[t], sw_l[t], se_l[t]
                    meaning = f", meaning {se:.2f}" if se > 0 else ""
                    notes = self._reading_notes(r, readings[i], lay_readings[i], spelt[i]) if i in spelt else ""
                    how = f"similar (characters {sc:.2f}, words {sw:.2f}{meaning}{notes})"
                evidence.append(Evidence(KINDS[kind_l[t]], self.doc_text[r], how, round(score_l[t], 4)))
            out[(i, c)] = tuple(evidence)
        return out

    def _evidence_ids(self) -> tuple[dict[str, int], dict[str, int], np.ndarray, np.ndarray]:
        """Each document's text folded (case and spaces) and its normalised key, numbered: the numbering of
        each, and every document's two numbers (made once, on first use)."""
        if self._evidence_numbers is None:
            folded_ids: dict[str, int] = {}
            key_ids: dict[str, int] = {}
            folded = [folded_ids.setdefault(_folded(t), len(folded_ids)) for t in self.doc_text]
            keys = [key_ids.setdefault(kk, len(key_ids)) for kk in self.doc_key]
            self._evidence_numbers = (folded_ids, key_ids, np.array(folded, np.int64), np.array(keys, np.int64))
        return self._evidence_numbers

    def _reading_notes(self, row: int, typos: Sequence[tuple[str, str]], lay: Sequence[tuple[str, str]],
                       spelt: Mapping[str, str]) -> str:
        """How a document matches the phrase's typos and lay words (each: the word as written, the stem read),
        so that a reader sees why "pins and needels" resembles "pins and needles": "; 'needels' read as
        'needles'", "; 'nauseous' is lay for 'nausea'", and "; 'blacked out' is lay for 'loss of
        consciousness'" (the document's words from the first to the last that a lay word or phrase stands for,
        when at most two others lie between). The words are shown as the patient spelt them (``spelt``:
        :func:`textnorm.spelt_words`)."""
        if not typos and not lay:
            return ""
        typos = [(" ".join(spelt.get(x, x) for x in word.split()), fix) for word, fix in typos]
        lay = [(" ".join(spelt.get(x, x) for x in word.split()), fix) for word, fix in lay]
        words, stems, doc_words = self._doc_stems(row)
        notes = [f"; '{word}' read as '{doc_words[fix]}'" for word, fix in typos if fix in doc_words]
        read_as: dict[str, set[str]] = {}
        for word, fix in lay:
            read_as.setdefault(word, set()).add(fix)
        for word, fixes in read_as.items():
            at = [k for k, st in enumerate(stems) if st in fixes]
            if at and at[-1] - at[0] + 1 - len(at) <= 2:
                notes.append(f"; '{word}' is lay for '{' '.join(words[at[0] : at[-1] + 1])}'")
            else:
                notes.extend(f"; '{word}' is lay for '{words[k]}'" for k in at)
        return "".join(dict.fromkeys(notes))

    def _doc_stems(self, row: int) -> tuple[list[str], list[str], dict[str, str]]:
        """A document's words as normalised, their stems, and each stem's word (kept once made)."""
        cache = self.__dict__.setdefault("_stems_cache", {})
        found = cache.get(row)
        if found is None:
            words = textnorm.normalize(self.doc_text[row]).split()
            stems = [textnorm.stem(w) for w in words]
            found = cache[row] = (words, stems, dict(zip(stems, words)))
        return found

    # -- autocomplete

    def complete(self, prefix: str, limit: int = 10) -> list[Completion]:
        """Labels, synonyms and expressions that start with ``prefix`` (after normalisation), then fuzzy ones.

        >>> s = Suggester.from_tables([("P", "Paresthesia"), ("H", "Headache")], [("pins and needles", "P")])
        >>> [(c.text, c.scope) for c in s.complete("head")]
        [('Headache', 'label')]
        >>> s.complete("pins an")[0].concept_id
        'P'
        """
        import bisect

        q = textnorm.normalize(prefix)
        if not q:
            return []
        out: list[Completion] = []
        seen: set[tuple[str, str]] = set()

        def emit(r: int, matched: str) -> None:
            c = int(self.doc_concept[r])
            key = (self.doc_text[r].casefold(), self.ids[c])
            if key in seen or len(out) >= limit:
                return
            seen.add(key)
            kind = self.doc_kind[r]
            scope = {"known_expression": "expression", "label": "label", "synonym": "exact",
                     "layperson_synonym": "layperson", "inclusion_term": "inclusion"}.get(kind, kind)
            out.append(Completion(self.doc_text[r], self.ids[c], self.labels[c], matched, scope))

        lo = bisect.bisect_left(self._complete, (q, -1))
        for text, r in self._complete[lo:]:
            if not text.startswith(q) or len(out) >= limit:
                break
            emit(r, "prefix")
        if len(out) < limit and len(q) >= 4:
            from rapidfuzz import fuzz, process

            heads = self._complete_heads.get(len(q))
            if heads is None:
                heads = self._complete_heads[len(q)] = [t[: len(q)] for t, _ in self._complete]
            for _, score, j in process.extract(q, heads, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=74):
                emit(self._complete[j][1], "fuzzy")
        return out


# ----------------------------------------------------------------------------------------------------
# Presenting suggestions.


def built_suggester(home: Path | None = None, *, build: Path | None = None,
                    knowledge: "Knowledge | None" = None, embedder: Embedder | None = None) -> Suggester | None:
    """The suggester of a build: the current one under ``home`` (``hgap build``), or the build directory
    ``build`` (whose records ``knowledge`` the caller may have loaded already), with the optional
    ``embedder``; None when there is none.

    Making one loads the graph and indexes its ~44,000 documents (about 3 s); a command-line lookup should
    not pay that each time, so the made suggester is kept pickled under ``~/.cache/hgap``, keyed on the
    build (its directory is named by the fingerprint of its inputs), our feature tables, the installed
    vocabularies and the code of ``graph/`` and ``ontology/``. Loading it takes 0.14 s
    (``benchmarks/bench_suggest.py``)."""
    from hgap.ontology.build import hgap_home

    from .lexicon import _versions_key

    if build is None:
        current = (home or hgap_home()) / "current"
        if not (current / "knowledge.pickle").exists():
            return None
        build = current.resolve()
    kind = embedder.name if embedder is not None else "lexical"
    h = hashlib.sha1(f"{build.name}|{_versions_key()}|{kind}".encode())
    h.update(_code_key())
    ontology = Path(__file__).resolve().parent.parent / "ontology"
    h.update(files_digest(sorted([*ontology.glob("*.py"), data_dir() / laywords.LAY_WORDS_FILE,
                                  data_dir() / BODY_SITES_FILE, data_dir() / QUALIFIERS_FILE])))
    # Named by the home, then the key: a newer suggester of the same home replaces the older ones (each is
    # ~60 MB and only the newest serves), and other homes' (a test's, say) are left alone.
    prefix = f"suggester-{hashlib.sha1(f'{build.parent.resolve()}|{kind}'.encode()).hexdigest()[:8]}-"
    path = cache_dir() / f"{prefix}{h.hexdigest()[:20]}.pickle"
    if path.exists():
        try:
            cached = read_pickle(path)
            if isinstance(cached, Suggester):
                cached.embedder = embedder  # not pickled: a model is loaded, not unpickled
                return cached
        except Exception:  # a broken or stale cache is remade
            pass
    if knowledge is None:
        knowledge = read_pickle(build / "knowledge.pickle")  # type: ignore[assignment]
    suggester = Suggester.from_knowledge(knowledge, embedder=embedder)
    replace_cached(path, suggester, prefix)
    return suggester



"""Clusters of gap expressions that say the same thing: candidate missing concepts.

A similarity graph joins two expressions when they say the same thing in different words, then
communities of it (Louvain, seeded, or plain connected components) become clusters. The similarity of
two expressions ``a`` and ``b`` is, after :mod:`hgap.graph.textnorm` folded case, spelling and inflection::

    s = 0.3 · region + 0.3 · sensation + 0.2 · words + 0.2 · chars
    (halved when both name body regions and none is shared; halved again when both name sensations and none
    is shared; when neither names a region or a sensation, s = 0.5 · words + 0.5 · chars)

``region`` is 1 when both name the same body region (``brain`` and ``head`` are one region, ``body`` and
``internal`` another: :func:`hgap.graph.bodysites.lay_region`, ``data/body_sites.tsv``), ``sensation`` when both name the same kind of sensation
(``zaps``, ``fizzing``, ``buzzing`` and ``electric shocks`` are one kind, ``freeze``, ``ice`` and ``chill``
another, ``runny`` and ``leaking`` another: :data:`SENSATIONS`), ``words`` the Jaccard overlap of their other content stems, ``chars`` the cosine of
their character 3-gram counts. Patients who lack a word for something say *where* it is and *what it is
like* in their own words, so a shared region and a shared kind of sensation are the strongest lexical
signals that two new phrasings name one thing; a different region (``brain buzzing`` and ``body buzzing``)
or a different sensation (``brain zaps`` and ``brain freeze``) argues against it even when the other agrees.
Pairs at or above ``threshold`` are joined. With a suggester, so are two phrasings that one EHR category
names word for word (its title or an inclusion term; not a residual "Other ..." or "NEC" category, which
gathers unlike experiences): "seasickness" and "travel sickness" share no word, and ICD-10-CM lists both under
T75.3 Motion sickness. Each cluster then says which codes name its phrasings: the experience is codable, and
what is missing is a concept mapped to that code.

Measured by ``benchmarks/eval_clusters.py`` against the curators' own groupings of the 54 curated gap
expressions (their comments in ``data/expressions.tsv``: "same experience as brain zaps"): pairwise F1 0.909,
6 of 10 groups found whole (0.841 and 2 before the twentieth session's words-only weighting and sensation
words, which that set guided; 0.889 and 5 before the joins by code); on 31 phrasings written afterwards and
never tuned on, 0.773 and 7 of 11, the same before and after. A meaning model does not help here: the cosines of all-MiniLM-L6-v2 (and of the static
model) put "brain buzzing" and "body buzzing" (0.83) above every pair that names one experience in other
words ("earworm" and "a song stuck in my head" 0.28, "hangxiety" and "the beer fear" 0.29).

Each :class:`Cluster` has a representative (the most reported expression; ties: the most connected),
its size, total reports, cohesion (mean similarity of its pairs) and its nearest existing concepts, from
a :class:`~hgap.graph.suggest.Suggester` when one is given, else from a lexical index of concept labels and
synonyms (character 3-grams and word stems, TF-IDF cosine).

>>> round(similarity("brain zaps", "head fizzing"), 2), round(similarity("brain zaps", "brain freeze"), 2)
(0.6, 0.21)
>>> import networkx as nx
>>> G = nx.DiGraph(hgap=1)
>>> for i, (text, n) in enumerate([("brain zaps", 12), ("brain buzzing", 5), ("head fizzing", 2), ("hangxiety", 1)]):
...     G.add_node(f"E:{i}", kind="expression", label=text, text=text, report_count=n)
>>> [(c.representative_text, c.size, c.reports) for c in gap_clusters(G, expressions=list(G))]
[('brain zaps', 3, 19), ('hangxiety', 1, 1)]
"""
from __future__ import annotations

import itertools
import math
import re
import weakref
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Iterator, Literal, Mapping, Sequence

import networkx as nx
import numpy as np

from . import textnorm
from .bodysites import lay_region
from ._checks import known_nodes, require_hgap_graph, require_unit
from .projection import CONCEPT, EXPRESSION, no_gc

if TYPE_CHECKING:  # pragma: no cover
    from .suggest import Suggester, Suggestion

__all__ = [
    "SENSATIONS", "NearConcept", "NamingCategory", "Cluster", "regions", "similarity", "similarity_graph", "gap_clusters",
    "nearest_concepts", "DEFAULT_THRESHOLD", "as_dict",
]

DEFAULT_THRESHOLD = 0.35
_W_REGION, _W_SENSATION, _W_WORDS, _W_CHARS, _DISJOINT = 0.3, 0.3, 0.2, 0.2, 0.5

#: Sensation words → the kind of sensation they describe (general lay usage, looked up like body words).
SENSATIONS: dict[str, str] = {
    **dict.fromkeys(("zap", "zaps", "buzz", "buzzing", "fizz", "fizzing", "electric", "electrical", "shock",
                     "shiver", "shivers", "jolt", "vibration", "vibrating", "vibrate", "hum", "humming",
                     "static", "crackle", "crackling", "tremor", "trembling", "shaking", "pulsing"), "electric"),
    **dict.fromkeys(("tingle", "tingling", "tingly", "pins", "needles", "numb", "numbness", "prickling",
                     "crawling"), "tingling"),
    **dict.fromkeys(("freeze", "freezing", "cold", "ice", "icy", "chill", "chilly"), "cold"),
    **dict.fromkeys(("hot", "heat", "burning", "burn", "fire", "flush"), "heat"),
    **dict.fromkeys(("heavy", "heaviness", "pressure", "weight", "tight", "tightness", "squeeze", "full",
                     "fullness", "blocked", "bloated", "muffled", "cotton"), "pressure"),  # "cotton wool in my ears"
    **dict.fromkeys(("pain", "ache", "aching", "hurt", "hurts", "sore", "throb", "throbbing", "stabbing",
                     "cramp"), "pain"),
    **dict.fromkeys(("song", "music", "tune", "ringing", "noise", "sound", "voices"), "sound"),
    **dict.fromkeys(("tired", "exhausted", "drained", "crash", "wiped", "fatigue", "knackered", "burnout",
                     "wired"), "fatigue"),
    **dict.fromkeys(("anxious", "anxiety", "worry", "panic", "dread", "fear", "scared", "nervous", "hangxiety",
                     "low", "sad", "down"), "mood"),
    **dict.fromkeys(("runny", "discharge", "leak", "leaking", "oozing", "weeping", "dribbling", "dripping"),
                    "discharge"),
    **dict.fromkeys(("dizzy", "spinning", "giddy", "woozy", "faint", "lightheaded"), "dizziness"),
}
_SENSATION_BY_STEM = {textnorm.stem(w): k for w, k in SENSATIONS.items()}


def _sensation(word: str) -> str | None:
    return SENSATIONS.get(word) or _SENSATION_BY_STEM.get(textnorm.stem(word))


@dataclass(frozen=True, slots=True)
class NearConcept:
    """An existing concept near a cluster: ``score`` in [0, 1]; ``how`` says what found it."""

    concept_id: str
    concept_label: str
    score: float
    how: str


@dataclass(frozen=True, slots=True)
class NamingCategory:
    """An EHR category that names phrasings of a cluster word for word: ``matched`` are those phrasings."""

    category_id: str
    label: str
    matched: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Cluster:
    """Gap expressions that say the same thing: a candidate missing concept."""

    cluster_id: str
    representative_id: str
    representative_text: str
    expression_ids: tuple[str, ...]
    texts: tuple[str, ...]
    size: int
    reports: int
    cohesion: float
    nearest_concepts: tuple[NearConcept, ...] = ()
    # EHR categories whose own title or inclusion term says one of its phrasings ("seasickness": T75.3 Motion
    # sickness): the experience already has a code, and a concept mapped to it would bridge the cluster.
    named_categories: tuple[NamingCategory, ...] = ()


# ----------------------------------------------------------------------------------------------------
# Similarity


Profile = tuple[frozenset[str], frozenset[str], frozenset[str], Counter[str]]


def _profile(text: str) -> Profile:
    """Where (body regions), what kind (sensations), which other content stems, and character 3-grams."""
    words = textnorm.normalize(text).split()
    words = [w for w in words if w not in textnorm.STOPWORDS] or words
    where, kinds, what, grams = set(), set(), set(), Counter()  # type: ignore[var-annotated]
    for word in words:
        region = lay_region(word)
        stem = textnorm.stem(word)
        if region:
            where.add(region)
        else:
            what.add(stem)
        kind = _sensation(word)
        if kind:
            kinds.add(kind)
        padded = f" {stem} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return frozenset(where), frozenset(kinds), frozenset(what), grams


def regions(text: str) -> frozenset[str]:
    """The body regions a phrase names.

    >>> sorted(regions("electric shivers in my head")), sorted(regions("internal vibrations"))
    (['head'], ['body'])
    """
    return _profile(text)[0]


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def _combine(pa: Profile, pb: Profile) -> float:
    (ra, ka, wa, ga), (rb, kb, wb, gb) = pa, pb
    shared_region, shared_kind = bool(ra & rb), bool(ka & kb)
    words = len(wa & wb) / len(wa | wb) if wa and wb else 0.0
    s = _W_REGION * shared_region + _W_SENSATION * shared_kind + _W_WORDS * words + _W_CHARS * _cosine(ga, gb)
    # Where neither names a body region nor a sensation, those signals say nothing either way: the words and
    # characters carry the whole weight ("travel sickness" and "car sick" name neither).
    if not (ra or rb or ka or kb):
        s /= _W_WORDS + _W_CHARS
    if ra and rb and not shared_region:
        s *= _DISJOINT
    if ka and kb and not shared_kind:
        s *= _DISJOINT
    return s


def similarity(a: str, b: str) -> float:
    """How much two phrases say the same thing, in [0, 1] (the formula of the module docstring).

    >>> similarity("brain zaps", "brain zaps")
    1.0
    >>> similarity("hangxiety", "crash after exertion")
    0.0
    """
    return round(_combine(_profile(a), _profile(b)), 6)


def similarity_graph(G: nx.DiGraph, expressions: Iterable[str] | None = None,
                     threshold: float = DEFAULT_THRESHOLD, named: Mapping[str, Iterable[str]] | None = None) -> nx.Graph:
    """An undirected graph over ``expressions`` (default: the unmapped expressions of ``G``) with an edge,
    ``weight`` = :func:`similarity`, between every pair at or above ``threshold``. ``named``: per expression,
    the EHR categories that name it word for word; two expressions named by one category that is not a
    residual one ("Other ...", "... NEC") are joined with weight 1 whatever their words ("seasickness" and
    "travel sickness", both listed under T75.3 Motion sickness)."""
    require_hgap_graph(G)
    require_unit(threshold, "threshold")
    ids = _gap_expressions(G, expressions)
    profiles = [_profile(G.nodes[e].get("text") or G.nodes[e].get("label", e)) for e in ids]
    H = nx.Graph()
    H.add_nodes_from(ids)
    # Only pairs sharing a region, a word or a 3-gram can reach a threshold > 0: compare those.
    by_feature: dict[str, list[int]] = defaultdict(list)
    for i, (where, kinds, what, grams) in enumerate(profiles):
        for f in (*(f"r:{r}" for r in where), *(f"k:{k}" for k in kinds), *(f"w:{w}" for w in what),
                  *(f"g:{g}" for g in grams)):
            by_feature[f].append(i)
    pairs: set[tuple[int, int]] = set()
    limit = max(50, int(len(ids) ** 0.5 * 20))  # features shared by very many phrases say little alone
    for members in by_feature.values():
        if 1 < len(members) <= limit:
            pairs.update((a, b) for k, a in enumerate(members) for b in members[k + 1:])
    for a, b in pairs:
        s = _combine(profiles[a], profiles[b])
        if s >= threshold and s > 0:
            H.add_edge(ids[a], ids[b], weight=round(s, 6))
    by_category: dict[str, list[str]] = defaultdict(list)
    for e in ids:
        for category in (named or {}).get(e, ()):
            by_category[category].append(e)
    for members in by_category.values():
        H.add_edges_from(itertools.combinations(members, 2), weight=1.0)
    return H


def _gap_expressions(G: nx.DiGraph, expressions: Iterable[str] | None) -> list[str]:
    if expressions is None:
        from .gaps import unmapped_expressions

        return [g.subject_id for g in unmapped_expressions(G)]
    return sorted(set(known_nodes(G, expressions, EXPRESSION)))


# ----------------------------------------------------------------------------------------------------
# Nearest concepts


_WORD = re.compile(r"[a-z0-9]+")


def _stems(text: str) -> list[str]:
    """Content stems of ``text``: :func:`textnorm.content_tokens`, with a fast path for plain ASCII."""
    if not text.isascii():
        return textnorm.content_tokens(text)
    words = [textnorm._spell(w) for w in _WORD.findall(text.lower().replace("'", ""))]
    kept = [textnorm.stem(w) for w in words if w not in textnorm.STOPWORDS]
    return kept or [textnorm.stem(w) for w in words]


@lru_cache(maxsize=100_000)
def _word_features(stem: str) -> tuple[str, ...]:
    padded = f" {stem} "
    return (f"w:{stem}", *(padded[i:i + 3] for i in range(len(padded) - 2)))


class _LexicalIndex:
    """Concept labels and synonyms as TF-IDF vectors of word stems and their character 3-grams.

    Documents are bags of words and words bags of features, so the document × feature counts are one
    sparse product and each distinct word is cut into n-grams once."""

    def __init__(self, G: nx.DiGraph) -> None:
        from scipy.sparse import csr_matrix

        self.ids: list[str] = []
        self.labels: list[str] = []
        self.words: dict[str, int] = {}
        self.vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        owner: list[int] = []
        words = self.words
        for node, data in G.nodes(data=True):
            if data.get("kind") != CONCEPT:
                continue
            k = len(self.ids)
            self.ids.append(node)
            self.labels.append(str(data.get("label", node)))
            for text in (data.get("label", ""), *data.get("synonyms", ())):
                stems = _stems(text) if text else []
                if not stems:
                    continue
                d = len(owner)
                owner.append(k)
                for st in stems:
                    rows.append(d)
                    cols.append(words.setdefault(st, len(words)))
        if not words:  # no concept with a name: nothing is near
            self.ids, self.labels = [], []
            return
        self.word_features = self._word_matrix(list(words), grow=True)
        doc_words = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(owner), max(len(words), 1)))
        counts = (doc_words @ self.word_features).tocsr()
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        self.idf = np.log((1 + counts.shape[0]) / (1 + df)) + 1.0
        self.matrix = self._normalise(counts.multiply(self.idf).tocsr()).T.tocsr()  # features × documents
        self.owner = np.asarray(owner, dtype=np.int64)

    def _word_matrix(self, stems: Sequence[str], grow: bool = False):  # type: ignore[no-untyped-def]
        from scipy.sparse import csr_matrix

        rows, cols, vocab = [], [], self.vocab
        for i, st in enumerate(stems):
            for f in _word_features(st):
                j = vocab.setdefault(f, len(vocab)) if grow else vocab.get(f)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(stems), max(len(vocab), 1)))

    @staticmethod
    def _normalise(m):  # type: ignore[no-untyped-def]
        from scipy.sparse import diags

        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return diags(1.0 / norms) @ m

    def query(self, texts: Sequence[str], weights: Sequence[float], top: int) -> list[tuple[str, str, float]]:
        from scipy.sparse import csr_matrix

        if not self.ids:
            return []
        stems = [_stems(t) for t in texts]
        distinct = sorted({s for ss in stems for s in ss})
        at = {s: i for i, s in enumerate(distinct)}
        rows = [i for i, ss in enumerate(stems) for _ in ss]
        cols = [at[s] for ss in stems for s in ss]
        q_words = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), max(len(distinct), 1)))
        q = (q_words @ self._word_matrix(distinct)).tocsr() if distinct else csr_matrix((len(texts), len(self.vocab)))
        q = self._normalise(q.multiply(self.idf).tocsr())
        sims = (q @ self.matrix).toarray()  # texts × documents
        best = np.zeros((len(texts), len(self.ids)))
        for i in range(len(texts)):  # the best document of each concept, per text
            np.maximum.at(best[i], self.owner, sims[i])
        w = np.asarray(weights, dtype=float)
        score = (w[:, None] * best).sum(axis=0) / max(w.sum(), 1e-9)
        order = np.argsort(-score, kind="stable")[:top]
        return [(self.ids[i], self.labels[i], float(score[i])) for i in order if score[i] > 0]


_INDEXES: "weakref.WeakKeyDictionary[nx.DiGraph, tuple[int, _LexicalIndex]]" = weakref.WeakKeyDictionary()


def _lexical_index(G: nx.DiGraph) -> _LexicalIndex:
    stamp = G.number_of_nodes()
    cached = _INDEXES.get(G)
    if cached is None or cached[0] != stamp:
        with no_gc():
            cached = (stamp, _LexicalIndex(G))
        _INDEXES[G] = cached
    return cached[1]


def nearest_concepts(
    G: nx.DiGraph, texts: Sequence[str], weights: Sequence[float] | None = None, top: int = 3,
    suggester: "Suggester | None" = None,
) -> tuple[NearConcept, ...]:
    """The existing concepts nearest to ``texts`` (weighted by ``weights``, e.g. report counts): by the
    ``suggester``'s candidate scores when given, else by the lexical index of ``G``'s concept names."""
    require_hgap_graph(G)
    if not texts:
        return ()
    w = [float(x) for x in (weights or [1.0] * len(texts))]
    if suggester is not None:
        return _nearest_answered(suggester.suggest_many(list(texts), top=top), w, top)
    return tuple(NearConcept(cid, label, round(score, 4), "lexical")
                 for cid, label, score in _lexical_index(G).query(list(texts), w, top))


def _nearest_answered(answers: Sequence["Suggestion"], weights: Sequence[float], top: int) -> tuple[NearConcept, ...]:
    """The concepts most suggested for phrases already answered, their scores averaged by ``weights``."""
    scores: dict[str, float] = defaultdict(float)
    labels: dict[str, str] = {}
    for weight, answer in zip(weights, answers):
        for c in answer.candidates[:top]:
            scores[c.concept_id] += weight * c.score
            labels[c.concept_id] = c.label
    total = sum(weights) or 1.0
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return tuple(NearConcept(cid, labels[cid], round(v / total, 4), "suggester") for cid, v in ranked)


# An ICD-10-CM residual category ("Other symptoms and signs involving emotional state", "... NEC") gathers
# unlike experiences under one code ("Loneliness", "Sighing"): that it names two phrasings does not make them
# one experience. An unspecified one ("Bradycardia, unspecified") names one experience, in other words.
_RESIDUAL = re.compile(r"^other\b|\bnot elsewhere classified\b|\bNEC\b", re.IGNORECASE)


def _naming(members: Sequence[str], texts: Sequence[str], answers: Mapping[str, "Suggestion"]) -> tuple[NamingCategory, ...]:
    """The EHR categories that name the ``members`` (``texts`` their phrasings), most phrasings first."""
    found: dict[str, tuple[str, list[str]]] = {}
    for e, text in zip(members, texts):
        answer = answers.get(e)
        for n in answer.named_categories if answer is not None else ():
            found.setdefault(n.category_id, (n.label, []))[1].append(text)
    ranked = sorted(found.items(), key=lambda kv: (-len(kv[1][1]), kv[0]))
    return tuple(NamingCategory(cid, label, tuple(matched)) for cid, (label, matched) in ranked)


# ----------------------------------------------------------------------------------------------------
# Clusters


def gap_clusters(
    G: nx.DiGraph,
    expressions: Iterable[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    method: Literal["louvain", "components"] = "louvain",
    seed: int = 0,
    resolution: float = 1.0,
    min_size: int = 1,
    top_concepts: int = 3,
    suggester: "Suggester | None" = None,
) -> Iterator[Cluster]:
    """Clusters of ``expressions`` (default: the unmapped expressions of ``G``), most reported first.

    ``method="louvain"`` splits the :func:`similarity_graph` into communities (``seed`` and ``resolution``
    are passed to :func:`networkx.community.louvain_communities`); ``"components"`` takes its connected
    components. Clusters smaller than ``min_size`` are left out; ``top_concepts`` nearest concepts are
    given for each (0 for none).
    """
    if method not in ("louvain", "components"):
        raise ValueError(f"method: {method!r} is not one of louvain, components")
    ids = _gap_expressions(G, expressions)
    text_of = {e: str(G.nodes[e].get("text") or G.nodes[e].get("label", e)) for e in ids}
    # One batch of answers gives both the nearest concepts and the EHR categories that name the phrasings.
    answers: dict[str, Suggestion] = {}
    if suggester is not None and ids:
        answers = dict(zip(ids, suggester.suggest_many([text_of[e] for e in ids], top=max(1, top_concepts))))
    named = {e: [n.category_id for n in a.named_categories if not _RESIDUAL.search(n.label)] for e, a in answers.items()}
    H = similarity_graph(G, ids, threshold, named)
    if method == "louvain":
        groups = nx.community.louvain_communities(H, weight="weight", resolution=resolution, seed=seed)
    else:
        groups = list(nx.connected_components(H))
    reports = {e: int(G.nodes[e].get("report_count", 0) or 0) for e in H}
    made = []
    for group in groups:
        if len(group) < min_size:
            continue
        members = sorted(group, key=lambda e: (-reports[e], -H.degree(e, weight="weight"), e))
        inner = H.subgraph(members)
        pairs = len(members) * (len(members) - 1) / 2
        cohesion = inner.size(weight="weight") / pairs if pairs else 1.0
        made.append((members, sum(reports[e] for e in members), cohesion))
    made.sort(key=lambda m: (-m[1], -len(m[0]), m[0][0]))
    for rank, (members, total, cohesion) in enumerate(made, 1):
        texts = tuple(text_of[e] for e in members)
        weights = [float(max(1, reports[e])) for e in members]
        if top_concepts <= 0:
            near: tuple[NearConcept, ...] = ()
        elif answers:
            near = _nearest_answered([answers[e] for e in members], weights, top_concepts)
        else:
            near = nearest_concepts(G, texts, weights, top_concepts)
        yield Cluster(f"cluster-{rank}", members[0], texts[0], tuple(members), texts, len(members), total,
                      round(cohesion, 4), near, _naming(members, texts, answers))


def as_dict(cluster: Cluster) -> dict:
    """A JSON-ready dict of ``cluster``."""
    return {
        "cluster_id": cluster.cluster_id, "representative_id": cluster.representative_id,
        "representative_text": cluster.representative_text, "size": cluster.size, "reports": cluster.reports,
        "cohesion": cluster.cohesion, "expression_ids": list(cluster.expression_ids), "texts": list(cluster.texts),
        "nearest_concepts": [
            {"concept_id": n.concept_id, "concept_label": n.concept_label, "score": n.score, "how": n.how}
            for n in cluster.nearest_concepts
        ],
        "named_categories": [
            {"category_id": n.category_id, "label": n.label, "matched": list(n.matched)} for n in cluster.named_categories
        ],
    }

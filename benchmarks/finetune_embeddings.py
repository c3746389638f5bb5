"""Would fine-tuning the optional MiniLM embedder on the known phrasings lift ``hgap suggest``? (It does not.)

Fine-tunes all-MiniLM-L6-v2 (the ``embeddings`` extra) on the AskAPatient fold-0 train rows: each phrase is
pulled towards the name of its concept against the other names in its batch (softmax over cosines at
temperature 0.05, AdamW, lr 5e-5, batch 64, 2 epochs, on the CPU). Then, side by side in one run, the base
and the fine-tuned model are compared on the validation split, twice: as a nearest neighbour alone (over the
concept names and the train phrases), and as the ``embedding`` signal of the full suggester (closed set).

    python benchmarks/finetune_embeddings.py [--data DIR] [--epochs 2] [--save DIR]

Measured (suggest-18, 2 cores, 2 epochs of 64-78 s each):

    nearest neighbour alone, acc@1   base 0.863   fine-tuned 0.883
    full suggester, acc@1            base 0.897   fine-tuned 0.897
    full suggester, acc@5            base 0.974   fine-tuned 0.979

The fine-tuned vectors are better alone but add nothing at rank 1 that the suggester's known-phrase, centroid and n-gram
signals do not already carry, so it is not part of the product. (An open-set figure is not printed: a fair
one would need a model fine-tuned without the removed concepts' phrases for each seed.)
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ablation_suggest import DEFAULT_DATA, evaluate, read_tsv  # noqa: E402

from hgap.graph.lexicon import Lexicon  # noqa: E402
from hgap.graph.embeddings import load_embedder  # noqa: E402
from hgap.graph.suggest import FEATURES  # noqa: E402


def _encode(model, texts: list[str], train: bool = False):  # type: ignore[no-untyped-def]
    """Mean-pooled, unit-length vectors, with gradients when ``train``."""
    import torch

    tok, enc = model.tokenizer, model[0].auto_model
    batch = tok(texts, padding=True, truncation=True, max_length=32, return_tensors="pt")
    with torch.set_grad_enabled(train):
        hidden = enc(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)


def fine_tune(model, pairs: list[tuple[str, str]], epochs: int, lr: float = 5e-5, batch: int = 64) -> None:  # type: ignore[no-untyped-def]
    """Pull each (phrase, concept name) pair together against the batch's other names, in place."""
    import torch

    enc = model[0].auto_model
    opt = torch.optim.AdamW(enc.parameters(), lr=lr)
    for epoch in range(epochs):
        enc.train()
        order = pairs[:]
        random.Random(epoch).shuffle(order)
        t0, total, steps = time.perf_counter(), 0.0, 0
        for i in range(0, len(order), batch):
            chunk = order[i:i + batch]
            names = sorted({name for _, name in chunk})
            target = torch.tensor([names.index(name) for _, name in chunk])
            logits = _encode(model, [p for p, _ in chunk], True) @ _encode(model, names, True).T / 0.05
            loss = torch.nn.functional.cross_entropy(logits, target)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total, steps = total + loss.item(), steps + 1
        print(f"epoch {epoch + 1}: loss {total / steps:.3f}, {time.perf_counter() - t0:.0f} s", flush=True)
    enc.eval()


def nearest_neighbour_acc(model, docs: list[str], doc_concept: list[str], queries: list[str], gold: list[str]) -> float:  # type: ignore[no-untyped-def]
    d = np.concatenate([_encode(model, docs[i:i + 256]).numpy() for i in range(0, len(docs), 256)])
    q = np.concatenate([_encode(model, queries[i:i + 256]).numpy() for i in range(0, len(queries), 256)])
    top = (q @ d.T).argmax(axis=1)
    return float(np.mean([doc_concept[j] == g for j, g in zip(top, gold)]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--save", type=Path, help="also save the fine-tuned model here")
    args = ap.parse_args(argv)
    try:
        import torch

        torch.manual_seed(0)
        base, tuned = load_embedder("sentence"), load_embedder("sentence")
    except LookupError as e:
        print(f"skipped: {e}")
        return 0
    rows = read_tsv(args.data / "askapatient_fold0_dev.tsv")
    names = {r["concept_id"]: r["concept_label"] for r in read_tsv(args.data / "askapatient_concepts.tsv")}
    train = [r for r in rows if r["split"] == "train"]
    valid = [r for r in rows if r["split"] == "validation"]
    fine_tune(tuned.model, [(r["phrase"], names[r["concept_id"]]) for r in train], args.epochs)
    if args.save:
        tuned.model.save(str(args.save))
    docs = list(names.values()) + [r["phrase"] for r in train]
    doc_concept = list(names) + [r["concept_id"] for r in train]
    queries, gold = [r["phrase"] for r in valid], [r["concept_id"] for r in valid]
    lexicon = Lexicon.builtin()
    for label, model in (("base", base), ("fine-tuned", tuned)):
        # vectors are cached per model name: name each by its weights, so no run reads another's vectors
        weights = sum(float(t.detach().double().sum()) for t in model.model[0].auto_model.parameters())
        model.name = f"all-MiniLM-L6-v2/{label}/{weights:.6f}"
        nn = nearest_neighbour_acc(model.model, docs, doc_concept, queries, gold)
        full = evaluate(args.data, frozenset(FEATURES), lexicon=lexicon, cache=False, embedder=model)
        print(f"{label:10s}  nearest neighbour acc@1 {nn:.3f}   suggester acc@1 {full['acc@1']:.3f} "
              f"acc@5 {full['acc@5']:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

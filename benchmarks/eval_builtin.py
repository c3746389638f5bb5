"""How well the built-in suggestions place patient phrasings hgap has never seen.

``tests/data/builtin_eval.tsv`` holds 163 phrasings written for this check (132 with the HPO concept a
clinician would code, 31 with no established concept); none is a text of ``data/expressions.tsv`` or an HPO
name or synonym. Prints acc@1 and acc@5 on the mapped rows and the precision, recall and F1 of ``gap``.

    python benchmarks/eval_builtin.py [--home DIR] [--show-errors] [--embeddings [static|sentence]]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from _common import builtin_eval_args, builtin_suggester
from hgap.graph.suggest import Suggester
from hgap.ontology.tsv import read_rows
from hgap.ontology.vocab import SuggestionStatus

EVAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "builtin_eval.tsv"


def score(suggester: Suggester, rows: list[dict[str, str]]) -> dict[str, float]:
    answers = suggester.suggest_many([r["phrase"] for r in rows], top=5)
    hit1 = hit5 = mapped = tp = fp = fn = 0
    errors = []
    for row, answer in zip(rows, answers):
        ranked = [c.concept_id for c in answer.candidates]
        is_gap = answer.status is SuggestionStatus.GAP
        if row["kind"] == "gap":
            tp += is_gap
            fn += not is_gap
            if not is_gap:
                errors.append((row["phrase"], "gap", ranked[:1]))
            continue
        mapped += 1
        fp += is_gap
        hit1 += ranked[:1] == [row["expected_concept_id"]]
        hit5 += row["expected_concept_id"] in ranked[:5]
        if ranked[:1] != [row["expected_concept_id"]]:
            errors.append((row["phrase"], row["expected_label"], [(c.label, round(c.score, 2)) for c in answer.candidates[:2]]))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"acc@1": hit1 / mapped, "acc@5": hit5 / mapped, "gap_precision": precision, "gap_recall": recall,
            "gap_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            "errors": errors}  # type: ignore[dict-item]


def main() -> int:
    args = builtin_eval_args(__doc__)
    rows = [row for _, row in read_rows(EVAL, ["phrase", "expected_concept_id", "expected_label", "kind"])]
    start = time.perf_counter()
    suggester = builtin_suggester(args)
    built = time.perf_counter() - start
    result = score(suggester, rows)
    errors = result.pop("errors")
    n_mapped = sum(r["kind"] == "mapped" for r in rows)
    print(f"built-in eval: {n_mapped} mapped + {len(rows) - n_mapped} gap phrasings; suggester ready in {built:.1f}s")
    print(" ".join(f"{k}={v:.3f}" for k, v in result.items()))
    if args.show_errors:
        for error in errors:  # type: ignore[attr-defined]
            print("  ", error)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How well the built-in suggestions read everyday misspellings of complaints.

``tests/data/typo_eval.tsv`` holds 44 misspellings written for this check in the eleventh session (slips of
the keys, "numness", and spellings by ear, "sore throte", "palpitashuns"), each with the HPO concepts a
clinician would accept. Prints how many come back with an accepted concept first, and how many of those are
not called a gap; ``--show-errors`` lists the others.

    python benchmarks/eval_typos.py [--home DIR] [--show-errors] [--embeddings [static|sentence]]

Measured on the built graph (eleventh session), right first / of those not a gap: 29 / 22 with the static
embeddings and 38 / 27 without them before the session's typo reading (0628f8d); 37 / 34 and 40 / 33 after.
"""
from __future__ import annotations

import sys
from pathlib import Path

from _common import builtin_eval_args, builtin_suggester
from hgap.ontology.tsv import read_rows
from hgap.ontology.vocab import SuggestionStatus

TYPOS = Path(__file__).resolve().parents[1] / "tests" / "data" / "typo_eval.tsv"


def main() -> int:
    args = builtin_eval_args(__doc__)
    rows = [row for _, row in read_rows(TYPOS, ["phrase", "accepted_concept_ids", "accepted_labels"])]
    suggester = builtin_suggester(args)
    answers = suggester.suggest_many([r["phrase"] for r in rows], top=1)
    right = not_gap = 0
    for row, answer in zip(rows, answers):
        first = answer.candidates[0] if answer.candidates else None
        if first is not None and first.concept_id in row["accepted_concept_ids"].split("|"):
            right += 1
            not_gap += answer.status is not SuggestionStatus.GAP
        elif args.show_errors:
            print(f"   {row['phrase']!r}: {first.label if first else '-'} ({answer.status.value}); "
                  f"accepted: {row['accepted_labels']}")
    print(f"typos ({args.embeddings or 'no'} embeddings): right concept first {right}/{len(rows)}, "
          f"of which not called a gap {not_gap}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

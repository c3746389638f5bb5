"""Reading the evaluation contract's tables, and writing suggestions for a program (TSV, JSON) or a person."""
from __future__ import annotations

from pathlib import Path

from hgap.ontology.vocab import SuggestionStatus

from . import textnorm
from .suggest import CategoryLink, Suggestion


def read_tables(concepts_path: Path, mappings_path: Path | None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The (id, label) concepts and (phrase, concept id) mappings of the contract's TSV files."""
    from hgap.ontology.tsv import DataError, read_rows

    concepts = [(row["concept_id"], row["concept_label"]) for _, row in read_rows(concepts_path, ["concept_id", "concept_label"])]
    ids = {c for c, _ in concepts}
    known: list[tuple[str, str]] = []
    if mappings_path is not None:
        for line, row in read_rows(mappings_path, ["phrase", "concept_id"]):
            if row["concept_id"] not in ids:
                raise DataError(f"{mappings_path}, line {line}: concept_id {row['concept_id']!r} is not in {concepts_path}")
            known.append((row["phrase"], row["concept_id"]))
    return concepts, known

TSV_HEADER = ("phrase", "rank", "concept_id", "score", "status", "concept_label", "evidence", "categories")

def tsv_rows(s: Suggestion) -> list[tuple[str, int, str, str, str, str, str, str]]:
    """The contract's rows of one suggestion (rank 0 and no concept when there is no candidate), columns
    :data:`TSV_HEADER`.

    >>> tsv_rows(Suggestion("zzz", SuggestionStatus.GAP, ()))
    [('zzz', 0, '', '0.0000', 'gap', '', '', '')]
    """
    if not s.candidates:
        return [(s.phrase, 0, "", "0.0000", s.status.value, "", "", "")]
    return [
        (s.phrase, rank, c.concept_id, f"{c.score:.4f}", s.status.value, c.label,
         "; ".join(f"{e.kind}: {e.text!r} ({e.how})" for e in c.evidence),
         "; ".join(f"{g.category_id} ({g.predicate}, {_short(g.justification)})" for g in c.categories))
        for rank, c in enumerate(s.candidates, 1)
    ]

def as_dict(s: Suggestion) -> dict:
    """A suggestion as plain JSON-ready data."""
    return {
        "phrase": s.phrase,
        "status": s.status.value,
        "candidates": [
            {"rank": i, "concept_id": c.concept_id, "concept_label": c.label, "score": c.score,
             "evidence": [{"kind": e.kind, "text": e.text, "how": e.how, "score": e.score} for e in c.evidence],
             "categories": [{"category_id": g.category_id, "label": g.label, "predicate": g.predicate,
                             "justification": g.justification, "confidence": g.confidence} for g in c.categories]}
            for i, c in enumerate(s.candidates, 1)
        ],
        "similar_gaps": [{"text": g.text, "score": g.score} for g in s.similar_gaps],
        "named_categories": [{"category_id": n.category_id, "label": n.label, "matched": n.matched}
                             for n in s.named_categories],
        "gap_likelihood": s.gap_likelihood,
        "gap_threshold": s.gap_threshold,
        "read_as": textnorm.idioms_read(s.phrase),  # None, or the phrase as read ("this morning" left out)
        "left_out": textnorm.left_out(s.phrase),  # what that reading set aside ("after taking statins")
        # A phrase that lists several experiences: each part, with its own first concept.
        "absent": s.absent,  # the phrase says its first concept is absent ("no fever"): record it as negated
        "parts": [{"phrase": p.phrase, "status": p.status.value, "concept_id": p.candidates[0].concept_id,
                   "concept_label": p.candidates[0].label, "score": p.candidates[0].score, "absent": p.absent} for p in s.parts],
    }

_STATUS_TEXT = {
    SuggestionStatus.KNOWN: "known: already a mapped expression or a name of a concept",
    SuggestionStatus.SUGGESTED: "suggested: most likely an existing concept, not yet a recorded phrasing of it (check before coding)",
    SuggestionStatus.GAP: "gap: no established concept fits; the nearest concepts are",
}

def describe(s: Suggestion, max_categories: int = 4, min_score: float = 0.01) -> str:
    """A readable answer for a person: status, then each candidate (the first, and the others scoring at least
    ``min_score``) with its score, evidence and the EHR categories it reaches (at most ``max_categories``)."""
    lines = [f"{s.phrase!r} — {_STATUS_TEXT[s.status]}"]
    read = textnorm.idioms_read(s.phrase)
    if read is not None:  # an idiom read as what it says, or when it happened left out: show what was read
        aside = textnorm.left_out(s.phrase)
        lines.append(f"  (read as {read!r}" + "".join(f", leaving out {w!r}" for w in aside) + ")")
    if s.absent:  # "no fever": the concept is right, but as a finding it would be recorded wrongly
        lines.append(f"  (it says {s.candidates[0].label} is absent: record it as negated, not as a finding)")
    if s.parts:  # a list of experiences: each part's concept, in the order said
        lines.append("  (it lists " + "; ".join(f"{p.phrase!r}: {p.candidates[0].label}" + (" (absent)" if p.absent else "")
                                                for p in s.parts) + ")")
    if s.gap_likelihood is not None and s.gap_threshold is not None:
        # A gap's nearest concept can score high (it is the likeliest of them) while none may fit: say so.
        lines.append(f"  (likelihood that no concept fits: {s.gap_likelihood:.2f}; a gap from {s.gap_threshold:.2f})")
    if s.named_categories:  # a code for it, even where no concept fits: before the concepts
        lines.append("  EHR categories that name it themselves" + (" (a code, though no concept):" if s.status is SuggestionStatus.GAP else ":"))
        lines.extend(f"     → {n.category_id} {n.label}" + ("" if n.matched == n.label else f" (lists {n.matched!r})")
                     for n in s.named_categories)
    if not s.candidates:
        lines.append("  (no concept is even near)")
    shown = [c for i, c in enumerate(s.candidates) if i == 0 or c.score >= min_score]
    for i, c in enumerate(shown, 1):
        lines.append(f"  {i}. {c.label} [{c.concept_id}]  score {c.score:.2f}")
        for e in c.evidence:
            lines.append(f"       {e.kind}: {e.text!r} — {e.how}")
        by_category: dict[str, list[CategoryLink]] = {}  # one line per category: its strongest link first
        for g in c.categories:
            by_category.setdefault(g.category_id, []).append(g)
        for first, *others in list(by_category.values())[:max_categories]:
            also = "".join(f"; also {_short(g.justification)}"
                           f"{'' if g.predicate == first.predicate else ' ' + g.predicate} {g.confidence:.2f}"
                           for g in others)
            lines.append(f"       → {first.category_id} {first.label} ({first.predicate}, {_short(first.justification)}, "
                         f"confidence {first.confidence:.2f}{also})")
        if len(by_category) > max_categories:
            lines.append(f"       → … {len(by_category) - max_categories} more categories")
    if len(shown) < len(s.candidates):  # near-zero candidates are noise to a reader; the data formats keep them
        lines.append(f"  ({len(s.candidates) - len(shown)} more scored below {min_score:.2f}; --format tsv or json lists them)")
    if s.similar_gaps:
        lines.append("  Patients' phrasings already known to have no established concept that resemble it:")
        lines.extend(f"     {g.text!r}  similarity {g.score:.2f}" for g in s.similar_gaps)
    return "\n".join(lines)

def _short(justification: str) -> str:
    return justification.split(":", 1)[-1]

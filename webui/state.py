"""What the web app serves from: one loaded graph, its suggester, lookup indexes, flags and gap ranking.

Everything here is plain data for the views, the API and the templates; nothing here knows about HTTP.
"""
from __future__ import annotations

import dataclasses
import threading
from collections import defaultdict
from enum import Enum
from pathlib import Path
from typing import Any

from hgap.graph import textnorm
from hgap.ontology.build import LoadedGraph
from hgap.ontology.model import Knowledge, Mapping, concept_categories
from hgap.ontology.vocab import CategoryKind, ReviewStatus, SynonymType

from hgap.ontology.flags import FlagStore, flag_key, knowledge_with_flags

GAP_KINDS = ("unmapped_expression", "uncodable_concept", "weak_bridge", "stranded_category")


def plain(value: Any) -> Any:
    """Dataclasses, enums, tuples and sets as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, float):
        return round(value, 6)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return plain(value.item())
    return value


def _mapping_dict(m: Mapping) -> dict:
    return {
        "predicate": m.predicate_id.value,
        "justification": m.mapping_justification.value,
        "confidence": m.confidence,
        "review_status": m.review_status.value,
        "strong": m.is_strong,
        "author": m.author_id,
        "comment": m.comment,
    }


class GraphState:
    """The loaded graph and everything derived from it for serving."""

    def __init__(self, loaded: LoadedGraph, flags: FlagStore, embeddings: str | None = None) -> None:
        from hgap.graph.embeddings import load_embedder
        from hgap.graph.suggest import built_suggester

        self.loaded = loaded
        self.knowledge: Knowledge = loaded.knowledge
        self.store = loaded.store
        self.manifest = loaded.manifest
        self.flags = flags
        k = self.knowledge
        # The build's suggester, cached (made once per build and kind: ~3 s less at each start), with the
        # optional embedding model when asked for (hgap[embeddings]: better on sentence-like phrasings,
        # benchmarks/eval_builtin.py).
        self.suggester = built_suggester(build=loaded.path, knowledge=k,
                                         embedder=load_embedder(embeddings) if embeddings else None)
        self.by_concept = concept_categories(k)
        self.expr_mappings: dict[str, list[Mapping]] = defaultdict(list)
        self.concept_exprs: dict[str, list[Mapping]] = defaultdict(list)
        for m in k.expression_mappings():
            self.expr_mappings[m.subject_id].append(m)
            self.concept_exprs[m.object_id].append(m)
        self.category_concepts: dict[str, list[Mapping]] = defaultdict(list)
        for cid, ms in self.by_concept.items():
            for m in ms:
                self.category_concepts[m.object_id].append(m)
        self.children: dict[str, list[str]] = defaultdict(list)
        for c in k.concepts.values():
            for p in c.parents:
                self.children[p].append(c.id)
        # Exact lookup: the normalised text of every expression, label, synonym and inclusion term.
        self.exact: dict[str, list[dict]] = defaultdict(list)
        for e in k.expressions.values():
            self.exact[textnorm.normalize(e.text)].append(
                {"match_kind": "expression", "id": e.id, "text": e.text, "scope": "expression"})
        for c in k.concepts.values():
            self.exact[textnorm.normalize(c.label)].append(
                {"match_kind": "concept label", "id": c.id, "text": c.label, "scope": "label"})
            for s in c.synonyms:
                if s.type is SynonymType.OBSOLETE:
                    continue
                scope = "layperson" if s.type is SynonymType.LAYPERSON else s.scope.value.lower()
                self.exact[textnorm.normalize(s.text)].append(
                    {"match_kind": "concept synonym", "id": c.id, "text": s.text, "scope": scope})
        for cat in k.categories.values():
            self.exact[textnorm.normalize(cat.label)].append(
                {"match_kind": "category title", "id": cat.id, "text": cat.label, "scope": "label"})
            for t in cat.inclusion_terms:
                self.exact[textnorm.normalize(t)].append(
                    {"match_kind": "ICD-10-CM inclusion term", "id": cat.id, "text": t, "scope": "inclusion"})
        self.suggester.complete("pain", limit=1)  # builds the autocomplete index now, not on the first keystroke
        self._complete_cache: dict[tuple[str, int], list[dict]] = {}
        self._lock = threading.Lock()
        self._gaps_cache: tuple[Any, Any] | None = None
        self._clusters_cache: tuple[Any, Any] | None = None

    # -- records

    def concept(self, concept_id: str) -> dict | None:
        c = self.knowledge.concepts.get(concept_id)
        if c is None:
            return None
        return {
            "id": c.id,
            "label": c.label,
            "definition": c.definition,
            "synonyms": [{"text": s.text, "scope": s.scope.value, "type": s.type.value if s.type else None}
                         for s in c.synonyms if s.type is not SynonymType.OBSOLETE],
            "parents": [self.ref_concept(p) for p in c.parents if p in self.knowledge.concepts],
            "children": [self.ref_concept(ch) for ch in sorted(self.children.get(c.id, ()))],
            "xrefs": list(c.xrefs),
            "source": c.source,
            "categories": self.categories_of(c.id),
            "expressions": [
                {"id": m.subject_id, "text": self.knowledge.expressions[m.subject_id].text, **_mapping_dict(m)}
                for m in sorted(self.concept_exprs.get(c.id, ()), key=lambda m: -m.confidence)
            ],
        }

    def ref_concept(self, concept_id: str) -> dict:
        c = self.knowledge.concepts.get(concept_id)
        return {"id": concept_id, "label": c.label if c else concept_id}

    def categories_of(self, concept_id: str) -> list[dict]:
        """The EHR categories a concept is coded under, strongest link first (rejected links left out)."""
        out = []
        for m in self.by_concept.get(concept_id, ()):
            cat = self.knowledge.categories[m.object_id]
            out.append({"id": cat.id, "label": cat.label, "kind": cat.kind.value,
                        "icd10cm": cat.kind is not CategoryKind.SECTION, **_mapping_dict(m)})
        return out

    def category(self, category_id: str) -> dict | None:
        cat = self.knowledge.categories.get(category_id)
        if cat is None:
            return None
        parent = self.knowledge.categories.get(cat.parent) if cat.parent else None
        return {
            "id": cat.id,
            "label": cat.label,
            "kind": cat.kind.value,
            "definition": cat.definition,
            "parent": {"id": parent.id, "label": parent.label} if parent else None,
            "children": [{"id": c.id, "label": c.label} for c in self.knowledge.categories.values() if c.parent == cat.id],
            "inclusion_terms": list(cat.inclusion_terms),
            "source": cat.source,
            "concepts": [
                {**self.ref_concept(m.subject_id), **_mapping_dict(m)}
                for m in sorted(self.category_concepts.get(cat.id, ()), key=lambda m: -m.confidence)
            ],
        }

    def expression_chain(self, expression_id: str) -> dict:
        e = self.knowledge.expressions[expression_id]
        return {
            "id": e.id,
            "text": e.text,
            "body_system": e.body_system,
            "origin": e.origin.value,
            "report_count": e.report_count,
            "flags": self.flags.counts().get(flag_key(e.text), 0),
            "concepts": [
                {**self.ref_concept(m.object_id), **_mapping_dict(m),
                 "definition": self.knowledge.concepts[m.object_id].definition if m.object_id in self.knowledge.concepts else "",
                 "categories": self.categories_of(m.object_id)}
                for m in sorted(self.expr_mappings.get(e.id, ()), key=lambda m: -m.confidence)
                if m.review_status is not ReviewStatus.REJECTED
            ],
        }

    # -- lookup, suggest, complete

    def lookup(self, phrase: str) -> dict:
        """Exact matches of a phrase (after folding case, punctuation and spelling): expressions, names of
        concepts, titles and inclusion terms of categories."""
        hits = self.exact.get(textnorm.normalize(phrase), [])
        out = []
        for h in hits:
            row = dict(h)
            if h["match_kind"] == "expression":
                row["label"] = h["text"]
                row["concepts"] = [self.ref_concept(m.object_id) for m in self.expr_mappings.get(h["id"], ())]
            elif h["match_kind"].startswith("concept"):
                row["label"] = self.knowledge.concepts[h["id"]].label
            else:
                row["label"] = self.knowledge.categories[h["id"]].label
            out.append(row)
        return {"phrase": phrase, "found": bool(out), "matches": out}

    def suggest(self, phrase: str, top: int = 5) -> dict:
        """The suggester's answer (as ``hgap suggest --format json``) with each candidate's definition and
        EHR categories, plus the expressions of the graph the phrase is."""
        from hgap.graph.suggest_io import as_dict

        result = as_dict(self.suggester.suggest(phrase, top=top))
        for cand in result["candidates"]:
            concept = self.knowledge.concepts.get(cand["concept_id"])
            cand["definition"] = concept.definition if concept else ""
            cand["categories"] = self.categories_of(cand["concept_id"])
        key = textnorm.normalize(phrase)
        expressions = [self.expression_chain(h["id"]) for h in self.exact.get(key, []) if h["match_kind"] == "expression"]
        result["expressions"] = expressions
        result["unmapped_in_graph"] = bool(expressions) and all(not e["concepts"] for e in expressions)
        result["flags"] = self.flags.counts().get(flag_key(phrase), 0) if key else 0
        return result

    def complete(self, prefix: str, limit: int = 10) -> list[dict]:
        key = (textnorm.normalize(prefix), limit)
        cached = self._complete_cache.get(key)
        if cached is not None:
            return cached
        out = [plain(c) for c in self.suggester.complete(prefix, limit=limit)]
        q = textnorm.normalize(prefix)
        # exact matches first, then prefix matches, then fuzzy ones (stable within each group)
        out.sort(key=lambda c: (textnorm.normalize(c["text"]) != q, c["matched"] != "prefix"))
        if len(self._complete_cache) >= 20000:  # keystrokes repeat across users: keep recent answers
            self._complete_cache.clear()
        self._complete_cache[key] = out
        return out

    # -- gaps, with flags counted

    def knowledge_with_flags(self) -> Knowledge:
        """The knowledge with flags counted as reports (:func:`hgap.ontology.flags.knowledge_with_flags`)."""
        return knowledge_with_flags(self.knowledge, self.flags)

    def graph_with_flags(self) -> Any:
        from hgap.graph.projection import project

        return project(self.knowledge_with_flags())

    def gaps(self) -> list[dict]:
        """Every gap, ranked by impact (flag counts added to report counts), as plain data."""
        version = self.flags.version()
        with self._lock:
            if self._gaps_cache is not None and self._gaps_cache[0] == version:
                return self._gaps_cache[1]
        from hgap.graph.gaps import all_gaps, as_dict, rank_gaps

        rows = [as_dict(g) for g in rank_gaps(all_gaps(self.graph_with_flags()))]
        for row in rows:
            row["label"] = row["subject_label"]
        with self._lock:
            self._gaps_cache = (version, rows)
        return rows

    def clusters(self) -> list[dict]:
        """Clusters of the unmapped phrasings (flagged phrases included), most reported first."""
        version = self.flags.version()
        with self._lock:
            if self._clusters_cache is not None and self._clusters_cache[0] == version:
                return self._clusters_cache[1]
        from hgap.graph.clusters import as_dict, gap_clusters

        rows = [as_dict(c) for c in gap_clusters(self.graph_with_flags(), suggester=self.suggester)]
        with self._lock:
            self._clusters_cache = (version, rows)
        return rows

    #: The id a concept proposed on the impact page gets while its impact is measured (it is stored nowhere).
    PROPOSED_CONCEPT = "HGAPC:proposed"

    def impact(self, subjects: str | list[str], concept_id: str = "", predicate: str = "skos:exactMatch",
               confidence: float = 0.9, new_concept_label: str = "", category_id: str = "") -> dict:
        """What mapping phrases (each an expression id or a text) to a concept would change in the gaps: to an
        existing concept (``concept_id``) or to a new one named ``new_concept_label``; with ``category_id``, the
        concept is also mapped (exactMatch) to that EHR category ("travel sickness" and "seasickness" to a new
        concept "Motion sickness" under T75.3). Nothing is stored."""
        from hgap.graph.impact import as_dict, bridge_impact
        from hgap.graph.projection import project
        from hgap.ontology.model import Concept

        if bool(concept_id) == bool(new_concept_label):
            raise ValueError("give either concept_id (an existing concept) or new_concept_label (a new one)")
        if concept_id and concept_id not in self.knowledge.concepts:
            raise LookupError(f"no concept {concept_id!r} in the graph")
        if category_id and category_id not in self.knowledge.categories:
            raise LookupError(f"no EHR category {category_id!r} in the graph")
        texts = [subjects] if isinstance(subjects, str) else list(subjects)
        texts = [t.strip() for t in texts if t and t.strip()]
        if not texts:
            raise ValueError("give at least one phrase (its text or expression id)")
        k = self.knowledge_with_flags()
        by_text: dict[str, str] = {}
        for e in k.expressions.values():
            by_text.setdefault(textnorm.normalize(e.text), e.id)
        expression_ids = []
        for text in texts:
            found = text if text in k.expressions else by_text.get(textnorm.normalize(text))
            if found is None:
                raise LookupError(f"{text!r} is no expression of the graph (flag it first to add it)")
            if found not in expression_ids:
                expression_ids.append(found)
        new_concepts = []
        if new_concept_label:
            concept_id = self.PROPOSED_CONCEPT
            new_concepts.append(Concept(concept_id, new_concept_label))
            concept_ref = {"id": concept_id, "label": new_concept_label, "proposed": True}
        else:
            concept_ref = self.ref_concept(concept_id)
        mappings = [Mapping(e, predicate, concept_id, "semapv:ManualMappingCuration", confidence,
                            subject_label=k.expressions[e].text, object_label=concept_ref["label"]) for e in expression_ids]
        category = None
        if category_id:
            label = self.knowledge.categories[category_id].label
            mappings.append(Mapping(concept_id, "skos:exactMatch", category_id, "semapv:ManualMappingCuration", confidence,
                                    subject_label=concept_ref["label"], object_label=label))
            category = {"id": category_id, "label": label}
        result = bridge_impact(project(k), mappings, new_concepts)
        expressions = [{"id": e, "text": k.expressions[e].text} for e in expression_ids]
        return {"expression": expressions[0], "expressions": expressions, "concept": concept_ref, "category": category,
                "predicate": mappings[0].predicate_id.value, "confidence": confidence, "impact": as_dict(result)}

    def warm(self) -> None:
        """Compute the gap ranking and the clusters (seconds on the full graph) before anyone asks."""
        try:
            self.gaps()
            self.clusters()
        except Exception:  # noqa: BLE001 - a page will show the error when asked
            pass

    def stats(self) -> dict:
        return {k: v for k, v in self.manifest.items() if isinstance(v, (int, str)) and k != "fingerprint"}


def store_path(loaded: LoadedGraph) -> Path:
    return Path(loaded.path) / "store"

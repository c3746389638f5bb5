"""Flagged phrases: patient phrasings a clinician marked as reaching no concept, kept durably, and counted
as reports of the gaps they name (:func:`knowledge_with_flags`) wherever gaps are ranked: the web app and
``hgap gaps``, ``hgap clusters`` and ``hgap impact`` alike.

Flags are appended to a JSONL file (one JSON object per line) under the hgap home. Each append is one
``write`` of a whole line to a file opened in append mode, followed by ``fsync``, under a lock: nothing
already stored is rewritten, so a crash can lose at most the flag being written, never an older one. A
torn last line (a crash mid-write) is skipped when reading.

>>> import tempfile, pathlib
>>> store = FlagStore(pathlib.Path(tempfile.mkdtemp()) / "flags.jsonl")
>>> _ = store.add("Brain zaps", note="after stopping sertraline")
>>> _ = store.add("brain  zaps!")
>>> store.counts()
{'brain zaps': 2}
>>> [f["phrase"] for f in store.all()]
['Brain zaps', 'brain zaps!']
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import threading
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hgap.ontology.model import Knowledge

FLAGS_FILE = "flags.jsonl"  # under the hgap home
MAX_PHRASE = 300
MAX_NOTE = 1000


def flags_path(home: Path | None = None) -> Path:
    """Where the flags of an hgap home are kept (default home: :func:`hgap.ontology.build.hgap_home`)."""
    from hgap.ontology.build import hgap_home

    return (home or hgap_home()) / FLAGS_FILE


def flag_key(phrase: str) -> str:
    """How flags are grouped: the phrase with case, accents, punctuation and spacing folded."""
    from hgap.graph.textnorm import normalize

    return normalize(phrase)


class FlagError(ValueError):
    """A flag that cannot be stored (empty or too long a phrase)."""


class FlagStore:
    """An append-only JSONL file of flags, safe for the threads of one server and for other processes."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._cache: tuple[tuple[int, int], list[dict]] | None = None

    def add(self, phrase: str, note: str = "", source: str = "web") -> dict:
        phrase = " ".join(str(phrase).split())
        note = " ".join(str(note or "").split())
        if not phrase:
            raise FlagError("phrase: empty")
        if len(phrase) > MAX_PHRASE:
            raise FlagError(f"phrase: longer than {MAX_PHRASE} characters")
        if len(note) > MAX_NOTE:
            raise FlagError(f"note: longer than {MAX_NOTE} characters")
        if not flag_key(phrase):
            raise FlagError("phrase: no words in it")
        record = {
            "phrase": phrase,
            "key": flag_key(phrase),
            "note": note,
            "source": source,
            "flagged": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            new = not self.path.exists()
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                try:
                    import fcntl

                    fcntl.flock(fd, fcntl.LOCK_EX)  # other processes appending at the same time
                except ImportError:  # pragma: no cover - not POSIX
                    pass
                if os.fstat(fd).st_size and not self._ends_with_newline(fd):
                    line = b"\n" + line  # a torn line from a crash stays on its own, skipped on reading
                view = memoryview(line)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                os.fsync(fd)
            finally:
                os.close(fd)
            if new:  # make the new directory entry durable too
                try:
                    dfd = os.open(self.path.parent, os.O_RDONLY)
                    try:
                        os.fsync(dfd)
                    finally:
                        os.close(dfd)
                except OSError:  # pragma: no cover
                    pass
            self._cache = None
        return record

    @staticmethod
    def _ends_with_newline(fd: int) -> bool:
        size = os.fstat(fd).st_size
        return os.pread(fd, 1, size - 1) == b"\n"

    def all(self) -> list[dict]:
        """Every flag, oldest first (lines that are not whole JSON objects are skipped)."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return []
        stamp = (stat.st_size, stat.st_mtime_ns)
        cached = self._cache
        if cached is not None and cached[0] == stamp:
            return cached[1]
        flags: list[dict] = []
        with open(self.path, "rb") as stream:
            for raw in stream:
                try:
                    record = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(record, dict) and isinstance(record.get("phrase"), str):
                    record.setdefault("key", flag_key(record["phrase"]))
                    flags.append(record)
        self._cache = (stamp, flags)
        return flags

    def counts(self) -> dict[str, int]:
        """Flags per phrase key."""
        return dict(Counter(f["key"] for f in self.all()))

    def summary(self) -> list[dict]:
        """One row per flagged phrase: its first wording, the count, the last time and the notes."""
        rows: dict[str, dict] = {}
        for f in self.all():
            row = rows.setdefault(f["key"], {"phrase": f["phrase"], "key": f["key"], "count": 0, "notes": []})
            row["count"] += 1
            row["last_flagged"] = f.get("flagged", "")
            if f.get("note"):
                row["notes"].append(f["note"])
        return sorted(rows.values(), key=lambda r: (-r["count"], r["key"]))

    def version(self) -> tuple[int, int]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return (0, 0)
        return (stat.st_size, stat.st_mtime_ns)


def knowledge_with_flags(knowledge: "Knowledge", store: FlagStore) -> "Knowledge":
    """``knowledge`` with each flag counted as a report: added to the ``report_count`` of the expression it
    names, and a flagged phrase that is no expression of the graph added as an unmapped user-flag expression
    (so the gaps rank what clinicians meet). The knowledge itself is not changed.

    >>> import tempfile, pathlib
    >>> from hgap.ontology.model import Expression, Knowledge
    >>> store = FlagStore(pathlib.Path(tempfile.mkdtemp()) / "flags.jsonl")
    >>> for phrase in ("Brain zaps", "brain zaps", "head fizzing"):
    ...     _ = store.add(phrase)
    >>> k = knowledge_with_flags(Knowledge(expressions={"E:1": Expression("E:1", "brain zaps")}), store)
    >>> sorted((e.text, e.report_count, e.origin.value) for e in k.expressions.values())
    [('brain zaps', 3, 'common_usage'), ('head fizzing', 1, 'user_flag')]
    """
    from hgap.ontology.model import Expression, Knowledge
    from hgap.ontology.vocab import ExpressionOrigin

    counts = store.counts()
    if not counts:
        return knowledge
    expressions = dict(knowledge.expressions)
    seen: set[str] = set()
    for e in knowledge.expressions.values():
        key = flag_key(e.text)
        if key in counts:
            expressions[e.id] = dataclasses.replace(e, report_count=e.report_count + counts[key])
            seen.add(key)
    summaries = {row["key"]: row for row in store.summary()}
    for key, n in counts.items():
        if key in seen:
            continue
        eid = "HGAPEX:flag-" + hashlib.sha1(key.encode()).hexdigest()[:10]
        expressions[eid] = Expression(eid, summaries[key]["phrase"], origin=ExpressionOrigin.USER_FLAG,
                                      origin_ref=store.path.name, report_count=n, comment="flagged by a clinician")
    return Knowledge(concepts=knowledge.concepts, categories=knowledge.categories, expressions=expressions,
                     mappings=knowledge.mappings, sources=knowledge.sources)

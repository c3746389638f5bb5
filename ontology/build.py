"""``hgap build``: sources → checked Knowledge → RDF → an on-disk store, written atomically and cached.

A build goes to ``<home>/builds/<fingerprint>.tmp-<pid>``, is renamed to ``builds/<fingerprint>`` when whole,
and only then does the ``current`` link move to it (one ``rename``), so a crash mid-build leaves the previous
graph as it was. When the inputs' fingerprint equals the current build's, nothing is rebuilt.
"""
from __future__ import annotations

import json
import os
import pickle
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from .model import Knowledge, reached_categories
from .pickles import read_pickle
from .rdf import knowledge_triples
from .sources import Sources, assemble
from .store import OxigraphStore

TBOX = Path(__file__).with_name("hgap.ttl")
Progress = Callable[[str], None]


def hgap_home() -> Path:
    """Where builds live: ``$HGAP_HOME``, else ``$XDG_DATA_HOME/hgap``, else ``~/.local/share/hgap``."""
    if os.environ.get("HGAP_HOME"):
        return Path(os.environ["HGAP_HOME"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "hgap"


@dataclass(frozen=True)
class BuildReport:
    path: Path
    cached: bool
    reason: str
    manifest: dict


def terminal_progress(stream=sys.stderr) -> Progress:  # type: ignore[no-untyped-def]
    """Progress lines with the elapsed time (only when the stream is a terminal, unless HGAP_PROGRESS=1)."""
    start = time.perf_counter()
    show = stream.isatty() or os.environ.get("HGAP_PROGRESS") == "1"

    def report(message: str) -> None:
        if show:
            print(f"[{time.perf_counter() - start:6.1f}s] {message}", file=stream, flush=True)

    return report


def build(sources: Sources | None = None, home: Path | None = None, force: bool = False,
          progress: Progress = lambda m: None) -> BuildReport:
    sources = sources or Sources(build_date=date.today().isoformat())
    home = home or hgap_home()
    fingerprint = sources.fingerprint()
    current = home / "current"
    if current.exists() and not force:
        manifest = read_manifest(current)
        if manifest.get("fingerprint") == fingerprint:
            return BuildReport(current.resolve(), True, "inputs unchanged since the current build", manifest)
        reason = "inputs changed since the current build"
    else:
        reason = "forced" if force else "no build yet"

    builds = home / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    tmp = builds / f"{fingerprint}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        manifest = _build_into(tmp, sources, fingerprint, progress)
        final = builds / fingerprint
        if final.exists():
            shutil.rmtree(final)
        tmp.rename(final)
        link = home / f".current-{os.getpid()}"
        link.unlink(missing_ok=True)
        link.symlink_to(Path("builds") / fingerprint)
        os.replace(link, current)  # the one atomic step: readers see the old build or the new one
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(builds, keep={fingerprint})
    progress(f"done: {manifest['triples']:,} triples in {manifest['seconds']['total']:.1f}s")
    return BuildReport(final, False, reason, manifest)


def _build_into(directory: Path, sources: Sources, fingerprint: str, progress: Progress) -> dict:
    start = time.perf_counter()
    seconds: dict[str, float] = {}
    knowledge = assemble(sources, progress)
    seconds["read_and_derive"] = time.perf_counter() - start

    progress("writing RDF")
    mark = time.perf_counter()
    nt = directory / "abox.nt"
    with open(nt, "w", encoding="utf-8") as out:
        out.writelines(knowledge_triples(knowledge))
    seconds["write_rdf"] = time.perf_counter() - mark

    progress("loading the store")
    mark = time.perf_counter()
    store = ox.Store(str(directory / "store"))
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    store.bulk_load(path=str(TBOX), format=ox.RdfFormat.TURTLE)
    store.flush()
    store.optimize()  # compacting the bulk-loaded files halves read times (benchmarks/bench_store.py)
    triples = len(store)
    del store
    nt.unlink()
    seconds["load_store"] = time.perf_counter() - mark

    progress("saving the graph for the algorithms")
    mark = time.perf_counter()
    with open(directory / "knowledge.pickle", "wb") as out:
        pickle.dump(knowledge, out, protocol=pickle.HIGHEST_PROTOCOL)
    seconds["save_knowledge"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - start

    manifest = {
        "fingerprint": fingerprint,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "triples": triples,
        **knowledge.counts(),
        **figures(knowledge),
        "sources": [{"id": s.id, "title": s.title, "version": s.version, "license": s.license} for s in knowledge.sources],
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def figures(knowledge: Knowledge) -> dict[str, int]:
    """What a terminology team checks after a build: how much is codable, how many gaps."""
    from .hpo import PHENOTYPIC_ABNORMALITY, descendants_of
    from .model import concept_categories
    from .vocab import CategoryKind, SynonymType

    by_concept = concept_categories(knowledge)
    icd = {cid for cid, ms in by_concept.items()
           if any(knowledge.categories[m.object_id].kind is not CategoryKind.SECTION for m in ms)}
    phenotypic = descendants_of(PHENOTYPIC_ABNORMALITY, knowledge.concepts.values()) & set(knowledge.concepts)
    reached = reached_categories(knowledge)
    mapped = {m.subject_id for m in knowledge.expression_mappings()}
    icd_items = {c.id for c in knowledge.categories.values() if c.kind in (CategoryKind.CODE, CategoryKind.CATEGORY)}
    parents = {c.parent for c in knowledge.categories.values()}
    return {
        "layperson_synonyms": sum(1 for c in knowledge.concepts.values() for s in c.synonyms if s.type is SynonymType.LAYPERSON),
        "icd10cm_leaf_codes": len(icd_items - parents),
        "phenotypic_concepts": len(phenotypic),
        "phenotypic_concepts_with_icd10cm": len(phenotypic & icd),
        "phenotypic_concepts_with_any_category": len(phenotypic & set(by_concept)),
        "concepts_without_category": len(set(knowledge.concepts) - set(by_concept)),
        "expressions_mapped": len(mapped),
        "expressions_unmapped": len(knowledge.expressions) - len(mapped),
        "expressions_reaching_no_category": sum(1 for cats in reached.values() if not cats),
    }


def _prune(builds: Path, keep: set[str]) -> None:
    """Keep the current build and the one before it; drop older and abandoned ones."""
    finished = sorted((p for p in builds.iterdir() if p.is_dir() and ".tmp-" not in p.name),
                      key=lambda p: p.stat().st_mtime, reverse=True)
    for old in finished[2:]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in builds.glob("*.tmp-*"):
        pid = tmp.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(tmp, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_manifest(build_dir: Path) -> dict:
    try:
        return json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


class NoBuildError(LookupError):
    """There is no built graph yet."""


@dataclass
class LoadedGraph:
    """A built graph ready for use: the store (SPARQL), the records (algorithms) and the manifest."""

    store: OxigraphStore
    knowledge: Knowledge
    manifest: dict
    path: Path


def load(home: Path | None = None) -> LoadedGraph:
    """Open the current build read-only (the store) and load its records."""
    home = home or hgap_home()
    current = home / "current"
    if not (current / "manifest.json").exists():
        raise NoBuildError(f"no built graph in {home}: run `hgap build` first")
    path = current.resolve()
    store = OxigraphStore.open(path / "store")
    knowledge = read_pickle(path / "knowledge.pickle")
    return LoadedGraph(store, knowledge, read_manifest(path), path)


def load_knowledge(home: Path | None = None) -> Knowledge:
    """The records of the current build (what ``graph/`` and the suggester work on)."""
    home = home or hgap_home()
    current = home / "current"
    if not (current / "knowledge.pickle").exists():
        raise NoBuildError(f"no built graph in {home}: run `hgap build` first")
    return read_pickle(current / "knowledge.pickle")  # type: ignore[return-value]

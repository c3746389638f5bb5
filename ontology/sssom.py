"""Writing mappings as SSSOM TSV: the YAML metadata block (``#`` lines) and the SSSOM columns, so that what
hgap keeps needs no renaming to be read by sssom-py, OxO or any SSSOM tool.

>>> import io
>>> from hgap.ontology.model import Mapping
>>> out = io.StringIO()
>>> write_sssom([Mapping("HGAPEX:0001", "skos:exactMatch", "HP:0003401", "semapv:ManualMappingCuration", 0.95,
...                      subject_label="pins and needles", object_label="Paresthesia")], out)
>>> out.getvalue().splitlines()[-1].split(chr(9))[:7]
['HGAPEX:0001', 'pins and needles', 'skos:exactMatch', 'HP:0003401', 'Paresthesia', 'semapv:ManualMappingCuration', '0.95']
"""
from __future__ import annotations

from typing import Iterable, TextIO

from .curated import MAPPING_COLUMNS, OUR_LICENSE
from .model import Mapping
from .tsv import write_rows
from .vocab import PREFIXES


def _used_prefixes(mappings: list[Mapping]) -> list[str]:
    used = {"skos", "semapv"}
    for m in mappings:
        for value in (m.subject_id, m.object_id, m.author_id, m.reviewer_id):
            if ":" in value:
                used.add(value.split(":", 1)[0])
    return sorted(p for p in used if p in PREFIXES)


def write_sssom(mappings: Iterable[Mapping], out: TextIO, mapping_set_id: str = "https://w3id.org/hgap/mappings/all",
                description: str = "Mappings of the hgap knowledge graph") -> None:
    rows = list(mappings)
    metadata = ["curie_map:"] + [f"  {p}: {PREFIXES[p]}" for p in _used_prefixes(rows)] + [
        f"mapping_set_id: {mapping_set_id}",
        f"mapping_set_description: {description}",
        f"license: {OUR_LICENSE}",
    ]
    write_rows(None, MAPPING_COLUMNS, (
        (m.subject_id, m.subject_label, m.predicate_id.value, m.object_id, m.object_label,
         m.mapping_justification.value, f"{m.confidence:g}", m.author_id, m.reviewer_id, m.mapping_date,
         m.review_status.value, m.comment)
        for m in rows), metadata=metadata, stream=out)  # type: ignore[arg-type]

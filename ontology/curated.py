"""Reading the project's own curated data in ``data/``: expressions, SSSOM mappings, template sections.

Every loader checks every row and raises :class:`~hgap.ontology.tsv.DataError` naming the file, the line and
the reason before anything is returned, so a bad file never half-updates the graph.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from .model import Category, Expression, Mapping, Source
from .tsv import DataError, read_rows
from .vocab import CategoryKind, VocabularyError, expand

MAPPING_COLUMNS = (
    "subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification",
    "confidence", "author_id", "reviewer_id", "mapping_date", "review_status", "comment",
)
EXPRESSION_COLUMNS = ("expression_id", "text", "body_system", "origin", "origin_ref", "report_count", "comment")
SECTION_COLUMNS = ("section_id", "label", "definition", "hpo_branches")

EXPRESSIONS_FILE = "expressions.tsv"
EXPRESSION_MAPPINGS_FILE = "expression_mappings.sssom.tsv"
CROSSWALK_FILE = "crosswalk_hpo_icd10cm.sssom.tsv"
SECTIONS_FILE = "ros_sections.tsv"

OUR_LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def data_dir() -> Path:
    """The curated data shipped with hgap."""
    return Path(str(files("hgap.data")))


def _check_curie(value: str, where: str, field: str) -> None:
    try:
        expand(value)
    except VocabularyError as error:
        raise DataError(f"{where}: {field}: {error}") from None


def read_expressions(path: Path) -> list[Expression]:
    expressions: list[Expression] = []
    seen: dict[str, int] = {}
    for lineno, row in read_rows(path, EXPRESSION_COLUMNS):
        where = f"{path}, line {lineno}"
        _check_curie(row["expression_id"], where, "expression_id")
        if row["expression_id"] in seen:
            raise DataError(f"{where}: expression_id {row['expression_id']} already on line {seen[row['expression_id']]}")
        seen[row["expression_id"]] = lineno
        try:
            count = int(row["report_count"] or 0)
            expressions.append(
                Expression(
                    id=row["expression_id"],
                    text=row["text"],
                    body_system=row["body_system"],
                    origin=row["origin"],  # type: ignore[arg-type]
                    origin_ref=row["origin_ref"],
                    report_count=count,
                    comment=row["comment"],
                )
            )
        except ValueError as error:
            raise DataError(f"{where}: {error}") from None
    return expressions


def read_mappings(path: Path, source: str = "") -> list[Mapping]:
    """The mappings of an SSSOM TSV file (its ``#`` YAML metadata lines are skipped)."""
    mappings: list[Mapping] = []
    for lineno, row in read_rows(path, MAPPING_COLUMNS[:6]):
        where = f"{path}, line {lineno}"
        for field in ("subject_id", "object_id"):
            _check_curie(row[field], where, field)
        try:
            mappings.append(
                Mapping(
                    subject_id=row["subject_id"],
                    predicate_id=row["predicate_id"],  # type: ignore[arg-type]
                    object_id=row["object_id"],
                    mapping_justification=row["mapping_justification"],  # type: ignore[arg-type]
                    confidence=row.get("confidence") or 1.0,  # type: ignore[arg-type]
                    author_id=row.get("author_id", ""),
                    reviewer_id=row.get("reviewer_id", ""),
                    mapping_date=row.get("mapping_date", ""),
                    review_status=row.get("review_status") or "proposed",  # type: ignore[arg-type]
                    subject_label=row.get("subject_label", ""),
                    object_label=row.get("object_label", ""),
                    comment=row.get("comment", ""),
                    source=source,
                )
            )
        except ValueError as error:
            raise DataError(f"{where}: {error}") from None
    return mappings


def read_sections(path: Path) -> tuple[list[Category], dict[str, tuple[str, ...]]]:
    """The review-of-systems sections as categories, and the HPO branches documented in each."""
    sections: list[Category] = []
    branches: dict[str, tuple[str, ...]] = {}
    for lineno, row in read_rows(path, SECTION_COLUMNS):
        where = f"{path}, line {lineno}"
        section_id = f"ROS:{row['section_id']}"
        if not row["label"]:
            raise DataError(f"{where}: label: empty")
        hpo = tuple(row["hpo_branches"].split())
        for branch in hpo:
            if not branch.startswith("HP:"):
                raise DataError(f"{where}: hpo_branches: {branch!r} is not an HP id")
        sections.append(Category(section_id, row["label"], CategoryKind.SECTION, definition=row["definition"], source="HGAPS:ros"))
        branches[section_id] = hpo
    return sections, branches


def curated_sources(directory: Path) -> list[Source]:
    return [
        Source("HGAPS:expressions", "hgap patient-language expressions", "0.1.0", OUR_LICENSE, str(directory / EXPRESSIONS_FILE)),
        Source("HGAPS:expression-mappings", "hgap expression → HPO mappings", "0.1.0", OUR_LICENSE, str(directory / EXPRESSION_MAPPINGS_FILE)),
        Source("HGAPS:crosswalk", "hgap HPO → ICD-10-CM crosswalk", "0.1.0", OUR_LICENSE, str(directory / CROSSWALK_FILE)),
        Source("HGAPS:ros", "hgap review-of-systems template sections", "0.1.0", OUR_LICENSE, str(directory / SECTIONS_FILE)),
    ]


CATEGORY_COLUMNS = ("category_id", "label", "kind", "parent", "inclusion_terms")


def read_categories(path: Path) -> list[Category]:
    """EHR categories from a TSV (the test fixture uses it in place of the bundled ICD-10-CM)."""
    categories: list[Category] = []
    for lineno, row in read_rows(path, CATEGORY_COLUMNS):
        where = f"{path}, line {lineno}"
        _check_curie(row["category_id"], where, "category_id")
        try:
            categories.append(
                Category(
                    row["category_id"], row["label"], row["kind"],  # type: ignore[arg-type]
                    parent=row["parent"] or None,
                    inclusion_terms=tuple(t for t in row["inclusion_terms"].split("|") if t),
                )
            )
        except ValueError as error:
            raise DataError(f"{where}: {error}") from None
    return categories

"""Reading ICD-10-CM as ``simple_icd_10_cm`` bundles it (chapters, blocks, categories, codes, inclusion terms).

>>> categories = {c.id: c for c in read_icd10cm()[1]}
>>> r202 = categories["ICD10CM:R20.2"]
>>> r202.label, r202.parent, "Pins and needles" in r202.inclusion_terms
('Paresthesia of skin', 'ICD10CM:R20', True)
"""
from __future__ import annotations

from .model import Category, Source
from .vocab import CategoryKind

ICD10CM_LICENSE = "https://www.cdc.gov/nchs/icd/icd-10-cm/ (public domain, U.S. government work)"


def category_id(code: str) -> str:
    """The CURIE of an ICD-10-CM chapter (``18``), block (``R00-R09``) or code (``R20.2``)."""
    return f"ICD10CM:chapter-{code}" if code.isdigit() else f"ICD10CM:{code}"


def read_icd10cm() -> tuple[Source, list[Category]]:
    """Every ICD-10-CM item of the bundled release, parents before children."""
    import simple_icd_10_cm as cm  # imported here: parsing its XML takes a second and only the build needs it

    version = getattr(cm, "__version__", "") or _package_version()
    categories: list[Category] = []
    seen: set[str] = set()
    for code in cm.get_all_codes(True):
        item_id, parent_id = category_id(code), None
        if cm.is_chapter(code):
            kind = CategoryKind.CHAPTER
        elif cm.is_block(code) and (code not in seen or not cm.is_category(code)):
            kind = CategoryKind.BLOCK
            if cm.is_category(code):
                # A block of one category shares its code (B10 is both): the block gets the range form B10-B10.
                item_id = category_id(f"{code}-{code}")
                parent_id = category_id(cm.get_ancestors(code)[-1])
        elif cm.is_category(code):
            kind = CategoryKind.CATEGORY
            if cm.is_block(code):
                parent_id = category_id(f"{code}-{code}")
        else:
            kind = CategoryKind.CODE
        seen.add(code)
        if parent_id is None:
            parent = cm.get_parent(code)
            parent_id = category_id(parent) if parent else None
        categories.append(
            Category(
                id=item_id,
                label=cm.get_description(code),
                kind=kind,
                parent=parent_id,
                inclusion_terms=tuple(cm.get_inclusion_term(code)),
                source="HGAPS:icd10cm",
            )
        )
    source = Source(
        id="HGAPS:icd10cm",
        title="ICD-10-CM (International Classification of Diseases, Tenth Revision, Clinical Modification)",
        version=f"April 2026 (simple_icd_10_cm {version})",
        license=ICD10CM_LICENSE,
        path="simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml",
        citation="National Center for Health Statistics. ICD-10-CM, FY2026 April update.",
    )
    return source, categories


def _package_version() -> str:
    from importlib.metadata import version

    return version("simple_icd_10_cm")

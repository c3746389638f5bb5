"""Body sites named in phrases: one table (``data/body_sites.tsv``, ours) read at two grains.

*Anatomical* regions (``upper_limb``, ``lower_limb``, ``pelvis``, ...) let the suggester see that a phrase
about the arms agrees with a concept "... of upper limb" and conflicts with "... of lower limb" (:func:`sites`).
*Lay* regions (``head``, ``urinary``, ``skin``, ``body``, ...) let clustering see that "brain zaps" and
"head fizzing" are about one place (:func:`lay_region`). A site is one word or two ("upper limb").

>>> sorted(sites(textnorm.content_tokens("numbness of upper limb"))[0])
['upper_limb']
>>> sorted(sites(textnorm.content_tokens("my arms went numb"))[0])
['upper_limb']
>>> lay_region("brain"), lay_region("waterworks"), lay_region("toes")
('head', 'urinary', 'leg')
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from hgap.ontology.curated import data_dir
from hgap.ontology.tsv import DataError, read_rows

from . import textnorm

BODY_SITES_FILE = "body_sites.tsv"
ANATOMICAL_REGIONS = ("head", "face", "neck", "chest", "back", "abdomen", "pelvis", "upper_limb", "lower_limb")
LAY_REGIONS = ("head", "face", "eye", "ear", "nose", "throat", "chest", "abdomen", "back", "urinary", "arm", "leg",
               "skin", "body")
_REGION_BIT = {r: 1 << i for i, r in enumerate(ANATOMICAL_REGIONS)}


@dataclass(frozen=True)
class BodySites:
    """The table, indexed: anatomical regions by site stem (one word) and stem pair (two words), and lay
    regions by word as written and by stem."""

    anatomical_words: dict[str, frozenset[str]]
    anatomical_pairs: dict[tuple[str, str], frozenset[str]]
    lay_words: dict[str, str]
    lay_stems: dict[str, str]


@lru_cache(maxsize=4)
def body_sites(path: Path | None = None) -> BodySites:
    """The body-site table of ``data/body_sites.tsv`` (or ``path``), its regions checked against
    :data:`ANATOMICAL_REGIONS` and :data:`LAY_REGIONS`."""
    path = path or data_dir() / BODY_SITES_FILE
    words: dict[str, set[str]] = {}
    pairs: dict[tuple[str, str], frozenset[str]] = {}
    lay: dict[str, str] = {}
    for lineno, row in read_rows(path, ("site", "anatomical_regions", "lay_region")):
        site = row["site"].strip()
        anatomical = row["anatomical_regions"].split()
        for value in anatomical:
            if value not in _REGION_BIT:
                raise DataError(f"{path}, line {lineno}: anatomical_regions: {value!r} is not one of {', '.join(ANATOMICAL_REGIONS)}")
        region = row["lay_region"].strip()
        if region and region not in LAY_REGIONS:
            raise DataError(f"{path}, line {lineno}: lay_region: {region!r} is not one of {', '.join(LAY_REGIONS)}")
        stems = [textnorm.stem(w) for w in textnorm.normalize(site).split()]
        if not 1 <= len(stems) <= 2:
            raise DataError(f"{path}, line {lineno}: site: {site!r} is not one or two words")
        if anatomical and len(stems) == 2:
            pairs[(stems[0], stems[1])] = frozenset(anatomical)
        elif anatomical:
            words.setdefault(stems[0], set()).update(anatomical)
        if region:
            if len(stems) != 1:
                raise DataError(f"{path}, line {lineno}: lay_region: only one-word sites have one ({site!r})")
            lay[site] = region
    return BodySites({w: frozenset(r) for w, r in words.items()}, pairs, lay,
                     {textnorm.stem(w): r for w, r in lay.items()})


def sites(stems: Sequence[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(anatomical regions, sites) named by a phrase's content stems; a two-word site ("upper limb") wins
    over its words."""
    table = body_sites()
    regions: set[str] = set()
    found: set[str] = set()
    used = set()
    for i in range(len(stems) - 1):
        r = table.anatomical_pairs.get((stems[i], stems[i + 1]))
        if r:
            regions |= r
            found.add(f"{stems[i]} {stems[i + 1]}")
            used |= {i, i + 1}
    for i, w in enumerate(stems):
        if i not in used and w in table.anatomical_words:
            regions |= table.anatomical_words[w]
            found.add(w)
    return frozenset(regions), frozenset(found)


def region_mask(regions: Iterable[str]) -> int:
    """Anatomical regions as bits of an int, so that agreement between many pairs is one ``&``."""
    m = 0
    for r in regions:
        m |= _REGION_BIT[r]
    return m


def lay_region(word: str) -> str | None:
    """The lay region a word names (as written, singular, or by stem), if any."""
    table = body_sites()
    return table.lay_words.get(word) or table.lay_words.get(word[:-1] if word.endswith("s") else word) \
        or table.lay_stems.get(textnorm.stem(word))


# Where a phrase ends by saying where it is felt ("a bruise on my knee", "cramps in my calves").
_SITE_CLAUSE = re.compile(
    r"\s*,?\s*\b(?:on|in|around|behind|under|over|across|inside|down)\s+"
    r"(?:(?:my|the|his|her|their|your|both|one of my)\s+)+(?:(?:back|front|side|top|bottom|middle) of\s+(?:my|the)\s+)?"
    r"(?:(?:left|right|lower|upper)\s+)?(\w+(?:\s+\w+)?)\s*$",
    re.IGNORECASE)


def site_split(text: str) -> tuple[str, str] | None:
    """The phrase as written before the words that end it by saying where it is felt, and those words; None if
    it ends in no body site after some words of its own that are not a site.

    >>> site_split("a bruise on my knee"), site_split("a sharp pain behind my left eye")
    (('a bruise', 'on my knee'), ('a sharp pain', 'behind my left eye'))
    >>> site_split("pain in my knee"), site_split("knee pain"), site_split("I'm in my bed"), site_split("in my arms")
    (('pain', 'in my knee'), None, None, None)
    """
    match = _SITE_CLAUSE.search(text)
    if match is None or not sites(textnorm.content_tokens(match.group(1)))[1] and lay_region(match.group(1)) is None:
        return None
    head = text[: match.start()]
    stems = textnorm.content_tokens(head)
    if not stems or all(sites([st])[1] for st in stems):
        return None
    return head, text[match.start():].strip(" ,")

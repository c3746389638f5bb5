"""The body-site table loads at both grains, and rejects a region outside its closed list by file and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from hgap.graph import bodysites, clusters, textnorm
from hgap.ontology.tsv import DataError


def regions(text: str) -> frozenset[str]:
    return bodysites.sites(textnorm.content_tokens(text))[0]


def test_anatomical_grain_tells_arms_from_legs() -> None:
    assert regions("my arms went numb") == {"upper_limb"}
    assert regions("numbness of lower limb") == {"lower_limb"}
    assert regions("pain in hip") == {"pelvis", "lower_limb"}  # a site may name two
    assert regions("lower back pain") == {"back"}  # the two-word site wins over "lower" and "back"
    assert regions("tired all the time") == frozenset()


def test_lay_grain_groups_patients_places() -> None:
    assert bodysites.lay_region("waterworks") == "urinary"
    assert bodysites.lay_region("brain") == bodysites.lay_region("head") == "head"
    assert clusters.regions("pins & needles in my feet") == {"leg"}
    assert bodysites.lay_region("cervical") is None  # a clinical word only: no lay region


@pytest.mark.parametrize(
    "row, message",
    [("elbow\tupper_arm\tarm", r"line 3: anatomical_regions: 'upper_arm' is not one of head"),
     ("elbow\tupper_limb\tlimbs", r"line 3: lay_region: 'limbs' is not one of head"),
     ("left upper arm\tupper_limb\t", r"line 3: site: 'left upper arm' is not one or two words")],
)
def test_bad_row_names_file_line_and_field(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "body_sites.tsv"
    path.write_text(f"site\tanatomical_regions\tlay_region\nhead\thead\thead\n{row}\n")
    with pytest.raises(DataError, match=message) as error:
        bodysites.body_sites(path)
    assert str(path) in str(error.value)

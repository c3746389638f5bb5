"""Shared fixtures: the hand-made fixture graph, built once per session into a temporary home."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fixture_ids import FIXTURE_DIR  # noqa: E402

from hgap.graph.embeddings import DISTILLED_NAME, STATIC_NAME  # noqa: E402
from hgap.graph.lexicon import cache_dir  # noqa: E402
from hgap.ontology.build import LoadedGraph, build, load  # noqa: E402
from hgap.ontology.model import Knowledge  # noqa: E402
from hgap.ontology.sources import Sources, assemble  # noqa: E402

SHARED_EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The tests' fits, lexicons and suggesters are cached in a folder of their own, not the user's, and
    suggest without embeddings unless a test asks for them.

    The one thing shared is the user's static embedding model (and its distillation), if made: it depends on the installed packages
    alone, like a download, and making it again takes two minutes (a fresh home, as in CI, makes it)."""
    cache = tmp_path_factory.mktemp("cache")
    (cache / "hgap").mkdir()
    for name in (STATIC_NAME, DISTILLED_NAME):  # the tuned model, and the distillation it was tuned from
        model = cache_dir() / name
        if (model / "model.safetensors").exists():
            (cache / "hgap" / name).symlink_to(model, target_is_directory=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(cache))
        # Each test says which embeddings it suggests with; none where it says nothing, though the default
        # (the static kind where the extra is installed) would choose them (test_suggest tests the default).
        patch.setenv("HGAP_EMBEDDINGS", "0")
        yield cache


@pytest.fixture(scope="session")
def fixture_sources() -> Sources:
    return Sources.fixture(FIXTURE_DIR)


@pytest.fixture(scope="session")
def fixture_knowledge(fixture_sources: Sources) -> Knowledge:
    return assemble(fixture_sources)


@pytest.fixture(scope="session")
def fixture_home(tmp_path_factory: pytest.TempPathFactory, fixture_sources: Sources) -> Path:
    home = tmp_path_factory.mktemp("hgap-home")
    build(fixture_sources, home=home)
    return home


@pytest.fixture(scope="session")
def fixture_graph(fixture_home: Path) -> LoadedGraph:
    return load(fixture_home)

# The web app's fixtures (Flask tutorial style: `app` and `client` over the fixture build in a temporary home,
# `live_server` running it under waitress on loopback).
from test_webui_support import app, client, live_server  # noqa: E402,F401

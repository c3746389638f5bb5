"""The pickles hgap keeps: read with the garbage collector paused, and the collector left as it was."""
from __future__ import annotations

import gc
import pickle
from pathlib import Path

import pytest

from hgap.ontology.pickles import atomic_pickle, read_pickle


def test_a_pickle_is_read_back_and_the_collector_left_running(tmp_path: Path) -> None:
    path = tmp_path / "kept.pickle"
    atomic_pickle(path, {"records": [1, 2, 3]})
    assert gc.isenabled()
    assert read_pickle(path) == {"records": [1, 2, 3]}
    assert gc.isenabled()


def test_a_broken_pickle_raises_and_still_leaves_the_collector_running(tmp_path: Path) -> None:
    path = tmp_path / "broken.pickle"
    path.write_bytes(pickle.dumps(list(range(100)))[:20])  # a write cut short
    with pytest.raises(Exception):
        read_pickle(path)
    assert gc.isenabled()  # a long-running server that met a broken cache must not keep it paused


def test_a_collector_paused_by_the_caller_stays_paused(tmp_path: Path) -> None:
    path = tmp_path / "kept.pickle"
    atomic_pickle(path, [1])
    gc.disable()
    try:
        read_pickle(path)
        assert not gc.isenabled()
    finally:
        gc.enable()

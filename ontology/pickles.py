"""Reading and writing the pickles hgap keeps: a build's records and the caches under ``~/.cache/hgap``."""
from __future__ import annotations

import gc
import os
import pickle
from pathlib import Path


def read_pickle(path: Path) -> object:
    """``pickle.load`` of ``path`` with the cyclic garbage collector paused. Unpickling makes hundreds of
    thousands of containers, and the collections they set off took most of the time: the built graph's
    suggester loads in 0.14 s against 0.45 s, its records in 0.49 s against 0.74 s."""
    paused = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    finally:
        if paused:
            gc.enable()


def atomic_pickle(path: Path, obj: object) -> None:
    """Write ``obj`` to ``path`` whole or not at all (a reader never meets half a file); a cache that cannot
    be written is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # no cache is no error
        pass

"""Helpers shared by the benchmarks: where they build, which inputs they read, medians and memory.

The benchmarks build into their own home (``$HGAP_BENCH_HOME``, else ``/tmp/hgap-bench``), never the user's.
When the curated data in ``data/`` is not all there yet (any of its four files missing), they build from the
real HPO and ICD-10-CM with the curated files of ``tests/data/fixture`` instead, and say so.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE_DIR = REPO / "tests" / "data" / "fixture"


def bench_home() -> Path:
    return Path(os.environ.get("HGAP_BENCH_HOME", "/tmp/hgap-bench"))


def bench_sources(curated: str | None = None):  # type: ignore[no-untyped-def]
    """The Sources to build from, and a line saying which curated data they use.

    ``curated`` is ``"data"`` or ``"fixture"`` to force one (so that child processes use what the parent chose;
    ``$HGAP_BENCH_CURATED`` does the same from the shell). Otherwise ``data/`` is used when all four curated
    files are there.
    """
    from hgap.ontology import curated as curated_module
    from hgap.ontology.sources import Sources

    today = date.today().isoformat()
    data = curated_module.data_dir()
    names = (curated_module.EXPRESSIONS_FILE, curated_module.EXPRESSION_MAPPINGS_FILE, curated_module.CROSSWALK_FILE,
             curated_module.SECTIONS_FILE)
    missing = [n for n in names if not (data / n).exists()]
    curated = curated or os.environ.get("HGAP_BENCH_CURATED") or ("fixture" if missing else "data")
    if curated == "data":
        return Sources(build_date=today), "data", f"real HPO + ICD-10-CM, curated data from {data}"
    return (Sources(data_dir=FIXTURE_DIR, build_date=today), "fixture",
            f"real HPO + ICD-10-CM, curated data from {FIXTURE_DIR}"
            + (f" (data/ lacks {', '.join(missing)})" if missing else " (HGAP_BENCH_CURATED=fixture)"))


def ensure_build(home: Path, curated: str | None = None) -> tuple[Path, dict]:
    """Build into ``home`` unless an up-to-date build is there; print which. Returns (build dir, manifest)."""
    import time

    from hgap.ontology.build import build

    sources, kind, description = bench_sources(curated)
    print(f"inputs: {description}")
    start = time.perf_counter()
    report = build(sources, home=home)
    if report.cached:
        print(f"graph: using the existing build in {report.path} ({report.manifest['triples']:,} triples)")
    else:
        print(f"graph: no up-to-date build in {home} ({report.reason}): built one in "
              f"{time.perf_counter() - start:.1f} s ({report.manifest['triples']:,} triples)")
    sys.stdout.flush()
    return report.path, report.manifest


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def rss_mb(field: str = "VmRSS") -> float:
    """This process's resident memory (``VmRSS``) or peak (``VmHWM``) in MB, from /proc."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def fmt_ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    ms = seconds * 1000
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}" if ms >= 1 else f"{ms:.2f}"


def machine_line() -> str:
    """CPUs and load average: these benchmarks measure wall time, so other work on the machine shows in them."""
    one, five, _ = os.getloadavg()
    return f"machine: {os.cpu_count()} CPUs, load average {one:.1f} (1 min) {five:.1f} (5 min)"


def suggest_speed(suggester, phrases: list[str], singles: int = 500) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    """One round of a suggester's speed: batch phrases/s with one thread, then with the default (a thread per
    core), then single-phrase p50 and p99 latency in ms over the first ``singles`` phrases."""
    import time

    t0 = time.perf_counter()
    suggester.suggest_many(phrases, workers=1)
    one = len(phrases) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    suggester.suggest_many(phrases)
    default = len(phrases) / (time.perf_counter() - t0)
    lat = []
    for p in phrases[:singles]:
        t0 = time.perf_counter()
        suggester.suggest(p)
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    return default, one, lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))]


def machine_reference(repeat: int = 5) -> str:
    """How fast this machine is right now, on a fixed workload that is not hgap's: a pure-Python loop and a
    float32 matrix product on one BLAS thread (medians). This shared machine's speed wanders by a third within
    an hour, so a figure is read beside the reference measured in the same run."""
    import time

    import numpy as np
    from threadpoolctl import threadpool_limits

    a = np.random.default_rng(0).random((800, 800), dtype=np.float32)
    loops, products = [], []
    with threadpool_limits(limits=1, user_api="blas"):
        for _ in range(repeat):
            t0 = time.perf_counter()
            sum(i * i for i in range(1_000_000))
            loops.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            a @ a
            products.append(time.perf_counter() - t0)
    return (f"machine reference: Python loop {median(loops) * 1000:.0f} ms, 800x800 float32 product "
            f"{median(products) * 1000:.1f} ms (medians of {repeat}; lower is faster)")


def builtin_eval_args(doc: str) -> argparse.Namespace:
    """The command line of the evaluations on the built graph (eval_builtin.py, eval_readings.py)."""
    from hgap.graph.embeddings import EMBEDDING_KINDS

    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path)
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--embeddings", nargs="?", const="static", choices=EMBEDDING_KINDS,
                        help="with the optional embeddings, of this kind (default static)")
    return parser.parse_args()


def builtin_suggester(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The built graph's suggester (fitted afresh unless cached), with the embeddings ``args`` name."""
    from hgap.graph.embeddings import load_embedder
    from hgap.graph.suggest import Suggester
    from hgap.ontology.build import load_knowledge

    return Suggester.from_knowledge(load_knowledge(args.home),
                                    embedder=load_embedder(args.embeddings) if args.embeddings else None)

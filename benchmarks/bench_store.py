"""Which embedded RDF store hgap should use: pyoxigraph vs rdflib 7's in-memory Graph, on the full built graph.

Three stores, each in its own fresh worker subprocess (so its memory is its own):

* ``oxigraph-disk``: the on-disk pyoxigraph store exactly as hgap uses it (``OxigraphStore.open``, read-only);
* ``oxigraph-mem``:  pyoxigraph in memory, bulk-loaded from the N-Triples dump of that store;
* ``rdflib``:        ``rdflib.Graph()`` (in memory) parsed from the same dump.

For each: the load time and the RSS it adds (RSS after load minus RSS before, and the process's peak at the
end); then every named query of ``queries/*.rq`` (median of ``--runs``, default 5, rows fetched as strings),
with lookup_exact text="pins and needles", lookup_contains text="buzz", expression_chain on the expression
"pins and needles", mappings_by_justification semapv:LexicalMatching >= 0.8. pyoxigraph runs them through
hgap's own ``run_named`` (SPARQL substitution); rdflib through ``graph.query(text, initBindings=..., initNs=...)``
with plain ``Literal``/``URIRef`` terms. Then four forms of the gap query ("expressions with no path to a
category"): (a) the materialised one-hop form hgap uses, (b) FILTER NOT EXISTS, (c) MINUS and (d) OPTIONAL +
!BOUND over the property path ``hgap:expresses/rdfs:subClassOf*/hgap:codedAs``, checking that all four find
the same expressions.

Each (store, query) runs with a timeout (``--timeout``, default 30 s per execution): a query that overruns is
reported as "timeout" and its worker is restarted (reloading the store) for the next query. A query whose
first runs already take long is run fewer times (at most ``--budget`` seconds, default 30, per query).

It uses the build in ``$HGAP_BENCH_HOME`` (default ``/tmp/hgap-bench``), building one first if there is none,
and caches the N-Triples dump next to it. Takes 3-5 minutes (rdflib's parse of ~1M triples is most of it).

    python benchmarks/bench_store.py [--runs N] [--timeout S] [--stores oxigraph-disk,oxigraph-mem,rdflib]
"""
from __future__ import annotations

import argparse
import json
import math
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import bench_home, ensure_build, fmt_ms, machine_line, median, rss_mb  # noqa: E402

STORES = ("oxigraph-disk", "oxigraph-mem", "rdflib")
TARGET_MS = 200.0

NAMED_PARAMS: dict[str, dict[str, str]] = {
    "lookup_exact": {"text": "pins and needles"},
    "lookup_contains": {"text": "buzz"},
    "expression_chain": {},  # the expression id of "pins and needles", found in the build
    "mappings_by_justification": {"justification": "semapv:LexicalMatching", "min_confidence": "0.8"},
}

PATH = "hgap:expresses/rdfs:subClassOf*/hgap:codedAs"
GAP_FORMS: dict[str, str] = {
    "gap (a) reaches OPTIONAL/!BOUND":
        "SELECT DISTINCT ?e WHERE { ?e a hgap:PatientExpression . "
        "OPTIONAL { ?e hgap:reaches ?c } FILTER(!BOUND(?c)) }",
    "gap (b) path FILTER NOT EXISTS":
        f"SELECT DISTINCT ?e WHERE {{ ?e a hgap:PatientExpression . FILTER NOT EXISTS {{ ?e {PATH} ?c }} }}",
    "gap (c) path MINUS":
        f"SELECT DISTINCT ?e WHERE {{ ?e a hgap:PatientExpression . MINUS {{ ?e {PATH} ?c }} }}",
    "gap (d) path OPTIONAL/!BOUND":
        f"SELECT DISTINCT ?e WHERE {{ ?e a hgap:PatientExpression . OPTIONAL {{ ?e {PATH} ?c }} FILTER(!BOUND(?c)) }}",
}

# Measured to run away on pyoxigraph (no answer within minutes even on the fixture's 40 expressions): run it
# last so that its timeout does not cost a reload of the store.
RUN_LAST = {"gap (b) path FILTER NOT EXISTS"}

# ---------------------------------------------------------------- the worker (one store, one process)

def emit(**record: object) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def worker(kind: str, store_path: str, dump_path: str) -> None:
    from hgap.ontology.queries import load_queries
    from hgap.ontology.vocab import PREFIXES, expand

    queries = load_queries()
    if kind == "rdflib":
        import rdflib
    else:
        import pyoxigraph as ox

        from hgap.ontology.queries import run_named
        from hgap.ontology.store import OxigraphStore

    before = rss_mb()
    start = time.perf_counter()
    if kind == "oxigraph-disk":
        store = OxigraphStore.open(Path(store_path))
        triples = store.triple_count()
    elif kind == "oxigraph-mem":
        native = ox.Store()
        native.bulk_load(path=dump_path, format=ox.RdfFormat.N_TRIPLES)
        store = OxigraphStore(native)
        triples = store.triple_count()
    else:
        graph = rdflib.Graph()
        graph.parse(dump_path, format="nt")
        triples = len(graph)
    seconds = time.perf_counter() - start
    emit(event="loaded", seconds=seconds, rss_before=before, rss_after=rss_mb(), triples=triples)

    def rdflib_terms(name: str, params: dict[str, str]) -> dict:
        bound = {}
        for param in queries[name].params:
            value = params.get(param.name, param.default)
            if param.kind == "iri":
                bound[rdflib.Variable(param.name)] = rdflib.URIRef(expand(value))
            elif param.kind == "number":
                number = float(value)
                bound[rdflib.Variable(param.name)] = rdflib.Literal(int(number) if number.is_integer() else number)
            else:
                bound[rdflib.Variable(param.name)] = rdflib.Literal(value)
        return bound

    def run_once(command: dict) -> list[tuple]:
        if command["kind"] == "named":
            if kind == "rdflib":
                query = queries[command["name"]]
                result = graph.query(query.text, initNs=PREFIXES,
                                     initBindings=rdflib_terms(command["name"], command["params"]))
                return [tuple(None if v is None else str(v) for v in row) for row in result]
            return run_named(store, command["name"], command["params"], queries).rows
        if kind == "rdflib":
            return [tuple(None if v is None else str(v) for v in row)
                    for row in graph.query(command["text"], initNs=PREFIXES)]
        return store.select(command["text"]).rows

    for line in sys.stdin:
        command = json.loads(line)
        spent = 0.0
        times = []
        rows: list[tuple] = []
        while len(times) < command["runs"] and (not times or spent < command["budget"]):
            start = time.perf_counter()
            rows = run_once(command)
            took = time.perf_counter() - start
            times.append(took)
            spent += took
            emit(event="run", seconds=took)
        emit(event="done", times=times, rows=len(rows), rss=rss_mb(), peak=rss_mb("VmHWM"),
             result=sorted(json.dumps(r) for r in rows), first=sorted({r[0] for r in rows if r[0] is not None}))
    emit(event="end", rss=rss_mb(), peak=rss_mb("VmHWM"))


# ---------------------------------------------------------------- the parent

class Worker:
    """A worker process for one store, read line by line with timeouts."""

    def __init__(self, kind: str, store_path: Path, dump_path: Path, load_timeout: float) -> None:
        self.kind = kind
        self.args = [sys.executable, __file__, "--worker", kind, "--store-path", str(store_path),
                     "--dump-path", str(dump_path)]
        self.load_timeout = load_timeout
        self.loaded: dict | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.lines: queue.Queue[str | None] = queue.Queue()
        stdout = self.process.stdout
        assert stdout is not None

        def pump() -> None:
            for line in stdout:
                self.lines.put(line)
            self.lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        record = self.read(self.load_timeout)
        if record is None or record.get("event") != "loaded":
            self.stop()
            raise SystemExit(f"{self.kind}: the worker did not load the store ({record})")
        self.loaded = self.loaded or record  # the first load is the one reported

    def read(self, timeout: float) -> dict | None:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            return None
        if line is None:
            return {"event": "died", "code": self.process.wait()}
        return json.loads(line)

    def run(self, command: dict, timeout: float) -> dict:
        if self.process.poll() is not None:  # killed after a timeout: reload only when there is more to run
            self.start()
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        while True:
            record = self.read(timeout)
            if record is None:
                self.stop()
                return {"event": "timeout"}
            if record["event"] == "died":
                return {"event": "error", "code": record["code"]}
            if record["event"] == "done":
                return record

    def finish(self) -> dict:
        if self.process.poll() is not None:
            return {}
        assert self.process.stdin is not None
        self.process.stdin.close()
        record = self.read(60) or {}
        self.process.wait(60)
        return record

    def stop(self) -> None:
        self.process.kill()  # this worker only, by its own handle
        self.process.wait()


def ensure_dump(build_dir: Path, manifest: dict) -> Path:
    import pyoxigraph as ox

    dump = bench_home() / f"dump-{manifest['fingerprint']}.nt"
    if dump.exists():
        print(f"dump: using {dump} ({dump.stat().st_size / 1e6:,.0f} MB)")
        return dump
    for old in bench_home().glob("dump-*.nt"):
        old.unlink()
    start = time.perf_counter()
    store = ox.Store.read_only(str(build_dir / "store"))
    tmp = dump.with_suffix(".tmp")
    store.dump(output=str(tmp), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    del store
    tmp.rename(dump)
    print(f"dump: wrote the N-Triples dump {dump} ({dump.stat().st_size / 1e6:,.0f} MB) in "
          f"{time.perf_counter() - start:.1f} s")
    return dump


def pins_and_needles(build_dir: Path) -> str:
    from hgap.ontology.queries import run_named
    from hgap.ontology.store import OxigraphStore
    from hgap.ontology.vocab import contract

    store = OxigraphStore.open(build_dir / "store")
    rows = run_named(store, "lookup_exact", {"text": "pins and needles"}).rows
    del store
    found = sorted(contract(r[2]) for r in rows if r[1] == "expression")
    if not found:
        raise SystemExit('the build has no expression "pins and needles"')
    return found[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per query (default 5; median reported)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds one query execution may take (30)")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds of runs per query before stopping early")
    parser.add_argument("--stores", default=",".join(STORES), help="which stores, comma-separated")
    parser.add_argument("--worker", choices=STORES, help=argparse.SUPPRESS)
    parser.add_argument("--store-path", help=argparse.SUPPRESS)
    parser.add_argument("--dump-path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.store_path, args.dump_path)

    from hgap.ontology.queries import load_queries

    print(f"bench_store: home {bench_home()}")
    print(machine_line())
    build_dir, manifest = ensure_build(bench_home())
    dump = ensure_dump(build_dir, manifest)
    expression = pins_and_needles(build_dir)
    print(f'expression "pins and needles" = {expression}')
    import pyoxigraph
    import rdflib
    print(f"pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}, runs {args.runs}, "
          f"timeout {args.timeout:.0f} s per execution")
    print()

    params = dict(NAMED_PARAMS, expression_chain={"expression": expression})
    commands: list[tuple[str, dict]] = []
    for name in load_queries():
        commands.append((name, {"kind": "named", "name": name, "params": params.get(name, {})}))
    for label in sorted(GAP_FORMS, key=lambda label: label in RUN_LAST):
        commands.append((label, {"kind": "text", "text": GAP_FORMS[label]}))

    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    results: dict[str, dict[str, dict]] = {}
    loads: dict[str, dict] = {}
    ends: dict[str, dict] = {}
    for kind in stores:
        print(f"[{kind}] loading ...", flush=True)
        w = Worker(kind, build_dir / "store", dump, load_timeout=900)
        loaded = w.loaded or {}
        loads[kind] = loaded
        print(f"[{kind}] loaded {loaded['triples']:,} triples in {loaded['seconds']:.2f} s, "
              f"RSS {loaded['rss_before']:,.0f} -> {loaded['rss_after']:,.0f} MB", flush=True)
        results[kind] = {}
        for label, command in commands:
            record = w.run(dict(command, runs=args.runs, budget=args.budget), args.timeout)
            results[kind][label] = record
            if record["event"] == "done":
                note = f" ({len(record['times'])} runs)" if len(record["times"]) < args.runs else ""
                print(f"[{kind}] {label:<34} {fmt_ms(median(record['times'])):>9} ms  {record['rows']:>6} rows{note}",
                      flush=True)
            else:
                print(f"[{kind}] {label:<34} {'timeout >%.0f s' % args.timeout if record['event'] == 'timeout' else 'worker died'}",
                      flush=True)
        last = [r for r in results[kind].values() if r.get("event") == "done"]
        ends[kind] = w.finish() or (last[-1] if last else {})  # a worker killed at a timeout says no "end"

    # ---- tables
    print()
    print("Load and memory (each store in a fresh process; RSS delta = after load - before load):")
    print(f"  {'store':<15} {'load s':>8} {'triples':>11} {'RSS delta MB':>13} {'peak RSS MB':>12}")
    for kind in stores:
        loaded, end = loads[kind], ends.get(kind, {})
        print(f"  {kind:<15} {loaded['seconds']:8.2f} {loaded['triples']:>11,} "
              f"{loaded['rss_after'] - loaded['rss_before']:13,.0f} {end.get('peak', float('nan')):12,.0f}")
    print("  (oxigraph-disk opens RocksDB read-only: its data stays on disk and in the page cache; the peak is"
          " after the last query that answered)")

    def cell(kind: str, label: str) -> tuple[str, float | None]:
        record = results.get(kind, {}).get(label)
        if record is None:
            return "-", None
        if record["event"] == "timeout":
            return f"timeout >{args.timeout:.0f} s", None
        if record["event"] != "done":
            return "error", None
        return fmt_ms(median(record["times"])), median(record["times"])

    base = "oxigraph-disk" if "oxigraph-disk" in stores else stores[0]
    print()
    print(f"Queries, median ms of {args.runs} (ratio = rdflib / {base}; rows per store):")
    header = f"  {'query':<34} | " + " | ".join(f"{k + ' ms':>16}" for k in stores) + f" | {'ratio':>8} | rows"
    print(header)
    print("  " + "-" * (len(header) - 2))
    ratios: dict[str, float] = {}
    for label, _ in commands:
        cells = [cell(k, label) for k in stores]
        values = dict(zip(stores, (v for _, v in cells)))
        ratio = ""
        if "rdflib" in values and base in values:
            r_value, b_value = values["rdflib"], values[base]
            if r_value and b_value:
                ratios[label] = r_value / b_value
                ratio = f"{ratios[label]:,.1f}x" if ratios[label] >= 1 else f"{ratios[label]:.3f}x"
            elif r_value is None and b_value and results["rdflib"].get(label, {}).get("event") == "timeout":
                ratio = f">{args.timeout / b_value:,.0f}x"
        rows = []
        for k in stores:
            record = results[k].get(label, {})
            rows.append(str(record["rows"]) if record.get("event") == "done" else "-")
        print(f"  {label:<34} | " + " | ".join(f"{c:>16}" for c, _ in cells) + f" | {ratio:>8} | {'/'.join(rows)}")

    # ---- do the stores agree?
    print()
    print("Same answers?")
    for label, _ in commands:
        done = {k: results[k][label] for k in stores if results[k].get(label, {}).get("event") == "done"}
        if len(done) < 2:
            continue
        same_rows = len({json.dumps(r["result"]) for r in done.values()}) == 1
        if not same_rows:
            counts = ", ".join(f"{k} {r['rows']}" for k, r in done.items())
            same_first = len({json.dumps(r["first"]) for r in done.values()}) == 1
            print(f"  {label:<34} rows differ between stores ({counts}); "
                  f"first column {'same set' if same_first else 'differs'}")
            if label == "mappings_by_justification":
                print(f"  {'':<34} (rdflib compares the graph's xsd:decimal 0.800 with the bound xsd:double 0.8 as"
                      " Python Decimal vs float, exactly, and drops the 0.8 rows; SPARQL promotes the decimal to"
                      " double, as pyoxigraph does)")
    gap_sets = {}
    for kind in stores:
        for label in GAP_FORMS:
            record = results[kind].get(label, {})
            if record.get("event") == "done":
                gap_sets[(kind, label)] = frozenset(record["first"])
    distinct = set(gap_sets.values())
    if len(distinct) == 1:
        print(f"  gap forms: all {len(gap_sets)} (store, form) pairs that finished find the same "
              f"{len(next(iter(distinct)))} expressions")
    else:
        reference = gap_sets.get((base, "gap (a) reaches OPTIONAL/!BOUND"))
        for key, found in gap_sets.items():
            diff = "" if reference is None else (f" (+{len(found - reference)} / -{len(reference - found)} vs "
                                                 f"{base} form a)")
            print(f"  gap forms DIFFER: {key[0]} {key[1]}: {len(found)} expressions{diff}")
    print("  (rows of other queries are compared as sorted sets; SAMPLE() and ties under LIMIT may differ legitimately)")

    # ---- verdict
    print()
    named = [label for label, c in commands if c["kind"] == "named"]
    base_times = {label: cell(base, label)[1] for label in named}
    slowest = max(((v or math.inf), k) for k, v in base_times.items())
    under = all(v is not None and v * 1000 < TARGET_MS for v in base_times.values())
    named_ratios = [ratios[label] for label in named if label in ratios]
    rdflib_timeouts = [label for label in named if results.get("rdflib", {}).get(label, {}).get("event") == "timeout"]
    parts = []
    if named_ratios:
        faster = sum(1 for r in named_ratios if r > 1)
        geo = math.exp(sum(math.log(r) for r in named_ratios) / len(named_ratios))
        parts.append(f"{base} is faster than rdflib on {faster + len(rdflib_timeouts)}/{len(named)} named queries "
                     f"(geometric mean {geo:,.1f}x, range {min(named_ratios):.3g}x-{max(named_ratios):.3g}x"
                     + (f", rdflib timed out on {len(rdflib_timeouts)}" if rdflib_timeouts else "") + ")")
    if "rdflib" in loads and base in loads:
        parts.append(f"loads in {loads[base]['seconds']:.2f} s vs {loads['rdflib']['seconds']:.1f} s")
        parts.append(f"adds {loads[base]['rss_after'] - loads[base]['rss_before']:,.0f} MB vs "
                     f"{loads['rdflib']['rss_after'] - loads['rdflib']['rss_before']:,.0f} MB RSS")
    parts.append(f"slowest named query on {base}: {slowest[1]} {fmt_ms(slowest[0])} ms")
    misses = [f"{k} {fmt_ms(v)} ms" if v is not None else f"{k} (no answer)"
              for k, v in base_times.items() if v is None or v * 1000 >= TARGET_MS]
    if misses:
        parts.append(f"over {TARGET_MS:.0f} ms: {', '.join(misses)}")
    faster_store = bool(named_ratios) and sum(1 for r in named_ratios if r > 1) > len(named_ratios) / 2 and \
        math.exp(sum(math.log(r) for r in named_ratios) / len(named_ratios)) > 1
    if faster_store and under:
        head = "Verdict: pyoxigraph is the store, and it meets the target: "
    elif faster_store:
        head = "Verdict: pyoxigraph is the faster store, but the named queries above miss the target: "
    else:
        head = "Verdict: rdflib is not slower here: reconsider: "
    print(head + "; ".join(parts) + ".")
    print(machine_line().replace("machine:", "machine at the end:"))


if __name__ == "__main__":
    main()

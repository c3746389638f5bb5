"""Lookups per second and latency through HTTP on loopback, against the full built-in graph.

Starts ``hgap serve`` (waitress, 8 threads) in a subprocess on a free loopback port, then:

1. warm-up, then 8 concurrent clients (threads, keep-alive connections) each send a bounded number of
   ``GET /api/v1/lookup?q=...`` requests (phrases are the graph's own expressions): lookups/s, p50, p99;
2. the same while a slow SPARQL query (a 4-way cross product, stopped at the server's time limit) runs
   on /sparql at the same time: lookup p99 must stay under 100 ms;
3. autocomplete (``/api/v1/complete``) latency for short prefixes, one client.

Targets: ≥ 500 lookups/s and p99 < 50 ms alone; p99 < 100 ms beside the slow query. Builds the graph
first if ``hgap_home()/current`` is missing. Usage: ``python benchmarks/bench_http.py [--requests N]``.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def phrases(home) -> list[str]:  # type: ignore[no-untyped-def]
    from hgap.ontology.build import load_knowledge

    k = load_knowledge(home)
    texts = sorted(e.text for e in k.expressions.values())
    texts += ["pins and needles", "heart racing", "not a known phrase at all", "Headache"]
    return texts


def run_clients(port: int, paths: list[str], clients: int, per_client: int) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client(index: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        for i in range(per_client):
            path = paths[(index * per_client + i) % len(paths)]
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - start)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - start


def report(name: str, latencies: list[float], errors: int, seconds: float) -> dict:
    row = {
        "phase": name, "requests": len(latencies), "errors": errors, "seconds": round(seconds, 2),
        "per_second": round(len(latencies) / seconds, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 2), "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "max_ms": round(max(latencies) * 1000, 2),
    }
    print(f"{name:<30} {row['requests']:>6} req  {row['per_second']:>8.1f}/s  p50 {row['p50_ms']:>6.2f} ms  "
          f"p99 {row['p99_ms']:>6.2f} ms  max {row['max_ms']:>7.2f} ms  errors {errors}", flush=True)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests per client per phase (default 1000)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--sparql-timeout", type=float, default=10.0)
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()

    from hgap.ontology.build import build, hgap_home

    home = hgap_home()
    if not (home / "current").exists():
        print("building the full graph first (about a minute)…", flush=True)
        build()
    port = free_port()
    env = dict(os.environ, HGAP_HOME=str(home))
    server = subprocess.Popen(
        [sys.executable, "-m", "hgap.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", "8",
         "--sparql-timeout", str(args.sparql_timeout)],
        env=env, stderr=subprocess.PIPE, text=True)
    try:
        started = time.perf_counter()
        line = server.stderr.readline() if server.stderr else ""  # "hgap: serving ... open http://..."
        print(line.strip(), f"(ready in {time.perf_counter() - started:.1f} s)", flush=True)
        threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()  # type: ignore[union-attr]
        paths = ["/api/v1/lookup?" + urllib.parse.urlencode({"q": p}) for p in phrases(home)]
        run_clients(port, ["/api/v1/gaps?limit=1", "/api/v1/clusters?limit=1"], 1, 1)  # wait for the warm caches
        run_clients(port, paths, args.clients, 100)  # warm-up
        rows = [report("lookup, 8 clients", *run_clients(port, paths, args.clients, args.requests))]

        # a slow SPARQL query at the same time
        stop = threading.Event()
        slow_results: list[tuple[int, float]] = []

        def slow() -> None:
            while not stop.is_set():
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                start = time.perf_counter()
                try:
                    conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": SLOW_QUERY}))
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):  # the server stopped under the slow query: the run is over
                    return
                finally:
                    conn.close()
                slow_results.append((response.status, time.perf_counter() - start))

        slow_thread = threading.Thread(target=slow, daemon=True)
        slow_thread.start()
        time.sleep(0.5)
        rows.append(report("lookup + slow SPARQL", *run_clients(port, paths, args.clients, args.requests)))
        stop.set()
        if slow_results:
            status, seconds = slow_results[0]
            print(f"slow SPARQL query: HTTP {status} after {seconds:.1f} s "
                  f"(time limit {args.sparql_timeout:g} s; {len(slow_results)} finished during the run)", flush=True)
        else:
            print("slow SPARQL query: still running when the lookups finished (it was running throughout)")

        texts = phrases(home)
        prefixes = sorted({t[: 3 + i % 8] for i, t in enumerate(texts[::max(1, len(texts) // 200)])})[:200]
        prefixes += ["headahce", "chest pian", "dizzyness", "tingel"]  # typos: the fuzzy path
        complete_paths = ["/api/v1/complete?" + urllib.parse.urlencode({"q": p}) for p in prefixes]
        rows.append(report("autocomplete, 1 client, cold", *run_clients(port, complete_paths, 1, len(complete_paths))))
        search_paths = ["/search?" + urllib.parse.urlencode({"q": p}) for p in phrases(home)[:200]]
        rows.append(report("result page, 8 clients", *run_clients(port, search_paths, args.clients, 25)))

        first, beside = rows[0], rows[1]
        ok = first["per_second"] >= 500 and first["p99_ms"] < 50 and beside["p99_ms"] < 100
        print(f"targets (≥500 lookups/s, p99 < 50 ms; p99 < 100 ms beside a slow query): {'met' if ok else 'NOT met'}")
        if args.json:
            with open(args.json, "w", encoding="utf-8") as out:
                json.dump(rows, out, indent=2)
        return 0 if ok else 1
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())

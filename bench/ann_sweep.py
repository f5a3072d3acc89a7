"""Sweep the matching graph's parameters on the benchmark's synthetic corpus: recall@10 against
exact search and graph search time, per graph configuration and search expansion.

The corpus, the queries and the exact top 10 are made once (`upland.bench.matching`'s
generator, seed 2018: the same items and queries as `bench/matching.py`); then for each
configuration the graph is built (`DenseIndex.from_matrix`, every core, as the benchmark and
`upland index rebuild` build it) and searched through `DenseIndex.search` (graph candidates
re-scored with the float32 cosine), at each search expansion and oversample. Recall is strict
(the exact top 10's keys) and as ann-benchmarks counts it (a result within 0.001 of the exact
10th's cosine counts). Times: build wall time, and per query the wall and CPU (thread) time
of `DenseIndex.search` alone, one thread; memory: usearch's own count for the graph.

    python bench/ann_sweep.py --rows 1000000 --configs i8:16:128 f16:16:128 f16:32:128 \
        --expansions 1024 2048 4096 --oversample 2 5

A configuration is `dtype:connectivity:expansion_add`. Rows are printed as they are measured
(a long sweep can be cut short and still has its table).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

import numpy as np
from usearch.index import Index

from upland.bench.matching import QUERIES, SEED, TIE, _embedded, corpus_vectors, query_texts
from upland.matching.dense import DenseIndex


def load() -> str:
    return "{:.1f}/{:.1f}/{:.1f}".format(*os.getloadavg())


def now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%H:%M:%S")


def exact_top10(vectors: np.ndarray, probes: np.ndarray) -> tuple[list[set[int]], np.ndarray]:
    """Each probe's exact top 10 (row numbers) and the cosine of its 10th."""
    tops: list[set[int]] = []
    tenth = np.empty(len(probes), dtype=np.float32)
    for start in range(0, len(probes), 20):
        scores = vectors @ probes[start : start + 20].T
        for j in range(scores.shape[1]):
            column = scores[:, j]
            top = np.argpartition(-column, 9)[:10]
            tops.append({int(t) for t in top})
            tenth[start + j] = column[top].min()
    return tops, tenth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--configs", nargs="+", default=["i8:16:128", "f16:16:128"])
    parser.add_argument("--expansions", nargs="+", type=int, default=[1024, 2048, 4096])
    parser.add_argument("--oversample", nargs="+", type=int, default=[2])
    parser.add_argument("--queries", type=int, default=QUERIES)
    parser.add_argument(
        "--graphs", type=Path, help="save each graph built here; a graph saved before is reused"
    )
    args = parser.parse_args()

    print(f"# {now()} UTC, load {load()}: {args.rows} items, {args.queries} queries", flush=True)
    texts = query_texts(args.queries)
    probes = _embedded(texts, f"queries-{SEED}-{len(texts)}")
    vectors = corpus_vectors(args.rows)
    keys = np.arange(args.rows, dtype=np.uint64)
    tops, tenth = exact_top10(vectors, probes)
    print(f"# {now()} UTC: corpus and exact top 10 ready", flush=True)
    header = (
        "| config (dtype:M:ef_add) | build s (load) | graph MiB | ef_search | oversample "
        "| strict | ties | search ms wall p50/p95 | CPU ms p50 | load |"
    )
    print(header)
    print("|---" * 10 + "|", flush=True)
    for config in args.configs:
        dtype, connectivity, expansion_add = config.split(":")
        load_before = load()
        started = time.perf_counter()
        saved = (
            args.graphs / f"{args.rows}-{config.replace(':', '-')}.usearch" if args.graphs else None
        )
        if saved is not None and saved.exists():
            index = DenseIndex.from_matrix(keys[:0], vectors[:0], exact_below=1)
            index._graph = Index.restore(str(saved), view=True)
            index._graph_keys = set(range(args.rows))
            index._base_keys, index._base = keys, vectors
            build = "saved"
        else:
            index = DenseIndex.from_matrix(
                keys,
                vectors,
                exact_below=1,
                build_threads=0,
                dtype=dtype,
                connectivity=int(connectivity),
                expansion_add=int(expansion_add),
            )
            built = time.perf_counter() - started
            build = f"{built:.0f} ({load_before}→{load()})"
            if saved is not None:
                saved.parent.mkdir(parents=True, exist_ok=True)
                index._graph.save(str(saved))
        graph_mib = index._graph.memory_usage / 2**20
        for expansion in args.expansions:
            index.expansion_search = expansion
            index._graph.expansion_search = expansion
            for oversample in args.oversample:
                index.oversample = oversample
                for probe in probes[:10]:  # warm up
                    index.search(probe, 10)
                hits = near = 0
                walls, cpus = [], []
                for probe, truth, last in zip(probes, tops, tenth, strict=True):
                    wall, cpu = time.perf_counter(), time.thread_time()
                    found = index.search(probe, 10)
                    cpus.append(time.thread_time() - cpu)
                    walls.append(time.perf_counter() - wall)
                    hits += len(truth & {int(key) for key, _ in found})
                    near += sum(1 for _, score in found if score >= last - TIE)
                walls.sort()
                cpus.sort()
                n = len(walls)
                print(
                    f"| {config} | {build} | {graph_mib:.0f} | {expansion} | {oversample} "
                    f"| {hits / (10 * n):.3f} | {near / (10 * n):.3f} "
                    f"| {walls[n // 2] * 1000:.1f} / {walls[int(0.95 * n)] * 1000:.1f} "
                    f"| {cpus[n // 2] * 1000:.1f} | {load()} |",
                    flush=True,
                )
        del index
    print(f"# {now()} UTC, load {load()}: done", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()

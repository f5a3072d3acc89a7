"""`upland bench matching`: the matching index at 10 000 and 100 000 items (1 000 000 with
`--rows 1000000`), fixed seed.

Per size: index build time (BM25 over the shared analyser; the usearch graph), memory of the
process holding the index, single-query latency p50/p95 end to end (the query text embedded by
the default sentence model, both candidate lists, fusion) on the approximate path against the
exact numpy path (the baseline), batched throughput of the graph, and recall@10 of the graph
against exact search measured in the same run. Apart: embedding throughput of the default
embedder on short texts.

The corpus texts are generated from a trade vocabulary in both languages (30–80 words each);
the corpus vectors are synthetic (clustered unit vectors of the model's dimension, as real
item vectors cluster by trade) because embedding 100 000 texts at ~1 600/s would make the
benchmark measure the embedder for minutes; query vectors come from the real model.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from upland.bench.harness import Report, in_child, machine, measure, number, peak_rss_kib

SEED = 2018
SIZES = (10_000, 100_000)
DIMENSION = 512
CLUSTERS = 400
QUERIES = 200
REPEAT = 200
COLUMNS = ("Items", "Figure", "Upland", "Baseline", "Ratio")
TARGETS = {100_000: 20.0, 1_000_000: 50.0}  # p95 ms end to end

WORDS = """
spawanie spawania zrobotyzowane ram stalowych konstrukcji obróbka obróbki skrawaniem
frezowanie toczenie wałów tulei korpusów odlewy odlewów aluminiowych żeliwnych tłoczenie
blach cięcie laserowe gięcie malowanie proszkowe cynkowanie wiązki elektryczne przewodów
montaż foteli kabin uszczelki gumowo-metalowe formy wtryskowe tłoczniki przyrządy kontrolne
pomiary certyfikat ISO 9001 IATF 16949 EN 15085 AS 9100 pojazdy szynowe lotnicze rolnicze
maszyny przyczepy autobusy serie prototypy badania laboratorium politechnika welding robotic
steel frames machining turning milling shafts castings aluminium iron stamping sheet metal
laser cutting bending powder coating galvanising harnesses cables seat assembly rubber seals
moulds dies fixtures inspection measurement certified railway aerospace agricultural
machinery trailers buses series prototypes testing laboratory university research capacity
hours
""".split()  # noqa: SIM905
QUERY_TEXTS = (
    "spawanie zrobotyzowane ram stalowych",
    "who can do robotic welding of steel frames?",
    "odlewy aluminiowe z certyfikatem IATF 16949",
    "laser cutting and bending of sheet metal near Lublin",
    "obróbka skrawaniem wałów i tulei",
    "powder coating capacity for trailer frames",
    "laboratorium badań zmęczeniowych",
    "wiązki elektryczne do autobusów",
)


RARE_WORDS = 30_000  # made-up words after the trade words: a long tail, as real texts have
SYLLABLES = """
ka ro mi te sz ow an el pr st ni ko la wa de zy ur in ex on
""".split()  # noqa: SIM905


def vocabulary(seed: int = SEED) -> np.ndarray:
    rng = np.random.default_rng(seed + 4)
    made_up = ["".join(rng.choice(SYLLABLES, size=3)) for _ in range(RARE_WORDS)]
    return np.array(WORDS + made_up)


def corpus_texts(n: int, seed: int = SEED) -> list[str]:
    """Texts of 30-80 words drawn with Zipf-like frequencies (rank^-1.1) from the trade words
    followed by a long tail of made-up ones."""
    rng = np.random.default_rng(seed)
    words = vocabulary(seed)
    weights = 1.0 / np.arange(1, len(words) + 1) ** 1.1
    weights /= weights.sum()
    lengths = rng.integers(30, 81, size=n)
    drawn = rng.choice(len(words), size=int(lengths.sum()), p=weights)
    texts, start = [], 0
    for length in lengths:
        texts.append(" ".join(words[drawn[start : start + length]]))
        start += int(length)
    return texts


def corpus_vectors(n: int, seed: int = SEED) -> np.ndarray:
    rng = np.random.default_rng(seed + 1)
    centres = rng.standard_normal((CLUSTERS, DIMENSION)).astype(np.float32)
    members = rng.integers(0, CLUSTERS, size=n)
    vectors = centres[members] + 0.8 * rng.standard_normal((n, DIMENSION)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def run_size(n: int, repeat: int) -> dict[str, Any]:
    """One size, in a process of its own (its peak memory is the index's)."""
    from upland.matching.dense import DenseIndex
    from upland.matching.engine import rank
    from upland.matching.index import MatchIndex, dense_key
    from upland.matching.lexical import terms
    from upland.textkit.embedding import get_embedder

    embedder = get_embedder()
    queries = [QUERY_TEXTS[i % len(QUERY_TEXTS)] for i in range(QUERIES)]
    query_vectors = embedder.embed(list(QUERY_TEXTS))
    before = peak_rss_kib()
    texts, vectors = corpus_texts(n), corpus_vectors(n)
    started = time.perf_counter()
    index = MatchIndex(embedder.name, DIMENSION, exact_below=10**9)
    for i, text in enumerate(texts):
        index.lexical.add(("organisation", i), terms(text))
        index.languages[("organisation", i)] = "pl+en"
    lexical_s = time.perf_counter() - started
    exact = DenseIndex(DIMENSION, exact_below=10**9)
    for i, vector in enumerate(vectors):
        exact.put(dense_key(("organisation", i)), vector)
    started = time.perf_counter()
    graph = DenseIndex(DIMENSION, exact_below=1, build_threads=0)
    for i, vector in enumerate(vectors):
        graph._delta.put(dense_key(("organisation", i)), vector)
    graph.rebuild()
    graph_s = time.perf_counter() - started
    memory_mib = (peak_rss_kib() - before) / 1024
    # recall@10 of the graph against exact search, on perturbed corpus vectors
    rng = np.random.default_rng(SEED + 2)
    probes = vectors[rng.integers(0, n, size=QUERIES)] + 0.3 * rng.standard_normal(
        (QUERIES, DIMENSION)
    ).astype(np.float32)
    hits = 0
    for probe in probes:
        truth = {k for k, _ in exact.search(probe, 10)}
        hits += len(truth & {k for k, _ in graph.search(probe, 10)})
    recall = hits / (10 * QUERIES)
    started = time.perf_counter()
    graph._graph.search(probes, 10, threads=1)
    batched = QUERIES / (time.perf_counter() - started)
    counter = {"i": 0}

    def end_to_end(dense: DenseIndex) -> Any:
        def call() -> object:
            text = queries[counter["i"] % len(queries)]
            counter["i"] += 1
            vector = embedder.embed([text])[0]
            index.dense = dense
            return rank(index, vector, terms(text), "pl")

        return call

    ann = measure(end_to_end(graph), repeat)
    exact_latency = measure(end_to_end(exact), max(repeat // 4, 20))
    embed_only = measure(lambda: embedder.embed([queries[0]]), repeat)
    return {
        "lexical_s": lexical_s,
        "graph_s": graph_s,
        "memory_mib": memory_mib,
        "recall": recall,
        "batched_qps": batched,
        "ann_p50": ann.p50,
        "ann_p95": ann.p95,
        "exact_p50": exact_latency.p50,
        "exact_p95": exact_latency.p95,
        "embed_p50": embed_only.p50,
        "query_vectors": len(query_vectors),
    }


def embedding_throughput(count: int = 2000) -> float:
    from upland.textkit.embedding import get_embedder

    embedder = get_embedder()
    texts = [" ".join(t.split()[:8]) for t in corpus_texts(count, SEED + 3)]
    embedder.embed(texts[:64])
    started = time.perf_counter()
    embedder.embed(texts)
    return count / (time.perf_counter() - started)


def main(
    rows: int | None = None,
    database_url: str | None = None,
    quiet: bool = False,
    markdown: Path | None = None,
    repeat: int = REPEAT,
) -> dict[str, Report]:
    """Every size of SIZES (or only `rows`); `database_url` is not used (no database)."""
    sizes = (rows,) if rows else SIZES
    print(
        f"matching index: synthetic corpora of {', '.join(number(n) for n in sizes)} items "
        f"(seed {SEED}); approximate (usearch) against exact (numpy) search; {machine()}"
    )
    report = Report("Matching index", COLUMNS)
    rate = embedding_throughput()
    report.line(
        f"embedding: {rate:.0f} short texts/s (target >= 1000)",
        "-",
        "embedding throughput (short texts/s)",
        f"{rate:.0f}",
        "-",
        "-",
    )
    for n in sizes:
        if not quiet:
            print(f"building {number(n)} items…", file=sys.stderr, flush=True)
        r = in_child(run_size, n, repeat)
        size = number(n)
        target = TARGETS.get(n)
        note = f" (target p95 < {target:.0f} ms)" if target else ""
        ratio = r["exact_p95"] / r["ann_p95"] if r["ann_p95"] else 0.0
        lines = [
            ("BM25 build", f"{r['lexical_s']:.1f} s", "-"),
            ("graph build", f"{r['graph_s']:.1f} s", "-"),
            ("index memory", f"{r['memory_mib']:.0f} MiB", "-"),
            ("query p50 end to end", f"{r['ann_p50']:.1f} ms", f"{r['exact_p50']:.1f} ms"),
            (f"query p95 end to end{note}", f"{r['ann_p95']:.1f} ms", f"{r['exact_p95']:.1f} ms"),
            ("of which embedding the query, p50", f"{r['embed_p50']:.1f} ms", "-"),
            ("graph batched throughput", f"{r['batched_qps']:.0f} q/s", "-"),
            ("graph recall@10 vs exact", f"{r['recall']:.3f}", "1.000"),
        ]
        for figure, ours, baseline in lines:
            shown = f"{ratio:.1f}x" if figure.startswith("query p95") else "-"
            report.line(
                f"{size:>9} {figure:<48} {ours:>10}  exact: {baseline:>9}  {shown}",
                size,
                figure,
                ours,
                baseline,
                shown,
            )
    if markdown is not None:
        from upland.bench.harness import write_section

        write_section(markdown, "matching", f"{machine()}\n\n{report.markdown()}")
    return {"memory": report}

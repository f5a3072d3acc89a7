"""`upland bench matching`: the matching index at 10 000 and 100 000 items (1 000 000 with
`--rows 1000000`), fixed seed.

Per size: index build time (BM25 over the shared analyser; the usearch graph), memory of the
process holding the index, single-query latency p50/p95 end to end (the query text embedded by
the default sentence model, both candidate lists, fusion) on the approximate path against the
exact numpy path (the baseline), batched throughput of the graph, and recall@10 of the
approximate path against exact search measured in the same run. Apart: embedding throughput of
the default embedder on short texts.

The corpus texts are generated from a trade vocabulary in both languages (30–80 words each).
The corpus vectors live in the model's own space without embedding every text (which would
make the benchmark measure the embedder for minutes to hours): `BASE_TEXTS` texts of the same
generator are embedded by the default model, and each item's vector is a mixture of two of
them (weights 1 and 0–0.7) plus isotropic noise of norm `NOISE`, normalised. The queries
(recall and latency alike) are short texts of the same vocabulary embedded by the model, so
they stand to the items as real queries to real profiles. Recall is that of `DenseIndex.search`
(graph candidates re-scored exactly) against the exact product, for the top 10 alone and for
the 200 candidates the engine asks for; and, as ann-benchmarks counts it, with a result as near
as the exact 10th (cosine within 0.001) counted as found: the mixtures of 2 000 base texts
hold many near-ties, where which of two equally near items is "the" 10th says nothing of
the graph.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from upland.bench.harness import Report, in_child, machine, measure, number, peak_rss_kib

SEED = 2018
SIZES = (10_000, 100_000)
DIMENSION = 512
BASE_TEXTS = 2_000  # embedded corpus texts the item vectors are mixed from
NOISE = 0.3  # norm of the isotropic noise added to each mixture (before normalising)
QUERIES = 200
POOL = 200  # candidates the engine takes from the dense side (engine.POOL)
TIE = 1e-3  # ann-benchmarks' tolerance on the 10th distance for its recall
REPEAT = 200
READABLE_ONE_IN = 16  # a member's ask: the share of items they may open
Readable = Callable[[set[tuple[str, int]]], set[tuple[str, int]]]  # the keys a reader may open
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


def _embedded(texts: list[str], name: str) -> np.ndarray:
    """The default model's vectors of `texts`, kept in the cache folder under `name`."""
    from upland.settings import get_settings
    from upland.textkit.embedding import get_embedder

    embedder = get_embedder()
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in embedder.name)
    path = Path(get_settings().cache_dir) / f"bench-matching-{name}-{safe}.npy"
    if path.exists():
        cached = np.load(path)
        if cached.shape == (len(texts), embedder.dimension):
            return np.asarray(cached, dtype=np.float32)
    vectors = embedder.embed(texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def base_vectors(count: int = BASE_TEXTS, seed: int = SEED) -> np.ndarray:
    """The embedded corpus texts every item vector is mixed from."""
    return _embedded(corpus_texts(count, seed + 5), f"base-{seed}-{count}")


def query_texts(count: int = QUERIES, seed: int = SEED) -> list[str]:
    """Short queries (3–8 words) of the corpus's vocabulary, after the hand-written ones."""
    rng = np.random.default_rng(seed + 6)
    words = vocabulary(seed)[: len(WORDS)]
    texts = list(QUERY_TEXTS)
    while len(texts) < count:
        size = int(rng.integers(3, 9))
        texts.append(" ".join(words[rng.choice(len(words), size=size, replace=False)]))
    return texts[:count]


def corpus_vectors(n: int, seed: int = SEED, base: np.ndarray | None = None) -> np.ndarray:
    """`n` unit vectors: base vector a + w x base vector b + noise (w in 0–0.7), normalised."""
    mixed = base_vectors(min(BASE_TEXTS, max(n, 2)), seed) if base is None else base
    rng = np.random.default_rng(seed + 1)
    out = np.empty((n, mixed.shape[1]), dtype=np.float32)
    for start in range(0, n, 50_000):
        size = min(50_000, n - start)
        a, b = rng.integers(0, len(mixed), size=(2, size))
        weight = rng.uniform(0.0, 0.7, size=(size, 1)).astype(np.float32)
        noise = rng.standard_normal((size, mixed.shape[1]), dtype=np.float32)
        noise *= NOISE / np.sqrt(mixed.shape[1])
        chunk = mixed[a] + weight * mixed[b] + noise
        chunk /= np.linalg.norm(chunk, axis=1, keepdims=True)
        out[start : start + size] = chunk
    return out


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _recall(exact: Any, graph: Any, probes: np.ndarray, k: int) -> tuple[float, float]:
    """Of the approximate path's first 10 (of `k` asked): the share of the exact top 10 it
    found, and the share as ann-benchmarks counts it — a result counts when its cosine is
    within `TIE` of the exact 10th's, so an item as near as the 10th that lost a near-tie is
    not a miss (the graph's results are re-scored exactly, so their scores are exact)."""
    hits = near = 0
    for probe in probes:
        truth = exact.search(probe, 10)
        found = graph.search(probe, k)[:10]
        hits += len({key for key, _ in truth} & {key for key, _ in found})
        near += sum(1 for _, score in found if score >= truth[-1][1] - TIE)
    return hits / (10 * len(probes)), near / (10 * len(probes))


def cpu_times(call: Any, repeat: int, warm_up: int = 10) -> tuple[float, float]:
    """p50 and p95 in ms of the CPU time of `repeat` calls (this thread's: what a call costs
    without the time it waits for a core, which on a shared host is most of the wall time)."""
    for _ in range(warm_up):
        call()
    samples = []
    for _ in range(repeat):
        started = time.thread_time()
        call()
        samples.append((time.thread_time() - started) * 1000)
    ordered = sorted(samples)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def run_size(n: int, repeat: int, lexical: bool = True) -> dict[str, Any]:
    """One size, in a process of its own (its peak memory is the index's); without `lexical`
    the BM25 side stays empty (a query is embedded, searched densely and fused alone)."""
    from upland.matching.bilingual import reference_texts
    from upland.matching.dense import DenseIndex
    from upland.matching.engine import rank
    from upland.matching.index import MEMBERS, MatchIndex, Reach, dense_key
    from upland.matching.lexical import terms
    from upland.matching.lexicon import Lexicon
    from upland.textkit.embedding import get_embedder

    embedder = get_embedder()
    lexicon = Lexicon.learn(reference_texts())  # as served, less the catalogue's own pairs
    queries = query_texts()
    probes = _embedded(queries, f"queries-{SEED}-{len(queries)}")
    before = peak_rss_kib()
    texts, vectors = corpus_texts(n) if lexical else [], corpus_vectors(n)
    started = time.perf_counter()
    index = MatchIndex(embedder.name, DIMENSION, exact_below=10**9)
    for i, text in enumerate(texts):
        index.lexical.add(("organisation", i), terms(text))
        index.languages[("organisation", i)] = "pl+en"
    # The rows' flags: a member may open one item in READABLE_ONE_IN (`_one_in`).
    for i in range(n):
        index.set_readers(("organisation", i), MEMBERS * (i % READABLE_ONE_IN == 0))
    index.lexical.prepare()
    del texts
    lexical_s = time.perf_counter() - started
    keys = np.array([dense_key(("organisation", i)) for i in range(n)], dtype=np.uint64)
    exact = DenseIndex.from_matrix(keys, vectors, exact_below=10**9)
    started = time.perf_counter()
    graph = DenseIndex.from_matrix(keys, vectors, exact_below=1, build_threads=0)
    graph_s = time.perf_counter() - started
    memory_mib = (peak_rss_kib() - before) / 1024
    lexical_load_s = _saved_lexical_load(index.lexical) if lexical else 0.0  # after the memory
    recall, recall_ties = _recall(exact, graph, probes, 10)
    recall_pool, _ = _recall(exact, graph, probes, POOL)
    started = time.perf_counter()
    graph._graph.search(probes, 10 * graph.oversample, threads=1)  # at the graph's expansion
    batched = len(probes) / (time.perf_counter() - started)
    counter = {"i": 0}

    def end_to_end(
        dense: DenseIndex, readable: Readable | None = None, reach: Reach | None = None
    ) -> Any:
        def call() -> object:
            text = queries[counter["i"] % len(queries)]
            counter["i"] += 1
            vector = embedder.embed([text])[0]
            index.dense = dense
            words = terms(text) + lexicon.translate(text)
            return rank(index, vector, words, "pl", readable=readable, reach=reach)

        return call

    ann = measure(end_to_end(graph), repeat)
    # A member's ask when only one item in `READABLE_ONE_IN` is theirs to open (the demo:
    # 16 of 294 opportunities public): the searches narrowed to the items the rows' flags let
    # a member open, as served (`engine.reach_of`), and, the baseline, walking past the others
    # (each side's pool widens until enough are readable).
    member = measure(end_to_end(graph, _one_in(READABLE_ONE_IN), Reach(MEMBERS)), repeat)
    walking = measure(end_to_end(graph, _one_in(READABLE_ONE_IN)), max(repeat // 4, 20))
    ann_cpu = cpu_times(end_to_end(graph), repeat)
    exact_cpu = cpu_times(end_to_end(exact), max(repeat // 4, 20))
    exact_latency = measure(end_to_end(exact), max(repeat // 4, 20))
    embed_only = measure(lambda: embedder.embed([queries[0]]), repeat)
    return {
        "lexical_s": lexical_s,
        "lexical_load_s": lexical_load_s,
        "graph_s": graph_s,
        "memory_mib": memory_mib,
        "recall": recall,
        "recall_pool": recall_pool,
        "recall_ties": recall_ties,
        "batched_qps": batched,
        "member_p50": member.p50,
        "member_p95": member.p95,
        "walking_p50": walking.p50,
        "walking_p95": walking.p95,
        "ann_p50": ann.p50,
        "ann_p95": ann.p95,
        "exact_p50": exact_latency.p50,
        "exact_p95": exact_latency.p95,
        "ann_cpu": ann_cpu,
        "exact_cpu": exact_cpu,
        "embed_p50": embed_only.p50,
        "graph": "{dtype}, connectivity {connectivity}, expansion {expansion_add}/"
        "{expansion_search}, oversample {oversample}".format(**graph.graph_parameters()),
    }


def _one_in(every: int) -> Readable:
    """The reader's rule of a member who may open one item in `every` (no database: the
    visibility query's own cost is not in the figure)."""

    def readable(keys: set[tuple[str, int]]) -> set[tuple[str, int]]:
        return {key for key in keys if key[1] % every == 0}

    return readable


def _saved_lexical_load(built: Any) -> float:
    """Seconds another process takes to map the BM25 index saved with a graph (instead of
    analysing every text again, the build's figure)."""
    import tempfile

    from upland.matching.index import dense_key, item_key
    from upland.matching.lexical import Bm25Index

    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "bench.bm25"
        built.save(prefix, dense_key)  # keys as the engine saves them (`MatchIndex.save_graph`)
        started = time.perf_counter()
        loaded = Bm25Index.load(prefix, decode=item_key)
        seconds = time.perf_counter() - started
        assert len(loaded) == len(built)
        return seconds


def embedding_throughput(count: int = 2000) -> tuple[float, float]:
    """Short texts embedded per second of wall time as the index's jobs embed them
    (`embed_bulk`: every core's BLAS thread), and as a query is embedded (`embed`: one
    thread, the baseline)."""
    from upland.textkit.embedding import embed_bulk, get_embedder

    embedder = get_embedder()
    texts = [" ".join(t.split()[:8]) for t in corpus_texts(count, SEED + 3)]
    embedder.embed(texts[:64])
    started = time.perf_counter()
    embed_bulk(embedder, texts)
    bulk = count / (time.perf_counter() - started)
    started = time.perf_counter()
    embedder.embed(texts)
    return bulk, count / (time.perf_counter() - started)


def main(
    rows: int | None = None,
    database_url: str | None = None,
    quiet: bool = False,
    markdown: Path | None = None,
    repeat: int = REPEAT,
    dense_only: bool = False,
) -> dict[str, Report]:
    """Every size of SIZES (or only `rows`); `database_url` is not used (no database);
    `dense_only` leaves BM25 out (a quicker run; its CSR index fits a million since 4 Dec)."""
    sizes = (rows,) if rows else SIZES
    print(
        f"matching index: synthetic corpora of {', '.join(number(n) for n in sizes)} items "
        f"(seed {SEED}); approximate (usearch) against exact (numpy) search; {machine()}"
    )
    report = Report("Matching index", COLUMNS)
    rate, one_thread = embedding_throughput()
    report.line(
        f"embedding: {rate:.0f} short texts/s as the index's jobs embed (target >= 1000); "
        f"{one_thread:.0f}/s on one thread as a query is embedded (baseline, "
        f"{rate / one_thread:.1f}x)",
        "-",
        "embedding throughput (short texts/s: jobs; one thread)",
        f"{rate:.0f}; {one_thread:.0f}",
        "-",
        "-",
    )
    for n in sizes:
        if not quiet:
            print(f"building {number(n)} items…", file=sys.stderr, flush=True)
        r = in_child(run_size, n, repeat, not dense_only)
        size = number(n)
        target = TARGETS.get(n)
        note = f" (target p95 < {target:.0f} ms)" if target else ""
        note += ", dense side only" if dense_only else ""
        ratio = r["exact_p95"] / r["ann_p95"] if r["ann_p95"] else 0.0
        lines = [
            ("graph parameters", r["graph"], "-"),
            ("BM25 build", f"{r['lexical_s']:.1f} s", "-"),
            ("BM25 mapped from its save (another process)", f"{r['lexical_load_s']:.2f} s", "-"),
            ("graph build", f"{r['graph_s']:.1f} s", "-"),
            ("index memory", f"{r['memory_mib']:.0f} MiB", "-"),
            ("query p50 end to end", f"{r['ann_p50']:.1f} ms", f"{r['exact_p50']:.1f} ms"),
            (f"query p95 end to end{note}", f"{r['ann_p95']:.1f} ms", f"{r['exact_p95']:.1f} ms"),
            (
                "query CPU time p50 / p95 end to end",
                "{:.1f} / {:.1f} ms".format(*r["ann_cpu"]),
                "{:.1f} / {:.1f} ms".format(*r["exact_cpu"]),
            ),
            ("of which embedding the query, p50", f"{r['embed_p50']:.1f} ms", "-"),
            (
                f"member's ask p50 / p95, 1 item in {READABLE_ONE_IN} readable (vs all readable)",
                f"{r['member_p50']:.1f} / {r['member_p95']:.1f} ms",
                f"{r['ann_p50']:.1f} / {r['ann_p95']:.1f} ms",
            ),
            (
                "the same ask walking past the unreadable (vs narrowed)",
                f"{r['walking_p50']:.1f} / {r['walking_p95']:.1f} ms",
                f"{r['member_p50']:.1f} / {r['member_p95']:.1f} ms",
            ),
            ("graph batched throughput", f"{r['batched_qps']:.0f} q/s", "-"),
            ("recall@10 vs exact (top 10 asked)", f"{r['recall']:.3f}", "1.000"),
            (
                f"recall@10, ties within {TIE:g} of the 10th (ann-benchmarks)",
                f"{r['recall_ties']:.3f}",
                "1.000",
            ),
            (
                f"recall@10 vs exact ({POOL} asked, as the engine)",
                f"{r['recall_pool']:.3f}",
                "1.000",
            ),
        ]
        member_ratio = r["member_p95"] / r["ann_p95"] if r["ann_p95"] else 0.0
        walking_ratio = r["walking_p95"] / r["member_p95"] if r["member_p95"] else 0.0
        for figure, ours, baseline in lines:
            shown = f"{ratio:.1f}x" if figure.startswith("query p95") else "-"
            against = "exact"
            if figure.startswith("member's ask"):
                shown, against = f"{member_ratio:.1f}x", "all readable"
            if figure.startswith("the same ask walking"):
                shown, against = f"{walking_ratio:.1f}x slower", "narrowed"
            report.line(
                f"{size:>9} {figure:<48} {ours:>10}  {against}: {baseline:>9}  {shown}",
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

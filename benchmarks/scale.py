"""Throughput and peak memory of ``framelens process`` at 1k, 10k and 100k articles.

Corpora come from ``benchmarks/generate_corpus.py`` (real sentences and paragraphs of the
shipped corpus, resampled, with page furniture, outlets and dates). Every step runs the whole
flow (read, clean, segment, mentions, scoring, article scores, writing the tables) in a fresh
Python process, while this process samples the resident memory of that process and all its
children every 0.1 s, so ``peak_mb`` covers the driver and its workers together.

Steps (``--plan default``):

* per scorer (lexicon and embedding stance; dictionary and embedding frames), the local
  engine with ``--jobs`` workers at every size up to ``--all-scorers-max`` (10k), and the
  lexicon scorer at every size (100k included);
* the lexicon scorer with one job (the ``--jobs 2`` speed-up), on the Dask engine (a
  two-worker ``LocalCluster`` started for the run; its tables must have the local engine's
  bytes), and through the in-memory path (``ingest`` + ``score_corpus``), up to 10k;
* the naive baseline, up to ``--naive-max`` (1k): the same work written as a straightforward
  loop, one article and then one sentence at a time through the public functions
  (``clean_article``, ``segment_text``, ``find_mentions``, ``score_stance``,
  ``article_scores``); ratios are against it, measured in the same run.

``--plan full`` runs every scorer and engine at every size (hours on two cores).

A profile of the stages (where the time of one job goes) is taken on the 1k corpus.

Usage: ``python benchmarks/scale.py [--sizes 1000,10000,100000] [--jobs 2]`` writes
``benchmarks/RESULTS.md`` and ``benchmarks/results/scale.csv``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

SCORERS = {  # name -> (stance scorers, frame scorers)
    "lexicon": (["lexicon"], []),
    "embedding": (["embedding"], []),
    "dictionary": ([], ["dictionary"]),
    "embedding_frames": ([], ["embedding"]),
}
PARTITION_SIZE = 500


# ----------------------------------------------------------------------------- one step
def run_step(step: dict, corpus: Path, out: Path) -> dict:
    """Run one step in this process; return its seconds and what it produced."""
    stance, frames = SCORERS[step["scorer"]]
    start = time.perf_counter()
    if step["engine"] == "naive":
        result = naive_loop(corpus, stance, frames)
    elif step["engine"] == "in-memory":
        result = in_memory(corpus, stance, frames)
    else:
        from framelens.runs.process import process_corpus

        summary = process_corpus(
            corpus,
            out,
            stance_scorers=stance,
            frame_scorers=frames,
            engine=step["engine"],
            jobs=step["jobs"],
            partition_size=PARTITION_SIZE,
            reuse=False,
        )
        result = {
            "sentences": summary["sentences"],
            "article_scores": summary["rows"]["article_scores"],
            "checksums": (out / "checksums.sha256").read_text(),
        }
    return {**result, "seconds": time.perf_counter() - start}


def in_memory(corpus: Path, stance: list, frames: list) -> dict:
    """ingest + score_corpus: every table of the corpus in memory at once."""
    from framelens.runs.scoring import score_corpus
    from framelens.scorers.build import build_scorer
    from framelens.text.ingest import ingest

    sentences = ingest(corpus, n_jobs=1).sentences
    tables = score_corpus(
        sentences,
        stance_scorer=build_scorer("stance", stance[0]) if stance else _NoStance(),
        frame_scorer=build_scorer("frame", frames[0]) if frames else None,
    )
    return {"sentences": len(sentences), "article_scores": len(tables["article_scores"])}


class _NoStance:
    """A stance scorer that scores nothing (score_corpus always wants one)."""

    name = "none"

    def score_stance(self, sentences, mentions):
        import pandas as pd

        from framelens.tables import STANCE

        return pd.DataFrame(columns=STANCE)


def naive_loop(corpus: Path, stance: list, frames: list) -> dict:
    """The same work as a straightforward loop: an article, then a sentence, at a time."""
    import pandas as pd

    from framelens.analysis.aggregate import article_scores
    from framelens.codebook import load_codebook
    from framelens.scorers.build import build_scorer
    from framelens.text.clean import clean_article
    from framelens.text.mentions import find_mentions
    from framelens.text.segment import MAX_TRAINING_CHARS, segment_text, train_punkt

    codebook = load_codebook()
    stance_scorer = build_scorer("stance", stance[0]) if stance else None
    frame_scorer = build_scorer("frame", frames[0]) if frames else None
    records = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    cleaned = [
        clean_article(r["text"], title=r.get("title", ""), outlet=r.get("outlet", ""))
        for r in records
    ]
    tokenizer = train_punkt((c.text for c in cleaned), max_chars=MAX_TRAINING_CHARS)
    n_sentences, n_scores = 0, 0
    for record, article in zip(records, cleaned, strict=True):
        rows, mentions, scored, framed = [], [], [], []
        for sent_id, row in enumerate(segment_text(article.text, tokenizer)):
            sentence = pd.DataFrame(
                [{"article_id": record["article_id"], "sent_id": sent_id, **row}]
            )
            found = find_mentions(sentence, codebook)
            if stance_scorer is not None and len(found):
                scored.append(stance_scorer.score_stance(sentence, found))
            if frame_scorer is not None:
                framed.append(frame_scorer.score_frames(sentence))
            rows.append(sentence)
            mentions.append(found)
        if not rows:
            continue
        sentences = pd.concat(rows, ignore_index=True)
        scores = article_scores(
            pd.concat(scored, ignore_index=True) if scored else None,
            pd.concat(framed, ignore_index=True) if framed else None,
            sentences,
            pd.concat(mentions, ignore_index=True),
        )
        n_sentences += len(sentences)
        n_scores += len(scores)
    return {"sentences": n_sentences, "article_scores": n_scores}


# ----------------------------------------------------------------------------- measuring
def measure(step: dict, corpus: Path) -> dict:
    """Run ``step`` in a fresh process; sample the memory of its process tree meanwhile."""
    import psutil

    with tempfile.TemporaryDirectory(dir=corpus.parent) as tmp:
        command = [sys.executable, __file__, "--step", json.dumps(step), "--corpus", str(corpus)]
        command += ["--out", str(Path(tmp) / "out")]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        parent = psutil.Process(child.pid)
        peak_total = peak_driver = 0
        while child.poll() is None:
            try:
                driver = parent.memory_info().rss
                total = driver + sum(c.memory_info().rss for c in parent.children(recursive=True))
            except psutil.Error:
                total = driver = 0
            peak_total, peak_driver = max(peak_total, total), max(peak_driver, driver)
            time.sleep(0.1)
        stdout, stderr = child.communicate()
        if child.returncode != 0:
            raise RuntimeError(f"step {step} failed:\n{stderr[-3000:]}")
        result = json.loads(stdout.strip().splitlines()[-1])
    return {**result, "peak_mb": peak_total / 2**20, "driver_peak_mb": peak_driver / 2**20}


def profile_stages(corpus: Path) -> list[dict]:
    """Seconds per stage of the flow on ``corpus``, one process (lexicon + dictionary)."""
    from framelens.analysis.aggregate import article_scores
    from framelens.runs.partitions import table_to_bytes
    from framelens.scorers.build import build_scorer
    from framelens.text.clean import clean_articles
    from framelens.text.mentions import find_mentions
    from framelens.text.segment import segment_articles, train_punkt
    from framelens.text.stream import iter_article_batches

    times: dict[str, float] = {}

    def timed(name, func, *args):
        start = time.perf_counter()
        value = func(*args)
        times[name] = times.get(name, 0.0) + time.perf_counter() - start
        return value

    lexicon, dictionary = build_scorer("stance", "lexicon"), build_scorer("frame", "dictionary")
    batches = timed("read (JSONL, checks)", lambda: list(iter_article_batches(corpus, 500)))
    cleaned = [timed("clean", clean_articles, b.articles) for b in batches]
    tokenizer = timed("train Punkt", train_punkt, [t for c in cleaned for t in c.articles["text"]])
    for part in cleaned:
        sentences = timed("segment", segment_articles, part.articles, tokenizer)
        mentions = timed("find mentions", find_mentions, sentences)
        stance = timed("lexicon stance", lexicon.score_stance, sentences, mentions)
        frames = timed("dictionary frames", dictionary.score_frames, sentences)
        scores = timed("article scores", article_scores, stance, frames, sentences, mentions)
        for table in (part.articles, sentences, mentions, stance, frames, scores):
            timed("encode Parquet", table_to_bytes, table)
    total = sum(times.values())
    return [
        {"stage": name, "seconds": round(s, 2), "share": f"{100 * s / total:.0f} %"}
        for name, s in sorted(times.items(), key=lambda item: -item[1])
    ]


# ----------------------------------------------------------------------------- the plan
def plan(sizes: list[int], jobs: int, full: bool, all_max: int, naive_max: int) -> list[dict]:
    steps = []
    for n in sizes:
        if n <= naive_max or full:
            steps.append({"n": n, "scorer": "lexicon", "engine": "naive", "jobs": 1})
        if n <= all_max or full:
            steps.append({"n": n, "scorer": "lexicon", "engine": "in-memory", "jobs": 1})
            steps.append({"n": n, "scorer": "lexicon", "engine": "local", "jobs": 1})
        for scorer in SCORERS:
            if scorer == "lexicon" or n <= all_max or full:
                steps.append({"n": n, "scorer": scorer, "engine": "local", "jobs": jobs})
        if n <= all_max or full:
            steps.append({"n": n, "scorer": "lexicon", "engine": "dask", "jobs": jobs})
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--plan", choices=["default", "full"], default="default")
    parser.add_argument("--all-scorers-max", type=int, default=10_000)
    parser.add_argument("--naive-max", type=int, default=1_000)
    parser.add_argument("--data", type=Path, help="folder for the generated corpora (kept)")
    parser.add_argument("--step", help=argparse.SUPPRESS)  # internal: run one step
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(json.loads(args.step), args.corpus, args.out)))
        return

    from generate_corpus import write_corpus

    sizes = [int(s) for s in args.sizes.split(",")]
    data = args.data or Path(tempfile.mkdtemp(prefix="framelens-scale-"))
    corpora = {}
    for n in sizes:
        corpora[n] = data / f"generated_{n}.jsonl"
        if not corpora[n].is_file():
            write_corpus(n, corpora[n], seed=0)
    stages = profile_stages(corpora[min(sizes)])
    rows = []
    for step in plan(sizes, args.jobs, args.plan == "full", args.all_scorers_max, args.naive_max):
        result = measure(step, corpora[step["n"]])
        row = {
            **step,
            "seconds": round(result["seconds"], 1),
            "articles_per_s": round(step["n"] / result["seconds"], 1),
            "peak_mb": round(result["peak_mb"]),
            "driver_peak_mb": round(result["driver_peak_mb"]),
            "sentences": result["sentences"],
            "article_scores": result["article_scores"],
            "checksums": result.get("checksums", ""),
            "load_1min": round(os.getloadavg()[0], 1),
        }
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if k != "checksums"}), flush=True)
    write_results(rows, stages, sizes, args)


# ----------------------------------------------------------------------------- the report
def _find(rows, **match):
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    return found[0] if found else None


def write_results(rows: list[dict], stages: list[dict], sizes: list[int], args) -> None:
    """Write benchmarks/results/scale.csv and benchmarks/RESULTS.md."""
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    fields = [k for k in rows[0] if k != "checksums"]
    with (out / "scale.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    for row in rows:  # ratios against baselines measured in the same run
        naive = _find(rows, n=row["n"], scorer=row["scorer"], engine="naive")
        naive = naive or _find(rows, n=min(sizes), scorer="lexicon", engine="naive")
        row["vs_naive"] = (
            f"{row['articles_per_s'] / naive['articles_per_s']:.1f}x"
            if naive and row["scorer"] == "lexicon"
            else ""
        )
        one = _find(rows, n=row["n"], scorer=row["scorer"], engine="local", jobs=1)
        row["vs_1_job"] = (
            f"{row['articles_per_s'] / one['articles_per_s']:.2f}x"
            if one and row["engine"] in ("local", "dask")
            else ""
        )
    header = ["n", "scorer", "engine", "jobs", "seconds", "articles_per_s", "peak_mb"]
    header += ["driver_peak_mb", "vs_naive", "vs_1_job", "load_1min"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += [
        "| "
        + " | ".join(
            f"{r[h]:,}" if isinstance(r[h], int) and h in ("n",) else str(r[h]) for h in header
        )
        + " |"
        for r in rows
    ]

    checks = []
    for n in sizes:
        local = _find(rows, n=n, scorer="lexicon", engine="local", jobs=args.jobs)
        dask = _find(rows, n=n, scorer="lexicon", engine="dask")
        if local and dask:
            same = local["checksums"] == dask["checksums"] and local["checksums"]
            checks.append(
                f"- {n:,} articles: Dask tables byte-identical to the local engine's: "
                f"{'yes' if same else 'NO'}"
            )
    lexicon = {n: _find(rows, n=n, scorer="lexicon", engine="local", jobs=args.jobs) for n in sizes}
    if len(sizes) > 1 and lexicon[sizes[-1]] and lexicon[sizes[-2]]:
        big, small = lexicon[sizes[-1]], lexicon[sizes[-2]]
        checks.append(
            f"- Peak memory (driver + workers), lexicon, {args.jobs} jobs: {big['peak_mb']} MB at "
            f"{sizes[-1]:,} vs {small['peak_mb']} MB at {sizes[-2]:,} articles: "
            f"{big['peak_mb'] / small['peak_mb']:.2f}x"
        )
    for n in sizes:
        one = _find(rows, n=n, scorer="lexicon", engine="local", jobs=1)
        two = lexicon[n]
        if one and two:
            checks.append(
                f"- `--jobs {args.jobs}` vs `--jobs 1`, lexicon, {n:,} articles: "
                f"{two['articles_per_s'] / one['articles_per_s']:.2f}x the throughput"
            )
    stage_lines = ["| stage | seconds | share |", "|---|---|---|"]
    stage_lines += [f"| {s['stage']} | {s['seconds']} | {s['share']} |" for s in stages]
    text = f"""# Scale benchmark

Written by `benchmarks/scale.py` ({platform.machine()}, {os.cpu_count()} cores, Python
{platform.python_version()}); corpora from `benchmarks/generate_corpus.py` (seed 0), partitions
of {PARTITION_SIZE} articles. Every step ran in a fresh process; `peak_mb` is the largest
resident memory of that process and all its workers together (sampled every 0.1 s),
`driver_peak_mb` that of the driver alone. `vs_naive` is the throughput against the naive
per-sentence loop (lexicon scorer) measured in the same run, `vs_1_job` against the local engine
with one job at the same size and scorer. `load_1min` is the machine's load average after the
step: above the core count, something else shared the cores.

## Results

{chr(10).join(lines)}

## Checks

{chr(10).join(checks)}

## Where the time goes

One process, lexicon stance and dictionary frames, the {min(sizes):,}-article corpus:

{chr(10).join(stage_lines)}
"""
    (ROOT / "benchmarks" / "RESULTS.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()

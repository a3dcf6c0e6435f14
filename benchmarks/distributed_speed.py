"""Batch-wise processing (``process_corpus``) against the in-memory path, on one machine.

The corpus is the seed articles repeated ``--repeat`` times (default 400, so 2,000 articles) as
one JSONL file. Every step runs the whole flow (read, clean, segment, mentions, lexicon stance,
dictionary frames, article scores) and runs in a fresh Python process, so that its peak memory
is its own:

* ``in-memory`` (the baseline): ``ingest(n_jobs=1)`` then ``score_corpus``, all tables in memory;
* ``process_corpus, synchronous``: batches one after another in the same process;
* ``process_corpus, processes``: batches on dask's local process scheduler with ``--workers``
  worker processes.

Reported: seconds, articles/s and peak RSS (the driver process, and the largest worker process),
with time and memory as ratios to the baseline measured in the same run; use the ratios, since
absolute numbers depend on the machine and its load.

Each step runs ``--runs`` times (default 2) and the fastest run is reported, since the machine
may be shared.

Usage: ``python benchmarks/distributed_speed.py [--repeat 400] [--batch-size 250] [--workers 2]``
writes ``benchmarks/results/distributed_speed.{md,csv}``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "pakistan_russia"


def build_corpus(path: Path, repeat: int) -> int:
    """Write the seed articles ``repeat`` times (unique ids) as JSONL; return the count."""
    from framelens.corpus import read_corpus

    articles = read_corpus(SEEDS).articles
    with path.open("w") as handle:
        for copy in range(repeat):
            for row in articles.itertuples():
                handle.write(
                    json.dumps(
                        {
                            "article_id": f"{copy:05d}-{row.article_id}",
                            "outlet": row.outlet,
                            "outlet_type": row.outlet_type,
                            "title": row.title,
                            "text": row.text,
                        }
                    )
                    + "\n"
                )
    return repeat * len(articles)


def run_step(step: str, corpus: Path, out: Path, batch_size: int, workers: int) -> dict:
    """One step, timed in this process (imports excluded, worker start-up included)."""
    from framelens.distributed import process_corpus
    from framelens.ingest import ingest
    from framelens.scoring import build_scorer, score_corpus

    start = time.perf_counter()
    if step == "in-memory":
        sentences = ingest(corpus, n_jobs=1).sentences
        tables = score_corpus(
            sentences,
            stance_scorer=build_scorer("stance", "lexicon"),
            frame_scorer=build_scorer("frame", "dictionary"),
        )
        n_sentences, n_scores = len(sentences), len(tables["article_scores"])
    else:
        summary = process_corpus(
            corpus, out, scheduler=step, n_workers=workers, batch_size=batch_size
        )
        n_sentences, n_scores = summary["sentences"], summary["rows"]["article_scores"]
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "sentences": n_sentences,
        "article_scores": n_scores,
        "driver_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=400)
    parser.add_argument("--batch-size", type=int, default=250)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=2, help="runs per step; the fastest counts")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--step", help=argparse.SUPPRESS)  # internal: run one step, print JSON
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        with tempfile.TemporaryDirectory() as tmp:
            result = run_step(
                args.step, args.corpus, Path(tmp) / "out", args.batch_size, args.workers
            )
        print(json.dumps(result))
        return

    steps = [
        ("in-memory", "in-memory (baseline)"),
        ("synchronous", "process_corpus, synchronous"),
        ("processes", f"process_corpus, processes ({args.workers} workers)"),
    ]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "seeds.jsonl"
        n = build_corpus(corpus, args.repeat)
        for step, label in steps:
            command = [
                sys.executable,
                __file__,
                "--step",
                step,
                "--corpus",
                str(corpus),
                "--batch-size",
                str(args.batch_size),
                "--workers",
                str(args.workers),
            ]
            runs = []
            for _ in range(args.runs):
                done = subprocess.run(command, check=True, capture_output=True, text=True)
                runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            result = min(runs, key=lambda r: r["seconds"])
            rows.append(
                {
                    "step": label,
                    "articles": n,
                    "sentences": result["sentences"],
                    "article_scores": result["article_scores"],
                    "seconds": round(result["seconds"], 2),
                    "articles_per_s": round(n / result["seconds"], 1),
                    "driver_peak_mb": round(result["driver_mb"]),
                    "worker_peak_mb": round(result["worker_mb"]) or "",
                    "load_avg_1min": round(result["load"], 1),
                }
            )
    base = rows[0]
    for row in rows:
        row["speed_vs_in_memory"] = round(row["articles_per_s"] / base["articles_per_s"], 2)
        row["driver_peak_vs_in_memory"] = round(row["driver_peak_mb"] / base["driver_peak_mb"], 2)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "distributed_speed.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(str(v) for v in row.values()) + " |" for row in rows]
    (args.out / "distributed_speed.md").write_text(
        "# Batch-wise processing speed\n\n"
        f"Written by `benchmarks/distributed_speed.py`: seeds repeated {args.repeat} times as "
        f"JSONL ({n} articles), batches of {args.batch_size}, {os.cpu_count()} cores, fastest of "
        f"{args.runs} runs per step, "
        f"{platform.machine()} / Python {platform.python_version()}. Each step runs in its own "
        "process; `driver_peak_mb` is that process's peak RSS, `worker_peak_mb` the largest "
        "worker process's. Ratios are against the in-memory path timed in the same run. "
        "`load_avg_1min` is the machine's load average at the end of the step: above the core "
        "count, other work shared the cores and the parallel step cannot show its speed-up.\n\n"
        + "\n".join(lines)
        + "\n"
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()

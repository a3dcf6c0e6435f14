"""Ingest speed on a corpus made by repeating the seed articles (default 1,000 times).

Measures, in one run on the same machine:

* ``read``: reading and decoding the files only (the baseline);
* ``ingest, 1 process``: read + clean + segment;
* ``ingest, all cores``: the same with worker processes.

Peak memory (RSS high-water mark of this process) is reported after each step. Results go to
``benchmarks/results/ingest_speed.{md,csv}``; numbers are ratios against the baseline.

Usage: ``python benchmarks/ingest_speed.py [--repeat 1000]``
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from framelens.text.corpus import read_corpus
from framelens.text.ingest import ingest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "pakistan_russia"


def build_corpus(target: Path, repeat: int) -> int:
    """Write ``repeat`` copies of every seed file with a metadata.csv; return the count."""
    (target / "raw").mkdir(parents=True)
    lines = ["article_id,file,outlet,outlet_type,date,url,title"]
    seeds = sorted((SEEDS / "raw").glob("*.txt"))
    for copy in range(repeat):
        for seed in seeds:
            name = f"{copy:05d}_{seed.name}"
            shutil.copyfile(seed, target / "raw" / name)
            lines.append(f"{copy:05d}_{seed.name[:3]},raw/{name},,blog,,,")
    (target / "metadata.csv").write_text("\n".join(lines) + "\n")
    return repeat * len(seeds)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1000)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        n = build_corpus(corpus, args.repeat)
        steps = [
            ("read (baseline)", lambda: read_corpus(corpus)),
            ("ingest, 1 process", lambda: ingest(corpus, n_jobs=1)),
            (f"ingest, {os.cpu_count()} processes", lambda: ingest(corpus, n_jobs=-1)),
        ]
        for name, step in steps:
            start = time.perf_counter()
            result = step()
            seconds = time.perf_counter() - start
            n_sentences = len(getattr(result, "sentences", []))
            rows.append(
                {
                    "step": name,
                    "articles": n,
                    "sentences": n_sentences,
                    "seconds": round(seconds, 2),
                    "articles_per_s": round(n / seconds, 1),
                    "peak_rss_mb": round(peak_mb(), 0),
                }
            )
    base = rows[0]["seconds"]
    for row in rows:
        row["time_vs_read"] = round(row["seconds"] / base, 2)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    with (out / "ingest_speed.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    header = "| " + " | ".join(rows[0]) + " |"
    lines = [header, "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(str(v) for v in row.values()) + " |" for row in rows]
    (out / "ingest_speed.md").write_text(
        f"Ingest speed: seeds repeated {args.repeat} times ({n} articles), "
        f"{os.cpu_count()} cores.\n\n" + "\n".join(lines) + "\n"
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()

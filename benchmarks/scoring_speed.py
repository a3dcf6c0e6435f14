"""Scoring speed of the stance and frame scorers, as a ratio to plain VADER in the same run.

Absolute sentences-per-second depend on the machine and on what else runs on it; a ratio to a
baseline timed in the same process on the same sentences does not (much). The baseline is
whole-sentence VADER (``SentimentIntensityAnalyzer.polarity_scores``), the cheapest sensible
sentence scorer. Every scorer scores the same items: the NewsMTSC dev targets (rw_dev + mt_dev,
one item per marked target for stance; their sentences for frames). Each timing is the best of
``--repeats`` runs after one warm-up run (which also loads models and fills caches).

Usage::

    python benchmarks/scoring_speed.py [--data DIR] [--out benchmarks/results] [--repeats 3]

writes ``scoring_speed.md`` and ``scoring_speed.csv`` into ``--out``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import pandas as pd

from framelens.scorers import get_scorer
from framelens.scorers.base import SPAN_ITEM_COLUMNS
from framelens.scorers.spans import read_span_records

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = Path(os.environ.get("FRAMELENS_SHARED_DATA", HERE.parents[1] / "shared" / "data"))


def best_time(func, repeats: int) -> float:
    """Best wall time of ``repeats`` calls after one warm-up call."""
    func()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def run(data_dir: Path, repeats: int) -> pd.DataFrame:
    """Time every scorer; return one row per scorer with items/s and the ratio to VADER."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    records = pd.concat(
        [
            read_span_records(data_dir / "newsmtsc" / f"{name}.jsonl")
            for name in ("rw_dev", "mt_dev")
        ],
        ignore_index=True,
    )
    items = records.assign(target="")[SPAN_ITEM_COLUMNS]
    texts = records["text"].drop_duplicates().tolist()
    analyzer = SentimentIntensityAnalyzer()
    jobs = {
        ("baseline", "vader_sentence"): (
            len(items),
            lambda: [analyzer.polarity_scores(t) for t in items["text"]],
        ),
    }
    for name in ("lexicon", "embedding"):
        scorer = get_scorer("stance", name)
        jobs[("stance", name)] = (len(items), lambda s=scorer: s.score_spans(items))
    for name in ("dictionary", "embedding"):
        scorer = get_scorer("frame", name)
        jobs[("frame", name)] = (len(texts), lambda s=scorer: s.score_texts(texts))
    rows = []
    for (kind, name), (n, func) in jobs.items():
        seconds = best_time(func, repeats)
        rows.append(
            {
                "kind": kind,
                "scorer": name,
                "n_items": n,
                "seconds": seconds,
                "items_per_s": n / seconds,
            }
        )
    table = pd.DataFrame(rows)
    baseline = table.loc[table["scorer"] == "vader_sentence", "items_per_s"].item()
    table["ratio_to_vader"] = table["items_per_s"] / baseline
    return table


def to_markdown(table: pd.DataFrame, repeats: int) -> str:
    """The report."""
    lines = [
        "# Scoring speed",
        "",
        "Written by `benchmarks/scoring_speed.py`. Items are NewsMTSC dev targets (stance) or their",
        "distinct sentences (frames); best of "
        f"{repeats} runs after a warm-up, one process, on {platform.machine()} /"
        f" Python {platform.python_version()}.",
        "`ratio_to_vader` = speed relative to whole-sentence VADER timed in the same run",
        "(above 1 is faster than VADER); use it rather than the absolute numbers, which depend",
        "on the machine and its load.",
        "",
        "| kind | scorer | items | seconds | items/s | ratio to VADER |",
        "|---|---|---|---|---|---|",
    ]
    for r in table.itertuples():
        lines.append(
            f"| {r.kind} | {r.scorer} | {r.n_items} | {r.seconds:.3f} | "
            f"{r.items_per_s:,.0f} | {r.ratio_to_vader:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding newsmtsc/")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="output folder")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per scorer")
    args = parser.parse_args(argv)
    table = run(args.data, args.repeats)
    args.out.mkdir(parents=True, exist_ok=True)
    table.round(4).to_csv(args.out / "scoring_speed.csv", index=False, lineterminator="\n")
    report = to_markdown(table, args.repeats)
    (args.out / "scoring_speed.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()

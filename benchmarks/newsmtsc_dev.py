"""Stance scorers on the NewsMTSC dev sets: accuracy, macro-F1 and per-class recall.

Stance toward each record's marked target (polarity 2.0 -> against, 4.0 -> neutral, 6.0 ->
favor) is scored by

* ``vader_sentence``: plain VADER compound of the whole sentence (the baseline: no target);
* ``lexicon``: :class:`framelens.scorers.lexicon.LexiconStanceScorer`;
* ``embedding``: :class:`framelens.scorers.embedding.EmbeddingStanceScorer`.

Each scorer's neutral band is chosen on the NewsMTSC **train** split (the band in a 0.01 grid
that maximises macro-F1 there); the dev files are only scored. The lexicon and embedding
defaults shipped in framelens are these train-chosen bands, and the script says so if they
drift apart. F1m is the macro F1 over the three classes, as in Hamborg & Donnay (2021).

Usage::

    python benchmarks/newsmtsc_dev.py [--data DIR] [--out benchmarks/results]

writes ``newsmtsc_dev.md`` and ``newsmtsc_dev.csv`` into ``--out``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, recall_score

from framelens.scorers import get_scorer
from framelens.scorers.spans import read_span_records, score_span_records
from framelens.tables import STANCE_LABELS, stance_label

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = Path(os.environ.get("FRAMELENS_SHARED_DATA", HERE.parents[1] / "shared" / "data"))
BANDS = np.round(np.arange(0.0, 0.91, 0.01), 2)
DEV_FILES = ("rw_dev", "mt_dev")


def vader_sentence_scores(records: pd.DataFrame) -> np.ndarray:
    """Whole-sentence VADER compound (ignores the target): the baseline."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return np.array([analyzer.polarity_scores(t)["compound"] for t in records["text"]])


def scores_of(name: str, records: pd.DataFrame) -> np.ndarray:
    """Raw scores in [-1, 1] of scorer ``name`` (bands are applied afterwards)."""
    if name == "vader_sentence":
        return vader_sentence_scores(records)
    return score_span_records(records, get_scorer("stance", name))["score"].to_numpy()


def best_band(scores: np.ndarray, gold) -> tuple[float, float]:
    """The neutral band (0.01 grid) with the highest macro-F1, and that F1."""
    results = [
        (f1_score(gold, [stance_label(s, b) for s in scores], average="macro"), -b) for b in BANDS
    ]
    f1, negative_band = max(results)
    return -negative_band, f1


def metrics(gold, predicted) -> dict:
    """Accuracy, macro-F1 and per-class recall."""
    recalls = recall_score(
        gold, predicted, labels=list(STANCE_LABELS), average=None, zero_division=0
    )
    row = {
        "accuracy": accuracy_score(gold, predicted),
        "macro_f1": f1_score(gold, predicted, labels=list(STANCE_LABELS), average="macro"),
    }
    row.update({f"recall_{label}": r for label, r in zip(STANCE_LABELS, recalls, strict=True)})
    return row


def run(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Choose bands on train, score the dev files; return (results, bands) tables.

    Each dev split gets a second row, ``SPLIT (mixed)``, restricted to targets whose sentence
    holds another target with a different gold label.
    """
    newsmtsc = data_dir / "newsmtsc"
    train = read_span_records(newsmtsc / "train.jsonl")
    devs = {name: read_span_records(newsmtsc / f"{name}.jsonl") for name in DEV_FILES}
    rows, bands = [], []
    for name in ("vader_sentence", "lexicon", "embedding"):
        start = time.perf_counter()
        band, train_f1 = best_band(scores_of(name, train), train["gold"])
        default = None if name == "vader_sentence" else get_scorer("stance", name).neutral_band
        if default is not None and abs(default - band) > 1e-9:
            print(
                f"note: {name} default neutral_band {default} != train-chosen {band}",
                file=sys.stderr,
            )
        bands.append(
            {
                "scorer": name,
                "train_band": band,
                "default_band": default,
                "train_macro_f1": train_f1,
                "n_train": len(train),
            }
        )
        for split, records in devs.items():
            scores = scores_of(name, records)
            predicted = np.array([stance_label(s, band) for s in scores])
            rows.append(
                {
                    "scorer": name,
                    "split": split,
                    "n": len(records),
                    "neutral_band": band,
                    **metrics(records["gold"], predicted),
                }
            )
            # Targets whose sentence has another target with a different gold label: there a
            # scorer that ignores the target must be wrong about at least one of them.
            mixed = (records.groupby("id")["gold"].transform("nunique") > 1).to_numpy()
            rows.append(
                {
                    "scorer": name,
                    "split": f"{split} (mixed)",
                    "n": int(mixed.sum()),
                    "neutral_band": band,
                    **metrics(records["gold"][mixed], predicted[mixed]),
                }
            )
        print(f"{name}: {time.perf_counter() - start:.1f}s", file=sys.stderr)
    return pd.DataFrame(rows), pd.DataFrame(bands)


def to_markdown(results: pd.DataFrame, bands: pd.DataFrame) -> str:
    """The report: method, the bands chosen on train and the dev table."""
    lines = [
        "# Stance scorers on NewsMTSC dev",
        "",
        "Written by `benchmarks/newsmtsc_dev.py`. Stance toward each record's marked target",
        "(NewsMTSC polarity 2/4/6 -> against/neutral/favor; Hamborg & Donnay, EACL 2021).",
        "Neutral bands were chosen on the **train** split (highest macro-F1 on a 0.01 grid);",
        "dev files were only scored. F1m = macro F1 over the three classes.",
        "`vader_sentence` is the baseline: VADER compound of the whole sentence, ignoring the target.",
        "For reference, the best published F1m (GRU-TSC with RoBERTa, on the *test* splits) is",
        "83.1 (rw) and 82.5 (mt).",
        "Rows marked *(mixed)* keep only targets whose sentence holds another target with a",
        "different gold label (a scorer that ignores the target must miss one of them there).",
        "",
        "## Dev results",
        "",
        "| scorer | split | n | band | accuracy | F1m | recall against | recall neutral | recall favor |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results.itertuples():
        lines.append(
            f"| {r.scorer} | {r.split} | {r.n} | {r.neutral_band:.2f} | {r.accuracy:.3f} | "
            f"{r.macro_f1:.3f} | {r.recall_against:.3f} | {r.recall_neutral:.3f} | "
            f"{r.recall_favor:.3f} |"
        )
    lines += [
        "",
        "## Neutral bands chosen on train",
        "",
        "| scorer | band (train) | shipped default | train F1m | n train targets |",
        "|---|---|---|---|---|",
    ]
    for b in bands.itertuples():
        default = (
            "-"
            if b.default_band is None or b.default_band != b.default_band
            else f"{b.default_band:.2f}"
        )
        lines.append(
            f"| {b.scorer} | {b.train_band:.2f} | {default} | {b.train_macro_f1:.3f} | {b.n_train} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding newsmtsc/")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="output folder")
    args = parser.parse_args(argv)
    results, bands = run(args.data)
    args.out.mkdir(parents=True, exist_ok=True)
    results.round(4).to_csv(args.out / "newsmtsc_dev.csv", index=False, lineterminator="\n")
    (args.out / "newsmtsc_dev.md").write_text(to_markdown(results, bands), encoding="utf-8")
    print(to_markdown(results, bands))


if __name__ == "__main__":
    main()

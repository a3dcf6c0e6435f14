"""Precision and recall of target mentions on hand-labelled real news sentences.

``benchmarks/data/mention_labels.csv`` holds occurrences of target words in real sentences,
each checked by hand: is it a mention of the target (``is_mention`` 1) or does the word name
something else (0: Washington state, a newspaper, a dateline, Indian tribes, a group of people
named by origin, an organisation ...)? The sentences are quoted from Narrative Frames
(``narrative_frames/articles_metadata.tsv``, Frermann et al. 2023, MIT; segmented into
sentences by framelens) and NewsMTSC train (Hamborg & Donnay 2021, MIT). Two samples:

* ``random``: every target word (Washington, America, American(s), India, Indian(s), Delhi,
  Russia, Russian(s), Moscow, China, Chinese, Beijing, Peking, U.S., US, USA, Kremlin, Soviet)
  in 200 sentences drawn at random (seed 14) from the 2,183 sentences of both datasets that
  hold one;
* ``ambiguous_words``: every Washington, Indian(s), Delhi and Moscow of both datasets, the
  words most often used for something else (occurrences already in ``random`` are kept once).

An occurrence counts as found when a mention that is stance evidence (not ``in_name``)
overlaps it. The script scores the codebook given (default: the shipped one) and the same
codebook without its exclusion contexts, which shows what the contexts add.

Usage::

    python benchmarks/mention_precision.py [--codebook FILE] [--out benchmarks/results]

writes ``mention_precision.md`` and ``mention_precision.csv`` into ``--out``.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from framelens.codebook import load_codebook
from framelens.text.mentions import mention_spans

HERE = Path(__file__).resolve().parent
LABELS = HERE / "data" / "mention_labels.csv"


def without_contexts(codebook):
    """The codebook with every exclusion context removed (its targets' and the shared ones)."""
    targets = {
        name: dataclasses.replace(t, exclusion_contexts=()) for name, t in codebook.targets.items()
    }
    return dataclasses.replace(
        codebook,
        targets=MappingProxyType(targets),
        matching=dataclasses.replace(codebook.matching, exclusion_contexts=()),
    )


def found(labels: pd.DataFrame, codebook) -> pd.Series:
    """For each labelled occurrence, whether an evidence mention overlaps it."""
    spans = {
        text: [(m.start, m.end) for m in mention_spans(text, codebook) if not m.in_name]
        for text in labels["text"].unique()
    }
    return pd.Series(
        [
            any(s < end and start < e for s, e in spans[text])
            for text, start, end in zip(labels["text"], labels["start"], labels["end"], strict=True)
        ],
        index=labels.index,
    )


def scores(labels: pd.DataFrame, predicted: pd.Series) -> dict:
    truth = labels["is_mention"].astype(bool)
    tp, fp = int((truth & predicted).sum()), int((~truth & predicted).sum())
    fn = int((truth & ~predicted).sum())
    return {
        "occurrences": len(labels),
        "true_mentions": int(truth.sum()),
        "found": int(predicted.sum()),
        "false_positives": fp,
        "missed": fn,
        "precision": round(tp / (tp + fp), 3) if tp + fp else float("nan"),
        "recall": round(tp / (tp + fn), 3) if tp + fn else float("nan"),
        "distractors_kept_out": round(int((~truth & ~predicted).sum()) / int((~truth).sum()), 3),
    }


def main(argv=None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codebook", type=Path, default=None, help="codebook TOML")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)

    labels = pd.read_csv(LABELS, dtype={"record": str}, keep_default_na=False)
    codebook = load_codebook(args.codebook)
    rows = []
    for variant, book in (
        ("codebook", codebook),
        ("no exclusion contexts", without_contexts(codebook)),
    ):
        predicted = found(labels, book)
        for sample, part in [("all", labels), *labels.groupby("sample", sort=True)]:
            rows.append(
                {"codebook": variant, "sample": sample, **scores(part, predicted[part.index])}
            )
    table = pd.DataFrame(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "mention_precision.csv", index=False)
    lines = [
        "# Mention precision on hand-labelled real sentences",
        "",
        f"Written by `benchmarks/mention_precision.py` from `{LABELS.relative_to(HERE.parent)}` "
        f"({len(labels)} labelled occurrences); codebook `{codebook.name}` "
        f"{codebook.version} (sha256 {codebook.hash[:12]}).",
        "",
        "| " + " | ".join(table.columns) + " |",
        "|" + "---|" * len(table.columns),
        *("| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(index=False)),
        "",
    ]
    (args.out / "mention_precision.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return table


if __name__ == "__main__":
    main()

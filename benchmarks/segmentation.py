"""Sentence segmentation: accuracy and speed of Punkt, tuned Punkt, pysbd and the shipped hybrid.

Methods, each splitting one paragraph into sentence spans:

* ``punkt (before)``: Punkt as framelens trained it before issue 14 (the old abbreviation list,
  no number collocations), its spans as they are;
* ``punkt, tuned``: Punkt's parameters only (:func:`framelens.text.segment.train_punkt`: more
  abbreviations, "No. 7"-style collocations), its spans as they are;
* ``pysbd``: the rule-based pySBD segmenter (``clean=False``), spans found in the text in order;
* ``hybrid (shipped)``: tuned Punkt corrected by :mod:`framelens.text.boundaries`.

Evaluations:

* English Golden Rules (``data/golden_rules_en.tsv``, 48 cases): a case is right when its
  sentences are exactly the expected ones (whitespace around them aside);
* the seed articles (``data/seed_sentences.jsonl``: cleaned text and hand-checked sentences):
  boundary precision, recall and F1, paragraphs and headings handled as framelens does;
* abbreviations in real news (``data/nf_abbreviation_contexts.tsv``: 541 hand-labelled periods
  in the Narrative Frames articles; needs ``shared/data``): accuracy, and recall on the
  periods that do end a sentence;
* the case ``tests/cases/sentence_bounds``;
* speed: sentences and characters per second on the 428 Narrative Frames articles (Punkt
  trained on them), and on one line of N short sentences without a paragraph break (N = 500
  to 32,000) with the time ratio for 4x the length.

Punkt is trained on the articles it splits (Golden Rules: on the Narrative Frames articles, the
cases are too short to train on). Ratios are against ``punkt (before)`` in the same run.
Results go to ``benchmarks/results/segmentation.{md,csv}``.

Usage: ``python benchmarks/segmentation.py [--data ../shared/data]``
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import os
import platform
import time
from pathlib import Path

import pandas as pd

from framelens.text.boundaries import NUMBER_ABBREVIATIONS, sentence_spans
from framelens.text.segment import DEFAULT_ABBREVIATIONS, paragraphs, train_punkt

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
RESULTS = Path(__file__).resolve().parent / "results"
CASE = ROOT / "tests" / "cases" / "sentence_bounds" / "d1.txt"
CASE_EXPECTED = [
    "Aid flows shift",
    "Pakistan received most of its military aid in the 1980s from the U.S.",
    "China became the main supplier a decade later, according to the report.",
    "The loan was approved under resolution No. 7 of the cabinet.",
    "Russia later asked for similar terms on its own energy projects in Sindh.",
    "The study was written by J. R. Khan and M. A. Siddiqui of the Lahore institute.",
    "Both authors argue that India misread the shift entirely.",
]
# The abbreviations framelens gave Punkt before issue 14.
OLD_ABBREVIATIONS = DEFAULT_ABBREVIATIONS - {"u.s.a", "viz", "cf", "al", "bros", "rs"}
LONG_SIZES = (500, 2_000, 8_000, 32_000)
LONG_LIMIT_S = 15.0  # a method slower than this at one size is not run at the next


def make_methods(texts: list[str]) -> dict:
    """Each method: a function from one paragraph to its ``(start, end)`` sentence spans."""
    tuned = train_punkt(texts)
    before = train_punkt(texts, abbreviations=OLD_ABBREVIATIONS)
    before._params.collocations -= {(a, "##number##") for a in NUMBER_ABBREVIATIONS}
    methods = {
        "punkt (before)": lambda text: list(before.span_tokenize(text)),
        "punkt, tuned": lambda text: list(tuned.span_tokenize(text)),
        "hybrid (shipped)": lambda text: sentence_spans(text, tuned),
    }
    try:
        import pysbd
    except ImportError:  # pysbd is in the dev extra only
        return methods
    segmenter = pysbd.Segmenter(language="en", clean=False)
    methods["pysbd"] = lambda text: _found_spans(text, segmenter.segment(text))
    return methods


def _found_spans(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    """Spans of ``sentences`` (in order, each stripped) in ``text``."""
    spans, pos = [], 0
    for sentence in sentences:
        sentence = sentence.strip()
        if not sentence:
            continue
        start = text.find(sentence, pos)
        if start < 0:
            raise ValueError(f"pysbd changed the text: {sentence[:60]!r}")
        spans.append((start, start + len(sentence)))
        pos = start + len(sentence)
    return spans


def segment(text: str, split) -> list[tuple[int, int]]:
    """Sentence spans of a cleaned article: paragraphs and headings as framelens makes them."""
    spans = []
    for start, end, unit in paragraphs(text):
        if unit == "heading":
            spans.append((start, end))
        else:
            spans.extend((start + s, start + e) for s, e in split(text[start:end]))
    return spans


def read_tsv(path: Path) -> pd.DataFrame:
    """A tab-separated data file whose first lines are ``#`` comments (source, licence)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    body = "".join(line for line in lines if not line.startswith("#"))
    return pd.read_csv(io.StringIO(body), sep="\t", keep_default_na=False)


def golden_rules() -> dict[int, list[str]]:
    cases: dict[int, list[str]] = {}
    for row in read_tsv(DATA / "golden_rules_en.tsv").itertuples():
        cases.setdefault(int(row.case), []).append(row.sentence)
    return cases


def eval_golden(methods: dict) -> dict:
    cases = golden_rules()
    out = {}
    for name, split in methods.items():
        right = []
        for number, expected in cases.items():
            text = " ".join(expected)
            got = [text[s:e].strip() for s, e in split(text)]
            right.append(number if got == expected else None)
        out[name] = {
            "golden_right": sum(r is not None for r in right),
            "golden_cases": len(cases),
            "golden_failed": [n for n, r in zip(cases, right, strict=True) if r is None],
        }
    return out


def eval_seeds(methods: dict) -> dict:
    articles = [json.loads(line) for line in open(DATA / "seed_sentences.jsonl", encoding="utf-8")]
    out = {}
    for name, split in methods.items():
        tp = fp = fn = 0
        for article in articles:
            gold = {end for _, end in article["sentences"]}
            got = {end for _, end in segment(article["text"], split)}
            tp, fp, fn = tp + len(gold & got), fp + len(got - gold), fn + len(gold - got)
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        out[name] = {
            "seed_precision": precision,
            "seed_recall": recall,
            "seed_f1": 2 * precision * recall / (precision + recall),
            "seed_boundaries": tp + fn,
        }
    return out


def eval_news_abbreviations(methods: dict, nf: pd.DataFrame) -> dict:
    labels = read_tsv(DATA / "nf_abbreviation_contexts.tsv")
    texts = dict(zip(nf["ID"], nf["text"], strict=True))
    out = {}
    for name, split in methods.items():
        ends = {
            aid: {e for _, e in segment(texts[aid], split)} for aid in labels["article"].unique()
        }
        predicted = [
            int(o in ends[a]) for a, o in zip(labels["article"], labels["offset"], strict=True)
        ]
        right = sum(p == b for p, b in zip(predicted, labels["boundary"], strict=True))
        found = sum(p and b for p, b in zip(predicted, labels["boundary"], strict=True))
        out[name] = {
            "news_accuracy": right / len(labels),
            "news_boundary_recall": found / int(labels["boundary"].sum()),
            "news_false_breaks": sum(
                p and not b for p, b in zip(predicted, labels["boundary"], strict=True)
            ),
            "news_periods": len(labels),
        }
    return out


def eval_case(methods: dict) -> dict:
    text = CASE.read_text(encoding="utf-8")
    return {
        name: {"case_right": [text[s:e] for s, e in segment(text, split)] == CASE_EXPECTED}
        for name, split in methods.items()
    }


def speed_corpus(methods: dict, nf: pd.DataFrame) -> dict:
    out = {}
    n_chars = int(nf["text"].str.len().sum())
    for name, split in methods.items():
        start = time.perf_counter()
        n = sum(len(segment(text, split)) for text in nf["text"])
        seconds = time.perf_counter() - start
        out[name] = {
            "corpus_seconds": seconds,
            "corpus_sentences_per_s": n / seconds,
            "corpus_chars_per_s": n_chars / seconds,
        }
    return out


def speed_long(methods: dict) -> dict:
    """One line of N short sentences (the seeds' sentences, repeated), no paragraph break."""
    articles = [json.loads(line) for line in open(DATA / "seed_sentences.jsonl", encoding="utf-8")]
    pool = [
        a["text"][s:e] for a in articles for s, e in a["sentences"] if len(a["text"][s:e]) < 120
    ]
    pool = [s for s in pool if s.endswith(".")]
    out = {}
    for name, split in methods.items():
        times = {}
        for n in LONG_SIZES:
            text = " ".join(pool[i % len(pool)] for i in range(n))
            start = time.perf_counter()
            split(text)
            times[n] = time.perf_counter() - start
            if times[n] > LONG_LIMIT_S:
                break
        out[name] = {f"long_{n}_s": t for n, t in times.items()}
        ratios = [times[b] / times[a] for a, b in itertools.pairwise(LONG_SIZES) if b in times]
        out[name]["long_4x_ratio_max"] = max(ratios) if ratios else None
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    nf_path = args.data / "narrative_frames" / "articles_metadata.tsv"
    nf = pd.read_csv(nf_path, sep="\t") if nf_path.exists() else None
    seed_texts = [json.loads(line)["text"] for line in open(DATA / "seed_sentences.jsonl")]
    # Golden Rules and the news periods with Punkt trained on news; seeds with Punkt trained on
    # the seeds, as `framelens ingest` trains it.
    news_methods = make_methods(list(nf["text"]) if nf is not None else seed_texts)
    seed_methods = make_methods(seed_texts)
    results = {name: {"method": name} for name in news_methods}
    parts = [eval_golden(news_methods), eval_seeds(seed_methods), eval_case(seed_methods)]
    if nf is not None:
        parts += [eval_news_abbreviations(news_methods, nf), speed_corpus(news_methods, nf)]
    parts.append(speed_long(news_methods))
    for part in parts:
        for name, values in part.items():
            results[name].update(values)
    write(list(results.values()), nf is not None)


def write(rows: list[dict], with_news: bool) -> None:
    RESULTS.mkdir(exist_ok=True)
    base = rows[0]
    with open(RESULTS / "segmentation.csv", "w", newline="") as f:
        keys = sorted({k for row in rows for k in row} - {"method"})
        writer = csv.DictWriter(f, ["method", *keys], lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: json.dumps(v) if isinstance(v, list) else v for k, v in row.items()}
            )

    def ratio(row, key, higher_is_better=True):
        if row.get(key) is None or base.get(key) is None:
            return ""
        value = row[key] / base[key] if higher_is_better else base[key] / row[key]
        return f"{value:.2f}x"

    lines = [
        "# Sentence segmentation benchmark",
        "",
        f"Written by `benchmarks/segmentation.py` ({platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()}). Ratios are against `punkt (before)` measured in"
        " the same run (speed: higher is faster). See the script's docstring for the data.",
        "",
        "## Accuracy",
        "",
        "| method | Golden Rules (exact) | seeds P / R / F1 | news abbreviations: accuracy | "
        "news: boundaries found | news: false breaks | case `sentence_bounds` |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        news = (
            f"{row['news_accuracy']:.3f} ({row['news_periods']} periods) | "
            f"{row['news_boundary_recall']:.2f} | {row['news_false_breaks']}"
            if with_news
            else "n/a | n/a | n/a"
        )
        lines.append(
            f"| {row['method']} | {row['golden_right']}/{row['golden_cases']} | "
            f"{row['seed_precision']:.3f} / {row['seed_recall']:.3f} / {row['seed_f1']:.3f} | "
            f"{news} | {'right' if row['case_right'] else 'wrong'} |"
        )
    lines += ["", "Golden Rules cases each method gets wrong (numbers as in the data file):", ""]
    lines += [f"- {row['method']}: {row['golden_failed']}" for row in rows]
    lines += ["", "## Speed", ""]
    if with_news:
        lines += [
            "| method | 428 articles: seconds | sentences/s | chars/s | vs before |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {row['method']} | {row['corpus_seconds']:.2f} | "
            f"{row['corpus_sentences_per_s']:,.0f} | {row['corpus_chars_per_s']:,.0f} | "
            f"{ratio(row, 'corpus_chars_per_s')} |"
            for row in rows
        ]
        lines.append("")
    header = " | ".join(f"{n:,} sentences (s)" for n in LONG_SIZES)
    lines += [
        "One line of N short sentences (no paragraph break); a method is not run at the next size"
        f" once one size takes over {LONG_LIMIT_S:.0f} s. `4x ratio` is the largest time ratio"
        " between N and 4N (linear: about 4).",
        "",
        f"| method | {header} | 4x ratio |",
        "|---|" + "---|" * len(LONG_SIZES) + "---|",
    ]
    for row in rows:
        cells = " | ".join(
            f"{row[f'long_{n}_s']:.2f}" if f"long_{n}_s" in row else "not run" for n in LONG_SIZES
        )
        worst = row["long_4x_ratio_max"]
        lines.append(
            f"| {row['method']} | {cells} | {worst:.1f} |"
            if worst
            else f"| {row['method']} | {cells} | |"
        )
    (RESULTS / "segmentation.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

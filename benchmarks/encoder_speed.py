"""CPU throughput of the shipped stance model (minilm + LoRA, merged), fp32 against dynamic int8.

Scores real NewsMTSC dev targets (rw_dev + mt_dev, 785 marked targets: sentence paired with the
target's name, as the shipped model reads them) through the transformer stance scorer, the
score cache off, the model loaded and warmed up before the clock starts. For each torch thread
count (1, 2) and batch size (8, 32, 128) it reports sentences/s, best of ``--repeats``, and the
ratio against fp32 at batch size 32 with the same threads, measured in the same run.

int8 is PyTorch's dynamic quantization of every ``nn.Linear``
(``torch.ao.quantization.quantize_dynamic``, weights int8, activations quantized on the fly).
Its quality is measured too: macro-F1 and accuracy on rw_dev and mt_dev, fp32 against int8, and
the largest change of a probability. The issue's rule: keep int8 only if rw_dev macro-F1 drops by
less than one point.

Results go to ``benchmarks/results/encoder_speed.{csv,md}`` (or ``--out``).

Usage::

    python benchmarks/encoder_speed.py                 # needs framelens[pretrained] and NewsMTSC
    python benchmarks/encoder_speed.py --device cuda   # the same on a GPU (fp32 only)
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from framelens.scorers.spans import read_span_records  # noqa: E402
from framelens.scorers.transformer import TransformerStanceScorer  # noqa: E402
from framelens.validation.metrics import to_markdown  # noqa: E402
from tiny_models import NEWSMTSC  # noqa: E402

LABELS = ["against", "neutral", "favor"]


def scorer(batch_size: int, device: str, int8: bool) -> TransformerStanceScorer:
    """The shipped stance scorer (``precision="int8"`` when ``int8``), no cache."""
    return TransformerStanceScorer(
        batch_size=batch_size,
        device=device,
        precision="int8" if int8 else "auto",
        progress=False,
    ).fit()


def items(records: pd.DataFrame) -> pd.DataFrame:
    return records.assign(target="")[["text", "spans", "target"]]


def seconds(model, data: pd.DataFrame, repeats: int) -> float:
    model.score_spans(data.head(8))  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model.score_spans(data)
        times.append(time.perf_counter() - start)
    return min(times)


def quality(model, splits: dict) -> dict:
    out = {}
    for name, records in splits.items():
        scored = model.score_spans(items(records))
        gold = records["gold"].to_numpy()
        out[name] = {
            "macro_f1": f1_score(gold, scored["label"], labels=LABELS, average="macro"),
            "accuracy": accuracy_score(gold, scored["label"]),
            "score": scored["score"].to_numpy(),
        }
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[8, 32, 128])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    import torch

    splits = {s: read_span_records(NEWSMTSC / f"{s}.jsonl") for s in ("rw_dev", "mt_dev")}
    data = items(pd.concat(splits.values(), ignore_index=True))
    precisions = ["fp32", "int8"] if args.device == "cpu" else ["fp32"]

    # On a shared machine other jobs distort the timings: the load is recorded beside them.
    load_before = os.getloadavg()[0]
    rows = []
    for threads in args.threads:
        torch.set_num_threads(threads)
        for precision in precisions:
            for batch_size in args.batch_sizes:
                model = scorer(batch_size, args.device, precision == "int8")
                took = seconds(model, data, args.repeats)
                rows.append(
                    {
                        "device": args.device,
                        "threads": threads,
                        "precision": precision,
                        "batch_size": batch_size,
                        "n": len(data),
                        "seconds": round(took, 3),
                        "sentences_per_s": round(len(data) / took, 1),
                        "load_average": round(os.getloadavg()[0], 1),
                    }
                )
                print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    reference = table[(table["precision"] == "fp32") & (table["batch_size"] == 32)].set_index(
        "threads"
    )["sentences_per_s"]
    table["ratio_vs_fp32_b32"] = (table["sentences_per_s"] / table["threads"].map(reference)).round(
        2
    )

    torch.set_num_threads(max(args.threads))
    measured = {p: quality(scorer(32, args.device, p == "int8"), splits) for p in precisions}
    quality_rows = []
    for split in splits:
        for precision in precisions:
            q = measured[precision][split]
            quality_rows.append(
                {
                    "split": split,
                    "precision": precision,
                    "macro_f1": round(q["macro_f1"], 4),
                    "accuracy": round(q["accuracy"], 4),
                    "max_abs_score_change_vs_fp32": round(
                        float(np.abs(q["score"] - measured["fp32"][split]["score"]).max()), 4
                    ),
                }
            )
    quality_table = pd.DataFrame(quality_rows)

    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "encoder_speed.csv", index=False)
    quality_table.to_csv(args.out / "encoder_quality.csv", index=False)
    header = (
        f"# Shipped stance model (minilm + LoRA, merged): throughput\n\n"
        f"{platform.processor() or platform.machine()}, torch {torch.__version__}, "
        f"{len(data)} NewsMTSC dev targets, best of {args.repeats}; 1-minute load average "
        f"{load_before:.1f} at the start (rows beyond the cores in use are other jobs)\n\n"
    )
    (args.out / "encoder_speed.md").write_text(
        header
        + to_markdown(table)
        + "\n\n## fp32 against dynamic int8\n\n"
        + to_markdown(quality_table)
        + "\n",
        encoding="utf-8",
    )
    print(table.to_string(index=False))
    print(quality_table.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

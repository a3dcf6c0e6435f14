"""Throughput of transformer stance scoring by batch size (sentences per second).

Scores real NewsMTSC dev sentences (each with its marked target, one (favor, against) template,
so two NLI inputs per sentence) with randomly initialised local models, so nothing is
downloaded:

* ``tiny``: the 2-layer, 32-dimensional BERT the tests use;
* ``bert-base`` (``--base``): a BERT-base-sized config (12 layers, 768 dimensions, 12 heads).

The score cache is off; the model is loaded and warmed up before the clock starts. Ratios are
against batch size 1 measured in the same run. Results go to
``benchmarks/results/transformer_speed.{csv,md}`` (or ``--out``).

Usage::

    python benchmarks/transformer_speed.py                      # CPU, tiny model
    python benchmarks/transformer_speed.py --base               # + BERT-base-sized model
    python benchmarks/transformer_speed.py --device cuda --base --n-base 2048
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # tiny_models builds the local models

from framelens.datasets.newsmtsc import read_newsmtsc  # noqa: E402
from framelens.scorers.transformer import TransformerStanceScorer  # noqa: E402
from tiny_models import NEWSMTSC, build_tiny_bert  # noqa: E402

TEMPLATE = [("The author supports {target}.", "The author opposes {target}.")]
MODELS = {
    "tiny": {"hidden_size": 32, "layers": 2, "heads": 2},
    "bert-base": {"hidden_size": 768, "layers": 12, "heads": 12},
}


def items(n: int) -> pd.DataFrame:
    """``n`` NewsMTSC dev sentences with their marked target, repeated if more are asked for."""
    records = pd.concat(
        [read_newsmtsc(NEWSMTSC / name) for name in ("rw_dev.jsonl", "mt_dev.jsonl")],
        ignore_index=True,
    )
    records = pd.concat([records] * (n // len(records) + 1), ignore_index=True).head(n)
    return records.assign(target="")[["text", "spans", "target"]]


def measure(
    model_dir: Path, data: pd.DataFrame, batch_size: int, device: str, max_length: int, repeats: int
) -> float:
    """Best-of-``repeats`` seconds to score ``data`` once the model is loaded and warm.

    The minimum is the least disturbed measurement on a shared machine (as in ``timeit``).
    """
    scorer = TransformerStanceScorer(
        model_dir,
        templates=TEMPLATE,
        batch_size=batch_size,
        device=device,
        max_length=max_length,
        progress=False,
    )
    scorer.score_spans(data.head(max(2, batch_size)))  # load + warm up (no cache: recomputed)
    times = []
    for _ in range(repeats):
        _synchronize(device)
        start = time.perf_counter()
        scorer.score_spans(data)
        _synchronize(device)
        times.append(time.perf_counter() - start)
    return min(times)


def _synchronize(device: str) -> None:
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()


def markdown(table: pd.DataFrame) -> str:
    """A GitHub markdown table (pandas' to_markdown needs the optional tabulate package)."""
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    lines += [
        "| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(index=False)
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", help="cpu, cuda, mps or auto")
    parser.add_argument("--batch-sizes", default="1,8,32,64")
    parser.add_argument("--n", type=int, default=256, help="sentences for the tiny model")
    parser.add_argument("--base", action="store_true", help="also a BERT-base-sized model")
    parser.add_argument("--n-base", type=int, default=128, help="sentences for the base model")
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs")
    parser.add_argument(
        "--threads", type=int, default=None, help="torch CPU threads (default: torch's)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    models = ["tiny"] + (["bert-base"] if args.base else [])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in models:
            model_dir = build_tiny_bert(Path(tmp) / name, **MODELS[name])
            n = args.n if name == "tiny" else args.n_base
            data = items(n)
            for batch_size in batch_sizes:
                seconds = measure(
                    model_dir, data, batch_size, args.device, args.max_length, args.repeats
                )
                rows.append(
                    {
                        "model": name,
                        "device": args.device,
                        "batch_size": batch_size,
                        "sentences": n,
                        "seconds": round(seconds, 3),
                        "sentences_per_s": round(n / seconds, 1),
                    }
                )
                print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    base = table[table["batch_size"] == batch_sizes[0]].set_index("model")["sentences_per_s"]
    table[f"speedup_vs_bs{batch_sizes[0]}"] = (
        table["sentences_per_s"] / table["model"].map(base)
    ).round(2)

    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "transformer_speed.csv", index=False)
    device_name = (
        torch.cuda.get_device_name()
        if args.device.startswith("cuda")
        else platform.processor() or platform.machine()
    )
    header = (
        "# Transformer stance scoring throughput\n\n"
        f"Device: {args.device} ({device_name}); torch {torch.__version__}, "
        f"{torch.get_num_threads()} CPU threads; max_length {args.max_length}; "
        f"best of {args.repeats} runs; "
        "two NLI inputs per sentence (one favor/against template); cache off; "
        "randomly initialised models (no download); NewsMTSC dev sentences.\n\n"
    )
    (args.out / "transformer_speed.md").write_text(header + markdown(table))
    print(table.to_string(index=False))
    return table


if __name__ == "__main__":
    main()

"""Full fine-tuning against LoRA for target stance on NewsMTSC: dev macro-F1, accuracy, time, size.

Both start from the registered ``minilm`` encoder and read the same inputs (the sentence with
the target's mentions marked, paired with the target's name). ``full`` trains every weight (the
issue's reference: lr 5e-5); ``lora`` trains rank-``r`` adapters on every linear layer plus the
head (lr 5e-4), as the shipped model does. Each is trained on the first ``--n-train`` NewsMTSC
train targets (all with ``--n-train 0``) for ``--epochs`` epochs (the epoch kept is chosen on
rw_dev, as for the shipped model), and measured on rw_dev and mt_dev. Reported: macro-F1,
accuracy, training minutes, and the size of what would be shipped (the whole model for ``full``,
adapter + head for ``lora``).

Results go to ``benchmarks/results/stance_finetune.{csv,md}`` (or ``--out``).

Usage::

    python benchmarks/stance_finetune.py --n-train 1500 --epochs 1   # a quick like-for-like check
    python benchmarks/stance_finetune.py --n-train 0 --epochs 2 --device cuda
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from framelens.scorers.spans import read_span_records  # noqa: E402
from framelens.training.finetune import finetune  # noqa: E402
from framelens.validation.metrics import to_markdown  # noqa: E402
from tiny_models import NEWSMTSC  # noqa: E402

SETTINGS = {
    "full": {"method": "full", "lr": 5e-5},
    "lora": {"method": "lora", "lr": 5e-4, "lora_r": 16, "lora_alpha": 32},
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-train", type=int, default=1500, help="0 = every train target")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--methods", nargs="+", default=["lora", "full"], choices=list(SETTINGS))
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    train = read_span_records(NEWSMTSC / "train.jsonl")
    if args.n_train:
        train = train.sample(n=min(args.n_train, len(train)), random_state=args.seed)
    rw_dev = read_span_records(NEWSMTSC / "rw_dev.jsonl")
    mt_dev = read_span_records(NEWSMTSC / "mt_dev.jsonl")
    rows = []
    for method in args.methods:
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            result = finetune(
                "minilm",
                train,
                rw_dev,
                folder,
                input_format="marked+target",
                epochs=args.epochs,
                early_stopping_patience=args.epochs,
                batch_size=32,
                seed=args.seed,
                device=args.device,
                group_by_length=True,
                eval_sets={"mt_dev": mt_dev},
                progress=False,
                **SETTINGS[method],
            )
            minutes = (time.perf_counter() - start) / 60
            size = sum(p.stat().st_size for p in Path(folder).iterdir())
        metrics = result.card["metrics"]
        rows.append(
            {
                "method": method,
                "lr": SETTINGS[method]["lr"],
                "n_train": len(train),
                "epochs": args.epochs,
                "best_epoch": metrics["best_epoch"],
                "rw_dev_macro_f1": metrics["dev"]["macro_f1"],
                "rw_dev_accuracy": metrics["dev"]["accuracy"],
                "mt_dev_macro_f1": metrics["mt_dev"]["macro_f1"],
                "mt_dev_accuracy": metrics["mt_dev"]["accuracy"],
                "train_minutes": round(minutes, 1),
                "artefact_mb": round(size / 2**20, 2),
            }
        )
        print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "stance_finetune.csv", index=False)
    (args.out / "stance_finetune.md").write_text(
        f"# Full fine-tuning against LoRA (minilm, NewsMTSC, {args.device}, "
        f"{args.threads} threads)\n\n{to_markdown(table)}\n",
        encoding="utf-8",
    )
    print(table.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

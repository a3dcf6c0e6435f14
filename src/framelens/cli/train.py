"""``framelens train``: train a scorer on labelled data and save it.

Three kinds of scorer train here:

* ``supervised`` (the default): scikit-learn stance or frame models on ``--data KIND:PATH``
  specs, saved with skops as ``MODEL.skops`` plus its ``MODEL.skops.json`` metadata;
* ``encoder-supervised`` (frames only): logistic heads per frame on a pretrained sentence
  encoder's embeddings, from ``--data`` specs that may label different frames plus the
  codebook's exemplars; saved the same way;
* ``transformer`` (chosen when ``--base`` names a model): fine-tunes BASE on the labelled spans
  in DATA and writes a model folder.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich import box
from rich.table import Table

from framelens.cli._app import app, out, reports_errors
from framelens.errors import InputError
from framelens.runs.outputs import check_output_file, check_output_folder


@app.command("train")
@reports_errors
def train_command(
    data: Path = typer.Argument(
        None,
        help="transformer: labelled spans (NewsMTSC .jsonl, or .jsonl/.csv/.parquet with "
        "id,text,start,end,label). supervised: a KIND:PATH spec, like --data.",
    ),
    output: Path = typer.Option(
        ..., "-o", "--output", help="supervised: the model file MODEL.skops; transformer: a folder."
    ),
    scorer: str = typer.Option(
        None,
        "--scorer",
        "-s",
        help="supervised (default), encoder-supervised (frames), or transformer (the default "
        "when --base is given).",
    ),
    task: str = typer.Option("stance", "--task", "-t", help="supervised: stance or frame."),
    data_specs: list[str] = typer.Option(
        None,
        "--data",
        "-d",
        help="supervised: newsmtsc:PATH, frac:PATH, narrative:PATH or gold:GOLD.csv "
        "(repeatable; sources are combined).",
    ),
    corpus: Path = typer.Option(
        None, "--corpus", help="supervised: the corpus the gold: codings refer to."
    ),
    codebook: Path = typer.Option(
        None, "--codebook", "-c", help="Codebook TOML (default: shipped)."
    ),
    features: str = typer.Option(
        "tfidf", "--features", help="supervised: tfidf or tfidf+embedding."
    ),
    classifier: str = typer.Option("logreg", "--classifier", help="supervised: logreg or svm."),
    folds: int = typer.Option(5, "--folds", help="supervised: grouped cross-validation folds."),
    base: str = typer.Option(None, "--base", help="transformer: base model (hub id or local dir)."),
    dev: Path = typer.Option(None, "--dev", help="transformer: dev spans for early stopping."),
    epochs: int = typer.Option(3, "--epochs", help="transformer: maximum passes over the data."),
    lr: float = typer.Option(2e-5, "--lr", help="transformer: peak learning rate."),
    batch_size: int = typer.Option(16, "--batch-size", help="transformer: examples per step."),
    seed: int = typer.Option(0, "--seed", help="Random seed (supervised: fold assignment)."),
    patience: int = typer.Option(2, "--patience", help="transformer: early-stopping patience."),
    device: str = typer.Option(
        "auto",
        "--device",
        # Short words: typer's help column is ~18 characters wide at 80 columns and cuts a
        # longer one ("encoder-supervised:" would lose its end).
        help="Where the model runs (auto, cpu, cuda or mps), for the transformer and "
        "encoder-supervised scorers.",
    ),
    max_length: int = typer.Option(128, "--max-length", help="transformer: maximum tokens."),
    method: str = typer.Option(
        "full", "--method", help="transformer: full (every weight) or lora (adapters + head)."
    ),
    input_format: str = typer.Option(
        "marked",
        "--input-format",
        help="transformer stance input: marked, or marked+target (sentence, target name).",
    ),
    lora_r: int = typer.Option(16, "--lora-r", help="transformer lora: adapter rank."),
    lora_alpha: int = typer.Option(32, "--lora-alpha", help="transformer lora: scaling."),
    group_by_length: bool = typer.Option(
        False, "--group-by-length", help="transformer: batch rows of similar length (faster)."
    ),
    eval_files: list[Path] = typer.Option(
        None, "--eval", help="transformer: more labelled span files measured at the end."
    ),
    threads: int = typer.Option(
        None, "--threads", help="transformer: CPU threads for torch (default: torch's)."
    ),
    stop_after: int = typer.Option(
        None,
        "--stop-after",
        help="transformer: end after this many epochs of the --epochs schedule.",
    ),
    encoder: str = typer.Option(
        "minilm",
        "--encoder",
        help="For the encoder-supervised scorer: the pretrained encoder (name or folder).",
    ),
    exemplars: bool = typer.Option(
        True,
        "--exemplars/--no-exemplars",
        help="For the encoder-supervised scorer: add the codebook's exemplars as positives of "
        "their frames.",
    ),
    cache_dir: Path = typer.Option(
        None,
        "--cache-dir",
        help="For the encoder-supervised scorer: embedding cache folder (reruns are quick).",
    ),
) -> None:
    """Train a scorer; print its cross-validated (or dev) scores and save it to OUTPUT."""
    scorer = scorer or ("transformer" if base else "supervised")
    specs = list(data_specs or []) + ([str(data)] if data is not None else [])
    if scorer in ("supervised", "encoder-supervised"):
        # A spec is KIND:PATH; the model file must not overwrite one of the training files.
        inputs = [spec.partition(":")[2] or spec for spec in specs] + [corpus]
        check_output_file(output, inputs=inputs, suffixes=(".skops",))
    if scorer == "supervised":
        _train_supervised(
            specs,
            output,
            task=task,
            corpus=corpus,
            codebook=codebook,
            features=features,
            classifier=classifier,
            folds=folds,
            seed=seed,
        )
    elif scorer == "encoder-supervised":
        _train_encoder_frames(
            specs,
            output,
            task=task,
            corpus=corpus,
            codebook=codebook,
            encoder=encoder,
            exemplars=exemplars,
            folds=folds,
            seed=seed,
            device=device,
            cache_dir=cache_dir,
        )
    elif scorer == "transformer":
        check_output_folder(output, inputs=[data, dev])
        _train_transformer(
            data,
            output,
            base=base,
            dev=dev,
            epochs=epochs,
            lr=lr,
            batch_size=batch_size,
            seed=seed,
            patience=patience,
            device=device,
            max_length=max_length,
            method=method,
            input_format=input_format,
            lora_r=lora_r,
            lora_alpha=lora_alpha,
            group_by_length=group_by_length,
            eval_files=eval_files or [],
            threads=threads,
            stop_after=stop_after,
        )
    else:
        raise InputError(
            f"training the {scorer!r} scorer is not available",
            hint="use --scorer supervised, encoder-supervised or transformer",
        )


def _train_supervised(
    specs, output: Path, *, task, corpus, codebook, features, classifier, folds, seed
) -> None:
    from framelens.models.scorer_files import save_model
    from framelens.training.fit import cv_table, train_scorer

    result = train_scorer(
        task,
        specs,
        corpus=corpus,
        codebook=codebook,
        features=features,
        classifier=classifier,
        n_splits=folds,
        random_state=seed,
    )
    save_model(
        result.scorer,
        output,
        codebook=codebook,
        training_hash=result.training_hash,
        training_data=result.sources,
    )
    _print_cv_table(cv_table(result.scorer), task, result.scorer)
    usage = (
        f"--scorer supervised --model {output}"
        if task == "stance"
        else f"--frame-scorer supervised --frame-model {output}"
    )
    out.print(
        f"wrote {output} and {output.name}.json ({result.scorer.n_train_} training items)",
        soft_wrap=True,
    )
    out.print(f"score with it: framelens score CORPUS -o OUT {usage}", soft_wrap=True)


def _train_encoder_frames(
    specs,
    output: Path,
    *,
    task,
    corpus,
    codebook,
    encoder,
    exemplars,
    folds,
    seed,
    device,
    cache_dir,
) -> None:
    from framelens.models.scorer_files import save_model
    from framelens.training.fit import cv_table, train_encoder_frames

    if task != "frame":
        raise InputError(
            "the encoder-supervised scorer scores frames only",
            hint="pass --task frame",
        )
    if output.suffix != ".skops":
        raise InputError(
            f"the model file must end in .skops, not {output.name!r}",
            hint="e.g. -o models/encoder_frames.skops",
        )
    # Embedding a few thousand articles takes minutes on a CPU: each step is printed, with a
    # spinner and the time elapsed on a terminal, so the wait is not taken for a hang.
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from framelens.cli._app import console

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as spinner:
        task_id = spinner.add_task("reading the training data")

        def report(message: str) -> None:
            console.print(message, highlight=False, markup=False)
            spinner.update(task_id, description=message.split(" (")[0])

        result = train_encoder_frames(
            specs,
            corpus=corpus,
            codebook=codebook,
            exemplars=exemplars,
            encoder=encoder,
            n_splits=folds,
            random_state=seed,
            device=device,
            cache_dir=cache_dir,
            progress=report,
        )
    details = result.details
    save_model(
        result.scorer,
        output,
        codebook=codebook,
        training_hash=result.training_hash,
        training_data=result.sources,
        extra={
            "encoder": details["encoder"],
            "source_hashes": details["source_hashes"],
            "source_files": details["source_files"],
            "source_counts": result.scorer.source_counts_,
            "n_positive": result.scorer.n_positive_,
            "n_labelled": result.scorer.n_labelled_,
            "best_C": result.scorer.best_C_,
            "weighting": result.scorer.weighting_,
            "seed": seed,
            "seconds": {"embed": details["embed_seconds"], "fit": details["fit_seconds"]},
        },
    )
    _print_cv_table(cv_table(result.scorer), "encoder", result.scorer)
    out.print(
        f"wrote {output} and {output.name}.json ({result.scorer.n_train_} training texts; "
        f"embedding {details['embed_seconds']:.0f} s, fitting {details['fit_seconds']:.0f} s)",
        soft_wrap=True,
    )
    out.print(
        f"score with it: framelens score CORPUS -o OUT --frame-scorer encoder-supervised "
        f"--frame-model {output}",
        soft_wrap=True,
    )


#: Short headers of the cross-validation table, so it fits 80 columns, with what each means
#: (printed below it).
CV_HEADERS = {
    "average_precision": ("AP", "average precision"),
    "n_labelled": ("labelled", "items labelled for the frame"),
    "n_positive": ("positive", "items labelled with the frame"),
}


def _print_cv_table(table, task: str, scorer) -> None:
    """The cross-validated scores: what was measured (a line), the table, its short headers."""
    if task == "encoder":
        title = (
            f"grouped {scorer.n_splits}-fold cross-validation per frame (weighting and C chosen "
            "per frame); "
            "AP and F1 at 0.5 within each source holding both classes, averaged over sources"
        )
    elif task == "stance":
        title = f"grouped {scorer.n_splits}-fold cross-validation: stance macro-F1 per C"
    else:
        title = (
            f"grouped {scorer.n_splits}-fold cross-validation (C={scorer.best_C_:g}); "
            "F1 at thresholds tuned on the same folds (optimistic)"
        )
    # The title is a line of its own (a table title wraps inside the table's width), and the
    # cells never wrap or shrink to "geo_econo…": short headers keep the columns within 80.
    out.print(title, soft_wrap=True, highlight=False)
    view = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for column in table.columns:
        view.add_column(CV_HEADERS.get(str(column), (str(column),))[0], no_wrap=True)
    for row in table.itertuples(index=False):
        view.add_row(*[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row])
    out.print(view)
    legend = [f"{short} = {means}" for c, (short, means) in CV_HEADERS.items() if c in table]
    if legend:
        out.print("columns: " + "; ".join(legend), soft_wrap=True, highlight=False)


def _train_transformer(
    data,
    output: Path,
    *,
    base,
    dev,
    epochs,
    lr,
    batch_size,
    seed,
    patience,
    device,
    max_length,
    method="full",
    input_format="marked",
    lora_r=16,
    lora_alpha=32,
    group_by_length=False,
    eval_files=(),
    threads=None,
    stop_after=None,
) -> None:
    if data is None:
        raise InputError("DATA is required", hint="framelens train SPANS.jsonl --base MODEL -o DIR")
    if not base:
        raise InputError(
            "--base is required", hint="e.g. --base microsoft/deberta-v3-base or a local model dir"
        )
    import time

    from framelens.hashing import sha256_file
    from framelens.scorers.spans import read_span_records
    from framelens.training.finetune import finetune

    if threads is not None:
        import torch

        torch.set_num_threads(int(threads))
    files = {"train": Path(data), **({"dev": Path(dev)} if dev is not None else {})}
    files.update({Path(p).stem: Path(p) for p in eval_files})
    started = time.perf_counter()
    result = finetune(
        base,
        read_span_records(data),
        None if dev is None else read_span_records(dev),
        output,
        method=method,
        input_format=input_format,
        lora_r=lora_r,
        lora_alpha=lora_alpha,
        group_by_length=group_by_length,
        eval_sets={Path(p).stem: read_span_records(p) for p in eval_files},
        data_files={f"{k}:{p.name}": sha256_file(p) for k, p in files.items()},
        checkpoint=True,
        stop_after=stop_after,
        epochs=epochs,
        lr=lr,
        batch_size=batch_size,
        seed=seed,
        early_stopping_patience=patience,
        device=device,
        max_length=max_length,
    )
    dev_metrics = result.card["metrics"]["dev"]
    minutes = (time.perf_counter() - started) / 60
    for name in (Path(p).stem for p in eval_files):
        measured = result.card["metrics"][name]
        out.print(
            f"{name}: macro-F1 {measured['macro_f1']:.3f}, accuracy {measured['accuracy']:.3f}"
        )
    out.print(f"training took {minutes:.1f} min")
    out.print(
        f"trained {result.card['metrics']['epochs_run']} epoch(s), best epoch "
        f"{result.card['metrics']['best_epoch']}: dev macro-F1 {dev_metrics['macro_f1']:.3f}, "
        f"accuracy {dev_metrics['accuracy']:.3f}; wrote {output}"
    )
    out.print(f"score with it: framelens score CORPUS -o OUT --scorer transformer --model {output}")

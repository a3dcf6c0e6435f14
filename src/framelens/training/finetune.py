"""Fine-tune a transformer into a stance (or frame) classifier that the transformer scorers load.

A plain PyTorch training loop, kept small on purpose so every step can be read: AdamW with a
linear warm-up/decay schedule, gradient clipping, early stopping on the dev macro-F1, bf16/fp16
autocast on CUDA, seeded with :func:`transformers.set_seed`. For stance, the target's mentions
are wrapped in ``[TGT] ... [/TGT]`` (two special tokens added to the tokenizer, embeddings
resized), exactly as :class:`~framelens.scorers.transformer.TransformerStanceScorer` marks them
at scoring time.

The output directory holds the safetensors weights, the tokenizer and ``framelens_model.json``
(task, labels, base model and its hash, data hash, codebook hash, dev metrics, seed, framelens
version; no date, so the same run writes the same card).

Examples
--------
>>> from framelens.datasets.newsmtsc import read_newsmtsc                 # doctest: +SKIP
>>> train = read_newsmtsc("newsmtsc/train.jsonl")                        # doctest: +SKIP
>>> result = finetune("microsoft/deberta-v3-base", train, None, "models/stance")  # doctest: +SKIP
>>> result.card["metrics"]["dev"]["macro_f1"]                            # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.errors import InputError
from framelens.scorers.transformer import (
    INPUT_FORMATS,
    TARGET_MARKERS,
    ModelInput,
    _progress_bar,
    encode_inputs,
    stance_model_inputs,
)
from framelens.tables import STANCE_LABELS

TASKS = ("stance", "frame")
METHODS = ("full", "lora")
#: The layers LoRA adapts by default: every linear layer of a BERT encoder (attention query,
#: key, value and output, the feed-forward layers, the pooler).
LORA_TARGETS = ("query", "key", "value", "dense")
#: Columns tried, in order, for the label and for the group that keeps related rows together.
LABEL_COLUMNS = ("label", "gold")
GROUP_COLUMNS = ("group", "article_id", "record_id", "id")
#: Version of the model card format.
CARD_FORMAT = 1


@dataclass
class FinetuneResult:
    """What :func:`finetune` produced.

    Attributes
    ----------
    output_dir : Path
        The saved model (load it with the transformer scorers: ``model=output_dir``).
    card : dict
        The framelens model card written beside it.
    history : DataFrame
        One row per epoch: ``epoch``, ``train_loss``, ``dev_loss``, ``dev_macro_f1``,
        ``dev_accuracy``.
    """

    output_dir: Path
    card: dict
    history: pd.DataFrame


def finetune(
    base_model,
    train_df: pd.DataFrame,
    dev_df: pd.DataFrame | None,
    output_dir,
    *,
    task: str = "stance",
    epochs: int = 3,
    lr: float = 2e-5,
    batch_size: int = 16,
    seed: int = 0,
    early_stopping_patience: int = 2,
    device: str = "auto",
    precision: str = "auto",
    max_length: int = 128,
    dev_fraction: float = 0.1,
    weight_decay: float = 0.01,
    warmup_ratio: float = 0.1,
    label_column: str | None = None,
    group_column: str | None = None,
    codebook=None,
    progress: bool = True,
    method: str = "full",
    input_format: str = "marked",
    lora_r: int = 16,
    lora_alpha: int = 32,
    lora_dropout: float = 0.1,
    lora_targets=LORA_TARGETS,
    group_by_length: bool = False,
    eval_sets: dict | None = None,
    data_files: dict | None = None,
    checkpoint: bool = False,
    stop_after: int | None = None,
) -> FinetuneResult:
    """Fine-tune ``base_model`` as a sequence classifier and save it with a framelens card.

    Parameters
    ----------
    base_model : str or Path
        A local model directory or hub id (safetensors only; see
        :func:`framelens.models.huggingface.resolve_model`).
    train_df : DataFrame
        Training rows: ``text``, a label column (``label`` or ``gold``) and, for stance, the
        target's mentions as ``spans`` (list of (start, end)) or ``start``/``end``. The NewsMTSC
        table of :func:`framelens.datasets.newsmtsc.read_newsmtsc` works as it is.
    dev_df : DataFrame or None
        Rows for early stopping and the reported metrics. None holds out ``dev_fraction`` of the
        training groups (whole articles/records, so no sentence leaks across the split).
    output_dir : str or Path
        Where the model, tokenizer and ``framelens_model.json`` are written (created if needed).
    task : {"stance", "frame"}, default "stance"
        Stance labels must be against/neutral/favor; frame labels are the frame names found in
        the training data.
    epochs : int, default 3
        Maximum number of passes over the training data.
    lr : float, default 2e-5
        Peak learning rate of AdamW.
    batch_size : int, default 16
        Training and evaluation batch size.
    seed : int, default 0
        Seeds the split, the initialisation of new weights and the batch order.
    early_stopping_patience : int, default 2
        Stop after this many epochs without a better dev macro-F1; the best epoch is saved.
    device : {"auto", "cpu", "cuda", "mps"}, default "auto"
        Where to train.
    precision : {"auto", "fp32", "bf16", "fp16"}, default "auto"
        Autocast precision: bf16 (fp16 where bf16 is unsupported) on CUDA, fp32 elsewhere.
    max_length : int, default 128
        Maximum tokens per input; longer sentences keep a window centred on the target.
    dev_fraction : float, default 0.1
        Share of groups held out when ``dev_df`` is None.
    weight_decay, warmup_ratio : float
        AdamW weight decay; share of steps spent warming the learning rate up.
    label_column, group_column : str, optional
        Override the detected label column and the grouping column (``group``, ``article_id``,
        ``record_id`` or ``id``; else rows with the same text form a group).
    codebook : Codebook or path, optional
        Recorded in the card by its hash when the labels come from a codebook.
    progress : bool, default True
        Show a progress bar (only on a terminal).
    method : {"full", "lora"}, default "full"
        ``full`` trains every weight and saves the whole model. ``lora`` (stance only) freezes
        the base, trains low-rank adapters (:mod:`peft`) on ``lora_targets`` plus the
        classification head, and saves only those (``adapter_model.safetensors``, a few MB);
        the base must be a registered encoder (e.g. ``"minilm"``), whose hash the card records,
        and the tokenizer stays the base's own (the markers are read as plain text).
    input_format : {"marked", "marked+target"}, default "marked"
        Stance input: the marked sentence, or the marked sentence paired with the target's
        name (the first mention's text in training; the codebook label when scoring a corpus).
    lora_r, lora_alpha, lora_dropout, lora_targets
        LoRA rank, scaling, dropout and the module names adapted.
    group_by_length : bool, default False
        Batch rows of similar length together (batches shuffled): much less padding, so
        faster on a CPU, with the same rows seen per epoch.
    eval_sets : dict of str to DataFrame, optional
        Further labelled sets measured with the best epoch's model and recorded in the card
        (e.g. ``{"mt_dev": ...}``); never trained on.
    data_files : dict of str to str, optional
        sha256 of the data files, recorded in the card.
    checkpoint : bool, default False
        Also save the model (and its card) after every epoch that improves the dev macro-F1,
        so a long run stopped early keeps its best epoch; the end result is the same.
    stop_after : int, optional
        End the run after this many epochs although the learning-rate schedule spans
        ``epochs``: what a run checkpointed and stopped after that epoch produced, rebuilt
        exactly (same weights).

    Returns
    -------
    FinetuneResult
        The output directory, the model card and the per-epoch history.

    Raises
    ------
    InputError
        On missing columns, unknown labels, too little data, or an unusable base model.
    """
    import torch
    from transformers import get_linear_schedule_with_warmup, set_seed

    from framelens import __version__
    from framelens.models import huggingface as hf

    if task not in TASKS:
        raise InputError(f"unknown task {task!r}", hint=f"use one of {', '.join(TASKS)}")
    if int(epochs) < 1 or int(batch_size) < 1 or float(lr) <= 0:
        raise InputError(
            f"epochs={epochs}, batch_size={batch_size}, lr={lr}",
            hint="epochs and batch_size must be >= 1 and lr > 0",
        )
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}", hint=f"use one of {', '.join(METHODS)}")
    if input_format not in INPUT_FORMATS:
        raise InputError(
            f"unknown input format {input_format!r}", hint=f"use one of {', '.join(INPUT_FORMATS)}"
        )
    if method == "lora" and task != "stance":
        raise InputError("LoRA fine-tuning is implemented for stance", hint="use method='full'")
    train = _prepare(train_df, task, label_column, "train_df")
    if dev_df is None:
        train, dev = _split_dev(train, train_df, group_column, dev_fraction, seed)
    else:
        dev = _prepare(dev_df, task, label_column, "dev_df")
    labels = list(STANCE_LABELS) if task == "stance" else sorted(train["label"].unique())
    unknown = sorted(set(dev["label"]) - set(labels))
    if unknown:
        raise InputError(f"dev labels {unknown} do not occur in the training data", source="dev_df")

    set_seed(int(seed))
    device_ = hf.resolve_device(device)
    precision_ = hf.resolve_precision(precision, device_)
    files = hf.resolve_model(base_model)
    if method == "lora" and files.encoder is None:
        raise InputError(
            "LoRA adapters are trained on a registered encoder, so that the shipped adapter can "
            "name and verify its base",
            source=str(base_model),
            hint="use --base minilm (see framelens models)",
        )
    model, tokenizer = hf.load_model(
        files,
        device_,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
        ignore_mismatched_sizes=True,
    )
    # LoRA keeps the base's embeddings and tokenizer untouched (they are verified by hash),
    # so its markers stay plain text; full fine-tuning adds them as two new tokens.
    marker_tokens = task == "stance" and method == "full"
    if marker_tokens:
        tokenizer.add_tokens(list(TARGET_MARKERS), special_tokens=True)
        if model.get_input_embeddings().num_embeddings < len(tokenizer):
            with hf._quiet_transformers():  # its notice about mean-resizing is not for users
                model.resize_token_embeddings(len(tokenizer))
    if method == "lora":
        model = _with_lora(model, lora_r, lora_alpha, lora_dropout, lora_targets)
    model.to(device_)

    index = {label: i for i, label in enumerate(labels)}
    x_train = encode_inputs(tokenizer, _inputs(train, task, input_format), int(max_length))
    x_dev = encode_inputs(tokenizer, _inputs(dev, task, input_format), int(max_length))
    y_train = np.array([index[v] for v in train["label"]])
    y_dev = np.array([index[v] for v in dev["label"]])

    steps = int(epochs) * -(-len(x_train) // int(batch_size))
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad],
        lr=float(lr),
        weight_decay=float(weight_decay),
    )
    schedule = get_linear_schedule_with_warmup(optimizer, int(warmup_ratio * steps), steps)
    # fp16 gradients can underflow: scale the loss (bf16 has fp32's range and needs no scaler).
    scaler = (
        torch.amp.GradScaler("cuda") if precision_ == "fp16" and device_.type == "cuda" else None
    )
    order = torch.Generator().manual_seed(int(seed))

    output = Path(output_dir)

    def write() -> dict:
        """Save the model as it is now (the best epoch so far) with its card."""
        model.eval()
        extra = {}
        for name, frame in (eval_sets or {}).items():
            rows = _prepare(frame, task, label_column, name)
            x = encode_inputs(tokenizer, _inputs(rows, task, input_format), int(max_length))
            y = np.array([index[v] for v in rows["label"]])
            measured = _evaluate(
                model, tokenizer, x, y, len(labels), int(batch_size), device_, precision_
            )
            extra[name] = {k.removeprefix("dev_"): _round(v) for k, v in measured.items()}
        output.mkdir(parents=True, exist_ok=True)
        if method == "lora":
            saved = _save_adapter(model, output, files.encoder.name)
        else:
            hf.save_model(model, tokenizer, output)
            saved = None
        card = {
            "framelens_model": CARD_FORMAT,
            "task": task,
            "labels": labels,
            "base_model": str(base_model),
            "base_model_hash": files.model_hash,
            "data_hash": _data_hash(train, dev),
            "codebook_hash": None if codebook is None else _codebook_hash(codebook),
            "target_markers": list(TARGET_MARKERS) if task == "stance" else None,
            "marker_tokens_added": bool(marker_tokens),
            "input_format": input_format if task == "stance" else None,
            "method": method,
            "max_length": int(max_length),
            "seed": int(seed),
            "hyperparameters": {
                "epochs": int(epochs),
                "lr": float(lr),
                "batch_size": int(batch_size),
                "early_stopping_patience": int(early_stopping_patience),
                "weight_decay": float(weight_decay),
                "warmup_ratio": float(warmup_ratio),
                "precision": precision_,
                "group_by_length": bool(group_by_length),
                **({"stop_after": int(stop_after)} if stop_after is not None else {}),
                **(
                    {
                        "lora_r": int(lora_r),
                        "lora_alpha": int(lora_alpha),
                        "lora_dropout": float(lora_dropout),
                        "lora_targets": list(lora_targets),
                    }
                    if method == "lora"
                    else {}
                ),
            },
            "n_train": int(len(train)),
            "n_dev": int(len(dev)),
            "metrics": {
                "dev": {
                    k.removeprefix("dev_"): _round(v)
                    for k, v in best.items()
                    if k.startswith("dev_")
                },
                "best_epoch": int(best["epoch"]),
                "epochs_run": len(history),
                "history": [{k: _round(v) for k, v in row.items()} for row in history],
                **extra,
            },
            "framelens_version": __version__,
        }
        if files.encoder is not None:
            card["base_encoder"] = {
                "name": files.encoder.name,
                "weights_sha256": files.encoder.weights_sha256,
                "hub_id": files.encoder.spec.hub_id if files.encoder.spec else None,
            }
        if data_files:
            card["data_files"] = dict(sorted(data_files.items()))
        if saved is not None:
            card["files"] = saved
            card["versions"] = _versions()
        hf.write_card(output, card)
        return card

    history, best, best_state, waited = [], None, None, 0
    for epoch in range(1, int(epochs) + 1):
        model.train()
        losses = []
        permutation = torch.randperm(len(x_train), generator=order).tolist()
        batches = (
            _length_grouped(permutation, x_train, int(batch_size), order)
            if group_by_length
            else [
                permutation[k : k + int(batch_size)]
                for k in range(0, len(permutation), int(batch_size))
            ]
        )
        with _progress_bar(progress, f"epoch {epoch}/{epochs}", len(x_train)) as advance:
            for rows in batches:
                batch = _batch(tokenizer, [x_train[k] for k in rows], device_)
                target = torch.as_tensor(y_train[rows], device=device_)
                with hf.autocast(device_, precision_):
                    loss = model(**batch, labels=target).loss
                _step(loss, model, optimizer, scaler)
                schedule.step()
                optimizer.zero_grad(set_to_none=True)
                losses.append(float(loss.detach()))
                advance(len(rows))
        metrics = _evaluate(
            model, tokenizer, x_dev, y_dev, len(labels), int(batch_size), device_, precision_
        )
        history.append({"epoch": epoch, "train_loss": float(np.mean(losses)), **metrics})
        if best is None or metrics["dev_macro_f1"] > best["dev_macro_f1"]:
            best, waited = history[-1], 0
            # Kept on the CPU so early stopping does not double the GPU memory of the model.
            best_state = {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}
            if checkpoint:
                write()  # an interrupted run keeps its best epoch so far
                model.train()
        else:
            waited += 1
            if waited >= int(early_stopping_patience):
                break
        if stop_after is not None and epoch >= int(stop_after):
            break

    model.load_state_dict(best_state)
    card = write()
    return FinetuneResult(output, card, pd.DataFrame(history))


def _prepare(frame: pd.DataFrame, task: str, label_column: str | None, source: str) -> pd.DataFrame:
    """Validate a training table and reduce it to ``text``, ``spans``, ``label``."""
    if not isinstance(frame, pd.DataFrame) or frame.empty:
        raise InputError("no rows to train on", source=source)
    label_column = label_column or next((c for c in LABEL_COLUMNS if c in frame.columns), None)
    if label_column is None or label_column not in frame.columns or "text" not in frame.columns:
        raise InputError(
            "the table needs a text column and a label column",
            source=source,
            hint=f"label column: one of {', '.join(LABEL_COLUMNS)} (or pass label_column)",
        )
    out = pd.DataFrame(
        {"text": frame["text"].astype(str), "label": frame[label_column]}, index=frame.index
    )
    missing = out.index[out["label"].isna()]
    if len(missing):
        raise InputError(
            f"{len(missing)} row(s) have no label",
            source=source,
            record=f"row {missing[0]}",
            hint="drop unlabelled rows before training",
        )
    out["label"] = out["label"].astype(str)
    if task == "stance":
        bad = out.index[~out["label"].isin(STANCE_LABELS)]
        if len(bad):
            raise InputError(
                f"unknown stance label {out.loc[bad[0], 'label']!r}",
                source=source,
                record=f"row {bad[0]}",
                hint=f"stance labels are {', '.join(STANCE_LABELS)}",
            )
        if "spans" in frame.columns:
            out["spans"] = [[(int(s), int(e)) for s, e in spans] for spans in frame["spans"]]
        elif {"start", "end"} <= set(frame.columns):
            out["spans"] = [
                [(int(s), int(e))] for s, e in zip(frame["start"], frame["end"], strict=True)
            ]
        else:
            raise InputError(
                "stance training rows need the target's spans",
                source=source,
                hint="add a spans column (list of (start, end)) or start and end columns",
            )
    return out


def _split_dev(
    train: pd.DataFrame, original: pd.DataFrame, group_column, fraction: float, seed: int
):
    """Hold out whole groups (articles, records, or identical sentences) as the dev split."""
    from sklearn.model_selection import GroupShuffleSplit

    column = group_column or next((c for c in GROUP_COLUMNS if c in original.columns), None)
    if column is not None and column not in original.columns:
        raise InputError(f"no group column {column!r}", source="train_df")
    groups = original[column].astype(str) if column else train["text"]
    if groups.nunique() < 2:
        raise InputError(
            "too little data to hold out a dev split",
            source="train_df",
            hint="pass dev_df or more training groups",
        )
    splitter = GroupShuffleSplit(n_splits=1, test_size=fraction, random_state=seed)
    fit_idx, dev_idx = next(splitter.split(train, groups=groups.to_numpy()))
    return train.iloc[fit_idx], train.iloc[dev_idx]


def _inputs(frame: pd.DataFrame, task: str, input_format: str = "marked") -> list[ModelInput]:
    if task == "frame":
        return [ModelInput(text) for text in frame["text"]]
    # The target's name is its first mention, as the scorer names a target outside the codebook.
    names = [
        text[spans[0][0] : spans[0][1]]
        for text, spans in zip(frame["text"], frame["spans"], strict=True)
    ]
    return stance_model_inputs(frame["text"], frame["spans"], names, input_format)


def _with_lora(model, r, alpha, dropout, targets):
    """Wrap ``model`` with LoRA adapters; only they and the classification head train."""
    from peft import LoraConfig, TaskType, get_peft_model

    config = LoraConfig(
        task_type=TaskType.SEQ_CLS,  # also keeps the classifier head trainable and saved
        r=int(r),
        lora_alpha=int(alpha),
        lora_dropout=float(dropout),
        target_modules=list(targets),
    )
    return get_peft_model(model, config)


def _save_adapter(model, output_dir: Path, base_name: str) -> dict:
    """Save the adapter and head as safetensors only; return the sha256 of each file written."""
    from framelens.hashing import sha256_file

    # The embeddings are frozen, so none are saved; saying so also stops peft from looking up
    # the base model's config (on the hub, for a name it does not find on disk).
    model.save_pretrained(str(output_dir), safe_serialization=True, save_embedding_layers=False)
    (output_dir / "README.md").unlink(missing_ok=True)  # peft's template, not our card
    config_path = output_dir / "adapter_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    # The config names the registered encoder, not this machine's path to it.
    config["base_model_name_or_path"] = base_name
    # peft writes its module lists from sets, in an order that changes between processes:
    # sorted, the same training writes the same bytes.
    for key in ("target_modules", "modules_to_save"):
        if isinstance(config.get(key), list):
            config[key] = sorted(config[key])
    config_path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return {
        name: sha256_file(output_dir / name)
        for name in ("adapter_config.json", "adapter_model.safetensors")
    }


def _versions() -> dict:
    import importlib.metadata

    return {name: importlib.metadata.version(name) for name in ("torch", "transformers", "peft")}


def _length_grouped(permutation: list[int], encoded: list[dict], batch_size: int, generator):
    """Batches of rows of similar length, in a random order (seeded by ``generator``).

    The shuffled rows are cut into chunks of 50 batches; each chunk is sorted by length and
    cut into batches, so a batch holds rows of similar length (little padding) while chunks
    keep the order random.
    """
    import torch

    chunk = 50 * batch_size
    batches = []
    for start in range(0, len(permutation), chunk):
        rows = sorted(
            permutation[start : start + chunk], key=lambda k: len(encoded[k]["input_ids"])
        )
        batches.extend(rows[k : k + batch_size] for k in range(0, len(rows), batch_size))
    order = torch.randperm(len(batches), generator=generator).tolist()
    return [batches[k] for k in order]


def _step(loss, model, optimizer, scaler) -> None:
    """Backward pass, gradient clipping at norm 1 and an optimiser step (loss-scaled for fp16)."""
    import torch

    if scaler is None:
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    scaler.step(optimizer)
    scaler.update()


def _batch(tokenizer, encodings: list[dict], device) -> dict:
    batch = tokenizer.pad(encodings, return_tensors="pt")
    return {k: v.to(device) for k, v in batch.items()}


def _evaluate(model, tokenizer, x, y, n_labels, batch_size, device, precision) -> dict:
    """Dev loss, macro-F1 and accuracy."""
    import torch
    from sklearn.metrics import accuracy_score, f1_score

    from framelens.models.huggingface import autocast

    model.eval()
    logits = []
    with torch.inference_mode():
        for start in range(0, len(x), batch_size):
            batch = _batch(tokenizer, x[start : start + batch_size], device)
            with autocast(device, precision):
                logits.append(model(**batch).logits.float().cpu())
    logits = torch.cat(logits)
    loss = torch.nn.functional.cross_entropy(logits, torch.as_tensor(y)).item()
    predicted = logits.argmax(dim=1).numpy()
    return {
        "dev_loss": float(loss),
        "dev_macro_f1": float(
            f1_score(y, predicted, labels=list(range(n_labels)), average="macro", zero_division=0)
        ),
        "dev_accuracy": float(accuracy_score(y, predicted)),
    }


def _data_hash(train: pd.DataFrame, dev: pd.DataFrame) -> str:
    """sha256 of the exact training and dev rows (text, spans, label), in order."""
    digest = hashlib.sha256()
    for name, frame in (("train", train), ("dev", dev)):
        spans = frame["spans"] if "spans" in frame.columns else [None] * len(frame)
        rows = [[t, s, lab] for t, s, lab in zip(frame["text"], spans, frame["label"], strict=True)]
        digest.update(json.dumps([name, rows], ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def _codebook_hash(codebook) -> str:
    from framelens.scorers.transformer import _load_codebook

    return str(_load_codebook(codebook).hash)


def _round(value):
    return round(float(value), 6)


__all__ = ["FinetuneResult", "finetune"]

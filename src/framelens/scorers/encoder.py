"""Frames on a pretrained sentence encoder: zero-shot prototypes, and the embeddings they share.

The encoder is one of :mod:`framelens.models.encoders` (``minilm`` = all-MiniLM-L6-v2 by
default), found offline and verified by sha256. Its sentence vectors are the mean of the token
vectors, scaled to unit length, as the model was trained (:func:`~framelens.models.encoders.embed`).

* :func:`encode`: unit embeddings of texts, each distinct text computed once: memoised in the
  process and, with ``cache_dir``, stored in the score cache (:mod:`framelens.scorers.cache`)
  under a key made of the encoder's weights hash, the text and the embedding settings, so a
  rerun, another scorer or another corpus holding the same sentence costs nothing.
* :func:`encode_documents`: texts longer than the encoder's window (256 tokens for minilm, which
  would silently cut them) are split into sentences; their embeddings are averaged and the mean
  scaled to unit length. Used for whole articles (Narrative Frames) in training.
* :class:`EncoderFrameScorer` (``register_scorer("frame", "encoder")``): the zero-shot method of
  the WordLlama ``embedding`` scorer (:mod:`framelens.scorers.prototypes`: similarity to each
  frame's definition, exemplars and seed terms, calibrated on generic news sentences) on the
  encoder's embeddings.

The supervised variant (logistic heads on these embeddings) is
:mod:`framelens.scorers.encoder_heads`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from framelens.errors import InputError
from framelens.scorers.base import register_scorer
from framelens.scorers.prototypes import PrototypeFrameScorer

#: Distinct texts kept in the per-process memo of :func:`encode` (384 floats each: ~30 MB).
MEMO_SIZE = 20_000
_MEMO: dict[tuple, np.ndarray] = {}
# Computed embeddings are written to the disk cache every this many texts.
_CACHE_FLUSH = 512


def _settings(files, max_length: int) -> dict:
    # Everything besides the weights and the text that changes a vector: part of the cache key.
    spec = files.spec
    return {
        "output": "sentence-embedding",
        "pooling": spec.pooling if spec else "folder",
        "normalize": spec.normalize if spec else "folder",
        "max_length": int(max_length),
    }


def encode(
    texts,
    encoder="minilm",
    *,
    cache_dir=None,
    device: str = "cpu",
    batch_size: int = 32,
) -> np.ndarray:
    """Unit sentence embeddings of ``texts``, each distinct text computed once.

    Parameters
    ----------
    texts : sequence of str
        The texts (cut at the encoder's ``max_seq_length`` tokens, as the model was trained;
        use :func:`encode_documents` for longer texts).
    encoder : str, Path or EncoderFiles, default "minilm"
        A registered encoder or a model folder (:func:`framelens.models.encoders.resolve_encoder`),
        or an encoder already resolved.
    cache_dir : str or Path, optional
        Directory of the score cache (``scores.sqlite``); None keeps vectors in the process only.
    device : str, default "cpu"
        Where to run the model.
    batch_size : int, default 32
        Texts per forward pass.

    Returns
    -------
    ndarray of shape (len(texts), dim), float32
        Unit-length rows, in the order of ``texts``; identical whether computed or cached.

    Raises
    ------
    InputError
        If the encoder is not found or a file fails its hash check.
    """
    from framelens.models.encoders import EncoderFiles, embed, resolve_encoder
    from framelens.scorers.cache import ScoreCache, cache_key

    texts = [str(t) for t in texts]
    files = encoder if isinstance(encoder, EncoderFiles) else resolve_encoder(encoder)
    settings = _settings(files, files.max_seq_length)
    memo_keys = [(files.weights_sha256, settings["max_length"], t) for t in texts]
    found = {k: _MEMO[k] for k in dict.fromkeys(memo_keys) if k in _MEMO}
    missing = [k for k in dict.fromkeys(memo_keys) if k not in found]
    if missing and cache_dir is not None:
        cache = ScoreCache(cache_dir)
        keys = {k: cache_key(files.weights_sha256, k[2], settings) for k in missing}
        stored = cache.get_vectors(keys.values())
        for k, key in keys.items():
            if key in stored:
                found[k] = stored[key]
        computed = [k for k in missing if k not in found]
        # Stored a chunk at a time, so an interrupted run keeps what it has computed.
        for start in range(0, len(computed), _CACHE_FLUSH):
            chunk = computed[start : start + _CACHE_FLUSH]
            vectors = embed([k[2] for k in chunk], files, batch_size=batch_size, device=device)
            cache.put_vectors({keys[k]: v for k, v in zip(chunk, vectors, strict=True)})
            found.update(zip(chunk, vectors, strict=True))
    elif missing:
        vectors = embed([k[2] for k in missing], files, batch_size=batch_size, device=device)
        found.update(zip(missing, vectors, strict=True))
    _remember(found)
    if not texts:
        return np.zeros((0, _dimension(files)), dtype=np.float32)
    return np.vstack([found[k] for k in memo_keys]).astype(np.float32, copy=False)


def _remember(vectors: dict) -> None:
    for key, vector in vectors.items():
        if key not in _MEMO and len(_MEMO) >= MEMO_SIZE:
            del _MEMO[next(iter(_MEMO))]  # the oldest entry
        _MEMO[key] = vector


def _dimension(files) -> int:
    import json

    config = json.loads((files.path / "config.json").read_text(encoding="utf-8"))
    return int(config["hidden_size"])


def encode_documents(
    texts,
    encoder="minilm",
    *,
    cache_dir=None,
    device: str = "cpu",
    batch_size: int = 32,
) -> np.ndarray:
    """Unit embeddings of texts of any length: long ones as the mean of their sentences.

    A text that fits the encoder's window (``max_seq_length`` tokens, special tokens included)
    is embedded whole, exactly as :func:`encode` does. A longer one (a whole article) is split
    into paragraphs and sentences (:func:`framelens.text.segment.segment_text`, with a Punkt
    tokenizer that knows only the default abbreviations, so the split of a text never depends
    on the other texts); each sentence is embedded, and the mean of the sentence vectors is
    scaled to unit length. Cutting the article at the window instead would keep its first
    ~200 words and drop the rest without a word.

    Parameters
    ----------
    texts : sequence of str
    encoder, cache_dir, device, batch_size
        As in :func:`encode`.

    Returns
    -------
    ndarray of shape (len(texts), dim), float32
        Unit-length rows in the order of ``texts``.
    """
    from framelens.models.encoders import EncoderFiles, resolve_encoder

    texts = [str(t) for t in texts]
    files = encoder if isinstance(encoder, EncoderFiles) else resolve_encoder(encoder)
    pieces = document_pieces(texts, files)
    flat = [sentence for group in pieces for sentence in group]
    vectors = encode(flat, files, cache_dir=cache_dir, device=device, batch_size=batch_size)
    out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
    start = 0
    for i, group in enumerate(pieces):
        mean = vectors[start : start + len(group)].mean(axis=0)
        out[i] = mean / max(float(np.linalg.norm(mean)), 1e-12)
        start += len(group)
    return out


_TOKENIZERS: dict[tuple, object] = {}


def _tokenizer(files):
    """The encoder's tokenizer alone (no weights loaded), memoised per folder and weights."""
    key = (str(files.path), files.weights_sha256)
    if key not in _TOKENIZERS:
        from transformers import AutoTokenizer

        _TOKENIZERS[key] = AutoTokenizer.from_pretrained(
            str(files.path), local_files_only=True, trust_remote_code=False
        )
    return _TOKENIZERS[key]


def document_pieces(texts, encoder="minilm") -> list[list[str]]:
    """What :func:`encode_documents` embeds for each text: itself, or its sentences if too long.

    Parameters
    ----------
    texts : sequence of str
    encoder : str, Path or EncoderFiles, default "minilm"

    Returns
    -------
    list of list of str
        One list per text: ``[text]`` when it fits the encoder's window (``max_seq_length``
        tokens, special tokens included), else its sentences.
    """
    from framelens.models.encoders import EncoderFiles, _require_torch, resolve_encoder
    from framelens.text.segment import segment_text, train_punkt

    texts = [str(t) for t in texts]
    files = encoder if isinstance(encoder, EncoderFiles) else resolve_encoder(encoder)
    _require_torch()  # says how to install transformers, instead of an import error
    # Only the tokenizer is needed to measure lengths: the model loads only if a sentence is
    # missing from the caches. (verbose=False: long texts are expected here, not an error.)
    encoded = _tokenizer(files)(texts, add_special_tokens=True, verbose=False)
    punkt = None
    pieces: list[list[str]] = []
    for text, ids in zip(texts, encoded["input_ids"], strict=True):
        if len(ids) <= files.max_seq_length:
            pieces.append([text])
            continue
        punkt = punkt or train_punkt([])
        sentences = [row["text"] for row in segment_text(text, punkt)]
        pieces.append(sentences or [text])
    return pieces


@dataclass(frozen=True)
class EncoderEmbedder:
    """A hashable embedding function on one encoder: ``EncoderEmbedder(...)(texts)``.

    Hashable by its fields (which include the weights' sha256), so the prototype and reference
    embeddings of :mod:`framelens.scorers.prototypes` are memoised per encoder.

    Attributes
    ----------
    encoder : str
        Registered name or folder.
    weights_sha256 : str
        The verified weights' hash (part of the memo key).
    device : str
    batch_size : int
    cache_dir : str or None
    """

    encoder: str
    weights_sha256: str
    device: str = "cpu"
    batch_size: int = 32
    cache_dir: str | None = None

    def __call__(self, texts) -> np.ndarray:
        """Unit embeddings of ``texts`` (:func:`encode`)."""
        return encode(
            texts,
            self.encoder,
            cache_dir=self.cache_dir,
            device=self.device,
            batch_size=self.batch_size,
        )


def encoder_embedder(encoder="minilm", *, device="cpu", batch_size=32, cache_dir=None):
    """The :class:`EncoderEmbedder` of a verified encoder (found and hash-checked here)."""
    from framelens.models.encoders import resolve_encoder

    if int(batch_size) < 1:
        raise InputError(f"batch_size={batch_size}", hint="batch_size must be >= 1")
    files = resolve_encoder(encoder)
    return EncoderEmbedder(
        encoder=str(files.path) if files.spec is None else files.name,
        weights_sha256=files.weights_sha256,
        device=str(device),
        batch_size=int(batch_size),
        cache_dir=None if cache_dir is None else str(cache_dir),
    )


@register_scorer("frame", "encoder")
class EncoderFrameScorer(PrototypeFrameScorer):
    """Zero-shot frame score from a sentence encoder's similarity to each frame's description.

    The method of the WordLlama ``embedding`` frame scorer on a pretrained encoder: a frame's
    prototype is the normalised mean embedding of its label + definition, each exemplar and its
    seed terms (joined); a sentence's cosine ``c`` to it becomes
    ``1 / (1 + exp(-(c - midpoint) / (temperature * sd)))``, with ``midpoint`` the
    ``share_below`` quantile and ``sd`` the standard deviation of the cosines of the shipped
    generic news sentences, so a share ``share_below`` of ordinary news sentences scores below
    0.5 (the default ``frame_threshold``) for every frame. Nothing is trained.

    Parameters
    ----------
    codebook : Codebook, str, Path or None, default None
        Where the frames come from; ``None`` uses the shipped codebook.
    encoder : str, default "minilm"
        A registered encoder (:data:`framelens.models.encoders.ENCODERS`) or a model folder.
    share_below : float, default 0.9
        Share of generic sentences that must score below 0.5 (sets each frame's midpoint). The
        same default as the WordLlama scorer: not tuned on any gold data.
    temperature : float, default 1.0
        Width of the logistic in reference standard deviations (smaller = steeper).
    reference : sequence of str or None, default None
        Sentences to calibrate on instead of the shipped reference set.
    device : str, default "cpu"
        Where the encoder runs (``auto``, ``cpu``, ``cuda``, ``mps``).
    batch_size : int, default 32
        Sentences per forward pass.
    cache_dir : str or Path, optional
        Score-cache directory for sentence embeddings (reruns embed nothing twice).

    Attributes
    ----------
    midpoints_ : ndarray of shape (n_frames,)
        Per-frame cosine that maps to 0.5, set by :meth:`fit` (absent before fitting).
    scales_ : ndarray of shape (n_frames,)
        Per-frame standard deviation of the cosines of the sentences :meth:`fit` saw.

    Notes
    -----
    The calibration is a limitation on specialised text. The reference sentences are generic
    news (NewsMTSC: US political news), so "above 0.5" means "more like the frame
    than 90% of ordinary news", and nearly every sentence of a foreign-policy corpus is. On the
    seed corpus (validation table of the README) this scorer marks 91% of the sentences
    geo-economic and 83% security, where the coders marked 57% and 35% (precision 0.62 and 0.39
    at recall 0.99 and 0.93); article shares are off by 0.38 on average (the dictionary: 0.08),
    though the articles' order holds (Spearman 0.87). Use its scores to rank and compare, not as
    shares of sentences, unless recalibrated (``reference``, ``share_below``) and validated.
    """

    def __init__(
        self,
        codebook=None,
        encoder: str = "minilm",
        share_below: float = 0.9,
        temperature: float = 1.0,
        reference=None,
        device: str = "cpu",
        batch_size: int = 32,
        cache_dir=None,
    ):
        self.codebook = codebook
        self.encoder = encoder
        self.share_below = share_below
        self.temperature = temperature
        self.reference = reference
        self.device = device
        self.batch_size = batch_size
        self.cache_dir = cache_dir

    def embedder(self) -> EncoderEmbedder:
        """The verified encoder's unit sentence embeddings (:func:`encode`)."""
        return encoder_embedder(
            self.encoder, device=self.device, batch_size=self.batch_size, cache_dir=self.cache_dir
        )

    def model_record(self) -> dict:
        """The encoder this scorer uses, by content (a run's manifest records it).

        Returns
        -------
        dict
            ``encoder``: the name and the weights sha256 of the verified encoder.
        """
        embedder = self.embedder()
        return {"encoder": {"name": embedder.encoder, "weights_sha256": embedder.weights_sha256}}

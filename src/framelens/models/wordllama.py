"""One cached WordLlama model for everything in framelens that embeds text.

WordLlama (Miller 2024) is a static token-embedding model distilled from an LLM's embedding
table: a text's vector is the mean of its tokens' vectors, so it embeds thousands of sentences a
second on a CPU and ships its weights inside the package (nothing downloads). The model is
loaded once per process (:func:`load_wordllama`) and shared by the embedding scorers.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np

#: The WordLlama configuration and dimension whose weights ship with the ``wordllama`` package.
DEFAULT_CONFIG = "l2_supercat"
DEFAULT_DIM = 256


@lru_cache(maxsize=4)
def load_wordllama(config: str = DEFAULT_CONFIG, dim: int = DEFAULT_DIM):
    """Load (once per process) the WordLlama model bundled with the ``wordllama`` package.

    Parameters
    ----------
    config : str, default "l2_supercat"
        WordLlama configuration name.
    dim : int, default 256
        Embedding dimension (the package ships the 256-dimensional weights).

    Returns
    -------
    wordllama.WordLlamaInference
        The model; never downloads (``disable_download=True``).
    """
    with _root_logging_kept():
        import wordllama
        from wordllama import WordLlama

    return WordLlama.load(
        config=config, dim=dim, cache_dir=Path(wordllama.__file__).parent, disable_download=True
    )


@contextmanager
def _root_logging_kept():
    """Undo what importing ``wordllama`` does to the process's logging.

    ``wordllama`` calls ``logging.basicConfig(level=logging.INFO)`` when imported: in a process
    whose logging was not configured, that adds a stderr handler to the root logger and lowers
    it to INFO, so every library's INFO messages (fontTools prints ~1,800 while the study's
    PDFs are saved) reach the terminal. The root logger's handlers and level are put back as
    they were before the import; a user's own configuration is left as it is.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
        root.setLevel(level)


def embed_texts(texts, *, batch_size: int = 512) -> np.ndarray:
    """Unit-length WordLlama embeddings of ``texts``.

    The same vectors as ``WordLlama.embed(texts, norm=True)`` (the mean of the token vectors),
    pooled without padding each batch to its longest text, which is several times faster on
    news sentences of very different lengths.

    Parameters
    ----------
    texts : sequence of str
        Texts to embed; texts without tokens get a zero vector.
    batch_size : int, default 512
        Texts tokenised per batch.

    Returns
    -------
    ndarray of float32, shape (len(texts), dim)
        Rows of unit L2 norm (zero rows for texts without tokens), so a dot product is a cosine.
    """
    model = load_wordllama()
    texts = [str(t) for t in texts]
    matrix = model.embedding
    out = np.zeros((len(texts), matrix.shape[1]), dtype=np.float32)
    for begin in range(0, len(texts), batch_size):
        encodings = model.tokenizer.encode_batch(
            texts[begin : begin + batch_size], add_special_tokens=False
        )
        ids = [
            np.asarray(e.ids, dtype=np.int64)[np.asarray(e.attention_mask, dtype=bool)]
            for e in encodings
        ]
        lengths = np.array([len(i) for i in ids])
        if lengths.sum() == 0:
            continue
        flat = np.clip(np.concatenate(ids), 0, matrix.shape[0] - 1)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        nonempty = lengths > 0
        sums = np.add.reduceat(matrix[flat], starts[nonempty], axis=0)
        out[begin + np.flatnonzero(nonempty)] = sums / lengths[nonempty, None]
    return _unit_rows(out)


def token_vectors(text: str) -> tuple[np.ndarray, np.ndarray]:
    """WordLlama's tokens of ``text``: their character offsets and embedding vectors.

    Parameters
    ----------
    text : str
        One text.

    Returns
    -------
    offsets : ndarray of int, shape (n_tokens, 2)
        ``(start, end)`` character offsets of each token in ``text``.
    vectors : ndarray of float32, shape (n_tokens, dim)
        The tokens' (unnormalised) embedding vectors, whose mean is the text's embedding.
    """
    model = load_wordllama()
    encoding = model.tokenizer.encode(text, add_special_tokens=False)
    keep = [i for i, m in enumerate(encoding.attention_mask) if m]
    ids = np.clip(np.asarray(encoding.ids, dtype=np.int64)[keep], 0, model.embedding.shape[0] - 1)
    offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)[keep]
    return offsets, model.embedding[ids]


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)

"""A small content-addressed cache of model outputs, so that a rerun costs nothing.

A cached value is the probability vector a model gave one input (or, stored with
:meth:`ScoreCache.put_vectors`, an embedding). Its key is a sha256 over
everything that determines that output: the hash of the model's weights, the exact input
text(s) and the settings that change what the model sees (hypothesis, truncation length,
numeric precision). Identical inputs therefore hit the cache whichever corpus, run or scorer
they come from, and a changed model or setting can never return a stale value.

The cache lives in one SQLite file (``scores.sqlite``) inside a directory the caller names;
nothing is written anywhere else. SQLite is in the standard library, is safe against a run that
is killed half-way (each write is a transaction) and lets two processes share a cache.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from framelens.errors import InputError

#: Bumped whenever the meaning of a cached value changes, so old entries are never reused.
CACHE_FORMAT = 1
CACHE_FILE = "scores.sqlite"


def text_hash(text: str) -> str:
    """Return the sha256 hex digest of ``text`` (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_key(model_hash: str, text: str, settings: Mapping | str | None = None) -> str:
    """Build the key of one cached model output.

    Parameters
    ----------
    model_hash : str
        sha256 of the model's weight files (see :func:`framelens.models.huggingface.model_hash`).
    text : str
        The input text; hashed, so keys have a fixed length whatever its size.
    settings : mapping or str, optional
        Everything else that changes the output (hypothesis, max_length, precision, ...).
        A mapping is serialised with sorted keys, so key order does not matter.

    Returns
    -------
    str
        A 64-character sha256 hex digest.
    """
    if settings is None or isinstance(settings, str):
        settings_text = settings or ""
    else:
        settings_text = json.dumps(settings, sort_keys=True, ensure_ascii=False, default=str)
    material = json.dumps([CACHE_FORMAT, model_hash, text_hash(text), settings_text])
    return text_hash(material)


class ScoreCache:
    """Model outputs stored by key in ``<directory>/scores.sqlite``.

    Parameters
    ----------
    directory : str or Path
        The cache directory; created if missing. Only ``scores.sqlite`` is written in it.

    Examples
    --------
    >>> cache = ScoreCache(tmp_path)                                 # doctest: +SKIP
    >>> cache.put_many({"k": [0.2, 0.8]})                            # doctest: +SKIP
    >>> cache.get_many(["k", "missing"])                             # doctest: +SKIP
    {'k': [0.2, 0.8]}
    """

    def __init__(self, directory):
        self.directory = Path(directory).expanduser()
        if self.directory.exists() and not self.directory.is_dir():
            raise InputError(
                "the cache location is a file, not a directory",
                source=self.directory,
                hint="pass a directory for cache_dir (it is created if missing)",
            )
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / CACHE_FILE
        try:
            with self._connect() as db:
                db.execute("CREATE TABLE IF NOT EXISTS scores (key TEXT PRIMARY KEY, value TEXT)")
        except sqlite3.DatabaseError as err:
            raise InputError(
                f"the score cache cannot be opened ({err})",
                source=self.path,
                hint="delete the file to start a fresh cache",
            ) from err

    @contextlib.contextmanager
    def _connect(self):
        # One short-lived connection per call: commits on success, always closes the file.
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:
                yield db
        finally:
            db.close()

    def get_many(self, keys: Iterable[str]) -> dict[str, list[float]]:
        """Return the cached values of the ``keys`` that are present (missing keys are absent)."""
        keys = list(dict.fromkeys(keys))
        found: dict[str, list[float]] = {}
        with self._connect() as db:
            # SQLite limits the number of bound parameters; 500 stays far below every default.
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(f"SELECT key, value FROM scores WHERE key IN ({marks})", chunk)
                found.update((key, json.loads(value)) for key, value in rows)
        return found

    def put_many(self, values: Mapping[str, Iterable[float]]) -> None:
        """Store ``values`` (key -> vector of floats) in one transaction."""
        rows = [(key, json.dumps([float(v) for v in vec])) for key, vec in values.items()]
        if not rows:
            return
        with self._connect() as db:
            db.executemany("INSERT OR REPLACE INTO scores (key, value) VALUES (?, ?)", rows)

    def get_vectors(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        """Return the cached float32 vectors of the ``keys`` present (see :meth:`put_vectors`)."""
        keys = list(dict.fromkeys(keys))
        found: dict[str, np.ndarray] = {}
        with self._connect() as db:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(f"SELECT key, value FROM scores WHERE key IN ({marks})", chunk)
                found.update((key, _decode_vector(value)) for key, value in rows)
        return found

    def put_vectors(self, values: Mapping[str, np.ndarray]) -> None:
        """Store float32 vectors (key -> 1-d array) in one transaction.

        Stored as base64 of their little-endian float32 bytes: exact, and a quarter of the size
        of a JSON list of floats (a 384-dimensional embedding takes 2 kB instead of 8 kB).
        """
        rows = [
            (key, _VECTOR_PREFIX + base64.b64encode(_float32_bytes(vec)).decode("ascii"))
            for key, vec in values.items()
        ]
        if not rows:
            return
        with self._connect() as db:
            db.executemany("INSERT OR REPLACE INTO scores (key, value) VALUES (?, ?)", rows)

    def __len__(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM scores").fetchone()[0])

    def __repr__(self) -> str:
        return f"ScoreCache({str(self.directory)!r})"


_VECTOR_PREFIX = "f32:"


def _float32_bytes(vector) -> bytes:
    return np.ascontiguousarray(vector, dtype="<f4").reshape(-1).tobytes()


def _decode_vector(value: str) -> np.ndarray:
    if value.startswith(_VECTOR_PREFIX):
        raw = base64.b64decode(value[len(_VECTOR_PREFIX) :])
        return np.frombuffer(raw, dtype="<f4").astype(np.float32)
    return np.asarray(json.loads(value), dtype=np.float32)  # a vector stored as a JSON list

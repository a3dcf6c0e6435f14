"""Tables cached by the hash of what produced them, so a rerun of a study recomputes nothing.

Used by the experiment runner (:mod:`framelens.runs.experiment`) and its stages
(:mod:`framelens.runs.stages`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from framelens.hashing import sha256_bytes


# --------------------------------------------------------------------------- hashing
def table_hash(table: pd.DataFrame) -> str:
    """A content hash of a DataFrame (values and column names, not memory layout)."""
    values = pd.util.hash_pandas_object(table.reset_index(drop=True), index=False).to_numpy()
    return sha256_bytes(values.tobytes() + "|".join(map(str, table.columns)).encode())


# --------------------------------------------------------------------------- cache
class TableCache:
    """Tables cached as Parquet files named by the hash of what produced them.

    Parameters
    ----------
    directory : Path
        Where the cached tables live (inside the run's results folder).
    force : bool
        Ignore cached tables (they are overwritten).
    """

    def __init__(self, directory: Path, force: bool = False):
        self.directory = Path(directory)
        self.force = force
        self.hits: list[str] = []

    def get_or_compute(self, key: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """Return the cached table for ``key``, computing and storing it if absent."""
        path = self.directory / f"{key}.parquet"
        if path.is_file() and not self.force:
            self.hits.append(key)
            return pd.read_parquet(path)
        table = compute()
        self.directory.mkdir(parents=True, exist_ok=True)
        table.reset_index(drop=True).to_parquet(path, index=False)
        # Read back so a fresh and a cached run hand identical dtypes downstream.
        return pd.read_parquet(path)


def scorer_key(kind: str, scorer, codebook_hash: str, data_hash: str) -> str:
    """Cache key of one scorer's output: its name and settings, what it learned, the codebook
    and the data.

    A trained scorer loaded from a model file has the same settings whatever it learned, so its
    learned state (the attributes ending in ``_``) is part of the key: a retrained model never
    returns the previous model's cached scores. Rule-based scorers learn nothing and keep the
    key they always had.
    """
    params = json.dumps(
        {k: repr(v) for k, v in sorted(scorer.get_params(deep=False).items()) if k != "codebook"},
        sort_keys=True,
    )
    # A model named by a short name or path can change under it: key on its weights' hash.
    fingerprint = getattr(scorer, "model_fingerprint", None)
    if callable(fingerprint):
        params += "|" + fingerprint()
    learned = {k: v for k, v in vars(scorer).items() if k.endswith("_") and not k.startswith("_")}
    if learned:
        import joblib

        params += "|" + joblib.hash(learned, hash_name="sha1")
    return sha256_bytes(f"{kind}|{scorer.name}|{params}|{codebook_hash}|{data_hash}".encode())[:32]

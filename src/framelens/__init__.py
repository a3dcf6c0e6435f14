"""framelens: media framing and stance research.

The flow is a chain of plain functions over tidy pandas tables (see ``framelens.tables``), one
subpackage per step (docs/architecture.md)::

    text (read_corpus -> clean_articles -> segment_articles -> find_mentions)
        -> scorers (build_scorer: stance, frames) -> analysis (article_scores, group_means,
        keyness) -> plots; validation checks every scorer against human coding; runs composes
        it all from an experiment config.

The most used functions are available from the top level, imported on first use so that
``import framelens`` stays cheap::

    import framelens as fl
    tables = fl.ingest("corpora/pakistan_russia")
    mentions = fl.find_mentions(tables.sentences, fl.load_codebook())
"""

from __future__ import annotations

import importlib

from framelens.errors import FramelensError, InputError

__version__ = "0.1.0"

#: The top-level API: name -> the module that defines it (imported when the name is first used).
_API = {
    "read_corpus": "framelens.text.corpus",
    "clean_articles": "framelens.text.clean",
    "segment_articles": "framelens.text.segment",
    "ingest": "framelens.text.ingest",
    "find_mentions": "framelens.text.mentions",
    "load_codebook": "framelens.codebook",
    "build_scorer": "framelens.scorers.build",
    "available_scorers": "framelens.scorers.base",
    "article_scores": "framelens.analysis.aggregate",
    "group_means": "framelens.analysis.groups",
    "omnibus_tests": "framelens.analysis.significance",
    "pairwise_tests": "framelens.analysis.significance",
    "over_time": "framelens.analysis.trends",
    "compare_groups": "framelens.analysis.compare",
    "keyness": "framelens.analysis.keyness",
    "read_gold": "framelens.datasets.gold",
    "agreement": "framelens.validation.reliability",
    "validation_table": "framelens.validation.metrics",
    "score_corpus": "framelens.runs.scoring",
    "load_experiment": "framelens.runs.config",
    "run_experiment": "framelens.runs.experiment",
    "process_corpus": "framelens.runs.process",
    "read_dataset": "framelens.runs.process",
}

__all__ = ["FramelensError", "InputError", "__version__", *sorted(_API)]


def __getattr__(name: str):
    # PEP 562: import the defining module only when a top-level name is first used.
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'framelens' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))

"""The ``framelens`` command line: thin wrappers over the library, grouped by verb.

Each module holds the commands of one group of verbs (``ingest`` also has ``show``;
``compare`` also has ``figures``): it parses options, calls the library and prints; no logic of
its own. A new command is a module that registers on ``app``, listed in ``_COMMAND_MODULES``.
``summaries`` renders tables for the terminal. The top layer: it may import any other, and
nothing imports it but ``framelens.__main__``.
"""

from __future__ import annotations

import importlib

from framelens.cli._app import app

# Each module registers its commands on ``app`` when imported.
_COMMAND_MODULES = [
    "ingest",
    "codebook",
    "score",
    "annotate",
    "validate",
    "train",
    "spans",
    "compare",
    "run",
    "process",
    "models",
]


def _register_commands() -> None:
    for module in _COMMAND_MODULES:
        importlib.import_module(f"framelens.cli.{module}")


def main() -> None:
    """Entry point of the ``framelens`` console script."""
    from framelens.runs.collection import exiting, fewer_collections

    try:
        with fewer_collections():  # from the command's imports on (see that module)
            _register_commands()
            app()
    finally:
        exiting()  # the process ends when the command does


__all__ = ["app", "main"]

"""Reading TOML settings files (corpus and experiment configs) with clear errors."""

from __future__ import annotations

import tomllib
from pathlib import Path

from framelens.errors import InputError
from framelens.text.clean import CleanConfig


def read_toml(path) -> dict:
    """Parse a TOML file; a syntax error names the file and line.

    Raises
    ------
    InputError
        If the file is missing or not valid TOML.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", source=path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise InputError(
            f"invalid TOML: {err}",
            source=path,
            hint="check quotes, brackets and commas on that line",
        ) from err
    except UnicodeDecodeError as err:
        raise InputError("the file is not UTF-8 text", source=path) from err


def load_cleaning_config(config_path=None, corpus_path=None) -> CleanConfig:
    """The ``[cleaning]`` table of ``config_path``, else of ``CORPUS/corpus.toml`` if present.

    Returns the default :class:`CleanConfig` when neither file exists.
    """
    path = Path(config_path) if config_path else None
    if path is None and corpus_path is not None and Path(corpus_path).is_dir():
        candidate = Path(corpus_path) / "corpus.toml"
        path = candidate if candidate.is_file() else None
    if path is None:
        return CleanConfig()
    return CleanConfig.from_dict(read_toml(path).get("cleaning"), source=path)

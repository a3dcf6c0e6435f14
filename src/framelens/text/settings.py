"""Reading TOML settings files (corpus and experiment configs) with clear errors.

A corpus directory may hold a ``corpus.toml`` with the settings that belong to the corpus
itself: ``[cleaning]`` (see :class:`framelens.text.clean.CleanConfig`) and ``[dates]`` (see
:class:`framelens.text.dates.DateSettings`), e.g.::

    [dates]
    dayfirst = true            # 02/11/2023 is 2 November
    # date_format = "%d.%m.%Y" # or one strptime format for every value that is not ISO 8601
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from framelens.errors import InputError
from framelens.text.clean import CleanConfig
from framelens.text.dates import DateSettings


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


def corpus_toml(corpus_path) -> Path | None:
    """``CORPUS/corpus.toml`` if ``corpus_path`` is a directory that has one, else ``None``."""
    if corpus_path is None or not Path(corpus_path).is_dir():
        return None
    candidate = Path(corpus_path) / "corpus.toml"
    return candidate if candidate.is_file() else None


def load_cleaning_config(config_path=None, corpus_path=None) -> CleanConfig:
    """The ``[cleaning]`` table of ``config_path``, else of ``CORPUS/corpus.toml`` if present.

    Returns the default :class:`CleanConfig` when neither file exists.
    """
    path = Path(config_path) if config_path else corpus_toml(corpus_path)
    if path is None:
        return CleanConfig()
    return CleanConfig.from_dict(read_toml(path).get("cleaning"), source=path)


def load_date_settings(config_path=None, corpus_path=None) -> DateSettings:
    """The ``[dates]`` table of ``config_path`` if it has one, else of ``CORPUS/corpus.toml``.

    The day/month order belongs to the corpus, so a ``--config`` file without ``[dates]``
    leaves the corpus's own declaration in force. Returns the default :class:`DateSettings`
    (infer from the values) when neither declares it.
    """
    for path in (Path(config_path) if config_path else None, corpus_toml(corpus_path)):
        if path is not None:
            table = read_toml(path).get("dates")
            if table is not None:
                return DateSettings.from_dict(table, source=path)
    return DateSettings()

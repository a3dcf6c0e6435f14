"""Output paths of every command that writes, checked once, before any work is done.

A researcher who gives an output path that cannot be used learns it in one line before the
work starts, not from a traceback at its end. :func:`check_output_folder` and
:func:`check_output_file` refuse, with an :class:`~framelens.errors.InputError` that names the
path and the fix:

* a folder is wanted and the path is an existing file (``ingest corpus.jsonl -o corpus.jsonl``),
  or a file is wanted and the path is an existing folder;
* a folder on the way is a file, or the folder (or the nearest one above it that exists)
  cannot be written;
* the output is one of the inputs (it would be overwritten), or lies inside an input corpus
  folder: the next read of the corpus would warn about (or read) the outputs as articles, and
  the corpus's input hashes, which make a run reproducible, would change with every run;
* an input lies inside the output folder (``score out/articles.parquet -o out``): the command
  would overwrite it, or replace the tables that came with it (``removed.parquet``, the audit
  trail of the cleaning that made it), and the folder would mix two runs.

Nothing is created here, so a command that stops later on bad input leaves no empty folder.
The writers themselves still turn an ``OSError`` into a clear error (a disk can fill up or a
folder be removed while the work runs); these checks catch the common mistakes early.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from framelens.errors import InputError


def check_output_folder(path, *, inputs: Iterable = (), option: str = "-o/--output") -> Path:
    """Check that ``path`` can be used (or created) as an output folder.

    Parameters
    ----------
    path : str or Path
        The output folder; it may not exist yet.
    inputs : iterable of str or Path
        The command's inputs (corpus folders or files): the output must be none of them and
        must not lie inside one of the folders.
    option : str
        How the user gave the path (an option, or a config key), named in the hint.

    Returns
    -------
    Path
        ``path`` as a Path.

    Raises
    ------
    InputError
        When the path is an existing file, lies inside an input, or cannot be written.
    """
    path = Path(path)
    if path.is_file():
        same = any(item is not None and Path(item).resolve() == path.resolve() for item in inputs)
        raise InputError(
            "the output must be a folder, and this is an existing file"
            + (" (the input itself)" if same else ""),
            source=path,
            hint=f"give a new or existing folder for {option}, e.g. {_suggest(path)}",
        )
    _check_not_input(path, inputs, option, folder=True)
    _check_writable(path, option)
    return path


def check_output_file(
    path, *, inputs: Iterable = (), option: str = "-o/--output", suffixes: Iterable[str] = ()
) -> Path:
    """Check that ``path`` can be written (or overwritten) as an output file.

    Parameters
    ----------
    path : str or Path
        The output file; it may not exist yet (its folder is created when written).
    inputs : iterable of str or Path
        The command's inputs: the output must be none of them, nor lie inside an input folder.
    option : str
        How the user gave the path, named in the hint.
    suffixes : iterable of str, optional
        Allowed file endings (e.g. ``(".csv", ".parquet")``); empty allows any.

    Returns
    -------
    Path
        ``path`` as a Path.

    Raises
    ------
    InputError
        When the path is an existing folder, has another ending, is an input, or cannot be
        written.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(
            "the output must be a file, and this is an existing folder",
            source=path,
            hint=f"give a file path for {option}, e.g. {path / ('out' + _first(suffixes))}",
        )
    suffixes = tuple(suffixes)
    if suffixes and path.suffix.lower() not in suffixes:
        raise InputError(
            f"the output file must end in {' or '.join(suffixes)}",
            source=path,
            hint=f"e.g. {option} {path.with_suffix(suffixes[0])}",
        )
    _check_not_input(path, inputs, option)
    _check_writable(path.parent, option, file=path)
    return path


def _check_not_input(path: Path, inputs: Iterable, option: str, *, folder: bool = False) -> None:
    """Inputs and outputs are kept apart: the output is no input and lies inside none, and an
    output ``folder`` holds no input."""
    target = path.resolve()
    for item in inputs:
        if item is None:
            continue
        source = Path(item).resolve()
        if target == source:
            raise InputError(
                "the output folder is an input of this command: the outputs would overwrite "
                "it or be mixed with it"
                if folder
                else "the output is an input of this command and would be overwritten",
                source=path,
                hint=f"give {option} a path outside the input"
                + (f", e.g. {_suggest(path)}" if folder else ""),
            )
        if source.is_dir() and target.is_relative_to(source):
            raise InputError(
                f"the output lies inside the input folder {item}; the next read of the input "
                "would meet the outputs, and its input hashes would change",
                source=path,
                hint=f"give {option} a folder outside {item}",
            )
        if folder and source.exists() and source.is_relative_to(target):
            raise InputError(
                f"the input {item} lies inside the output folder; the outputs could overwrite "
                "it, or be taken for the tables it came with",
                source=path,
                hint=f"give {option} a new folder that holds no input, e.g. {_suggest(path)}",
            )


def _check_writable(folder: Path, option: str, *, file: Path | None = None) -> None:
    """The folder, or the nearest folder above it that exists, must be a writable folder."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    shown = file if file is not None else folder
    if not existing.is_dir():
        raise InputError(
            f"{existing} is a file, so no folder can be made below it",
            source=shown,
            hint=f"give {option} a path whose folders are folders",
        )
    # os.access answers for this user (root can write anywhere, which is then true).
    if not os.access(existing, os.W_OK | os.X_OK):
        what = "folder" if existing == folder else f"folder {existing}"
        raise InputError(
            f"cannot write in the {what} (permission denied)",
            source=shown,
            hint=f"give {option} a folder you can write, or change its permissions",
        )


def _suggest(path: Path) -> str:
    if path.name in ("", ".", ".."):
        return str(path / "out")
    return str(path.with_name(f"{path.stem}_out")) if path.suffix else str(path) + "_out"


def _first(suffixes: Iterable[str]) -> str:
    return next(iter(suffixes), "")


__all__ = ["check_output_file", "check_output_folder"]

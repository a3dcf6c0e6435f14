"""The Typer application shared by every CLI module, and the one place errors are reported.

CLI modules only parse arguments and compose library functions; a :class:`FramelensError`
(bad input) is printed as one red line and exits with code 2 (3 for a run that stopped and can
resume: :class:`~framelens.errors.RunError`), never as a traceback.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable

import typer
from rich.console import Console
from rich.markup import escape

from framelens.errors import FramelensError, InputWarning, RunError

app = typer.Typer(
    name="framelens",
    help="Media framing and stance research: ingest, score, validate, compare, plot.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)
# Everything printed on stdout is data (tables, paths, model names), never rich markup, so a
# "[pretrained]" or "[x].csv" in a cell or path is printed as it is.
out = Console(markup=False)

EXIT_BAD_INPUT = 2
EXIT_RUN_FAILED = 3  # the run stopped (workers died, disk full); the same command resumes


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    """Print ``message`` as an error and exit with ``code``."""
    console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def reports_errors(func: Callable) -> Callable:
    """Decorate a command so bad input ends in a clear message and a non-zero exit.

    Warnings of :class:`InputWarning` raised inside are printed as yellow lines.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", InputWarning)
            try:
                result = func(*args, **kwargs)
            except FramelensError as err:
                _print_warnings(caught)
                fail(str(err), EXIT_RUN_FAILED if isinstance(err, RunError) else EXIT_BAD_INPUT)
            _print_warnings(caught)
            return result

    return wrapper


def _print_warnings(caught) -> None:
    """Each distinct warning once (a cause met by several parts of a command is one line)."""
    shown = set()
    for w in caught:
        if issubclass(w.category, InputWarning) and str(w.message) not in shown:
            shown.add(str(w.message))
            console.print(
                f"[yellow]warning:[/] {escape(str(w.message))}", highlight=False, soft_wrap=True
            )

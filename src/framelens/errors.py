"""Errors that name the file, the record and the fix.

Every problem with a researcher's input is raised as :class:`InputError` so the CLI can print
one clear line and exit non-zero instead of a traceback.
"""

from __future__ import annotations

# Control characters are written as escapes in messages: a NUL or an escape sequence from a
# misread file would otherwise garble the terminal (a UTF-16 file's column names read as UTF-8
# are full of NULs). Newlines and tabs stay.
_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(32), 127) if chr(code) not in "\n\t"}


class FramelensError(Exception):
    """Base class of every error framelens raises on purpose."""


class InputError(FramelensError, ValueError):
    """Bad input: a file, record or setting that cannot be used as given.

    Parameters
    ----------
    message : str
        What is wrong.
    source : str, optional
        The file (or other source) the problem is in.
    record : str or int, optional
        The line, row or record id inside ``source``.
    hint : str, optional
        What the user can do about it.
    """

    def __init__(self, message: str, *, source=None, record=None, hint: str | None = None):
        self.message = message
        self.source = None if source is None else str(source)
        self.record = record
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.source is not None:
            where = self.source
            if self.record is not None:
                where += f", {self.record}"
            where += ": "
        elif self.record is not None:
            where = f"{self.record}: "
        text = where + self.message
        if self.hint:
            text += f" ({self.hint})"
        return text.translate(_ESCAPES)


class RunError(FramelensError):
    """A run could not finish (workers died, the disk filled up, a file changed under it).

    Finished partitions are kept, so the same command resumes once the cause is fixed.

    Parameters
    ----------
    message : str
        What went wrong.
    hint : str, optional
        What the user can do about it.
    """

    def __init__(self, message: str, *, hint: str | None = None):
        self.message, self.hint = message, hint
        super().__init__(message + (f" ({hint})" if hint else ""))


class InputWarning(UserWarning):
    """A problem with the input that does not stop the run (``--strict`` makes it an error)."""

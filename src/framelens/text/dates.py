"""Publication dates as the publisher wrote them: one day/month order per column, no zone shifts.

The ``date`` of an article (a ``metadata.csv`` column, or a field of a JSONL/CSV/Parquet
input) is read by these rules, the same in the in-memory and the partitioned path:

* **Stored form.** The articles table holds an ISO 8601 calendar date in ``date``
  (``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` when the value gives only that) and the value as
  written in ``date_raw``.
* **Time zones never move a date.** A time of day and a zone (``T03:00:00+05:00``, ``Z``,
  ``GMT``) are dropped, never applied: the date is the calendar date written in the value, for
  a publisher's timestamp the day its readers saw. (Converting to UTC moved
  ``2023-10-01T03:00:00+05:00`` to 30 September, into another quarter.)
* **Forms read.** ISO 8601 (``2023-11-02``, ``2023-11``, ``2023``, ``20231102``, with a time
  and offset); year first with ``/`` or ``.`` (``2023/11/02``); day and month as numbers with
  the year last (``02/11/2023``, ``2.11.2023``, ``02-11-23``); English month names
  (``5 March 2021``, ``March 5, 2021``, ``05-Mar-2021``, ``Tue, 05 Mar 2021 10:00:00 GMT``,
  ``March 2021``). A two-digit year is 2000-2068 for 00-68 and 1969-1999 for 69-99, as
  Python's ``%y``.
* **One day/month order per column.** For numeric dates like ``02/11/2023`` the order is
  declared (``dayfirst`` in the ``[dates]`` table of ``corpus.toml`` or of the experiment
  config) or inferred from the values valid in one order only (``13/11/2023`` can only be
  day-first); the ambiguous values are read in that order and listed in a warning. When no
  value settles it, they are read day-first (:data:`DEFAULT_DAYFIRST`), with a warning listing
  them. Values that prove both orders, or contradict the declared one, are an error naming
  them: one column is never read in two orders.
* A declared ``date_format`` (``strptime`` codes, e.g. ``"%d.%m.%Y"``) reads every value that
  is not ISO 8601; a value that does not match it is unreadable.
* **Unreadable values** (``"yesterday"``, ``31/02/2023``) leave the date empty; the article is
  kept and the value listed as a problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from framelens.errors import InputError

#: The order of numeric dates when nothing declares or proves it: day first, the order of most
#: of the world's press (and of ``dd.mm.yyyy``); month-first (US) dates must be declared.
DEFAULT_DAYFIRST = True
# Values listed in a message before "and N more".
_LISTED = 8

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
# A time of day and a zone after the date: read past, never applied.
_TIME = (
    r"(?:[T\s,]+(?:at\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*(?:z|[a-z]{2,5}|(?:utc|gmt)?\s*[+-]\d{1,2}(?::?\d{2})?))?)?"
)
_ISO = re.compile(
    r"(?P<y>\d{4})(?:(?P<sep>[-/.])(?P<m>\d{1,2})(?:(?P=sep)(?P<d>\d{1,2}))?)?" + _TIME, re.I
)
_ISO_BASIC = re.compile(
    r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:T\d{2}:?\d{2}(?::?\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?",
    re.I,
)
_NUMERIC = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})" + _TIME, re.I
)
_NAMED = [
    # 5 March 2021, 05-Mar-21, 5th of March, 2021, Tue, 05 Mar 2021 10:00:00 GMT
    re.compile(
        _WEEKDAY + _DAY + r"[\s\-/.]+(?:of\s+)?" + _MONTH + r"[,\s\-/.]+(?P<y>\d{4}|\d{2})" + _TIME,
        re.I,
    ),
    # March 5, 2021; Mar. 5 2021
    re.compile(_WEEKDAY + _MONTH + r"[\s\-/.]+" + _DAY + r",?[\s\-/.]+(?P<y>\d{4})" + _TIME, re.I),
    # 2021-Mar-05
    re.compile(r"(?P<y>\d{4})[\s\-/.]+" + _MONTH + r"[\s\-/.]+" + _DAY + _TIME, re.I),
    # March 2021 (month precision)
    re.compile(_MONTH + r"[,\s\-/.]+(?P<y>\d{4})", re.I),
]


@dataclass(frozen=True)
class DateSettings:
    """How a corpus's dates are read: the ``[dates]`` table of corpus.toml or an experiment.

    Parameters
    ----------
    dayfirst : bool, optional
        The order of numeric dates (``02/11/2023``): ``True`` day first, ``False`` month first.
        ``None`` infers it from the column (see the module docstring).
    date_format : str, optional
        A ``strptime`` format for every value that is not ISO 8601, e.g. ``"%d/%m/%Y"``.
    source : str, optional
        Where the settings were declared, for messages.
    """

    dayfirst: bool | None = None
    date_format: str | None = None
    source: str | None = None

    @classmethod
    def from_dict(cls, table: dict | None, *, source=None) -> DateSettings:
        """Build from a ``[dates]`` table; unknown keys, wrong types or a bad format raise.

        Raises
        ------
        InputError
            Naming ``source`` and the key.
        """
        if table is not None and not isinstance(table, dict):
            raise InputError("[dates] must be a table", source=source, record="[dates]")
        table = dict(table or {})
        known = {"dayfirst", "date_format"}
        unknown = sorted(set(table) - known)
        if unknown:
            raise InputError(
                f"unknown date setting(s) {', '.join(unknown)}",
                source=source,
                record="[dates]",
                hint=f"known: {', '.join(sorted(known))}",
            )
        dayfirst = table.get("dayfirst")
        if dayfirst is not None and not isinstance(dayfirst, bool):
            raise InputError(
                "dayfirst must be true or false", source=source, record="[dates] dayfirst"
            )
        date_format = table.get("date_format")
        if date_format is not None:
            _check_format(date_format, source)
        return cls(dayfirst, date_format, None if source is None else str(source))

    def describe(self) -> dict:
        """The settings as plain values (for run fingerprints and manifests)."""
        return {"dayfirst": self.dayfirst, "date_format": self.date_format}


@dataclass(frozen=True)
class DateOrder:
    """How one date column is read, fixed once for the whole column.

    ``basis`` says why: ``"declared"`` (``dayfirst`` set), ``"format"`` (``date_format`` set),
    ``"inferred"`` (values valid in one order only) or ``"default"`` (nothing settles it).
    """

    dayfirst: bool = DEFAULT_DAYFIRST
    date_format: str | None = None
    basis: str = "default"

    @property
    def name(self) -> str:
        """``"day-first"`` or ``"month-first"``."""
        return "day-first" if self.dayfirst else "month-first"


def _check_format(date_format, source) -> None:
    if not isinstance(date_format, str) or not re.search(r"%[Yy]", date_format):
        raise InputError(
            f"date_format {date_format!r} must be a strptime format with a year (%Y or %y)",
            source=source,
            record="[dates] date_format",
            hint='e.g. date_format = "%d/%m/%Y"',
        )
    try:  # an unknown directive fails on the way out or back in
        datetime.strptime(datetime(2001, 2, 3, 4, 5, 6).strftime(date_format), date_format)
    except ValueError as err:
        raise InputError(
            f"date_format {date_format!r} is not a usable strptime format: {err}",
            source=source,
            record="[dates] date_format",
        ) from err


# ------------------------------------------------------------------------------ one value
def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # Python's %y: 69-99 -> 1900s, 00-68 -> 2000s
        year += 1900 if year >= 69 else 2000
    return year


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """The ISO form of a date (at the precision given), or None if it does not exist."""
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


@dataclass(frozen=True)
class _Parsed:
    """A value read without a day/month order.

    ``form`` is ``"iso"``, ``"named"`` (a month name), ``"numeric"`` (day and month as numbers)
    or ``None`` (no form framelens reads). ``iso`` is the date when the form settles it;
    numeric values have ``day_first`` and ``month_first`` instead (``None`` where that reading
    is no date).
    """

    form: str | None = None
    iso: str | None = None
    day_first: str | None = None
    month_first: str | None = None


def _parse(value: str) -> _Parsed:
    text = value.strip()
    for pattern in (_ISO, _ISO_BASIC):
        match = pattern.fullmatch(text)
        if match:
            month, day = match["m"], match["d"]
            return _Parsed("iso", _iso(int(match["y"]), month and int(month), day and int(day)))
    match = _NUMERIC.fullmatch(text)
    if match:
        a, b, year = int(match["a"]), int(match["b"]), _year(match["y"])
        return _Parsed("numeric", None, _iso(year, b, a), _iso(year, a, b))
    for pattern in _NAMED:
        match = pattern.fullmatch(text)
        if match:
            month = _MONTHS[match["mon"][:3].lower()]
            day = match.groupdict().get("d")
            return _Parsed("named", _iso(_year(match["y"]), month, day and int(day)))
    return _Parsed()


def _strptime(text: str, date_format: str) -> str | None:
    try:
        parsed = datetime.strptime(text, date_format)
    except ValueError:
        return None
    # The calendar date as written: an offset (%z) is read, never applied.
    has_day = re.search(r"%[dj]", date_format)
    has_month = re.search(r"%[mbB]", date_format)
    return _iso(parsed.year, parsed.month if has_month else None, parsed.day if has_day else None)


def read_date(value, order: DateOrder = DateOrder()) -> tuple[str, str | None]:
    """Read one date value in a column's order.

    Parameters
    ----------
    value : str
        The value as written (empty for no date).
    order : DateOrder
        The column's order (from :func:`resolve_date_order`).

    Returns
    -------
    iso : str
        The ISO calendar date (``""`` when empty or unreadable).
    problem : str or None
        Why a non-empty value could not be read; ``None`` when it was.
    """
    text = "" if value is None else str(value).strip()
    if not text:
        return "", None
    parsed = _parse(text)
    if parsed.form == "iso":  # ISO 8601 is read as such, whatever the column's order or format
        return (parsed.iso, None) if parsed.iso else ("", f"date {text!r} does not exist")
    if order.date_format is not None:
        iso = _strptime(text, order.date_format)
        if iso is None:
            return "", f"date {text!r} does not match date_format {order.date_format!r}"
        return iso, None
    if parsed.form == "numeric":
        iso = parsed.day_first if order.dayfirst else parsed.month_first
        if iso is None:
            return "", f"date {text!r} is not a date when read {order.name}"
        return iso, None
    if parsed.form == "named":
        return (parsed.iso, None) if parsed.iso else ("", f"date {text!r} does not exist")
    return "", f"{text!r} is not a date framelens can read"


# ------------------------------------------------------------------------------ a column
def date_texts(values) -> list[str]:
    """Date values as text, the same for every input format (missing values as ``""``).

    A timestamp from Parquet becomes its ISO text with its own offset
    (``2023-10-01 03:00:00+05:00``), so its calendar date is the one it was stored with.
    """
    out = []
    for value in values:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            out.append("")
        else:
            out.append(str(value).strip())
    return out


def resolve_date_order(
    values: Iterable[tuple[str, object]], settings: DateSettings | None = None, *, source=None
) -> tuple[DateOrder, list[str]]:
    """Fix the day/month order of one date column, from its settings and its values.

    Parameters
    ----------
    values : iterable of (record, value)
        Every value of the column with its record (``"line 3"``), in input order.
    settings : DateSettings, optional
        What the researcher declared.
    source : str or Path, optional
        The file, for messages.

    Returns
    -------
    order : DateOrder
        How every value of the column is read.
    notes : list of str
        Warnings about the column (ambiguous values read in the chosen order), to list as
        problems.

    Raises
    ------
    InputError
        When values prove both orders, or contradict the declared one, naming them.
    """
    settings = settings or DateSettings()
    if settings.date_format is not None:
        return DateOrder(True, settings.date_format, "format"), []
    proves_day, proves_month, ambiguous = [], [], []
    for record, value in values:
        text = "" if value is None else str(value).strip()
        if not text:
            continue
        parsed = _parse(text)
        if parsed.form != "numeric":
            continue
        day, month = parsed.day_first, parsed.month_first
        if day and month and day != month:
            ambiguous.append((record, text))
        elif day and not month:
            proves_day.append((record, text))
        elif month and not day:
            proves_month.append((record, text))
    where = f" ({settings.source} [dates])" if settings.source else ""
    if settings.dayfirst is not None:
        order = DateOrder(settings.dayfirst, None, "declared")
        against = proves_month if settings.dayfirst else proves_day
        if against:
            raise InputError(
                f"{len(against)} date(s) cannot be read {order.name} as declared{where}: "
                f"{_listing(against)}",
                source=source,
                hint="fix those values, or the declared dayfirst",
            )
        return order, []
    if proves_day and proves_month:
        raise InputError(
            "the date column mixes day-first and month-first dates: day-first "
            f"{_listing(proves_day)}; month-first {_listing(proves_month)}",
            source=source,
            hint="one column must use one order: fix the values that break it",
        )
    if proves_day or proves_month:
        order = DateOrder(bool(proves_day), None, "inferred")
        proof = proves_day or proves_month
        notes = []
        if ambiguous:
            notes.append(
                f"{len(ambiguous)} date(s) whose day and month could be swapped are read "
                f"{order.name}, the only order of {_listing(proof, 2)}: {_listing(ambiguous)} "
                f"(declare dayfirst = {str(order.dayfirst).lower()} {declare_where(source)} "
                "to confirm)"
            )
        return order, notes
    order = DateOrder(DEFAULT_DAYFIRST, None, "default")
    notes = []
    if ambiguous:
        notes.append(
            f"the day/month order of {len(ambiguous)} date(s) is not settled by any value "
            f"(day and month are both 12 or less); they are read {order.name}, the default: "
            f"{_listing(ambiguous)} (declare dayfirst = {str(not order.dayfirst).lower()} "
            f"{declare_where(source)} if they are the other way round)"
        )
    return order, notes


def declare_where(source) -> str:
    """Where the researcher declares how the dates of ``source`` are read, for messages.

    A corpus directory has its ``corpus.toml`` beside ``metadata.csv``; a JSONL, CSV or
    Parquet file has no folder of its own, so its ``[dates]`` table goes in the TOML file given
    to ``--config`` or in the experiment config.
    """
    if source is not None and Path(str(source)).name == "metadata.csv":
        return "under [dates] in corpus.toml"
    return "under [dates] in a TOML file given to --config, or in the experiment config"


def _listing(items: list[tuple[str, str]], limit: int = _LISTED) -> str:
    shown = ", ".join(f"{record} {value!r}".strip() for record, value in items[:limit])
    more = len(items) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def read_date_column(values, settings: DateSettings | None = None, *, records=None, source=None):
    """Read a whole column of dates by the rules above.

    Parameters
    ----------
    values : sequence
        The values as written.
    settings : DateSettings, optional
        What the researcher declared.
    records : sequence of str, optional
        The record of each value (``"line 3"``), for messages; default ``"row N"``.
    source : str or Path, optional
        The file, for messages.

    Returns
    -------
    dates : list of str
        ISO dates (``""`` for empty and unreadable values).
    order : DateOrder
    notes : list of str
        Warnings about the column.
    problems : list of (int, str)
        The position and reason of every unreadable value.
    """
    values = date_texts(values)
    records = list(records) if records is not None else [f"row {i}" for i in range(len(values))]
    order, notes = resolve_date_order(zip(records, values, strict=True), settings, source=source)
    dates, problems = [], []
    for position, value in enumerate(values):
        iso, problem = read_date(value, order)
        dates.append(iso)
        if problem:
            problems.append((position, problem))
    return dates, order, notes, problems

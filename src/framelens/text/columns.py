"""The columns of an article file (JSONL, CSV, Parquet) under the names other tools give them.

framelens reads ``article_id``, ``text`` (or ``html``), ``outlet``, ``outlet_type``, ``date``,
``url`` and ``title``. Exports name them otherwise: Media Cloud writes ``stories_id`` (or
``id``), ``publish_date`` and ``media_name``; scraped datasets ``published``, ``source`` or
``content``. :func:`resolve_columns` maps such a file's columns onto framelens's by
:data:`ALIASES`, comparing names without regard to case, spaces, hyphens and underscores
(``Article ID``, ``publishedAt``). A column under framelens's own name is always read; else the
first alias of the list that the file has. A column that names a field already read (``id``
beside ``stories_id``, ``publish_date`` beside ``date``) is left unused, and the reader warns
about it: the articles keep it as an extra column, so nothing is lost, but the researcher
must know which of the two was read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

#: Other names of the columns framelens reads, in order of preference.
ALIASES: dict[str, tuple[str, ...]] = {
    "article_id": ("stories_id", "story_id", "doc_id", "document_id", "id"),
    "text": ("body", "content", "full_text", "article_text", "story_text"),
    "html": ("raw_html",),
    "outlet": (
        "media_name",
        "source_name",
        "publication",
        "publisher",
        "source",
        "site",
        "media",
    ),
    "outlet_type": ("media_type",),
    "date": (
        "publish_date",
        "published",
        "published_at",
        "pub_date",
        "publication_date",
        "date_published",
        "pubdate",
    ),
    "url": ("link", "article_url", "story_url"),
    "title": ("headline",),
}
_SEPARATORS = re.compile(r"[\s_\-]+")


def normalize(name) -> str:
    """A column name compared without case, spaces, hyphens or underscores (``publishedat``)."""
    return _SEPARATORS.sub("", str(name).strip().lstrip("\ufeff").lower())


# Normalized name -> (the field, rank: 0 for framelens's own name, then the alias order).
_LOOKUP: dict[str, tuple[str, int]] = {}
for _field, _names in ALIASES.items():
    for _rank, _name in enumerate((_field, *_names)):
        _LOOKUP.setdefault(normalize(_name), (_field, _rank))

#: Every name of :data:`ALIASES` (framelens's own first): what a CSV header is sniffed for.
KNOWN_NAMES = [name for f, names in ALIASES.items() for name in (f, *names)]


@dataclass
class ColumnMap:
    """How the columns of one file are read.

    Attributes
    ----------
    renames : dict of str to str
        Column of the file -> the field it is read as, for every column not already under
        framelens's exact name.
    unused : dict of str to str
        Column of the file -> the field it names, for the columns left unused because another
        column of that field is read.
    """

    renames: dict[str, str] = field(default_factory=dict)
    unused: dict[str, str] = field(default_factory=dict)

    def read_as(self) -> str:
        """``"'stories_id' as article_id, 'publish_date' as date"`` (for a message)."""
        return ", ".join(f"{column!r} as {name}" for column, name in self.renames.items())


def resolve_columns(columns: Iterable) -> ColumnMap:
    """Which column of a file is read as which field (see the module docstring).

    Parameters
    ----------
    columns : iterable of str
        The file's column names (JSONL: the keys of its records), in file order.

    Returns
    -------
    ColumnMap
    """
    candidates: dict[str, list[tuple[int, str]]] = {}
    for column in columns:
        if str(column).startswith("_"):  # the reader's own helper columns
            continue
        match = _LOOKUP.get(normalize(column))
        if match is not None:
            # An exact framelens name before its variants ("Text"), then the alias order.
            rank = (match[1], column != match[0])
            candidates.setdefault(match[0], []).append((rank, column))
    mapping = ColumnMap()
    for name, found in candidates.items():
        found.sort()
        chosen = found[0][1]
        if chosen != name:
            mapping.renames[chosen] = name
        for _, column in found[1:]:
            mapping.unused[column] = name
    return mapping


def date_column(columns: Iterable) -> str | None:
    """The column of a file that is read as ``date`` (``None`` if it has none)."""
    columns = list(columns)
    if "date" in columns:  # framelens's own name: no alias to resolve (one look-up a record)
        return "date"
    mapping = resolve_columns(columns)
    return next((column for column, name in mapping.renames.items() if name == "date"), None)


__all__ = ["ALIASES", "KNOWN_NAMES", "ColumnMap", "date_column", "normalize", "resolve_columns"]

"""Readers for the public frame datasets and the map from their labels to framelens frames.

Two datasets carry frame labels (see ``docs/label_mapping.md`` for why each label is, or is
not, mapped):

* **FrAC** (Guida, Otmakhova, Hovy & Frermann 2025): 523 sentences, one Media Frames Corpus
  (MFC) frame code each. :func:`read_frac` reads them; :func:`frac_frame_labels` turns the codes
  into one 0/1 column per framelens frame with :data:`FRAC_TO_FRAMES`.
* **Narrative Frames** (Frermann, Li, Khanehzar & Mikolajczak, ACL 2023): 428 climate-news
  articles with five generic frames (multi-label). :func:`read_narrative_frames` reads them;
  :func:`narrative_frame_labels` maps them with :data:`NARRATIVE_TO_FRAMES`.

Both readers return one row per labelled unit with ``record_id`` (where it came from), ``group``
(units that must stay in the same cross-validation fold: exact or near-exact duplicate texts
share a group, so a copy of a test text never sits in the training folds) and ``text``.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from framelens.errors import InputError, InputWarning

#: MFC frame codes used by FrAC, with the names its README gives them.
FRAC_CODES: dict[int, str] = {
    1: "economic",
    3: "morality",
    4: "fairness_equality",
    5: "legality_crime",
    6: "political_policies",
    8: "security_defense",
    9: "health_safety",
    11: "cultural_identity",
    12: "public_opinion",
    15: "other",
}

#: FrAC code -> framelens frame. Codes not listed are negatives for every frame
#: (docs/label_mapping.md gives the reasons, including why 12 Public opinion is left out).
FRAC_TO_FRAMES: dict[int, str] = {1: "geo_economic", 6: "partisan", 8: "security"}

#: The generic frames of the Narrative Frames dataset (Semetko & Valkenburg's typology).
NARRATIVE_LABELS: dict[str, str] = {
    "RE": "resolution",
    "HI": "human_interest",
    "CO": "conflict",
    "MO": "moral",
    "EC": "economic",
}

#: Narrative Frames label -> framelens frame. CO (conflict) is deliberately not mapped and there
#: is no security label (docs/label_mapping.md).
NARRATIVE_TO_FRAMES: dict[str, str] = {"EC": "geo_economic"}

_NARRATIVE_COLUMNS = ["ID", "source", "mbfc", "date", "text", *NARRATIVE_LABELS]
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}
# Texts that agree on their first characters (after whitespace and case are normalised) are
# treated as copies of one article: the dataset holds the same wire story from two outlets.
_DUPLICATE_PREFIX = 200


def read_frac(path) -> pd.DataFrame:
    """Read the FrAC sentences (``gold_standard_single_label_all.csv``).

    Parameters
    ----------
    path : str or Path
        The CSV file with columns ``sentence`` and ``label`` (an MFC frame code).

    Returns
    -------
    DataFrame
        One row per sentence: ``record_id`` (``"row N"``, data rows counted from 1),
        ``group`` (duplicate sentences share one), ``text``, ``code`` (int) and ``mfc_frame``
        (the code's name in :data:`FRAC_CODES`).

    Raises
    ------
    InputError
        If the file is missing or unreadable, lacks a column, or a label is not a known code.
    """
    path = Path(path)
    table = _read_table(path, sep=",", required=["sentence", "label"])
    # Data rows counted from 1 (not file lines: a quoted sentence may span lines).
    record_ids = [f"row {i + 1}" for i in range(len(table))]
    codes = []
    for record, label in zip(record_ids, table["label"], strict=True):
        code = _as_int(label)
        if code not in FRAC_CODES:
            raise InputError(
                f"unknown FrAC frame code {label!r}",
                source=path,
                record=record,
                hint=f"known codes: {', '.join(map(str, FRAC_CODES))}",
            )
        codes.append(code)
    texts = table["sentence"].fillna("").astype(str).str.strip()
    _reject_empty(texts, record_ids, path)
    out = pd.DataFrame(
        {
            "record_id": record_ids,
            "group": _duplicate_groups(texts, record_ids),
            "text": texts.to_numpy(),
            "code": codes,
        }
    )
    out["mfc_frame"] = out["code"].map(FRAC_CODES)
    return out


def read_narrative_frames(path) -> pd.DataFrame:
    """Read the Narrative Frames articles (``articles_metadata.tsv``).

    A row whose labels are missing (the file's truncated row, ID 405) is dropped with an
    :class:`~framelens.errors.InputWarning` naming it; a label with stray punctuation
    (``False)`` in ID 716) is read as the boolean it spells, with a warning.

    Parameters
    ----------
    path : str or Path
        The tab-separated file with columns ``ID, source, mbfc, date, text, RE, HI, CO, MO, EC``.

    Returns
    -------
    DataFrame
        One row per article: ``record_id`` (``"ID N"``), ``group`` (duplicated stories share
        one), ``outlet``, ``lean`` (the MBFC rating), ``date``, ``text`` and one boolean column
        per label of :data:`NARRATIVE_LABELS` (``RE``, ``HI``, ``CO``, ``MO``, ``EC``).

    Raises
    ------
    InputError
        If the file is missing or unreadable, lacks a column, or a label is not a boolean.
    """
    path = Path(path)
    table = _read_table(path, sep="\t", required=_NARRATIVE_COLUMNS)
    record_ids = [f"ID {value}" for value in table["ID"]]
    labels = table[list(NARRATIVE_LABELS)]
    incomplete = labels.isna().any(axis=1).to_numpy()
    for record in (r for r, bad in zip(record_ids, incomplete, strict=True) if bad):
        warnings.warn(
            f"{path}, {record}: row has missing frame labels (truncated?); skipped",
            InputWarning,
            stacklevel=2,
        )
    keep = ~incomplete
    table = table[keep].reset_index(drop=True)
    record_ids = [r for r, k in zip(record_ids, keep, strict=True) if k]
    texts = table["text"].fillna("").astype(str).str.strip()
    _reject_empty(texts, record_ids, path)
    out = pd.DataFrame(
        {
            "record_id": record_ids,
            "group": _duplicate_groups(texts, record_ids),
            "outlet": table["source"].astype(str).to_numpy(),
            "lean": table["mbfc"].astype(str).to_numpy(),
            "date": table["date"].astype(str).to_numpy(),
            "text": texts.to_numpy(),
        }
    )
    for label in NARRATIVE_LABELS:
        out[label] = [
            _as_bool(value, source=path, record=record, column=label)
            for value, record in zip(table[label], record_ids, strict=True)
        ]
    return out


def frac_frame_labels(frac: pd.DataFrame, mapping: dict[int, str] | None = None) -> pd.DataFrame:
    """Turn FrAC's single frame code per sentence into framelens frame columns.

    Parameters
    ----------
    frac : DataFrame
        The output of :func:`read_frac` (needs ``code``).
    mapping : dict of int to str, optional
        FrAC code -> framelens frame; :data:`FRAC_TO_FRAMES` when omitted. Several codes may map
        to one frame.

    Returns
    -------
    DataFrame
        Same index as ``frac``; one 0/1 integer column per mapped frame, in sorted order.
    """
    mapping = FRAC_TO_FRAMES if mapping is None else mapping
    _require(frac, ["code"], "FrAC table")
    frames = sorted(set(mapping.values()))
    mapped = frac["code"].map(mapping)
    return pd.DataFrame({f: (mapped == f).astype(int) for f in frames}, index=frac.index)


def narrative_frame_labels(
    narrative: pd.DataFrame, mapping: dict[str, str] | None = None
) -> pd.DataFrame:
    """Turn Narrative Frames' generic frame labels into framelens frame columns.

    Parameters
    ----------
    narrative : DataFrame
        The output of :func:`read_narrative_frames`.
    mapping : dict of str to str, optional
        Narrative Frames label -> framelens frame; :data:`NARRATIVE_TO_FRAMES` when omitted.
        Labels mapped to the same frame are combined with a logical or.

    Returns
    -------
    DataFrame
        Same index as ``narrative``; one 0/1 integer column per mapped frame, in sorted order.
    """
    mapping = NARRATIVE_TO_FRAMES if mapping is None else mapping
    _require(narrative, list(mapping), "Narrative Frames table")
    out = {}
    for frame in sorted(set(mapping.values())):
        labels = [label for label, f in mapping.items() if f == frame]
        out[frame] = narrative[labels].astype(bool).any(axis=1).astype(int)
    return pd.DataFrame(out, index=narrative.index)


def _read_table(path: Path, *, sep: str, required: list[str]) -> pd.DataFrame:
    if not path.is_file():
        raise InputError("file not found", source=path, hint="check the path")
    try:
        table = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise InputError(f"cannot parse the file: {err}", source=path) from err
    _require(table, required, "file", source=path)
    return table


def _require(table: pd.DataFrame, columns: list[str], what: str, source=None) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(
            f"the {what} lacks column(s) {', '.join(missing)}",
            source=source,
            hint=f"expected columns: {', '.join(columns)}",
        )


def _reject_empty(texts: pd.Series, record_ids: list[str], path: Path) -> None:
    empty = [r for r, t in zip(record_ids, texts, strict=True) if not t]
    if empty:
        raise InputError("empty text", source=path, record=empty[0], hint="remove or fill the row")


def _duplicate_groups(texts: pd.Series, record_ids: list[str]) -> list[str]:
    # Group key: the record id of the first text sharing the normalised opening.
    keys = texts.map(lambda t: re.sub(r"\s+", " ", t.lower())[:_DUPLICATE_PREFIX])
    first: dict[str, str] = {}
    return [first.setdefault(key, record) for key, record in zip(keys, record_ids, strict=True)]


def _as_int(value) -> int | None:
    try:
        return int(float(str(value).strip()))
    except ValueError:
        return None


def _as_bool(value, *, source, record, column) -> bool:
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    cleaned = re.sub(r"[^a-z0-9]", "", text)
    if cleaned in _TRUE | _FALSE:
        warnings.warn(
            f"{source}, {record}: label {column}={value!r} read as {cleaned in _TRUE}",
            InputWarning,
            stacklevel=3,
        )
        return cleaned in _TRUE
    raise InputError(
        f"label {column}={value!r} is not True/False",
        source=source,
        record=record,
        hint="use True or False",
    )

"""Build training tables from labelled data and train the supervised scorers.

Training data is named by a spec ``KIND:PATH``:

=================  =========  ===============================================================
spec               task       what is read
=================  =========  ===============================================================
``newsmtsc:PATH``  stance     a NewsMTSC ``.jsonl`` file (polarity toward each marked target)
``frac:PATH``      frame      FrAC sentences, MFC codes mapped by :data:`FRAC_TO_FRAMES`
``narrative:PATH`` frame      Narrative Frames articles, mapped by :data:`NARRATIVE_TO_FRAMES`
``gold:PATH``      both       the researcher's gold codings (:mod:`framelens.datasets.gold`), joined to
                              the sentences of ``corpus`` (and, for stance, to the codebook's
                              mentions of each target)
=================  =========  ===============================================================

Several specs of one task are concatenated (e.g. NewsMTSC plus the project's own gold codings).
Every row carries a ``group``: the article it comes from, prefixed by its source, so grouped
cross-validation never splits an article.

Frame sources that label different frames (Narrative Frames labels only ``geo_economic``) are
combined with ``partial=True``: a frame a source does not label is missing (NaN) in its rows, not
negative. :func:`exemplar_training_table` adds the codebook's exemplar sentences, each a
positive of its own frame and missing for the others.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from framelens.datasets.frames import (
    FRAC_TO_FRAMES,
    NARRATIVE_TO_FRAMES,
    frac_frame_labels,
    narrative_frame_labels,
    read_frac,
    read_narrative_frames,
)
from framelens.errors import InputError, InputWarning

#: Which data kinds train which task.
DATA_KINDS = {"stance": ("newsmtsc", "gold"), "frame": ("frac", "narrative", "gold")}
#: Columns of the stance training table (besides ``label``).
STANCE_COLUMNS = ["source", "record_id", "group", "text", "spans", "target"]
#: Columns of the frame training table before its frame columns.
FRAME_ID_COLUMNS = ["source", "record_id", "group", "text"]


def parse_data_spec(spec: str, task: str) -> tuple[str, Path]:
    """Split ``KIND:PATH`` and check that ``KIND`` can train ``task``.

    Parameters
    ----------
    spec : str
        E.g. ``"newsmtsc:data/train.jsonl"``.
    task : {"stance", "frame"}

    Returns
    -------
    kind : str
    path : Path

    Raises
    ------
    InputError
        If the kind is unknown or does not carry labels for ``task``.
    """
    if task not in DATA_KINDS:
        raise InputError(f"unknown task {task!r}", hint="use stance or frame")
    kind, sep, path = str(spec).partition(":")
    kind = kind.strip().lower()
    known = DATA_KINDS[task]
    if not sep or not path or kind not in {k for kinds in DATA_KINDS.values() for k in kinds}:
        raise InputError(
            f"cannot read the data spec {spec!r}",
            hint=f"write KIND:PATH with KIND one of {', '.join(known)} for --task {task}",
        )
    if kind not in known:
        raise InputError(
            f"{kind} data has no {task} labels",
            hint=f"for --task {task} use {', '.join(known)}",
        )
    return kind, Path(path)


def newsmtsc_article(record_id: str) -> str:
    """The article a NewsMTSC record belongs to, from its ``primary_gid``.

    Ids look like ``allsides_<article>_<story>_<sentence>_...`` and
    ``polusa_v1_<article>_-1_<sentence>_...``: the first three fields name the article.
    """
    return "_".join(str(record_id).split("_")[:3])


def stance_training_table(specs, *, corpus=None, codebook=None) -> pd.DataFrame:
    """One row per labelled (sentence, target) from the given data specs.

    Parameters
    ----------
    specs : list of str
        ``newsmtsc:PATH`` and/or ``gold:PATH`` specs.
    corpus : str or Path, optional
        The corpus the gold codings refer to (needed for ``gold:``).
    codebook : Codebook, str, Path or None
        Finds the target mentions in gold sentences; None is the shipped default.

    Returns
    -------
    DataFrame
        Columns ``source, record_id, group, text, spans, target, label`` (label in
        against/neutral/favor).
    """
    parts = []
    for spec in _as_list(specs):
        kind, path = parse_data_spec(spec, "stance")
        table = (
            _newsmtsc_items(path)
            if kind == "newsmtsc"
            else _gold_stance_items(path, corpus, codebook)
        )
        table.insert(0, "source", spec)
        parts.append(table)
    return _concat(parts, STANCE_COLUMNS + ["label"])


def frame_training_table(
    specs, *, corpus=None, codebook=None, partial: bool = False, exemplars: bool = False
) -> pd.DataFrame:
    """One row per labelled text from the given data specs, one 0/1 column per frame.

    Only frames of the codebook are kept (others are dropped with a warning). Sources combined
    in one table must label the same frames, unless ``partial`` is set.

    Parameters
    ----------
    specs : list of str
        ``frac:PATH``, ``narrative:PATH`` and/or ``gold:PATH`` specs (may be empty when
        ``exemplars`` is set).
    corpus : str or Path, optional
        The corpus the gold codings refer to (needed for ``gold:``).
    codebook : Codebook, str, Path or None
        The frames that may be learned; None is the shipped default.
    partial : bool, default False
        Combine sources that label different frames: the table has a column for every frame
        any source labels, missing (NaN, float columns) where a source does not label it. Gold
        sentences whose coders agree on some frames only are kept, missing for the others
        (without ``partial`` they are skipped with a warning).
    exemplars : bool, default False
        Add the codebook's exemplars (:func:`exemplar_training_table`); implies ``partial``.

    Returns
    -------
    DataFrame
        Columns ``source, record_id, group, text`` and one column per frame: integer 0/1, or
        float 0/1/NaN when ``partial``.
    """
    from framelens.codebook import load_codebook

    book = load_codebook(codebook)
    partial = partial or exemplars
    parts = []
    for spec in _as_list(specs) if specs or not exemplars else []:
        kind, path = parse_data_spec(spec, "frame")
        if kind == "frac":
            raw = read_frac(path)
            table = raw[["record_id", "group", "text"]].join(frac_frame_labels(raw))
        elif kind == "narrative":
            raw = read_narrative_frames(path)
            table = raw[["record_id", "group", "text"]].join(narrative_frame_labels(raw))
        else:
            table = _gold_frame_texts(path, corpus, partial=partial)
        table = _codebook_frames(table, book, spec)
        table.insert(0, "source", spec)
        parts.append(table)
    if exemplars:
        parts.append(exemplar_training_table(book))
    if partial:
        # A frame a source does not label is unknown there, never a negative.
        frames = sorted({c for p in parts for c in p.columns} - set(FRAME_ID_COLUMNS))
        parts = [
            p.reindex(columns=FRAME_ID_COLUMNS + frames).astype({f: float for f in frames})
            for p in parts
        ]
        return _concat(parts, FRAME_ID_COLUMNS + frames)
    frames = [sorted(set(p.columns) - set(FRAME_ID_COLUMNS)) for p in parts]
    if any(f != frames[0] for f in frames):
        raise InputError(
            "the frame data sources label different frames: "
            + "; ".join(
                f"{p['source'].iloc[0]}: {', '.join(f)}" for p, f in zip(parts, frames, strict=True)
            ),
            hint="train on sources that label the same frames (see docs/label_mapping.md)",
        )
    return _concat(parts, FRAME_ID_COLUMNS + frames[0])


#: The ``source`` of the codebook's exemplar rows in a training table.
EXEMPLAR_SOURCE = "codebook:exemplars"


def exemplar_training_table(codebook=None) -> pd.DataFrame:
    """The codebook's exemplar sentences as frame training rows.

    Parameters
    ----------
    codebook : Codebook, str, Path or None
        None is the shipped default.

    Returns
    -------
    DataFrame
        Columns ``source`` (:data:`EXEMPLAR_SOURCE`), ``record_id`` and ``group`` (both
        ``"<frame>/<n>"``: each exemplar is its own group), ``text`` and one float column per
        frame of the codebook: 1 for the exemplar's own frame, NaN for the others (an exemplar
        written for one frame says nothing about the rest).

    Raises
    ------
    InputError
        If the codebook's frames have no exemplars.
    """
    from framelens.codebook import load_codebook

    book = load_codebook(codebook)
    frames = sorted(book.frames)
    rows = []
    for name, frame in book.frames.items():
        for n, text in enumerate(frame.exemplars, start=1):
            labels = {f: (1.0 if f == name else float("nan")) for f in frames}
            rows.append({"record_id": f"{name}/{n}", "group": f"{name}/{n}", "text": str(text)})
            rows[-1].update(labels)
    if not rows:
        raise InputError(
            f"codebook {book.name!r} has no frame exemplars",
            hint="add exemplars to its frames, or train without them",
        )
    table = pd.DataFrame(rows, columns=["record_id", "group", "text", *frames])
    table.insert(0, "source", EXEMPLAR_SOURCE)
    return table


def _as_list(specs) -> list[str]:
    specs = [specs] if isinstance(specs, str | Path) else list(specs or [])
    if not specs:
        raise InputError("no training data given", hint="pass --data KIND:PATH")
    return [str(s) for s in specs]


def _concat(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    table = pd.concat([p[columns] for p in parts], ignore_index=True)
    if table.empty:
        raise InputError(
            "the training data holds no labelled item",
            hint="check the data files and the codebook's targets and frames",
        )
    return table


def _newsmtsc_items(path: Path) -> pd.DataFrame:
    from framelens.datasets.newsmtsc import read_newsmtsc

    records = read_newsmtsc(path)
    unlabelled = records["gold"].isna()
    if unlabelled.any():
        warnings.warn(
            f"{path}: {int(unlabelled.sum())} target(s) without polarity skipped",
            InputWarning,
            stacklevel=3,
        )
        records = records[~unlabelled]
    return pd.DataFrame(
        {
            "record_id": (records["id"] + "#" + records["target_index"].astype(str)).to_numpy(),
            "group": records["id"].map(newsmtsc_article).to_numpy(),
            "text": records["text"].to_numpy(),
            "spans": records["spans"].to_numpy(),
            "target": records["mention"].to_numpy(),
            "label": records["gold"].to_numpy(),
        }
    )


def _corpus_sentences(corpus, path: Path) -> pd.DataFrame:
    if corpus is None:
        raise InputError(
            "gold codings need the corpus they refer to",
            source=path,
            hint="pass --corpus CORPUS (the folder or file that was annotated)",
        )
    from framelens.text.ingest import ingest

    sentences = ingest(corpus).sentences.copy()
    sentences["article_id"] = sentences["article_id"].astype(str)
    sentences["sent_id"] = sentences["sent_id"].astype(str)
    return sentences


def _gold_keys(consensus: pd.DataFrame) -> pd.DataFrame:
    out = consensus.copy()
    out["article_id"] = out["article_id"].astype(str)
    out["sent_id"] = out["sent_id"].astype(str)
    return out


def _warn_unmatched(n: int, what: str, path: Path) -> None:
    if n:
        warnings.warn(f"{path}: {n} {what} skipped", InputWarning, stacklevel=4)


def _gold_stance_items(path: Path, corpus, codebook) -> pd.DataFrame:
    from framelens.datasets.gold import STANCE_CODE_TO_LABEL, consensus, read_gold
    from framelens.scorers.base import span_items
    from framelens.text.mentions import find_mentions

    labels = _gold_keys(consensus(read_gold(path), "stance"))
    labels = labels[labels["label"].isin(list(STANCE_CODE_TO_LABEL))]  # "na": not about it
    sentences = _corpus_sentences(corpus, path)
    items = span_items(sentences, find_mentions(sentences, codebook))
    items["article_id"] = items["article_id"].astype(str)
    items["sent_id"] = items["sent_id"].astype(str)
    merged = labels.merge(
        items,
        left_on=["article_id", "sent_id", "name"],
        right_on=["article_id", "sent_id", "target"],
        how="left",
    )
    missing = merged["text"].isna()
    _warn_unmatched(
        int(missing.sum()),
        "stance coding(s) on sentences where the codebook finds no mention of the "
        "target (or that are not in the corpus)",
        path,
    )
    merged = merged[~missing]
    return pd.DataFrame(
        {
            "record_id": (
                merged["article_id"] + "/" + merged["sent_id"] + "/" + merged["name"]
            ).to_numpy(),
            "group": merged["article_id"].to_numpy(),
            "text": merged["text"].to_numpy(),
            "spans": merged["spans"].to_numpy(),
            "target": merged["name"].to_numpy(),
            "label": merged["label"].map(STANCE_CODE_TO_LABEL).to_numpy(),
        }
    )


def _gold_frame_texts(path: Path, corpus, partial: bool = False) -> pd.DataFrame:
    from framelens.datasets.gold import consensus, read_gold

    labels = _gold_keys(consensus(read_gold(path), "frame"))
    wide = labels.pivot(index=["article_id", "sent_id"], columns="name", values="label")
    incomplete = wide.isna().any(axis=1)
    if partial:
        # A frame the coders did not agree on is missing for that sentence; the others count.
        wide = wide.astype(float).reset_index()
    else:
        _warn_unmatched(
            int(incomplete.sum()), "sentence(s) without an agreed label for every frame", path
        )
        wide = wide[~incomplete].astype(int).reset_index()
    sentences = _corpus_sentences(corpus, path)[["article_id", "sent_id", "text"]]
    merged = wide.merge(sentences, on=["article_id", "sent_id"], how="left")
    missing = merged["text"].isna()
    _warn_unmatched(int(missing.sum()), "frame coding(s) of sentences not in the corpus", path)
    merged = merged[~missing]
    frames = [c for c in wide.columns if c not in ("article_id", "sent_id")]
    out = pd.DataFrame(
        {
            "record_id": (merged["article_id"] + "/" + merged["sent_id"]).to_numpy(),
            "group": merged["article_id"].to_numpy(),
            "text": merged["text"].to_numpy(),
        }
    )
    for frame in frames:
        out[str(frame)] = merged[frame].to_numpy(dtype=float if partial else int)
    return out


def _codebook_frames(table: pd.DataFrame, book, spec: str) -> pd.DataFrame:
    frames = [c for c in table.columns if c not in ("record_id", "group", "text")]
    unknown = [f for f in frames if f not in book.frames]
    if unknown:
        warnings.warn(
            f"{spec}: frame(s) {', '.join(unknown)} are not in codebook {book.name!r}; ignored",
            InputWarning,
            stacklevel=3,
        )
    kept = [f for f in frames if f in book.frames]
    if not kept:
        raise InputError(
            f"none of the frames labelled in {spec} is in codebook {book.name!r}",
            hint=f"codebook frames: {', '.join(book.frames)}",
        )
    return table[["record_id", "group", "text", *kept]].copy()


__all__ = [
    "DATA_KINDS",
    "EXEMPLAR_SOURCE",
    "FRAC_TO_FRAMES",
    "NARRATIVE_TO_FRAMES",
    "exemplar_training_table",
    "frame_training_table",
    "newsmtsc_article",
    "parse_data_spec",
    "stance_training_table",
]

"""Sentence scores to article scores: one row per (article, target or frame, scorer).

:func:`article_scores` builds the ``article_scores`` table (:data:`framelens.tables.ARTICLE_SCORES`
plus descriptive columns) from the stance and frames tables:

* **stance** rows exist only for targets the article actually discusses: a target with no
  stance evidence in an article gets *no row*, never a zero (absence of evidence is not
  neutrality). ``value`` is the mean sentence score weighted by the number of mentions in the
  sentence, so a sentence that names the target three times counts three times.
  ``salience`` is the share of the article's sentences with at least one mention of the target
  that is not inside a name (``in_name``: "India" in the TAPI pipeline's name is not India
  acting), the same mentions that count as stance evidence.
* **frame** rows exist for every (article, frame) scored: ``value`` is the share of the
  article's sentences whose frame score reaches ``frame_threshold``.

Each row names its evidence: the ``sent_id`` of the ``top_k`` sentences behind it (as a JSON
list, so the table stays flat for CSV and Parquet) and their text, so every number can be
traced back to the sentences that produced it.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from framelens.errors import InputError
from framelens.tables import ARTICLE_SCORES, check_columns

#: Columns added to the ARTICLE_SCORES contract, in order.
EXTRA_COLUMNS = ["n_mentions", "salience", "presence", "mean_score", "evidence_text"]


def article_scores(
    stance: pd.DataFrame | None,
    frames: pd.DataFrame | None,
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    frame_threshold: float = 0.5,
    top_k: int = 3,
) -> pd.DataFrame:
    """Aggregate sentence-level stance and frame scores to articles.

    Parameters
    ----------
    stance : DataFrame or None
        The stance table (optionally with ``n_mentions`` per row, as written by
        :meth:`~framelens.scorers.base.StanceScorer.score_stance`). ``None`` skips stance.
    frames : DataFrame or None
        The frames table. ``None`` skips frames.
    sentences : DataFrame
        The sentences table (for salience, frame shares and evidence text).
    mentions : DataFrame
        The mentions table. Mentions flagged ``in_name`` (a country inside a pipeline's or
        organisation's name) count neither as mentions nor toward salience.
    frame_threshold : float, default 0.5
        A sentence carries a frame when its score is at least this.
    top_k : int, default 3
        How many evidence sentences to name per row.

    Returns
    -------
    DataFrame
        One row per (article, kind, name, scorer) with the ARTICLE_SCORES columns:

        ``value``
            stance: mention-weighted mean score in [-1, 1]; frame: share of sentences with
            score >= ``frame_threshold`` (or >= the row's ``threshold``, when the frames table
            carries the scorer's own per-frame thresholds).
        ``n_evidence``
            stance: sentences with a stance score; frame: sentences at/above the threshold.
        ``evidence``
            JSON list of up to ``top_k`` ``sent_id``; stance: ranked by
            ``|score| * confidence``; frame: the highest-scoring sentences at/above the threshold.

        and the extra columns ``n_mentions`` (stance: the target's mentions in the article),
        ``salience`` (stance: share of the article's sentences that mention the target),
        ``presence`` (frame: any sentence at/above the threshold), ``mean_score`` (frame: mean
        sentence score) and ``evidence_text`` (the evidence sentences joined by `` | ``).
        Columns that do not apply to a row's kind are missing (NaN/None).
    """
    if top_k < 0:
        raise InputError(f"top_k must be >= 0, got {top_k}")
    check_columns(sentences, "sentences")
    # A plain dict: evidence lookups are many, and a MultiIndex lookup is slow.
    # (Columns as lists first: iterating an Arrow-backed column costs a call per value.)
    keys = zip(sentences["article_id"].tolist(), sentences["sent_id"].tolist(), strict=True)
    text_of = dict(zip(keys, sentences["text"].tolist(), strict=True))
    parts = []
    if stance is not None and len(stance):
        check_columns(stance, "stance")
        check_columns(mentions, "mentions")
        parts.append(_stance_rows(stance, sentences, mentions, text_of, top_k))
    if frames is not None and len(frames):
        check_columns(frames, "frames")
        parts.append(_frame_rows(frames, sentences, text_of, frame_threshold, top_k))
    columns = ARTICLE_SCORES + EXTRA_COLUMNS
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    table = pd.concat(parts, ignore_index=True)[columns]
    return table.sort_values(["article_id", "kind", "name", "scorer"], kind="stable").reset_index(
        drop=True
    )


def _evidence_columns(ranked: pd.DataFrame, keys: list[str], text_of: dict, top_k: int) -> dict:
    """Per group of ``ranked`` (rows already in evidence order) with evidence: the JSON list of
    its first ``top_k`` sent_ids and their texts joined by `` | ``, keyed by the group's keys.

    Grouped in Python, in one pass over the rows: pandas' cumcount and agg(list) would factorize
    every key column, and a dict is looked up (:func:`_group_table`) without a MultiIndex.
    A row with a missing key is in no group, as in pandas' groupby.
    """
    complete = ranked[keys].notna().all(axis=1).tolist()
    columns = [ranked[k].tolist() for k in (*keys, "sent_id")]
    chosen: dict[tuple, list] = {}
    for in_group, *key, sent_id in zip(complete, *columns, strict=True):
        if not in_group:
            continue
        key = tuple(key)
        ids = chosen.get(key)
        if ids is None:
            if top_k > 0:
                chosen[key] = [sent_id]
        elif len(ids) < top_k:
            ids.append(sent_id)
    return {
        key: (_json_ids(ids), " | ".join(str(text_of.get((key[0], i), "")) for i in ids))
        for key, ids in chosen.items()
    }


def _json_ids(ids: list) -> str:
    """``json.dumps`` of a list of sent_ids (written directly for plain ints, as json does)."""
    if all(type(i) is int for i in ids):  # not bool, not a NumPy integer
        return "[" + ", ".join(map(str, ids)) + "]"
    return json.dumps([_plain(i) for i in ids])


def _plain(value):
    # numpy scalars are not JSON serialisable; sent_ids are ints or strings.
    return value.item() if isinstance(value, np.generic) else value


def _usable_mentions(mentions: pd.DataFrame) -> pd.DataFrame:
    if "in_name" in mentions.columns:
        return mentions[~mentions["in_name"].fillna(False).astype(bool)]
    return mentions


def _group_table(groups: pd.DataFrame, keys: list[str], evidence: dict) -> pd.DataFrame:
    """Attach the evidence columns (empty where a group has none) and flatten the index."""
    empty = (json.dumps([]), "")
    found = [evidence.get(key, empty) for key in groups.index.tolist()]
    # Without any evidence the columns are of objects, as pandas types a Series of no values.
    dtype = None if evidence else object
    groups["evidence"] = pd.Series([ids for ids, _ in found], index=groups.index, dtype=dtype)
    texts = [text for _, text in found]
    groups["evidence_text"] = pd.Series(texts, index=groups.index, dtype=dtype)
    return groups.reset_index().rename(columns={keys[1]: "name"})


def _stance_rows(stance, sentences, mentions, text_of, top_k) -> pd.DataFrame:
    keys = ["article_id", "target", "scorer"]
    usable = _usable_mentions(mentions)
    n_sentences = sentences.groupby("article_id").size()
    by_pair = usable.groupby(["article_id", "target"])  # its keys are factorized once
    mention_counts = by_pair.size()
    mentioning_sentences = by_pair["sent_id"].nunique()

    stance = stance.copy()
    if "n_mentions" in stance.columns:
        weights = stance["n_mentions"].astype(float)
    else:  # the mentions of each sentence, counted only when the scorer did not say
        per_sentence = usable.groupby(["article_id", "sent_id", "target"]).size()
        index = pd.MultiIndex.from_frame(stance[["article_id", "sent_id", "target"]])
        weights = pd.Series(per_sentence.reindex(index).to_numpy(), index=stance.index)
    stance["_weight"] = weights.fillna(1.0).clip(lower=1.0)
    stance["_weighted"] = stance["score"].astype(float) * stance["_weight"]
    stance["_rank"] = stance["score"].abs() * stance["confidence"].fillna(0.0)
    ranked = stance.sort_values(
        [*keys, "_rank", "sent_id"], ascending=[True, True, True, False, True], kind="stable"
    )
    grouped = ranked.groupby(keys, sort=True)
    groups = grouped[["_weighted", "_weight"]].sum()
    groups["value"] = groups["_weighted"] / groups["_weight"]
    groups["n_evidence"] = grouped.size()
    pairs = pd.MultiIndex.from_arrays(
        [groups.index.get_level_values("article_id"), groups.index.get_level_values("target")]
    )
    counted = mention_counts.reindex(pairs).to_numpy(dtype=float)
    groups["n_mentions"] = np.where(np.isnan(counted), groups["_weight"], counted).astype(int)
    mentioning = mentioning_sentences.reindex(pairs).to_numpy(dtype=float)
    mentioning = np.where(np.isnan(mentioning), groups["n_evidence"], mentioning)
    total = n_sentences.reindex(groups.index.get_level_values("article_id")).fillna(0).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        groups["salience"] = np.where(total > 0, mentioning / total, np.nan)
    groups["presence"] = None
    groups["mean_score"] = np.nan
    evidence = _evidence_columns(ranked, keys, text_of, top_k)
    table = _group_table(groups.drop(columns=["_weighted", "_weight"]), keys, evidence)
    table["kind"] = "stance"
    return table


def _frame_rows(frames, sentences, text_of, threshold, top_k) -> pd.DataFrame:
    keys = ["article_id", "frame", "scorer"]
    frames = frames.copy()
    cut = pd.Series(float(threshold), index=frames.index)
    if "threshold" in frames.columns:
        # The scorer's own per-frame threshold, where every row of its group carries one.
        complete = (
            frames["threshold"]
            .notna()
            .groupby([frames[k] for k in keys], sort=False)
            .transform("all")
        )
        cut = frames["threshold"].astype(float).where(complete, cut)
    frames["_score"] = frames["score"].astype(float)
    frames["_carries"] = frames["_score"] >= cut
    grouped = frames.groupby(keys, sort=True)
    groups = pd.DataFrame(
        {
            "value": grouped["_carries"].mean().astype(float),
            "n_evidence": grouped["_carries"].sum().astype(int),
            "mean_score": grouped["_score"].mean(),
        }
    )
    groups["n_mentions"] = np.nan
    groups["salience"] = np.nan
    groups["presence"] = (groups["n_evidence"] > 0).astype(object)
    carrying = frames[frames["_carries"]].sort_values(
        [*keys, "_score", "sent_id"], ascending=[True, True, True, False, True], kind="stable"
    )
    evidence = _evidence_columns(carrying, keys, text_of, top_k)
    table = _group_table(groups, keys, evidence)
    table["kind"] = "frame"
    return table


def wide_article_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """The article scores as one row per article and one column per target and frame.

    Parameters
    ----------
    scores : DataFrame
        The article_scores table from :func:`article_scores`.

    Returns
    -------
    DataFrame
        Index ``article_id``; columns ``stance:NAME`` (stance value) then ``frame:NAME`` (frame
        share), in order of first appearance, with ``/SCORER`` appended when a kind was scored by
        more than one scorer. A target the article never mentions stays NaN.
    """
    check_columns(scores, "article_scores")
    if scores.empty:
        return pd.DataFrame(index=pd.Index([], name="article_id"))
    several = scores.groupby("kind")["scorer"].transform("nunique") > 1
    column = scores["kind"] + ":" + scores["name"].astype(str)
    column = column.where(~several, column + "/" + scores["scorer"].astype(str))
    keyed = scores.assign(column=column, stance_first=scores["kind"] != "stance")
    order = list(dict.fromkeys(keyed.sort_values("stance_first", kind="stable")["column"]))
    wide = keyed.pivot_table(index="article_id", columns="column", values="value", aggfunc="first")
    return wide.reindex(columns=order)

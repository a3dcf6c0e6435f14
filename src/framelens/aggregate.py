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
    text_of = sentences.set_index(["article_id", "sent_id"])["text"]
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


def _evidence(article_id, sent_ids, text_of, top_k) -> tuple[str, str]:
    chosen = [_plain(s) for s in list(sent_ids)[:top_k]]
    texts = [str(text_of.get((article_id, s), "")) for s in chosen]
    return json.dumps(chosen), " | ".join(texts)


def _plain(value):
    # numpy scalars are not JSON serialisable; sent_ids are ints or strings.
    return value.item() if isinstance(value, np.generic) else value


def _usable_mentions(mentions: pd.DataFrame) -> pd.DataFrame:
    if "in_name" in mentions.columns:
        return mentions[~mentions["in_name"].fillna(False).astype(bool)]
    return mentions


def _stance_rows(stance, sentences, mentions, text_of, top_k) -> pd.DataFrame:
    usable = _usable_mentions(mentions)
    per_sentence = usable.groupby(["article_id", "sent_id", "target"]).size()
    n_sentences = sentences.groupby("article_id").size()
    mention_counts = usable.groupby(["article_id", "target"]).size()
    mentioning_sentences = usable.groupby(["article_id", "target"])["sent_id"].nunique()

    stance = stance.copy()
    if "n_mentions" in stance.columns:
        weights = stance["n_mentions"].astype(float)
    else:
        keys = pd.MultiIndex.from_frame(stance[["article_id", "sent_id", "target"]])
        weights = pd.Series(per_sentence.reindex(keys).to_numpy(), index=stance.index)
    stance["_weight"] = weights.fillna(1.0).clip(lower=1.0)
    stance["_rank"] = stance["score"].abs() * stance["confidence"].fillna(0.0)

    rows = []
    for (article_id, target, scorer), group in stance.groupby(
        ["article_id", "target", "scorer"], sort=True
    ):
        w = group["_weight"].to_numpy()
        ranked = group.sort_values(["_rank", "sent_id"], ascending=[False, True], kind="stable")
        evidence, evidence_text = _evidence(article_id, ranked["sent_id"], text_of, top_k)
        total = n_sentences.get(article_id, 0)
        rows.append(
            {
                "article_id": article_id,
                "kind": "stance",
                "name": target,
                "scorer": scorer,
                "value": float(np.average(group["score"].to_numpy(dtype=float), weights=w)),
                "n_evidence": len(group),
                "evidence": evidence,
                "n_mentions": int(mention_counts.get((article_id, target), w.sum())),
                "salience": float(
                    mentioning_sentences.get((article_id, target), len(group)) / total
                )
                if total
                else np.nan,
                "presence": None,
                "mean_score": np.nan,
                "evidence_text": evidence_text,
            }
        )
    return pd.DataFrame(rows)


def _frame_rows(frames, sentences, text_of, threshold, top_k) -> pd.DataFrame:
    rows = []
    for (article_id, frame, scorer), group in frames.groupby(
        ["article_id", "frame", "scorer"], sort=True
    ):
        scores = group["score"].to_numpy(dtype=float)
        cut = threshold
        if "threshold" in group.columns and group["threshold"].notna().all():
            cut = float(group["threshold"].iloc[0])  # the scorer's own, per frame
        carrying = group[group["score"] >= cut].sort_values(
            ["score", "sent_id"], ascending=[False, True], kind="stable"
        )
        evidence, evidence_text = _evidence(article_id, carrying["sent_id"], text_of, top_k)
        rows.append(
            {
                "article_id": article_id,
                "kind": "frame",
                "name": frame,
                "scorer": scorer,
                "value": float(np.mean(scores >= cut)),
                "n_evidence": len(carrying),
                "evidence": evidence,
                "n_mentions": np.nan,
                "salience": np.nan,
                "presence": bool(len(carrying)),
                "mean_score": float(scores.mean()),
                "evidence_text": evidence_text,
            }
        )
    return pd.DataFrame(rows)


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

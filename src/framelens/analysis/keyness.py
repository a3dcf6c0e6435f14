"""Keyness: which words set a group of articles apart.

The measure is the weighted log-odds ratio with an informative Dirichlet prior of Monroe,
Colaresi & Quinn (2008, "Fightin' words", *Political Analysis* 16(4), eqs. 16 and 20). For a
word w used y_a times in group a (n_a tokens) and y_b times in group b (n_b tokens), with prior
pseudo-counts alpha_w summing to alpha_0,

    delta_w = log((y_a + alpha_w) / (n_a + alpha_0 - y_a - alpha_w))
            - log((y_b + alpha_w) / (n_b + alpha_0 - y_b - alpha_w))
    var(delta_w) ~ 1 / (y_a + alpha_w) + 1 / (y_b + alpha_w)
    z_w = delta_w / sqrt(var(delta_w))

The prior shrinks the log-odds of rare words toward zero, so a word said twice by one outlet
does not top the list the way it does with a raw frequency ratio. z > 0 means the word is
characteristic of group a. The z-scores are descriptive (tokens are not independent draws):
treat |z| > 1.96 as "notably distinctive", not as a significance test of the outlets.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from framelens.errors import InputError, InputWarning

TOKEN_PATTERN = r"(?u)\b[^\W\d_](?:[^\W_]|-(?=[^\W_]))+\b"
"""Tokens: a letter, then letters/digits, with inner hyphens kept ("f-16", "co-operation").

Tokens are at least two characters long and never start with a digit, so bare numbers and
the "s" of "Pakistan's" are not words. Text is lower-cased first, so "US" and "us" meet: use
a stop-word list (which removes "us") or a codebook-aware tokeniser when that matters.
"""

PRIOR_FLOOR = 0.01
"""Pseudo-count added to every prior count, so a word absent from the prior corpus stays
finite (the uninformative prior of Monroe et al. uses the same 0.01)."""

KEYNESS_COLUMNS = [
    "group_a",
    "group_b",
    "term",
    "count_a",
    "count_b",
    "per_10k_a",
    "per_10k_b",
    "log_odds",
    "se",
    "z",
    "n_articles_a",
    "n_articles_b",
    "n_tokens_a",
    "n_tokens_b",
    "note",
]


def log_odds_dirichlet(counts_a, counts_b, prior, alpha0: float | None = None):
    """Weighted log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008).

    Parameters
    ----------
    counts_a, counts_b : array-like of float, shape (n_terms,)
        Term counts in the two corpora compared.
    prior : array-like of float, shape (n_terms,)
        Term counts of the prior (background) corpus; :data:`PRIOR_FLOOR` is added to each.
    alpha0 : float, optional
        Total prior weight. ``None`` uses the prior counts as pseudo-counts as they are
        (alpha_0 = size of the prior corpus, as in most implementations); a number rescales
        them to sum to ``alpha0`` (smaller = weaker shrinkage).

    Returns
    -------
    log_odds : ndarray
        delta_w, the log-odds ratio of group a over group b.
    se : ndarray
        Its approximate standard error.
    z : ndarray
        delta_w / se.
    """
    ya = np.asarray(counts_a, dtype=float)
    yb = np.asarray(counts_b, dtype=float)
    alpha = np.asarray(prior, dtype=float) + PRIOR_FLOOR
    if not ya.shape == yb.shape == alpha.shape:
        raise InputError("counts and prior must have one value per term")
    if (ya < 0).any() or (yb < 0).any() or (alpha < 0).any():
        raise InputError("term counts must not be negative")
    if alpha0 is not None:
        if alpha0 <= 0:
            raise InputError(f"alpha0={alpha0} must be positive")
        alpha = alpha * (alpha0 / alpha.sum())
    a0 = alpha.sum()
    na, nb = ya.sum(), yb.sum()
    log_odds = np.log((ya + alpha) / (na + a0 - ya - alpha)) - np.log(
        (yb + alpha) / (nb + a0 - yb - alpha)
    )
    se = np.sqrt(1.0 / (ya + alpha) + 1.0 / (yb + alpha))
    return log_odds, se, log_odds / se


def _texts(corpus, text_column: str, source: str) -> list[str]:
    if isinstance(corpus, pd.DataFrame):
        if text_column not in corpus.columns:
            raise InputError(f"the {source} table has no {text_column!r} column", source=source)
        texts = corpus[text_column]
    elif isinstance(corpus, str):
        raise InputError(f"{source} must be a list of texts or a table, not one string")
    else:
        texts = pd.Series(list(corpus), dtype=object)
    return texts.fillna("").astype(str).tolist()


def keyness(
    articles: pd.DataFrame,
    *,
    group: str = "outlet",
    comparison: str = "rest",
    reference=None,
    prior: str = "corpus",
    alpha0: float | None = None,
    stop_words: str | Sequence[str] | None = "english",
    token_pattern: str = TOKEN_PATTERN,
    ngram_range: tuple[int, int] = (1, 1),
    min_count: int = 2,
    top_k: int | None = None,
    min_n: int = 2,
    text_column: str = "text",
) -> pd.DataFrame:
    """Distinctive terms of each group (Monroe et al. log-odds with a Dirichlet prior).

    Parameters
    ----------
    articles : DataFrame
        Articles with ``text_column`` and the ``group`` column (the articles table, or the
        sentences table merged with its articles' groups).
    group : str
        Column that defines the groups, e.g. ``"outlet"`` or ``"outlet_type"``.
    comparison : {"rest", "pairwise", "reference"}
        Each group against all other groups pooled (``group_b = "rest"``), every ordered pair
        of groups, or each group against ``reference`` (``group_b = "reference"``).
    reference : DataFrame with a text column, or sequence of str, optional
        A reference corpus (e.g. general news) for ``comparison="reference"`` and/or
        ``prior="reference"``.
    prior : {"corpus", "reference"}
        Where the prior word frequencies come from: the texts compared (all groups, plus the
        reference when it is compared against) or the reference corpus alone.
    alpha0 : float, optional
        Prior strength (see :func:`log_odds_dirichlet`); ``None`` = prior counts as they are.
    stop_words : "english", sequence of str or None
        Words to drop before counting; ``"english"`` is scikit-learn's ``ENGLISH_STOP_WORDS``.
    token_pattern : str
        Regular expression of a token (:data:`TOKEN_PATTERN` by default); text is lower-cased.
    ngram_range : tuple of int
        Word n-gram lengths counted, as in :class:`~sklearn.feature_extraction.text.CountVectorizer`.
    min_count : int
        Terms used fewer times by the two sides together are not reported.
    top_k : int, optional
        Keep the ``top_k`` terms with the largest z per comparison (``None`` = all terms).
    min_n : int
        Comparisons whose group has fewer articles get a ``note`` (its words may be one
        author's habits rather than the outlet's).
    text_column : str
        Column holding the text.

    Returns
    -------
    DataFrame
        One row per (group_a, group_b, term): ``count_a, count_b``, rates ``per_10k_a,
        per_10k_b`` (per 10,000 tokens), ``log_odds, se, z`` (z > 0: typical of group_a),
        ``n_articles_a, n_articles_b, n_tokens_a, n_tokens_b`` and ``note``; sorted by group
        and descending z.
    """
    if comparison not in ("rest", "pairwise", "reference"):
        raise InputError(
            f"unknown keyness comparison {comparison!r}", hint="use rest, pairwise or reference"
        )
    if prior not in ("corpus", "reference"):
        raise InputError(f"unknown prior {prior!r}", hint="use corpus or reference")
    if reference is None and (comparison == "reference" or prior == "reference"):
        raise InputError(
            f"comparison={comparison!r} with prior={prior!r} needs a reference corpus",
            hint="pass reference= (a table with a text column, or a list of texts)",
        )
    if group not in articles.columns:
        raise InputError(f"the articles table has no column {group!r}", source="articles")
    no_group = articles[group].isna() | (articles[group].astype(str).str.strip() == "")
    if no_group.any():
        warnings.warn(
            f"{int(no_group.sum())} article(s) have no {group} and are left out of keyness by "
            f"{group}; give them one in outlets.csv / metadata.csv",
            InputWarning,
            stacklevel=2,
        )
        articles = articles.loc[~no_group]
    if articles.empty:  # the cause, not its symptom (no words left to count)
        raise InputError(
            f"the {group} column is empty for every article, so keyness by {group} has no "
            "group to compare",
            hint=f"fill {group} in the input, or compare by another column",
        )
    texts = _texts(articles, text_column, "articles")
    labels = articles[group].astype(str).str.strip().to_numpy()
    ref_texts = _texts(reference, text_column, "reference") if reference is not None else []

    if stop_words == "english":
        stop_words = sorted(ENGLISH_STOP_WORDS)
    elif stop_words is not None:
        stop_words = sorted({str(w).lower() for w in stop_words})
    vectorizer = CountVectorizer(
        lowercase=True,
        token_pattern=token_pattern,
        stop_words=stop_words,
        ngram_range=tuple(ngram_range),
    )
    try:
        matrix = vectorizer.fit_transform(texts + ref_texts)
    except ValueError as err:  # empty vocabulary
        raise InputError(
            "no words left to count in the articles", hint="check the text column and stop words"
        ) from err
    terms = vectorizer.get_feature_names_out()
    docs, ref = matrix[: len(texts)], matrix[len(texts) :]
    tokens_per_doc = np.asarray(docs.sum(axis=1)).ravel()

    groups = sorted(set(labels))
    counts = {g: np.asarray(docs[labels == g].sum(axis=0)).ravel() for g in groups}
    n_docs = {g: int((labels == g).sum()) for g in groups}
    total = np.asarray(docs.sum(axis=0)).ravel()
    ref_counts = np.asarray(ref.sum(axis=0)).ravel() if ref_texts else None
    if tokens_per_doc.sum() == 0:
        raise InputError("no words left to count in the articles")

    if prior == "reference":
        prior_counts = ref_counts
    elif comparison == "reference":
        prior_counts = total + ref_counts
    else:
        prior_counts = total

    if comparison == "rest":
        if len(groups) < 2:
            raise InputError(
                f"keyness against the rest needs two {group} values, found one "
                f"({', '.join(groups) or 'none'})"
            )
        pairs = [
            (g, "rest", counts[g], total - counts[g], n_docs[g], len(texts) - n_docs[g])
            for g in groups
        ]
    elif comparison == "pairwise":
        if len(groups) < 2:
            raise InputError(
                f"pairwise keyness needs two {group} values, found one "
                f"({', '.join(groups) or 'none'})"
            )
        pairs = [
            (a, b, counts[a], counts[b], n_docs[a], n_docs[b])
            for a, b in itertools.permutations(groups, 2)
        ]
    else:
        pairs = [(g, "reference", counts[g], ref_counts, n_docs[g], len(ref_texts)) for g in groups]

    frames = []
    for ga, gb, ya, yb, da, db in pairs:
        log_odds, se, z = log_odds_dirichlet(ya, yb, prior_counts, alpha0)
        na, nb = ya.sum(), yb.sum()
        keep = (ya + yb) >= min_count
        part = pd.DataFrame(
            {
                "group_a": ga,
                "group_b": gb,
                "term": terms[keep],
                "count_a": ya[keep].astype(int),
                "count_b": yb[keep].astype(int),
                "per_10k_a": ya[keep] / max(na, 1) * 1e4,
                "per_10k_b": yb[keep] / max(nb, 1) * 1e4,
                "log_odds": log_odds[keep],
                "se": se[keep],
                "z": z[keep],
                "n_articles_a": da,
                "n_articles_b": db,
                "n_tokens_a": int(na),
                "n_tokens_b": int(nb),
                "note": f"n={da} article(s): words may reflect one author" if da < min_n else "",
            }
        )
        part = part.sort_values(["z", "term"], ascending=[False, True], kind="stable")
        if top_k is not None:
            part = part.head(int(top_k))
        frames.append(part)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return out.reindex(columns=KEYNESS_COLUMNS)


__all__ = ["KEYNESS_COLUMNS", "PRIOR_FLOOR", "TOKEN_PATTERN", "keyness", "log_odds_dirichlet"]

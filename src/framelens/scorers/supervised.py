"""Trained scorers: scikit-learn pipelines for target-dependent stance and multi-label frames.

Both scorers are ordinary estimators: settings in the constructor, ``fit`` learns and returns
``self``, learned state ends in ``_``. ``fit`` chooses the regularisation strength ``C`` by
grouped cross-validation (texts of one article -- one ``group`` -- never sit on both sides of a
split, so near-identical sentences cannot inflate the scores) and then refits on all the data.

Stance (``register_scorer("stance", "supervised")``) is target-dependent classification: every
mention of the target is replaced by a placeholder token (:func:`mask_mentions`), so the model
learns how a sentence talks about *a* target, not who the target is. Features are TF-IDF word
and character n-grams of the masked sentence plus word n-grams of the words left and right of
the mention, each in its own feature space; ``features="tfidf+embedding"`` adds WordLlama
sentence embeddings. Frames (``register_scorer("frame", "supervised")``) are multi-label: one
logistic regression per frame over TF-IDF (and optional embedding) features of the text.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score, precision_recall_curve
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from framelens.errors import InputError
from framelens.scorers.base import FrameScorer, StanceScorer, register_scorer
from framelens.tables import STANCE_LABELS

#: The token that replaces every mention of the target in the stance features.
PLACEHOLDER = "xxtargetxx"
#: Accepted values of the ``features`` setting.
FEATURE_SETS = ("tfidf", "tfidf+embedding")
#: Accepted values of the ``classifier`` setting.
CLASSIFIERS = ("logreg", "svm")

_WORD = re.compile(r"\w+(?:['’]\w+)*")


# --------------------------------------------------------------------------- feature texts


def mask_mentions(items: pd.DataFrame, window: int = 5) -> pd.DataFrame:
    """Replace the target's mentions by :data:`PLACEHOLDER` and cut the word windows around them.

    The marked spans are masked, and so is every other whole-word, case-sensitive occurrence of
    the marked strings in the sentence (NewsMTSC marks one occurrence of a repeated name).

    Parameters
    ----------
    items : DataFrame
        Columns ``text`` (the sentence) and ``spans`` (list of ``(start, end)`` character offsets
        of the target's mentions in ``text``).
    window : int, default 5
        Number of words kept on each side of each mention.

    Returns
    -------
    DataFrame
        Same index as ``items``; string columns ``sentence`` (the masked sentence), ``left`` and
        ``right`` (the words before and after the mentions) and ``window`` (left words, the
        placeholder, right words).
    """
    pairs = zip(items["text"], items["spans"], strict=True)
    rows = [_mask_one(text, spans, window) for text, spans in pairs]
    return pd.DataFrame(rows, index=items.index, columns=["sentence", "left", "right", "window"])


def _mask_one(text: str, spans, window: int) -> tuple[str, str, str, str]:
    text = str(text)
    spans = [(int(s), int(e)) for s, e in spans]
    strings = {text[s:e].strip() for s, e in spans} - {""}
    for string in strings:
        pattern = r"(?<!\w)" + re.escape(string) + r"(?!\w)"
        spans.extend(m.span() for m in re.finditer(pattern, text))
    pieces, cursor = [], 0
    for start, end in _merge(spans):
        pieces += [text[cursor:start], f" {PLACEHOLDER} "]
        cursor = max(cursor, end)
    pieces.append(text[cursor:])
    sentence = re.sub(r"\s+", " ", "".join(pieces)).strip()
    words = _WORD.findall(sentence)
    left, right = [], []
    for i, word in enumerate(words):
        if word == PLACEHOLDER:
            left += [w for w in words[max(0, i - window) : i] if w != PLACEHOLDER]
            right += [w for w in words[i + 1 : i + 1 + window] if w != PLACEHOLDER]
    return (
        sentence,
        " ".join(left),
        " ".join(right),
        " ".join([*left, PLACEHOLDER, *right]),
    )


def _merge(spans):
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def embed_texts(texts) -> np.ndarray:
    """Unit-length WordLlama embeddings of ``texts`` (an iterable of strings), shape (n, 256).

    A module-level function (not a lambda) so that a saved pipeline refers to it by name.
    """
    from framelens.models.wordllama import embed_texts as wordllama_embed

    return np.asarray(wordllama_embed([str(t) for t in texts]), dtype=float)


class CompactTfidfVectorizer(TfidfVectorizer):
    """A :class:`~sklearn.feature_extraction.text.TfidfVectorizer` that saves small.

    Identical in behaviour; only its saved state differs: skops writes a ``dict`` entry by entry
    as JSON (about 1 kB per n-gram, hundreds of MB for a NewsMTSC model), so the vocabulary is
    saved as one array of terms in index order and rebuilt on load.
    """

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: never strip the live estimator
        vocabulary = state.pop("vocabulary_", None)
        if vocabulary is not None:
            terms = sorted(vocabulary, key=vocabulary.get)
            state["vocabulary_terms_"] = np.array(terms, dtype=str)
        return state

    def __setstate__(self, state):
        state = dict(state)
        terms = state.pop("vocabulary_terms_", None)
        if terms is not None:
            state["vocabulary_"] = {str(term): i for i, term in enumerate(terms)}
        super().__setstate__(state)


def _tfidf(**params) -> CompactTfidfVectorizer:
    # Sublinear tf: a word said twice is not twice the evidence. Lowercased by default.
    return CompactTfidfVectorizer(sublinear_tf=True, **params)


def _stance_features(features: str, window: int) -> Pipeline:
    columns = [
        ("words", _tfidf(ngram_range=(1, 2), min_df=2), "sentence"),
        ("chars", _tfidf(analyzer="char_wb", ngram_range=(2, 5), min_df=2), "sentence"),
        ("left", _tfidf(ngram_range=(1, 2)), "left"),
        ("right", _tfidf(ngram_range=(1, 2)), "right"),
    ]
    if features == "tfidf+embedding":
        columns += [
            ("embed_sentence", FunctionTransformer(embed_texts), "sentence"),
            ("embed_window", FunctionTransformer(embed_texts), "window"),
        ]
    return Pipeline(
        [
            ("mask", FunctionTransformer(mask_mentions, kw_args={"window": window})),
            ("columns", ColumnTransformer(columns)),
        ]
    )


def _frame_features(features: str) -> FeatureUnion:
    parts = [
        ("words", _tfidf(ngram_range=(1, 2), min_df=2, stop_words="english")),
        ("chars", _tfidf(analyzer="char_wb", ngram_range=(3, 5), min_df=2)),
    ]
    if features == "tfidf+embedding":
        parts.append(("embedding", FunctionTransformer(embed_texts)))
    return FeatureUnion(parts)


def _classifier(kind: str, C: float, class_weight, random_state):
    if kind == "logreg":
        # saga with a loose tolerance: ~10x faster than lbfgs on 10^5 sparse features, with
        # the same cross-validated scores.
        # saga shuffles the data: seeded, so the same data give the same model.
        return LogisticRegression(
            C=C,
            class_weight=class_weight,
            solver="saga",
            tol=1e-3,
            max_iter=1000,
            random_state=random_state,
        )
    # A linear SVM has no probabilities: Platt scaling on internal folds supplies them.
    svm = LinearSVC(C=C, class_weight=class_weight, random_state=random_state)
    return CalibratedClassifierCV(svm, method="sigmoid", cv=3)


# --------------------------------------------------------------------- grouped cross-validation


def grouped_folds(strata, groups, n_splits: int = 5, random_state: int = 0) -> np.ndarray:
    """Assign every item to a cross-validation fold, keeping each group inside one fold.

    Uses :class:`~sklearn.model_selection.StratifiedGroupKFold`, so the folds also keep the
    label proportions as far as the groups allow.

    Parameters
    ----------
    strata : array-like of shape (n,)
        The label to stratify on (for multi-label data, e.g. the set of positive frames).
    groups : array-like of shape (n,)
        Items with the same group (e.g. the sentences of one article) share a fold.
    n_splits : int, default 5
        Number of folds.
    random_state : int, default 0
        Seed of the shuffle that assigns groups to folds.

    Returns
    -------
    ndarray of int, shape (n,)
        The test fold (0 .. n_splits - 1) of every item.

    Raises
    ------
    InputError
        If there are fewer groups than folds, or every label has fewer items than folds.
    """
    groups = np.asarray(groups)
    n_groups = len(pd.unique(groups))
    if n_groups < n_splits:
        raise InputError(
            f"{n_groups} group(s) of training texts cannot fill {n_splits} cross-validation folds",
            hint="add labelled articles or lower n_splits",
        )
    if pd.Series(np.asarray(strata, dtype=str)).value_counts().max() < n_splits:
        # StratifiedGroupKFold's own check, said in the user's terms.
        raise InputError(
            f"no label has {n_splits} training texts to spread over {n_splits} "
            "cross-validation folds",
            hint="add labelled texts or lower n_splits",
        )
    cv = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    folds = np.empty(len(groups), dtype=np.int64)
    with warnings.catch_warnings():
        # Rare labels with fewer items than folds are expected in small gold sets.
        warnings.filterwarnings("ignore", message="The least populated class")
        for fold, (_, test) in enumerate(cv.split(np.zeros(len(groups)), strata, groups)):
            folds[test] = fold
    return folds


def _splits(folds: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(np.flatnonzero(folds != k), np.flatnonzero(folds == k)) for k in np.unique(folds)]


def _out_of_fold(features, make_classifier, X, y, folds, Cs, proba_of, n_outputs):
    """Out-of-fold probabilities for every C; the features are fitted once per fold.

    ``proba_of(classifier, X)`` returns the (n, n_outputs) probabilities of a fitted classifier.
    """
    proba = {C: np.zeros((len(folds), n_outputs)) for C in Cs}
    for train, test in _splits(folds):
        fitted = clone(features)
        X_train = fitted.fit_transform(_take(X, train))
        X_test = fitted.transform(_take(X, test))
        for C in Cs:
            clf = make_classifier(C).fit(X_train, _take(y, train))
            proba[C][test] = proba_of(clf, X_test)
    return proba


def _take(data, index):
    return data.iloc[index] if isinstance(data, pd.DataFrame | pd.Series) else data[index]


def _full_proba(clf, X, n_outputs) -> np.ndarray:
    proba = clf.predict_proba(X)
    classes = getattr(clf, "classes_", None)
    if proba.shape[1] == n_outputs or classes is None or np.ndim(classes) != 1:
        return proba
    # A training fold lacked a class: its probability is 0, the other columns stay aligned.
    full = np.zeros((proba.shape[0], n_outputs))
    full[:, np.asarray(classes, dtype=int)] = proba
    return full


def _frame_proba(model, X) -> np.ndarray:
    proba = model.predict_proba(X)
    final = model[-1] if isinstance(model, Pipeline) else model
    if final.label_binarizer_.y_type_ == "binary":
        # A single frame is a binary problem: P(present) is the second column.
        return proba[:, 1:]
    return proba


def _validate_settings(scorer) -> None:
    if scorer.features not in FEATURE_SETS:
        raise InputError(
            f"unknown feature set {scorer.features!r}", hint=f"use one of {', '.join(FEATURE_SETS)}"
        )
    if scorer.classifier not in CLASSIFIERS:
        raise InputError(
            f"unknown classifier {scorer.classifier!r}", hint=f"use one of {', '.join(CLASSIFIERS)}"
        )
    if len(scorer.Cs) == 0 or any(float(C) <= 0 for C in scorer.Cs):
        raise InputError(f"Cs must be positive numbers, not {scorer.Cs!r}")


def _groups(n: int, groups, table: pd.DataFrame | None = None) -> np.ndarray:
    if groups is None and table is not None and "group" in table.columns:
        groups = table["group"]
    if groups is None:
        return np.arange(n)  # every item its own group
    groups = np.asarray(groups).astype(str)
    if len(groups) != n:
        raise InputError(f"groups has {len(groups)} entries for {n} training items")
    return groups


def _not_fitted(scorer) -> InputError:
    return InputError(
        f"the supervised {scorer.kind} scorer has not been trained",
        hint="train one with `framelens train` and pass it with --model MODEL.skops",
    )


# ----------------------------------------------------------------------------------- stance


@register_scorer("stance", "supervised")
class SupervisedStanceScorer(StanceScorer):
    """Target-dependent stance classifier trained on labelled (sentence, target) items.

    Parameters
    ----------
    features : {"tfidf", "tfidf+embedding"}, default "tfidf"
        TF-IDF word and character n-grams of the masked sentence and word n-grams of the mention
        windows; ``"tfidf+embedding"`` adds WordLlama embeddings of the masked sentence and of
        the window.
    classifier : {"logreg", "svm"}, default "logreg"
        Multinomial logistic regression, or a linear SVM with Platt-calibrated probabilities.
    Cs : tuple of float, default (0.5, 2.0, 8.0)
        Inverse regularisation strengths tried by grouped cross-validation.
    window : int, default 5
        Words kept on each side of a mention for the window features.
    class_weight : {"balanced", None}, default "balanced"
        Class weights of the classifier; ``"balanced"`` suits the macro-F1 it is selected on.
    n_splits : int, default 5
        Folds of the grouped cross-validation.
    random_state : int, default 0
        Seed of the fold assignment.

    Attributes
    ----------
    pipeline_ : Pipeline
        Masking, features and classifier, refitted on all training items with ``best_C_``.
    classes_ : ndarray of str
        The stance labels seen in training, in the column order of the probabilities.
    best_C_ : float
        The C with the highest cross-validated macro-F1.
    cv_results_ : dict
        ``C``, ``f1_macro`` (pooled out-of-fold) and ``f1_macro_std`` (across folds), one entry
        per C.
    cv_score_ : float
        Cross-validated macro-F1 at ``best_C_``.
    cv_predictions_ : ndarray of str
        The out-of-fold label of every training item at ``best_C_`` (for error analysis).
    fold_ids_ : ndarray of int
        The cross-validation fold of every training item.
    n_train_ : int
        Number of training items.
    """

    def __init__(
        self,
        features: str = "tfidf",
        classifier: str = "logreg",
        Cs: tuple = (0.5, 2.0, 8.0),
        window: int = 5,
        class_weight: str | None = "balanced",
        n_splits: int = 5,
        random_state: int = 0,
    ):
        self.features = features
        self.classifier = classifier
        self.Cs = Cs
        self.window = window
        self.class_weight = class_weight
        self.n_splits = n_splits
        self.random_state = random_state

    def fit(self, items: pd.DataFrame, y, groups=None) -> SupervisedStanceScorer:
        """Choose C by grouped cross-validation, then train on all items.

        Parameters
        ----------
        items : DataFrame
            Columns ``text`` and ``spans`` as in :meth:`score_spans`; an optional ``group``
            column gives each item's article (used when ``groups`` is None).
        y : array-like of str
            Stance labels, each one of ``against``, ``neutral``, ``favor``.
        groups : array-like, optional
            Group of every item (e.g. its article id); items of one group never straddle folds.
            Without groups (and no ``group`` column) every item is its own group.

        Returns
        -------
        SupervisedStanceScorer
            ``self``, fitted.
        """
        _validate_settings(self)
        items = _check_items(items)
        y = np.asarray(y, dtype=object).astype(str)
        if len(y) != len(items):
            raise InputError(f"{len(y)} labels for {len(items)} training items")
        unknown = sorted(set(y) - set(STANCE_LABELS))
        if unknown:
            raise InputError(
                f"unknown stance label(s) {', '.join(unknown)}",
                hint=f"use {', '.join(STANCE_LABELS)}",
            )
        classes = np.array([c for c in STANCE_LABELS if c in set(y)])
        if len(classes) < 2:
            raise InputError(
                "training data holds a single stance label",
                hint="a classifier needs at least two of against/neutral/favor",
            )
        groups = _groups(len(items), groups, items)
        X = items[["text", "spans"]].reset_index(drop=True)
        codes = pd.Series(y).map({c: i for i, c in enumerate(classes)}).to_numpy(dtype=int)
        folds = grouped_folds(y, groups, self.n_splits, self.random_state)
        features = _stance_features(self.features, self.window)
        Cs = [float(C) for C in self.Cs]
        n_classes = len(classes)
        proba = _out_of_fold(
            features,
            self._classifier,
            X,
            codes,
            folds,
            Cs,
            lambda clf, X_test: _full_proba(clf, X_test, n_classes),
            n_classes,
        )
        f1 = {C: f1_score(codes, p.argmax(1), average="macro") for C, p in proba.items()}
        f1_std = {
            C: np.std(
                [f1_score(codes[t], p[t].argmax(1), average="macro") for _, t in _splits(folds)]
            )
            for C, p in proba.items()
        }
        self.best_C_ = max(Cs, key=lambda C: (f1[C], -C))
        self.cv_results_ = {
            "C": Cs,
            "f1_macro": [float(f1[C]) for C in Cs],
            "f1_macro_std": [float(f1_std[C]) for C in Cs],
        }
        self.cv_score_ = float(f1[self.best_C_])
        self.cv_predictions_ = classes[proba[self.best_C_].argmax(1)]
        self.pipeline_ = Pipeline(
            [("features", features), ("classifier", self._classifier(self.best_C_))]
        ).fit(X, codes)
        self.classes_ = classes
        self.fold_ids_ = folds
        self.n_train_ = len(items)
        return self

    def _classifier(self, C: float):
        return _classifier(self.classifier, C, self.class_weight, self.random_state)

    def predict_proba(self, items: pd.DataFrame) -> np.ndarray:
        """Class probabilities, shape (n_items, n_classes), columns in :attr:`classes_` order."""
        if not hasattr(self, "pipeline_"):
            raise _not_fitted(self)
        items = _check_items(items)
        if items.empty:
            return np.zeros((0, len(self.classes_)))
        return _full_proba(self.pipeline_, items[["text", "spans"]], len(self.classes_))

    def predict(self, items: pd.DataFrame) -> np.ndarray:
        """The most probable stance label of every item."""
        return self.classes_[self.predict_proba(items).argmax(1)]

    def score_spans(self, items: pd.DataFrame) -> pd.DataFrame:
        """Score stance toward the marked spans.

        Parameters
        ----------
        items : DataFrame
            Columns ``text``, ``spans`` and ``target``; ``context`` is accepted and not used
            (the public training data has no context, so no weight could be learned for it).

        Returns
        -------
        DataFrame
            Same index as ``items``: ``score`` = P(favor) - P(against) in [-1, 1], ``label``
            the most probable class, ``confidence`` its probability.
        """
        proba = self.predict_proba(items)
        column = {c: i for i, c in enumerate(self.classes_)}
        favor = proba[:, column["favor"]] if "favor" in column else 0.0
        against = proba[:, column["against"]] if "against" in column else 0.0
        return pd.DataFrame(
            {
                "score": np.asarray(favor - against, dtype=float).reshape(-1),
                "label": self.classes_[proba.argmax(1)] if len(proba) else [],
                "confidence": proba.max(1) if len(proba) else [],
            },
            index=items.index,
        )


def _check_items(items: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("text", "spans") if c not in items.columns]
    if missing:
        raise InputError(
            f"stance items lack column(s) {', '.join(missing)}",
            hint="items need text and spans (list of (start, end) offsets)",
        )
    for index, text, spans in zip(items.index, items["text"], items["spans"], strict=True):
        for span in spans:
            start, end = (int(v) for v in span)
            if not 0 <= start < end <= len(str(text)):
                raise InputError(
                    f"span {tuple(span)} lies outside the text ({len(str(text))} characters)",
                    record=f"item {index}",
                    hint="spans are (start, end) character offsets into the sentence",
                )
    return items


# ----------------------------------------------------------------------------------- frames


@register_scorer("frame", "supervised")
class SupervisedFrameScorer(FrameScorer):
    """Multi-label frame classifier: one logistic regression per frame over shared features.

    Parameters
    ----------
    features : {"tfidf", "tfidf+embedding"}, default "tfidf"
        TF-IDF word (uni- and bigrams, English stop words removed) and character n-grams;
        ``"tfidf+embedding"`` adds WordLlama embeddings of the text.
    classifier : {"logreg", "svm"}, default "logreg"
        Logistic regression, or a linear SVM with Platt-calibrated probabilities.
    Cs : tuple of float, default (0.3, 1.0, 3.0, 10.0)
        Inverse regularisation strengths tried by grouped cross-validation.
    n_splits : int, default 5
        Folds of the grouped cross-validation.
    random_state : int, default 0
        Seed of the fold assignment.

    Attributes
    ----------
    pipeline_ : Pipeline
        Features and one-vs-rest classifier, refitted on all texts with ``best_C_``.
    frames_ : list of str
        The frame columns seen in ``fit``; the column order of :meth:`score_texts`.
    best_C_ : float
        The C with the highest cross-validated mean average precision over frames.
    thresholds_ : dict of str to float
        Per frame, the probability above which :meth:`predict` says the frame is present (the
        threshold that maximises the out-of-fold F1).
    cv_results_ : dict
        ``C`` and ``average_precision`` (mean over frames, out-of-fold), one entry per C, and
        per frame at ``best_C_``: ``frame_average_precision`` and ``frame_f1`` (at its
        threshold, which was tuned on the same folds: optimistic).
    n_positive_ : dict of str to int
        Training texts labelled with each frame.
    fold_ids_ : ndarray of int
        The cross-validation fold of every training text.
    n_train_ : int
        Number of training texts.
    """

    def __init__(
        self,
        features: str = "tfidf",
        classifier: str = "logreg",
        Cs: tuple = (0.3, 1.0, 3.0, 10.0),
        n_splits: int = 5,
        random_state: int = 0,
    ):
        self.features = features
        self.classifier = classifier
        self.Cs = Cs
        self.n_splits = n_splits
        self.random_state = random_state

    def fit(self, texts, Y: pd.DataFrame, groups=None) -> SupervisedFrameScorer:
        """Choose C and per-frame thresholds by grouped cross-validation, then train on all texts.

        Parameters
        ----------
        texts : sequence of str
            The training texts (sentences or articles).
        Y : DataFrame
            One 0/1 (or boolean) column per frame, one row per text; the columns become
            :meth:`frame_names`.
        groups : array-like, optional
            Group of every text (e.g. its article id); texts of one group never straddle folds.

        Returns
        -------
        SupervisedFrameScorer
            ``self``, fitted.
        """
        _validate_settings(self)
        texts = np.asarray([str(t) for t in texts], dtype=object)
        Y = _check_frame_labels(Y, len(texts))
        frames = [str(c) for c in Y.columns]
        labels = Y.to_numpy(dtype=int)
        groups = _groups(len(texts), groups)
        strata = [_label_set(frames, row) for row in labels]
        folds = grouped_folds(strata, groups, self.n_splits, self.random_state)
        features = _frame_features(self.features)
        Cs = [float(C) for C in self.Cs]
        with warnings.catch_warnings():
            # A frame absent from one training fold is predicted constant there: expected.
            warnings.filterwarnings("ignore", message="Label not .* is present")
            proba = _out_of_fold(
                features, self._classifier, texts, labels, folds, Cs, _frame_proba, len(frames)
            )
        ap = {C: _frame_ap(labels, p) for C, p in proba.items()}
        self.best_C_ = max(Cs, key=lambda C: (np.nanmean(ap[C]), -C))
        best = proba[self.best_C_]
        self.thresholds_ = {
            f: _best_threshold(labels[:, j], best[:, j]) for j, f in enumerate(frames)
        }
        self.cv_results_ = {
            "C": Cs,
            "average_precision": [float(np.nanmean(ap[C])) for C in Cs],
            "frame_average_precision": dict(zip(frames, map(float, ap[self.best_C_]), strict=True)),
            "frame_f1": {
                f: float(
                    f1_score(labels[:, j], best[:, j] >= self.thresholds_[f], zero_division=0.0)
                )
                for j, f in enumerate(frames)
            },
        }
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Label not .* is present")
            self.pipeline_ = Pipeline(
                [("features", features), ("classifier", self._classifier(self.best_C_))]
            ).fit(texts, labels)
        self.frames_ = frames
        self.n_positive_ = dict(zip(frames, map(int, labels.sum(0)), strict=True))
        self.fold_ids_ = folds
        self.n_train_ = len(texts)
        return self

    def _classifier(self, C: float):
        return OneVsRestClassifier(_classifier(self.classifier, C, None, self.random_state))

    def frame_names(self) -> list[str]:
        """The frames learned in ``fit``, in the column order of :meth:`score_texts`."""
        if not hasattr(self, "frames_"):
            raise _not_fitted(self)
        return list(self.frames_)

    def score_texts(self, texts) -> np.ndarray:
        """Probability of every frame in every text.

        Parameters
        ----------
        texts : sequence of str
            Sentences (or whole articles).

        Returns
        -------
        ndarray of shape (len(texts), len(frame_names()))
            Probabilities in [0, 1].
        """
        if not hasattr(self, "pipeline_"):
            raise _not_fitted(self)
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, len(self.frames_)))
        return np.asarray(_frame_proba(self.pipeline_, texts), dtype=float)

    def predict(self, texts) -> np.ndarray:
        """0/1 frame indicators, shape (n_texts, n_frames), using :attr:`thresholds_`."""
        scores = self.score_texts(texts)
        thresholds = np.array([self.thresholds_[f] for f in self.frames_])
        return (scores >= thresholds).astype(int)


def _label_set(frames: list[str], row) -> str:
    # The stratum of a multi-label row: its positive frames joined, or "none".
    return "+".join(f for f, v in zip(frames, row, strict=True) if v) or "none"


def _check_frame_labels(Y, n: int) -> pd.DataFrame:
    if not isinstance(Y, pd.DataFrame):
        raise InputError("frame labels must be a DataFrame with one 0/1 column per frame")
    if len(Y) != n:
        raise InputError(f"{len(Y)} rows of frame labels for {n} training texts")
    if Y.shape[1] == 0:
        raise InputError("frame labels have no columns", hint="one 0/1 column per frame")
    for column in Y.columns:
        values = pd.Series(Y[column])
        bad = values[~values.isin([0, 1, True, False])]
        if len(bad):
            raise InputError(
                f"frame label column {column!r} holds {bad.iloc[0]}",
                record=f"row {bad.index[0]}",
                hint="frame labels are 0/1 or True/False",
            )
    return Y.astype(int)


def _frame_ap(labels: np.ndarray, proba: np.ndarray) -> np.ndarray:
    # Average precision per frame; NaN for a frame without positives (undefined).
    return np.array(
        [
            average_precision_score(labels[:, j], proba[:, j]) if labels[:, j].any() else np.nan
            for j in range(labels.shape[1])
        ]
    )


def _best_threshold(y: np.ndarray, proba: np.ndarray) -> float:
    if not y.any() or y.all():
        return 0.5
    precision, recall, thresholds = precision_recall_curve(y, proba)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.nan_to_num(2 * precision * recall / (precision + recall))
    return float(thresholds[int(np.argmax(f1[:-1]))])

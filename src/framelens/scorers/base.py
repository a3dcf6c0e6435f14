"""The one interface every scorer follows, and the registry that finds scorers by name.

Scorers follow scikit-learn's conventions: the constructor stores settings and nothing else,
``fit`` learns (and returns ``self``), scoring methods never mutate the scorer. There are two
kinds:

* **stance** scorers implement :meth:`StanceScorer.score_spans`: given sentences and the
  character spans of one target's mentions in each, return a score in [-1, 1], a label and a
  confidence per item. :meth:`StanceScorer.score_stance` turns the sentences and mentions tables
  into the stance table with it, so corpus scoring and span benchmarks (NewsMTSC) share one path.
* **frame** scorers implement :meth:`FrameScorer.score_texts`: a (n_texts, n_frames) matrix of
  scores in [0, 1]; :meth:`FrameScorer.score_frames` builds the frames table.

A new method is one module in this package with one ``@register_scorer("stance", "name")``
line, and its module name in :data:`BUILTIN_SCORER_MODULES`. A scorer in another package is
found through the ``framelens.scorers`` entry-point group (in that package's pyproject.toml:
``[project.entry-points."framelens.scorers"] my_scorer = "my_package.my_scorer"``), so the
command line and experiment configs can name it too; in Python, importing a module that
registers a scorer is enough.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from framelens.errors import InputError
from framelens.tables import STANCE, check_columns, stance_label

_REGISTRY: dict[str, dict[str, type]] = {"stance": {}, "frame": {}}

#: Columns of the items table handed to :meth:`StanceScorer.score_spans`.
SPAN_ITEM_COLUMNS = ["text", "spans", "target"]


def register_scorer(kind: str, name: str) -> Callable[[type], type]:
    """Class decorator that makes a scorer available by ``name`` (e.g. in a config file)."""
    if kind not in _REGISTRY:
        raise ValueError(f"scorer kind must be one of {sorted(_REGISTRY)}, not {kind!r}")

    def decorate(cls: type) -> type:
        cls.name = name
        _REGISTRY[kind][name] = cls
        return cls

    return decorate


#: Modules of this package that register scorers; importing one runs its @register_scorer lines.
BUILTIN_SCORER_MODULES = (
    "lexicon",
    "dictionary",
    "embedding",
    "encoder",
    "encoder_heads",
    "supervised",
    "transformer",
)
#: Entry-point group through which other installed packages add scorers.
ENTRY_POINT_GROUP = "framelens.scorers"
_loaded = False


def _load_builtin_scorers() -> None:
    # Imported on first use, not at import time, so that ``import framelens`` stays fast.
    global _loaded
    if _loaded:
        return
    import importlib
    import importlib.metadata

    for module in BUILTIN_SCORER_MODULES:
        importlib.import_module(f"framelens.scorers.{module}")
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            entry_point.load()
        except Exception as err:  # a broken plug-in must say so, not vanish from the list
            raise InputError(
                f"the scorer plug-in {entry_point.name!r} ({entry_point.value}) failed to "
                f"load: {type(err).__name__}: {err}",
                hint=f"fix or uninstall the package that declares it in {ENTRY_POINT_GROUP!r}",
            ) from err
    _loaded = True


def available_scorers(kind: str) -> list[str]:
    """Names of the registered scorers of ``kind`` (``"stance"`` or ``"frame"``)."""
    _load_builtin_scorers()
    if kind not in _REGISTRY:
        raise InputError(f"unknown scorer kind {kind!r}", hint="use 'stance' or 'frame'")
    return sorted(_REGISTRY[kind])


def get_scorer(kind: str, name: str, **params) -> BaseEstimator:
    """Build the scorer registered as ``name`` with the given settings.

    Raises
    ------
    InputError
        If no scorer of that kind has that name; the message lists the known ones.
    """
    known = available_scorers(kind)
    if name not in _REGISTRY[kind]:
        raise InputError(
            f"unknown {kind} scorer {name!r}", hint=f"known {kind} scorers: {', '.join(known)}"
        )
    return _REGISTRY[kind][name](**params)


class StanceScorer(BaseEstimator):
    """Base class of stance scorers: per (sentence, target) a score in [-1, 1].

    Subclasses implement :meth:`score_spans`. ``neutral_band`` is the half-width of the score
    interval labelled neutral.
    """

    kind = "stance"
    name = "base"
    neutral_band = 0.05

    def fit(self, X=None, y=None):
        """Learn nothing (rule-based scorers); returns ``self`` for chaining."""
        return self

    def score_spans(self, items: pd.DataFrame) -> pd.DataFrame:
        """Score stance toward marked spans.

        Parameters
        ----------
        items : DataFrame
            One row per (text, target) with columns ``text`` (the sentence), ``spans`` (a list of
            ``(start, end)`` character offsets of the target's mentions in ``text``) and
            ``target`` (the target's name; may be empty for free spans). An optional
            ``context`` column holds the neighbouring sentences.

        Returns
        -------
        DataFrame
            Same index and length as ``items``, columns ``score`` (float in [-1, 1]),
            ``label`` (against/neutral/favor) and ``confidence`` (float in [0, 1]).
        """
        raise NotImplementedError

    def score_stance(self, sentences: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
        """Build the stance table: one row per (sentence, target) that has stance evidence.

        Mentions flagged ``in_name`` (a country inside a pipeline or organisation name) are not
        stance evidence; a sentence with no other mention of that target gets no row.

        Parameters
        ----------
        sentences : DataFrame
            The sentences table.
        mentions : DataFrame
            The mentions table (offsets into the article text).

        Returns
        -------
        DataFrame
            The stance table (columns of :data:`framelens.tables.STANCE` plus ``n_mentions``).
        """
        check_columns(sentences, "sentences")
        check_columns(mentions, "mentions")
        items = span_items(sentences, mentions)
        if items.empty:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in STANCE + ["n_mentions"]})
        scored = self.score_spans(items[SPAN_ITEM_COLUMNS + ["context"]])
        out = items[["article_id", "sent_id", "target"]].copy()
        out["scorer"] = self.name
        out["score"] = np.clip(scored["score"].to_numpy(dtype=float), -1.0, 1.0)
        out["label"] = scored["label"].to_numpy()
        out["confidence"] = scored["confidence"].to_numpy(dtype=float)
        out["n_mentions"] = items["spans"].map(len).to_numpy()
        return out.reset_index(drop=True)

    def _labels(self, scores) -> list[str]:
        return [stance_label(s, self.neutral_band) for s in scores]


def span_items(sentences: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Group mentions into one scoring item per (sentence, target).

    Offsets are converted from article coordinates to sentence coordinates; ``context`` holds
    the previous and next sentence of the same article.
    """
    usable = mentions
    if "in_name" in mentions.columns:
        usable = mentions[~mentions["in_name"].fillna(False).astype(bool)]
    if usable.empty:
        return pd.DataFrame(columns=["article_id", "sent_id", *SPAN_ITEM_COLUMNS, "context"])
    sents = sentences.sort_values(["article_id", "start"])
    # Plain dict and list lookups: a .loc per item costs more than scoring it, and reading a
    # pandas column element by element costs more than turning it into a list.
    articles = sents["article_id"].tolist()
    keys = zip(articles, sents["sent_id"].tolist(), strict=True)
    position = dict(zip(keys, range(len(articles)), strict=True))  # in C, no Python step per key
    texts, starts = sents["text"].tolist(), sents["start"].tolist()
    usable = usable.sort_values(["article_id", "sent_id", "target", "start", "end"], kind="stable")
    keys_of_items: list[tuple] = []  # (article_id, sent_id, target) of each item
    spans: list[list] = []
    rows: list[int] = []  # each item's sentence, by position in ``sents``
    last = None
    for article_id, sent_id, target, start, end in zip(
        *(usable[c].tolist() for c in ("article_id", "sent_id", "target", "start", "end")),
        strict=True,
    ):
        i = position[(article_id, sent_id)]
        if (article_id, sent_id, target) != last:
            last = (article_id, sent_id, target)
            keys_of_items.append(last)
            spans.append([])
            rows.append(i)
        spans[-1].append((int(start) - int(starts[i]), int(end) - int(starts[i])))
    columns: dict[str, list] = {
        name: [key[k] for key in keys_of_items]
        for k, name in enumerate(("article_id", "sent_id", "target"))
    }
    columns["text"] = [texts[i] for i in rows]
    columns["spans"] = spans
    # The sentences before and after in the same article (sorted by start), for the items'
    # sentences only (most sentences name no target), joined by the same pandas operations.
    dtype = sents["text"].dtype
    before = [texts[i - 1] if i > 0 and articles[i - 1] == articles[i] else None for i in rows]
    after = [
        texts[i + 1] if i + 1 < len(texts) and articles[i + 1] == articles[i] else None
        for i in rows
    ]
    context = (
        pd.Series(before, dtype=dtype).fillna("") + " " + pd.Series(after, dtype=dtype).fillna("")
    ).str.strip()
    columns["context"] = context.tolist()
    return pd.DataFrame(columns)


class FrameScorer(BaseEstimator):
    """Base class of frame scorers: per (sentence, frame) a score in [0, 1].

    Subclasses implement :meth:`score_texts` and set ``frame_names`` (from the codebook).
    """

    kind = "frame"
    name = "base"

    def fit(self, X=None, y=None):
        """Learn nothing (rule-based scorers); returns ``self`` for chaining."""
        return self

    def score_texts(self, texts: list[str]) -> np.ndarray:
        """Return an array of shape (len(texts), n_frames) with scores in [0, 1]."""
        raise NotImplementedError

    def frame_names(self) -> list[str]:
        """The frames scored, in the column order of :meth:`score_texts`."""
        raise NotImplementedError

    def score_frames(self, sentences: pd.DataFrame) -> pd.DataFrame:
        """Build the frames table (long format: one row per sentence and frame)."""
        check_columns(sentences, "sentences")
        names = self.frame_names()
        scores = np.asarray(self.score_texts(sentences["text"].tolist()), dtype=float)
        if scores.size == 0:
            scores = scores.reshape(0, len(names))
        scores = np.clip(scores, 0.0, 1.0)
        ids = sentences["article_id"]
        # A column of pandas' own text type is kept as it is (ranked and taken by Arrow): as
        # objects, what the wide table held, it came back the same, one string at a time.
        if ids.dtype != "str" or not len(ids):  # (empty, it stayed objects)
            ids = ids.to_numpy()
        sent_ids = sentences["sent_id"].to_numpy()
        # The rows (sentence, frame) frame by frame, as pandas' melt of the wide table lists
        # them, then ordered as its stable sort by article_id, sent_id and frame orders them:
        # the same keys (ranked once per sentence and frame) in NumPy's stable lexsort.
        row = np.tile(np.arange(len(sentences)), len(names))
        frame = np.repeat(np.arange(len(names)), len(sentences))
        keys = (self._sort_key(names)[frame], self._sort_key(sent_ids)[row])
        order = np.lexsort((*keys, self._sort_key(ids)[row]))
        row, frame = row[order], frame[order]
        long = pd.DataFrame(
            {
                "article_id": ids[row] if isinstance(ids, np.ndarray) else ids.array.take(row),
                "sent_id": sent_ids[row],
                "frame": pd.Index(names).take(frame),
                "scorer": pd.Series([self.name]).array.take(np.zeros(len(row), dtype=np.intp)),
                "score": scores.ravel(order="F")[order],
            }
        )
        # A trained scorer's own per-frame decision thresholds travel with its scores, so
        # aggregation counts a frame as present where the scorer would predict it.
        thresholds = getattr(self, "thresholds_", None)
        if isinstance(thresholds, dict):
            long["threshold"] = long["frame"].map(thresholds).astype(float)
        return long

    @staticmethod
    def _sort_key(values) -> np.ndarray:
        """What pandas' sort_values sorts a column of ``values`` by (missing values last).

        Numbers are sorted as they are; anything else by its rank among the distinct values
        (the codes of an ordered Categorical), a missing value after all of them.
        """
        values = np.asarray(values) if isinstance(values, list) else values
        if isinstance(values, np.ndarray) and values.dtype.kind in "fiub":
            return values
        categorical = pd.Categorical(values, ordered=True)
        codes = categorical.codes
        return np.where(codes < 0, len(categorical.categories), codes)

"""The validation report: every scorer against human coding and public dev data, in one table.

:func:`validation_report` measures

* on the **seed gold codings** (two coders' consensus): sentence-level stance (accuracy,
  macro-F1, Krippendorff's alpha between scorer and coders) and per-frame F1, for every rule-
  based scorer; the trained (supervised) scorers are measured by leave-one-article-out
  cross-validation on the same codings, so no article is scored by a model that saw it; at
  article level, stance (mean score) and frames (share of sentences with the frame) against
  the coders' article values;
* the **encoder frame scorers** (when the pretrained encoder is installed): ``encoder``
  (zero-shot), and ``encoder-supervised`` retrained leave-one-article-out on the other
  articles' gold codings plus the codebook's exemplars (and, with ``train_supervised`` and the
  public data, plus FrAC and Narrative Frames: the recipe of the shipped model, so these rows
  are its held-out estimate). The shipped ``encoder-supervised`` model is trained on the seed
  gold itself: its rows there would be in-sample, so they are left out with a warning and a
  note row (:func:`model_use_of_file` reads which files a model's card says it saw); on any
  other gold file it is measured like the other scorers;
* on the **NewsMTSC dev files** (rw_dev, mt_dev): stance toward each record's marked target;
  the supervised scorer is trained on NewsMTSC train only when ``train_supervised`` is set.

The shipped fine-tuned stance model (``transformer`` with ``minilm-stance``: a LoRA adapter on
the minilm encoder, trained on NewsMTSC train only) is measured on both, when the
``[pretrained]`` extra is installed; on the seed gold it also gets one row per target. Its
epoch was chosen on rw_dev, which its rw_dev rows say; mt_dev is its out-of-sample dev set.

:func:`update_readme` writes the Markdown table between the README's
``<!-- validation:start -->`` and ``<!-- validation:end -->`` markers, so the numbers shown are
always the ones the current code and data produce, never typed by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score

from framelens.errors import InputError
from framelens.tables import STANCE_LABELS

#: The published best on the NewsMTSC *test* splits (Hamborg & Donnay 2021, GRU-TSC RoBERTa),
#: shown for context beside our dev numbers: different splits, not a like-for-like comparison.
PUBLISHED_NEWSMTSC = {"rw_dev": 0.831, "mt_dev": 0.825}
REPORT_COLUMNS = [
    "dataset",
    "task",
    "name",
    "scorer",
    "evaluation",
    "n",
    "accuracy",
    "macro_f1",
    "alpha",
    "note",
]
MARKERS = ("<!-- validation:start -->", "<!-- validation:end -->")


def seed_report(
    corpus,
    gold_path,
    *,
    codebook=None,
    stance=("lexicon", "embedding"),
    frames=("dictionary", "embedding"),
    supervised: bool = True,
    threshold: float = 0.5,
    transformer_model=None,
    shipped_stance: bool = True,
    encoder: bool = True,
    data_dir=None,
    cache_dir=None,
) -> pd.DataFrame:
    """Scorers against the seed corpus's gold codings (consensus of the coders).

    Parameters
    ----------
    corpus : path
        The corpus the gold codings refer to.
    gold_path : path
        The gold CSV (all coders; units where coders disagree are left out).
    codebook : Codebook, optional
        Default: the shipped codebook.
    stance, frames : sequence of str
        Rule-based scorers to measure.
    supervised : bool, default True
        Add the supervised scorers, cross-validated leave-one-article-out.
    threshold : float
        Frame presence threshold.
    transformer_model : str or Path, optional
        Add the transformer scorers with this model (a zero-shot NLI model scores stance and
        frames; a fine-tuned model the task of its card).
    shipped_stance : bool, default True
        Add the shipped fine-tuned stance model (``minilm-stance``), overall and per target;
        skipped with a warning when the ``[pretrained]`` extra is missing.
    encoder : bool, default True
        Add the encoder frame scorers (skipped with a warning when the encoder is not
        installed or the shipped model does not fit the codebook).
    data_dir : path, optional
        The public datasets' folder (``frac_frames/``, ``narrative_frames/``): adds the
        ``encoder-supervised`` rows retrained leave-one-article-out on the other articles' gold
        codings, the exemplars, FrAC and Narrative Frames.
    cache_dir : path, optional
        Embedding cache of the encoder scorers (the public datasets are ~13,000 sentences).

    Returns
    -------
    DataFrame
        Columns of :data:`REPORT_COLUMNS`.
    """
    from framelens.analysis.aggregate import article_scores
    from framelens.codebook import load_codebook
    from framelens.datasets.gold import read_gold
    from framelens.scorers.build import build_scorer
    from framelens.text.ingest import ingest
    from framelens.text.mentions import find_mentions
    from framelens.validation.metrics import article_metrics, frame_metrics, stance_metrics

    codebook = load_codebook(codebook)
    gold = read_gold(gold_path)
    sentences = ingest(corpus).sentences
    mentions = find_mentions(sentences, codebook)
    predictions = [
        (
            "stance",
            name,
            build_scorer("stance", name, codebook).score_stance(sentences, mentions),
            "rules",
        )
        for name in stance
    ]
    predictions += [
        ("frame", name, build_scorer("frame", name, codebook).score_frames(sentences), "rules")
        for name in frames
    ]
    if supervised:
        predictions += _supervised_seed_predictions(corpus, gold_path, codebook, sentences)
    per_target = set()
    shipped = _shipped_stance_scorer(codebook) if shipped_stance else None
    if shipped is not None:
        left_out = _in_sample_reason("the shipped stance model", shipped.card_, gold_path)
        if left_out:
            predictions.append(("stance", "transformer", left_out, SHIPPED_EVALUATION))
        else:
            table = shipped.score_stance(sentences, mentions)
            predictions.append(("stance", "transformer", table, SHIPPED_EVALUATION))
            per_target.add(("transformer", SHIPPED_EVALUATION))
    if transformer_model is not None:
        stance_scorer = build_scorer("stance", "transformer", codebook, model=transformer_model)
        stance_scorer.fit()
        classifier = stance_scorer.card_ is not None or stance_scorer.class_labels_ is not None
        evaluation = "fine-tuned" if classifier else "zero-shot"
        if stance_scorer.card_ is None or stance_scorer.card_.get("task") == "stance":
            table = stance_scorer.score_stance(sentences, mentions)
            predictions.append(("stance", "transformer", table, evaluation))
        # A zero-shot NLI model scores frames too; a classifier only its own task.
        if (stance_scorer.card_ is None and not classifier) or (
            stance_scorer.card_ is not None and stance_scorer.card_.get("task") == "frame"
        ):
            frame_scorer = build_scorer("frame", "transformer", codebook, model=transformer_model)
            predictions.append(
                ("frame", "transformer", frame_scorer.score_frames(sentences), evaluation)
            )
    if encoder:
        predictions += _encoder_seed_predictions(
            corpus, gold_path, codebook, sentences, data_dir=data_dir, cache_dir=cache_dir
        )
    rows = []
    for task, name, table, evaluation in predictions:
        if isinstance(table, str):  # left out, with the reason
            what = "all frames" if task == "frame" else "all targets"
            rows.append(_left_out_row("seed gold", task, what, name, evaluation, table))
            continue
        if task == "stance":
            result = stance_metrics(table, gold)
            rows.append(_row("seed gold", "stance", "all targets", name, evaluation, result))
            if (name, evaluation) in per_target:
                rows.extend(_per_target_rows(table, gold, name, evaluation))
            # Article level: the mention-weighted mean stance against the coders' mean.
            articles = article_scores(table, None, sentences, mentions)
            result = article_metrics(articles, gold, "stance")
            row = _row("seed gold", "stance (article)", "all targets", name, evaluation, result)
            row["note"] = (
                f"MAE {result['mae']:.2f}, Spearman {result['spearman']:.2f} "
                f"(article x target means)"
            )
            rows.append(row)
        else:
            result = frame_metrics(table, gold, threshold)
            for frame in result["report"].index:
                rows.append(
                    {
                        "dataset": "seed gold",
                        "task": "frame",
                        "name": frame,
                        "scorer": name,
                        "evaluation": evaluation,
                        "n": int(result["report"].loc[frame, "support"]),
                        "accuracy": np.nan,
                        "macro_f1": result[f"f1_{frame}"],
                        "alpha": np.nan,
                        "note": f"F1 of 'present'; P={result[f'precision_{frame}']:.2f} "
                        f"R={result[f'recall_{frame}']:.2f}",
                    }
                )
            rows.append(_frame_article_row(table, gold, sentences, name, evaluation, threshold))
    return _report_frame(rows)


#: The evaluation column of the shipped stance model's rows.
SHIPPED_EVALUATION = "minilm-stance (LoRA, NewsMTSC train)"


def _shipped_stance_scorer(codebook=None):
    """The transformer stance scorer with the shipped model, or None (with a warning) when the
    ``[pretrained]`` extra that provides its base encoder is not installed."""
    import importlib.util
    import warnings

    from framelens.errors import InputWarning
    from framelens.scorers.build import build_scorer

    if importlib.util.find_spec("torch") is None:
        warnings.warn(
            "the shipped stance model is not measured: torch is not installed "
            "(pip install 'framelens[pretrained]')",
            InputWarning,
            stacklevel=3,
        )
        return None
    scorer = build_scorer("stance", "transformer", codebook, progress=False)
    try:
        scorer.fit()
    except InputError as err:
        if "not installed" not in err.message:
            raise  # a changed or corrupted model is an error, never skipped
        warnings.warn(
            f"the shipped stance model is not measured: {err}", InputWarning, stacklevel=3
        )
        return None
    return scorer


def _per_target_rows(table, gold, scorer, evaluation) -> list[dict]:
    """Sentence-level stance rows for each target the gold codes."""
    from framelens.validation.metrics import stance_metrics

    gold_stance = gold[gold["task"] == "stance"]
    rows = []
    for target in sorted(gold_stance["name"].unique()):
        result = stance_metrics(
            table[table["target"] == target], gold_stance[gold_stance["name"] == target]
        )
        if result["n"]:
            rows.append(_row("seed gold", "stance", target, scorer, evaluation, result))
    return rows


def _frame_article_row(table, gold, sentences, name, evaluation, threshold) -> dict:
    """Article level: each article's share of sentences with each frame, against the coders'."""
    from framelens.analysis.aggregate import article_scores
    from framelens.validation.metrics import article_metrics

    no_mentions = pd.DataFrame(columns=["article_id", "sent_id", "target", "alias", "start", "end"])
    articles = article_scores(None, table, sentences, no_mentions, frame_threshold=threshold)
    result = article_metrics(articles, gold, "frame")
    row = _row("seed gold", "frame (article)", "all frames", name, evaluation, result)
    row["note"] = (
        f"MAE {result['mae']:.2f}, Spearman {result['spearman']:.2f} (article x frame shares)"
    )
    return row


def _encoder_seed_predictions(
    corpus, gold_path, codebook, sentences, *, data_dir=None, cache_dir=None
) -> list:
    """Frames tables of the encoder scorers on the seed corpus (see the module docstring).

    The sentences are embedded once (the embeddings are memoised by content), then the shipped
    heads score them and the leave-one-article-out heads are refitted on the other articles.
    """
    import warnings

    from framelens.errors import InputWarning
    from framelens.models.encoders import resolve_encoder
    from framelens.scorers.build import build_scorer
    from framelens.training.sources import frame_training_table

    try:
        resolve_encoder("minilm")
    except InputError as err:
        warnings.warn(f"encoder frame scorers left out: {err}", InputWarning, stacklevel=3)
        return []
    out = [
        (
            "frame",
            "encoder",
            build_scorer("frame", "encoder", codebook, cache_dir=cache_dir).score_frames(sentences),
            "zero-shot",
        )
    ]
    try:
        shipped = build_scorer("frame", "encoder-supervised", codebook, cache_dir=cache_dir)
    except InputError as err:
        warnings.warn(
            f"the shipped encoder-supervised model left out: {err}", InputWarning, stacklevel=3
        )
    else:
        from framelens.models.scorer_files import read_metadata
        from framelens.scorers.encoder_heads import shipped_model

        card = read_metadata(shipped_model())
        left_out = _in_sample_reason(
            "the shipped encoder-supervised model",
            card,
            gold_path,
            held_out="the leave-one-article-out rows",
        )
        out.append(
            (
                "frame",
                "encoder-supervised",
                left_out or shipped.score_frames(sentences),
                SHIPPED_FRAMES_EVALUATION,
            )
        )
    # Partial: a sentence whose coders agree on some frames only still teaches those frames.
    gold = frame_training_table(
        [f"gold:{gold_path}"], corpus=corpus, codebook=codebook, exemplars=True
    )
    out.append(
        (
            "frame",
            "encoder-supervised",
            _encoder_loao(gold, None, sentences, cache_dir),
            "leave-one-article-out CV (gold + exemplars)",
        )
    )
    if data_dir is not None:
        data_dir = Path(data_dir)
        specs = [
            f"frac:{data_dir / 'frac_frames' / 'gold_standard_single_label_all.csv'}",
            f"narrative:{data_dir / 'narrative_frames' / 'articles_metadata.tsv'}",
        ]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InputWarning)  # the documented damaged rows
            public = frame_training_table(specs, codebook=codebook, partial=True)
        out.append(
            (
                "frame",
                "encoder-supervised",
                _encoder_loao(gold, public, sentences, cache_dir),
                "leave-one-article-out CV (gold + exemplars + FrAC + Narrative Frames)",
            )
        )
    return out


#: The evaluation column of the shipped encoder-supervised model's rows.
SHIPPED_FRAMES_EVALUATION = "shipped model (FrAC + Narrative Frames + exemplars + seed gold)"
#: The roles of a model's data files that make a measurement on them in-sample.
TRAINING_ROLES = ("train", "gold", "frac", "narrative", "newsmtsc", "codebook")


def model_use_of_file(card: dict | None, path) -> str | None:
    """How a model used a labelled file, as its card records it.

    A file counts as seen when its sha256 equals one the card records for a data source
    (``source_files`` of a trained scorer's sidecar, ``data_files`` of a fine-tuned model's
    card), or when a training spec of the card (``training_data``) names this very file.

    Parameters
    ----------
    card : dict or None
        A model card or sidecar (None: nothing is known, nothing is seen).
    path : str or Path
        The labelled file a validation measures the model on.

    Returns
    -------
    {"train", "dev"} or None
        ``"train"``: the model learned from it (a measurement on it is in-sample); ``"dev"``: it
        chose the model (early stopping, epoch selection), so a measurement on it is optimistic;
        None: the card does not list it (a held-out measurement).
    """
    from framelens.hashing import sha256_file

    if not card:
        return None
    path = Path(path)
    digest = sha256_file(path) if path.is_file() else None
    roles = set()
    recorded = {**(card.get("data_files") or {}), **(card.get("source_files") or {})}
    for key, value in recorded.items():
        if digest is not None and value == digest:
            roles.add(str(key).partition(":")[0].strip().lower())
    for spec in card.get("training_data") or []:
        kind, sep, spec_path = str(spec).partition(":")
        if sep and spec_path and Path(spec_path).resolve() == path.resolve():
            roles.add(kind.strip().lower())
    if roles & set(TRAINING_ROLES):
        return "train"
    return "dev" if "dev" in roles else None


def _in_sample_reason(what: str, card, gold_path, *, held_out: str = "") -> str:
    """Why a model's rows on ``gold_path`` are left out ("" when they are not).

    Warns once: a model measured on codings it was trained on would report an in-sample fit as
    if it were a held-out result. ``held_out`` names the rows that estimate it instead, if any.
    """
    import warnings

    from framelens.errors import InputWarning

    if model_use_of_file(card, gold_path) != "train":
        return ""
    instead = f"; {held_out} measure the same recipe on data it did not see" if held_out else ""
    warnings.warn(
        f"{what} was trained on {gold_path} (its card lists the file), so its rows on it would "
        f"be in-sample: left out{instead}",
        InputWarning,
        stacklevel=4,
    )
    return "left out: trained on this file (in-sample)" + (f"; see {held_out}" if held_out else "")


def _left_out_row(dataset, task, name, scorer, evaluation, reason) -> dict:
    """A note row in place of a measurement that would mislead (nothing is measured)."""
    nothing = {"n": pd.NA, "accuracy": np.nan, "macro_f1": np.nan}
    return {**_row(dataset, task, name, scorer, evaluation, nothing), "note": reason}


def _report_frame(rows: list[dict]) -> pd.DataFrame:
    """The report's rows as a table; ``n`` is an integer column, blank on a note row."""
    return pd.DataFrame(rows, columns=REPORT_COLUMNS).astype({"n": "Int64"})


def _encoder_loao(gold: pd.DataFrame, public, sentences, cache_dir) -> pd.DataFrame:
    """Encoder heads refitted without each gold article, scoring every sentence of that article.

    ``gold`` is the gold training table (partial labels) with the codebook's exemplars;
    ``public`` (optional) more training rows that are never scored.
    """
    from framelens.scorers.encoder_heads import EncoderHeadsFrameScorer
    from framelens.training.fit import source_groups
    from framelens.training.sources import EXEMPLAR_SOURCE, FRAME_ID_COLUMNS

    heads = EncoderHeadsFrameScorer(cache_dir=cache_dir)
    X_gold = heads.embed(gold["text"])
    X_sentences = heads.embed(sentences["text"])
    if public is not None:
        public = public.assign(group=source_groups(public))
        X_public = heads.embed(public["text"])
    frames = sorted(c for c in gold.columns if c not in FRAME_ID_COLUMNS)
    is_gold = (gold["source"] != EXEMPLAR_SOURCE).to_numpy()
    article_of = sentences["article_id"].astype(str).to_numpy()
    parts = []
    for article in sorted(gold.loc[is_gold, "group"].unique()):
        held_out = is_gold & (gold["group"] == article).to_numpy()
        train, X_train = gold[~held_out], X_gold[~held_out]
        if public is not None:
            train = pd.concat([public, train], ignore_index=True)
            X_train = np.vstack([X_public, X_train])
        heads.fit_embeddings(
            X_train,
            train.reindex(columns=frames).astype(float),
            groups=train["group"],
            sources=train["source"],
        )
        test = article_of == str(article)
        wide = pd.DataFrame(heads.score_embeddings(X_sentences[test]), columns=heads.frame_names())
        wide["article_id"] = sentences.loc[test, "article_id"].to_numpy()
        wide["sent_id"] = sentences.loc[test, "sent_id"].to_numpy()
        parts.append(
            wide.melt(["article_id", "sent_id"], var_name="frame", value_name="score").assign(
                scorer="encoder-supervised"
            )
        )
    return pd.concat(parts, ignore_index=True)


def _row(dataset, task, name, scorer, evaluation, result) -> dict:
    return {
        "dataset": dataset,
        "task": task,
        "name": name,
        "scorer": scorer,
        "evaluation": evaluation,
        "n": result["n"],
        "accuracy": result["accuracy"],
        "macro_f1": result["macro_f1"],
        "alpha": result.get("alpha", np.nan),
        "note": f"coverage {result['coverage']:.2f}" if "coverage" in result else "",
    }


def _supervised_seed_predictions(corpus, gold_path, codebook, sentences) -> list:
    """Leave-one-article-out predictions of the supervised scorers on the gold codings."""
    from framelens.scorers.supervised import SupervisedFrameScorer, SupervisedStanceScorer
    from framelens.training.sources import (
        FRAME_ID_COLUMNS,
        frame_training_table,
        stance_training_table,
    )

    spec = [f"gold:{gold_path}"]
    stance_items = stance_training_table(spec, corpus=corpus, codebook=codebook)
    frame_items = frame_training_table(spec, corpus=corpus, codebook=codebook)
    frame_names = [c for c in frame_items.columns if c not in FRAME_ID_COLUMNS]
    stance_rows, frame_rows = [], []
    for article in sorted(stance_items["group"].unique()):
        train, test = (
            stance_items[stance_items["group"] != article],
            stance_items[stance_items["group"] == article],
        )
        scorer = SupervisedStanceScorer(n_splits=3).fit(
            train[["text", "spans", "target"]], train["label"], groups=train["group"]
        )
        scored = scorer.score_spans(test[["text", "spans", "target"]].assign(context=""))
        ids = test["record_id"].str.split("/", expand=True)
        stance_rows.append(
            pd.DataFrame(
                {
                    "article_id": ids[0].to_numpy(),
                    "sent_id": ids[1].astype(int).to_numpy(),
                    "target": ids[2].to_numpy(),
                    "scorer": "supervised",
                    "score": scored["score"].to_numpy(),
                    "label": scored["label"].to_numpy(),
                    "confidence": scored["confidence"].to_numpy(),
                }
            )
        )
    for article in sorted(frame_items["group"].unique()):
        train = frame_items[frame_items["group"] != article]
        test = frame_items[frame_items["group"] == article]
        scorer = SupervisedFrameScorer(n_splits=3).fit(
            train["text"], train[frame_names], groups=train["group"]
        )
        scores = scorer.score_texts(test["text"].tolist())
        wide = pd.DataFrame(scores, columns=scorer.frame_names())
        ids = test["record_id"].str.split("/", expand=True)
        wide["article_id"], wide["sent_id"] = ids[0].to_numpy(), ids[1].astype(int).to_numpy()
        frame_rows.append(
            wide.melt(["article_id", "sent_id"], var_name="frame", value_name="score").assign(
                scorer="supervised"
            )
        )
    return [
        (
            "stance",
            "supervised",
            pd.concat(stance_rows, ignore_index=True),
            "leave-one-article-out CV",
        ),
        (
            "frame",
            "supervised",
            pd.concat(frame_rows, ignore_index=True),
            "leave-one-article-out CV",
        ),
    ]


def newsmtsc_report(
    data_dir,
    *,
    stance=("lexicon", "embedding"),
    train_supervised: bool = False,
    transformer_model=None,
    shipped_stance: bool = True,
) -> pd.DataFrame:
    """Stance scorers on the NewsMTSC dev files (rw_dev, mt_dev).

    Parameters
    ----------
    data_dir : path
        The folder with ``train.jsonl``, ``rw_dev.jsonl`` and ``mt_dev.jsonl``.
    stance : sequence of str
        Rule-based stance scorers.
    train_supervised : bool, default False
        Also train the supervised scorer on ``train.jsonl`` (a minute or two) and score dev.
    transformer_model : str or Path, optional
        Add the transformer stance scorer with this model.
    shipped_stance : bool, default True
        Add the shipped fine-tuned stance model (skipped, with a warning, without the
        ``[pretrained]`` extra).

    Returns
    -------
    DataFrame
        Columns of :data:`REPORT_COLUMNS`.
    """
    from framelens.scorers import get_scorer
    from framelens.scorers.spans import read_span_records, score_span_records

    data_dir = Path(data_dir)
    if (data_dir / "newsmtsc").is_dir():  # the folder of all public datasets was given
        data_dir = data_dir / "newsmtsc"
    scorers = [(name, get_scorer("stance", name), "rules") for name in stance]
    shipped = _shipped_stance_scorer() if shipped_stance else None
    if shipped is not None:
        scorers.append(("transformer", shipped, SHIPPED_EVALUATION))
    if transformer_model is not None:
        from framelens.scorers.build import build_scorer

        model = build_scorer("stance", "transformer", model=transformer_model).fit()
        scorers.append(("transformer", model, "zero-shot or fine-tuned model"))
    if train_supervised:
        from framelens.training.fit import train_scorer

        trained = train_scorer("stance", f"newsmtsc:{data_dir / 'train.jsonl'}").scorer
        scorers.append(("supervised", trained, "trained on NewsMTSC train"))
    rows = []
    for split in ("rw_dev", "mt_dev"):
        path = data_dir / f"{split}.jsonl"
        if not path.is_file():
            raise InputError(
                "NewsMTSC dev file not found",
                source=path,
                hint="point --data at the folder holding rw_dev.jsonl and mt_dev.jsonl",
            )
        records = read_span_records(path)
        for name, scorer, evaluation in scorers:
            note = f"published best on the test split: F1m {PUBLISHED_NEWSMTSC[split]}"
            # A fine-tuned model's card says which files trained it or chose its epoch.
            use = model_use_of_file(getattr(scorer, "card_", None), path)
            if use == "train":
                reason = _in_sample_reason(f"the {name} model", scorer.card_, path)
                dataset = f"NewsMTSC {split}"
                rows.append(
                    _left_out_row(dataset, "stance", "marked target", name, evaluation, reason)
                )
                continue
            if use == "dev":
                note = f"{split} chose the model's epoch (optimistic); {note}"
            scored = score_span_records(records, scorer)
            truth, pred = scored["gold"], scored["label"]
            rows.append(
                {
                    "dataset": f"NewsMTSC {split}",
                    "task": "stance",
                    "name": "marked target",
                    "scorer": name,
                    "evaluation": evaluation,
                    "n": len(scored),
                    "accuracy": accuracy_score(truth, pred),
                    "macro_f1": f1_score(truth, pred, labels=list(STANCE_LABELS), average="macro"),
                    "alpha": np.nan,
                    "note": note,
                }
            )
    return _report_frame(rows)


def validation_report(
    corpus,
    gold_path,
    data_dir=None,
    *,
    train_supervised: bool = False,
    supervised: bool = True,
    transformer_model=None,
    shipped_stance: bool = True,
    cache_dir=None,
) -> pd.DataFrame:
    """The seed-gold report, plus the NewsMTSC report when ``data_dir`` is given.

    ``transformer_model`` (a model folder or hub id) adds the transformer scorers' rows;
    ``shipped_stance`` the shipped fine-tuned stance model's. With ``data_dir`` and
    ``train_supervised``, the encoder heads are also retrained leave-one-article-out with the
    public frame datasets of ``data_dir``; ``cache_dir`` caches the encoder's embeddings.
    """
    parts = [
        seed_report(
            corpus,
            gold_path,
            supervised=supervised,
            transformer_model=transformer_model,
            shipped_stance=shipped_stance,
            # Retraining the encoder heads with the public frame data embeds ~13,000 sentences:
            # done with the other trainings on public data, when asked for.
            data_dir=data_dir if train_supervised else None,
            cache_dir=cache_dir,
        )
    ]
    if data_dir is not None:
        parts.append(
            newsmtsc_report(
                data_dir,
                train_supervised=train_supervised,
                transformer_model=transformer_model,
                shipped_stance=shipped_stance,
            )
        )
    return pd.concat(parts, ignore_index=True)


def report_markdown(table: pd.DataFrame) -> str:
    """The report as a Markdown table (3 decimals, empty cells for missing values)."""
    from framelens.validation.metrics import to_markdown

    return to_markdown(table)


def update_readme(readme, table: pd.DataFrame) -> Path:
    """Replace the text between the validation markers of ``readme`` with ``table``.

    Raises
    ------
    InputError
        If the README lacks the markers.
    """
    readme = Path(readme)
    text = readme.read_text(encoding="utf-8")
    start, end = MARKERS
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise InputError(
            f"no {start} ... {end} markers",
            source=readme,
            hint="add the two marker lines where the table should go",
        )
    block = f"{start}\n{report_markdown(table)}\n{end}"
    readme.write_text(pattern.sub(lambda _: block, text), encoding="utf-8")
    return readme

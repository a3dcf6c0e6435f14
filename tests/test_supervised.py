"""The trained scikit-learn scorers on real labelled data (NewsMTSC, FrAC) and the seed corpus."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, f1_score

from framelens.errors import InputError, InputWarning
from framelens.scorers import get_scorer
from framelens.scorers.supervised import (
    PLACEHOLDER,
    SupervisedFrameScorer,
    SupervisedStanceScorer,
    grouped_folds,
    mask_mentions,
)
from framelens.tables import FRAMES, STANCE, STANCE_LABELS
from framelens.training.sources import frame_training_table, newsmtsc_article, stance_training_table

N_TRAIN = 1500


@pytest.fixture(scope="module")
def newsmtsc(shared_data_dir):
    folder = shared_data_dir / "newsmtsc"
    train = stance_training_table([f"newsmtsc:{folder / 'train.jsonl'}"])
    dev = stance_training_table([f"newsmtsc:{folder / 'rw_dev.jsonl'}"])
    # A subset of whole articles, so the test trains in seconds.
    articles = train["group"].drop_duplicates().sample(frac=1.0, random_state=0)
    sizes = train.groupby("group").size().loc[articles].cumsum()
    keep = set(sizes[sizes <= N_TRAIN].index)
    return train[train["group"].isin(keep)].reset_index(drop=True), dev


@pytest.fixture(scope="module")
def stance_scorer(newsmtsc):
    train, _ = newsmtsc
    return SupervisedStanceScorer(Cs=(0.5, 2.0)).fit(train, train["label"])


@pytest.fixture(scope="module")
def frac(shared_data_dir):
    path = shared_data_dir / "frac_frames" / "gold_standard_single_label_all.csv"
    return frame_training_table([f"frac:{path}"])


def test_stance_beats_the_majority_class_on_held_out_dev(newsmtsc, stance_scorer):
    train, dev = newsmtsc
    predicted = stance_scorer.predict(dev)
    majority = train["label"].value_counts().idxmax()
    baseline = f1_score(dev["label"], [majority] * len(dev), average="macro")
    macro_f1 = f1_score(dev["label"], predicted, average="macro")
    assert macro_f1 > baseline + 0.2, (macro_f1, baseline)
    # Every class is predicted: the model is not a majority-class model in disguise.
    assert set(predicted) == set(STANCE_LABELS)
    # The cross-validated score it reports is of the same order as the held-out one.
    assert abs(stance_scorer.cv_score_ - macro_f1) < 0.15


def test_masking_removes_every_mention(newsmtsc):
    _, dev = newsmtsc
    masked = mask_mentions(dev, window=5)
    assert masked.index.equals(dev.index)
    for (_, item), (_, features) in zip(dev.iterrows(), masked.iterrows(), strict=True):
        for start, end in item["spans"]:
            mention = item["text"][start:end].strip()
            pattern = r"(?<!\w)" + re.escape(mention) + r"(?!\w)"
            for column in ("sentence", "left", "right", "window"):
                assert not re.search(pattern, features[column]), (mention, features[column])
        assert PLACEHOLDER in features["sentence"]
        n_masked = features["sentence"].count(PLACEHOLDER)
        assert n_masked >= 1
        assert len(features["left"].split()) <= 5 * n_masked


def test_masking_keeps_the_words_around_the_mention():
    text = "Critics say Russia and Pakistan forged ties, while Russia stays silent."
    items = pd.DataFrame({"text": [text], "spans": [[(12, 18)]]})
    masked = mask_mentions(items, window=2).iloc[0]
    # The unmarked second "Russia" is masked too: the model must not see the name.
    assert masked["sentence"] == (
        f"Critics say {PLACEHOLDER} and Pakistan forged ties, while {PLACEHOLDER} stays silent."
    )
    assert masked["left"] == "Critics say ties while"
    assert masked["right"] == "and Pakistan stays silent"


def test_grouped_cv_never_splits_an_article(newsmtsc, stance_scorer):
    train, _ = newsmtsc
    folds = pd.Series(stance_scorer.fold_ids_, index=train.index)
    assert (folds.groupby(train["group"]).nunique() == 1).all()
    assert sorted(folds.unique()) == list(range(stance_scorer.n_splits))
    # Groups really are articles: NewsMTSC sentences of one article share one.
    assert (train["group"] == train["record_id"].map(newsmtsc_article)).all()
    assert train["group"].nunique() < len(train)


def test_grouped_folds_on_frac_strata(frac):
    strata = frac[["geo_economic", "partisan", "security"]].idxmax(axis=1)
    groups = np.repeat(np.arange(len(frac) // 3 + 1), 3)[: len(frac)]
    folds = grouped_folds(strata, groups, n_splits=5, random_state=1)
    assert (pd.Series(folds).groupby(groups).nunique() == 1).all()
    with pytest.raises(InputError, match="cannot fill 5 cross-validation folds"):
        grouped_folds(strata[:8], groups[:8], n_splits=5)


def test_score_spans_contract(newsmtsc, stance_scorer):
    _, dev = newsmtsc
    items = dev.head(40).set_index(pd.RangeIndex(100, 140))
    scored = stance_scorer.score_spans(items)
    assert scored.index.equals(items.index)
    assert scored["score"].between(-1, 1).all()
    assert scored["confidence"].between(1 / 3, 1).all()
    proba = stance_scorer.predict_proba(items)
    favor = list(stance_scorer.classes_).index("favor")
    against = list(stance_scorer.classes_).index("against")
    assert np.allclose(scored["score"], proba[:, favor] - proba[:, against])
    assert (scored["label"] == stance_scorer.classes_[proba.argmax(1)]).all()


def test_stance_table_on_the_seed_corpus(seed_tables, stance_scorer):
    from framelens.text.mentions import find_mentions

    mentions = find_mentions(seed_tables.sentences)
    stance = stance_scorer.score_stance(seed_tables.sentences, mentions)
    assert list(stance.columns[: len(STANCE)]) == STANCE
    assert len(stance) > 0 and set(stance["scorer"]) == {"supervised"}
    assert set(stance["label"]) <= set(STANCE_LABELS)
    usable = mentions[~mentions["in_name"]]
    assert len(stance) == len(usable.groupby(["article_id", "sent_id", "target"]))


def test_bad_stance_input_is_reported(newsmtsc):
    train, _ = newsmtsc
    small = train.head(60)
    with pytest.raises(InputError, match="unknown stance label"):
        SupervisedStanceScorer().fit(small, ["positive"] * len(small))
    with pytest.raises(InputError, match="single stance label"):
        SupervisedStanceScorer().fit(small, ["neutral"] * len(small))
    bad = small.assign(spans=[[(0, 10_000)]] * len(small))
    with pytest.raises(InputError, match=r"item \d+: span .* outside the text"):
        SupervisedStanceScorer().fit(bad, small["label"])
    with pytest.raises(InputError, match="unknown feature set"):
        SupervisedStanceScorer(features="bert").fit(small, small["label"])
    with pytest.raises(InputError, match="has not been trained"):
        SupervisedStanceScorer().score_spans(small)


def test_frames_beat_baselines_on_held_out_frac(frac):
    frames = ["geo_economic", "partisan", "security"]
    test = frac.index % 4 == 0  # every fourth sentence held out
    scorer = SupervisedFrameScorer(Cs=(1.0, 3.0)).fit(
        frac.loc[~test, "text"], frac.loc[~test, frames], groups=frac.loc[~test, "group"]
    )
    assert scorer.frame_names() == frames
    scores = scorer.score_texts(frac.loc[test, "text"])
    predicted = scorer.predict(frac.loc[test, "text"])
    truth = frac.loc[test, frames].to_numpy()
    for j, frame in enumerate(frames):
        prevalence = truth[:, j].mean()
        # A random ranking has average precision = prevalence; saying "yes" always has F1
        # 2p / (1 + p).
        assert average_precision_score(truth[:, j], scores[:, j]) > prevalence + 0.3, frame
        always_yes = 2 * prevalence / (1 + prevalence)
        assert f1_score(truth[:, j], predicted[:, j]) > always_yes + 0.2, frame
    assert ((scores >= 0) & (scores <= 1)).all()


def test_frames_table_on_the_seed_corpus(seed_tables, frac):
    frames = ["geo_economic", "partisan", "security"]
    scorer = get_scorer("frame", "supervised", Cs=(1.0,), n_splits=3)
    scorer.fit(frac["text"], frac[frames], groups=frac["group"])
    assert (pd.Series(scorer.fold_ids_).groupby(frac["group"]).nunique() == 1).all()
    table = scorer.score_frames(seed_tables.sentences)
    assert list(table.columns) == FRAMES + ["threshold"]  # the contract, plus its thresholds
    assert table.groupby("frame")["threshold"].first().to_dict() == scorer.thresholds_
    assert len(table) == len(seed_tables.sentences) * len(frames)
    assert table["score"].between(0, 1).all()


def test_bad_frame_labels_are_reported(frac):
    with pytest.raises(InputError, match="holds 2"):
        SupervisedFrameScorer().fit(frac["text"], frac[["geo_economic"]] * 2)
    with pytest.raises(InputError, match="DataFrame"):
        SupervisedFrameScorer().fit(frac["text"], frac["geo_economic"].to_numpy())
    with pytest.raises(InputError, match="has not been trained"):
        SupervisedFrameScorer().frame_names()


def test_frame_table_keeps_codebook_frames_only(shared_data_dir):
    path = shared_data_dir / "narrative_frames" / "articles_metadata.tsv"
    frac_path = shared_data_dir / "frac_frames" / "gold_standard_single_label_all.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        narrative = frame_training_table([f"narrative:{path}"])
        assert [
            c for c in narrative.columns if c not in ("source", "record_id", "group", "text")
        ] == ["geo_economic"]
        with pytest.raises(InputError, match="label different frames"):
            frame_training_table([f"narrative:{path}", f"frac:{frac_path}"])
    with pytest.raises(InputError, match="newsmtsc data has no frame labels"):
        frame_training_table([f"newsmtsc:{path}"])


def test_a_single_frame_is_scored_as_one_column(frac):
    scorer = SupervisedFrameScorer(Cs=(1.0,), n_splits=3).fit(
        frac["text"], frac[["security"]], groups=frac["group"]
    )
    scores = scorer.score_texts(frac["text"].head(30))
    assert scores.shape == (30, 1)
    assert scorer.frame_names() == ["security"]
    # P(present) rises with the frame: positives rank above negatives on the training data.
    all_scores = scorer.score_texts(frac["text"])[:, 0]
    positive = frac["security"].to_numpy() == 1
    assert all_scores[positive].mean() > all_scores[~positive].mean() + 0.2


def test_linear_svm_gives_calibrated_probabilities(newsmtsc):
    train, dev = newsmtsc
    scorer = SupervisedStanceScorer(classifier="svm", Cs=(0.1,), n_splits=3)
    scorer.fit(train, train["label"])
    proba = scorer.predict_proba(dev)
    assert np.allclose(proba.sum(axis=1), 1.0)
    majority = train["label"].value_counts().idxmax()
    baseline = f1_score(dev["label"], [majority] * len(dev), average="macro")
    assert f1_score(dev["label"], scorer.predict(dev), average="macro") > baseline + 0.2

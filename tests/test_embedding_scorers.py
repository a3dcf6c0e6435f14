"""WordLlama embedding scorers: prototype stance and calibrated frame similarity, on real text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import roc_auc_score

from framelens.codebook import load_codebook
from framelens.errors import InputError
from framelens.models.wordllama import embed_texts, load_wordllama, token_vectors
from framelens.scorers import available_scorers, get_scorer
from framelens.scorers.embedding import (
    EmbeddingFrameScorer,
    EmbeddingStanceScorer,
    context_vector,
    reference_sentences,
)
from framelens.scorers.spans import read_span_records, score_span_records

# Real seed sentences (004: energy deal; 002: military equipment).
TRADE = (
    "Russia and Pakistan are negotiating on potential energy deals worth of $10 billion, "
    "Pakistan’s energy officials told on March 6, 2018."
)
MILITARY = (
    "He has also highlighted Russia’s desire to offer Pakistan special military equipment "
    "and help with its counter-terrorism efforts."
)
# FrAC codes (Media Frames Corpus numbering) closest to the default codebook's frames.
FRAC_CODES = {"geo_economic": 1, "security": 8, "partisan": 6}


@pytest.fixture(scope="module")
def frac(shared_data_dir):
    return pd.read_csv(shared_data_dir / "frac_frames" / "gold_standard_single_label_all.csv")


def test_one_cached_model_and_unit_embeddings():
    assert load_wordllama() is load_wordllama()
    vectors = embed_texts([TRADE, ""])
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-5)
    assert not vectors[1].any()
    offsets, token_vecs = token_vectors(TRADE)
    assert len(offsets) == len(token_vecs) and offsets[-1][1] == len(TRADE)


def test_stance_direction_on_newsmtsc_dev(shared_data_dir):
    records = read_span_records(shared_data_dir / "newsmtsc" / "rw_dev.jsonl")
    scored = score_span_records(records, get_scorer("stance", "embedding"))
    mean = scored.groupby(records["gold"])["score"].mean()
    assert mean["favor"] > mean["neutral"] > mean["against"]
    assert scored["score"].between(-1, 1).all() and scored["confidence"].between(0, 1).all()


def test_the_target_is_masked_so_its_name_does_not_matter():
    text = "The foreign ministers condemned Russia for the attack on the convoy."
    other = text.replace("Russia", "India")
    start = text.index("Russia")
    items = pd.DataFrame(
        {
            "text": [text, other],
            "spans": [[(start, start + 6)], [(start, start + 5)]],
            "target": ["russia", "india"],
        }
    )
    scored = EmbeddingStanceScorer().score_spans(items)
    assert scored["score"].iloc[0] == pytest.approx(scored["score"].iloc[1], abs=1e-6)
    assert scored["score"].iloc[0] < 0
    assert context_vector("Russia", [(0, 6)]) is None  # nothing but the mention: no context


def test_contrast_clause_changes_the_embedded_context():
    text = "Moscow was praised for its generous help, but Washington was condemned for its threats."
    spans = [[(0, 6)], [(text.index("Washington"), text.index("Washington") + 10)]]
    items = pd.DataFrame({"text": [text, text], "spans": spans, "target": ["russia", "us"]})
    moscow, washington = EmbeddingStanceScorer().score_spans(items)["score"]
    assert moscow > washington


def test_stance_prototypes_come_from_the_codebook_and_can_be_overridden():
    codebook = load_codebook()
    texts = EmbeddingStanceScorer().prototype_texts()
    n_favor = len(codebook.stance_prototypes["favor"]) + len(codebook.stance_templates)
    assert len(texts["favor"]) == n_favor
    assert all("{target}" not in t for t in texts["favor"] + texts["against"])
    mine = EmbeddingStanceScorer(
        prototypes={"favor": ["a trusted friend"], "against": ["an enemy"]}
    )
    assert mine.prototype_texts()["favor"][0] == "a trusted friend"
    assert clone(mine).get_params()["prototypes"] == mine.prototypes
    with pytest.raises(InputError, match="favor"):
        EmbeddingStanceScorer(prototypes={"favor": ["x"]}).prototype_texts()


def test_frame_scores_order_trade_and_military_sentences():
    assert "embedding" in available_scorers("frame")
    scorer = get_scorer("frame", "embedding")
    names = scorer.frame_names()
    trade, military = scorer.score_texts([TRADE, MILITARY])
    assert trade[names.index("geo_economic")] > military[names.index("geo_economic")]
    assert military[names.index("security")] > trade[names.index("security")]


def test_midpoints_put_the_documented_share_of_generic_sentences_below_half():
    for share in (0.8, 0.9):
        scores = EmbeddingFrameScorer(share_below=share).score_texts(list(reference_sentences()))
        assert np.allclose((scores < 0.5).mean(axis=0), share, atol=0.01)


def test_frame_similarity_separates_frac_frames(frac):
    scorer = EmbeddingFrameScorer()
    scores = scorer.score_texts(frac["sentence"].tolist())
    for j, name in enumerate(scorer.frame_names()):
        assert roc_auc_score(frac["label"] == FRAC_CODES[name], scores[:, j]) > 0.75, name


def test_fit_calibrates_on_labelled_or_unlabelled_sentences(frac):
    scorer = EmbeddingFrameScorer()
    y = np.column_stack([frac["label"] == FRAC_CODES[n] for n in scorer.frame_names()])
    fitted = clone(scorer).fit(frac["sentence"].tolist(), y)
    assert fitted.midpoints_.shape == (3,)
    predicted = fitted.score_texts(frac["sentence"].tolist()) >= 0.5
    security = scorer.frame_names().index("security")
    tp = np.sum(predicted[:, security] & y[:, security])
    f1 = 2 * tp / (predicted[:, security].sum() + y[:, security].sum())
    assert f1 > 0.5
    assert not hasattr(scorer, "midpoints_")  # fit worked on a clone; the original is untouched
    corpus = clone(scorer).fit(frac["sentence"].tolist())
    assert np.allclose(
        (corpus.score_texts(frac["sentence"].tolist()) < 0.5).mean(axis=0), 0.9, atol=0.01
    )
    with pytest.raises(InputError, match="sentences x frames"):
        clone(scorer).fit(frac["sentence"].tolist(), y[:, :2])

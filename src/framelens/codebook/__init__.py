"""The codebook: targets and frames, read from TOML, never from code.

Owns what counts as a mention of each target (aliases, patterns, context exclusions), what each
frame means (definition, seed terms, exemplars), the shipped default codebook and the coding
guide generated from it. Imports only the shared leaves (``framelens.errors``): every other
layer reads the codebook, so it sits at the bottom of the flow (docs/architecture.md).

``schema`` holds the immutable objects, ``parse`` reads and validates TOML (every problem with
its line), ``guide`` writes the coding guide for human coders.
"""

from framelens.codebook.parse import default_codebook_text, load_codebook, parse_codebook
from framelens.codebook.schema import (
    CASE_MODES,
    Codebook,
    CodebookError,
    ExclusionContext,
    Frame,
    Matching,
    Pattern,
    Target,
)

__all__ = [
    "CASE_MODES",
    "Codebook",
    "CodebookError",
    "ExclusionContext",
    "Frame",
    "Matching",
    "Pattern",
    "Target",
    "default_codebook_text",
    "load_codebook",
    "parse_codebook",
]

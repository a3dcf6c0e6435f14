"""Models as verified assets: pretrained encoders, Hugging Face loading, saved scorer files.

``encoders`` is the registry of pretrained sentence encoders (``minilm``): found by short name,
every loaded file hash-checked, embedded with mean pooling; ``wordllama`` embeds text with the static embeddings that ship in the ``wordllama`` wheel;
``huggingface`` resolves, hashes and loads transformer models (safetensors only, no remote code,
no download unless asked); ``scorer_files`` saves and loads trained scorers as skops archives
with a sidecar that pins their hash, codebook and versions.

May import the shared leaves, :mod:`framelens.codebook`, :mod:`framelens.text` and
:mod:`framelens.datasets`; the scorers build on it, never the other way round.
"""

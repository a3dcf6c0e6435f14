"""Text in: reading every input format into the articles table, cleaning, segmentation, mentions.

Owns the first half of the flow: raw files (text, HTML, JSONL, CSV, Parquet, a corpus folder
with ``metadata.csv``) -> ``articles`` (``corpus``, or ``stream`` a partition at a time) ->
``clean`` (the ``removed`` and ``comments`` tables, every removal recorded) -> ``segment``
(paragraphs and sentences with exact offsets) -> ``mentions`` (the codebook's targets found in
each sentence). ``ingest`` composes the first three; ``settings`` reads ``corpus.toml``.

May import the shared leaves and :mod:`framelens.codebook`; nothing above it.
"""

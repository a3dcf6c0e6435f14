"""Where the CPU time of ``framelens process`` (lexicon + dictionary) and of the plain script goes.

Both flows are run stage by stage in this process on one JSONL corpus, partition by partition
as ``process_corpus`` runs them (500 articles), with ``time.process_time`` around each stage;
imports are timed first (they are a stage too: a researcher's process pays them). It uses only
functions that framelens has had since its partitioned flow existed, so the same script
profiles an older checkout (``PYTHONPATH=old/src python benchmarks/stage_profile.py ...``),
which is how the "before" column of ``benchmarks/results/vs_script.md`` was made.

Usage: ``python benchmarks/stage_profile.py CORPUS.jsonl OUT.json`` (``benchmarks/vs_script.py``
runs it).
"""

from __future__ import annotations

import inspect
import json
import sys
import time
from pathlib import Path

PARTITION = 500


class _Clock:
    """CPU seconds per stage, added up over the partitions."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._last = time.process_time()

    def tick(self, stage: str) -> None:
        now = time.process_time()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._last
        self._last = now


def framelens_stages(corpus: Path) -> dict[str, float]:
    """The framelens flow of ``process --jobs 1 --scorer lexicon --frame-scorer dictionary``."""
    clock = _Clock()
    import pandas as pd

    from framelens.analysis.aggregate import article_scores
    from framelens.codebook import load_codebook
    from framelens.runs.partitions import table_to_bytes
    from framelens.scorers.build import build_scorer
    from framelens.text.clean import (
        CleanConfig,
        clean_articles,
        count_furniture,
        drop_html_columns,
        find_furniture,
    )
    from framelens.text.mentions import find_mentions
    from framelens.text.segment import MAX_TRAINING_CHARS, segment_articles, train_punkt
    from framelens.text.stream import BatchReader

    codebook = load_codebook(None)
    # Cleaning reads the study's codebook (what recurring prose names a target) where it can.
    takes_codebook = "codebook" in inspect.signature(clean_articles).parameters
    clean_kwargs = {"codebook": codebook} if takes_codebook else {}
    stance = build_scorer("stance", "lexicon", codebook)
    frames = build_scorer("frame", "dictionary", codebook)
    clock.tick("import and set-up")
    reader = BatchReader(corpus, PARTITION, False, 50)
    raws = [raw for raw, _ in reader.raw_batches(quiet=True)]
    clock.tick("read (JSONL, checks)")
    counter = None
    for raw in raws:  # the first pass: furniture that recurs across an outlet's articles
        articles = reader.finish(raw, quiet=True).articles
        clock.tick("finish records")
        counts = count_furniture(articles, None)
        if counter is None:
            counter = counts
        else:
            counter.merge(counts)
        clock.tick("count furniture (first pass)")
    furniture = find_furniture(counter, CleanConfig())
    clock.tick("count furniture (first pass)")
    cleaned = []
    for raw in raws:
        articles = reader.finish(raw, quiet=True).articles
        clock.tick("finish records")
        cleaned.append(clean_articles(articles, None, furniture=furniture, **clean_kwargs))
        clock.tick("clean")
    texts, size = {}, 0
    for part in cleaned:  # Punkt learns from the first articles, up to its budget
        for article_id, text in zip(
            part.articles["article_id"], part.articles["text"], strict=True
        ):
            if size < MAX_TRAINING_CHARS:
                texts[article_id] = text
                size += len(text)
    tokenizer = train_punkt(texts[a] for a in sorted(texts))
    clock.tick("train Punkt")
    for part in cleaned:
        sentences = segment_articles(part.articles, tokenizer)
        clock.tick("segment")
        mentions = find_mentions(sentences, codebook)
        clock.tick("find mentions")
        stance_table = stance.score_stance(sentences, mentions)
        clock.tick("lexicon stance")
        frame_table = frames.score_frames(sentences)
        clock.tick("dictionary frames")
        scores = article_scores(stance_table, frame_table, sentences, mentions)
        clock.tick("article scores")
        for table in (drop_html_columns(part.articles), part.removed, part.comments, sentences):
            table_to_bytes(table)
        for table in (mentions, stance_table, frame_table, scores):
            table_to_bytes(pd.DataFrame(table))
        # (The stage keeps its name across checkouts: parts were Parquet before, Arrow IPC now.)
        clock.tick("encode Parquet")
    return clock.seconds


def script_stages(corpus: Path) -> dict[str, float]:
    """The plain script of ``benchmarks/plain_script.py``, stage by stage."""
    clock = _Clock()
    import re

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import plain_script as script
    from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    countries = {name: re.compile(p) for name, p in script.COUNTRIES.items()}
    frames = {name: re.compile(p, re.IGNORECASE) for name, p in script.FRAMES.items()}
    vader = SentimentIntensityAnalyzer()
    clock.tick("import and set-up")
    with open(corpus, encoding="utf-8") as handle:
        articles = [json.loads(line) for line in handle if line.strip()]
    clock.tick("read (JSONL, checks)")
    trainer = PunktTrainer()
    text = "\n\n".join(a["text"] for a in articles)[: script.TRAINING_CHARS]
    trainer.train(text, finalize=True)
    splitter = PunktSentenceTokenizer(trainer.get_params())
    clock.tick("train Punkt")
    for article in articles:
        sentences = splitter.tokenize(article["text"])
        clock.tick("segment")
        for sentence in sentences:
            named = [c for c, rx in countries.items() if rx.search(sentence)]
            clock.tick("find mentions")
            if named:
                vader.polarity_scores(sentence)
                clock.tick("lexicon stance")
            for rx in frames.values():
                len(rx.findall(sentence))
            clock.tick("dictionary frames")
    return clock.seconds


def main() -> None:
    corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
    which = sys.argv[3] if len(sys.argv) > 3 else "framelens"
    if which == "framelens":
        try:  # process_corpus runs with fewer collector passes; older checkouts had none
            from framelens.runs.collection import fewer_collections
        except ImportError:
            from contextlib import nullcontext as fewer_collections
        with fewer_collections():
            seconds = framelens_stages(corpus)
    else:
        seconds = script_stages(corpus)
    out.write_text(json.dumps({k: round(v, 3) for k, v in seconds.items()}, indent=1) + "\n")


if __name__ == "__main__":
    main()

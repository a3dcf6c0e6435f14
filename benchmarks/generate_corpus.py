"""Build an N-article corpus by resampling real text of the shipped corpus, for benchmarks.

Every generated article takes the page furniture of one seed article (the raw paragraphs
before its first and after its last kept paragraph: navigation, share counters, comment forms,
reader comments), so cleaning has its real work to do, and a body resampled from the articles
of the same outlet type: each paragraph is either a real cleaned paragraph or two to four real
sentences drawn from that outlet type's sentences. Body length follows the seed's, times a
factor between 0.5 and 1.5. Outlets are synthetic (``<outlet_type>-NN``, four per type) and
dates are drawn from 2015-2025, so comparisons and trends have groups to work on.

The same ``n`` and ``seed`` always give the same bytes.

Usage: ``python benchmarks/generate_corpus.py N OUT.jsonl [--seed 0]``.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "pakistan_russia"
OUTLETS_PER_TYPE = 4
_BLOCK = re.compile(r"\S(?:[^\n]|\n(?![ \t]*\n))*")


def _blocks(text: str) -> list[str]:
    return [block.strip() for block in _BLOCK.findall(text)]


def seed_pools(corpus=SEEDS) -> list[dict]:
    """Per seed article: its outlet type, raw head and tail, kept paragraphs and sentences."""
    from framelens.text.ingest import ingest

    tables = ingest(corpus, n_jobs=1)
    sentences = tables.sentences.groupby("article_id")["text"].apply(list)
    pools = []
    for row in tables.articles.itertuples():
        kept = _blocks(row.text)
        raw = _blocks(row.raw_text)
        inside = [i for i, block in enumerate(raw) if block in kept]
        first, last = (inside[0], inside[-1]) if inside else (0, len(raw) - 1)
        pools.append(
            {
                "outlet_type": row.outlet_type or "unknown",
                "head": raw[:first],
                "tail": raw[last + 1 :],
                "paragraphs": [p for p in kept if len(p.split()) >= 8],
                "sentences": [s for s in sentences.get(row.article_id, []) if len(s.split()) >= 5],
            }
        )
    return pools


def generate(n: int, seed: int = 0, corpus=SEEDS):
    """Yield ``n`` article records (dicts) resampled from ``corpus``; see the module notes."""
    rng = np.random.default_rng(seed)
    pools = seed_pools(corpus)
    by_type: dict[str, dict[str, list]] = {}
    for pool in pools:
        merged = by_type.setdefault(pool["outlet_type"], {"paragraphs": [], "sentences": []})
        merged["paragraphs"] += pool["paragraphs"]
        merged["sentences"] += pool["sentences"]
    start, span = np.datetime64("2015-01-01"), 11 * 365
    for number in range(n):
        source = pools[rng.integers(len(pools))]
        merged = by_type[source["outlet_type"]]
        n_paragraphs = max(2, round(len(source["paragraphs"]) * rng.uniform(0.5, 1.5)))
        picks = rng.choice(
            len(merged["paragraphs"]),
            size=min(n_paragraphs, len(merged["paragraphs"])),
            replace=False,
        )
        body = []
        for pick in picks:
            if rng.random() < 0.5:
                body.append(merged["paragraphs"][pick])
            else:
                draws = rng.choice(len(merged["sentences"]), size=rng.integers(2, 5))
                body.append(" ".join(merged["sentences"][i] for i in draws))
        title = " ".join(merged["sentences"][rng.integers(len(merged["sentences"]))].split()[:9])
        yield {
            "article_id": f"gen{number:07d}",
            "outlet": f"{source['outlet_type']}-{rng.integers(OUTLETS_PER_TYPE):02d}",
            "outlet_type": source["outlet_type"],
            "date": str(start + rng.integers(span)),
            "title": title.rstrip(".,;:"),
            "text": "\n\n".join(source["head"] + body + source["tail"]),
        }


def write_corpus(n: int, path, seed: int = 0) -> Path:
    """Write :func:`generate` ``(n, seed)`` to ``path`` as JSONL; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for record in generate(n, seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", type=Path, help="output .jsonl file")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_corpus(args.n, args.out, args.seed)


if __name__ == "__main__":
    main()

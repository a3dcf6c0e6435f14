"""The script a researcher would write instead of framelens (the baseline of vs_script.py).

Train Punkt on the corpus (its first 500k characters, as framelens does), split sentences,
find country names with one regex per country, run VADER on each sentence that names one,
count frame words, average per article. Written the idiomatic way: regexes compiled once, one
pass over the articles, results to a CSV.

Usage: ``python benchmarks/plain_script.py CORPUS.jsonl OUT.csv`` (JSONL with ``article_id`` and
``text``).
"""

import csv
import json
import re
import sys
from collections import defaultdict

from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

TRAINING_CHARS = 500_000
COUNTRIES = {
    "us": r"\b(?:United States|U\.S\.A?\.?|US|USA|America|American|Americans|Washington"
    r"|White House|Pentagon|State Department|Biden|Trump)\b",
    "russia": r"\b(?:Russia|Russian|Russians|Moscow|Kremlin|Putin|Lavrov|Soviet Union)\b",
    "india": r"\b(?:India|Indian|Indians|New Delhi|Delhi|Modi|Bharat)\b",
    "china": r"\b(?:China|Chinese|Beijing|Xi Jinping|PRC)\b",
}
FRAMES = {
    "geo_economic": r"\b(?:trade|export|import|tariff|investment|invest|econom\w*|commerce"
    r"|business|market|energy|oil|gas|pipeline|fuel|electricity|infrastructure|loan|debt"
    r"|finance|financial|bank|currency|sanction\w*)\b",
    "security": r"\b(?:military|army|troops|soldier|defen[cs]e|security|weapon\w*|arms"
    r"|missile|nuclear|terror\w*|militan\w*|insurgen\w*|war|conflict|attack|navy|naval)\b",
    "partisan": r"\b(?:partisan|Democrats?|Republicans?|GOP|liberal|conservative\w*"
    r"|left-wing|right-wing|woke|MAGA|elites?|globalist\w*|election|voters)\b",
}


def main(corpus_path: str, out_path: str) -> None:
    with open(corpus_path, encoding="utf-8") as handle:
        articles = [json.loads(line) for line in handle if line.strip()]
    # Punkt learns abbreviations from the corpus; like framelens, from its first 500k characters
    # (training on all of a large corpus costs more than everything else together).
    trainer = PunktTrainer()
    trainer.train("\n\n".join(a["text"] for a in articles)[:TRAINING_CHARS], finalize=True)
    splitter = PunktSentenceTokenizer(trainer.get_params())
    countries = {name: re.compile(p) for name, p in COUNTRIES.items()}
    frames = {name: re.compile(p, re.IGNORECASE) for name, p in FRAMES.items()}
    vader = SentimentIntensityAnalyzer()
    with open(out_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["article_id", "kind", "name", "value", "n"])
        for article in articles:
            sentences = splitter.tokenize(article["text"])
            stance = defaultdict(list)
            frame_hits = defaultdict(int)
            for sentence in sentences:
                named = [c for c, rx in countries.items() if rx.search(sentence)]
                if named:
                    compound = vader.polarity_scores(sentence)["compound"]
                    for country in named:
                        stance[country].append(compound)
                for frame, rx in frames.items():
                    frame_hits[frame] += len(rx.findall(sentence))
            for country, values in sorted(stance.items()):
                writer.writerow(
                    [
                        article["article_id"],
                        "stance",
                        country,
                        sum(values) / len(values),
                        len(values),
                    ]
                )
            for frame in FRAMES:
                share = frame_hits[frame] / max(len(sentences), 1)
                writer.writerow([article["article_id"], "frame", frame, share, len(sentences)])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

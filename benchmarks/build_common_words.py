"""Write ``src/framelens/data/common_words.txt``: words news writes in lower case mid-sentence.

:mod:`framelens.text.boundaries` ends a sentence after an abbreviation ("U.S.", "p.m.", "Inc.")
when the next word is a common word that opens a new sentence ("... at 5 p.m. Officials met
him", "... Acme Inc. Shares rose"). A corpus shows that itself when it is large enough (Punkt's
orthographic context); this list is what a small corpus falls back on. It is learned from the
NewsMTSC training sentences (US political news; not used by any benchmark of segmentation): a
word is listed when it occurs at least ``MIN_LOWER`` times in lower case after a sentence's first
word and is capitalised there at most ``MAX_UPPER_SHARE`` as often ("officials" 104 : 2 is in;
"house" 16 : 307, "president", "department", "state" are out: they are written capitalised as
parts of names). Country words are left out; they have their own list.

Usage: ``python benchmarks/build_common_words.py [--data ../shared/data]``
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "framelens" / "data" / "common_words.txt"
MIN_LOWER = 3
MAX_UPPER_SHARE = 0.2
_TOKEN = re.compile(r"[A-Za-z][a-z'’-]*|[^\sA-Za-z]")
_SENTENCE_OPENERS = {".", "?", "!", '"', "“", ":"}


def count(sentences) -> tuple[Counter, Counter]:
    """Lower-case and capitalised occurrences of each word after a sentence's first word."""
    lower, upper = Counter(), Counter()
    for sentence in sentences:
        tokens = _TOKEN.findall(sentence)
        for i, token in enumerate(tokens):
            if i == 0 or not token[0].isalpha() or tokens[i - 1] in _SENTENCE_OPENERS:
                continue
            if token[0].islower():
                lower[token.lower()] += 1
            elif len(token) == 1 or token[1:].islower():
                upper[token.lower()] += 1
    return lower, upper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    seen: dict[str, None] = {}
    with open(args.data / "newsmtsc" / "train.jsonl", encoding="utf-8") as f:
        for line in f:
            seen.setdefault(json.loads(line)["sentence_normalized"], None)
    lower, upper = count(seen)
    from framelens.text.boundaries import opening_names

    places = {name.lower() for names in opening_names().values() for name in names}
    words = sorted(
        w
        for w, n in lower.items()
        if n >= MIN_LOWER and upper[w] <= MAX_UPPER_SHARE * n and w not in places and "’" not in w
    )
    header = [
        "# Words that news writes in lower case mid-sentence: after an abbreviation, a capitalised",
        "# one opens a new sentence (framelens.text.boundaries). Written by",
        f"# benchmarks/build_common_words.py from the {len(seen):,} NewsMTSC training sentences",
        f"# (at least {MIN_LOWER} times in lower case, capitalised at most"
        f" {MAX_UPPER_SHARE:.0%} as often). One word a line.",
    ]
    OUT.write_text("\n".join(header + words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()

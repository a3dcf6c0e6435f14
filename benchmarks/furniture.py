"""Outlet furniture in keyness: how much of each outlet's top-10 vocabulary is page furniture.

The corpus is the 428 full news articles of the Narrative Frames data
(``narrative_frames/articles_metadata.tsv``), grouped by outlet. Its ``source`` column spells
one outlet several ways ("thedailycaller", "The Daily Caller"), so the outlet is the source
lower-cased, with non-letters and a leading "the" dropped; outlets with at least
``--min-articles`` (5) articles are kept: 22 outlets, 393 articles. The texts are one line
each (paragraphs glued together), the hard case for line rules.

For each cleaning setting, keyness (:func:`framelens.analysis.keyness.keyness`, each outlet
against the rest, default settings) gives every outlet's top 10 terms, and a term is a
*furniture term* when at least half of its uses in that outlet's raw texts fall inside a
furniture span. The furniture spans are :data:`GOLD_FURNITURE`: the furniture found by reading
the corpus (the lines recurring in two or more articles of an outlet were listed and read,
and the texts searched for credits, cross-links, app and newsletter prompts, licensing and
editorial notes), written down independently of the cleaner's rules. The settings:

* ``raw``: no cleaning;
* ``line rules``: the cleaner without the corpus-level rule (``outlet_furniture`` off);
* ``recurrence``: the corpus-level rule, with the content rules that name furniture off;
* ``all``: the cleaner as shipped.

It also reports, per setting, the gold furniture characters removed (recall) and the removed
characters outside gold furniture that are not second copies (``duplicate_paragraph``) or
comments: what cleaning took that was not furniture.

Results go to ``benchmarks/results/furniture.{md,csv}``.

Usage: ``python benchmarks/furniture.py [--data ../shared/data] [--min-articles 5]``
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.analysis.keyness import TOKEN_PATTERN, keyness
from framelens.text.clean import PIECE_RULES, CleanConfig, clean_articles

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_DATA = Path(os.environ.get("FRAMELENS_SHARED_DATA", ROOT.parent / "shared" / "data"))

#: The furniture of the corpus, found by reading it (see the module docstring).
GOLD_FURNITURE = [
    # licensing and syndication notices
    r"Content created by The Daily Caller News Foundation is available without charge to any "
    r"eligible news publisher that can provide a large audience\.",
    r"For licensing opportunities of our original content, please contact "
    r"(?:\[email protected\]|\S+(?: org)?)\.?",
    r"Published with permission of The American Independent\.",
    r"This (?:story|article) (?:was )?originally (?:published|appeared)[^.]*\.",
    # editorial notes about the article
    r"The views and opinions expressed in this commentary are those of the author[^.]*\.",
    r"Editor's [Nn]ote:[^.]*\.",
    r"Correction: [^.]*\.",
    # credits
    r"The Associated Press contributed to this report\.",
    r"\((?:AP |AFP )?Photo[:/][^)]*\)",
    r"[A-Z][\w.' -]{2,40} (?:/|via) Getty Images",
    # app, newsletter, share and follow prompts
    r"CLICK (?:HERE )?TO GET THE FOX NEWS APP",
    r"Download the Yahoo News app to customize your experience\.",
    r"Subscribe to get Vox Sentences delivered straight to your inbox\.",
    r"Sign up for the Vox Sentences newsletter[^.]*\.",
    r"Want climate news in your inbox\? Sign up here for Climate Fwd:, our email newsletter\.",
    r"Think your friends would be interested\? Share this story!",
    r"Like this story\? Share it with a friend!",
    r"Follow (?:him|her) on (?:Twitter|Facebook)[^.]*\.",
    # cross-links
    r"\(RELATED:[^)]*\)",
    r"Read more: [^.]*\.",
]

SETTINGS = {
    "raw": None,
    "line rules": CleanConfig(disabled=frozenset({"outlet_furniture"})),
    "recurrence": CleanConfig(disabled=frozenset(PIECE_RULES)),
    "all": CleanConfig(),
}


def outlet_name(source: str) -> str:
    """One spelling per outlet: lower case, letters only, without a leading "the"."""
    name = re.sub(r"[^a-z]", "", str(source).lower())
    return re.sub(r"^the", "", name)


def load_articles(data: Path, min_articles: int) -> pd.DataFrame:
    """The Narrative Frames articles as an articles table, outlets with enough articles."""
    table = pd.read_csv(data / "narrative_frames" / "articles_metadata.tsv", sep="\t")
    table["outlet"] = table["source"].map(outlet_name)
    sizes = table["outlet"].value_counts()
    table = table[table["outlet"].isin(sizes[sizes >= min_articles].index)]
    return pd.DataFrame(
        {
            "article_id": table["ID"].astype(str),
            "outlet": table["outlet"],
            "outlet_type": "",
            "date": table["date"].astype(str),
            "title": "",
            "url": "",
            "text": table["text"].astype(str),
        }
    ).reset_index(drop=True)


def gold_mask(text: str) -> np.ndarray:
    """True for every character of ``text`` inside a gold furniture span."""
    mask = np.zeros(len(text), dtype=bool)
    for pattern in GOLD_FURNITURE:
        for match in re.finditer(pattern, text):
            mask[match.start() : match.end()] = True
    return mask


def furniture_share_of_terms(articles: pd.DataFrame, masks: dict, term: str, outlet: str) -> float:
    """The share of ``term``'s uses in ``outlet``'s raw texts that lie in gold furniture."""
    pattern = re.compile(TOKEN_PATTERN)
    inside = total = 0
    for row in articles[articles["outlet"] == outlet].itertuples():
        mask = masks[row.article_id]
        for match in pattern.finditer(row.text.lower()):
            if match.group() == term:
                total += 1
                inside += bool(mask[match.start() : match.end()].any())
    return inside / total if total else 0.0


def removed_audit(articles: pd.DataFrame, removed: pd.DataFrame, masks: dict) -> dict:
    """Gold furniture characters removed, and removed characters that are not furniture."""
    gold = sum(int(m.sum()) for m in masks.values())
    taken = other = 0
    raw = dict(zip(articles["article_id"], articles["text"], strict=True))
    for row in removed.itertuples():
        if row.start < 0:
            continue
        span = masks[row.article_id][row.start : row.end]
        taken += int(span.sum())
        if row.reason not in ("duplicate_paragraph", "reader_comment"):
            outside = raw[row.article_id][row.start : row.end]
            other += sum(1 for ch, m in zip(outside, span, strict=True) if not m and ch.strip())
    return {"gold_chars": gold, "gold_removed": taken, "other_removed_chars": other}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--min-articles", type=int, default=5)
    args = parser.parse_args()
    if not (args.data / "narrative_frames" / "articles_metadata.tsv").is_file():
        raise SystemExit(f"no narrative_frames/articles_metadata.tsv under {args.data} (--data)")
    articles = load_articles(args.data, args.min_articles)
    masks = {row.article_id: gold_mask(row.text) for row in articles.itertuples()}
    outlets = sorted(articles["outlet"].unique())
    rows, summary = [], []
    for name, config in SETTINGS.items():
        start = time.perf_counter()
        if config is None:
            cleaned, removed = articles, pd.DataFrame(columns=["article_id", "start", "end"])
            audit = {"gold_chars": sum(int(m.sum()) for m in masks.values())}
            audit.update(gold_removed=0, other_removed_chars=0)
        else:
            result = clean_articles(articles, config)
            cleaned, removed = result.articles, result.removed
            audit = removed_audit(articles, removed, masks)
        seconds = time.perf_counter() - start
        top = keyness(cleaned, group="outlet", top_k=10)
        n_furniture = 0
        for outlet in outlets:
            terms = top.loc[top["group_a"] == outlet, "term"].tolist()
            flagged = [
                t for t in terms if furniture_share_of_terms(articles, masks, t, outlet) >= 0.5
            ]
            n_furniture += len(flagged)
            rows.append(
                {
                    "setting": name,
                    "outlet": outlet,
                    "articles": int((articles["outlet"] == outlet).sum()),
                    "furniture_terms": len(flagged),
                    "top10": " ".join(terms),
                    "furniture": " ".join(flagged),
                }
            )
        summary.append(
            {
                "setting": name,
                "furniture_terms": n_furniture,
                "share_of_top10": n_furniture / (10 * len(outlets)),
                "outlets_with_furniture": sum(
                    r["furniture_terms"] > 0 for r in rows if r["setting"] == name
                ),
                **audit,
                "clean_seconds": round(seconds, 2),
            }
        )
        print(name, summary[-1])
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / "furniture.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    write_markdown(summary, rows, len(articles), len(outlets))


def write_markdown(summary: list[dict], rows: list[dict], n_articles: int, n_outlets: int):
    lines = [
        "# Outlet furniture in keyness",
        "",
        f"Written by `benchmarks/furniture.py`: {n_articles} Narrative Frames articles of "
        f"{n_outlets} outlets (at least 5 articles each), one line per article. A top-10 "
        "keyness term is *furniture* when at least half its uses in the outlet's raw text lie "
        "in the furniture found by reading the corpus (`GOLD_FURNITURE`). `gold_removed`: "
        "furniture characters removed, of `gold_chars`; `other_removed_chars`: removed "
        "characters outside that furniture, second copies and comments aside.",
        "",
        "| setting | furniture terms in top 10s | share | outlets with furniture terms "
        "| gold_removed / gold_chars | other_removed_chars | clean s |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in summary:
        lines.append(
            f"| {s['setting']} | {s['furniture_terms']} | {s['share_of_top10']:.1%} "
            f"| {s['outlets_with_furniture']} | {s['gold_removed']} / {s['gold_chars']} "
            f"| {s['other_removed_chars']} | {s['clean_seconds']} |"
        )
    lines += ["", "## Per outlet (furniture terms of the top 10)", ""]
    settings = [s["setting"] for s in summary]
    lines.append("| outlet | articles | " + " | ".join(settings) + " |")
    lines.append("|---|---|" + "---|" * len(settings))
    by_outlet: dict = {}
    for row in rows:
        by_outlet.setdefault((row["outlet"], row["articles"]), {})[row["setting"]] = row
    for (outlet, n), cells in sorted(by_outlet.items()):
        parts = [
            f"{cells[s]['furniture_terms']} ({cells[s]['furniture'] or '-'})" for s in settings
        ]
        lines.append(f"| {outlet} | {n} | " + " | ".join(parts) + " |")
    (RESULTS / "furniture.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

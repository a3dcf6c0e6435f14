"""The shipped gold codings are complete, valid, and keyed to the current segmentation."""

from __future__ import annotations

import pandas as pd

from framelens.datasets.gold import read_gold


def test_coding_units_match_the_current_segmentation(seed_tables, seed_corpus_dir):
    units = pd.read_csv(
        seed_corpus_dir / "annotations" / "sentences.csv", dtype={"article_id": str}
    )
    current = seed_tables.sentences[["article_id", "sent_id", "text"]]
    merged = units.merge(
        current,
        on=["article_id", "sent_id"],
        how="outer",
        suffixes=("_coded", "_now"),
        indicator=True,
    )
    assert (merged["_merge"] == "both").all(), "segmentation changed: re-code or re-key the gold"
    assert (merged["text_coded"] == merged["text_now"]).all()


def test_every_unit_has_every_frame_from_both_coders(seed_corpus_dir):
    units = pd.read_csv(
        seed_corpus_dir / "annotations" / "sentences.csv", dtype={"article_id": str}
    )
    gold = read_gold(seed_corpus_dir / "annotations" / "gold.csv")  # validates labels, shape
    assert set(gold["coder"]) == {"coder_a", "coder_b"}
    for coder, coded in gold.groupby("coder"):
        frames = coded[coded["task"] == "frame"]
        counts = frames.groupby(["article_id", "sent_id"]).size()
        assert len(counts) == len(units) and (counts == 3).all(), coder
        stance = coded[coded["task"] == "stance"]
        assert set(stance["name"]) <= {"us", "russia", "india", "china"}

"""Readers of the public frame datasets (FrAC, Narrative Frames) and their label maps."""

from __future__ import annotations

import csv
import re
import warnings

import pandas as pd
import pytest

from framelens.datasets.frames import (
    FRAC_CODES,
    FRAC_TO_FRAMES,
    NARRATIVE_LABELS,
    frac_frame_labels,
    narrative_frame_labels,
    read_frac,
    read_narrative_frames,
)
from framelens.errors import InputError, InputWarning


@pytest.fixture(scope="module")
def frac_path(shared_data_dir):
    return shared_data_dir / "frac_frames" / "gold_standard_single_label_all.csv"


@pytest.fixture(scope="module")
def narrative_path(shared_data_dir):
    return shared_data_dir / "narrative_frames" / "articles_metadata.tsv"


def test_read_frac_keeps_every_sentence_and_code(frac_path):
    frac = read_frac(frac_path)
    with frac_path.open(newline="", encoding="utf-8") as handle:
        raw = list(csv.DictReader(handle))
    assert len(frac) == len(raw)
    assert frac["text"].tolist() == [r["sentence"].strip() for r in raw]
    assert frac["code"].tolist() == [int(r["label"]) for r in raw]
    assert set(frac["mfc_frame"]) <= set(FRAC_CODES.values())
    assert frac["record_id"].is_unique


def test_frac_labels_follow_the_documented_map(frac_path):
    frac = read_frac(frac_path)
    labels = frac_frame_labels(frac)
    assert list(labels.columns) == sorted(set(FRAC_TO_FRAMES.values()))
    # FrAC is single-label: a sentence is positive for at most one framelens frame ...
    assert labels.sum(axis=1).max() == 1
    # ... exactly when its code is mapped, and for the frame the map names.
    for code, frame in FRAC_TO_FRAMES.items():
        assert labels[frame].sum() == (frac["code"] == code).sum()
    unmapped = ~frac["code"].isin(list(FRAC_TO_FRAMES))
    assert labels[unmapped].to_numpy().sum() == 0
    # Another map may send several codes to one frame.
    merged = frac_frame_labels(frac, {6: "partisan", 12: "partisan"})
    assert merged["partisan"].sum() == frac["code"].isin([6, 12]).sum()


def test_frac_bad_input_names_the_row(frac_path, tmp_path):
    table = pd.read_csv(frac_path)
    table.loc[7, "label"] = 2  # MFC "capacity and resources": not a FrAC code
    bad = tmp_path / "frac.csv"
    table.to_csv(bad, index=False)
    with pytest.raises(InputError, match=r"frac\.csv, row 8: unknown FrAC frame code"):
        read_frac(bad)
    table.drop(columns="label").to_csv(bad, index=False)
    with pytest.raises(InputError, match="lacks column"):
        read_frac(bad)
    with pytest.raises(InputError, match="file not found"):
        read_frac(tmp_path / "missing.csv")


def test_read_narrative_frames_reports_the_damaged_rows(narrative_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        narrative = read_narrative_frames(narrative_path)
    messages = [str(w.message) for w in caught if issubclass(w.category, InputWarning)]
    raw = pd.read_csv(narrative_path, sep="\t", dtype=str)
    incomplete = raw[raw[list(NARRATIVE_LABELS)].isna().any(axis=1)]["ID"].tolist()
    assert incomplete, "the shipped file has a truncated row"
    for article in incomplete:
        assert any(f"ID {article}: row has missing frame labels" in m for m in messages)
    assert len(narrative) == len(raw) - len(incomplete)
    # Labels with stray punctuation are read as what they spell, with a warning.
    odd = raw[~raw["EC"].isin(["True", "False"]) & raw["EC"].notna()]
    for article, value in zip(odd["ID"], odd["EC"], strict=True):
        row = narrative[narrative["record_id"] == f"ID {article}"].iloc[0]
        assert row["EC"] == value.lower().startswith("true")
        assert any(f"ID {article}: label EC=" in m for m in messages)
    for label in NARRATIVE_LABELS:
        assert narrative[label].dtype == bool


def test_duplicate_articles_share_a_group(narrative_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        narrative = read_narrative_frames(narrative_path)
    normalised = narrative["text"].map(lambda t: re.sub(r"\s+", " ", t.lower()))
    for _, same in narrative.groupby(normalised):
        assert same["group"].nunique() == 1
    # Groups merge copies only: most articles stand alone.
    assert narrative["group"].nunique() > 0.95 * len(narrative)


def test_narrative_labels_map_economic_only(narrative_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        narrative = read_narrative_frames(narrative_path)
    labels = narrative_frame_labels(narrative)
    assert list(labels.columns) == ["geo_economic"]
    assert labels["geo_economic"].tolist() == narrative["EC"].astype(int).tolist()
    either = narrative_frame_labels(narrative, {"EC": "x", "CO": "x"})
    assert either["x"].tolist() == (narrative["EC"] | narrative["CO"]).astype(int).tolist()


def test_narrative_bad_label_is_an_error(narrative_path, tmp_path):
    lines = narrative_path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    fields = lines[1].split("\t")
    fields[header.index("HI")] = "maybe"
    bad = tmp_path / "narrative.tsv"
    bad.write_text("\n".join([lines[0], "\t".join(fields)]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"ID \d+: label HI='maybe' is not True/False"):
        read_narrative_frames(bad)

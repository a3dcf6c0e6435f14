"""Coding sheets: stratified sampling, the sheet round trip (CSV and XLSX), every bad input."""

from __future__ import annotations

import re
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from framelens.datasets.gold import GOLD_COLUMNS, read_gold, write_gold
from framelens.errors import InputError, InputWarning
from framelens.validation.coding_sheets import (
    FRAME_PREFIX,
    UNIT_COLUMNS,
    allocate,
    coding_sheet,
    instructions,
    merge_sheets,
    read_codings,
    read_sheet,
    sample_for_coding,
    write_sheet,
)
from framelens.validation.reliability import agreement

# Hand-written mention patterns: enough to exercise sampling on the real seed sentences
# without depending on the mention finder.
PATTERNS = {
    "russia": r"\b(?:Russia\w*|Moscow|Kremlin|Putin)\b",
    "us": r"\b(?:United States|Washington|America\w*)\b",
    "india": r"\b(?:India\w*|New Delhi)\b",
    "china": r"\b(?:China|Chinese|Beijing)\b",
}
PIPELINE = "Turkmenistan-Afghanistan-Pakistan-India"


@pytest.fixture(scope="module")
def codebook():
    from framelens.codebook import load_codebook

    return load_codebook()


@pytest.fixture(scope="module")
def mentions(seed_tables):
    rows = []
    for sentence in seed_tables.sentences.itertuples():
        for target, pattern in PATTERNS.items():
            for match in re.finditer(pattern, sentence.text):
                in_name = PIPELINE in sentence.text and match.group(0) == "India"
                rows.append(
                    (
                        sentence.article_id,
                        sentence.sent_id,
                        target,
                        match.group(0),
                        sentence.start + match.start(),
                        sentence.start + match.end(),
                        in_name,
                    )
                )
    return pd.DataFrame(
        rows, columns=["article_id", "sent_id", "target", "alias", "start", "end", "in_name"]
    )


@pytest.fixture(scope="module")
def units(seed_tables, mentions):
    return sample_for_coding(
        seed_tables.sentences,
        mentions,
        seed_tables.articles,
        n=24,
        stratify=("outlet_type", "target"),
        seed=3,
    )


@pytest.fixture()
def blank(tmp_path, units, codebook):
    """The blank sheet written by sample, as (csv, xlsx) paths."""
    csv, xlsx, _ = write_sheet(
        coding_sheet(units, codebook), instructions(codebook), tmp_path / "sheet.xlsx"
    )
    return csv, xlsx


def fill(sheet: pd.DataFrame, seed: int, coder: str = "") -> pd.DataFrame:
    """A coder's answers: random labels from the scheme, one row left uncoded."""
    rng = np.random.default_rng(seed)
    coded = sheet.copy()
    coded["stance"] = rng.choice(["-1", "0", "1", "na"], size=len(coded))
    for column in [c for c in coded if c.startswith(FRAME_PREFIX)]:
        # Same value on every row of a sentence: frames belong to the sentence.
        per_sentence = {
            key: str(rng.integers(0, 2))
            for key in zip(coded["article_id"], coded["sent_id"], strict=True)
        }
        coded[column] = [
            per_sentence[k] for k in zip(coded["article_id"], coded["sent_id"], strict=True)
        ]
    coded.loc[0, ["stance"] + [c for c in coded if c.startswith(FRAME_PREFIX)]] = ""
    coded["coder"] = coder
    return coded


def coded_csv(blank, tmp_path, name="ann", seed=0, edit=None):
    sheet = read_sheet(blank[0])
    coded = fill(sheet, seed, coder=name)
    if edit is not None:
        coded = edit(coded)
    path = tmp_path / f"{name}.csv"
    coded.to_csv(path, index=False)
    return path


# --- sampling --------------------------------------------------------------------------------


def test_allocation_is_proportional_with_one_per_stratum():
    rng = np.random.default_rng(0)
    sizes = np.array([60, 30, 9, 1])
    counts = allocate(sizes, 20, rng)
    assert counts.sum() == 20 and (counts >= 1).all() and (counts <= sizes).all()
    share = 20 * sizes / sizes.sum()
    assert (np.abs(counts - share)[share >= 1] <= 1).all()
    fewer = allocate(sizes, 2, rng)  # fewer units than strata: two strata get one each
    assert fewer.sum() == 2 and set(fewer) <= {0, 1}
    assert allocate(sizes, 500, rng).tolist() == sizes.tolist()


def test_sample_covers_every_stratum_and_is_seeded(seed_tables, mentions, units):
    assert len(units) == 24
    assert list(units.columns) == UNIT_COLUMNS + ["outlet_type"]
    usable = mentions[~mentions["in_name"]].merge(
        seed_tables.articles[["article_id", "outlet_type"]]
    )
    strata = set(zip(usable["outlet_type"], usable["target"], strict=True))
    assert len(strata) < 24
    assert set(zip(units["outlet_type"], units["target"], strict=True)) == strata
    again = sample_for_coding(
        seed_tables.sentences,
        mentions,
        seed_tables.articles,
        n=24,
        stratify=("outlet_type", "target"),
        seed=3,
    )
    pd.testing.assert_frame_equal(units, again)
    other = sample_for_coding(
        seed_tables.sentences,
        mentions,
        seed_tables.articles,
        n=24,
        stratify=("outlet_type", "target"),
        seed=4,
    )
    assert not units[["article_id", "sent_id", "target"]].equals(
        other[["article_id", "sent_id", "target"]]
    )
    assert units.equals(units.sort_values(["article_id", "sent_id", "target"]))


def test_sample_shows_the_sentence_with_its_neighbours(seed_tables, units):
    sentences = seed_tables.sentences.set_index(["article_id", "sent_id"])["text"]
    for row in units.itertuples():
        assert row.sentence == sentences[(row.article_id, row.sent_id)]
        assert re.search(PATTERNS[row.target], row.sentence)
        if row.context_before:
            assert sentences[(row.article_id, row.sent_id - 1)] == row.context_before
        if row.context_after:
            assert sentences[(row.article_id, row.sent_id + 1)] == row.context_after


def test_mentions_inside_names_are_not_sampled(seed_tables, mentions):
    everything = sample_for_coding(seed_tables.sentences, mentions, seed_tables.articles, n=10_000)
    in_name_only = mentions.groupby(["article_id", "sent_id", "target"])["in_name"].all()
    skipped = set(in_name_only[in_name_only].index)
    assert skipped  # the seed corpus does name the TAPI pipeline
    sampled = set(
        zip(everything["article_id"], everything["sent_id"], everything["target"], strict=True)
    )
    assert not skipped & sampled
    assert len(sampled) == len(in_name_only) - len(skipped)


def test_bad_sampling_requests(seed_tables, mentions):
    with pytest.raises(InputError, match="at least 1"):
        sample_for_coding(seed_tables.sentences, mentions, seed_tables.articles, n=0)
    with pytest.raises(InputError, match="cannot stratify by newspaper.*outlet_type"):
        sample_for_coding(
            seed_tables.sentences, mentions, seed_tables.articles, n=5, stratify=("newspaper",)
        )
    stray = mentions.head(1).assign(sent_id=9999)
    with pytest.raises(InputError, match="sentence 9999.*not in the sentences table"):
        sample_for_coding(seed_tables.sentences, stray, seed_tables.articles, n=5)


# --- sheets ----------------------------------------------------------------------------------


def test_instructions_come_from_the_codebook(codebook, blank):
    table = instructions(codebook)
    frames = table[table["section"] == "frame"].set_index("name")
    for name, frame in codebook.frames.items():
        assert " ".join(frame.definition.split()) in frames.loc[FRAME_PREFIX + name, "text"]
    targets = table[table["section"] == "target"].set_index("name")
    assert targets["label"].to_dict() == {n: t.label for n, t in codebook.targets.items()}
    assert codebook.hash in table["text"].iloc[-1]
    book = openpyxl.load_workbook(blank[1])
    assert book.sheetnames == ["coding", "instructions"]
    rows = list(book["instructions"].iter_rows(values_only=True))
    assert len(rows) == len(table) + 1
    lists = {str(v.sqref)[0]: v.formula1 for v in book["coding"].data_validations.dataValidation}
    header = [c.value for c in book["coding"][1]]
    stance_letter = openpyxl.utils.get_column_letter(header.index("stance") + 1)
    assert lists[stance_letter] == '"-1,0,1,na"'


def test_round_trip_csv_and_xlsx(tmp_path, blank, codebook):
    # Coder 1 fills the CSV; coder 2 the workbook, in a spreadsheet program (numbers as cells).
    ann = coded_csv(blank, tmp_path, "ann", seed=0)
    book = openpyxl.load_workbook(blank[1])
    sheet = book["coding"]
    header = [c.value for c in sheet[1]]
    bob_answers = fill(read_sheet(blank[0]), seed=1)
    for r, answers in enumerate(bob_answers.itertuples(index=False), start=2):
        for column in ["stance"] + [c for c in header if c.startswith(FRAME_PREFIX)]:
            value = getattr(answers, column)
            sheet.cell(r, header.index(column) + 1).value = (
                int(value) if value not in ("", "na") else (value or None)
            )
    bob = tmp_path / "bob.xlsx"
    book.save(bob)

    with pytest.warns(InputWarning, match="1 of 24 rows have no label"):
        gold = merge_sheets([ann, bob], sample=blank[0], codebook=codebook)
    assert list(gold.columns) == GOLD_COLUMNS
    assert sorted(gold["coder"].unique()) == ["ann", "bob"]  # bob: from the file name
    for coder, answers in (("ann", fill(read_sheet(blank[0]), 0)), ("bob", bob_answers)):
        stance = gold[(gold["coder"] == coder) & (gold["task"] == "stance")]
        expected = answers[answers["stance"] != ""]
        assert len(stance) == len(expected) == 23
        got = stance.set_index(["article_id", "sent_id", "name"])["label"]
        for row in expected.itertuples():
            assert got[(row.article_id, int(row.sent_id), row.target)] == row.stance
        # Frames: one judgement per coded sentence, not per row.
        frames = gold[(gold["coder"] == coder) & (gold["task"] == "frame")]
        coded = expected.drop_duplicates(["article_id", "sent_id"])
        assert len(frames) == len(coded) * len(codebook.frames)
    assert (gold.loc[gold["task"] == "stance", "label"] == "na").any()

    path = write_gold(gold, tmp_path / "gold.csv")
    pd.testing.assert_frame_equal(
        read_gold(path),
        gold.sort_values(["article_id", "sent_id", "coder", "task", "name"]).reset_index(drop=True),
    )
    table = agreement(read_codings([path]), n_boot=50)
    assert set(table["name"]) == set(gold["name"])
    assert (table["n_coders"] == 2).all()


# --- bad coded sheets ------------------------------------------------------------------------


def edit_cell(row: int, column: str, value):
    def edit(coded):
        coded.loc[row, column] = value
        return coded

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (edit_cell(3, "stance", "2"), r"ann\.csv, row 5: stance label '2' is outside"),
        (edit_cell(4, "stance", "positive"), r"ann\.csv, row 6: stance label 'positive'"),
        (edit_cell(2, FRAME_PREFIX + "security", "maybe"), r"ann\.csv, row 4: frame label 'maybe'"),
        (edit_cell(5, "sent_id", "9999"), r"ann\.csv, row 7: unknown unit.*sentence '9999'"),
        (edit_cell(6, "target", "france"), r"ann\.csv, row 8: unknown unit.*'france'"),
        (edit_cell(1, "article_id", ""), r"ann\.csv, row 3: empty article_id"),
        (
            lambda c: c.rename(columns={"stance": "Stance"}),
            r"ann\.csv, row 1 \(header\): the sheet's columns have changed: missing stance; "
            r"unexpected Stance",
        ),
        (lambda c: c.drop(columns=FRAME_PREFIX + "security"), r"ann\.csv.*missing frame_security"),
        (
            lambda c: pd.concat([c, c.iloc[[7]]], ignore_index=True),
            r"ann\.csv, row 26: duplicate row: coder 'ann'.*first in .*ann\.csv, row 9",
        ),
    ],
    ids=[
        "stance-2",
        "stance-word",
        "frame-maybe",
        "unknown-sentence",
        "unknown-target",
        "empty-id",
        "renamed-column",
        "deleted-column",
        "duplicate-row",
    ],
)
def test_bad_coded_sheets_name_the_file_and_row(tmp_path, blank, codebook, edit, message):
    path = coded_csv(blank, tmp_path, edit=edit)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        with pytest.raises(InputError, match=message):
            merge_sheets([path], sample=blank[0], codebook=codebook)


def test_conflicting_frames_of_one_sentence_are_an_error(tmp_path, blank, codebook):
    sheet = read_sheet(blank[0])
    repeated = sheet.duplicated(["article_id", "sent_id"], keep=False)
    first, second = np.flatnonzero(repeated)[:2]
    assert sheet.loc[first, "sent_id"] == sheet.loc[second, "sent_id"]
    column = FRAME_PREFIX + next(iter(codebook.frames))

    def edit(coded):
        coded.loc[first, column], coded.loc[second, column] = "1", "0"
        return coded

    path = coded_csv(blank, tmp_path, edit=edit)
    with (
        pytest.warns(InputWarning),
        pytest.raises(InputError, match=rf"row {second + 2}: .*row {first + 2} but 0 here"),
    ):
        merge_sheets([path], sample=blank[0], codebook=codebook)


def test_same_coder_in_two_files_is_a_duplicate(tmp_path, blank):
    one = coded_csv(blank, tmp_path, "ann", seed=0)
    two = tmp_path / "ann_again.csv"
    pd.read_csv(one, dtype=str, keep_default_na=False).to_csv(two, index=False)
    with pytest.raises(InputError, match=r"ann_again\.csv, row 2.*twice"):
        merge_sheets([one, two], sample=blank[0])


def test_unreadable_sheets(tmp_path, blank):
    text = tmp_path / "ann.txt"
    text.write_text("stance\n1\n")
    with pytest.raises(InputError, match=r"ann\.txt: unsupported sheet format"):
        merge_sheets([text])
    with pytest.raises(InputError, match=r"nope\.csv: coding sheet not found"):
        merge_sheets([tmp_path / "nope.csv"])
    empty = tmp_path / "empty.csv"
    read_sheet(blank[0]).head(0).to_csv(empty, index=False)
    with pytest.raises(InputError, match=r"empty\.csv: the coding sheet has no rows"):
        merge_sheets([empty])


def test_without_the_blank_sheet_the_codebook_still_checks_targets(tmp_path, blank, codebook):
    path = coded_csv(blank, tmp_path, edit=edit_cell(2, "target", "france"))
    with pytest.raises(InputError, match=r"ann\.csv, row 4: unknown target 'france'"):
        merge_sheets([path], codebook=codebook)


def test_agreement_with_one_coder_is_a_clear_error(tmp_path, blank):
    path = coded_csv(blank, tmp_path, "ann")
    with pytest.warns(InputWarning):
        gold = read_codings([path])
    with pytest.raises(InputError, match=r"ann\.csv: agreement needs .* two coders"):
        agreement(gold, source=str(path))


# --- command line ----------------------------------------------------------------------------


def test_cli_merge_and_agreement(tmp_path, blank):
    from framelens.cli import _register_commands, app

    _register_commands()
    runner = CliRunner()
    ann = coded_csv(blank, tmp_path, "ann", seed=0)
    bob = coded_csv(blank, tmp_path, "bob", seed=1)
    gold = tmp_path / "out" / "gold.csv"
    result = runner.invoke(
        app, ["annotate", "merge", str(ann), str(bob), "--sample", str(blank[0]), "-o", str(gold)]
    )
    assert result.exit_code == 0, result.output
    assert len(read_gold(gold)) > 0
    result = runner.invoke(
        app,
        [
            "annotate",
            "agreement",
            str(gold),
            "--n-boot",
            "20",
            "-o",
            str(tmp_path / "out" / "agreement.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "alpha_nominal" in result.output and "kappa" in result.output
    assert (tmp_path / "out" / "agreement.csv").is_file()
    result = runner.invoke(app, ["annotate", "agreement", str(ann), "--n-boot", "20"])
    assert result.exit_code == 2
    assert "at least two coders" in result.output


def test_cli_sample_writes_both_formats(tmp_path, seed_corpus_dir):
    pytest.importorskip("framelens.text.mentions")
    from framelens.cli import _register_commands, app

    _register_commands()
    result = CliRunner().invoke(
        app,
        [
            "annotate",
            "sample",
            str(seed_corpus_dir),
            "-n",
            "12",
            "--seed",
            "1",
            "-o",
            str(tmp_path / "sheet"),
        ],
    )
    assert result.exit_code == 0, result.output
    csv = pd.read_csv(tmp_path / "sheet.csv", dtype=str, keep_default_na=False)
    xlsx = read_sheet(tmp_path / "sheet.xlsx")
    assert len(csv) == 12
    pd.testing.assert_frame_equal(csv, xlsx)
    assert (tmp_path / "sheet_instructions.csv").is_file()


def test_empty_rows_are_skipped_and_rows_keep_their_numbers(tmp_path, blank):
    def edit(coded):
        empty = pd.DataFrame([[""] * coded.shape[1]], columns=coded.columns)
        coded = pd.concat([coded.iloc[:2], empty, coded.iloc[2:]], ignore_index=True)
        coded.loc[5, "stance"] = "7"  # the 6th data row: row 7 of the file
        return coded

    path = coded_csv(blank, tmp_path, edit=edit)
    with pytest.raises(InputError, match=r"ann\.csv, row 7: stance label '7'"):
        merge_sheets([path], sample=blank[0])
    fine = coded_csv(blank, tmp_path, "bob", edit=lambda c: edit(c).drop(index=5))
    with pytest.warns(InputWarning, match="1 of 23 rows have no label"):
        gold = merge_sheets([fine], sample=blank[0])
    assert gold["article_id"].ne("").all()


def test_a_judgement_in_two_files_names_both(tmp_path, blank):
    ann = coded_csv(blank, tmp_path, "ann", seed=0)
    with pytest.warns(InputWarning):
        gold = merge_sheets([ann], sample=blank[0])
    write_gold(gold, tmp_path / "gold_ann.csv")
    write_gold(gold.iloc[::-1], tmp_path / "gold_again.csv")
    with pytest.raises(
        InputError,
        match=r"gold_again\.csv, row 2: coder 'ann'.*again \(also in "
        r".*gold_ann\.csv\)",
    ):
        read_codings([tmp_path / "gold_ann.csv", tmp_path / "gold_again.csv"])
    with pytest.warns(InputWarning), pytest.raises(InputError, match=r"ann\.csv: coder 'ann'"):
        read_codings([tmp_path / "gold_ann.csv", ann])

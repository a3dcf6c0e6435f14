"""Span stance: reading NewsMTSC and generic span files, scoring them, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import f1_score
from typer.testing import CliRunner

from framelens.cli import _register_commands, app
from framelens.datasets.newsmtsc import read_newsmtsc
from framelens.errors import InputError, InputWarning
from framelens.scorers import get_scorer
from framelens.scorers.spans import read_span_records, score_span_records, write_table

_register_commands()
runner = CliRunner()

# Real sentences from the seed articles (001 and 000), with the marked country.
SEED_SPANS = [
    (
        "001-21",
        "While Moscow funds infrastructure, Washington’s role in Pakistan has largely stalled.",
        "Washington",
    ),
    (
        "001-21",
        "While Moscow funds infrastructure, Washington’s role in Pakistan has largely stalled.",
        "Moscow",
    ),
    (
        "000-12",
        "Moscow also supported Pakistan’s quest to join the Shanghai Cooperation Organization (SCO).",
        "Pakistan",
    ),
]


def generic_rows():
    rows = []
    for record_id, text, mention in SEED_SPANS:
        start = text.index(mention)
        rows.append({"id": record_id, "text": text, "start": start, "end": start + len(mention)})
    return rows


@pytest.fixture(scope="module")
def mt_dev(shared_data_dir):
    return shared_data_dir / "newsmtsc" / "mt_dev.jsonl"


def test_newsmtsc_records_become_one_row_per_target(mt_dev):
    records = read_span_records(mt_dev)
    lines = [json.loads(line) for line in mt_dev.read_text(encoding="utf-8").splitlines()]
    assert len(records) == sum(len(r["targets"]) for r in lines)
    first = lines[0]
    rows = records[records["id"] == first["primary_gid"]]
    assert rows["target_index"].tolist() == list(range(len(first["targets"])))
    for row, target in zip(rows.itertuples(), first["targets"], strict=True):
        assert row.text[row.start : row.end] == target["mention"]
    # further_mentions of the same person are scored with the marked mention
    with_more = records[records["spans"].map(len) > 1]
    assert len(with_more) > 0
    assert read_newsmtsc(mt_dev)["gold"].tolist() == records["gold"].tolist()
    assert set(records["gold"]) == {"against", "neutral", "favor"}


def test_score_span_records_keeps_ids_positions_and_gold(mt_dev):
    records = read_span_records(mt_dev)
    scored = score_span_records(records, get_scorer("stance", "lexicon"))
    assert len(scored) == len(records)
    assert scored["id"].tolist() == records["id"].tolist()
    assert scored["target_index"].tolist() == records["target_index"].tolist()
    assert scored["gold"].tolist() == records["gold"].tolist()
    assert scored["score"].between(-1, 1).all() and scored["confidence"].between(0, 1).all()
    assert set(scored["label"]) <= {"against", "neutral", "favor"}
    # better than always answering the most frequent class
    majority = records["gold"].value_counts(normalize=True).max()
    assert (scored["label"] == scored["gold"]).mean() > majority


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_generic_span_files(tmp_path, suffix):
    frame = pd.DataFrame(generic_rows())
    path = tmp_path / f"spans{suffix}"
    if suffix == ".jsonl":
        path.write_text("\n".join(json.dumps(r) for r in generic_rows()) + "\n", encoding="utf-8")
    else:
        write_table(frame, path)
    records = read_span_records(path)
    assert records["id"].tolist() == ["001-21", "001-21", "000-12"]
    assert records["target_index"].tolist() == [0, 1, 0]
    assert records["mention"].tolist() == ["Washington", "Moscow", "Pakistan"]
    scored = score_span_records(records, get_scorer("stance", "lexicon"))
    washington, moscow, pakistan = scored["score"]
    assert washington < moscow
    assert pakistan > 0
    assert "gold" not in scored


def test_malformed_jsonl_line_is_named(tmp_path):
    path = tmp_path / "broken.jsonl"
    good = json.dumps(generic_rows()[0])
    path.write_text(good + "\n" + good[:-5] + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.jsonl, line 2: malformed JSON"):
        read_span_records(path)


def test_missing_field_and_offsets_outside_the_text(tmp_path, mt_dev):
    rows = generic_rows()
    del rows[1]["end"]
    path = tmp_path / "missing.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with pytest.raises(InputError, match=r"missing.jsonl, line 2: missing field\(s\) end"):
        read_span_records(path)

    rows = generic_rows()
    rows[2]["end"] = 500
    path = tmp_path / "outside.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    with pytest.raises(
        InputError, match=r"outside.csv, line 4: target offsets 22..500 fall outside"
    ):
        read_span_records(path)

    record = json.loads(mt_dev.read_text(encoding="utf-8").splitlines()[0])
    record["targets"][0]["to"] = len(record["sentence_normalized"]) + 3
    path = tmp_path / "newsmtsc.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"newsmtsc.jsonl, line 1, target 0: target offsets"):
        read_span_records(path)


def test_unknown_file_types(tmp_path):
    path = tmp_path / "spans.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="unknown span file type"):
        read_span_records(path)
    with pytest.raises(InputError, match="name the output file .csv or .parquet"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "out.xlsx")


def test_cli_stance_spans_end_to_end(tmp_path, mt_dev):
    out = tmp_path / "scored.parquet"
    result = runner.invoke(
        app, ["stance-spans", str(mt_dev), "--scorer", "lexicon", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    scored = pd.read_parquet(out)
    assert {"id", "target_index", "score", "label", "confidence", "gold"} <= set(scored.columns)
    assert len(scored) == len(read_span_records(mt_dev))
    # NewsMTSC polarity is the gold label: accuracy and macro-F1 over the three labels.
    expected_f1 = f1_score(
        scored["gold"], scored["label"], labels=["against", "neutral", "favor"], average="macro"
    )
    expected_accuracy = (scored["gold"] == scored["label"]).mean()
    assert (
        f"against the gold labels of {len(scored)} targets: accuracy {expected_accuracy:.3f}, "
        f"macro-F1 {expected_f1:.3f}"
    ) in " ".join(result.output.split())

    csv_out = tmp_path / "generic.csv"
    spans = tmp_path / "spans.csv"
    pd.DataFrame(generic_rows()).to_csv(spans, index=False)
    result = runner.invoke(app, ["stance-spans", str(spans), "-o", str(csv_out)])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(csv_out)["id"].tolist() == ["001-21", "001-21", "000-12"]


def test_a_gold_column_of_a_generic_csv_is_read_and_measured(tmp_path):
    # The coders' labels of the seed spans, under the column name "gold" (a spreadsheet's);
    # the last span has none and is scored but not measured.
    spans = tmp_path / "coded.csv"
    gold = ["against", "favor", "favor"]
    rows = [{**row, "gold": label} for row, label in zip(generic_rows(), gold, strict=True)]
    rows.append({**rows[0], "id": "002-3", "gold": ""})
    pd.DataFrame(rows).to_csv(spans, index=False)
    records = read_span_records(spans)
    assert records["gold"].head(3).tolist() == gold and pd.isna(records["gold"].iloc[3])
    out = tmp_path / "scored.csv"
    result = runner.invoke(app, ["stance-spans", str(spans), "-o", str(out)])
    assert result.exit_code == 0, result.output
    scored = pd.read_csv(out, keep_default_na=False)
    labelled = scored[scored["gold"] != ""]
    assert len(labelled) == 3
    expected = f1_score(
        labelled["gold"], labelled["label"], labels=["against", "neutral", "favor"], average="macro"
    )
    accuracy = (labelled["gold"] == labelled["label"]).mean()
    assert (
        f"against the gold labels of 3 targets: accuracy {accuracy:.3f}, macro-F1 {expected:.3f}"
    ) in " ".join(result.output.split())
    # The same labels under "label" (and, Title-cased, still read) give the same measurement.
    relabelled = pd.DataFrame(rows).rename(columns={"gold": "label"})
    relabelled["label"] = relabelled["label"].str.title()
    relabelled.to_csv(spans, index=False)
    assert read_span_records(spans)["gold"].head(3).tolist() == gold
    again = runner.invoke(app, ["stance-spans", str(spans), "-o", str(out)])
    assert f"accuracy {accuracy:.3f}, macro-F1 {expected:.3f}" in " ".join(again.output.split())
    # Two names of the same label must agree.
    rows[0]["label"] = "favor"
    pd.DataFrame(rows).to_csv(spans, index=False)
    with pytest.raises(
        InputError,
        match=r"coded.csv, line 2: the gold label columns disagree \(label .favor., gold .against.\)",
    ):
        read_span_records(spans)


def test_the_shared_case_file_is_measured_against_its_expected_column(tmp_path):
    """Review 15: tests/cases/spans.csv names its gold labels `expected`; they were ignored."""
    case = Path(__file__).parent / "cases" / "spans.csv"
    coded = pd.read_csv(case, keep_default_na=False)
    # One answer allows two labels (b8: "favor_or_neutral"): scored, not measured, and said.
    single = coded["expected"] != "favor_or_neutral"
    with pytest.warns(InputWarning, match=r"line 8: gold label 'favor_or_neutral' allows favor"):
        records = read_span_records(case)
    assert records["gold"][single.to_numpy()].tolist() == coded.loc[single, "expected"].tolist()
    assert records["gold"][~single.to_numpy()].isna().all()
    out = tmp_path / "scored.csv"
    result = runner.invoke(app, ["stance-spans", str(case), "-o", str(out)])
    assert result.exit_code == 0, result.output
    scored = pd.read_csv(out, keep_default_na=False)
    measured = scored[scored["gold"] != ""]
    assert len(measured) == single.sum() == len(coded) - 1
    accuracy = (measured["gold"] == measured["label"]).mean()
    assert f"against the gold labels of {len(measured)} targets: accuracy {accuracy:.3f}" in (
        " ".join(result.output.split())
    )


def test_cli_bad_input_and_unknown_scorer(tmp_path, mt_dev):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "Russia", "start": 0}\n', encoding="utf-8")
    result = runner.invoke(app, ["stance-spans", str(bad), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert "bad.jsonl, line 1: missing field(s) end" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(
        app, ["stance-spans", str(mt_dev), "-s", "nope", "-o", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 2
    assert "unknown stance scorer 'nope'" in result.output and "lexicon" in result.output
    assert not (tmp_path / "o.csv").exists()


# ------------------------------------------------------------ span CSVs as spreadsheets save them
def _csv_text(rows, delimiter: str) -> str:
    lines = [delimiter.join(["id", "text", "start", "end"])]
    for row in rows:
        text = row["text"]
        if delimiter in text or '"' in text:
            text = '"' + text.replace('"', '""') + '"'
        lines.append(delimiter.join([row["id"], text, str(row["start"]), str(row["end"])]))
    return "\r\n".join(lines) + "\r\n"


def test_a_span_csv_saved_by_a_european_excel_reads_like_the_plain_one(tmp_path):
    # ';' as the list separator and Windows-1252 bytes (the seed sentences' curly apostrophes).
    # Before: "missing field(s) id, text, start, end", without naming the delimiter.
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    plain.write_text(_csv_text(generic_rows(), ","), encoding="utf-8")
    excel.write_bytes(_csv_text(generic_rows(), ";").encode("cp1252"))
    with pytest.warns(InputWarning, match=r"excel.csv: decoded as cp1252"):
        from_excel = read_span_records(excel)
    pd.testing.assert_frame_equal(from_excel, read_span_records(plain))
    assert from_excel["mention"].tolist() == ["Washington", "Moscow", "Pakistan"]
    result = runner.invoke(app, ["stance-spans", str(excel), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(tmp_path / "out.csv")) == 3


def test_a_span_csv_without_a_needed_column_names_the_delimiter_and_columns(tmp_path):
    path = tmp_path / "spans.csv"
    path.write_text("id;sentence;start;end\ns1;Russia is a bully.;0;6\n")
    with pytest.raises(
        InputError,
        match=r"missing field\(s\) text .*delimiter ';' \(semicolon\); columns seen: id, "
        r"sentence, start, end",
    ):
        read_span_records(path)


def test_two_texts_under_one_id_are_an_error_naming_the_rows(tmp_path):
    # Before: silently two targets of one record (target_index 0 and 1).
    rows = generic_rows()
    rows[2]["id"] = rows[0]["id"]  # a different sentence under 001-21
    path = tmp_path / "spans.csv"
    path.write_text(_csv_text(rows, ","), encoding="utf-8")
    with pytest.raises(
        InputError,
        match=r"spans.csv, line 4: id '001-21' has two different texts \(line 2 and line 4\)",
    ):
        read_span_records(path)
    jsonl = tmp_path / "spans.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(InputError, match=r"line 3: id '001-21' has two different texts"):
        read_span_records(jsonl)


def test_macro_f1_averages_the_labels_that_occur_not_an_absent_one():
    from framelens.validation.metrics import span_metrics

    scored = pd.DataFrame(
        {"label": ["against", "favor", "favor"], "gold": ["against", "favor", "favor"]}
    )
    measured = span_metrics(scored)
    assert measured["macro_labels"] == ["against", "favor"]
    assert measured["macro_f1"] == 1.0  # neutral occurs in neither: it is not a zero
    # A neutral prediction the gold lacks does count (as a wrong label).
    scored.loc[2, "label"] = "neutral"
    measured = span_metrics(scored)
    assert measured["macro_labels"] == ["against", "neutral", "favor"]
    assert measured["macro_f1"] < 1.0

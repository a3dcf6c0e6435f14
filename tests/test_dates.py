"""Dates as the publisher wrote them: one day/month order per column, no time-zone shifts.

The case in tests/cases/dates (from /work/shared/cases) mixes 02/11/2023, 13/11/2023 and a
+05:00 timestamp: before, they landed in three quarters (2023Q1, Q4, Q3).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from framelens.analysis.trends import over_time, parse_dates
from framelens.errors import InputError, InputWarning
from framelens.text.corpus import read_corpus
from framelens.text.dates import DateOrder, DateSettings, read_date, read_date_column
from framelens.text.stream import iter_article_batches

CASES = Path(__file__).parent / "cases"
BODY = (
    "Russia and Pakistan held talks on energy cooperation and trade in Islamabad this week, "
    "officials said on Friday."
)
META = "article_id,file,outlet,outlet_type,date,url,title\n"


def _corpus(tmp_path, dates: list[str], toml: str | None = None) -> Path:
    """A corpus folder with one article per date (ids a0, a1, ...)."""
    root = tmp_path / "corpus"
    root.mkdir(parents=True)
    lines = [META.strip()]
    for i, value in enumerate(dates):
        (root / f"a{i}.txt").write_text(BODY)
        lines.append(f'a{i},a{i}.txt,Dawn,news,"{value}",,')
    (root / "metadata.csv").write_text("\n".join(lines) + "\n")
    if toml is not None:
        (root / "corpus.toml").write_text(toml)
    return root


def _quiet_read(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        return read_corpus(path, **kwargs)


# ------------------------------------------------------------------------------ the case
def test_the_case_lands_in_one_quarter_with_the_publishers_dates():
    with pytest.warns(InputWarning, match=r"line 2 '02/11/2023'") as caught:
        result = read_corpus(CASES / "dates")
    articles = result.articles.set_index("article_id")
    assert articles["date"].to_dict() == {
        "A1": "2023-11-02",
        "A2": "2023-11-13",
        "A3": "2023-10-01",  # 03:00 at +05:00 is 30 September in UTC: never applied
    }
    assert articles.loc["A3", "date_raw"] == "2023-10-01T03:00:00+05:00"
    # The warning says which value settled the order, and lists the ambiguous one.
    message = str(caught[0].message)
    assert "read day-first" in message and "line 3 '13/11/2023'" in message
    assert result.problems_table()["record"].tolist() == ["date column"]
    quarters = parse_dates(articles["date"]).dt.to_period("Q").astype(str).tolist()
    assert quarters == ["2023Q4", "2023Q4", "2023Q4"]


def test_the_case_is_one_period_in_over_time():
    articles = _quiet_read(CASES / "dates").articles
    scores = pd.DataFrame(
        {
            "article_id": ["A1", "A2", "A3"],
            "kind": "stance",
            "name": "russia",
            "scorer": "lexicon",
            "value": [0.2, 0.4, 0.6],
            "n_evidence": 1,
            "evidence": "",
        }
    )
    table = over_time(scores, articles, freq="quarter", n_boot=50)
    assert table["period_label"].tolist() == ["2023Q4"]
    assert table["n_articles"].tolist() == [3]


# ------------------------------------------------------------------------------ forms
@pytest.mark.parametrize(
    "value, expected",
    [
        ("2023-11-02", "2023-11-02"),
        ("2021-04", "2021-04"),  # the precision given is kept
        ("2021", "2021"),
        ("20231102", "2023-11-02"),
        ("2023-10-01T23:30:00Z", "2023-10-01"),
        ("2023-10-01T00:30:00-07:00", "2023-10-01"),
        ("2023-10-01 03:00:00.123+0500", "2023-10-01"),
        ("2023/11/02", "2023-11-02"),
        ("5 March 2021", "2021-03-05"),
        ("March 5, 2021", "2021-03-05"),
        ("Mar. 5 2021", "2021-03-05"),
        ("5th of March, 2021", "2021-03-05"),
        ("05-Mar-2021", "2021-03-05"),
        ("6-Nov-23", "2023-11-06"),  # a spreadsheet's d-mmm-yy
        ("Tue, 05 Mar 2021 10:00:00 GMT", "2021-03-05"),  # RSS pubDate
        ("Sept. 6, 2023", "2023-09-06"),
        ("November 6th, 2023 at 2:30 pm", "2023-11-06"),
        ("6 November 2023, 14:30 PKT", "2023-11-06"),
        ("March 2021", "2021-03"),
    ],
)
def test_forms_whose_order_is_settled_by_the_form(value, expected):
    for order in (DateOrder(True), DateOrder(False)):
        assert read_date(value, order) == (expected, None)


@pytest.mark.parametrize(
    "value, day_first, month_first",
    [
        ("02/11/2023", "2023-11-02", "2023-02-11"),
        ("2.11.2023", "2023-11-02", "2023-02-11"),
        ("02-11-23", "2023-11-02", "2023-02-11"),
        ("02/11/2023 14:30", "2023-11-02", "2023-02-11"),
    ],
)
def test_numeric_dates_follow_the_columns_order(value, day_first, month_first):
    assert read_date(value, DateOrder(True))[0] == day_first
    assert read_date(value, DateOrder(False))[0] == month_first


@pytest.mark.parametrize("value", ["yesterday", "31/02/2023", "2023-02-30", "Q3 2021"])
def test_unreadable_values_give_a_reason(value):
    iso, problem = read_date(value, DateOrder(True))
    assert iso == "" and value in problem


# ------------------------------------------------------------------------------ the order
def test_a_value_that_proves_month_first_fixes_the_column():
    dates, order, notes, problems = read_date_column(
        ["11/13/2023", "02/11/2023", "2023-12-01"], records=["line 2", "line 3", "line 4"]
    )
    assert order.basis == "inferred" and not order.dayfirst
    assert dates == ["2023-11-13", "2023-02-11", "2023-12-01"]
    assert len(notes) == 1 and "line 3 '02/11/2023'" in notes[0] and problems == []


def test_when_no_value_settles_the_order_the_default_is_day_first_with_a_warning(tmp_path):
    root = _corpus(tmp_path, ["02/11/2023", "03/11/2023", "03/03/2023"])
    with pytest.warns(InputWarning, match=r"not settled.*read day-first, the default") as caught:
        articles = read_corpus(root).articles.set_index("article_id")
    assert articles["date"].tolist() == ["2023-11-02", "2023-11-03", "2023-03-03"]
    message = str(caught[0].message)
    # Both ambiguous values are listed; 03/03 reads the same either way and is not.
    assert "line 2 '02/11/2023'" in message and "line 3 '03/11/2023'" in message
    assert "03/03/2023" not in message
    with pytest.raises(InputError, match="not settled"):
        read_corpus(root, strict=True)


def test_values_that_prove_both_orders_are_an_error_naming_them(tmp_path):
    root = _corpus(tmp_path, ["13/11/2023", "2023-10-01", "11/14/2023"])
    with pytest.raises(InputError) as caught:
        read_corpus(root)
    message = str(caught.value)
    assert "metadata.csv" in message and "mixes day-first and month-first" in message
    assert "line 2 '13/11/2023'" in message and "line 4 '11/14/2023'" in message


def test_a_declared_order_is_used_and_a_value_against_it_is_an_error(tmp_path):
    root = _corpus(tmp_path, ["02/11/2023", "04/11/2023"], toml="[dates]\ndayfirst = false\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)  # declared: nothing to warn about
        result = read_corpus(root)
    assert result.articles["date"].tolist() == ["2023-02-11", "2023-04-11"]
    assert result.problems == []
    # The caller's settings win over corpus.toml.
    explicit = read_corpus(root, dates=DateSettings(dayfirst=True)).articles
    assert explicit["date"].tolist() == ["2023-11-02", "2023-11-04"]
    wrong = _corpus(tmp_path / "wrong", ["02/11/2023", "25/11/2023"], "[dates]\ndayfirst = false\n")
    with pytest.raises(InputError, match=r"cannot be read month-first as declared.*'25/11/2023'"):
        read_corpus(wrong)


def test_a_declared_format_reads_every_value_but_iso(tmp_path):
    toml = '[dates]\ndate_format = "%d.%m.%Y %H:%M"\n'
    root = _corpus(tmp_path, ["02.11.2023 14:30", "2023-10-01", "11/02/2023"], toml=toml)
    with pytest.warns(InputWarning, match=r"line 4: date '11/02/2023' does not match"):
        result = read_corpus(root)
    articles = result.articles.set_index("article_id")
    assert articles["date"].tolist() == ["2023-11-02", "2023-10-01", ""]
    assert articles.loc["a2", "date_raw"] == "11/02/2023"  # kept, with its raw value


def test_an_unreadable_date_keeps_the_article_and_is_listed(tmp_path):
    root = _corpus(tmp_path, ["2023-11-02", "last Tuesday"])
    with pytest.warns(InputWarning, match=r"metadata.csv, line 3: 'last Tuesday' is not a date"):
        result = read_corpus(root)
    assert result.articles["article_id"].tolist() == ["a0", "a1"]
    assert result.articles["date"].tolist() == ["2023-11-02", ""]
    problems = result.problems_table()
    assert problems[["record", "article_id"]].values.tolist() == [["line 3", "a1"]]


@pytest.mark.parametrize(
    "table, message",
    [
        ("[dates]\ndayfirst = 1\n", "dayfirst must be true or false"),
        ("[dates]\nday_first = true\n", "unknown date setting"),
        ('[dates]\ndate_format = "%d/%m"\n', "with a year"),
    ],
)
def test_bad_date_settings_name_the_file(tmp_path, table, message):
    root = _corpus(tmp_path, ["2023-11-02"], toml=table)
    with pytest.raises(InputError, match=message) as caught:
        read_corpus(root)
    assert "corpus.toml" in str(caught.value)


# ------------------------------------------------------------------------------ all inputs
def _records(dates):
    return [
        {"article_id": f"r{i}", "outlet": "Dawn", "outlet_type": "news", "date": d, "text": BODY}
        for i, d in enumerate(dates)
    ]


@pytest.mark.parametrize("suffix", ["jsonl", "csv", "parquet"])
def test_file_inputs_follow_the_same_rules(tmp_path, suffix):
    dates = ["02/11/2023", "13/11/2023", "2023-10-01T03:00:00+05:00", "soon"]
    records = pd.DataFrame(_records(dates))
    path = tmp_path / f"articles.{suffix}"
    if suffix == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in _records(dates)))
    elif suffix == "csv":
        records.to_csv(path, index=False)
    else:
        records.to_parquet(path, index=False)
    with pytest.warns(InputWarning) as caught:
        articles = read_corpus(path).articles
    assert articles["date"].tolist() == ["2023-11-02", "2023-11-13", "2023-10-01", ""]
    assert any("'soon' is not a date" in str(w.message) for w in caught)


def test_parquet_timestamps_keep_their_own_calendar_date(tmp_path):
    stamps = pd.to_datetime(["2023-10-01T03:00:00+05:00", "2023-12-31T23:30:00+05:00"])
    table = pd.DataFrame(_records(["", ""])).assign(date=stamps)
    table.to_parquet(tmp_path / "stamps.parquet", index=False)
    articles = read_corpus(tmp_path / "stamps.parquet").articles
    assert articles["date"].tolist() == ["2023-10-01", "2023-12-31"]  # not 09-30, 12-31 18:30


@pytest.mark.parametrize("batch_size", [1, 2, 3])
def test_every_batch_uses_the_order_of_the_whole_column(tmp_path, batch_size):
    # The first batches hold only ambiguous dates; the value that settles the order (month
    # first) comes last. A batch must not decide alone.
    dates = ["02/11/2023", "03/10/2023", "04/09/2023", "11/13/2023"]
    path = tmp_path / "late_proof.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _records(dates)))
    expected = ["2023-02-11", "2023-03-10", "2023-04-09", "2023-11-13"]
    assert _quiet_read(path).articles["date"].tolist() == expected
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        batches = list(iter_article_batches(path, batch_size))
    streamed = pd.concat([b.articles for b in batches], ignore_index=True)
    assert streamed["date"].tolist() == expected
    notes = [p for b in batches for p in b.problems if p.record == "date column"]
    assert len(notes) == 1 and "read month-first" in notes[0].message


def test_the_partitioned_path_reads_the_case_like_the_in_memory_one():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        streamed = pd.concat(
            [b.articles for b in iter_article_batches(CASES / "dates", 1)], ignore_index=True
        )
    pd.testing.assert_frame_equal(streamed, _quiet_read(CASES / "dates").articles)


def test_an_experiment_config_declares_the_order(tmp_path):
    from framelens.runs.config import load_experiment

    root = _corpus(tmp_path, ["02/11/2023"])
    path = tmp_path / "study.toml"
    path.write_text(f'name = "s"\ncorpus = "{root}"\n\n[dates]\ndayfirst = false\n')
    assert load_experiment(path).dates == DateSettings(False, None, str(path))
    (root / "corpus.toml").write_text("[dates]\ndayfirst = true\n")
    path.write_text(f'name = "s"\ncorpus = "{root}"\n')  # no [dates]: the corpus's own
    assert load_experiment(path).dates.dayfirst is True


def test_parse_dates_keeps_the_local_date_of_aware_timestamps():
    aware = pd.Series(pd.to_datetime(["2023-10-01T03:00:00+05:00", "2023-10-01T23:00:00+05:00"]))
    assert parse_dates(aware).dt.strftime("%Y-%m-%d").tolist() == ["2023-10-01", "2023-10-01"]
    text = pd.Series(["2023-10-01T03:00:00+05:00", "2021-04", "", None])
    parsed = parse_dates(text)
    assert parsed.iloc[:2].dt.strftime("%Y-%m-%d").tolist() == ["2023-10-01", "2021-04-01"]
    assert parsed.iloc[2:].isna().all()


def test_process_gives_the_same_dates_whatever_the_partition_size(tmp_path):
    pytest.importorskip("dask", reason="needs the 'distributed' extra")
    from framelens.runs.process import process_corpus, read_dataset

    dates = ["02/11/2023", "03/10/2023", "04/09/2023", "05/08/2023", "11/13/2023"]
    path = tmp_path / "late_proof.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _records(dates)))
    tables = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        for size in (1, 4):
            process_corpus(path, tmp_path / f"p{size}", jobs=1, partition_size=size)
            tables[size] = read_dataset(tmp_path / f"p{size}", "articles")
    pd.testing.assert_frame_equal(tables[1], tables[4])
    assert tables[1]["date"].tolist()[-1] == "2023-11-13"
    assert tables[1]["date"].tolist()[0] == "2023-02-11"
    # Declaring the order is another run: the finished one is not reused.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        ambiguous = tmp_path / "ambiguous.jsonl"
        ambiguous.write_text("".join(json.dumps(r) + "\n" for r in _records(dates[:2])))
        process_corpus(ambiguous, tmp_path / "again", jobs=1)
        first = read_dataset(tmp_path / "again", "articles")["date"].tolist()
        summary = process_corpus(
            ambiguous, tmp_path / "again", jobs=1, dates=DateSettings(dayfirst=False)
        )
    assert first == ["2023-11-02", "2023-10-03"] and not summary["up_to_date"]
    assert read_dataset(tmp_path / "again", "articles")["date"].tolist() == [
        "2023-02-11",
        "2023-03-10",
    ]


def test_ingest_command_honours_a_config_and_prints_the_warning_whole(tmp_path):
    from typer.testing import CliRunner

    from framelens.cli import _register_commands, app

    _register_commands()
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(CASES / "dates"), "-o", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    # The summary's warnings table prints the message whole: [dates] is text, not markup.
    from rich.console import Console

    from framelens.cli.summaries import ingest_summary
    from framelens.text.ingest import Ingested

    console = Console(width=500, record=True)
    console.print(ingest_summary(Ingested.load(tmp_path / "a")))
    assert "dayfirst = true under [dates] in corpus.toml" in console.export_text()
    written = pd.read_parquet(tmp_path / "a" / "articles.parquet")
    assert written["date"].tolist() == ["2023-11-02", "2023-11-13", "2023-10-01"]
    config = tmp_path / "us.toml"
    config.write_text("[dates]\ndayfirst = false\n")
    refused = runner.invoke(
        app, ["ingest", str(CASES / "dates"), "-o", str(tmp_path / "b"), "--config", str(config)]
    )
    assert refused.exit_code == 2
    assert "cannot be read month-first as declared" in refused.output

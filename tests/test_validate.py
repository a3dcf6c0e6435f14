"""Scorer-vs-gold metrics on known confusions, the validation table and its formats."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, classification_report, f1_score

from framelens.datasets.gold import GOLD_COLUMNS, check_gold, consensus, read_gold, write_gold
from framelens.errors import InputError
from framelens.tables import stance_label
from framelens.validation.metrics import (
    article_metrics,
    classification_report_frame,
    frame_metrics,
    gold_article_values,
    read_scores,
    stance_metrics,
    to_latex,
    to_markdown,
    validation_table,
)
from framelens.validation.reliability import krippendorff_alpha

# Sentences 0-10 of article "a1", target russia, coded by "ann". Sentence 9 is not about Russia
# ("na"); sentence 10 the scorer did not score. Predictions give this confusion
# (rows true against/neutral/favor, columns predicted):
#   against [2, 0, 1]   neutral [1, 2, 0]   favor [0, 2, 2]   (sentence 10: favor -> neutral)
TRUE = ["1", "1", "1", "0", "0", "0", "-1", "-1", "-1", "na", "1"]
PRED = [
    "favor",
    "favor",
    "neutral",
    "neutral",
    "neutral",
    "against",
    "against",
    "against",
    "favor",
    "against",
]
SCORE = {"favor": 0.6, "neutral": 0.0, "against": -0.5}


def gold_rows(rows):
    return check_gold(pd.DataFrame([(*r, "") for r in rows], columns=GOLD_COLUMNS))


def stance_gold(coder="ann", labels=TRUE, article="a1", target="russia"):
    return gold_rows([(article, i, coder, "stance", target, v) for i, v in enumerate(labels)])


def stance_table(labels=PRED, scorer="lexicon", article="a1", target="russia"):
    return pd.DataFrame(
        {
            "article_id": article,
            "sent_id": range(len(labels)),
            "target": target,
            "scorer": scorer,
            "score": [SCORE[v] for v in labels],
            "label": labels,
            "confidence": 1.0,
        }
    )


def test_stance_metrics_on_a_known_confusion():
    result = stance_metrics(stance_table(), stance_gold())
    assert result["n"] == 10 and result["n_na"] == 1
    assert result["coverage"] == pytest.approx(0.9)
    assert result["confusion"].to_numpy().tolist() == [[2, 0, 1], [1, 2, 0], [0, 2, 2]]
    assert result["accuracy"] == pytest.approx(0.6)
    assert result["precision_against"] == pytest.approx(2 / 3)
    assert result["precision_neutral"] == pytest.approx(0.5)
    assert result["precision_favor"] == pytest.approx(2 / 3)
    assert result["recall_against"] == pytest.approx(2 / 3)
    assert result["recall_neutral"] == pytest.approx(2 / 3)
    assert result["recall_favor"] == pytest.approx(0.5)
    f1 = [2 / 3, 2 * 0.5 * (2 / 3) / (0.5 + 2 / 3), 2 * (2 / 3) * 0.5 / (2 / 3 + 0.5)]
    assert result["macro_f1"] == pytest.approx(np.mean(f1))
    # Scores of the compared units: sentence 10 unscored counts as 0.
    codes = np.array([1, 1, 1, 0, 0, 0, -1, -1, -1, 1], dtype=float)
    scores = np.array([SCORE[v] for v in PRED[:9]] + [0.0])
    assert result["mae"] == pytest.approx(np.abs(scores - codes).mean())
    # The scorer as a second coder (its labels as codes, na left out).
    machine = [{"favor": 1, "neutral": 0, "against": -1}[v] for v in PRED[:9]] + [0]
    ann = [int(v) for v in TRUE if v != "na"]
    assert result["alpha"] == pytest.approx(krippendorff_alpha([ann, machine], "nominal"))


def test_gold_ids_read_as_text_join_integer_sentence_ids(tmp_path):
    write_gold(stance_gold(), tmp_path / "gold.csv")
    gold = read_gold(tmp_path / "gold.csv")
    assert gold["sent_id"].dtype == "int64"
    assert stance_metrics(stance_table(), gold)["coverage"] == pytest.approx(0.9)


def test_a_scorer_that_agrees_with_the_coder_scores_perfectly():
    labels = [
        "favor",
        "favor",
        "favor",
        "neutral",
        "neutral",
        "neutral",
        "against",
        "against",
        "against",
        "neutral",
        "favor",
    ]
    result = stance_metrics(stance_table(labels), stance_gold())
    assert result["accuracy"] == 1.0 and result["macro_f1"] == 1.0 and result["alpha"] == 1.0
    assert result["coverage"] == 1.0


def test_gold_is_the_majority_of_coders_and_ties_are_left_out():
    gold = pd.concat(
        [
            stance_gold("ann", ["1", "0", "-1"]),
            stance_gold("bob", ["1", "1", "0"]),
            stance_gold("cem", ["0", "1", "1"]),
        ]
    )
    majority = consensus(gold, "stance").set_index("sent_id")["label"]
    assert majority.to_dict() == {0: "1", 1: "1"}  # sentence 2: -1, 0, 1 all differ
    result = stance_metrics(stance_table(["favor", "favor", "favor"]), gold)
    assert result["n"] == 2 and result["n_ties"] == 1 and result["accuracy"] == 1.0
    only_ann = stance_metrics(stance_table(["favor", "favor", "favor"]), gold, coder="ann")
    assert only_ann["n"] == 3 and only_ann["accuracy"] == pytest.approx(1 / 3)


def test_frame_metrics_threshold_coverage_and_per_frame_rates():
    gold = gold_rows(
        [("a1", i, "ann", "frame", "security", v) for i, v in enumerate("110010")]
        + [("a1", i, "ann", "frame", "geo_economic", v) for i, v in enumerate("001100")]
    )
    pred = pd.DataFrame(
        {
            "article_id": "a1",
            "sent_id": list(range(6)) + list(range(5)),  # geo_economic of sentence 5 unscored
            "frame": ["security"] * 6 + ["geo_economic"] * 5,
            "scorer": "seeds",
            "score": [0.9, 0.4, 0.6, 0.1, 0.7, 0.2, 0.1, 0.2, 0.8, 0.45, 0.3],
        }
    )
    at_half = frame_metrics(pred, gold)
    # security: predicted 1,0,1,0,1,0 vs 1,1,0,0,1,0 -> tp 2, fp 1, fn 1.
    assert at_half["precision_security"] == pytest.approx(2 / 3)
    assert at_half["recall_security"] == pytest.approx(2 / 3)
    # geo_economic: predicted 0,0,1,0,0,(0) vs 0,0,1,1,0,0 -> tp 1, fp 0, fn 1.
    assert at_half["precision_geo_economic"] == 1.0
    assert at_half["recall_geo_economic"] == 0.5
    assert at_half["accuracy"] == pytest.approx(9 / 12)
    assert at_half["coverage"] == pytest.approx(11 / 12)
    confusion = at_half["confusion"].set_index("frame")
    assert confusion.loc["security"].tolist() == [2, 1, 1, 2]  # tn, fp, fn, tp
    lower = frame_metrics(pred, gold, threshold=0.35)
    assert lower["recall_security"] == 1.0 and lower["recall_geo_economic"] == 1.0


def test_article_level_compares_mean_gold_codes_with_article_values():
    gold = pd.concat(
        [
            stance_gold("ann", ["1", "1", "0", "na"], article="a1"),
            stance_gold("ann", ["-1", "0"], article="a2"),
        ]
    )
    values = gold_article_values(gold).set_index("article_id")
    assert values.loc["a1", "gold"] == pytest.approx(2 / 3)
    assert values.loc["a1", "n_sentences"] == 3
    assert values.loc["a2", "gold"] == pytest.approx(-0.5)
    scores = pd.DataFrame(
        {
            "article_id": ["a1"],
            "kind": "stance",
            "name": "russia",
            "scorer": "lexicon",
            "value": [0.5],
            "n_evidence": 3,
            "evidence": "",
        }
    )
    result = article_metrics(scores, gold)
    assert result["coverage"] == 0.5  # a2 has no score: counted as 0
    assert result["mae"] == pytest.approx((abs(0.5 - 2 / 3) + 0.5) / 2)
    assert result["accuracy"] == 0.5  # a1 favor/favor; a2 against vs neutral


def test_validation_table_ranks_scorers_across_levels_and_tasks():
    good = [
        "favor",
        "favor",
        "favor",
        "neutral",
        "neutral",
        "neutral",
        "against",
        "against",
        "against",
        "neutral",
        "favor",
    ]
    gold = pd.concat(
        [
            stance_gold(),
            gold_rows([("a1", i, "ann", "frame", "security", v) for i, v in enumerate("1100")]),
        ]
    )
    frames = pd.DataFrame(
        {
            "article_id": "a1",
            "sent_id": range(4),
            "frame": "security",
            "scorer": "good",
            "score": [0.9, 0.8, 0.1, 0.2],
        }
    )
    articles = pd.DataFrame(
        {
            "article_id": ["a1"],
            "kind": "stance",
            "name": "russia",
            "scorer": "good",
            "value": [0.25],
            "n_evidence": 10,
            "evidence": "",
        }
    )
    table = validation_table(
        {"good": [stance_table(good, "good"), frames, articles], "weak": stance_table()}, gold
    )
    assert list(table.columns) == [
        "scorer",
        "level",
        "task",
        "n",
        "coverage",
        "accuracy",
        "macro_f1",
        "mae",
        "spearman",
        "alpha",
    ]
    keyed = table.set_index(["scorer", "level", "task"])
    assert keyed.loc[("good", "sentence", "stance"), "accuracy"] == 1.0
    assert keyed.loc[("weak", "sentence", "stance"), "accuracy"] == pytest.approx(0.6)
    assert keyed.loc[("good", "sentence", "frame"), "macro_f1"] == 1.0
    assert keyed.loc[("good", "article", "stance"), "mae"] == pytest.approx(
        abs(0.25 - np.mean([1, 1, 1, 0, 0, 0, -1, -1, -1, 1]))
    )
    # One long table may hold every scorer: it is split by the scorer column.
    both = pd.concat([stance_table(good, "good"), stance_table()])
    split = validation_table(both, gold).set_index("scorer")
    assert split.loc["lexicon", "accuracy"] == pytest.approx(0.6)


def test_markdown_and_latex_formats():
    table = pd.DataFrame({"scorer": ["a&b", "vader"], "accuracy": [0.61234, np.nan], "n": [10, 3]})
    markdown = to_markdown(table).splitlines()
    assert len(markdown) == 4
    assert markdown[0].split("|")[1].strip() == "scorer"
    assert markdown[1].replace(" ", "") == "|------|-------:|--:|"
    assert "0.612" in markdown[2] and "0.61234" not in markdown[2]
    assert markdown[3].split("|")[2].strip() == ""  # missing value left blank
    assert len({len(line) for line in markdown}) == 1  # aligned columns
    latex = to_latex(table.rename(columns={"accuracy": "macro_f1"}))
    assert "\\toprule" in latex and "\\bottomrule" in latex
    assert "a\\&b" in latex and "macro\\_f1" in latex and "--" in latex
    assert "{lrr}" in latex


def test_classification_report_frame_matches_sklearn():
    rng = np.random.default_rng(0)
    y_true = rng.choice(["against", "neutral", "favor"], size=200)
    y_pred = np.where(rng.random(200) < 0.6, y_true, rng.choice(["neutral", "favor"], size=200))
    labels = ["against", "neutral", "favor"]
    ours = classification_report_frame(y_true, y_pred, labels)
    theirs = classification_report(y_true, y_pred, labels=labels, output_dict=True, zero_division=0)
    for label in labels + ["macro avg", "weighted avg"]:
        assert ours.loc[label, "precision"] == pytest.approx(theirs[label]["precision"])
        assert ours.loc[label, "recall"] == pytest.approx(theirs[label]["recall"])
        assert ours.loc[label, "f1"] == pytest.approx(theirs[label]["f1-score"])
        assert ours.loc[label, "support"] == theirs[label]["support"]


def test_bad_scorer_tables_are_named():
    gold = stance_gold()
    two = pd.concat([stance_table(scorer="a"), stance_table(scorer="b")])
    with pytest.raises(InputError, match="several scorers"):
        stance_metrics(two, gold)
    with pytest.raises(InputError, match="several rows for one unit"):
        stance_metrics(pd.concat([stance_table(), stance_table()]), gold)
    with pytest.raises(InputError, match="lacks column"):
        stance_metrics(stance_table().drop(columns="score"), gold)
    wrong = stance_table()
    wrong.loc[0, "label"] = "positive"
    with pytest.raises(InputError, match="'positive'"):
        stance_metrics(wrong, gold)


def test_a_table_of_no_known_kind_names_its_file_and_columns(tmp_path):
    # Review 15: gold codings given where scores belong ("cannot tell which table this is").
    path = tmp_path / "badgold.csv"
    stance_gold().to_csv(path, index=False)
    with pytest.raises(InputError) as err:
        read_scores(path)
    message = str(err.value)
    assert message.startswith(f"{path}: cannot tell which table this is")
    assert "columns: " + ", ".join(stance_gold().columns) in message and "--gold" in message


def test_bad_gold_is_named(tmp_path):
    path = tmp_path / "gold.csv"
    stance_gold().to_csv(path, index=False)
    text = path.read_text().splitlines()
    text[3] = text[3].replace(",russia,1,", ",russia,2,")
    path.write_text("\n".join(text))
    with pytest.raises(InputError, match=r"gold\.csv, row 4: stance label '2' is outside"):
        read_gold(path)
    path.write_text("\n".join([text[0], text[1], text[1]]))
    with pytest.raises(InputError, match=r"row 3.*duplicate judgement"):
        read_gold(path)
    path.write_text("article_id,sent_id,label\na1,1,1\n")
    with pytest.raises(InputError, match="lacks column.*coder"):
        read_gold(path)
    bad = tmp_path / "scores.txt"
    bad.write_text("x")
    with pytest.raises(InputError, match="unsupported table format"):
        read_scores(bad)


def test_real_newsmtsc_dev_set_as_gold(shared_data_dir, tmp_path):
    """NewsMTSC's real-world dev set as a one-coder gold file, VADER as a naive scorer."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    polarity = {2.0: "-1", 4.0: "0", 6.0: "1"}
    gold, stance = [], []
    analyser = SentimentIntensityAnalyzer()
    lines = (shared_data_dir / "newsmtsc" / "rw_dev.jsonl").read_text().splitlines()
    for i, line in enumerate(lines):
        record = json.loads(line)
        score = analyser.polarity_scores(record["sentence_normalized"])["compound"]
        for j, target in enumerate(record["targets"]):
            gold.append(("rw", i, "newsmtsc", "stance", f"t{j}", polarity[target["polarity"]], ""))
            stance.append(("rw", i, f"t{j}", "vader", score, stance_label(score), abs(score)))
    gold = pd.DataFrame(gold, columns=GOLD_COLUMNS)
    pred = pd.DataFrame(
        stance,
        columns=["article_id", "sent_id", "target", "scorer", "score", "label", "confidence"],
    )
    write_gold(check_gold(gold), tmp_path / "gold.csv")
    gold = read_gold(tmp_path / "gold.csv")
    result = stance_metrics(pred, gold)
    y_true = gold["label"].map({"-1": "against", "0": "neutral", "1": "favor"})
    y_pred = pred["label"]
    assert result["n"] == len(gold) == len(pred)
    assert result["accuracy"] == pytest.approx(accuracy_score(y_true, y_pred))
    assert result["macro_f1"] == pytest.approx(f1_score(y_true, y_pred, average="macro"))
    assert result["confusion"].to_numpy().sum() == len(gold)
    # Sentence-level sentiment is a weak but real signal of the stance toward a person.
    assert result["macro_f1"] > 0.34 and result["spearman"] > 0.1
    # Drop a tenth of the predictions: they count as neutral, and coverage says so.
    dropped = pred.iloc[::10]
    partial = stance_metrics(pred.drop(index=dropped.index), gold)
    assert partial["coverage"] == pytest.approx(1 - len(dropped) / len(pred))
    y_partial = y_pred.copy()
    y_partial[dropped.index] = "neutral"
    assert partial["accuracy"] == pytest.approx(accuracy_score(y_true, y_partial))


def test_cli_validate_writes_markdown_and_latex(tmp_path):
    from typer.testing import CliRunner

    from framelens.cli import _register_commands, app

    _register_commands()
    write_gold(stance_gold(), tmp_path / "gold.csv")
    stance_table().to_csv(tmp_path / "stance.csv", index=False)
    result = CliRunner().invoke(
        app,
        [
            "validate",
            str(tmp_path / "stance.csv"),
            "--gold",
            str(tmp_path / "gold.csv"),
            "-o",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    written = pd.read_csv(tmp_path / "out" / "validation.csv")
    assert written.loc[0, "accuracy"] == pytest.approx(0.6)
    assert "| lexicon" in (tmp_path / "out" / "validation.md").read_text()
    assert "\\toprule" in (tmp_path / "out" / "validation.tex").read_text()
    result = CliRunner().invoke(
        app, ["validate", str(tmp_path / "stance.csv"), "--gold", str(tmp_path / "missing.csv")]
    )
    assert result.exit_code == 2 and "gold file not found" in result.output


def test_validation_pairs_feed_corrected_prevalence():
    from framelens.validation.metrics import validation_pairs
    from framelens.validation.prevalence import corrected_prevalence

    pairs = validation_pairs(stance_table(), stance_gold())
    # na (sentence 9) and the unscored sentence 10 are not pairs: prevalence is estimated
    # from scored units, so their error rates are the ones that matter.
    assert pairs["sent_id"].tolist() == list(range(9))
    assert pairs["true"].tolist()[:3] == ["favor", "favor", "favor"]
    assert pairs["pred"].tolist() == PRED[:9]
    everything = validation_pairs(stance_table(), stance_gold(), scored_only=False)
    assert everything.iloc[-1][["true", "pred"]].tolist() == ["favor", "neutral"]
    corpus = stance_table().assign(outlet=["dawn"] * 5 + ["rt"] * 5)
    result = corrected_prevalence(
        corpus, pairs, ["against", "neutral", "favor"], by="outlet", n_boot=50
    )
    assert set(result["outlet"]) == {"dawn", "rt"}
    assert np.allclose(result.groupby("outlet")["corrected"].sum(), 1.0)
    frames = pd.DataFrame(
        {
            "article_id": "a1",
            "sent_id": range(3),
            "frame": "security",
            "scorer": "seeds",
            "score": [0.9, 0.2, 0.6],
        }
    )
    gold = gold_rows([("a1", i, "ann", "frame", "security", v) for i, v in enumerate("100")])
    assert validation_pairs(frames, gold)[["true", "pred"]].to_numpy().tolist() == [
        [1, 1],
        [0, 0],
        [0, 1],
    ]

"""Inter-coder agreement: alpha and kappa against published and hand-computed values."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from framelens.datasets.gold import check_gold
from framelens.errors import InputError
from framelens.validation.reliability import (
    _bootstrap_kappa,
    agreement,
    krippendorff_alpha,
    pairwise_kappa,
    reliability_data,
)

NAN = float("nan")
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": the example with four
# observers, twelve units and missing values; the paper reports these alphas.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def gold_table(labels: dict[str, list], task="frame", name="security") -> pd.DataFrame:
    """A gold table from {coder: labels per sentence} (None = not coded)."""
    rows = [
        ("a1", sent, coder, task, name, label, "")
        for coder, values in labels.items()
        for sent, label in enumerate(values)
        if label is not None
    ]
    return check_gold(
        pd.DataFrame(
            rows, columns=["article_id", "sent_id", "coder", "task", "name", "label", "note"]
        )
    )


@pytest.mark.parametrize(
    ("level", "expected"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_alpha_matches_krippendorffs_worked_example(level, expected):
    assert krippendorff_alpha(KRIPPENDORFF_2011, level) == pytest.approx(expected, abs=5e-4)


def test_two_coder_alpha_and_kappa_match_hand_computation():
    # Coincidences: o00 = 4, o01 = o10 = 1, o11 = 2; n = 8, n0 = 5, n1 = 3.
    # D_o = 2/8, D_e = 2 * 5 * 3 / (8 * 7) = 30/56, alpha = 1 - (2/8) / (30/56) = 8/15.
    # Kappa: p_o = 3/4, p_e = (2/4)(1/4) + (2/4)(3/4) = 1/2, kappa = 1/2.
    gold = gold_table({"ann": ["1", "1", "0", "0"], "bob": ["1", "0", "0", "0"]})
    table = agreement(gold, n_boot=0).set_index("metric")
    assert table.loc["alpha_nominal", "value"] == pytest.approx(8 / 15)
    assert table.loc["kappa", "value"] == pytest.approx(0.5)
    assert table.loc["kappa", "value"] == pytest.approx(
        cohen_kappa_score([1, 1, 0, 0], [1, 0, 0, 0])
    )
    assert table.loc["kappa", "n_units"] == 4
    assert table.loc["kappa", "n_coders"] == 2
    assert np.isnan(table.loc["kappa", "ci_low"])  # n_boot=0: no interval


def test_stance_na_is_a_category_for_nominal_alpha_but_off_the_interval_scale():
    ann = ["1", "0", "-1", "na", "1", "0", "-1", "1"]
    bob = ["1", "0", "-1", "0", "1", "0", "0", "1"]
    gold = gold_table({"ann": ann, "bob": bob}, task="stance", name="russia")
    table = agreement(gold, n_boot=0).set_index("metric")["value"]
    as_numbers = [[NAN if v == "na" else float(v) for v in coder] for coder in (ann, bob)]
    assert table["alpha_interval"] == pytest.approx(krippendorff_alpha(as_numbers, "interval"))
    assert table["alpha_nominal"] == pytest.approx(krippendorff_alpha([ann, bob], "nominal"))
    # The na/0 disagreement counts at the nominal level only, so nominal agrees less.
    assert table["alpha_nominal"] < table["alpha_interval"]
    assert table["kappa"] == pytest.approx(cohen_kappa_score(ann, bob))


def test_kappa_with_three_coders_is_the_mean_over_pairs():
    labels = {
        "ann": ["1", "0", "1", "1", "0", "0", "1", "0", "1", "1"],
        "bob": ["1", "0", "0", "1", "0", "1", "1", "0", "1", "0"],
        "cem": ["1", "1", "1", "1", "0", "0", "0", "0", "1", "1"],
    }
    gold = gold_table(labels)
    expected = np.mean(
        [cohen_kappa_score(labels[a], labels[b]) for a, b in itertools.combinations(labels, 2)]
    )
    assert pairwise_kappa(reliability_data(gold, "frame", "security")) == pytest.approx(expected)
    table = agreement(gold, n_boot=0).set_index("metric")
    assert table.loc["kappa", "value"] == pytest.approx(expected)
    assert table.loc["kappa", "n_coders"] == 3


def test_vectorised_bootstrap_kappa_equals_sklearn_on_the_same_resample():
    rng = np.random.default_rng(3)
    matrix = rng.choice(["-1", "0", "1", "na"], size=(3, 40)).astype(object)
    matrix[0, :5] = np.nan  # a coder who skipped some units
    weights = rng.multinomial(40, np.full(40, 1 / 40), size=1).astype(float)
    replicate = np.repeat(matrix, weights[0].astype(int), axis=1)
    expected = pairwise_kappa(pd.DataFrame(replicate), labels=["-1", "0", "1", "na"])
    assert _bootstrap_kappa(matrix, ["-1", "0", "1", "na"], weights)[0] == pytest.approx(expected)


def test_bootstrap_interval_is_seeded_and_brackets_the_estimate():
    rng = np.random.default_rng(0)
    truth = rng.choice(["-1", "0", "1"], size=120)

    def noisy():
        return [t if rng.random() < 0.8 else rng.choice(["-1", "0", "1"]) for t in truth]

    gold = gold_table({"ann": noisy(), "bob": noisy()}, task="stance", name="us")
    first = agreement(gold, n_boot=300, seed=1)
    again = agreement(gold, n_boot=300, seed=1)
    other = agreement(gold, n_boot=300, seed=2)
    pd.testing.assert_frame_equal(first, again)
    assert not np.allclose(first["ci_low"], other["ci_low"])
    assert (first["ci_low"] <= first["value"]).all()
    assert (first["value"] <= first["ci_high"]).all()
    width = first["ci_high"] - first["ci_low"]
    assert ((width > 0.02) & (width < 0.4)).all()  # 120 units: wide, but informative


def test_perfect_agreement_gives_one():
    gold = gold_table({"ann": ["1", "0", "1", "0"], "bob": ["1", "0", "1", "0"]})
    assert (agreement(gold, n_boot=50)["value"] == 1.0).all()


def test_one_coder_is_a_clear_error_naming_the_file():
    gold = gold_table({"ann": ["1", "0", "1"]})
    with pytest.raises(InputError, match=r"coding_ann\.csv.*at least two coders.*'ann'"):
        agreement(gold, source="coding_ann.csv")


def test_unknown_level_is_an_error():
    gold = gold_table({"ann": ["1", "0"], "bob": ["1", "1"]})
    with pytest.raises(InputError, match="level of measurement"):
        agreement(gold, levels=("nominal", "ratio-ish"))


def test_undefined_alpha_is_nan_not_a_crash():
    # Every label the same: expected disagreement is zero, alpha is undefined.
    gold = gold_table({"ann": ["1", "1", "1"], "bob": ["1", "1", "1"]})
    table = agreement(gold, n_boot=20).set_index("metric")
    assert np.isnan(table.loc["alpha_nominal", "value"])

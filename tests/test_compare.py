"""Outlet comparison: bootstrap intervals, tests, effect sizes, corrections, time series."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from framelens.analysis.groups import bootstrap_ci, group_means
from framelens.analysis.significance import (
    adjust_pvalues,
    cliffs_delta,
    hedges_g,
    omnibus_tests,
    pairwise_tests,
)
from framelens.analysis.trends import over_time
from framelens.errors import InputError, InputWarning

N_BOOT = 300  # small: the tests check behaviour, not the third decimal


def _tables(values: dict, *, kind="stance", name="russia", dates=None):
    """articles + article_scores from {(outlet, outlet_type): [values...]} (None = no mention)."""
    articles, scores = [], []
    k = 0
    for (outlet, otype), vals in values.items():
        for v in vals:
            k += 1
            aid = f"{outlet[:3]}-{k:03d}"
            date = None if dates is None else dates[(k - 1) % len(dates)]
            articles.append(
                dict(
                    article_id=aid,
                    outlet=outlet,
                    outlet_type=otype,
                    date=date,
                    title="t",
                    url="u",
                    text="x",
                )
            )
            scores.append(
                dict(
                    article_id=aid,
                    kind=kind,
                    name=name,
                    scorer="lexicon",
                    value=np.nan if v is None else v,
                    n_evidence=0 if v is None else 1,
                    evidence=json.dumps([]),
                )
            )
    return pd.DataFrame(scores), pd.DataFrame(articles)


@pytest.fixture
def three_types():
    """Three outlet types with distinct stance, a one-article blog, and a silent outlet."""
    rng = np.random.default_rng(7)
    values = {
        ("Dawn", "newspaper"): list(rng.normal(0.1, 0.2, 12)),
        ("GVS", "magazine"): list(rng.normal(0.3, 0.2, 10)),
        ("RT", "state media"): list(rng.normal(0.7, 0.1, 9)),
        ("Blog", "blog"): [0.4],
        ("Silent", "newspaper"): [None, None, None],
    }
    return _tables(values)


def test_bootstrap_ci_contains_mean_and_shrinks_with_n():
    rng = np.random.default_rng(0)
    widths = {}
    for n in (10, 400):
        x = rng.normal(0.2, 0.3, n)
        low, high = bootstrap_ci(x, n_boot=N_BOOT, rng=1)
        assert low < x.mean() < high
        widths[n] = high - low
    # The standard error falls as 1/sqrt(n): 40x the data, about 6x narrower.
    assert widths[400] < widths[10] / 3


def test_bootstrap_ci_bca_and_edge_cases():
    x = np.random.default_rng(3).exponential(1.0, 60)
    low, high = bootstrap_ci(x, n_boot=N_BOOT, method="bca", rng=2)
    assert low < x.mean() < high
    assert np.isnan(bootstrap_ci([0.5], n_boot=N_BOOT)).all()
    assert bootstrap_ci([0.2, 0.2, 0.2], n_boot=N_BOOT) == (0.2, 0.2)
    with pytest.raises(InputError, match="bootstrap method"):
        bootstrap_ci(x, method="studentised")


def test_group_means_missing_is_not_zero(three_types):
    scores, articles = three_types
    out = group_means(scores, articles, group="outlet", n_boot=N_BOOT)
    silent = out.set_index("group").loc["Silent"]
    assert silent["n_articles"] == 0 and silent["n_group"] == 3
    assert np.isnan(silent["mean"]) and "no mention" in silent["note"]
    # Pooling by type: the silent outlet's articles must not pull the newspaper mean to 0.
    by_type = group_means(scores, articles, group="outlet_type", n_boot=N_BOOT)
    newspaper = by_type.set_index("group").loc["newspaper"]
    dawn = scores.loc[scores["article_id"].str.startswith("Daw"), "value"]
    assert newspaper["mean"] == pytest.approx(dawn.mean())
    assert newspaper["n_articles"] == 12 and newspaper["n_group"] == 15


def test_article_without_outlet_is_left_out_with_a_warning(three_types):
    scores, articles = three_types
    articles = articles.assign(outlet=articles["outlet"].where(articles["outlet"] != "Blog", ""))
    with pytest.warns(InputWarning, match="1 article.* no outlet"):
        out = group_means(scores, articles, n_boot=N_BOOT)
    assert "Blog" not in set(out["group"]) and "" not in set(out["group"])
    by_type = group_means(scores, articles, group="outlet_type", n_boot=N_BOOT)
    assert by_type.set_index("group").loc["blog", "n_articles"] == 1  # kept by type


def test_group_means_single_article_has_no_interval(three_types):
    scores, articles = three_types
    out = group_means(scores, articles, n_boot=N_BOOT).set_index("group")
    blog = out.loc["Blog"]
    assert blog["mean"] == pytest.approx(0.4)
    assert np.isnan(blog["ci_low"]) and np.isnan(blog["ci_high"])
    assert blog["note"] == "n=1: no interval or test"
    rt = out.loc["RT"]
    assert rt["ci_low"] < rt["mean"] < rt["ci_high"] and rt["note"] == ""


def test_interval_of_a_group_does_not_depend_on_other_groups(three_types):
    scores, articles = three_types
    full = group_means(scores, articles, n_boot=N_BOOT).set_index("group")
    keep = articles["outlet"].isin(["RT", "Dawn"])
    part = group_means(
        scores[scores["article_id"].isin(articles.loc[keep, "article_id"])],
        articles[keep],
        n_boot=N_BOOT,
    ).set_index("group")
    assert part.loc["RT", "ci_low"] == full.loc["RT", "ci_low"]


def test_pairwise_permutation_separates_and_does_not_overclaim():
    rng = np.random.default_rng(11)
    same = list(rng.normal(0, 0.3, 15))
    scores, articles = _tables(
        {
            ("A", "x"): list(rng.normal(-0.5, 0.1, 12)),
            ("B", "x"): list(rng.normal(0.5, 0.1, 12)),
            ("C", "x"): same,
            ("D", "x"): list(rng.permutation(same)),  # the very same values: no difference at all
        }
    )
    out = pairwise_tests(scores, articles, n_perm=999, correction="none")
    pairs = out.set_index(["group_a", "group_b"])
    assert pairs.loc[("A", "B"), "p_value"] < 0.01
    assert pairs.loc[("A", "B"), "effect_size"] < -3  # Hedges' g of A - B
    assert pairs.loc[("C", "D"), "p_value"] > 0.5
    assert pairs.loc[("C", "D"), "effect_size"] == pytest.approx(0, abs=1e-12)
    assert set(out["effect_measure"]) == {"hedges_g"}


def test_pairwise_mannwhitney_uses_cliffs_delta():
    scores, articles = _tables({("A", "x"): [0.1, 0.2, 0.3, 0.4], ("B", "x"): [0.5, 0.6, 0.7]})
    out = pairwise_tests(scores, articles, test="mannwhitney")
    row = out.iloc[0]
    assert row["effect_measure"] == "cliffs_delta"
    assert row["effect_size"] == -1.0  # every A below every B
    assert row["statistic"] == 0.0  # U of A


def test_small_groups_get_nan_p_and_a_note(three_types):
    scores, articles = three_types
    out = pairwise_tests(scores, articles, n_perm=199)
    with_blog = out[(out["group_a"] == "Blog") | (out["group_b"] == "Blog")]
    assert len(with_blog) == 4
    assert with_blog["p_value"].isna().all() and with_blog["p_adjusted"].isna().all()
    assert with_blog["note"].str.contains("Blog n=1").all()
    silent = out[out["group_b"] == "Silent"]
    assert silent["p_value"].isna().all() and silent["note"].str.contains("n=0").all()
    tested = out[out["note"] == ""]
    assert tested["p_value"].notna().all()
    assert (tested["p_adjusted"] >= tested["p_value"]).all()


def test_omnibus_tests(three_types):
    scores, articles = three_types
    out = omnibus_tests(scores, articles, group="outlet", n_perm=499)
    assert list(out["test"]) == ["kruskal", "permutation_f"]
    assert (out["p_value"] < 0.01).all()  # 499 permutations: the smallest p is 1/500
    assert out["n_groups"].eq(3).all() and out["n_articles"].eq(31).all()
    assert out["note"].str.contains("left out").all()
    assert out["note"].str.contains("Blog").all()
    kw = out.set_index("test").loc["kruskal"]
    assert kw["effect_size"] == pytest.approx(kw["statistic"] / (31 - 1))
    assert 0 < out.set_index("test").loc["permutation_f", "effect_size"] < 1

    lonely = _tables({("A", "x"): [0.1, 0.2], ("B", "x"): [0.3]})
    result = omnibus_tests(*lonely)
    assert result["p_value"].isna().all()
    assert result["note"].str.contains("fewer than 2 groups").all()


def test_adjust_pvalues_by_hand():
    p = [0.01, 0.04, 0.03, 0.005, np.nan]
    # Holm: sorted 0.005*4, 0.01*3, 0.03*2, 0.04*1 -> 0.02, 0.03, 0.06, max(0.06, 0.04).
    np.testing.assert_allclose(adjust_pvalues(p, "holm"), [0.03, 0.06, 0.06, 0.02, np.nan])
    # BH: p * 4 / rank = 0.02, 0.02, 0.04, 0.04 (already monotone).
    np.testing.assert_allclose(adjust_pvalues(p, "bh"), [0.02, 0.04, 0.04, 0.02, np.nan])
    np.testing.assert_allclose(adjust_pvalues([0.5, 0.9], "holm"), [1.0, 1.0])
    with pytest.raises(InputError):
        adjust_pvalues(p, "bonferonni")


def test_effect_sizes_by_hand():
    a, b = np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 4.0, 5.0])
    pooled = np.sqrt((2 * 1.0 + 3 * np.var(b, ddof=1)) / 5)
    assert hedges_g(a, b) == pytest.approx((2 - 3.5) / pooled * (1 - 3 / (4 * 7 - 9)))
    # Pairs: a>b 1 (3>2), a<b 9, ties 2 -> (1 - 9) / 12.
    assert cliffs_delta(a, b) == pytest.approx(-8 / 12)


def test_over_time_by_quarter_warns_about_undated():
    dates = ["2021-01-15", "2021-02-20", "2021-05-01", "2021-06-30", None]
    scores, articles = _tables({("A", "x"): [0.1, 0.3, 0.5, 0.7, 0.9]}, dates=dates)
    with pytest.warns(InputWarning, match="1 article"):
        out = over_time(scores, articles, freq="quarter", n_boot=N_BOOT)
    assert list(out["period_label"]) == ["2021Q1", "2021Q2"]
    assert list(out["n_articles"]) == [2, 2]
    np.testing.assert_allclose(out["mean"], [0.2, 0.6])
    assert out["period"].iloc[1] == pd.Timestamp("2021-04-01")


def test_bad_input_is_named():
    scores, articles = _tables({("A", "x"): [0.1, 0.2]})
    with pytest.raises(InputError, match="no column 'region'"):
        group_means(scores, articles, group="region")
    with pytest.raises(InputError, match="scorers present: lexicon"):
        group_means(scores, articles, scorer="roberta")
    orphan = scores.assign(article_id=["A-001", "ghost"])
    with pytest.raises(InputError, match="ghost"):
        group_means(orphan, articles)
    with pytest.raises(InputError, match="no article with a date|date"):
        over_time(scores, articles)

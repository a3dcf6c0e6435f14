"""Keyness: Monroe et al. log-odds with an informative Dirichlet prior."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from framelens.analysis.keyness import TOKEN_PATTERN, keyness, log_odds_dirichlet
from framelens.errors import InputError


@pytest.fixture
def tiny():
    """Two groups on one subject; only group A ever says 'sanctions'."""
    return pd.DataFrame(
        {
            "article_id": ["a1", "a2", "b1", "b2"],
            "outlet": ["A", "A", "B", "B"],
            "text": [
                "Sanctions on Moscow hurt trade. Pakistan buys oil despite sanctions.",
                "New sanctions, old trade routes: Pakistan and Russia talk oil.",
                "Pakistan and Russia talk trade and oil in Islamabad.",
                "Trade talks in Islamabad: Pakistan, Russia and oil again.",
            ],
        }
    )


def test_word_used_only_by_a_group_is_key_for_it(tiny):
    rest = keyness(tiny, group="outlet", min_count=1).set_index(["group_a", "term"])
    assert rest.loc[("A", "sanctions"), "z"] > 0
    assert rest.loc["A", "z"].idxmax() == "sanctions"
    assert rest.loc[("A", "sanctions"), "count_a"] == 3
    assert rest.loc[("A", "sanctions"), "count_b"] == 0
    assert rest.loc[("B", "sanctions"), "z"] < 0
    # "islamabad" is B's word, so it is negative for A.
    assert rest.loc[("A", "islamabad"), "z"] < 0 < rest.loc[("B", "islamabad"), "z"]
    pair = keyness(tiny, group="outlet", comparison="pairwise", min_count=1)
    ab = pair[(pair["group_a"] == "A") & (pair["group_b"] == "B")].set_index("term")
    ba = pair[(pair["group_a"] == "B") & (pair["group_b"] == "A")].set_index("term")
    assert ab.loc["sanctions", "z"] == pytest.approx(-ba.loc["sanctions", "z"])
    assert ab["z"].idxmax() == "sanctions"


def test_log_odds_formula_and_shrinkage():
    ya, yb, prior = np.array([50.0, 2.0, 10.0]), np.array([0.0, 0.0, 10.0]), np.array([50, 2, 20])
    delta, se, z = log_odds_dirichlet(ya, yb, prior)
    alpha = prior + 0.01
    a0, na, nb = alpha.sum(), ya.sum(), yb.sum()
    expected = np.log((ya + alpha) / (na + a0 - ya - alpha)) - np.log(
        (yb + alpha) / (nb + a0 - yb - alpha)
    )
    np.testing.assert_allclose(delta, expected)
    np.testing.assert_allclose(se, np.sqrt(1 / (ya + alpha) + 1 / (yb + alpha)))
    # The prior shrinks rare words: 2 vs 0 is far less key than 50 vs 0.
    assert z[0] > z[1] > 0
    # Swapping the sides flips the sign.
    np.testing.assert_allclose(log_odds_dirichlet(yb, ya, prior)[2], -z)
    # A weaker prior (smaller alpha0) lets the same counts speak louder.
    assert log_odds_dirichlet(ya, yb, prior, alpha0=5)[2][1] > z[1]


def test_token_pattern_keeps_words_not_numbers():
    text = "Pakistan's F-16 deal of 2021 with the US; co-operation (SCO) and x."
    tokens = re.findall(TOKEN_PATTERN, text.lower())
    assert tokens == [
        "pakistan",
        "f-16",
        "deal",
        "of",
        "with",
        "the",
        "us",
        "co-operation",
        "sco",
        "and",
    ]


def test_keyness_on_the_seed_articles(seed_corpus_dir):
    """Real text: the blog's 'Bharat' for India is a word no other outlet type uses."""
    raw = sorted((seed_corpus_dir / "raw").glob("*.txt"))
    # Outlet types as documented in the seed README (file 000 is the blog).
    types = ["blog", "US opinion site"] + ["Pakistani policy magazine"] * (len(raw) - 2)
    articles = pd.DataFrame(
        {
            "article_id": [p.stem for p in raw],
            "outlet_type": types,
            "text": [p.read_text(encoding="utf-8") for p in raw],
        }
    )
    out = keyness(articles, group="outlet_type")
    blog = out[out["group_a"] == "blog"].set_index("term")
    assert blog.loc["bharat", "count_b"] == 0
    assert blog.loc["bharat", "z"] > 1.0
    assert blog["note"].str.contains("n=1").all()  # one article: flagged
    # Stop words are gone and every comparison is against the rest.
    assert not out["term"].isin(["the", "and", "of"]).any()
    assert set(out["group_b"]) == {"rest"}
    top = keyness(articles, group="outlet_type", top_k=5)
    assert top.groupby("group_a").size().eq(5).all()
    assert (top.groupby("group_a")["z"].apply(lambda z: z.is_monotonic_decreasing)).all()


def test_reference_corpus(tiny):
    reference = ["Oil prices and trade dominate the news.", "Trade, oil and talks."] * 5
    out = keyness(tiny, group="outlet", comparison="reference", reference=reference, min_count=1)
    assert set(out["group_b"]) == {"reference"}
    a = out[out["group_a"] == "A"].set_index("term")
    assert a.loc["sanctions", "z"] > 0 > a.loc["news", "z"]
    as_prior = keyness(tiny, group="outlet", prior="reference", reference=reference, min_count=1)
    assert set(as_prior["group_b"]) == {"rest"}
    with pytest.raises(InputError, match="needs a reference corpus"):
        keyness(tiny, group="outlet", comparison="reference")
    with pytest.raises(InputError, match="two outlet values"):
        keyness(tiny[tiny["outlet"] == "A"], group="outlet")

"""Scorers are found by name: the built-in ones, and those other packages declare as plug-ins."""

from __future__ import annotations

import importlib.metadata
import sys

import pytest

from framelens.errors import InputError
from framelens.scorers import base

PLUGIN = """
from framelens.scorers.base import StanceScorer, register_scorer


@register_scorer("stance", "always_favor")
class AlwaysFavor(StanceScorer):
    def score_spans(self, items):
        import pandas as pd

        return pd.DataFrame(
            {"score": 1.0, "label": "favor", "confidence": 1.0}, index=items.index
        )
"""


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """A package outside framelens that declares one scorer in the entry-point group."""
    (tmp_path / "my_scorers.py").write_text(PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path))
    points = importlib.metadata.EntryPoints(
        [importlib.metadata.EntryPoint("always_favor", "my_scorers", base.ENTRY_POINT_GROUP)]
    )
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group=None: points)
    monkeypatch.setattr(base, "_loaded", False)
    yield
    base._REGISTRY["stance"].pop("always_favor", None)
    sys.modules.pop("my_scorers", None)
    base._loaded = False


def test_a_plugin_scorer_is_found_by_name(plugin, seed_tables):
    from framelens import build_scorer, find_mentions, load_codebook

    assert "always_favor" in base.available_scorers("stance")
    codebook = load_codebook()
    mentions = find_mentions(seed_tables.sentences, codebook)
    stance = build_scorer("stance", "always_favor", codebook).score_stance(
        seed_tables.sentences, mentions
    )
    assert len(stance) > 0 and (stance["label"] == "favor").all()


def test_a_broken_plugin_is_an_error_naming_it(tmp_path, monkeypatch):
    points = importlib.metadata.EntryPoints(
        [importlib.metadata.EntryPoint("broken", "no_such_module_xyz", base.ENTRY_POINT_GROUP)]
    )
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group=None: points)
    monkeypatch.setattr(base, "_loaded", False)
    with pytest.raises(InputError, match="'broken'.*no_such_module_xyz"):
        base.available_scorers("stance")
    base._loaded = False


def test_an_unknown_scorer_lists_the_known_ones():
    with pytest.raises(InputError, match="known stance scorers: .*lexicon"):
        base.get_scorer("stance", "no_such_scorer")

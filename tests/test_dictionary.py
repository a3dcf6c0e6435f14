"""The dictionary frame scorer: stemmed seed-term counts, length-normalised and saturating."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from framelens.codebook import Codebook, Frame, load_codebook
from framelens.errors import InputError
from framelens.scorers import available_scorers, get_scorer
from framelens.scorers.dictionary import DictionaryFrameScorer
from framelens.tables import check_columns

# Real sentences of the seed articles 004 (energy deal) and 002 (military equipment).
TRADE = (
    "Russia and Pakistan are negotiating on potential energy deals worth of $10 billion, "
    "Pakistan’s energy officials told on March 6, 2018."
)
MILITARY = (
    "He has also highlighted Russia’s desire to offer Pakistan special military equipment "
    "and help with its counter-terrorism efforts."
)


def one_frame_codebook(*terms: str) -> Codebook:
    frame = Frame(name="energy", label="Energy", definition="Energy.", seed_terms=terms)
    return Codebook(name="test", version="1", targets={}, frames={"energy": frame})


def test_frames_come_from_the_codebook():
    assert "dictionary" in available_scorers("frame")
    scorer = get_scorer("frame", "dictionary")
    assert scorer.frame_names() == list(load_codebook().frames)
    custom = DictionaryFrameScorer(codebook=one_frame_codebook("oil"))
    assert custom.frame_names() == ["energy"]


def test_trade_sentence_is_geo_economic_and_military_sentence_is_security():
    scorer = DictionaryFrameScorer()
    names = scorer.frame_names()
    geo, security = names.index("geo_economic"), names.index("security")
    trade, military = scorer.score_texts([TRADE, MILITARY])
    assert trade[geo] > military[geo]
    assert military[security] > trade[security]
    assert trade[geo] >= 0.5 and military[security] >= 0.5


def test_stemming_phrases_and_prefixes():
    scorer = DictionaryFrameScorer(
        codebook=one_frame_codebook("gas pipeline", "pipeline", "gas", "econom*")
    )
    hits, n_words = scorer.hit_counts(
        [
            "The gas pipeline was delayed.",  # one phrase, not three terms
            "Both pipelines carry gas to the economy.",  # plural stems, and a prefix
            "Gasoline prices rose.",  # "gas" is a whole word, not a prefix
        ]
    )
    assert hits[:, 0].tolist() == [1, 3, 0]
    assert n_words.tolist() == [5, 7, 3]


def _walk_every_word(words, stemmed, terms) -> int:
    """Leftmost-longest term matches found by trying every word in turn (what count_hits did
    before it tried only the words where a term can start), for comparison."""
    hits, i = 0, 0
    while i < len(stemmed):
        candidates = list(terms.get(stemmed[i], []))
        candidates += [t for t in terms.get("*", []) if words[i].startswith(t[0][0])]
        length = 0
        for parts, prefix in sorted(candidates, key=lambda t: -len(t[0])):
            k = len(parts)
            if i + k > len(stemmed) or tuple(stemmed[i : i + k - 1]) != parts[:-1]:
                continue
            last = words[i + k - 1]
            if last.startswith(parts[-1]) if prefix else stemmed[i + k - 1] == parts[-1]:
                length = k
                break
        hits += length > 0
        i += max(length, 1)
    return hits


def test_hits_where_terms_can_start_equal_a_walk_over_every_word(seed_tables):
    from framelens.scorers.dictionary import _WORD, count_hits, stem

    # Overlapping phrases, prefixes and phrases that start with a prefix's word.
    scorer = DictionaryFrameScorer(
        codebook=one_frame_codebook(
            "gas pipeline", "pipeline", "gas", "econom*", "economic corridor", "energy deal*"
        )
    )
    written = [
        "The economic corridor and a gas pipeline pipeline gas: economies, energy dealers.",
        "Gas gas pipeline economic economic corridor corridor",
    ]
    texts = written + seed_tables.sentences["text"].tolist()
    (terms,) = scorer._terms()
    expected = []
    for text in texts:
        words = [w.lower() for w in _WORD.findall(text)]
        stemmed = [stem(w) for w in words]
        expected.append(_walk_every_word(words, stemmed, terms))
        assert count_hits(words, stemmed, terms) == expected[-1], text
    hits, _ = scorer.hit_counts(texts)
    assert hits[:, 0].tolist() == expected
    assert expected[:2] == [6, 4]
    assert sum(expected[2:]) > 20  # the seed articles (energy deals, pipelines) hold them too


def test_transform_is_length_normalised_and_saturating():
    scorer = DictionaryFrameScorer(codebook=one_frame_codebook("oil"), reference_length=25)
    filler = " ".join(["word"] * 24)
    one_hit = scorer.score_texts([f"oil {filler}"])[0, 0]
    assert one_hit == pytest.approx(0.5)  # one hit in a sentence of reference length
    two_hits = scorer.score_texts([f"oil oil {' '.join(['word'] * 23)}"])[0, 0]
    assert two_hits == pytest.approx(0.75)
    longer = scorer.score_texts([f"oil {filler} {filler}"])[0, 0]
    assert 0 < longer < one_hit
    assert scorer.score_texts(["", "no term here"]).tolist() == [[0.0], [0.0]]


def test_frames_table_from_seed_sentences(seed_tables):
    sentences = seed_tables.sentences
    frames = DictionaryFrameScorer().score_frames(sentences)
    check_columns(frames, "frames")
    assert len(frames) == len(sentences) * 3
    assert frames["score"].between(0, 1).all()
    assert set(frames["scorer"]) == {"dictionary"}


def test_frac_security_sentences_score_higher(shared_data_dir):
    # FrAC (Guida et al. 2025): MFC frame 8 is "Security & defense".
    import pandas as pd

    frac = pd.read_csv(shared_data_dir / "frac_frames" / "gold_standard_single_label_all.csv")
    scorer = DictionaryFrameScorer()
    scores = scorer.score_texts(frac["sentence"].tolist())[
        :, scorer.frame_names().index("security")
    ]
    assert roc_auc_score(frac["label"] == 8, scores) > 0.7
    assert np.mean(scores[frac["label"] == 8]) > np.mean(scores[frac["label"] != 8])


def test_frame_without_seed_terms_is_an_input_error():
    scorer = DictionaryFrameScorer(codebook=one_frame_codebook())
    with pytest.raises(InputError, match="energy have no seed terms"):
        scorer.score_texts(["Oil prices rose."])


def test_ascii_words_are_the_words_of_the_unicode_pattern():
    from framelens.scorers.dictionary import _ASCII_WORD, _WORD, _WORDS_SEPARATED

    # Underscores, digits, inner and outer apostrophes, and the punctuation between words.
    text = "snake_case it's rock'n'roll 3rd O'Neil's 'quoted' x__y 2024-25 U.S. don't'"
    assert text.isascii()
    assert _ASCII_WORD.findall(text) == _WORD.findall(text)
    # Texts counted together: the lower-cased words, and the separator between two texts.
    together = _WORDS_SEPARATED.findall((text + "\u00a7" + text).lower())
    lowered = [w.lower() for w in _WORD.findall(text)]
    assert together == lowered + ["\u00a7"] + lowered
    assert _WORD.findall(text)[:4] == ["snake", "case", "it's", "rock'n"]
    # A sentence with a curly apostrophe is not ASCII and is read by the Unicode pattern.
    scorer = DictionaryFrameScorer(codebook=one_frame_codebook("energy official"))
    hits, n_words = scorer.hit_counts([TRADE, TRADE.replace("’", "'")])
    assert hits[:, 0].tolist() == [1, 1] and n_words.tolist() == [21, 21]


def test_sentences_counted_together_equal_each_sentence_walked_word_by_word(seed_tables):
    from framelens.scorers.dictionary import _WORD, stem

    # The shipped codebook's frames (phrases that share first words, prefixes) on the seed
    # sentences, and written edge cases: a phrase split across two sentences is no hit, case,
    # empty and word-less texts, a non-ASCII text and one holding the batch's own separator.
    scorer = DictionaryFrameScorer()
    written = [
        "We argued about free trade",
        "agreement after agreement, then the FREE TRADE AGREEMENT and military aid.",
        "",
        "... 2024 ...",
        "Militärische Hilfe: military aid, armed forces § trade deal",
        "§",
        "Economic corridor; ECONOMIES; terrorists' jihad",
    ]
    texts = written + seed_tables.sentences["text"].tolist()
    hits, n_words = scorer.hit_counts(texts)
    for j, terms in enumerate(scorer._terms()):
        expected = []
        for text in texts:
            words = [w.lower() for w in _WORD.findall(text)]
            expected.append(_walk_every_word(words, [stem(w) for w in words], terms))
        assert hits[:, j].tolist() == expected, scorer.frame_names()[j]
    assert n_words.tolist() == [len(_WORD.findall(text)) for text in texts]
    assert n_words[:7].tolist() == [5, 11, 0, 1, 8, 0, 5]
    # free trade | free trade agreement, military aid | none | none | military aid, armed
    # forces, trade deal | none | economic corridor, economies, terrorists, jihad
    geo_security = [[1, 0], [1, 1], [0, 0], [0, 0], [1, 2], [0, 0], [2, 2]]
    assert hits[:7, :2].tolist() == geo_security
    assert hits.sum() > 40  # the seed articles hold many


def test_many_frames_are_counted_one_sentence_at_a_time_alike():
    from framelens.scorers.dictionary import _MOST_FRAMES

    # More frames than one word's code holds roles for: every sentence is walked instead.
    frames = {
        f"f{k}": Frame(name=f"f{k}", label="F", definition="F.", seed_terms=("gas pipeline", "oil"))
        for k in range(_MOST_FRAMES + 1)
    }
    many = DictionaryFrameScorer(
        codebook=Codebook(name="t", version="1", targets={}, frames=frames)
    )
    one = DictionaryFrameScorer(codebook=one_frame_codebook("gas pipeline", "oil"))
    texts = ["Oil and gas pipelines: the gas pipeline carries oil.", "", "No term."]
    hits, n_words = many.hit_counts(texts)
    expected, expected_words = one.hit_counts(texts)
    assert hits.shape == (3, _MOST_FRAMES + 1)
    assert (hits == expected).all() and n_words.tolist() == expected_words.tolist()
    assert expected[:, 0].tolist() == [4, 0, 0]  # oil, gas pipelines, gas pipeline, oil


def test_punctuation_counted_with_ascii_text_is_no_word_and_kept_by_lower():
    from framelens.scorers.dictionary import _PUNCTUATION, _SEPARATOR, _WORD, _WORDS_SEPARATED

    for char in _PUNCTUATION:
        assert not char.isascii() and char.lower() == char and char != _SEPARATOR
        assert _WORD.findall(f"a{char}b") == (["a’b"] if char == "’" else ["a", "b"])
    text = "The “free trade” deal — Russia’s oil at £60 … • 2024–25 − Putin’s ‘aid’"
    lowered = [w.lower() for w in _WORD.findall(text)]
    assert _WORDS_SEPARATED.findall((text + _SEPARATOR + text).lower()) == [
        *lowered,
        _SEPARATOR,
        *lowered,
    ]
    assert lowered[:6] == ["the", "free", "trade", "deal", "russia’s", "oil"]


def test_words_split_from_translated_bytes_are_the_words_of_the_pattern():
    import random

    from framelens.scorers.dictionary import (
        _PUNCTUATION,
        _SEPARATOR,
        _WORDS_SEPARATED,
        _separated_words,
    )

    def pattern_words(texts):
        return _WORDS_SEPARATED.findall(_SEPARATOR.join(texts).lower())

    # Apostrophes alone, inner, doubled and chained ("O'Neil's": two words), of both kinds,
    # at the ends of texts; every ASCII character; the punctuation between words.
    written = [
        "O'Neil's rock'n'roll ''x'' 'quoted' y'’z don’t’ ’tis a’b'c'd'e Russia’s",
        "end'",
        "’",
        "",
        "U.S. 2024-25 snake_case",
    ]
    written += [f"a{chr(c)}B{chr(c)}'c" for c in range(128)] + [f"x{c}Y" for c in _PUNCTUATION]
    assert _separated_words(written) == pattern_words(written)
    assert _separated_words(written[:1])[:5] == ["o'neil", "s", "rock'n", "roll", "x"]
    rng = random.Random(12)
    alphabet = ["a", "B", "9", " ", "'", "'", "’", "’", ".", "_", "\n", "\x00", *_PUNCTUATION]
    for _ in range(3000):
        texts = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
            for _ in range(rng.randint(1, 4))
        ]
        assert _separated_words(texts) == pattern_words(texts), texts


def _frames_by_pandas(scorer, sentences):
    """The frames table as pandas builds it: a wide table melted, then sorted stably."""
    import pandas as pd

    names = scorer.frame_names()
    scores = np.asarray(scorer.score_texts(sentences["text"].tolist()), dtype=float)
    wide = pd.DataFrame(np.clip(scores.reshape(len(sentences), len(names)), 0, 1), columns=names)
    wide["article_id"] = sentences["article_id"].to_numpy()
    wide["sent_id"] = sentences["sent_id"].to_numpy()
    long = wide.melt(["article_id", "sent_id"], var_name="frame", value_name="score")
    long["scorer"] = scorer.name
    long = long.sort_values(["article_id", "sent_id", "frame"], kind="stable")
    return long[["article_id", "sent_id", "frame", "scorer", "score"]].reset_index(drop=True)


def test_frames_table_is_ordered_and_typed_as_a_melted_and_sorted_wide_table(seed_tables):
    import pandas as pd

    # Shuffled rows, repeated (article, sentence) keys, missing, numeric and object ids, and
    # no rows at all: the rows, their order and every column's type are pandas' own.
    scorer = DictionaryFrameScorer()
    sentences = seed_tables.sentences.sample(frac=1, random_state=3).reset_index(drop=True)
    missing = sentences.copy()
    missing.loc[::7, "article_id"] = np.nan
    variants = {
        "shuffled": sentences,
        "repeated": pd.concat([sentences.iloc[:20], sentences.iloc[:20]], ignore_index=True),
        "missing": missing,
        "numeric": sentences.assign(article_id=sentences["sent_id"] % 4),
        "objects": sentences.assign(article_id=sentences["article_id"].astype(object)),
        "empty": sentences.iloc[:0],
    }
    for name, table in variants.items():
        expected, frames = _frames_by_pandas(scorer, table), scorer.score_frames(table)
        pd.testing.assert_frame_equal(frames, expected, check_exact=True, obj=name)
        assert frames.dtypes.tolist() == expected.dtypes.tolist(), name

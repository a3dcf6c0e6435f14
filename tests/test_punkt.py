"""framelens' Punkt gives NLTK Punkt's answers, period by period, on real and awkward text."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
from nltk.tokenize import punkt as nltk_punkt

from framelens.text import punkt
from framelens.text.segment import train_punkt

# Periods that take Punkt's rarer branches: initials, ordinals and numbers, ellipses, learned
# abbreviations, collocations, closing punctuation, punctuation-only "words", line breaks.
AWKWARD = [
    "J. S. Bach wrote it. He was 65. The end came on Jan. 5. Then what?",
    "It rose 3.5 per cent. in 2023. 4. The third item. iv. The fourth.",
    "Wait... and then... Nothing. Really?! Yes. (He left.) She stayed.",
    "Mr. Smith met Dr. Jones at 5 p.m. on Sept. 13. They talked.",
    "The U.S. Congress and the U.S. House met. The U.S.A. did too.",
    "Gen. Bajwa said: 'No. 7 is next.' Then he left. etc. And more. See No. 7 and p. 55 here.",
    "A line ends here.\nA new line starts. And a paragraph.\n\nAnother one.",
    "He said . . . nothing. The e.g. clause, i.e. this. v. that. Ltd. Co. Inc. Shares rose.",
    "1. First. 2. Second. a. Alpha. b. Beta. M. A. Siddiqui wrote. x.y.z. end.",
    "Prices fell.“Quoted.” (Bracketed.) [Squared.] {Curly.} ,comma. ;semi. :colon.",
]


def _reference(tokenizer) -> nltk_punkt.PunktSentenceTokenizer:
    """NLTK's own tokenizer on a copy of the same parameters (and the same patterns)."""
    return nltk_punkt.PunktSentenceTokenizer(
        copy.deepcopy(tokenizer._params), lang_vars=punkt.LanguageVars(), token_cls=punkt.Token
    )


def _assert_same_as_nltk(tokenizer, texts: list[str]) -> int:
    """Compare every candidate period's decision and every text's spans; return the count."""
    reference = _reference(tokenizer)
    decided = 0
    for text in texts:
        for _, context in reference._match_potential_end_contexts(text):
            expected = nltk_punkt.PunktSentenceTokenizer.text_contains_sentbreak(reference, context)
            assert tokenizer.text_contains_sentbreak(context) == expected, context
            decided += 1
        assert list(tokenizer.span_tokenize(text)) == list(reference.span_tokenize(text))
    # Reading the orthographic context adds entries to NLTK's defaultdict: the same ones here.
    assert dict(tokenizer._params.ortho_context) == dict(reference._params.ortho_context)
    return decided


def test_every_period_of_the_seed_corpus_is_decided_as_nltk_decides_it(seed_tables):
    texts = seed_tables.articles["text"].tolist()
    tokenizer = train_punkt(texts)
    assert isinstance(tokenizer, punkt.SentenceTokenizer)
    assert _assert_same_as_nltk(tokenizer, texts + AWKWARD) > 200


@pytest.mark.parametrize("training", ["", AWKWARD[0], " ".join(AWKWARD)])
def test_awkward_periods_are_decided_as_nltk_decides_them(training):
    # An untrained, a barely trained and a trained tokenizer take different branches.
    tokenizer = punkt.tokenizer(_reference(train_punkt([training]))._params)
    assert _assert_same_as_nltk(tokenizer, AWKWARD) > 60


def test_the_word_memo_is_bounded_and_starting_it_again_changes_nothing(seed_tables, monkeypatch):
    monkeypatch.setattr(punkt.SentenceTokenizer, "MAX_WORDS", 5)
    texts = seed_tables.articles["text"].tolist()[:2]
    tokenizer = train_punkt(texts)
    _assert_same_as_nltk(tokenizer, texts + AWKWARD)
    assert len(tokenizer._facts) <= 5


def test_every_period_of_real_news_is_decided_as_nltk_decides_it(shared_data_dir):
    table = pd.read_csv(shared_data_dir / "narrative_frames" / "articles_metadata.tsv", sep="\t")
    texts = table["text"].dropna().tolist()
    tokenizer = train_punkt(texts)
    assert _assert_same_as_nltk(tokenizer, texts) > 10_000


def _assert_learns_what_nltk_learns(*texts: str) -> None:
    """framelens' trainer and NLTK's own (default classes) learn the same from ``texts``.

    Each text is a separate ``train`` call (the data add up), as train_punkt makes one and
    finalizes after it. Beyond the parameters, the counts behind them and the order of the
    orthographic table are compared too.
    """
    ours, theirs = punkt.trainer(), nltk_punkt.PunktTrainer()
    assert isinstance(ours, punkt.Trainer)
    for text in texts:
        ours.train(text, finalize=False)
        theirs.train(text, finalize=False)
    ours.finalize_training()
    theirs.finalize_training()
    learned, expected = ours.get_params(), theirs.get_params()
    assert learned.abbrev_types == expected.abbrev_types
    assert learned.collocations == expected.collocations
    assert learned.sent_starters == expected.sent_starters
    assert list(learned.ortho_context.items()) == list(expected.ortho_context.items())
    assert list(ours._type_fdist.items()) == list(theirs._type_fdist.items())
    assert ours._num_period_toks == theirs._num_period_toks
    assert ours._sentbreak_count == theirs._sentbreak_count
    assert list(ours._collocation_fdist.items()) == list(theirs._collocation_fdist.items())
    assert list(ours._sent_starter_fdist.items()) == list(theirs._sent_starter_fdist.items())


def test_training_learns_what_nltk_learns(seed_tables):
    texts = seed_tables.articles["text"].tolist() + AWKWARD
    _assert_learns_what_nltk_learns("\n\n".join(texts))
    learned = punkt.trainer()
    learned.train("\n\n".join(texts))
    params = learned.get_params()
    assert params.abbrev_types and params.sent_starters and params.ortho_context


@pytest.mark.parametrize(
    "texts",
    [
        [""],
        ["\n\n \n"],
        ["x."],
        AWKWARD,
        ["\n".join(AWKWARD), " \n\n".join(AWKWARD) + "\n\n"],
        ["J. S. Bach.\n\n  \nHe. Said", "1. First.\n2. Second,\n\nend"],
    ],
)
def test_awkward_training_learns_what_nltk_learns(texts):
    _assert_learns_what_nltk_learns(*texts)


def test_training_on_real_news_learns_what_nltk_learns(shared_data_dir):
    articles = pd.read_csv(shared_data_dir / "narrative_frames" / "articles_metadata.tsv", sep="\t")
    texts = articles["text"].dropna().tolist()
    _assert_learns_what_nltk_learns("\n\n".join(texts))
    # Two calls that add up, and paragraphs as lines (NLTK's line starts, no paragraph starts).
    _assert_learns_what_nltk_learns("\n".join(texts[::2]), "\n\n".join(texts[1::2]))
    # NewsMTSC: news sentences from other outlets, one paragraph each (many line starts).
    rows = pd.read_json(shared_data_dir / "newsmtsc" / "train.jsonl", lines=True)
    sentences = rows["sentence_normalized"].tolist()
    _assert_learns_what_nltk_learns("\n\n".join(sentences), " ".join(sentences[:2000]))

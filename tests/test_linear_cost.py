"""The cost of an article is linear in its length, whatever its shape.

Scraped text often arrives as one long line, and pages repeat lines: a rule that rereads its
line for every sentence or mention, or compares every sentence with every other, turns a 4 MB
page into minutes. Here one article on one line goes through the whole flow (clean, Punkt,
sentences, mentions, lexicon stance, dictionary frames, article scores) at two lengths, 4x
apart; the longer must cost under 6x the CPU time (quadratic would be 16x). Each length is
timed twice and the faster run kept, so a busy machine does not fail the test. Reading a
corpus in batches must likewise cost time linear in its number of articles.
"""

from __future__ import annotations

import random
import time

import pandas as pd
import pytest

from framelens.analysis.aggregate import article_scores
from framelens.codebook import load_codebook
from framelens.scorers.build import build_scorer
from framelens.text.clean import _KeptSentences, _near_copy, _normalise, clean_articles
from framelens.text.mentions import find_mentions
from framelens.text.segment import segment_articles, train_punkt

_SUBJECTS = ("Russia", "The United States", "India", "China", "Officials in Moscow", "Beijing")
_VERBS = ("praised", "criticised", "welcomed", "condemned", "discussed", "rejected")
_OBJECTS = ("the trade deal", "the pipeline project", "the security talks", "the new sanctions")


def _article(shape: str, n: int) -> str:
    """One line of ``n`` sentences: all different, one repeated, or clauses with no full stop."""
    rng = random.Random(0)
    if shape == "repeated":
        return " ".join(["Russia is a reliable partner."] * n)
    clauses = [
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}" for _ in range(n)
    ]
    if shape == "run-on":
        return ", ".join(clauses)
    return " ".join(f"{clause} on day {i} of the talks." for i, clause in enumerate(clauses))


def _flow(text: str) -> dict[str, pd.DataFrame]:
    codebook = load_codebook()
    articles = pd.DataFrame({"article_id": ["a"], "outlet": ["o"], "title": [""], "text": [text]})
    cleaned = clean_articles(articles)
    sentences = segment_articles(cleaned.articles, train_punkt(cleaned.articles["text"]))
    mentions = find_mentions(sentences, codebook)
    stance = build_scorer("stance", "lexicon", codebook).score_stance(sentences, mentions)
    frames = build_scorer("frame", "dictionary", codebook).score_frames(sentences)
    scores = article_scores(stance, frames, sentences, mentions)
    return {
        "removed": cleaned.removed,
        "sentences": sentences,
        "mentions": mentions,
        "scores": scores,
    }


def _cpu_seconds(text: str) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        _flow(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.fixture(scope="module", autouse=True)
def _warm():
    _flow(_article("distinct", 20))  # compile the codebook's and the scorers' patterns once


@pytest.mark.parametrize("shape", ["distinct", "repeated", "run-on"])
def test_four_times_the_length_costs_under_six_times_the_time(shape):
    short, long = _cpu_seconds(_article(shape, 400)), _cpu_seconds(_article(shape, 1600))
    assert long < 6 * short, f"{shape}: 400 sentences {short:.2f} s, 1,600 {long:.2f} s"


def test_cleaning_four_times_the_sentences_costs_under_six_times_the_time():
    # Each sentence is checked against the earlier ones for copies: by an index, not pairwise.
    def seconds(n):
        text = _article("distinct", n)
        articles = pd.DataFrame(
            {"article_id": ["a"], "outlet": [""], "title": [""], "text": [text]}
        )
        best = float("inf")
        for _ in range(2):
            start = time.process_time()
            clean_articles(articles)
            best = min(best, time.process_time() - start)
        return best

    short, long = seconds(1000), seconds(4000)
    assert long < 6 * short, f"1,000 sentences {short:.2f} s, 4,000 {long:.2f} s"


def test_copy_index_finds_what_pairwise_comparison_finds():
    # Past 100 sentences copies are found through an index of word runs; it must find exactly
    # the copies that comparing every pair finds: shortened, extended and repeated sentences.
    rng = random.Random(3)
    base = [_normalise(s) for s in _article("distinct", 60).split(". ")]
    sequence = []
    for _ in range(600):
        s = rng.choice(base)
        cut = rng.random()
        if cut < 0.25:
            s = s[: int(len(s) * rng.uniform(0.7, 1.0))]
        elif cut < 0.5:
            s = s[int(len(s) * rng.uniform(0.0, 0.3)) :]
        elif cut < 0.6:
            s = f"officials said {s}"
        elif cut < 0.7:
            s = " ".join([s] * rng.randint(2, 9))  # long: compared with the long ones
        sequence.append(_normalise(s))
    pairwise, indexed = _KeptSentences(), _KeptSentences()
    pairwise.PAIRWISE = len(sequence)
    indexed.PAIRWISE = 0
    indexed.LONG_CHARS = 150  # and the long ones are compared among themselves
    verdicts, kept = [], []
    for sentence in sequence:
        verdict = pairwise.has_copy(sentence)
        # Pairwise comparison looks only at sentences of a length that can qualify.
        assert verdict == any(_near_copy(sentence, old) for old in kept), sentence
        assert indexed.has_copy(sentence) == verdict, sentence
        verdicts.append(verdict)
        if not verdict:
            pairwise.add(sentence)
            indexed.add(sentence)
            kept.append(sentence)
    assert 0.1 < sum(verdicts) / len(verdicts) < 0.95  # both kinds of verdict were put to it


def test_a_copy_with_80_percent_of_the_length_is_found_and_one_shorter_is_not():
    kept = _KeptSentences()
    kept.add("the minister said the talks would resume")  # 40 characters
    assert kept.has_copy("the minister said the talks woul")  # 32 = 80 %: inside it
    assert not kept.has_copy("the minister said the talks wou")  # 31: too short
    assert kept.has_copy("the minister said the talks would resume on monday")  # 50: it is inside
    assert not kept.has_copy("the minister said the talks would resume on mondays")  # 51


def test_long_lines_keep_every_sentence_and_mention():
    # What the timing test runs is the real flow: nothing is skipped to be fast.
    distinct = _flow(_article("distinct", 300))
    assert distinct["removed"].empty  # different sentences: none is a copy
    assert len(distinct["sentences"]) == 300
    repeated = _flow(_article("repeated", 300))
    assert len(repeated["sentences"]) == 300  # five words: too short to be cut as a copy
    assert (repeated["mentions"]["target"] == "russia").sum() == 300
    run_on = _flow(_article("run-on", 300))
    assert len(run_on["sentences"]) == 1
    assert len(run_on["mentions"]) >= 300  # a mention in every clause (some name two)
    assert set(run_on["scores"]["kind"]) == {"stance", "frame"}


def _read_ids(tmp_path, n: int) -> float:
    """CPU seconds to read ``n`` one-word records in batches of 10 (ids checked across batches)."""
    from framelens.text.stream import BatchReader

    path = tmp_path / f"records_{n}.jsonl"
    path.write_text("".join(f'{{"article_id": "id-{i}", "text": "word"}}\n' for i in range(n)))
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        batches = list(BatchReader(path, 10, False, 50).raw_batches(quiet=True))
        best = min(best, time.process_time() - start)
    assert sum(len(raw) for raw, _ in batches) == n
    return best


def test_reading_four_times_the_articles_costs_under_six_times_the_time(tmp_path):
    # Each batch's ids are checked against every earlier batch's: by set look-ups, not by
    # converting all the ids seen so far for each batch.
    short, long = _read_ids(tmp_path, 1000), _read_ids(tmp_path, 4000)
    assert long < 6 * short, f"1,000 records {short:.2f} s, 4,000 {long:.2f} s"


def _score_copies(n: int) -> float:
    """CPU seconds to score one contrastive sentence that recurs ``n`` times (two targets)."""
    text = "Russia praised India for its restraint, but China condemned the new sanctions."
    items = pd.DataFrame(
        {
            "text": [text] * (2 * n),
            "spans": [[(0, 6)], [(15, 20)]] * n,
            "target": ["russia", "india"] * n,
        }
    )
    scorer = build_scorer("stance", "lexicon", load_codebook())
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        scores = scorer.score_spans(items)
        best = min(best, time.process_time() - start)
    # Every copy is read as one sentence alone: the other copies change nothing.
    alone = scorer.score_spans(items.iloc[:2])["score"].tolist()
    assert scores["score"].tolist() == alone * n
    return best


def test_a_sentence_recurring_four_times_as_often_costs_under_six_times_the_time():
    # Items of one text are each other's other actors: counted once per text, not re-read
    # for every copy (a sentence syndicated across a corpus recurs thousands of times).
    short, long = _score_copies(300), _score_copies(1200)
    assert long < 6 * short, f"300 copies {short:.2f} s, 1,200 {long:.2f} s"

"""HTML pages: every visible text block ends in the article, a comment, or a removed row."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from framelens.codebook import load_codebook
from framelens.text.html_blocks import account_blocks, visible_blocks
from framelens.text.ingest import ingest
from framelens.text.mentions import find_mentions

CASES = Path(__file__).parent / "cases"
_WORDS = re.compile(r"\w+")


def _words(text: str) -> str:
    return " " + " ".join(w.lower() for w in _WORDS.findall(text)) + " "


def _visible_text_nodes(html: str) -> list[str]:
    """Each text node of the page a reader sees, found without framelens' block code."""
    root = lxml.html.document_fromstring(html)
    skip = {"script", "style", "noscript", "template", "head", "title"}
    nodes = []
    for element in root.find("body").iter():
        if not isinstance(element.tag, str) or element.tag in skip:
            continue
        hidden = any(
            a.get("hidden") is not None or "none" in (a.get("style") or "")
            for a in [element, *element.iterancestors()]
        )
        parent_hidden = any(
            a.get("hidden") is not None or "none" in (a.get("style") or "")
            for a in element.iterancestors()
        )
        if element.text and element.text.strip() and not hidden:
            nodes.append(element.text.strip())
        if element.tail and element.tail.strip() and not parent_hidden:
            nodes.append(element.tail.strip())
    return [n for n in nodes if _WORDS.search(n)]


def _destinations(tables, article_id: str) -> dict[str, str]:
    article = tables.articles.set_index("article_id").loc[article_id]
    comments = tables.comments[tables.comments["article_id"] == article_id]
    removed = tables.removed[tables.removed["article_id"] == article_id]
    return {
        "article": _words(article["text"]),
        "comments": _words(" | ".join(comments["text"])),
        "removed": _words(" | ".join(removed["text"])),
    }


def _assert_every_node_is_accounted_for(html: str, tables, article_id: str) -> None:
    places = _destinations(tables, article_id)
    for node in _visible_text_nodes(html):
        found = [name for name, words in places.items() if _words(node) in words]
        assert found, f"visible text vanished: {node!r}"


@pytest.fixture(scope="module")
def details_case():
    return ingest(CASES / "details_comments")


@pytest.fixture(scope="module")
def news_page():
    return ingest(CASES / "news_page")


def test_comment_boxes_in_details_land_in_the_comments_table(details_case):
    comments = details_case.comments
    assert list(comments["origin"]) == ["html", "html"]
    assert "India is a terrible, corrupt neighbour" in comments["text"].iloc[0]
    assert "The United States is evil" in comments["text"].iloc[1]
    text = details_case.articles["text"].iloc[0]
    assert "corrupt neighbour" not in text and "evil" not in text
    # ... and so the readers' hostility is not scored as the outlet's.
    mentions = find_mentions(details_case.sentences, load_codebook(None))
    assert not {"india", "china", "us"} & set(mentions["target"].str.lower())


def test_the_rest_of_the_details_page_is_recorded_as_removed(details_case):
    removed = details_case.removed
    assert set(removed["reason"]) == {"html_boilerplate"}
    assert set(removed["text"]) == {"Home World", "Copyright 2024 Example News"}
    assert (removed["start"] == -1).all() and (removed["end"] == -1).all()
    _assert_every_node_is_accounted_for(
        (CASES / "details_comments" / "a1.html").read_text(), details_case, "A1"
    )


def test_a_news_page_keeps_its_table_and_closing_sentence(news_page):
    text = news_page.articles["text"].iloc[0]
    assert "| Crude oil | 750,000 tonnes | $420 million |" in text
    assert "| Wheat | 1.2 million tonnes | $310 million |" in text
    assert text.rstrip().endswith("India criticised the agreement.")
    last = news_page.sentences[news_page.sentences["text"] == "India criticised the agreement."]
    mentions = find_mentions(last, load_codebook(None))
    assert list(mentions["target"].str.lower()) == ["india"]


def test_every_visible_block_of_a_news_page_is_accounted_for(news_page):
    html = (CASES / "news_page" / "a1.html").read_text()
    _assert_every_node_is_accounted_for(html, news_page, "P1")
    removed = dict(zip(news_page.removed["text"], news_page.removed["reason"], strict=True))
    assert removed["Leave a Reply"] == "comment_form"
    assert removed["3 Comments"] == "comment_form"
    for furniture in (
        "Home > World > Asia",
        "A cargo ship at Karachi port. Photo: AFP",
        "About us",
    ):
        assert removed[furniture] == "html_boilerplate"
    assert "Russia offers Pakistan discounted oil" in removed
    comments = news_page.comments["text"].tolist()
    assert len(comments) == 3
    assert comments[2] == (
        "M. Aslam\nGood news for farmers but the oil will be too expensive to refine here."
    )
    # Hidden text is not page text: it is nowhere.
    everything = " ".join(
        [news_page.articles["text"].iloc[0], *news_page.removed["text"], *comments]
    )
    assert "Hidden tracking text" not in everything


def test_each_block_has_exactly_one_destination():
    html = (CASES / "news_page" / "a1.html").read_text()
    paragraph = (
        "Pakistan and Russia agreed on Tuesday to expand trade in wheat and fuel, with the first "
        "shipments of discounted Russian crude due to reach Karachi next month, the commerce "
        "ministry said."
    )
    blocks = account_blocks(html, paragraph)
    assert len(blocks) == len(visible_blocks(html))
    assert {b.where for b in blocks} == {"article", "comments", "removed"}
    assert all(bool(b.reason) == (b.where == "removed") for b in blocks)
    assert [b.text for b in blocks if b.where == "article"] == [paragraph]


def test_short_blocks_must_match_a_whole_line_of_the_text():
    html = (
        "<html><body><nav><a>Home</a></nav><p>Home prices in Karachi rose again.</p></body></html>"
    )
    blocks = account_blocks(html, "Home prices in Karachi rose again.")
    assert [(b.text, b.where) for b in blocks] == [
        ("Home", "removed"),
        ("Home prices in Karachi rose again.", "article"),
    ]

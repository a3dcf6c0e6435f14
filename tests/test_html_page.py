"""HTML pages: reader comments are found in the markup before extraction, whatever the
article's length, and the page's headline is the text's first line whatever the template."""

from __future__ import annotations

from pathlib import Path

import pytest

from framelens.codebook import load_codebook
from framelens.text.corpus import extract_html
from framelens.text.html_blocks import account_blocks, restore_block_breaks
from framelens.text.html_page import (
    comment_sections,
    page_headline,
    parse,
    with_headline,
)
from framelens.text.ingest import ingest
from framelens.text.mentions import find_mentions

CASES = Path(__file__).parent / "cases"

HEADLINE = "Pakistan and Russia agree on wheat barter"
PARAGRAPHS = [
    "Pakistan and Russia agreed on Tuesday to swap Pakistani rice for Russian wheat, the food "
    "ministry said in Islamabad.",
    "The first cargo is expected at Port Qasim in April, officials added after the signing.",
    "Analysts in Karachi said the barter would spare the country's thin foreign currency reserves.",
]
COMMENT = "The United States has betrayed Pakistan again and again, and this deal is the answer."

#: How common comment systems mark up one reader comment ({c} is its text).
COMMENT_SYSTEMS = {
    "details box": '<details class="CommentBox"><summary>Comment by imran_k</summary>'
    "<p>{c}</p></details>",
    "details, no class": "<details><summary>Reader comment</summary><p>{c}</p></details>",
    "wordpress": '<div id="comments" class="comments-area"><h2 class="comments-title">One '
    'thought on "Wheat barter"</h2><ol class="comment-list"><li id="comment-7" '
    'class="comment even depth-1"><article id="div-comment-7" class="comment-body">'
    '<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">imran_k</b> '
    '<span class="says">says:</span></div></footer><div class="comment-content"><p>{c}</p>'
    '</div><div class="reply"><a class="comment-reply-link" href="#">Reply</a></div>'
    "</article></li></ol></div>",
    "disqus": '<div id="disqus_thread"><ul id="post-list" class="post-list"><li class="post">'
    '<div class="post-content"><div class="post-body"><div class="post-message"><p>{c}</p>'
    "</div></div></div></li></ul></div>",
    "disqus, bare": '<div id="disqus_thread"><div class="post"><div class="post-body">{c}'
    "</div></div></div>",
    "facebook": '<div class="fb-comments"><div class="fb-comment"><p>{c}</p></div></div>',
    "livefyre": '<div id="livefyre-comments"><article class="fyre-comment-article">'
    '<div class="fyre-comment"><p>{c}</p></div></article></div>',
    "coral": '<div id="coral_thread"><div class="coral-comment"><div class="coral-content">'
    "{c}</div></div></div>",
    "talk stream": '<div class="talk-stream"><div class="talk-comment"><p>{c}</p></div></div>',
    "schema.org": '<div itemscope itemtype="https://schema.org/Comment"><span '
    'itemprop="author">imran_k</span><div itemprop="text"><p>{c}</p></div></div>',
    "aria role": '<div role="comment"><p>{c}</p></div>',
    "discussion": '<div class="discussion"><div class="entry"><p>{c}</p></div></div>',
    "talkback": '<div class="talkback"><div class="article-body"><p>{c}</p></div></div>',
    "section": '<section class="comments"><p>{c}</p></section>',
    "reader comments": '<div class="reader-comments"><blockquote class="comment">{c}'
    "</blockquote></div>",
    "heading": "<h3>Readers' comments</h3><ul><li><b>imran_k</b>: {c}</li></ul>",
}


def _page(n_paragraphs: int, comments: str, *, article_attrs: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:n_paragraphs])
    return (
        "<!DOCTYPE html><html><head><title>Wheat barter | Example Post</title></head><body>"
        '<header class="site-header"><a class="logo" href="/">Example Post</a>'
        '<nav><a href="/">Home</a> <a href="/world">World</a></nav></header>'
        f"<article{article_attrs}><h1>{HEADLINE}</h1>{paragraphs}</article>{comments}"
        "<footer><p>Copyright 2024 Example Post</p></footer></body></html>"
    )


@pytest.mark.parametrize("n_paragraphs", [1, 2, 3])
@pytest.mark.parametrize("system", sorted(COMMENT_SYSTEMS))
def test_comments_are_separated_whatever_the_article_length(system, n_paragraphs):
    page = _page(n_paragraphs, COMMENT_SYSTEMS[system].format(c=COMMENT))
    extracted = extract_html(page, source="page.html")
    assert extracted["text"].splitlines() == [HEADLINE, *PARAGRAPHS[:n_paragraphs]]
    assert len(extracted["comments"]) == 1
    assert COMMENT in extracted["comments"][0]["text"]
    assert not any(COMMENT in row["text"] for row in extracted["removed"])


def test_comments_inside_the_article_element_are_separated_too():
    inside = f'<div class="comment"><p class="comment-text">{COMMENT}</p></div>'
    page = _page(1, "").replace("</article>", inside + "</article>")
    extracted = extract_html(page, source="page.html")
    assert extracted["text"].splitlines() == [HEADLINE, PARAGRAPHS[0]]
    assert [c["text"] for c in extracted["comments"]] == [COMMENT]


def test_words_that_describe_a_widget_or_a_style_do_not_make_a_comment_section():
    # A comment counter and link in the byline, the page's "comments-open" state, an opinion
    # column styled "tone-comment" (its paragraphs are the article), a "no-comments" notice.
    page = (
        '<html><body class="single comments-open"><h1>' + HEADLINE + "</h1>"
        '<div class="meta"><span class="comments-link"><a href="#c">4 Comments</a></span>'
        '<div class="comment-count">4</div></div>'
        '<div class="content__main tonal__main--tone-comment">'
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + '</div><p class="no-comments">Comments are closed.</p></body></html>'
    )
    root = parse(page)
    assert comment_sections(root) == []
    extracted = extract_html(page, source="page.html")
    assert all(p in extracted["text"] for p in PARAGRAPHS)
    assert extracted["comments"] == []


def test_a_container_that_holds_the_headline_is_not_a_comment_section():
    page = _page(2, "", article_attrs="")
    page = page.replace("<article>", '<div class="comments-area"><article>').replace(
        "</article>", "</article></div>"
    )
    assert comment_sections(parse(page)) == []
    text = extract_html(page, source="page.html")["text"]
    assert text.splitlines() == [HEADLINE, *PARAGRAPHS[:2]]


def test_comment_section_chrome_goes_to_removed_and_a_short_comment_stays_a_comment():
    section = (
        '<section class="comments"><h2>Comments</h2><div class="comment"><p>The US is evil.</p>'
        '</div><div class="comment"><p>India objected, as usual.</p>'
        '<a class="reply" href="#">Reply</a></div></section>'
    )
    extracted = extract_html(_page(2, section), source="page.html")
    assert [c["text"] for c in extracted["comments"]] == [
        "The US is evil.",
        "India objected, as usual.",
    ]
    removed = {row["text"]: row["reason"] for row in extracted["removed"]}
    assert removed["Comments"] == "comment_form"
    assert removed["Reply"] == "comment_form"


def test_a_menu_word_is_not_a_comment_because_a_comment_uses_it():
    html = (
        '<html><body><nav><a href="/pk">Pakistan</a></nav><p>Pakistan and Russia signed the '
        "barter deal in Islamabad on Tuesday.</p></body></html>"
    )
    blocks = account_blocks(
        html,
        "Pakistan and Russia signed the barter deal in Islamabad on Tuesday.",
        comments="Pakistan should never trust Moscow.",
    )
    assert [(b.text, b.where, b.reason) for b in blocks][0] == (
        "Pakistan",
        "removed",
        "html_boilerplate",
    )


def test_invisible_characters_do_not_make_an_extracted_paragraph_look_removed():
    html = (
        "<html><body><article><h1>Ties</h1><p>Rus&shy;sia criticised the deal as a hostile "
        "step, the Kremlin said.</p><p>New&#8203;Delhi watched the talks closely, diplomats "
        "said on Monday.</p></article></body></html>"
    )
    extracted = extract_html(html, source="page.html")
    assert extracted["removed"] == []


# --------------------------------------------------------------------------- real pages
@pytest.fixture(scope="module")
def short_pages():
    return ingest(CASES / "short_pages")


def test_a_wordpress_post_of_one_paragraph(short_pages):
    article = short_pages.articles.set_index("article_id").loc["wp1"]
    # The entry title, not the site's name, is the first line; the byline trafilatura glued
    # onto the paragraph is split off and removed; the comments are not article text.
    assert article["text"].splitlines()[0] == "Why the gas deal with Moscow matters"
    assert article["text"].endswith("whatever the ministers claim on television.")
    assert "Lahore Notebook" not in article["text"] and "Hamid" not in article["text"]
    removed = short_pages.removed[short_pages.removed["article_id"] == "wp1"]
    reasons = dict(zip(removed["text"], removed["reason"], strict=True))
    assert reasons["Posted on 11 February 2024 2 Comments"] == "byline"
    assert reasons["Leave a Reply"] == "comment_form"
    assert reasons["Reply"] == "comment_form"
    assert reasons["Lahore Notebook"] == "html_boilerplate"
    comments = short_pages.comments[short_pages.comments["article_id"] == "wp1"]
    assert list(comments["text"]) == [
        "Hamid says:\n11 February 2024 at 9:04 pm\nChina and Russia are the only friends "
        "Pakistan has ever had; the Americans use us and leave.",
        "Saima says:\nIndia buys far more Russian gas than we ever will, so spare us the lecture.",
    ]
    # The readers' China, US and India are not the blog's: only Moscow is mentioned.
    sentences = short_pages.sentences[short_pages.sentences["article_id"] == "wp1"]
    mentions = find_mentions(sentences, load_codebook(None))
    assert set(mentions["target"]) == {"russia"}


def test_a_brief_with_a_title_div_and_a_disqus_thread(short_pages):
    text = short_pages.articles.set_index("article_id").loc["dq1", "text"]
    assert text.splitlines()[0] == "Karachi port to handle Russian grain shipments"
    assert text.endswith("Washington declined.")  # a two-word closing sentence
    comments = short_pages.comments[short_pages.comments["article_id"] == "dq1"]
    assert list(comments["text"]) == [
        "tariq_k\nRussia is dumping its wheat on us because nobody else will buy it.",
        "zee\nThe US is finished.",
    ]


def test_a_one_paragraph_wire_brief_with_a_reader_reply(short_pages):
    text = short_pages.articles.set_index("article_id").loc["dt1", "text"]
    # The h1 stands outside <article>: it is still the first line; the explainer box stays.
    assert text.splitlines()[0] == "Pakistan and China extend currency swap"
    assert "A swap lets two central banks" in text
    assert "China owns this country" not in text
    comments = short_pages.comments[short_pages.comments["article_id"] == "dt1"]
    assert list(comments["text"]) == [
        "Reply from a reader\nChina owns this country now and the State Bank just signs "
        "whatever Beijing sends it."
    ]
    # The metadata title stays the title.
    assert short_pages.articles.set_index("article_id").loc["dt1", "title"] == (
        "Currency swap extended"
    )


def test_removed_chars_count_the_page_text_left_out(short_pages):
    removed = short_pages.removed
    for article_id, count in short_pages.articles.set_index("article_id")["removed_chars"].items():
        rows = removed[removed["article_id"] == article_id]
        spans = (rows["end"] - rows["start"])[rows["start"] >= 0].sum()
        page = rows.loc[rows["start"] < 0, "text"].str.len().sum()
        assert page > 0 and count == spans + page


# --------------------------------------------------------------------------- headlines
@pytest.mark.parametrize(
    "body, expected",
    [
        (
            '<h1 class="site-title"><a href="/">Site</a></h1><article><h1>Real headline here</h1>'
            "</article>",
            "Real headline here",
        ),
        (
            '<header role="banner"><h1>The Daily Site</h1></header><h1>Real headline here</h1>',
            "Real headline here",
        ),
        (
            '<h1 class="section-title">World News</h1><div class="entry-title">Real headline here'
            "</div>",
            "Real headline here",
        ),
        ('<div class="headline">Real headline here</div>', "Real headline here"),
        (
            '<p itemprop="headline">Real headline here</p><h1>Other words here</h1>',
            "Real headline here",
        ),
        ("<p>No headline on this page at all.</p>", ""),
    ],
)
def test_the_page_headline(body, expected):
    assert page_headline(parse(f"<html><body>{body}</body></html>")) == expected


def test_with_headline_moves_splits_or_adds_the_headline_but_never_cuts_a_lede():
    lede = "Pakistan and Russia signed a barter deal on Tuesday."
    assert with_headline(f"Barter deal signed\n{lede}", "Barter deal signed") == (
        f"Barter deal signed\n{lede}"
    )
    assert with_headline(f"{lede}\nBarter deal signed", "Barter deal signed") == (
        f"Barter deal signed\n{lede}"
    )
    assert with_headline(f"Barter deal signed {lede}", "Barter deal signed") == (
        f"Barter deal signed\n{lede}"
    )
    # The lede begins with the headline's words: not glued, so the headline is added.
    assert with_headline(lede, "Pakistan and Russia") == f"Pakistan and Russia\n{lede}"


def test_glued_blocks_get_their_line_breaks_back():
    html = (
        '<html><body><nav><a href="/">China</a></nav><article><h1>Deal signed</h1>'
        '<div class="meta">Posted on 3 May 2024</div><p>China and Pakistan signed the deal.</p>'
        "<p>Talks continue.</p></article></body></html>"
    )
    glued = "Deal signed Posted on 3 May 2024 China and Pakistan signed the deal.\nTalks continue."
    assert restore_block_breaks(html, glued) == (
        "Deal signed\nPosted on 3 May 2024\nChina and Pakistan signed the deal.\nTalks continue."
    )
    # Text that is already broken, or that a menu word merely occurs in, is left alone.
    assert restore_block_breaks(html, "China and Pakistan signed the deal.") == (
        "China and Pakistan signed the deal."
    )

"""What an HTML page's structure says before extraction: its reader comments and its headline.

trafilatura decides what a page's main text is by how much text a container holds. On a short
article (one or two paragraphs) a reader comment can outweigh the story, and then the comment
is extracted as article prose while the article's own headline is dropped. So the two things
the page's markup states plainly are read from the tree *before* extraction:

* **Reader-comment sections** (:func:`comment_sections`): elements that the markup names as
  comments, found by element and attribute, never by how much text they hold:

  - a class or id word that names comments (``comments``, ``comment-list``, ``CommentBox``,
    ``fb-comments``, ``reader-comments``) or a comment system (WordPress ``respond``, Disqus,
    Livefyre, Coral/Talk, Viafoura, OpenWeb/Spot.IM, giscus, utterances, ``discussion``,
    ``forum``, ``talkback``, ``replies``, ``responses``);
  - ``role="comment"``, ``itemprop="comment"`` or a schema.org ``Comment``/``UserComments``
    item;
  - a ``<details>`` box whose ``<summary>`` says comment or reply ("Comment by ali",
    "3 replies", "Reader comment");
  - a heading outside the article that heads a comment section ("Readers' comments",
    "What readers say", "3 Comments") with the elements after it, up to the next heading
    of its rank.

  Words that describe a widget rather than a section (``comment-count``, ``comments-link``,
  ``no-comments``, ``comments-open``, ``comment-policy`` ...) do not count, and an element that
  holds the article itself (the ``<h1>``, ``<main>``, an ``articleBody`` or an ``<article>``
  that is no comment) is never a comment section, so a page-wide wrapper whose class happens to
  mention comments cannot swallow the story. A section is found whatever the length of the
  article: the result does not depend on it.

  :func:`without_sections` gives the page with these sections cut out, for trafilatura;
  :func:`framelens.text.html_blocks.account_blocks` sends their text to the comments table
  (one comment per comment item: see :func:`comment_item`).

* **The headline** (:func:`page_headline`): the page's visible headline (an
  ``itemprop="headline"``, else the first ``<h1>`` that is not the site's name, else an
  element whose class names the article's title). :func:`with_headline` puts it first in the
  extracted text when trafilatura left it out, so a headline counts as sentence 0 in HTML as it
  does in plain text, whatever the site's template.
"""

from __future__ import annotations

import copy
import re

#: Class/id words of comment systems (besides every word that contains "comment").
SYSTEM_WORDS = frozenset(
    (
        "disqus livefyre fyre coral talkback talkbacks discussion discussions forum replies "
        "responses respond viafoura spotim openweb giscus utterances isso remark42 hyvor "
        "talkyard"
    ).split()
)
#: Pairs of class/id words that name a comment section together ("reader-feedback").
SYSTEM_PAIRS = (
    ("reader", "feedback"),
    ("reader", "reactions"),
    ("reader", "responses"),
    ("reader", "views"),
    ("readers", "feedback"),
    ("readers", "reactions"),
    ("readers", "views"),
    ("talk", "stream"),
    ("talk", "embed"),
)
#: Class/id words that make a comment word describe a widget or a style, not a section: a
#: counter, a link or button to the comments, the page's comment state, the rules for
#: commenting, or the tone of an opinion piece ("tonal--tone-comment" styles a whole column).
WIDGET_WORDS = frozenset(
    "count counts counter number num link links icon icons button btn toggle open opened "
    "closed close no none has allow allowed enabled disabled off badge bubble total status "
    "policy policies guidelines rules tone tonal theme type kind format pillar genre style "
    "template".split()
)
#: Class/id words of one comment inside a section ("li.comment", Disqus "div.post").
ITEM_WORDS = frozenset("comment post reply entry item response reaction talkback".split())
#: Class/id words of a part of a comment (its text, its author line), not the whole comment.
PART_WORDS = frozenset(
    "content body text message msg meta metadata author footer header byline date time avatar "
    "vcard actions action info says title inner".split()
)
#: Tags that are always one comment inside a section.
ITEM_TAGS = frozenset({"li", "article", "details", "blockquote", "dd"})
_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo br button cite code em font i img input label mark q s samp small span "
    "strong sub sup time u var".split()
)
_NEVER_SECTION_TAGS = frozenset({"html", "head", "body", "main", "title"})
_COMMENT_SUMMARY = re.compile(
    r"^\W*(\d+\s+)?((reader|user)s?'?\s+)?(comments?|repl(y|ies)|responses?)\b"
    r"|\b(comment|reply|response)\s+(by|from)\b"
    r"|^\W*(show|view|read|see|hide|load)\s+(\d+\s+)?(all\s+|more\s+)?(comments?|repl(y|ies))\b",
    re.IGNORECASE,
)
# A heading that starts a comment section: a plural or a count ("Comments", "3 Comments",
# "Reader comments"), not "Comment", which heads opinion pieces on many sites.
_COMMENT_HEADING = re.compile(
    r"^\W*(\d+|no|one)\s+comments?\W*$"
    r"|^\W*((reader|user)s?['’]?s?\s+)?comments(\s*\(\d+\))?\W*$"
    r"|^\W*(reader|user)s?['’]?s?\s+comment\W*$"
    r"|^\W*what\s+(our\s+)?(readers|you)\s+(say|said|think)\W*$"
    r"|^\W*readers?['’]?s?\s+(comments|views|responses|reactions|feedback)\W*$"
    r"|^\W*(\d+|one|two|three)\s+(thoughts?|responses?|repl(y|ies))\s+(on|to)\b.*$"
    r"|^\W*(join|start)\s+the\s+(discussion|conversation)\W*$"
    r"|^\W*(have\s+your\s+say|your\s+(comments|views))\W*$",
    re.IGNORECASE,
)
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")
_WORDS = re.compile(r"\w+")


def parse(html: str):
    """The page's lxml tree, or ``None`` for an empty or broken document."""
    import lxml.html

    try:
        return lxml.html.document_fromstring(html)
    except Exception:  # lxml raises several types for an empty or broken document
        return None


def name_words(element) -> list[str]:
    """The words of an element's class and id: "CommentBox disqus_thread" -> comment, box,
    disqus, thread."""
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    return [w for w in _SPLIT.split(_CAMEL.sub(r"\1 \2", names).lower()) if w]


def _tag(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _names_comments(words: list[str]) -> bool:
    found = set(words)
    if found & WIDGET_WORDS:
        return False
    if any("comment" in w and "commentar" not in w and "commentat" not in w for w in words):
        return True  # comments, comment-list, commentlist, fbcomments; not "commentary"
    return bool(found & SYSTEM_WORDS) or any(a in found and b in found for a, b in SYSTEM_PAIRS)


def _marked_as_comment(element) -> bool:
    """The element's own attributes say it is (a section of) reader comments."""
    role = (element.get("role") or "").lower()
    itemprop = (element.get("itemprop") or "").lower().split()
    itemtype = (element.get("itemtype") or "").lower()
    if role == "comment" or {"comment", "comments"} & set(itemprop):
        return True
    if re.search(r"schema\.org/(comment|usercomments)\b", itemtype):
        return True
    if _tag(element) == "details":
        summary = element.find("summary")
        if summary is not None and _COMMENT_SUMMARY.search(_text(summary)):
            return True
    return _names_comments(name_words(element))


def marks_comments(element) -> bool:
    """True if the markup names ``element`` as reader comments (its class or id, role,
    itemprop or itemtype, or a ``<details>`` summary), and it is not an inline element,
    ``<body>`` or ``<main>``. Whether it also holds the article is not checked here."""
    return _can_be_section(element) and _marked_as_comment(element)


def _holds_article(element) -> bool:
    """True if the element contains the article itself, so it cannot be a comment section."""
    for inner in element.iter():
        tag = _tag(inner)
        if inner is element or not tag:
            continue
        if tag in ("h1", "main") or (inner.get("itemprop") or "").lower() == "articlebody":
            return True
        if tag == "article" and inner.find(".//h2") is not None:
            if not _comment_article(inner, element):
                return True
    return False


def _comment_article(article, top) -> bool:
    """An ``<article>`` inside ``top`` that is a comment: marked so, or a list item's (an
    ``<article>`` with a second-level heading and neither is taken for the story)."""
    node = article
    while node is not None and node is not top:
        if _tag(node) == "li" or _marked_as_comment(node) or _item_words(node):
            return True
        node = node.getparent()
    return False


def _item_words(element) -> bool:
    words = set(name_words(element))
    return bool(words & ITEM_WORDS) and not words & PART_WORDS


def _can_be_section(element) -> bool:
    tag = _tag(element)
    return bool(tag) and tag not in _NEVER_SECTION_TAGS | _INLINE_TAGS


def _main_content(root):
    """The element that holds the article (an ``articleBody``, ``<article>`` or ``<main>``)."""
    for path in ('//*[@itemprop="articleBody"]', "//article", "//main"):
        for element in root.xpath(path):
            if not _marked_as_comment(element):
                return element
    return None


def comment_sections(root) -> list[list]:
    """The page's reader-comment sections, outermost only, in document order.

    Parameters
    ----------
    root : lxml element
        The parsed page (:func:`parse`).

    Returns
    -------
    list of list of lxml elements
        Each section is one element (a comment container) or, for a section that a heading
        starts, the heading and the sibling elements after it.
    """
    if root is None:
        return []
    main = _main_content(root)
    order = {element: n for n, element in enumerate(root.iter())}
    sections: list[list] = []

    def visit(element) -> None:
        tag = _tag(element)
        if not tag:
            return
        if marks_comments(element):
            if not _holds_article(element):
                sections.append([element])
                return
        children = list(element)
        i = 0
        while i < len(children):
            child = children[i]
            run = _heading_run(child, children[i + 1 :], main, order)
            if run:
                sections.append(run)
                i += len(run)
                continue
            visit(child)
            i += 1

    visit(root)
    return sections


def _heading_run(heading, after: list, main, order: dict) -> list:
    """A comment heading outside and after the article, with the siblings it heads."""
    tag = _tag(heading)
    if main is None or tag not in ("h2", "h3", "h4", "h5", "h6"):
        return []
    if not _COMMENT_HEADING.match(_text(heading)):
        return []
    if order.get(heading, 0) < order.get(main, 0) or main in heading.iterancestors():
        return []
    run = [heading]
    for sibling in after:
        sibling_tag = _tag(sibling)
        if not sibling_tag:
            continue  # an HTML comment: stays where it is
        if re.fullmatch(r"h[1-6]", sibling_tag) and sibling_tag <= tag:
            break  # the next heading of the same or a higher rank starts something else
        if sibling_tag in ("footer", "nav", "aside", "header", "form") or _holds_article(sibling):
            break
        run.append(sibling)
    return run if len(run) > 1 else []


def comment_item(element, top):
    """The one comment a block of a comment section belongs to.

    The nearest element from ``element`` up to the section's top element ``top`` that stands
    for one comment: a list item, an ``<article>``, ``<details>`` or ``<blockquote>``, a
    schema.org ``Comment``, or an element whose class names a comment or post ("comment",
    "post", "entry", "reply") but not a part of one ("comment-content", "post-body",
    "comment-meta"). Without one, the section's top element is the comment.
    """
    node = element
    while node is not None:
        if _tag(node) in ITEM_TAGS or _item_words(node):
            return node
        if (node.get("role") or "").lower() == "comment":
            return node
        if re.search(r"schema\.org/comment\b", (node.get("itemtype") or "").lower()):
            return node
        if node is top:
            return top
        node = node.getparent()
    return top


def without_sections(root, sections: list[list]) -> str:
    """The page as HTML with the comment sections cut out (text after them stays)."""
    tree = root.getroottree()
    paths = [tree.getpath(element) for section in sections for element in section]
    pruned = copy.deepcopy(root)
    # Find every element first, then cut: a cut would shift the positions later paths name.
    found = [pruned.xpath(path) for path in paths]
    for elements in found:
        for element in elements:
            element.drop_tree()
    import lxml.html

    return lxml.html.tostring(pruned, encoding="unicode")


# --------------------------------------------------------------------------- headline
_SITE_WORDS = frozenset("site logo brand branding masthead sitename blogname".split())
_TITLE_COMPANIONS = frozenset(
    "entry post article story page news main content headline title heading".split()
)
_NOT_TITLE_WORDS = frozenset(
    "sub subtitle section widget related sidebar comments comment reply card teaser promo "
    "nav menu footer".split()
)
#: A headline has at least this many and at most this many words.
HEADLINE_WORDS = (2, 30)


def page_headline(root, sections: list[list] = ()) -> str:
    """The page's visible headline, or ``""``.

    The first of: an element with ``itemprop="headline"``; the first ``<h1>`` that is not the
    site's name (a logo, a link to the front page, in a masthead, a banner or ``<nav>``) nor a
    section's ("section-title"); an element whose class or id names the article's title
    ("entry-title", "post-title", "headline", "title"). Text inside the
    comment sections, hidden text and a text of one word or more than 30 are never the headline.
    """
    if root is None:
        return ""
    body = root.find("body")
    if body is None:
        return ""
    inside = {e for section in sections for top in section for e in top.iter()}
    candidates = [
        *body.xpath('.//*[@itemprop="headline"]'),
        *body.iter("h1"),
        *(e for e in body.iter() if _names_title(e)),
    ]
    for element in candidates:
        if element in inside or _hidden_or_site(element) or _links_home(element):
            continue
        if set(name_words(element)) & _NOT_TITLE_WORDS:
            continue
        text = _text(element)
        if HEADLINE_WORDS[0] <= len(_WORDS.findall(text)) <= HEADLINE_WORDS[1]:
            return text
    return ""


def _names_title(element) -> bool:
    tag = _tag(element)
    if not tag or tag in _INLINE_TAGS or tag in ("title", "head", "meta"):
        return False
    words = name_words(element)
    if not {"title", "headline"} & set(words) or set(words) & (_NOT_TITLE_WORDS | _SITE_WORDS):
        return False
    return set(words) <= _TITLE_COMPANIONS | {"h1", "h2"}


def _links_home(element) -> bool:
    """An element that is only a link to the site's front page (or a logo): the site's name."""
    links = element.findall(".//a")
    if element.find(".//img") is not None and not _text(element):
        return True
    if len(links) != 1 or _text(links[0]) != _text(element):
        return False
    href = (links[0].get("href") or "").strip()
    return bool(re.fullmatch(r"(https?://[^/]+)?/?(index\.\w+)?|\.{1,2}/?", href))


def _hidden_or_site(element) -> bool:
    if set(name_words(element)) & _SITE_WORDS:
        return True
    for node in [element, *element.iterancestors()]:
        tag = _tag(node)
        if tag == "nav" or node.get("hidden") is not None:
            return True
        if re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", node.get("style") or "", re.I):
            return True
        if tag == "header" and {"site", "masthead"} & set(name_words(node)):
            return True
        if (node.get("role") or "").lower() == "banner":
            return True
    return False


def with_headline(text: str, headline: str) -> str:
    """``text`` with ``headline`` as its own first line.

    Unchanged when the headline is its first line. A headline line further down (trafilatura
    sometimes appends the title block at the end) is moved to the top. A text that starts
    with the headline glued to the first paragraph (the headline's words, then a new sentence:
    "Russia, Pakistan sign deal Russia and Pakistan signed ...") is split after it; a lede
    that merely begins with the headline's words ("Pakistan and Russia signed ...") is not.
    Otherwise the headline is put first.
    """
    words = _WORDS.findall(headline)
    if not words or not text.strip():
        return text
    key = [w.lower() for w in words]
    lines = text.split("\n")
    at = next((i for i, line in enumerate(lines) if _lower_words(line) == key), None)
    first = next(i for i, line in enumerate(lines) if line.strip())
    if at == first:
        return text
    if at is not None:
        return "\n".join([lines[at].strip(), *lines[:at], *lines[at + 1 :]])
    glued = re.match(
        r"\W*"
        + r"\W+".join(map(re.escape, words))
        + r"[^\w\s]*[ \t]+(?=[\"'“‘(\[]?(?-i:[A-Z0-9]))",
        text,
        re.IGNORECASE,
    )
    if glued is not None and len(words) >= 3 and "\n" not in glued.group():
        return text[: glued.end()].rstrip(" \t") + "\n" + text[glued.end() :]
    return f"{headline}\n{text}"


def _lower_words(text: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(text)]


__all__ = [
    "comment_item",
    "comment_sections",
    "marks_comments",
    "name_words",
    "page_headline",
    "parse",
    "with_headline",
    "without_sections",
]

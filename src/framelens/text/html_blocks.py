"""Account for every visible text block of an HTML page after extraction.

trafilatura keeps a page's main text and drops the rest: navigation, footers, asides, and
also reader comments it does not recognise (comment boxes in ``<details>``, say). A dropped
block must not vanish without a trace, so :func:`account_blocks` lists the page's visible
text blocks and says where each one went:

* ``article``: its words reached the extracted text;
* ``comments``: it sits in a reader-comment section (:func:`framelens.text.html_page.comment_sections`,
  cut out of the page before extraction) or in a container whose class or id names comments,
  and holds a comment; the blocks of one comment item
  (:func:`framelens.text.html_page.comment_item`) form one comment;
* ``removed``: everything else, with the reason ``html_boilerplate`` (or ``comment_form`` for
  the headers, forms and buttons of a comment section: a group of blocks that is a form, or
  has fewer than five words and no sentence, or says only "Leave a Reply", "Reply" ...).

A *block* is the text of a block-level element (paragraph, heading, list item, table cell,
``<summary>``, ``<div>`` ...) with its inline children, cut where a nested block starts.
Invisible text is not a block: ``<head>``, scripts, styles, templates, ``<noscript>``, form
controls' options, and elements hidden with the ``hidden`` attribute or an inline
``display: none`` / ``visibility: hidden`` style (a stylesheet's hiding cannot be seen here).

A block reached the article when its word sequence occurs in the extracted text; a block of
fewer than four words must match a whole line (or table cell) of it, so "Home" in a menu is
not taken for the "home" in a sentence. The same holds for the comments trafilatura extracted:
a menu's "Pakistan" is not a comment because a comment names Pakistan.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from framelens.text.html_page import comment_item, comment_sections, marks_comments, parse

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li "
    "main menu nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
INVISIBLE_TAGS = frozenset(
    "head title meta link script style noscript template iframe object embed select option "
    "datalist textarea svg math canvas audio video source track".split()
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Parts of a class or id ("comment-respond", "reply_form") that mark a form, not a comment.
_FORM_WORDS = frozenset({"form", "respond", "login", "signin", "subscribe", "newsletter"})
_TOKEN = re.compile(r"\w+")
#: A comment needs this many words; shorter groups are a section's headers ("3 Comments").
MIN_COMMENT_WORDS = 5
#: Blocks shorter than this must match a whole line or table cell of the extracted text.
MIN_SUBSTRING_WORDS = 4
# The buttons and counters of one comment.
_COMMENT_BUTTONS = re.compile(
    r"^(reply|report( abuse)?|flag|like|dislike|upvote|downvote|permalink|share|edit|delete"
    r"|load more( comments)?|show more( comments| replies)?|(\d+\s+)?(likes?|points?|votes?"
    r"|repl(y|ies)))\W*$",
    re.IGNORECASE,
)


@dataclass
class Block:
    """One visible text block and where it ended up."""

    text: str
    where: str = ""  # "article", "comments" or "removed"
    reason: str = ""  # for removed blocks
    group: int = -1  # for comments: the container's number on the page


def visible_blocks(html) -> list[tuple[str, object]]:
    """The page's visible text blocks in document order, each with its element.

    Parameters
    ----------
    html : str or lxml element
        The page, or its parsed tree (:func:`framelens.text.html_page.parse`).

    Returns
    -------
    list of (str, lxml element)
        The block's text (whitespace collapsed) and the block-level element it belongs to.
    """
    root = parse(html) if isinstance(html, str) else html
    if root is None:
        return []
    collector = _Collector()
    body = root.find("body")
    collector.visit(body if body is not None else root)
    blocks = []
    for element, parts in collector.runs:
        text = " ".join("".join(parts).split())
        if _TOKEN.search(text):
            blocks.append((text, element))
    return blocks


class _Collector:
    """Walks the tree; text goes to the innermost open block, cut where a child block is."""

    def __init__(self):
        self.runs: list[tuple[object, list[str]]] = []
        self.stack: list[tuple[object, list[str]]] = []

    def _open(self, element) -> None:
        run = (element, [])
        self.runs.append(run)
        self.stack.append(run)

    def _close(self) -> None:
        self.stack.pop()
        if self.stack:  # the parent's text after this block is a new run of the parent
            parent = self.stack[-1][0]
            run = (parent, [])
            self.runs.append(run)
            self.stack[-1] = run

    def _add(self, text: str | None) -> None:
        if text and self.stack:
            self.stack[-1][1].append(text)

    def visit(self, element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag.lower() in INVISIBLE_TAGS or _hidden(element):
            return  # an HTML comment, a script ...: its tail is added by the caller
        is_block = tag.lower() in BLOCK_TAGS or not self.stack
        if is_block:
            self._open(element)
        elif tag.lower() == "br":
            self._add(" ")
        self._add(element.text)
        for child in element:
            self.visit(child)
            self._add(child.tail)
        if is_block:
            self._close()


def _hidden(element) -> bool:
    if element.get("hidden") is not None:
        return True
    return bool(_HIDDEN_STYLE.search(element.get("style") or ""))


# Characters a reader does not see, which extraction drops: a soft hyphen ("Rus\xadsia") or a
# zero-width space or joiner ("New\u200bDelhi" is extracted as "NewDelhi").
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text.translate(_INVISIBLE))]


def _joined(tokens: list[str]) -> str:
    return " " + " ".join(tokens) + " "


def _segments(text: str) -> set[str]:
    """Each line and each table cell of the extracted text, as joined tokens."""
    out = set()
    for line in text.splitlines():
        for cell in [line, *line.split("|")]:
            tokens = _tokens(cell)
            if tokens:
                out.add(_joined(tokens))
    return out


def _container(element):
    """The nearest ancestor-or-self that the markup names as comments
    (:func:`framelens.text.html_page.marks_comments`), or ``None``."""
    while element is not None:
        if marks_comments(element):
            return element
        element = element.getparent()
    return None


def _section_tops(root, sections=None) -> dict:
    """Every element inside a comment section, mapped to its section's top.

    ``sections`` are the page's comment sections when the caller found them already. The
    elements themselves are the keys, which keeps them alive: lxml makes a new Python object
    for a node each time one is asked for, so the ``id`` of a freed one is soon another's."""
    tops = {}
    for section in comment_sections(root) if sections is None else sections:
        for top in section:
            for element in top.iter():
                tops[element] = top
    return tops


def restore_block_breaks(html, text: str, sections=None) -> str:
    """``text`` with a line break wherever it glues two blocks of the page into one line.

    trafilatura's fallback extraction (used on short pages) can join a headline, a byline and
    a paragraph with spaces: "Title Posted on 11 February 2 Comments The agreement ...". A
    line break goes back between two page blocks (outside comment sections) that follow one
    another in the text with only spaces between them. A block is looked for right after the
    previous one, or at the start of a line, so a short block ("China" in a menu) is never
    matched inside a sentence. Nothing but the spaces at a break changes.

    Parameters
    ----------
    html : str or lxml element
        The page (or its parsed tree).
    text : str
        The text extracted from it.
    sections : list, optional
        The page's comment sections (:func:`framelens.text.html_page.comment_sections` of the
        same tree), when found already.
    """
    root = parse(html) if isinstance(html, str) else html
    if root is None or not text:
        return text
    tops = _section_tops(root, sections)
    lines = _LineStarts(text)
    breaks, end = [], None  # end: where the previous block found in the text ends
    for block_text, element in visible_blocks(root):
        if element in tops:
            continue
        at = None
        if end is not None:
            gap = len(text[end : end + 200]) - len(text[end : end + 200].lstrip())
            if _stands_at(text, block_text, end + gap):
                at = end + gap
                if gap and "\n" not in text[end : end + gap]:
                    breaks.append((end, end + gap))
        if at is None:
            at = lines.find(block_text, end or 0)
        if at is not None:
            end = at + len(block_text)
    if not breaks:
        return text
    pieces, position = [], 0
    for start, stop in breaks:
        pieces += [text[position:start], "\n"]
        position = stop
    pieces.append(text[position:])
    return "".join(pieces)


def _stands_at(text: str, block: str, at: int) -> bool:
    """``block`` is at ``at`` in ``text`` as whole words (a space, a line break or the end
    follows it)."""
    end = at + len(block)
    return bool(block) and text.startswith(block, at) and (end == len(text) or text[end].isspace())


class _LineStarts:
    """Where each line of a text starts, by its first word, to find a block at a line start
    without scanning the text again for every block."""

    def __init__(self, text: str):
        self.text = text
        self.starts: dict[str, list[int]] = {}
        position = 0
        for line in text.split("\n"):
            word = line.split(" ", 1)[0]
            if word:
                self.starts.setdefault(word, []).append(position)
            position += len(line) + 1

    def find(self, block: str, start: int) -> int | None:
        """The first line start at or after ``start`` where ``block`` stands."""
        positions = self.starts.get(block.split(" ", 1)[0], [])
        for at in positions[bisect.bisect_left(positions, start) :]:
            if _stands_at(self.text, block, at):
                return at
        return None


def account_blocks(html, text: str, comments: str = "", sections=None) -> list[Block]:
    """Where every visible text block of ``html`` went after extraction.

    Parameters
    ----------
    html : str or lxml element
        The page (or its parsed tree), before its comment sections were cut out.
    text : str
        The text extracted from it (trafilatura's main text).
    comments : str, optional
        The comments trafilatura extracted (their blocks are comments even when no container
        names them).
    sections : list, optional
        The page's comment sections (:func:`framelens.text.html_page.comment_sections` of the
        same tree), when found already.

    Returns
    -------
    list of Block
        One per visible block, in document order, with ``where`` set (and ``reason`` for
        removed blocks, ``group`` for comments).
    """
    root = parse(html) if isinstance(html, str) else html
    if root is None:
        return []
    tops = _section_tops(root, sections)
    article, lines = _joined(_tokens(text)), _segments(text)
    extracted, extracted_lines = _joined(_tokens(comments)), _segments(comments)
    blocks, groups, containers = [], {}, {}
    for block_text, element in visible_blocks(root):
        tokens = _tokens(block_text)
        block = Block(block_text)
        top = tops.get(element)
        if _found(tokens, lines, article):
            block.where = "article"
        elif top is not None:
            item = comment_item(element, top)
            block.where = "comments"
            block.group = groups.setdefault(item, len(groups))
            containers[block.group] = item
        else:
            container = _container(element)
            if container is not None or _found(tokens, extracted_lines, extracted):
                block.where = "comments"
                block.group = groups.setdefault(container, len(groups))
                containers[block.group] = container
            else:
                block.where, block.reason = "removed", "html_boilerplate"
        blocks.append((block, element))
    _settle_comment_groups(blocks, containers)
    return [block for block, _ in blocks]


def _found(tokens: list[str], lines: set[str], text: str) -> bool:
    """A block's words are a whole line of the text, or (four words or more) occur in it."""
    key = _joined(tokens)
    return key in lines or (len(tokens) >= MIN_SUBSTRING_WORDS and key in text)


def _settle_comment_groups(blocks: list[tuple[Block, object]], containers: dict) -> None:
    """A comment group that is not a comment is removed as ``comment_form``.

    A group is no comment when it is a form, when every block of it is a comment section's
    furniture ("3 Comments", "Leave a Reply", "Reply"), or when it has fewer than
    :data:`MIN_COMMENT_WORDS` words and no sentence ("Comment by ali" alone). "The US is
    evil." is a comment: a sentence, however short. Inside a comment, a block that is such
    furniture (its "Reply" button) is removed on its own.
    """
    from framelens.text.clean import reads_as_sentence

    by_group: dict[int, list[tuple[Block, object]]] = {}
    for block, element in blocks:
        if block.where == "comments":
            by_group.setdefault(block.group, []).append((block, element))
    for group, members in by_group.items():
        words = sum(len(_TOKEN.findall(block.text)) for block, _ in members)
        container = containers.get(group)
        formish = container is not None and (
            _is_form(container) or container.find(".//form") is not None
        )
        formish = formish or any(_is_form(element) for _, element in members)
        chrome = [_is_section_furniture(block.text) for block, _ in members]
        sentence = any(reads_as_sentence(block.text) for block, _ in members)
        if formish or all(chrome) or (words < MIN_COMMENT_WORDS and not sentence):
            chrome = [True] * len(members)
        for (block, _), is_chrome in zip(members, chrome, strict=True):
            if is_chrome:
                block.where, block.reason, block.group = "removed", "comment_form", -1


def _is_section_furniture(text: str) -> bool:
    """A comment section's header, form label or button, not a comment."""
    from framelens.text.clean import COMMENT_HEADERS, LINE_PATTERNS

    text = text.strip()
    patterns = [*COMMENT_HEADERS, *LINE_PATTERNS["comment_form"], _COMMENT_BUTTONS]
    return any(p.match(text) for p in patterns)


def _is_form(element) -> bool:
    """A form element, or one whose class or id has a part like "form" or "respond"."""
    if element.tag in ("form", "label", "button", "input"):
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return bool(_FORM_WORDS & set(re.split(r"[\s_-]+", names)))


def html_leftovers(
    html, text: str, comments: str = "", sections=None
) -> tuple[list[dict], list[dict]]:
    """The removed rows and the comments of a page, for the cleaner's tables (arguments as
    for :func:`account_blocks`).

    Returns
    -------
    removed : list of dict
        ``{"reason", "text"}`` for each visible block that reached neither the article nor a
        comment.
    comments : list of dict
        ``{"text"}`` for each comment container, its blocks joined by newlines.
    """
    removed, grouped = [], {}
    for block in account_blocks(html, text, comments, sections):
        if block.where == "removed":
            removed.append({"reason": block.reason, "text": block.text})
        elif block.where == "comments":
            grouped.setdefault(block.group, []).append(block.text)
    return removed, [{"text": "\n".join(parts)} for _, parts in sorted(grouped.items())]


__all__ = ["Block", "account_blocks", "html_leftovers", "restore_block_breaks", "visible_blocks"]

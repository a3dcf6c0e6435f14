"""Remove boilerplate from extracted article text, auditably.

Scraped articles carry navigation crumbs, share counters, comment forms, reader comments,
"Read more:" cross-links, previous/next links, author bios, outlet promos and repeated
paragraphs. :func:`clean_article` splits the text into *units* (lines, or hard-wrapped
paragraphs), decides for each unit whether it is article text, and returns the kept text plus
one row per removed unit (reason, offsets into the text before cleaning, the removed text).
Reader comments also go to a comments table. Nothing is removed unrecorded.

The rules are general, not copied from any one outlet. They combine three kinds of evidence:

* **what a line says**: whole-line patterns for widgets ("351 Shares", "Leave a Reply",
  "Previous article ...", "Read more: ...", "Follow us");
* **where it stands**: *head* units before the first body paragraph (crumbs, bylines, section
  labels; the title is kept), *tail* units after the last body paragraph (footers), the
  *comment section* after a comment header ("1 COMMENT", "Leave a Reply", "12 thoughts on"),
  and the block after an author-bio marker ("The writer is ...");
* **repetition**: later copies of a paragraph of at least ``min_duplicate_words`` words.

A *body* unit is prose: at least 12 words with sentence punctuation, or at least 25 words.

Every rule can be switched off, and extra whole-line patterns added, with :class:`CleanConfig`
(from the ``[cleaning]`` table of an experiment or corpus config).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from framelens.errors import InputError

#: Every reason a unit can be removed for (rule names for ``CleanConfig.disabled``).
RULES = (
    "nav_crumb",
    "head_label",
    "byline",
    "share_counter",
    "fragment",
    "read_more",
    "prev_next",
    "comment_form",
    "reader_comment",
    "author_bio",
    "promo",
    "footer",
    "caption",
    "disclaimer",
    "duplicate_paragraph",
)

_FLAGS = re.IGNORECASE


def _full(pattern: str, flags: int = _FLAGS) -> re.Pattern:
    return re.compile(rf"^(?:{pattern})$", flags)


_BULLET = r"[•·▪●◦‣∙*\-–]"

# Whole-line patterns, applied anywhere in the article.
LINE_PATTERNS: dict[str, list[re.Pattern]] = {
    "fragment": [re.compile(r"^[^\w]*[\d\W_]*$")],  # no letters at all: "•", "351", "|"
    "share_counter": [
        _full(
            rf"{_BULLET}?\s*[\d.,]+\s*[km]?\s*(shares?|likes?|views?|comments?|tweets?|pins?"
            r"|reads?|reactions?)"
        ),
        _full(
            r"(shares?|share this( article| story| post| page)?:?|share on \w+|share via \w+"
            r"|tweet( this)?|pin it|e-?mail( this)?|print( this)?|whatsapp|like this:?"
            r"|(%d|\d+) bloggers like this[:.]?|click to (share|email|print) .*|reddit"
            r"|linkedin|facebook|twitter|telegram)"
        ),
    ],
    "read_more": [
        re.compile(
            r"^(read more|read also|also read|see also|related( articles?| stor(y|ies)"
            r"| posts?| reading)?|recommended( reading)?|suggested reading"
            r"|you (may|might) also like|more on this( story)?|further reading"
            r"|must read)\s*[:\-–—|»>]",
            _FLAGS,
        ),
        _full(r"(read more|read also|also read|continue reading|read the full (article|story))\.*"),
    ],
    "prev_next": [
        # "Previous articleFloyd ...": scrapers glue the link label to the linked title.
        re.compile(
            r"^(previous|next|older|newer)\s*(article|post|story|entry)(\b|(?-i:[A-Z]))", _FLAGS
        ),
        re.compile(r"^[←«‹<]\s*(previous|older|prev)\b", _FLAGS),
        re.compile(r"\b(next|newer)\s*[→»›>]$", _FLAGS),
    ],
    "comment_form": [
        _full(
            r"(leave a (reply|comment)|post a comment|add a comment|write a comment"
            r"|cancel reply|please enter your (comment|name|e-?mail)( here)?[!.]?"
            r"|you are commenting using your .*|fill in your details below.*"
            r"|connecting to %s|notify me of (new|follow-up) .*|save my name,? e-?mail.*"
            r"|this site uses akismet.*|log in to (reply|comment).*"
            r"|you must be (logged|signed) in to (post|leave) a comment.*"
            r"|(google|twitter|facebook|wordpress(\.com)?) (photo|picture|account)"
            r"|comments? (are|is) closed\.?|your e-?mail address will not be published.*"
            r"|required fields are marked.*|(name|e-?mail|website|comment)\s*\*?"
            r"|(submit|post) comment|log ?out\s*/?\s*change\s*\)?|reply)"
        ),
    ],
    "footer": [
        _full(
            r"(from\s*[→>»]\s*.*|filed under:?.*|posted in:?.*|tags?:.*|categor(y|ies):.*"
            r"|follow us( on .*)?|most (popular|read|viewed|shared)|trending( now| stories)?"
            r"|latest (news|posts|articles|stories)|related (posts|articles|stories)"
            r"|about us|contact us|privacy policy|terms (of (use|service)|and conditions)"
            r"|(all rights reserved|copyright\s*(©|\(c\))?\s*\d{4}|©).{0,120}"
            r"|subscribe( to (our|the) newsletter| now| to (continue|keep) reading.*)?[!.]?"
            r"|sign up for .*newsletter.*|follow (@\w+|us|\w+ \w+) on (twitter|x|facebook"
            r"|instagram|linkedin|telegram|whatsapp).{0,40}"
            r"|advertisement|sponsored( content)?|you might like|more stories)"
        ),
    ],
    # Photo and video credits ("Photo: AFP", "(Reuters/Getty Images)"): not the article's text.
    "caption": [
        re.compile(
            r"^[\(\[]?(photo|image|picture|photograph|file photo|video|graphic)"
            r"( credit)?s?(\s*[:|/—–]|\s+-\s)",
            _FLAGS,
        ),
        _full(
            r"[\(\[]?.{0,120}/\s*(getty images|afp|reuters|ap|epa|shutterstock|anadolu"
            r"|xinhua|bloomberg)[\)\]]?\.?"
        ),
    ],
    # Statements about the article rather than of it.
    "disclaimer": [
        re.compile(
            r"^[\(\[\*]*\s*(disclaimer\s*:|the (views|opinions) expressed (in this|here"
            r"|by the)|views expressed (in this|here) |this (article|piece|story|op-ed) "
            r"(was )?(originally|first) (appeared|published))",
            _FLAGS,
        ),
    ],
    "nav_crumb": [
        _full(
            r"(skip to (main )?content|jump to (navigation|content)|toggle navigation"
            r"|main menu|menu|search( for:?)?|home)"
        ),
    ],
}

# A comment section starts at one of these headers (after the first body paragraph).
COMMENT_HEADERS = [
    _full(
        r"(\d+|no|one)\s+comments?|comments?\s*(\(\d+\))?|reader comments"
        r"|(\d+|one|two|three)\s+(thoughts?|responses?|repl(y|ies))\s+(on|to)\b.*"
        r"|leave a (reply|comment)|post a comment|add a comment|join the discussion"
        r"|what do you think\??|discussion"
    ),
]
_COMMENT_META = [
    re.compile(r"^.{1,60}\b(says|said|wrote):?$", _FLAGS),
    re.compile(r"^(on )?\w+ \d{1,2},? \d{4}( at \d{1,2}:\d{2}\s*([ap]\.?m\.?)?)?$", _FLAGS),
    re.compile(r"^\d{1,2}[./]\d{1,2}[./]\d{2,4}( at .*)?$"),
]
_NUMBERED_ITEM = re.compile(r"^\s*\d{1,3}[.)]\s+\S")

# Author-bio markers: explicit, so a body sentence about a person is never taken for one.
BIO_MARKERS = [
    re.compile(
        r"^[\(\[\*—–\-\s]*(the\s+)?(writer|author|columnist|contributor|reviewer)s?\s+"
        r"(is|are|was|has|have|can be|teaches|works|tweets|heads|serves)\b",
        _FLAGS,
    ),
    re.compile(r"^[\(\[\*—–\-\s]*about the (author|writer)s?\b", _FLAGS),
    re.compile(r"^[\(\[\*—–\-\s]*(author|writer)('s)? (bio|profile)\b", _FLAGS),
]

# Self-promotion cues; a tail paragraph needs two of them (or one and the outlet's own name).
PROMO_CUES = re.compile(
    r"\b(subscribe|subscription|newsletter|follow us|sign up|download (our|the) app|advertis\w*"
    r"|sponsor\w*|since (its|our) inception|at the forefront|media house|premier|magazine"
    r"|our (readers|team|magazine|website|publication|journalism)|publishing services?"
    r"|readers worldwide|is now offering|offering \w+(, \w+)*( and \w+)? services"
    r"|whatsapp channel|telegram channel|support (our|independent) journalism|donate"
    r"|self[- ]publishing|best-?sellers?)\b",
    _FLAGS,
)

_BYLINE = [
    re.compile(r"^by\b.{0,80}$", _FLAGS),
    re.compile(r"^(published|updated|posted)( on)?\b.{0,60}$", _FLAGS),
    re.compile(r"^\W*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\W*$"),
]
_BREADCRUMB = [
    re.compile(r"^Home(?=[A-Z])"),  # crumbs glued together by the scraper: "HomeOpEdTitle"
    re.compile(r"^home\s*[>»/|›:]", _FLAGS),
    re.compile(r"^Home\s+\S.{0,150}$"),  # "Home Section Title" (capital H, short)
    re.compile(r"^([^>»›|]{1,40}\s*[>»›|]\s*){2,}[^>»›|]{0,120}$"),  # "News > World > Asia"
]
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(\s|$)")
_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class CleanConfig:
    """Settings of the cleaner.

    Parameters
    ----------
    disabled : frozenset of str
        Rule names (see :data:`RULES`) to switch off.
    patterns : dict of str to list of str
        Extra whole-line regular expressions per reason, e.g.
        ``{"promo": ["^Subscribe to .* today$"]}``. Matching is case-insensitive; a reason not
        in :data:`RULES` is allowed and names the researcher's own rule.
    min_duplicate_words : int, default 4
        Repeated units shorter than this are kept (a short heading may legitimately recur).
    """

    disabled: frozenset = frozenset()
    patterns: dict = field(default_factory=dict)
    min_duplicate_words: int = 4

    @classmethod
    def from_dict(cls, settings: dict | None, *, source=None) -> CleanConfig:
        """Build from a ``[cleaning]`` table: ``disable = [...]``, ``patterns = {...}``,
        ``min_duplicate_words = N``. Unknown keys, rules or invalid regexes raise InputError."""
        settings = dict(settings or {})
        known = {"disable", "patterns", "min_duplicate_words"}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise InputError(
                f"unknown cleaning setting(s) {', '.join(unknown)}",
                source=source,
                record="[cleaning]",
                hint=f"known: {', '.join(sorted(known))}",
            )
        disabled = frozenset(settings.get("disable", []))
        bad = sorted(disabled - set(RULES))
        if bad:
            raise InputError(
                f"unknown cleaning rule(s) {', '.join(bad)}",
                source=source,
                record="[cleaning] disable",
                hint=f"rules: {', '.join(RULES)}",
            )
        patterns = {str(k): [str(p) for p in v] for k, v in settings.get("patterns", {}).items()}
        for reason, items in patterns.items():
            for pattern in items:
                try:
                    re.compile(pattern)
                except re.error as err:
                    raise InputError(
                        f"invalid regular expression {pattern!r}: {err}",
                        source=source,
                        record=f"[cleaning.patterns] {reason}",
                    ) from err
        return cls(disabled, patterns, int(settings.get("min_duplicate_words", 4)))

    def compiled_patterns(self) -> dict[str, list[re.Pattern]]:
        """The built-in line patterns (minus disabled rules) plus the extra ones."""
        out = {k: list(v) for k, v in LINE_PATTERNS.items() if k not in self.disabled}
        for reason, items in self.patterns.items():
            out.setdefault(reason, []).extend(re.compile(p, _FLAGS) for p in items)
        return out


@dataclass
class Unit:
    """A line or paragraph of the text before cleaning, with its offsets."""

    start: int
    end: int
    text: str
    block: int
    reason: str | None = None
    cuts: list = field(default_factory=list)  # (start, end) inside text, cut as duplicates

    @property
    def kept_text(self) -> str:
        """The unit's text without its cut spans."""
        pieces, position = [], 0
        for start, end in self.cuts:
            pieces.append(self.text[position:start])
            position = end
        pieces.append(self.text[position:])
        return "".join(pieces).strip()

    @property
    def n_words(self) -> int:
        return len(_WORD.findall(self.text))


@dataclass
class CleanedArticle:
    """The result of cleaning one article."""

    text: str
    removed: list[dict]
    comments: list[dict]


# --------------------------------------------------------------------------- units
def split_units(text: str) -> list[Unit]:
    """Split text into units: each line, except hard-wrapped paragraphs, which stay whole.

    A blank-line-separated block of three or more lines is *hard-wrapped* when its lines
    (except the last) are 40-100 characters long and do not start with a bullet: one paragraph
    printed at a fixed width, as in e-mail or plain-text archives.
    """
    units: list[Unit] = []
    for block_no, block in enumerate(re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", text)):
        lines = [m for m in re.finditer(r"[^\n]+", block.group()) if m.group().strip()]
        if not lines:
            continue
        base = block.start()
        if _hard_wrapped([m.group() for m in lines]):
            start = base + lines[0].start() + _lead(lines[0].group())
            end = base + lines[-1].end() - _trail(lines[-1].group())
            # Newlines become spaces one for one, so offsets into the unit stay offsets
            # into the original text.
            units.append(Unit(start, end, text[start:end].replace("\n", " "), block_no))
            continue
        for m in lines:
            start = base + m.start() + _lead(m.group())
            end = base + m.end() - _trail(m.group())
            units.append(Unit(start, end, text[start:end], block_no))
    return units


def _lead(line: str) -> int:
    return len(line) - len(line.lstrip())


def _trail(line: str) -> int:
    return len(line) - len(line.rstrip())


def _hard_wrapped(lines: list[str]) -> bool:
    if len(lines) < 3:
        return False
    body = [line.strip() for line in lines[:-1]]
    if any(re.match(_BULLET + r"\s", line) or _NUMBERED_ITEM.match(line) for line in body):
        return False
    return sum(40 <= len(line) <= 100 for line in body) >= 0.8 * len(body)


def is_body(text: str) -> bool:
    """True for prose: >= 12 words with sentence punctuation, or >= 25 words."""
    words = len(_WORD.findall(text))
    return (words >= 12 and bool(_SENTENCE_END.search(text))) or words >= 25


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"\s+", " ", re.sub(r"^[\W_]+|[\W_]+$", "", text))


# --------------------------------------------------------------------------- the cleaner
def clean_article(
    text: str, *, title: str = "", outlet: str = "", config: CleanConfig | None = None
) -> CleanedArticle:
    """Clean one article's text.

    Parameters
    ----------
    text : str
        The extracted article text (plain text, or trafilatura's output for HTML).
    title : str, optional
        The article's title from the metadata: its line is kept as the headline.
    outlet : str, optional
        The outlet's name: a tail paragraph that names it and promotes it is a promo.
    config : CleanConfig, optional
        Rules to switch off and extra patterns.

    Returns
    -------
    CleanedArticle
        ``text`` (kept units joined by blank lines), ``removed`` (dicts with start, end,
        reason, text; offsets into the input ``text``) and ``comments`` (dicts with
        comment_id, start, end, text).
    """
    config = config or CleanConfig()
    units = split_units(text)
    patterns = config.compiled_patterns()
    on = lambda rule: rule not in config.disabled  # noqa: E731

    for unit in units:
        unit.reason = _match_line(unit.text, patterns)
    _attach_counters(units)
    body = [i for i, u in enumerate(units) if u.reason is None and is_body(u.text)]
    first_body = body[0] if body else len(units)

    comments: list[list[Unit]] = []
    if on("reader_comment") or on("comment_form"):
        comments = _mark_comment_section(units, first_body, on)
    if on("author_bio") or on("promo"):
        _mark_bio_and_promo(units, first_body, outlet, on)
    _mark_head(units, first_body, title, on)
    _mark_tail(units, on)
    if on("duplicate_paragraph"):
        _mark_duplicates(units, config.min_duplicate_words)

    kept = [u.kept_text for u in units if u.reason is None]
    removed = []
    for u in units:
        if u.reason is not None:
            removed.append(
                {"start": u.start, "end": u.end, "reason": u.reason, "text": text[u.start : u.end]}
            )
        for start, end in u.cuts:
            removed.append(
                {
                    "start": u.start + start,
                    "end": u.start + end,
                    "reason": "duplicate_paragraph",
                    "text": text[u.start + start : u.start + end],
                }
            )
    comment_rows = [
        {
            "comment_id": number,
            "start": group[0].start,
            "end": group[-1].end,
            "text": "\n".join(u.text for u in group),
        }
        for number, group in enumerate(comments, start=1)
    ]
    return CleanedArticle("\n\n".join(kept), removed, comment_rows)


def _match_line(text: str, patterns: dict[str, list[re.Pattern]]) -> str | None:
    stripped = text.strip()
    for reason, items in patterns.items():
        if any(p.search(stripped) for p in items):
            return reason
    return None


def _attach_counters(units: list[Unit]) -> None:
    """A bare number next to a share widget is that widget's counter ("• 351" / "Shares")."""
    for i, unit in enumerate(units):
        if unit.reason != "fragment":
            continue
        neighbours = units[max(i - 1, 0) : i] + units[i + 1 : i + 2]
        if any(n.reason == "share_counter" for n in neighbours):
            unit.reason = "share_counter"


def _mark_comment_section(units: list[Unit], first_body: int, on) -> list[list[Unit]]:
    """Find the comment header after the body starts; classify everything after it."""
    start = next(
        (
            i
            for i in range(first_body + 1, len(units))
            if any(p.match(units[i].text.strip()) for p in COMMENT_HEADERS)
        ),
        None,
    )
    if start is None:
        return []
    if on("comment_form"):
        units[start].reason = "comment_form"
    comments: list[list[Unit]] = []
    current: list[Unit] = []
    previous_block = None
    for unit in units[start + 1 :]:
        line = unit.text.strip()
        is_prose = unit.n_words >= 5 and not any(p.match(line) for p in _COMMENT_META)
        if unit.reason in ("comment_form", "share_counter", "fragment") or not is_prose:
            if on("comment_form") and unit.reason in (None, "comment_form", "footer"):
                unit.reason = "comment_form"
            if current:
                comments.append(current)
                current = []
            previous_block = None
            continue
        if not on("reader_comment"):
            continue
        starts_new = _NUMBERED_ITEM.match(line) or unit.block != previous_block
        if starts_new and current:
            comments.append(current)
            current = []
        unit.reason = "reader_comment"
        current.append(unit)
        previous_block = unit.block
    if current:
        comments.append(current)
    return comments


def _mark_bio_and_promo(units: list[Unit], first_body: int, outlet: str, on) -> None:
    """Author bio (explicit marker in the second half) and the self-promotion after it."""
    live = [i for i, u in enumerate(units) if u.reason is None]
    if not live:
        return
    half = units[live[0]].start + (units[live[-1]].end - units[live[0]].start) / 2
    bio_at = next(
        (
            i
            for i in live
            if i > first_body
            and units[i].start >= half
            and any(p.search(units[i].text) for p in BIO_MARKERS)
        ),
        None,
    )
    # Promos sit at the end: after the bio if there is one, else among the last live units.
    body_live = [i for i in live if is_body(units[i].text)]
    candidates = [i for i in live if bio_at is not None and i > bio_at] or body_live[-3:]
    outlet_pattern = re.compile(rf"\b{re.escape(outlet)}\b", _FLAGS) if outlet.strip() else None
    for i in candidates:
        cues = len(PROMO_CUES.findall(units[i].text))
        names_outlet = outlet_pattern is not None and outlet_pattern.search(units[i].text)
        if on("promo") and (cues >= 2 or (names_outlet and cues >= 1)):
            units[i].reason = "promo"
    if bio_at is not None and on("author_bio"):
        units[bio_at].reason = "author_bio"
        for i in live:
            if (
                i > bio_at
                and units[i].reason is None
                and units[i].n_words <= 60
                and not is_body(units[i].text)
            ):
                units[i].reason = "author_bio"


def _mark_head(units: list[Unit], first_body: int, title: str, on) -> None:
    """Before the first body paragraph: keep the headline and any lede, drop the rest."""
    head = [i for i in range(min(first_body, len(units))) if units[i].reason is None]
    if not head:
        return
    wanted = _normalise(title) if title else ""
    title_at = next((i for i in head if wanted and _normalise(units[i].text) == wanted), None)
    if title_at is None:
        title_at = next(
            (
                i
                for i in head
                if 2 <= units[i].n_words <= 25
                and not _is_crumb(units[i].text)
                and not any(p.match(units[i].text) for p in _BYLINE)
            ),
            None,
        )
    for i in head:
        text = units[i].text.strip()
        is_lede = units[i].n_words >= 6 and _SENTENCE_END.search(text)
        if i == title_at or (is_lede and i > (title_at if title_at is not None else -1)):
            continue
        if _is_crumb(text):
            reason = "nav_crumb"
        elif any(p.match(text) for p in _BYLINE):
            reason = "byline"
        else:
            reason = "head_label"
        if on(reason):
            units[i].reason = reason


def _is_crumb(text: str) -> bool:
    return any(p.search(text.strip()) for p in _BREADCRUMB)


def _mark_tail(units: list[Unit], on) -> None:
    """After the last body paragraph, short non-bullet lines are page furniture."""
    if not on("footer"):
        return
    live_body = [i for i, u in enumerate(units) if u.reason is None and is_body(u.text)]
    if not live_body:
        return
    for unit in units[live_body[-1] + 1 :]:
        text = unit.text.strip()
        bullet = re.match(_BULLET + r"\s", text) or _NUMBERED_ITEM.match(text)
        if unit.reason is None and unit.n_words < 12 and not bullet:
            unit.reason = "footer"


_ROUGH_SENTENCE = re.compile(r"\S.*?(?:[.!?][\"'”’)\]]*(?=\s+|$)|$)", re.DOTALL)


def _mark_duplicates(units: list[Unit], min_words: int, min_sentence_words: int = 8) -> None:
    """Later copies of text already kept: whole units, or repeated sentences inside a unit.

    Scrapers repeat paragraphs, and sometimes a repeated passage is glued onto another
    paragraph, so repetition is checked at two levels. A unit whose normalised text was seen
    before (and has at least ``min_words`` words) is removed whole. Inside kept units, a
    sentence of at least ``min_sentence_words`` words that repeats an earlier sentence, or
    contains it (or is contained in it) with 80 % of its length, is cut; a unit left with no
    sentence is removed whole. Sentences here are found with a rough punctuation rule, which is
    enough to match verbatim copies.
    """
    seen_units: set[str] = set()
    seen_sentences: list[str] = []
    seen_set: set[str] = set()
    for unit in units:
        if unit.reason is not None:
            continue
        key = _normalise(unit.text)
        if unit.n_words >= min_words and key in seen_units:
            unit.reason = "duplicate_paragraph"
            continue
        seen_units.add(key)
        cuts, n_sentences = [], 0
        for match in _ROUGH_SENTENCE.finditer(unit.text):
            n_sentences += 1
            sentence = _normalise(match.group())
            if len(sentence.split()) < min_sentence_words:
                continue
            if sentence in seen_set or any(_near_copy(sentence, old) for old in seen_sentences):
                cuts.append((match.start(), match.end()))
            else:
                seen_set.add(sentence)
                seen_sentences.append(sentence)
        if cuts and len(cuts) == n_sentences:
            unit.reason = "duplicate_paragraph"
        elif cuts:
            unit.cuts = _merge_cuts(cuts, unit.text)


def _near_copy(a: str, b: str) -> bool:
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 0.8 * len(long) and short in long


def _merge_cuts(cuts: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Join cuts separated only by whitespace, and take the whitespace before each cut."""
    merged: list[list[int]] = []
    for start, end in cuts:
        while start > 0 and text[start - 1].isspace():
            start -= 1
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


# --------------------------------------------------------------------------- tables
@dataclass
class CleanResult:
    """Cleaned articles plus the audit tables."""

    articles: pd.DataFrame
    removed: pd.DataFrame
    comments: pd.DataFrame


def clean_articles(articles: pd.DataFrame, config: CleanConfig | None = None) -> CleanResult:
    """Clean every article of an articles table.

    Parameters
    ----------
    articles : DataFrame
        The articles table from :func:`framelens.text.corpus.read_corpus`.
    config : CleanConfig, optional
        Cleaning settings.

    Returns
    -------
    CleanResult
        ``articles``: a copy whose ``text`` is the cleaned text, with the text before
        cleaning in ``raw_text`` and ``kept_chars``/``removed_chars`` counts; ``removed``:
        article_id, start, end, reason, text (offsets into ``raw_text``); ``comments``:
        article_id, comment_id, start, end, text, origin (reader comments found in the text,
        plus those trafilatura separated from HTML pages).
    """
    removed_rows, comment_rows, texts = [], [], []
    for row in articles.itertuples(index=False):
        result = clean_article(row.text, title=row.title, outlet=row.outlet, config=config)
        texts.append(result.text)
        removed_rows += [{"article_id": row.article_id, **r} for r in result.removed]
        comment_rows += [
            {"article_id": row.article_id, **c, "origin": "text"} for c in result.comments
        ]
        html_comments = getattr(row, "html_comments", "") or ""
        if html_comments.strip():
            comment_rows.append(
                {
                    "article_id": row.article_id,
                    "comment_id": len(result.comments) + 1,
                    "start": -1,
                    "end": -1,
                    "text": html_comments,
                    "origin": "html",
                }
            )
    out = articles.copy()
    out["raw_text"] = out["text"]
    out["text"] = texts
    removed = pd.DataFrame(removed_rows, columns=["article_id", "start", "end", "reason", "text"])
    comments = pd.DataFrame(
        comment_rows, columns=["article_id", "comment_id", "start", "end", "text", "origin"]
    )
    removed_chars = (removed["end"] - removed["start"]).groupby(removed["article_id"]).sum()
    out["kept_chars"] = out["text"].str.len()
    out["removed_chars"] = out["article_id"].map(removed_chars).fillna(0).astype(int)
    return CleanResult(out, removed, comments)

"""Remove boilerplate from extracted article text, auditably, and never article prose.

Scraped articles carry navigation crumbs, share counters, comment forms, reader comments,
"Read more:" cross-links, previous/next links, author bios, outlet promos, photo credits,
player messages, licensing notices and repeated paragraphs. :func:`clean_article` splits the
text into *units* (lines, or hard-wrapped paragraphs), decides for each unit whether it is
article text, and returns the kept text plus one row per removed unit or span (reason,
offsets into the text before cleaning, the removed text). Reader comments also go to a
comments table. Nothing is removed unrecorded.

The rules are general, not copied from any one outlet. They combine four kinds of evidence:

* **what a line says** (content rules): whole-line patterns for widgets ("351 Shares",
  "Leave a Reply", "Read more: ...", "Follow us"), captions and credits ("Image copyright ...",
  "(AP Photo/...)"), players ("Media playback is unsupported on your device"), advertisement
  slots, licensing notices, app and newsletter prompts. The most specific of them
  (:data:`PIECE_RULES`, :data:`INLINE_PATTERNS`) also cut a sentence or a bracketed credit
  glued inside a paragraph, as one-line scrapes have them;
* **where it stands** (positional rules): *head* units before the first body paragraph
  (crumbs, bylines, section labels; the title is kept), *tail* units after the last body
  paragraph (footers), the *comment section* after a comment header ("1 COMMENT", "Leave a
  Reply", "12 thoughts on"), and the block after an author-bio marker ("The writer is ...").
  A positional rule takes labels and link lists, never prose: a line that reads as a sentence
  (:func:`reads_as_sentence`), a table row or a list item stays, however short;
* **repetition within the article**: later copies of a paragraph of at least
  ``min_duplicate_words`` words;
* **repetition across the outlet's articles**: lines and sentences that recur in a large
  share of one outlet's stories (:mod:`framelens.text.furniture`; reason ``outlet_furniture``),
  counted over the whole corpus by :func:`count_furniture` and :func:`find_furniture`. Not
  the article's reporting, however often it recurs: the headline, and a clause that names a
  codebook target or reports what someone said (:func:`is_reported_prose`).

A *body* unit is prose: at least 12 words with sentence punctuation, or at least 25 words.

Every rule can be switched off, extra whole-line patterns added and the furniture thresholds
set with :class:`CleanConfig` (from the ``[cleaning]`` table of an experiment or corpus
config).
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from framelens.errors import InputError
from framelens.text.furniture import (
    DEFAULT_MAX_WORDS,
    DEFAULT_MIN_ARTICLES,
    DEFAULT_SHARE,
    Furniture,
    FurnitureCounter,
    pieces,
    segment_keys,
    segments,
)
from framelens.text.starts import starts_regex

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
    "credit",
    "player",
    "advertisement",
    "licensing",
    "disclaimer",
    "duplicate_paragraph",
    "outlet_furniture",
)

_FLAGS = re.IGNORECASE


def _full(pattern: str, flags: int = _FLAGS) -> re.Pattern:
    return re.compile(rf"^(?:{pattern})$", flags)


_BULLET = r"[•·▪●◦‣∙*\-–]"

#: Costly built-in patterns (a line's first characters searched for a word, as in
#: ".{0,80}\bcontributed", or a whole paragraph scanned) and the words (lower case) one of
#: which every match of them contains. Most text has none: such a pattern is tried only when
#: the lower-cased text (:func:`_safe_lower`) holds one of its words.
_NEEDS: dict[re.Pattern, tuple[str, ...]] = {}


def _needing(words: tuple[str, ...], pattern: re.Pattern) -> re.Pattern:
    """``pattern``, noted in :data:`_NEEDS` with the words one of which its matches contain."""
    _NEEDS[pattern] = words
    return pattern


# Lower-casing keeps every character's length and whether it is a word character, and a
# character matches a lower-case ASCII letter under IGNORECASE only as its lower case, except
# these letters ("ı" and "ſ" match "i" and "s"; "İ" lower-cases to two characters); the premise
# is checked over every code point in tests/test_clean.py. So in text without them, what a
# pattern of lower-case literals matches under IGNORECASE, the same pattern matches
# case-sensitively, at the same offsets, in the lower-cased text.
_CASE_TRAPS = "\u0130\u0131\u017f"  # (spelled out in _safe_lower)


def _safe_lower(text: str) -> str | None:
    """``text`` in lower case, or ``None`` if it holds one of :data:`_CASE_TRAPS`."""
    # Three substring tests: far cheaper than a regex scan for a class of characters (and
    # than any() over them, for a short line).
    if "\u0130" in text or "\u0131" in text or "\u017f" in text:
        return None
    return text.lower()


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
        # A row of share buttons ("Facebook Twitter Pinterest", "Share on Facebook | Email").
        _full(
            r"((share (on|via) )?(facebook|twitter|x|pinterest|linkedin|whatsapp|telegram|reddit"
            r"|messenger|e-?mail|print|copy link|flipboard)\s*[,|/·•]?\s*){2,}"
        ),
        _full(
            r"(share this( article| story| post| page)?|share (it|this) with (a friend|your friends)"
            r"|think your friends would be interested\??|(like|liked|enjoyed?) this (story|article)\??)"
            r"[\s:!.?]*((share|like|tweet) (it|this|us)( with a friend| on \w+)?[!.]?)?"
        ),
    ],
    "read_more": [
        re.compile(
            r"^(read more|read also|also read|see also|related( articles?| stor(y|ies)"
            r"| posts?| reading)?|recommended( reading)?|suggested reading"
            r"|you (may|might) also like|more on this( story)?|further reading"
            r"|must read)\s*[:\-–—|»>].{0,110}$",
            _FLAGS,
        ),
        _full(r"(read more|read also|also read|continue reading|read the full (article|story))\.*"),
        # An inline cross-link: "(RELATED: Another study ...)", "[READ MORE: ...]".
        _full(
            r"[\(\[](related|read more|read also|also read|see also|more|watch|listen)\s*:"
            r"[^()\[\]]{0,160}[\)\]]\.?"
        ),
    ],
    "prev_next": [
        # "Previous articleFloyd ...": scrapers glue the link label to the linked title.
        re.compile(
            r"^(previous|next|older|newer)\s*(article|post|story|entry)"
            r"(\s*$|\s*[:»>→|]|\s+(?-i:[A-Z\"“'‘])|(?-i:[A-Z])).{0,200}$",
            _FLAGS,
        ),
        re.compile(r"^[←«‹<]\s*(previous|older|prev)\b.{0,200}$", _FLAGS),
        re.compile(r"^(?=[^→»›>]*[→»›>]$).{0,200}\b(next|newer)\s*[→»›>]$", _FLAGS),
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
            r"|you might like|more stories)"
        ),
    ],
    # Self-promotion that needs no context: app, newsletter and sign-up prompts.
    "promo": [
        _full(
            r"((click|tap) (here )?to (get|download|install|subscribe|sign up|follow|join|listen"
            r"|watch).{0,80}|(download|get|install) (the|our) .{0,40}\bapps?\b.{0,80}"
            r"|sign up( here| now| today)? (for|to) .{0,120}"
            r"|support (our|independent) journalism.{0,120}"
            r"|follow (him|her|them|me|us) (on|at) (twitter|x|facebook|instagram|linkedin"
            r"|telegram|threads|bluesky).{0,60})"
        ),
        _needing(
            ("your inbox",),
            _full(
                r"(?=.{0,80}\b(to|in) your inbox\b)"
                r"(?=.*\b(newsletter|sign up|subscribe|delivered|briefing|digest|want)\b).{0,200}"
            ),
        ),
    ],
    # Advertising slots and their labels.
    "advertisement": [
        _full(
            r"(advertisement|advertising|sponsored( content| post| story)?|paid (content|post"
            r"|partnership)|promoted( stories| content)?|(story|article) continues (below|after)"
            r"( the)? advertisement|skip advertisement|ad feedback|advertise with us)[\s.:]*"
        ),
    ],
    # Media players and their fallbacks.
    "player": [
        _full(
            r"(media playback is (unsupported|not supported) on your device"
            r"|your (browser|device) does not support .{0,40}\b(video|audio|media|playback|player"
            r"|content|feature).{0,60}"
            r"|(this )?(video|audio|media|content) (is )?(not available|unavailable|cannot be played"
            r"|could not be loaded).{0,60}"
            r"|(please )?(enable|turn on) javascript.{0,80}"
            r"|(play|watch|replay|listen)( now| video| again| to (the|this) (video|audio|clip"
            r"|podcast|story))?|(video|audio)\s*\d{1,2}:\d{2}(:\d{2})?"
            r"|duration:? \d{1,2}:\d{2}(:\d{2})?|(loading|now playing|up next)( video| player)?)"
            r"[\s.:]*"
        ),
    ],
    # Who may republish the article and how: statements about it, not of it.
    "licensing": [
        _full(
            r"(content created by .{0,120} is available without charge.{0,200}"
            r"|for (licensing|reprint|syndication) (opportunities|rights|requests|enquiries"
            r"|inquiries).{0,200}"
            r"|(published|reprinted|republished|reproduced|used) with (the )?permission( of| from)?"
            r".{0,120}"
            r"|this (article|story|piece|post|content) (is|was|has been) (republished|reprinted"
            r"|reproduced|syndicated|licensed) .{0,200}"
            r"|(republish|reprint) (this|our) (article|story|content).{0,120}"
            r"|this material may not be (published|broadcast|rewritten|redistributed).{0,120})"
        ),
        _needing(
            ("creative commons",),
            _full(
                r".{0,80}\b(licensed|available|published) under (a |the )?creative commons"
                r".{0,150}"
            ),
        ),
    ],
    # Who reported, edited or supplied the text.
    "credit": [
        _needing(
            ("contributed",),
            _full(r".{0,80}\bcontributed (reporting )?(to )?this (report|story|article)\.?"),
        ),
        _full(
            r"((additional )?(reporting|writing|editing) by (?-i:[A-Z])[^.!?]{0,150}\.?"
            r"|\(?(with )?inputs? from (the )?(news )?(agencies|wires?|wire services)\)?\.?"
            r"|\(?(source|sources|via):\s.{0,60})"
        ),
    ],
    # Photo and video credits ("Photo: AFP", "(Reuters/Getty Images)"): not the article's text.
    "caption": [
        re.compile(
            r"^[\(\[]?(photo|image|picture|photograph|file photo|video|graphic)"
            r"( credit)?s?(\s*[:|/—–]|\s+-\s).{0,200}$",
            _FLAGS,
        ),
        _needing(
            ("/", "via"),
            _full(
                r"[\(\[]?.{0,120}(/|\bvia\b)\s*(getty images|afp|reuters|ap|epa|shutterstock"
                r"|anadolu|xinhua|bloomberg|pa( media| wire)?|alamy|rex features|ani|pti)[\)\]]?\.?"
            ),
        ),
        # "(AP Photo/Ellen Knickmeyer)", "File photo by ..."
        _full(
            r"[\(\[]?(ap|afp|reuters|epa|getty|xinhua|pa|ani|pti|file|staff|courtesy)"
            r" (photo|image|picture)s?\s*(/|:|by)\s*[^()\[\]]{0,80}[\)\]]?\.?"
        ),
        # "Image copyright Getty Images", "Image caption ...", "... Photograph: Name/Agency".
        _full(r"(image|photo|picture|media|video) (copyright|caption|source|credit)s?\b.{0,200}"),
        _needing(
            ("photo", "image", "picture", "illustration"),
            _full(
                r"(?=[^:]{0,170}:).{0,160}\b(photograph|photo|image|picture|illustration)s?:"
                r"\s*[^.!?]{0,80}"
            ),
        ),
    ],
    # Statements about the article rather than of it.
    "disclaimer": [
        re.compile(
            r"^[\(\[\*]*\s*(disclaimer\s*:|editor'?s'? note\s*:|correction\s*:"
            r"|the (views|opinions)( and opinions)? expressed (in this|here"
            r"|by the)|views expressed (in this|here) |this (article|piece|story|op-ed) "
            r"(was )?(originally|first) (appeared|published)).{0,400}$",
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

# The built-in patterns that never match more than MAX_PIECE_CHARS characters.
_BOUNDED_PATTERNS = frozenset(
    pattern
    for reason in (
        "promo",
        "advertisement",
        "player",
        "licensing",
        "credit",
        "caption",
        "read_more",
        "prev_next",
        "disclaimer",
    )
    for pattern in LINE_PATTERNS[reason]
)

#: Furniture that delimits itself, cut wherever it stands inside a paragraph: bracketed
#: cross-links and photo credits, a player's fallback message.
INLINE_PATTERNS: dict[str, list[re.Pattern]] = {
    "read_more": [
        _needing(
            ("(", "["),
            re.compile(
                r"[\(\[](related|read more|read also|also read|see also|watch|listen)\s*:"
                r"[^()\[\]\n]{1,160}[\)\]]",
                _FLAGS,
            ),
        )
    ],
    "caption": [
        _needing(
            ("(", "["),
            re.compile(
                r"[\(\[]((ap|afp|reuters|epa|getty|file|staff) )?(photo|image|picture|video)s?"
                r"( credit)?\s*[:/][^()\[\]\n]{1,100}[\)\]]",
                _FLAGS,
            ),
        )
    ],
    "player": [
        _needing(
            ("media playback",),
            re.compile(r"media playback is (unsupported|not supported) on your device", _FLAGS),
        )
    ],
}

# The photo agencies whose credits the caption rules name.
_AGENCIES = (
    r"(getty images|afp|reuters|ap|epa|shutterstock|anadolu|xinhua|bloomberg|pa( media| wire)?"
    r"|alamy|rex features|ani|pti)"
)
# Followed by a capitalised word: the prose the notice was glued onto.
_BEFORE_PROSE = r"(?=\s+[\"“‘']?(?-i:[A-Z0-9]))"

#: A short notice glued onto the prose after it, as one-line scrapes have them ("SIGN UP FOR
#: OUR NEWSLETTER Analysts said ...", "Image copyright AFP Is this ...", "Photograph: Rick
#: Findler/PA Corbyn has ..."). A line or piece rule names the whole line or sentence, but only
#: the notice is furniture: when one of these matches at its start and no rule names what
#: follows, only the notice is cut (:func:`glued_notice`).
GLUED_NOTICES: dict[str, list[re.Pattern]] = {
    "promo": [
        _needing(
            ("sign up", "subscribe"),
            re.compile(
                r"\s*(sign up (here |now |today )?for|subscribe (now |today )?to) (our|the|my) "
                r"([\w'’-]+ ){0,3}newsletters?\b[.!:]?" + _BEFORE_PROSE,
                _FLAGS,
            ),
        )
    ],
    "caption": [
        _needing(
            ("copyright", "credit"),
            re.compile(
                rf"\s*[\(\[]?(image|photo|picture) (copyright|credit) {_AGENCIES}\b[\)\]]?"
                + _BEFORE_PROSE,
                _FLAGS,
            ),
        ),
        _needing(
            ("photo", "image"),
            re.compile(
                rf"\s*(photograph|photo|image)\s*:\s*[^/\n.!?]{{1,60}}/\s*{_AGENCIES}\b"
                + _BEFORE_PROSE,
                _FLAGS,
            ),
        ),
        _needing(
            ("photo", "image"),
            re.compile(
                rf"\s*(photograph|photo|image)s?\s*:\s*{_AGENCIES}\b\.?" + _BEFORE_PROSE, _FLAGS
            ),
        ),
    ],
}
# Words one of which every notice holds (lower case): a unit without them has none.
_GLUED_WORDS = tuple(
    dict.fromkeys(word for items in GLUED_NOTICES.values() for p in items for word in _NEEDS[p])
)


def glued_notice(text: str, names) -> tuple[int, str] | None:
    """A notice of :data:`GLUED_NOTICES` at the start of ``text``, glued onto prose.

    Parameters
    ----------
    text : str
        A line or sentence that a rule names as furniture.
    names : callable
        The rules: text -> reason or None. What follows the notice must be named by none.

    Returns
    -------
    (int, str) or None
        Where the notice ends in ``text`` and its reason; ``None`` if there is no such notice
        or what follows it is furniture too ("Image copyright PA Image caption ...").
    """
    for reason, items in GLUED_NOTICES.items():
        for pattern in items:
            match = pattern.match(text)
            if match is not None and names(text[match.end() :].strip()) is None:
                return match.end(), reason
    return None


#: A piece longer than this is never matched by a piece rule (their patterns are bounded).
MAX_PIECE_CHARS = 600

#: Rules whose patterns are specific enough to name a sentence inside a paragraph too: scraped
#: text often glues a credit, a licensing notice or an app promo onto the prose around it
#: ("... said. CLICK HERE TO GET THE APPHe went on"), where no line rule can see it.
PIECE_RULES = (
    "share_counter",
    "read_more",
    "promo",
    "advertisement",
    "player",
    "licensing",
    "credit",
    "caption",
    "disclaimer",
)

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
# Each alternative starts with a lower-case letter (see _promo_cues_after).
_PROMO_ALTERNATIVES = (
    r"subscribe|subscription|newsletter|follow us|sign up|download (our|the) app|advertis\w*",
    r"sponsor\w*|since (its|our) inception|at the forefront|media house|premier|magazine",
    r"our (readers|team|magazine|website|publication|journalism)|publishing services?",
    r"readers worldwide|is now offering|offering \w+(, \w+)*( and \w+)? services",
    r"whatsapp channel|telegram channel|support (our|independent) journalism|donate",
    r"self[- ]publishing|best-?sellers?",
)
PROMO_CUES = re.compile(
    # The lookahead lists the cues' first letters: most word starts fail on it at once.
    rf"\b(?=[abdfimnoprstw])({'|'.join(_PROMO_ALTERNATIVES)})\b",
    _FLAGS,
)


def _promo_cues_after() -> tuple[re.Pattern, re.Pattern]:
    """The cues for lower-cased text (see :data:`_CASE_TRAPS`): at its start, and after the
    non-word character before them (where a cue starts elsewhere).

    A pattern that starts with a character class lets the regex engine skip the characters
    outside it (letters, mostly) without trying the pattern there, and the alternatives,
    grouped by their first letter, are tried only after it. A cue's first letter after a
    non-word character is a word boundary, and a cue ends before a non-word character, so
    the matches are those of :data:`PROMO_CUES`, one for one.
    """
    by_letter: dict[str, list[str]] = {}
    for alternative in (a for line in _PROMO_ALTERNATIVES for a in _top_level(line)):
        by_letter.setdefault(alternative[0], []).append(alternative[1:])
    cues = "|".join(f"{letter}(?:{'|'.join(rest)})" for letter, rest in by_letter.items())
    return re.compile(rf"(?:{cues})\b"), re.compile(rf"\W(?:{cues})\b")


def _top_level(pattern: str) -> list[str]:
    """The alternatives of ``pattern`` outside its groups."""
    return re.split(r"\|(?![^(]*\))", pattern)


_PROMO_AT_START, _PROMO_AFTER = _promo_cues_after()


def _count_promo_cues(unit: Unit) -> int:
    """How many :data:`PROMO_CUES` the unit's kept text has (a whole article is often one
    unit): cues in its cut furniture ("SIGN UP FOR OUR NEWSLETTER" glued onto prose) do not
    make the prose left a promo."""
    if unit.cuts:
        text = unit.kept_text
        lower = _safe_lower(text)
    else:
        text, lower = unit.text, unit.lower
    if lower is None:
        return len(PROMO_CUES.findall(text))
    first = _PROMO_AT_START.match(lower)
    if first is None:
        return len(_PROMO_AFTER.findall(lower))
    return 1 + len(_PROMO_AFTER.findall(lower, first.end()))  # (no cue overlaps the first)


# A tail paragraph is a promo when it has a promo cue for every this many words (at least two
# cues; one when it names the outlet).
PROMO_WORDS_PER_CUE = 40

_BYLINE = [
    re.compile(r"^by\b.{0,80}$", _FLAGS),
    # "Updated 3 hours ago", "Published: 14 March 2023", "Posted on June 3 by admin"; not a
    # headline that begins with the word ("Updated: Russia responds"): a byline has a date,
    # a time or an author after it.
    re.compile(
        r"^(last )?(published|updated|posted)( on)?\b(?=.{0,60}$)"
        r"(?=.*(\d|\b(ago|today|yesterday|by|jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?"
        r"|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?|mon(day)?"
        r"|tue(s(day)?)?|wed(nesday)?|thu(rs(day)?)?|fri(day)?|sat(urday)?|sun(day)?)\b))",
        _FLAGS,
    ),
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
    furniture_share : float, default 0.2
        A line or sentence found in at least this share of one outlet's articles (and in at
        least ``furniture_min_articles`` of them) is that outlet's furniture
        (:mod:`framelens.text.furniture`; rule ``outlet_furniture``).
    furniture_min_articles : int, default 3
        The fewest articles a line or sentence must recur in to be furniture: below it an
        outlet has too few articles to tell furniture from a story retold.
    furniture_max_words : int, default 40
        Longer lines and sentences are never counted as furniture.
    """

    disabled: frozenset = frozenset()
    patterns: dict = field(default_factory=dict)
    min_duplicate_words: int = 4
    furniture_share: float = DEFAULT_SHARE
    furniture_min_articles: int = DEFAULT_MIN_ARTICLES
    furniture_max_words: int = DEFAULT_MAX_WORDS

    #: The keys of a ``[cleaning]`` table and the type each must have.
    SETTINGS = {
        "disable": list,
        "patterns": dict,
        "min_duplicate_words": int,
        "furniture_share": float,
        "furniture_min_articles": int,
        "furniture_max_words": int,
    }

    @classmethod
    def from_dict(cls, settings: dict | None, *, source=None) -> CleanConfig:
        """Build from a ``[cleaning]`` table (keys as in :attr:`SETTINGS`: ``disable = [...]``,
        ``patterns = {...}``, ``min_duplicate_words``, ``furniture_share``,
        ``furniture_min_articles``, ``furniture_max_words``).

        Raises
        ------
        InputError
            For an unknown key or rule, an invalid regex or a setting out of range.
        """
        settings = dict(settings or {})
        known = set(cls.SETTINGS)
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
        share = float(settings.get("furniture_share", DEFAULT_SHARE))
        if not 0 < share <= 1:
            raise InputError(
                f"furniture_share = {share:g} is not a share",
                source=source,
                record="[cleaning] furniture_share",
                hint="give a number above 0 and at most 1, e.g. 0.2",
            )
        counts = {}
        for key, default in (
            ("min_duplicate_words", 4),
            ("furniture_min_articles", DEFAULT_MIN_ARTICLES),
            ("furniture_max_words", DEFAULT_MAX_WORDS),
        ):
            counts[key] = int(settings.get(key, default))
            if counts[key] < 1:
                raise InputError(
                    f"{key} = {counts[key]} must be at least 1",
                    source=source,
                    record=f"[cleaning] {key}",
                )
        return cls(
            disabled,
            patterns,
            counts["min_duplicate_words"],
            share,
            counts["furniture_min_articles"],
            counts["furniture_max_words"],
        )

    def as_dict(self) -> dict:
        """The settings in effect, defaults included (for manifests and run fingerprints)."""
        return {
            "disabled": sorted(self.disabled),
            "patterns": self.patterns,
            "min_duplicate_words": self.min_duplicate_words,
            "furniture_share": self.furniture_share,
            "furniture_min_articles": self.furniture_min_articles,
            "furniture_max_words": self.furniture_max_words,
        }

    def compiled_patterns(self) -> dict[str, list[re.Pattern]]:
        """The built-in line patterns (minus disabled rules) plus the extra ones."""
        out = {k: list(v) for k, v in LINE_PATTERNS.items() if k not in self.disabled}
        for reason, items in self.patterns.items():
            out.setdefault(reason, []).extend(re.compile(p, _FLAGS) for p in items)
        return out


@dataclass
class Unit:
    """A line or paragraph of the text before cleaning, with its offsets.

    ``cuts`` are spans cut out of the unit, sorted and never overlapping (add them with
    :meth:`cut`, which keeps them so): a lookup then costs a binary search, so a long line
    with many cuts stays linear to clean.
    """

    start: int
    end: int
    text: str
    block: int
    reason: str | None = None
    cuts: list = field(default_factory=list)  # (start, end, reason) inside text, sorted

    @property
    def kept_text(self) -> str:
        """The unit's text without its cut spans."""
        pieces, position = [], 0
        for start, end, _ in self.cuts:
            pieces.append(self.text[position:start])
            position = end
        pieces.append(self.text[position:])
        return "".join(pieces).strip()

    def overlaps_cut(self, start: int, end: int) -> bool:
        """True if ``[start, end)`` overlaps a span already cut."""
        # The last cut starting before ``end`` is the only candidate: cuts do not overlap, so
        # the ones before it end before it starts.
        i = bisect.bisect_left(self.cuts, (end,))
        return i > 0 and self.cuts[i - 1][1] > start

    def cut(self, start: int, end: int, reason: str) -> None:
        """Cut ``[start, end)`` (which must not overlap a cut already made)."""
        bisect.insort(self.cuts, (start, end, reason))

    @functools.cached_property
    def n_words(self) -> int:
        return len(_WORD.findall(self.text))

    @functools.cached_property
    def lower(self) -> str | None:
        """The text lower-cased by :func:`_safe_lower` (``None`` when it has a case trap)."""
        return _safe_lower(self.text)


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
    for block_no, block in enumerate(re.finditer(r"(?:[^\n]+|\n(?![ \t]*\n))+", text)):
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
    # Counting stops at 25 words: a whole article on one line costs no more than a paragraph.
    if _words_at_least(25).match(text):
        return True
    return _words_at_least(12).match(text) is not None and bool(_SENTENCE_END.search(text))


@functools.lru_cache(maxsize=64)
def _words_at_least(count: int) -> re.Pattern:
    """A pattern that matches (at the start) a text of at least ``count`` words (of
    :data:`_WORD`), reading no further than the last of them.

    Between two words of ``_WORD.finditer`` stand only non-word characters, and each word is
    taken whole (atomic): the regex engine counts them without a match object a word.
    """
    return re.compile(rf"\W*+(?:(?>{_WORD.pattern})\W*+){{{count}}}")


# Words that make a line a clause: auxiliaries, modals and the verbs of reporting. With the
# regular past tense (below) they stand in for a part-of-speech tagger, which would need a
# model download.
_FINITE_VERB = re.compile(
    r"\b(is|are|was|were|has|have|had|does|did|will|would|can|could|shall|should|may"
    r"|might|must|says|said|told|tells|warns|warned|adds|added|notes|noted|urges|urged|calls"
    r"|called|wants|wanted|remains|seems|seemed|believes|believed|thinks|thought|knows|knew"
    r"|made|makes|took|takes|gave|gives|came|comes|went|goes|got|gets|became|becomes|left"
    r"|met|meets|sent|sends|paid|pays|won|wins|lost|loses|held|holds|kept|keeps|saw|sees"
    r"|[a-z]{3,}ed)\b"
)
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")
_TABLE_ROW = re.compile(r"^\|.*\|$")


# A two-word sentence: a capitalised word, then a lower-case one, then sentence punctuation
# ("India objected.", "Talks continue.", "Why now?"); and one quoted word ("\"No.\"").
_TWO_WORD_SENTENCE = re.compile(
    r"^[\"“‘'(]?(?P<first>[A-Z][\w'’-]*)\s+(?P<second>[a-z][\w'’-]*)[.!?][\"”’')]*$"
)
_QUOTED_WORD = re.compile(r"^[\"“‘'][A-Z][a-z'’]*[.!?]+[\"”’']$")
_WH_WORDS = frozenset("why what who whom whose how when where which".split())
# Two-word page labels that look like "Name verbed.": a call to action ("Read more.",
# "Contact us.", "Subscribe now.") starts with one of these verbs or ends with one of these
# words. Content rules name most of them; these keep the rest from passing as prose.
_LABEL_FIRST = frozenset(
    "read see learn click tap sign log follow share subscribe contact join shop watch listen "
    "download view show load print email go find get try visit explore discover register "
    "donate comment reply tweet skip close open search continue about back".split()
)
_LABEL_SECOND = frozenset(
    "us more here now all in out up this it today online free back top next below above later "
    "again off on".split()
)


def reads_as_sentence(text: str, names_target=None) -> bool:
    """True for a line that reads as a sentence of prose, however short.

    Positional rules (what stands before the first or after the last body paragraph) may
    remove furniture, never prose; this is their test. A line reads as a sentence when

    * it has at least three words, not all capitalised (a title-case line is a heading or a
      label), and either ends with sentence punctuation or has at least four words and a
      finite verb ("India condemned the deal", "Officials said talks would resume");
    * or it is two words that start like a sentence, a capitalised word and a lower-case one,
      and end with sentence punctuation ("India objected.", "Talks continue.", "Why now?"),
      unless they are a call to action ("Read more.", "Contact us.");
    * or it is one quoted word with its punctuation (``"No."``);
    * or it ends with sentence punctuation and names a target of the codebook
      (``names_target``, when given: "Pakistan Objects Strongly.").

    Content rules still name furniture that reads like this ("All rights reserved.",
    "Share this."): they run first, and a positional rule only sees what they left.

    Parameters
    ----------
    text : str
        One line.
    names_target : callable, optional
        ``names_target(text) -> bool``: whether the text names a codebook target.

    Examples
    --------
    >>> reads_as_sentence("India condemned the deal as a threat to the region.")
    True
    >>> reads_as_sentence("India objected."), reads_as_sentence("Why now?")
    (True, True)
    >>> reads_as_sentence("Most Popular"), reads_as_sentence("Follow us on Twitter")
    (False, False)
    >>> reads_as_sentence("Read more."), reads_as_sentence("Breaking News.")
    (False, False)
    """
    text = text.strip()
    words = _WORD.findall(text)
    punctuated = bool(_ENDS_SENTENCE.search(text))
    if len(words) >= 3 and any(w[0].islower() for w in words):
        if punctuated:
            return True
        if len(words) >= 4 and _FINITE_VERB.search(text):
            return True
    if len(words) == 2 and (short := _TWO_WORD_SENTENCE.match(text)):
        first, second = short.group("first").lower(), short.group("second")
        if first in _WH_WORDS and text.rstrip("\"”’')").endswith("?"):
            return True
        if first not in _LABEL_FIRST and second not in _LABEL_SECOND:
            return True
    if len(words) == 1 and _QUOTED_WORD.match(text):
        return True
    return punctuated and names_target is not None and bool(names_target(text))


def is_table_row(text: str) -> bool:
    """True for a row of a table as trafilatura writes it (``| cell | cell |``)."""
    return bool(_TABLE_ROW.match(text.strip())) and text.count("|") >= 3


def _spared(text: str, names_target=None) -> bool:
    """Content a positional rule must leave alone: a sentence, a table row or a list item."""
    stripped = text.strip()
    return (
        reads_as_sentence(stripped, names_target)
        or is_table_row(stripped)
        or bool(re.match(_BULLET + r"\s", stripped) or _NUMBERED_ITEM.match(stripped))
    )


class TargetFinder:
    """``finder(text) -> bool``: whether ``text`` names a target of the codebook (a mention that
    is not inside another name, see :mod:`framelens.text.mentions`).

    The codebook's matcher is compiled on first use, so an article that never asks costs
    nothing.

    Parameters
    ----------
    codebook : Codebook, str, Path or None
        The study's codebook; ``None`` is the shipped default.
    """

    def __init__(self, codebook=None):
        self.codebook = codebook
        self._matcher = None

    def __call__(self, text: str) -> bool:
        if self._matcher is None:
            from framelens.text.mentions import compile_matcher

            self._matcher = compile_matcher(self.codebook)
        return any(not mention.in_name for mention in self._matcher.spans(text))


# Reported speech: a claim attributed to someone ("Analysts said ...", "according to").
_REPORTED = re.compile(r"\b(said|says|told|tells|according to)\b", _FLAGS)


def is_reported_prose(text: str, names_target=None) -> bool:
    """True for a segment that is the article's reporting, which recurrence never removes.

    It must be a clause (it reads as a sentence, :func:`reads_as_sentence`, and has a finite
    verb) and either name a codebook target
    (``names_target``; stance evidence: "India did not respond to a request for comment.")
    or report what someone said ("Analysts said the move was significant."). An outlet's
    furniture speaks to the reader or about the publication ("Share this story!", "The
    Associated Press contributed to this report.", licensing notices), not of the news.
    """
    if not (reads_as_sentence(text) and _FINITE_VERB.search(text)):
        return False  # a verbless notice ("Published with permission of ...") is no report
    if _REPORTED.search(text):
        return True
    return names_target is not None and bool(names_target(text))


# What marks a first line as a dateline or a section label rather than the headline: a
# separator, a clock time, a year, a date, or the words of a byline.
_DATELINE = re.compile(
    r"[|•·»›]|\b\d{1,2}:\d{2}\b|\b(19|20)\d{2}\b|\b(updated|published|posted)\b"
    r"|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
    _FLAGS,
)


def _headline_at(units: list[Unit], title: str) -> int | None:
    """The unit that is the article's headline, which recurrence never removes.

    The line equal to the metadata ``title``; else the first line before the first body
    paragraph that can be a headline (2 to 25 words, not a crumb or a byline) and carries no
    separator, time or date: a dateline or section label ("Karachi Courier | Updated
    14 March 2023") is the outlet's furniture, while a series of headlines that differ only
    in a number ("Story 0", "Story 1") is not.
    """
    live = [i for i, unit in enumerate(units) if unit.reason is None]
    wanted = _normalise(title) if title else ""
    if wanted:
        found = next((i for i in live if _normalise(units[i].text) == wanted), None)
        if found is not None:
            return found
    for i in live:
        text = units[i].text.strip()
        if is_body(text):
            return None
        if 2 <= units[i].n_words <= 25 and not _is_crumb(text):
            if not any(p.match(text) for p in _BYLINE) and not _DATELINE.search(text):
                return i
    return None


# From the first to the last letter or digit: what _normalise keeps of a text.
_CORE = re.compile(r"[^\W_](?:.*[^\W_])?", re.DOTALL)


def _normalise(text: str) -> str:
    """Lower case (after NFKC), without leading and trailing punctuation, one space between
    words: the form in which units and sentences are compared for copies."""
    core = _CORE.search(unicodedata.normalize("NFKC", text).lower())
    if core is None:
        return ""
    # Most text has one space between words already, and splitting it into words would cost
    # more than the rest. Every whitespace character but the space is unprintable, so
    # printable text without a double space needs no splitting.
    core = core.group()
    return core if core.isprintable() and "  " not in core else " ".join(core.split())


# --------------------------------------------------------------------------- the cleaner
def clean_article(
    text: str,
    *,
    title: str = "",
    outlet: str = "",
    config: CleanConfig | None = None,
    furniture: frozenset | None = None,
    codebook=None,
) -> CleanedArticle:
    """Clean one article's text.

    Parameters
    ----------
    text : str
        The extracted article text (plain text, or trafilatura's output for HTML).
    title : str, optional
        The article's title from the metadata: its line is kept as the headline.
    outlet : str, optional
        The outlet's name: a tail paragraph that names it and promotes it is a promo, and
        ``furniture`` is looked up for it.
    config : CleanConfig, optional
        Rules to switch off and extra patterns.
    furniture : frozenset of int, optional
        Hashes of the lines and sentences that recur across the outlet's articles
        (:func:`find_furniture`); ``None`` or empty: none is removed for recurring.
    codebook : Codebook, str, Path, TargetFinder or None
        The study's targets (``None``: the shipped codebook). A recurring sentence that names
        one is stance evidence and is not removed for recurring; a short punctuated line
        that names one is a sentence to the positional rules.

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

    lines = _line_matcher(patterns, config)
    names_line = functools.partial(_match_line, patterns=lines)
    for unit in units:
        unit.reason = _match_line(unit.text, lines)
        if unit.reason is not None and (glued := glued_notice(unit.text, names_line)):
            unit.reason = None  # only the notice is furniture, the prose after it stays
            unit.cut(0, *glued)
        if unit.reason == "fragment" and is_table_row(unit.text) and re.search(r"\d", unit.text):
            unit.reason = None  # a row of numbers is the table's data, not a stray symbol
    _attach_counters(units)
    names_target = codebook if isinstance(codebook, TargetFinder) else TargetFinder(codebook)
    spans = {id(u): pieces(u.text) for u in units if u.reason is None}
    _mark_inline(units, {k: v for k, v in INLINE_PATTERNS.items() if on(k)})
    piece_patterns = {k: v for k, v in patterns.items() if k in PIECE_RULES}
    piece_matcher = _line_matcher(piece_patterns, config)
    _mark_glued(units, spans, functools.partial(_match_line, patterns=piece_matcher))
    _mark_pieces(units, spans, piece_matcher)
    # (Hashing the lines of an outlet that has no furniture would find none.)
    skip = isinstance(furniture, Furniture) and not furniture.may_hold(outlet)
    if furniture and on("outlet_furniture") and not skip:
        headline = _headline_at(units, title)
        _mark_furniture(
            units, spans, outlet, furniture, config.furniture_max_words, names_target, headline
        )
    body = [i for i, u in enumerate(units) if u.reason is None and is_body(u.kept_text)]
    first_body = body[0] if body else len(units)

    comments: list[list[Unit]] = []
    if on("reader_comment") or on("comment_form"):
        comments = _mark_comment_section(units, first_body, on)
    if on("author_bio") or on("promo"):
        _mark_bio_and_promo(units, first_body, outlet, on, spans)
    _mark_head(units, first_body, title, on, names_target)
    _mark_tail(units, on, names_target)
    if on("duplicate_paragraph"):
        _mark_duplicates(units, config.min_duplicate_words)

    # A unit cut down to nothing (its sentences all furniture or copies) leaves no blank.
    kept = [t for t in (u.kept_text for u in units if u.reason is None) if t]
    removed = []
    for u in units:
        if u.reason is not None:
            removed.append(
                {"start": u.start, "end": u.end, "reason": u.reason, "text": text[u.start : u.end]}
            )
            continue
        for start, end, reason in u.cuts:
            removed.append(
                {
                    "start": u.start + start,
                    "end": u.start + end,
                    "reason": reason,
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


def _mark_inline(units: list[Unit], patterns: dict[str, list[re.Pattern]]) -> None:
    """Cut the self-delimiting furniture of :data:`INLINE_PATTERNS` out of paragraphs."""
    for unit in units:
        if unit.reason is not None:
            continue
        length = len(unit.text.strip())
        lower = unit.lower
        for reason, items in patterns.items():
            for pattern in items:
                needs = _NEEDS.get(pattern)
                if needs and lower is not None and not _holds_any(lower, needs):
                    continue  # a scan of the whole paragraph that cannot find anything
                for match in pattern.finditer(unit.text):
                    if match.end() - match.start() < length:
                        if not unit.overlaps_cut(match.start(), match.end()):
                            unit.cut(match.start(), match.end(), reason)
                    elif unit.reason is None:
                        unit.reason = reason  # the whole line is the credit or link


def _mark_pieces(units: list[Unit], spans: dict, patterns) -> None:
    """Cut the sentences inside a paragraph that a :data:`PIECE_RULES` pattern names.

    ``spans`` maps ``id(unit)`` to the unit's pieces (:func:`framelens.text.furniture.pieces`).
    """
    matcher = patterns if isinstance(patterns, _Matcher) else None
    if matcher is None:
        patterns = functools.partial(_match_line, patterns=patterns)
    for unit in units:
        if unit.reason is not None or len(spans[id(unit)]) < 2:
            continue  # a one-sentence unit was already matched as a line
        tried = spans[id(unit)] if matcher is None else matcher.worth_trying(unit, spans[id(unit)])
        for start, end in tried:
            if end - start > MAX_PIECE_CHARS or (unit.cuts and unit.overlaps_cut(start, end)):
                continue  # longer than any piece rule allows (prose), or cut already
            reason = patterns(unit.text[start:end])
            if reason is not None:
                unit.cut(start, end, reason)


def _mark_glued(units: list[Unit], spans: dict, names) -> None:
    """Cut the notices glued onto the start of a sentence (:data:`GLUED_NOTICES`), before the
    piece rules would take the whole sentence.

    ``spans`` maps ``id(unit)`` to the unit's pieces; ``names`` is the piece rules' matcher.
    """
    for unit in units:
        if unit.reason is not None:
            continue
        lower = unit.lower
        if not _holds_any(lower if lower is not None else unit.text.lower(), _GLUED_WORDS):
            continue
        for start, end in spans[id(unit)]:
            if unit.cuts and unit.overlaps_cut(start, end):
                continue
            glued = glued_notice(unit.text[start:end], names)
            if glued is not None:
                unit.cut(start, start + glued[0], glued[1])


def _mark_furniture(
    units: list[Unit],
    spans: dict,
    outlet: str,
    furniture: frozenset,
    max_words: int,
    names_target=None,
    headline: int | None = None,
) -> None:
    """Remove the outlet's recurring lines whole, and cut its recurring sentences from a unit.

    A unit whose every piece is furniture goes whole. Rules that name a line (share widgets,
    comment forms ...) come first and keep their own reason. Recurrence never takes the
    article's reporting: the headline (unit ``headline``) and a recurring sentence that names
    a codebook target or reports what someone said (:func:`is_reported_prose`: "India did not
    respond to a request for comment.") stay; a content rule may still name them.
    """
    for i, unit in enumerate(units):
        if unit.reason is not None or i == headline:
            continue
        spans_here = segments(unit.text, max_words, spans[id(unit)])
        keys = segment_keys(outlet, unit.text, spans_here)
        hits = [
            (s, e)
            for (s, e), key in zip(spans_here, keys, strict=True)
            if key in furniture and not is_reported_prose(unit.text[s:e], names_target)
        ]
        if not hits:
            continue
        if any((s, e) == (0, len(unit.text)) for s, e in hits):
            unit.reason = "outlet_furniture"
            continue
        for start, end in hits:
            if not unit.overlaps_cut(start, end):
                unit.cut(start, end, "outlet_furniture")
        if not unit.kept_text.strip(" \t\"'”’.,;:-–—|•"):
            unit.reason, unit.cuts = "outlet_furniture", []


def _match_line(text: str, patterns) -> str | None:
    """The reason of the first pattern (in rule order) that names ``text``, or ``None``.

    ``patterns`` is a :class:`_Matcher` or a dict of reason to patterns.
    """
    if isinstance(patterns, _Matcher):
        return patterns(text)
    stripped = text.strip()
    long = len(stripped) > MAX_PIECE_CHARS
    for reason, items in patterns.items():
        # A built-in pattern of bounded length cannot match a long paragraph: skip the try.
        if any(p.search(stripped) for p in items if not (long and p in _BOUNDED_PATTERNS)):
            return reason
    return None


class _Matcher:
    """The built-in line patterns as one anchored regex (one C-level match per line instead
    of one Python call per pattern), and one without the bounded patterns for long lines.
    Only for built-in patterns: all anchored at both ends, so order of alternatives is the
    rules' order and the first to match names the line.

    The patterns of :data:`_NEEDS` stay out of the combined regex: each is tried on its own,
    in its place in the rules' order, and only when the line could hold a match (its words, in
    the line lower-cased by :func:`_safe_lower`), which most lines cannot.
    """

    def __init__(self, key: tuple):
        self.reasons: list[str] = []
        self.guarded: list[tuple[int, re.Pattern, tuple[str, ...], bool]] = []
        every, unbounded = [], []
        for reason, items in key:
            for source, flags, bounded, needs in items:
                index = len(self.reasons)
                self.reasons.append(reason)
                if needs:
                    self.guarded.append((index, re.compile(source, flags), needs, bounded))
                    continue
                scope = "i" if flags & re.IGNORECASE else "-i"
                part = f"(?P<p{index}>(?{scope}:{source}))"
                every.append(part)
                if not bounded:
                    unbounded.append(part)
        self.every = re.compile("|".join(every) or "(?!)")
        self.unbounded = re.compile("|".join(unbounded) or "(?!)")
        words = {word for _, _, needs, _ in self.guarded for word in needs}
        self.guard_words = sorted(words)
        # Any of the guarded patterns' words: one search rules them all out for most lines.
        self.words = re.compile("|".join(map(re.escape, self.guard_words)) or "(?!)")
        self.key = key

    @functools.cached_property
    def starts(self) -> re.Pattern | None:
        """How a match of a combined pattern can begin, in lower-cased text (``None``:
        anyhow); derived on first use (only pieces need it)."""
        return starts_regex(
            re.compile(source, flags)
            for _, items in self.key
            for source, flags, _, needs in items
            if not needs
        )

    def worth_trying(self, unit: Unit, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The pieces (``spans``, stripped, of ``unit``) that one of the patterns could name.

        A piece must begin as a match of a combined pattern can (:attr:`starts`, derived from
        the patterns) or hold a guarded pattern's word; most prose does neither.
        """
        lower = unit.lower
        if lower is None or self.starts is None:
            return spans  # a case trap (see _CASE_TRAPS): every piece is tried
        starts = self.starts.match
        # The pieces that hold a guarded word, found from where the words stand (substring
        # searches: cheaper than a regex scan of the unit, and most units have none).
        worded = set()
        for word in self.guard_words:
            at = lower.find(word)
            while at >= 0:
                i = bisect.bisect_right(spans, (at, len(lower))) - 1  # the piece starting before
                if i >= 0 and at + len(word) <= spans[i][1]:
                    worded.add(i)
                at = lower.find(word, at + 1)
        if not worded:
            return [(s, e) for s, e in spans if starts(lower, s, e)]
        return [(s, e) for i, (s, e) in enumerate(spans) if i in worded or starts(lower, s, e)]

    def __call__(self, text: str) -> str | None:
        stripped = text.strip()
        long = len(stripped) > MAX_PIECE_CHARS
        match = (self.unbounded if long else self.every).match(stripped)
        first = len(self.reasons) if match is None else int(match.lastgroup[1:])
        # A long line skips the bounded patterns (all guarded ones, as built in): then nothing
        # needs the lower-cased line.
        guarded = [g for g in self.guarded if not g[3]] if long else self.guarded
        if not guarded or guarded[0][0] > first:
            return self.reasons[first] if first < len(self.reasons) else None
        # A case-insensitive match contains its word in the lower-cased text (_CASE_TRAPS).
        lower = _safe_lower(stripped)
        if lower is not None and self.words.search(lower) is None:
            return self.reasons[first] if first < len(self.reasons) else None
        for index, pattern, needs, _ in guarded:
            if index > first:
                break  # a pattern of an earlier rule matched already
            if lower is not None and not _holds_any(lower, needs):
                continue
            if pattern.match(stripped):
                first = index
                break
        return self.reasons[first] if first < len(self.reasons) else None


def _holds_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` contains one of ``words`` (a loop: cheaper than ``any`` here)."""
    for word in words:
        if word in text:
            return True
    return False


@functools.lru_cache(maxsize=32)
def _matcher(key: tuple) -> _Matcher:
    return _Matcher(key)


def _line_matcher(patterns: dict[str, list[re.Pattern]], config: CleanConfig):
    """A :class:`_Matcher` for ``patterns``, or the patterns themselves when the researcher
    added some (theirs need not be anchored, so they are tried one by one, in rule order)."""
    if config.patterns:
        return patterns
    # Without extra patterns, ``patterns`` are the built-in ones of these rules, in rule order.
    return _builtin_matcher(tuple(patterns))


@functools.lru_cache(maxsize=32)
def _builtin_matcher(reasons: tuple[str, ...]) -> _Matcher:
    key = tuple(
        (
            reason,
            tuple(
                (p.pattern, p.flags, p in _BOUNDED_PATTERNS, _NEEDS.get(p, ()))
                for p in LINE_PATTERNS[reason]
            ),
        )
        for reason in reasons
    )
    return _matcher(key)


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


def _mark_bio_and_promo(units: list[Unit], first_body: int, outlet: str, on, spans) -> None:
    """Author bio (explicit marker in the second half) and the self-promotion after it.

    ``spans`` maps ``id(unit)`` to the unit's pieces (:func:`framelens.text.furniture.pieces`).
    """
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
    for i in candidates if on("promo") else ():
        cues = _count_promo_cues(units[i])
        if not cues:
            continue  # at least one cue is always needed
        names_outlet = outlet_pattern is not None and outlet_pattern.search(units[i].text)
        # Cues must be dense, not merely present: a whole article on one line (as many
        # datasets ship them) that says "premier" and "magazine" once each is not a promo.
        # (cues >= max(k, n_words / PROMO_WORDS_PER_CUE), counting words only as far as it
        # takes: a long unit with a few cues is decided after its first few hundred words.)
        if cues >= (1 if names_outlet else 2) and _has_at_most_words(
            units[i], int(cues * PROMO_WORDS_PER_CUE)
        ):
            _cut_promo(units[i], spans[id(units[i])])
    if bio_at is not None and on("author_bio"):
        units[bio_at].reason = "author_bio"
        for i in live:
            if (
                i > bio_at
                and units[i].reason is None
                and units[i].n_words <= 60
                and not is_body(units[i].text)
                and not reads_as_sentence(units[i].text)
            ):
                units[i].reason = "author_bio"


def _cut_promo(unit: Unit, unit_pieces: list[tuple[int, int]]) -> None:
    """Remove a promo paragraph, or only its sentences with promo cues when it also holds a
    sentence of prose without one ("Russia offered wheat. Subscribe to our newsletter for
    daily updates. India said it would respond."): the prose stays."""
    spans = [
        (start, end)
        for start, end in unit_pieces
        if not (unit.cuts and unit.overlaps_cut(start, end))
    ]
    cued = [(start, end) for start, end in spans if PROMO_CUES.search(unit.text[start:end])]
    prose = [
        (start, end)
        for start, end in spans
        if (start, end) not in cued and reads_as_sentence(unit.text[start:end].strip())
    ]
    if not prose:
        unit.reason = "promo"
        return
    for start, end in cued:
        unit.cut(start, end, "promo")


def _has_at_most_words(unit: Unit, limit: int) -> bool:
    """Whether ``unit.n_words <= limit``, counting no further than ``limit + 1`` words."""
    if "n_words" in unit.__dict__:  # counted already
        return unit.n_words <= limit
    return _words_at_least(limit + 1).match(unit.text) is None


def _mark_head(units: list[Unit], first_body: int, title: str, on, names_target=None) -> None:
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
        clause = reads_as_sentence(text) and bool(_FINITE_VERB.search(text))
        if _is_crumb(text):
            reason = "nav_crumb"
        elif any(p.match(text) for p in _BYLINE) and not clause:
            reason = "byline"  # "By Staff Reporter", "Updated 3 hours ago."; not "By noon, ..."
        elif _spared(text, names_target):
            continue  # a short opening sentence, a table row or a list item is content
        else:
            reason = "head_label"
        if on(reason):
            units[i].reason = reason


def _is_crumb(text: str) -> bool:
    return any(p.search(text.strip()) for p in _BREADCRUMB)


def _mark_tail(units: list[Unit], on, names_target=None) -> None:
    """After the last body paragraph, short lines that are not content are page furniture.

    A closing sentence ("India condemned the deal."), a table row and a list item stay: only
    labels, link lists and the like ("Most Popular", "World | Asia") go.
    """
    if not on("footer"):
        return
    live_body = [i for i, u in enumerate(units) if u.reason is None and is_body(u.kept_text)]
    if not live_body:
        return
    for unit in units[live_body[-1] + 1 :]:
        if unit.reason is None and unit.n_words < 12 and not _spared(unit.text, names_target):
            unit.reason = "footer"


# A rough sentence runs from a non-space character to the first sentence stop after it (its
# punctuation, closing quotes and brackets, then a space or the end), else to the end.
_ROUGH_START = re.compile(r"\S")
_ROUGH_STOP = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)")


def _rough_sentences(text: str):
    """The ``(start, end)`` of each rough sentence of ``text``, in order.

    Two searches a sentence: the spans are those of the lazy regex (DOTALL)
    ``\\S.*?(?:STOP|$)``, STOP being :data:`_ROUGH_STOP`, which tries a stop at every character.
    """
    position = 0
    while (first := _ROUGH_START.search(text, position)) is not None:
        start = first.start()
        stop = _ROUGH_STOP.search(text, start + 1)  # the first character is never the stop
        if stop is not None:
            position = stop.end()
        elif text.endswith("\n") and len(text) - 1 > start:
            position = len(text) - 1  # "$" matches before a final newline
        else:
            position = len(text)
        yield start, position


def _mark_duplicates(units: list[Unit], min_words: int, min_sentence_words: int = 8) -> None:
    """Later copies of text already kept: whole units, or repeated sentences inside a unit.

    Scrapers repeat paragraphs, and sometimes a repeated passage is glued onto another
    paragraph, so repetition is checked at two levels. A unit whose normalised text was seen
    before (and has at least ``min_words`` words) is removed whole. Inside kept units, a
    sentence of at least ``min_sentence_words`` words that repeats an earlier sentence, or
    contains it (or is contained in it) with 80 % of its length, is cut; a unit left with no
    sentence is removed whole. Sentences here are found with a rough punctuation rule, which is
    enough to match verbatim copies. Units are compared by hash, sentences through
    :class:`_KeptSentences`: the cost is linear in the article's length.
    """
    seen_units: set[str] = set()
    kept = _KeptSentences()
    live = [unit for unit in units if unit.reason is None]
    for unit in live:
        # A unit is compared with the other live units only: the one unit of a page scraped
        # onto one line needs no normal form.
        if len(live) > 1:
            key = _normalise(unit.text)
            if key in seen_units and unit.n_words >= min_words:
                unit.reason = "duplicate_paragraph"
                continue
            seen_units.add(key)
        cuts, n_sentences, earlier = [], 0, list(unit.cuts)
        for start, end in _rough_sentences(unit.text):
            if earlier and unit.overlaps_cut(start, end):
                continue  # already cut as the outlet's furniture
            n_sentences += 1
            sentence = _normalise(unit.text[start:end])
            if (sentence.count(" ") + 1 if sentence else 0) < min_sentence_words:
                continue
            if kept.has_copy(sentence):
                cuts.append((start, end))
            else:
                kept.add(sentence)
        if cuts and len(cuts) == n_sentences and not earlier:
            unit.reason = "duplicate_paragraph"
        elif cuts:
            merged = [(s, e, "duplicate_paragraph") for s, e in _merge_cuts(cuts, unit.text)]
            unit.cuts = sorted(earlier + merged)


def _near_copy(a: str, b: str) -> bool:
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 0.8 * len(long) and short in long


class _KeptSentences:
    """The sentences of one article kept so far (normalised, at least three words each), and
    whether a new one copies one of them: equals it, or contains it or lies inside it with
    80 % of its length (:func:`_near_copy`).

    An ordinary article is checked pairwise: each new sentence against every kept one. Past
    :attr:`PAIRWISE` kept sentences, an index picks the sentences worth comparing, so that a
    long article (a page scraped onto one line) costs time linear in its length. It rests on
    this: when ``short`` lies inside ``long`` with 80 % of its length, the words of ``short``
    between its first and last (which may be cut-off words of ``long``) are a run of whole
    words of ``long``, one that starts after a word beginning in the first fifth of ``long``
    and ends before a word ending in its last fifth (:meth:`_runs`). Every kept sentence is
    filed under each such run of its own and under its own inner run; a new sentence is
    compared with the sentences filed under its inner run (it lies inside them) or under one
    of its runs (they lie inside it). Sentences of more than :attr:`LONG_CHARS` characters
    have too many runs to file: they are compared pairwise with the long sentences only (a
    copy's length is within 80 % of the original's). The comparison itself is always
    :func:`_near_copy`; the index only chooses what to compare.
    """

    PAIRWISE = 100
    LONG_CHARS = 1000

    def __init__(self):
        self.sentences: list[str] = []
        self.exact: set[str] = set()
        # While pairwise: the kept sentences sorted by length, and their lengths, so that a
        # new sentence is compared only with those whose length can be within 80 % of its own.
        self.lengths: list[int] = []
        self.by_length: list[str] = []
        self.by_inner: dict[int, list[int]] | None = None  # None: still pairwise
        self.by_run: dict[int, list[int]] = {}
        self.long: list[int] = []  # sentences a long sentence may copy, or be copied by

    def has_copy(self, sentence: str) -> bool:
        """Whether ``sentence`` copies a kept sentence."""
        if sentence in self.exact:
            return True
        if self.by_inner is None:
            # _near_copy, unrolled: this loop runs for every pair of an ordinary article, over
            # the lengths that can qualify (a character of slack each side; the test is exact).
            n = len(sentence)
            low = bisect.bisect_left(self.lengths, 0.8 * n - 1)
            high = bisect.bisect_right(self.lengths, 1.25 * n + 1)
            for old in self.by_length[low:high]:
                m = len(old)
                if (
                    (n >= 0.8 * m and sentence in old)
                    if n <= m
                    else (m >= 0.8 * n and old in sentence)
                ):
                    return True
            return False
        return any(_near_copy(sentence, self.sentences[i]) for i in self._candidates(sentence))

    def add(self, sentence: str) -> None:
        """Keep ``sentence`` (it is compared with every later one)."""
        self.exact.add(sentence)
        self.sentences.append(sentence)
        if self.by_inner is not None:
            self._file(len(self.sentences) - 1)
        elif len(self.sentences) <= self.PAIRWISE:
            at = bisect.bisect_right(self.lengths, len(sentence))
            self.lengths.insert(at, len(sentence))
            self.by_length.insert(at, sentence)
        else:
            self.by_inner = {}
            for i in range(len(self.sentences)):
                self._file(i)

    def _candidates(self, sentence: str):
        if len(sentence) > 0.8 * self.LONG_CHARS:
            yield from self.long  # any copy of it is longer than 0.8 * LONG_CHARS too
        if len(sentence) <= self.LONG_CHARS:
            inner, runs = self._runs(sentence)
            yield from self.by_run.get(inner, ())
            for run in runs:
                yield from self.by_inner.get(run, ())

    def _file(self, i: int) -> None:
        sentence = self.sentences[i]
        if len(sentence) > 0.8 * self.LONG_CHARS:
            self.long.append(i)
        if len(sentence) <= self.LONG_CHARS:
            inner, runs = self._runs(sentence)
            self.by_inner.setdefault(inner, []).append(i)
            for run in runs:
                self.by_run.setdefault(run, []).append(i)

    @staticmethod
    def _runs(sentence: str) -> tuple[int, set[int]]:
        """Hashes of the sentence's inner run of words, and of every run a sentence inside it
        with 80 % of its length could have as its inner run (see the class notes; the bounds
        have a character of slack, and equal hashes are only candidates)."""
        words = sentence.split(" ")
        n = len(sentence)
        first, last, start = [], [], 0
        for k, word in enumerate(words):
            if start <= 0.2 * n + 1:
                first.append(k)
            if start + len(word) >= 0.8 * n - 1:
                last.append(k)
            start += len(word) + 1
        runs = {hash(tuple(words[a + 1 : b])) for a in first for b in last if b - a >= 2}
        return hash(tuple(words[1:-1])), runs


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


#: Columns of the articles table that only carry HTML leftovers into :func:`clean_articles`.
HTML_COLUMNS = ("html_comments", "html_removed")


def drop_html_columns(articles: pd.DataFrame) -> pd.DataFrame:
    """The articles table without :data:`HTML_COLUMNS` (once their rows are in the tables)."""
    return articles.drop(columns=[c for c in HTML_COLUMNS if c in articles.columns])


def count_furniture(articles: pd.DataFrame, config: CleanConfig | None = None) -> FurnitureCounter:
    """Count every article's short lines and sentences per outlet (the first step of
    :mod:`framelens.text.furniture`), on the units the cleaner will see.

    Parameters
    ----------
    articles : DataFrame
        Articles with ``outlet`` and ``text`` (the text before cleaning).
    config : CleanConfig, optional
        Gives ``furniture_max_words``.

    Returns
    -------
    FurnitureCounter
        Counts that can be merged with those of other batches of the same corpus.
    """
    config = config or CleanConfig()
    counter = FurnitureCounter(config.furniture_max_words)
    for outlet, text in zip(articles["outlet"].tolist(), articles["text"].tolist(), strict=True):
        counter.add(str(outlet or ""), [unit.text for unit in split_units(str(text))])
    return counter


def find_furniture(counter: FurnitureCounter, config: CleanConfig | None = None) -> frozenset:
    """The recurring lines and sentences of each outlet, by the thresholds of ``config``.

    Returns
    -------
    frozenset of int
        Segment hashes for :func:`clean_article`'s ``furniture``; empty when the
        ``outlet_furniture`` rule is disabled.
    """
    config = config or CleanConfig()
    if "outlet_furniture" in config.disabled:
        return frozenset()
    return counter.furniture(
        share=config.furniture_share, min_articles=config.furniture_min_articles
    )


def clean_articles(
    articles: pd.DataFrame,
    config: CleanConfig | None = None,
    *,
    furniture: frozenset | None = None,
    codebook=None,
) -> CleanResult:
    """Clean every article of an articles table.

    Parameters
    ----------
    articles : DataFrame
        The articles table from :func:`framelens.text.corpus.read_corpus`.
    config : CleanConfig, optional
        Cleaning settings.
    furniture : frozenset of int, optional
        The recurring lines and sentences of each outlet (:func:`find_furniture`), when this
        table is a part of a larger corpus they were counted on. ``None`` counts them on
        ``articles`` itself.
    codebook : Codebook, str, Path or None
        The study's targets (``None``: the shipped codebook); see :func:`clean_article`.

    Returns
    -------
    CleanResult
        ``articles``: a copy whose ``text`` is the cleaned text, with the text before
        cleaning in ``raw_text`` and ``kept_chars``/``removed_chars`` counts (removed page
        text of HTML counts with the length of its text); ``removed``:
        article_id, start, end, reason, text (offsets into ``raw_text``; -1 for page text
        that HTML extraction left out, reason ``html_boilerplate``); ``comments``:
        article_id, comment_id, start, end, text, origin (reader comments found in the text,
        plus those separated from HTML pages, origin ``html``, offsets -1).
    """
    config = config or CleanConfig()
    if furniture is None and "outlet_furniture" not in config.disabled:
        furniture = find_furniture(count_furniture(articles, config), config)
    removed_rows, comment_rows, texts = [], [], []
    finder = TargetFinder(codebook)  # one matcher for every article
    # Plain lists: iterating pandas' Arrow-backed string columns costs a call per cell.
    columns = [
        articles[name].tolist() if name in articles.columns else [""] * len(articles)
        for name in ("article_id", "text", "title", "outlet", "html_removed", "html_comments")
    ]
    for article_id, text, title, outlet, html_removed, html_comments in zip(*columns, strict=True):
        result = clean_article(
            text, title=title, outlet=outlet, config=config, furniture=furniture, codebook=finder
        )
        texts.append(result.text)
        removed_rows += [
            {"article_id": article_id, "start": -1, "end": -1, **r}
            for r in _html_rows(html_removed)
        ]
        removed_rows += [{"article_id": article_id, **r} for r in result.removed]
        comment_rows += [{"article_id": article_id, **c, "origin": "text"} for c in result.comments]
        html_comments = [c for c in _html_rows(html_comments) if c["text"]]
        for number, comment in enumerate(html_comments, start=len(result.comments) + 1):
            comment_rows.append(
                {
                    "article_id": article_id,
                    "comment_id": number,
                    "start": -1,
                    "end": -1,
                    "text": comment["text"],
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
    # Page text that HTML extraction left out has no offsets (-1): its own length counts.
    chars = (removed["end"] - removed["start"]).where(
        removed["start"] >= 0, removed["text"].str.len()
    )
    removed_chars = chars.groupby(removed["article_id"]).sum()
    out["kept_chars"] = out["text"].str.len()
    out["removed_chars"] = out["article_id"].map(removed_chars).fillna(0).astype(int)
    return CleanResult(out, removed, comments)


def _html_rows(value) -> list[dict]:
    """The rows HTML extraction set aside for an article (JSON text: a list of dicts with
    ``text`` and, for removed page text, ``reason``); a plain string is one comment."""
    if not isinstance(value, str) or not value.strip():
        return []
    try:
        rows = json.loads(value)
    except ValueError:
        rows = None
    return rows if isinstance(rows, list) else [{"text": value}]

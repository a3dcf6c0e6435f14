"""A coding guide for human coders, generated from the codebook.

Human coding is only comparable with a scorer when both follow the same definitions, so the
guide is written from the codebook itself: each target's description and the words that refer
to it, each frame's definition and exemplars, and the decision rules of the stance scale.
``framelens annotate guide -o docs/coding_guide.md`` writes it.
"""

from __future__ import annotations

from framelens.codebook import Codebook

STANCE_RULES = """\
## Stance toward a target

Code each sentence **in its context** (the sentences before and after it), once for every
target the sentence refers to, whether by name (Russia), metonym (Moscow, the Kremlin),
institution (the Pentagon), person (Putin, the Biden administration) or adjective (Russian).

| label | meaning | decision rule |
|---|---|---|
| `1` | favor | The sentence presents the target, its actions or its relationship with others in a positive light: praise, approval, trust, the target as helpful, reliable, generous, strong in a good way; or the author welcomes closer ties with it. |
| `-1` | against | The sentence presents the target negatively: blame, criticism, distrust, the target as hostile, failing, harmful, unreliable; or the author regrets or warns against ties with it. |
| `0` | neutral | The target is an actor or topic of the sentence, but the sentence reports without evaluating it (dates, visits, facts stated flatly), or positive and negative balance out. |
| `na` | not about the target | The target's word appears but the sentence says nothing about the target as an actor: it is part of a name (a pipeline, a company, a newspaper), a geographical label, or a mere list item; or the word names something else (Washington state, Indian tribes, Delhi belly, African Americans: see *not this target* under each target). |

Rules:

1. Code the stance **the text expresses toward the target**, whoever voices it (the author or a
   source the author quotes approvingly). A quote the author distances themself from is coded
   by the author's framing.
2. Code what the sentence says, not what you know or believe about the target.
3. Good news *for* a target is not favor *toward* it: "Russia lost the contract" is neutral
   unless the sentence evaluates Russia.
4. Contrast: in "A is helping, while B does nothing", A is favor and B is against.
5. When a sentence refers to several targets, code each one separately.
6. If in doubt between neutral and a direction, choose neutral and write a note.
7. A word that names something else is not the target, however it is spelled: *Washington*
   the state, a town or a person; *Indian* tribes; a dish or an idiom (*Delhi belly*, *Russian
   roulette*); a language (*she answered in Russian*); a dateline (*WASHINGTON —*). Americans
   named by origin or race (*African Americans*, *a Cuban-American voter*) are a group of
   people, not the state; *Mexican-American relations* are the two states. The scorers follow
   the same rules (listed under each target below).
"""

FRAME_RULES = """\
## Frames

For **every** sentence, code each frame `1` (present) or `0` (absent). Frames are not
exclusive: a sentence about arms sales financed by a loan can be both security and
geo-economic. A heading or a bullet item is coded like a sentence. Code the frame a reader would
recognise in the sentence itself; use the context only to resolve what a pronoun or a short
heading refers to.
"""

SHEET_FORMAT = """\
## Recording the codes

One row per judgement, in the gold format of `framelens.datasets.gold`:

| column | content |
|---|---|
| `article_id`, `sent_id` | the sentence being coded |
| `coder` | your coder id |
| `task` | `stance` or `frame` |
| `name` | the target (`us`, `russia`, ...) or the frame (`geo_economic`, ...) |
| `label` | stance: `-1`, `0`, `1` or `na`; frame: `0` or `1` |
| `note` | optional: why, when a decision was hard |

Code independently: do not look at other coders' codes or at any scorer's output.
"""


def _context_rules(codebook: Codebook, target) -> list:
    """The target's exclusion contexts and the shared ones that name one of its aliases."""
    aliases = {*target.aliases, *(p.alias for p in target.patterns)}
    shared = [r for r in codebook.matching.exclusion_contexts if aliases & set(r.aliases)]
    return [*target.exclusion_contexts, *shared]


def _describe(rule, n: int = 4) -> str:
    """One line for a coder: the rule's note, then a few of its words on each side."""

    def some(words) -> str:
        words = list(words)
        return ", ".join(words[:n]) + (", ..." if len(words) > n else "")

    sides = []
    if rule.before:
        sides.append(f"after *{some(rule.before)}*")
    if rule.after:
        sides.append(f"before *{some(rule.after)}*")
    if rule.before_patterns or rule.after_patterns:
        sides.append("in the patterns of the codebook")
    who = f"*{some(rule.aliases)}*" if rule.aliases else "any of its words"
    return f"{rule.note or 'context rule'} ({who} {'; or '.join(sides)})"


def coding_guide(codebook: Codebook) -> str:
    """The coding guide as Markdown.

    Parameters
    ----------
    codebook : Codebook
        The codebook whose targets and frames are coded.

    Returns
    -------
    str
        A Markdown document: purpose, stance scale and rules, each target (description and
        the words that refer to it), each frame (definition and exemplars), the sheet format.
    """
    parts = [
        f"# Coding guide: {codebook.name} (version {codebook.version})\n",
        "Generated from the codebook by `framelens annotate guide`; edit the codebook, not "
        "this file.\n",
        (codebook.description or "").strip() + "\n",
        STANCE_RULES,
        "## Targets\n",
    ]
    for target in codebook.targets.values():
        parts.append(f"### `{target.name}`: {target.label}\n")
        parts.append((target.description or "").strip() + "\n")
        for group, aliases in target.groups.items():
            examples = ", ".join(list(aliases)[:12])
            parts.append(f"- *{group}*: {examples}")
        if target.exclusions:
            parts.append(f"- *not this target*: {', '.join(list(target.exclusions)[:10])}")
        rules = _context_rules(codebook, target)
        if rules:
            parts.append("- *not this target when the words around it say so*:")
            parts += [f"  - {_describe(rule)}" for rule in rules]
        parts.append("")
    parts.append(FRAME_RULES)
    for frame in codebook.frames.values():
        parts.append(f"### `{frame.name}`: {frame.label}\n")
        parts.append(" ".join(frame.definition.split()) + "\n")
        parts.append("Examples of sentences that carry the frame:\n")
        parts += [f"- {example}" for example in frame.exemplars]
        parts.append("")
    parts.append(SHEET_FORMAT)
    return "\n".join(parts)

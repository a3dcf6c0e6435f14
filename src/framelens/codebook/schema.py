"""The codebook's objects: targets (aliases, patterns, exclusions), frames, matching rules.

:class:`Codebook` is immutable and hashable by content (:attr:`Codebook.hash`), so a run records
exactly which codebook produced its scores. Codebooks are read from TOML by
:mod:`framelens.codebook.parse`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from framelens.errors import InputError

#: How an alias is matched: ``proper`` (as written, or in all capitals as in a headline),
#: ``exact`` (only as written) or ``ignore`` (in any case).
CASE_MODES = ("proper", "exact", "ignore")


@dataclass(frozen=True)
class Pattern:
    """A regular expression that finds mentions no literal alias can describe.

    Parameters
    ----------
    pattern : str
        A Python regular expression, matched case-sensitively as a whole word (use ``(?i:...)``
        for a case-insensitive part), e.g. ``Sino(?=-)`` for *Sino-Pakistani*.
    alias : str
        The canonical alias reported for its matches.
    group : str
        The entity group of its matches (``state``, ``leader``, ``demonym`` ...).
    """

    pattern: str
    alias: str
    group: str


@dataclass(frozen=True)
class ExclusionContext:
    """Contexts in which an alias does not refer to its target.

    An alias next to words that show it names something else (*Indian* before *tribes*,
    *Washington* after *Seattle,*, *Delhi* before *belly*) is not a mention. The alias is
    excluded when any one of the rule's words, phrases or patterns matches on its side, unless
    one of its ``unless_before`` or ``unless_after`` words is there too (*African American*
    is a group of people, *Mexican-American relations* are the two states).

    Words and phrases are compared word by word in any case; a final possessive is ignored
    (*Oklahoma's*), dots and hyphens separate words (*Gov.* is *gov*), and commas, colons,
    semicolons, brackets, quotes and dashes count as words of their own, so *Washington, state
    media* is not *Washington state* and the phrase *Seattle,* (with its comma) matches
    *Seattle, Washington*. Only the alias's own line is read, at most
    ``framelens.text.mentions.CONTEXT_CHARS`` characters on each side.

    Parameters
    ----------
    aliases : tuple of str
        The aliases (or pattern aliases) the rule applies to; ``()`` means every alias of the
        target.
    before : tuple of str
        Words or phrases that exclude the alias when they start within ``window`` words
        before it (*Native*, *state of*).
    after : tuple of str
        Words or phrases that exclude the alias when they start within ``window`` words after
        it (a possessive *'s* right after the alias is skipped: *Washington's governor*).
    before_patterns : tuple of str
        Regular expressions (case-sensitive, like every codebook regex) that exclude the alias
        when they match the text right before it, ending where it begins.
    after_patterns : tuple of str
        Regular expressions that exclude the alias when they match the text right after it.
    unless_before : tuple of str
        Words or phrases within ``window`` words before the alias that keep it a mention even
        though the rule matched.
    unless_after : tuple of str
        The same, after the alias (*relations*, *ties*, *summit*).
    window : int
        How far from the alias a ``before``, ``after`` or ``unless`` phrase may start, in
        words: 1 is right next to it, 2 allows one word in between.
    note : str
        Why the rule exists, for the coding guide (*indigenous peoples of the Americas*).
    """

    aliases: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    before_patterns: tuple[str, ...] = ()
    after_patterns: tuple[str, ...] = ()
    unless_before: tuple[str, ...] = ()
    unless_after: tuple[str, ...] = ()
    window: int = 1
    note: str = ""

    def to_dict(self) -> dict:
        """The rule as plain data, laid out like its TOML table."""
        return {
            "aliases": list(self.aliases),
            "before": list(self.before),
            "after": list(self.after),
            "before_patterns": list(self.before_patterns),
            "after_patterns": list(self.after_patterns),
            "unless_before": list(self.unless_before),
            "unless_after": list(self.unless_after),
            "window": self.window,
            "note": self.note,
        }


@dataclass(frozen=True)
class Target:
    """A target of stance: a state together with the words that stand for it.

    Parameters
    ----------
    name : str
        Short identifier used in tables (``us``, ``russia``).
    label : str
        Human-readable name (``United States``); fills ``{target}`` in stance templates.
    aliases : tuple of str
        Every literal alias, in codebook order (the union of ``groups``).
    patterns : tuple of Pattern
        Regular expressions for forms a literal cannot describe.
    exclusions : tuple of str
        Fixed expressions that contain an alias but do not refer to the target (*Latin
        America*, *Indian Ocean*, *Delhi belly*); a match of one hides every alias it overlaps.
    groups : Mapping of str to tuple of str
        Entity group (``state``, ``capital``, ``institution``, ``leader``, ``demonym`` ...) to
        its aliases.
    description : str
        What the target covers, for human coders.
    exclusion_patterns : tuple of str
        Regular expressions that work like ``exclusions``.
    names : tuple of str
        Proper names that contain an alias but name something else (*Bank of America*): the
        alias is still reported, flagged ``in_name``.
    homographs : tuple of str
        Aliases that are also an ordinary word when written in capitals (``US`` = *us*). In an
        all-capitals line they are ignored after one of the codebook's pronoun cues
        (*LET US*, *JOIN US*).
    case : str
        Default case mode of the aliases (see :data:`CASE_MODES`).
    case_rules : Mapping of str to str
        Alias to case mode, overriding ``case`` (``Xi = "exact"`` keeps *XI* from matching).
    exclusion_contexts : tuple of ExclusionContext
        Words or patterns around an alias that show it names something else (*Indian tribes*,
        *Seattle, Washington*); an alias in such a context is not a mention.
    """

    name: str
    label: str
    aliases: tuple[str, ...]
    patterns: tuple[Pattern, ...] = ()
    exclusions: tuple[str, ...] = ()
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    description: str = ""
    exclusion_patterns: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    homographs: tuple[str, ...] = ()
    case: str = "proper"
    case_rules: Mapping[str, str] = field(default_factory=dict)
    exclusion_contexts: tuple[ExclusionContext, ...] = ()

    def group_of(self, alias: str) -> str:
        """The entity group ``alias`` is listed under (``""`` if it is not an alias)."""
        for group, aliases in self.groups.items():
            if alias in aliases:
                return group
        for pattern in self.patterns:
            if pattern.alias == alias:
                return pattern.group
        return ""

    def case_of(self, alias: str) -> str:
        """The case mode ``alias`` is matched with."""
        return self.case_rules.get(alias, self.case)


@dataclass(frozen=True)
class Frame:
    """A frame: a way of telling the story that coders and scorers look for.

    Parameters
    ----------
    name : str
        Short identifier used in tables (``security``).
    label : str
        Human-readable name.
    definition : str
        A definition a human coder could follow.
    seed_terms : tuple of str
        Dictionary words and phrases (a trailing ``*`` marks a prefix).
    exemplars : tuple of str
        Example sentences that carry the frame.
    hypothesis : str or None
        An NLI hypothesis for transformer scorers (``None``: the scorer builds one).
    """

    name: str
    label: str
    definition: str
    seed_terms: tuple[str, ...] = ()
    exemplars: tuple[str, ...] = ()
    hypothesis: str | None = None


@dataclass(frozen=True)
class Matching:
    """Codebook-wide settings of mention finding (see :mod:`framelens.text.mentions`).

    Parameters
    ----------
    roles : Mapping of str to tuple of str
        Entity group to role words. A role after an alias (*Russian Foreign Minister*,
        *Biden administration*, *India's army*) or before ``of`` + a state alias (*President of
        Russia*) joins the mention, which then takes the role's group.
    name_heads : tuple of str
        Nouns that end a proper name (*pipeline*, *corridor*, *company*): an alias in a
        hyphenated chain or a capitalised run ending in one is flagged ``in_name``.
    pronoun_cues : tuple of str
        Words after which a homograph in an all-capitals line is read as the ordinary word.
    exclusion_contexts : tuple of ExclusionContext
        Context rules shared by several targets (*Moscow, Idaho*, *Washington, Pennsylvania*:
        a place name followed by a US state); each names the aliases it applies to, of any
        target.
    """

    roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    name_heads: tuple[str, ...] = ()
    pronoun_cues: tuple[str, ...] = ()
    exclusion_contexts: tuple[ExclusionContext, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """Targets, frames and stance settings, as read from a TOML codebook.

    Parameters
    ----------
    name : str
        The codebook's name.
    version : str
        The codebook's version.
    targets : Mapping of str to Target
        Targets by name, in codebook order.
    frames : Mapping of str to Frame
        Frames by name, in codebook order.
    source : str or None
        The file it was read from (not part of :attr:`hash`).
    description : str
        Free text.
    stance_templates : tuple of (str, str)
        ``(favor, against)`` NLI hypothesis pairs containing ``{target}``.
    stance_prototypes : Mapping of str to tuple of str
        ``{"favor": (...), "against": (...)}`` generic sentences with ``{target}`` for
        embedding scorers.
    matching : Matching
        Settings of mention finding.
    """

    name: str
    version: str
    targets: Mapping[str, Target]
    frames: Mapping[str, Frame]
    source: str | None = None
    description: str = ""
    stance_templates: tuple[tuple[str, str], ...] = ()
    stance_prototypes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    matching: Matching = field(default_factory=Matching)

    def target(self, name: str) -> Target:
        """The target called ``name`` (in any case: ``"Russia"`` finds ``russia``).

        Raises
        ------
        InputError
            If there is none; the message lists the known targets.
        """
        return self._named(self.targets, "target", name)

    def frame(self, name: str) -> Frame:
        """The frame called ``name`` (in any case).

        Raises
        ------
        InputError
            If there is none; the message lists the known frames.
        """
        return self._named(self.frames, "frame", name)

    @property
    def labels(self) -> dict[str, str]:
        """Display label of every target and frame by name (``{"us": "United States", ...}``)."""
        labels = {name: target.label for name, target in self.targets.items()}
        labels.update({name: frame.label for name, frame in self.frames.items()})
        return labels

    def _named(self, entries: Mapping, kind: str, name: str):
        """The entry called ``name``, or the one whose name differs only in case (``Russia``
        for ``russia``: users type the name as it is written), if there is exactly one."""
        if name in entries:
            return entries[name]
        folded = [key for key in entries if key.casefold() == str(name).casefold()]
        if len(folded) == 1:
            return entries[folded[0]]
        raise InputError(
            f"unknown {kind} {name!r}",
            source=self.source,
            hint=f"the codebook's {kind}s: {', '.join(entries)}",
        )

    def to_dict(self) -> dict:
        """The codebook's content as plain data, laid out like the TOML file (no ``source``)."""
        targets = {}
        for t in self.targets.values():
            targets[t.name] = {
                "label": t.label,
                "description": t.description,
                "aliases": {g: list(a) for g, a in t.groups.items()},
                "patterns": [
                    {"pattern": p.pattern, "alias": p.alias, "group": p.group} for p in t.patterns
                ],
                "exclusions": list(t.exclusions),
                "exclusion_patterns": list(t.exclusion_patterns),
                "names": list(t.names),
                "homographs": list(t.homographs),
                "case": t.case,
                "case_rules": dict(t.case_rules),
            }
            if t.exclusion_contexts:  # absent when empty: older codebooks keep their hash
                targets[t.name]["exclusion_contexts"] = [c.to_dict() for c in t.exclusion_contexts]
        frames = {
            f.name: {
                "label": f.label,
                "definition": f.definition,
                "seed_terms": list(f.seed_terms),
                "exemplars": list(f.exemplars),
                "hypothesis": f.hypothesis,
            }
            for f in self.frames.values()
        }
        matching = {
            "roles": {g: list(r) for g, r in self.matching.roles.items()},
            "name_heads": list(self.matching.name_heads),
            "pronoun_cues": list(self.matching.pronoun_cues),
        }
        if self.matching.exclusion_contexts:
            matching["exclusion_contexts"] = [c.to_dict() for c in self.matching.exclusion_contexts]
        return {
            "codebook": {
                "name": self.name,
                "version": self.version,
                "description": self.description,
            },
            "matching": matching,
            "stance": {
                "templates": [list(pair) for pair in self.stance_templates],
                "favor_prototypes": list(self.stance_prototypes.get("favor", ())),
                "against_prototypes": list(self.stance_prototypes.get("against", ())),
            },
            "targets": targets,
            "frames": frames,
        }

    @property
    def hash(self) -> str:
        """SHA-256 (hex) of the canonical JSON of :meth:`to_dict`: same content, same hash.

        Key order in the file, comments and the file's location do not change it.
        """
        canonical = json.dumps(
            self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class CodebookError(InputError):
    """A codebook with one or more problems; :attr:`problems` lists them all.

    Parameters
    ----------
    problems : list of (int or None, str, str or None)
        ``(line, message, hint)`` of each problem, in file order.
    source : str
        The codebook file.
    """

    def __init__(self, problems, *, source=None):
        self.problems = list(problems)
        line, message, hint = self.problems[0]
        if len(self.problems) > 1:
            message += (
                f" (and {len(self.problems) - 1} more problem(s); run `framelens codebook check`)"
            )
        super().__init__(
            message, source=source, record=None if line is None else f"line {line}", hint=hint
        )

    def describe(self) -> list[str]:
        """One line per problem: ``file, line N: message (hint)``."""
        return [
            str(
                InputError(
                    message,
                    source=self.source,
                    record=None if line is None else f"line {line}",
                    hint=hint,
                )
            )
            for line, message, hint in self.problems
        ]

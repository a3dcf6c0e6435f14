"""The codebook: what counts as a mention of each target, and what each frame means.

A codebook is a TOML file a researcher can read and edit; targets and frames come from it,
never from code. The default one ships inside the package
(``framelens/data/default_codebook.toml``) and is loaded with :func:`load_codebook`.

Layout (every table but ``[targets.*]`` and ``[frames.*]`` is optional)::

    [codebook]                      name, version, description
    [matching]                      name_heads, pronoun_cues, [matching.roles]
    [[matching.exclusion_contexts]] aliases (of any target), before, after, before_patterns,
                                    after_patterns, unless_before, unless_after, window, note
    [stance]                        templates, favor_prototypes, against_prototypes
    [targets.<name>]                label, description, exclusions, exclusion_patterns,
                                    names, homographs, case, case_rules
    [targets.<name>.aliases]        <group> = ["alias", ...]   (state, capital, leader ...)
    [[targets.<name>.patterns]]     pattern, alias, group
    [[targets.<name>.exclusion_contexts]]
                                    aliases (default: all), before, after, before_patterns,
                                    after_patterns, unless_before, unless_after, window, note
    [frames.<name>]                 label, definition, seed_terms, exemplars, hypothesis

A codebook that leaves out ``[matching]`` or ``[stance]`` takes them from the default one.
Every problem (unknown key, empty alias list, duplicate alias or target, invalid regular
expression, a context rule with nothing to look for or for an alias the target lacks) is
reported with the line it is on; an unknown key or alias comes with the closest known one as a
suggestion.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from framelens.codebook.schema import (
    CASE_MODES,
    Codebook,
    CodebookError,
    ExclusionContext,
    Frame,
    Matching,
    Pattern,
    Target,
)
from framelens.errors import InputError

DEFAULT_CODEBOOK = "default_codebook.toml"

# The keys each table may hold; anything else is a typo (reported with a suggestion).
_TOP_KEYS = ("codebook", "matching", "stance", "targets", "frames")
_CODEBOOK_KEYS = ("name", "version", "description")
_MATCHING_KEYS = ("roles", "name_heads", "pronoun_cues", "exclusion_contexts")
_STANCE_KEYS = ("templates", "favor_prototypes", "against_prototypes")
_TARGET_KEYS = (
    "label",
    "description",
    "aliases",
    "patterns",
    "exclusions",
    "exclusion_patterns",
    "names",
    "homographs",
    "case",
    "case_rules",
    "exclusion_contexts",
)
_PATTERN_KEYS = ("pattern", "alias", "group")
_CONTEXT_KEYS = (
    "aliases",
    "before",
    "after",
    "before_patterns",
    "after_patterns",
    "unless_before",
    "unless_after",
    "window",
    "note",
)
#: The widest context window, in words: context rules look only at a bounded stretch of text
#: around a match, so mention finding stays linear in the length of an article.
MAX_CONTEXT_WINDOW = 10
_FRAME_KEYS = ("label", "definition", "seed_terms", "exemplars", "hypothesis")
_NAME_RE = re.compile(r"[a-z][a-z0-9_]*\Z")


def default_codebook_text() -> str:
    """The text of the codebook shipped with framelens."""
    return (
        resources.files("framelens").joinpath("data", DEFAULT_CODEBOOK).read_text(encoding="utf-8")
    )


def load_codebook(path=None) -> Codebook:
    """Read and validate a codebook.

    Parameters
    ----------
    path : str, Path, Codebook or None
        A TOML file; ``None`` (or ``"default"``) is the codebook shipped with framelens. A
        :class:`Codebook` is returned as it is.

    Returns
    -------
    Codebook

    Raises
    ------
    InputError
        If the file is missing or not valid TOML (:class:`CodebookError`, naming the line, if
        its content breaks a rule).

    Examples
    --------
    >>> codebook = load_codebook()
    >>> sorted(codebook.targets)
    ['china', 'india', 'russia', 'us']
    >>> codebook.target("russia").label
    'Russia'
    """
    if isinstance(path, Codebook):
        return path
    if path is None or str(path) == "default":
        return _default_codebook()
    path = Path(path)
    if not path.is_file():
        raise InputError(
            "codebook file not found",
            source=path,
            hint="give the path of a TOML codebook; `framelens codebook show` prints the default",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"the codebook is not UTF-8 text ({err.reason})", source=path) from err
    return parse_codebook(text, source=str(path))


@lru_cache(maxsize=1)
def _default_codebook() -> Codebook:
    return parse_codebook(default_codebook_text(), source=f"<framelens>/data/{DEFAULT_CODEBOOK}")


def parse_codebook(
    text: str, source: str | None = None, *, defaults: Codebook | None = None
) -> Codebook:
    """Build a :class:`Codebook` from TOML text.

    Parameters
    ----------
    text : str
        The TOML text.
    source : str, optional
        Where the text came from, for messages.
    defaults : Codebook, optional
        Where a missing ``[matching]`` or ``[stance]`` table is taken from; ``None`` is the
        shipped codebook.

    Returns
    -------
    Codebook

    Raises
    ------
    InputError
        If the text is not valid TOML (the message names the line).
    CodebookError
        If the content breaks a rule; every problem is listed with its line.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise _toml_error(err, source) from err
    return _Builder(data, text, source, defaults).build()


def _toml_error(err: tomllib.TOMLDecodeError, source) -> InputError:
    message = str(err)
    line = getattr(err, "lineno", None)
    found = re.search(r"\(at line (\d+), column \d+\)", message)
    if found:
        line = line or int(found.group(1))
        message = message[: found.start()].strip()
    hint = "fix the TOML syntax"
    if "twice" in message or "overwrite" in message:
        # tomllib's wording for a table or key declared twice, e.g. a duplicate target.
        message = f"duplicate table or key: {message}"
        hint = "each target, frame and key may appear only once; merge the two"
    return InputError(
        f"invalid TOML: {message}",
        source=source,
        record=None if line is None else f"line {line}",
        hint=hint,
    )


class _Lines:
    """Line numbers of the tables and keys of a TOML text, found by scanning it.

    tomllib gives no positions for valid documents, so the text is scanned for table headers
    (``[a.b]``, ``[[a.b]]``) and ``key =`` lines; multi-line strings are skipped.
    """

    _HEADER = re.compile(r"\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
    _KEY = re.compile(
        r"\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*="
    )
    _TRIPLE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'')
    _STRINGS = re.compile(r'"(?:\\.|[^"\\])*"|\'[^\']*\'|#.*')

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.where: dict[tuple, int] = {}
        table: tuple = ()
        counts: dict[tuple, int] = {}
        in_string = None  # the quote of an open multi-line string
        depth = 0  # open brackets of a multi-line array or inline table
        for number, line in enumerate(self.lines, start=1):
            if in_string:
                if in_string in line:
                    in_string = None
                continue
            header = self._HEADER.match(line) if depth == 0 else None
            if header:
                path = self._split(header.group(2))
                if header.group(1) == "[[":
                    index = counts.get(path, 0)
                    counts[path] = index + 1
                    self.where.setdefault(path, number)
                    path = path + (index,)
                table = path
                self.where.setdefault(path, number)
                continue
            key = self._KEY.match(line) if depth == 0 else None
            if key:
                path = table + self._split(key.group(1))
                for i in range(len(table) + 1, len(path) + 1):
                    self.where.setdefault(path[:i], number)
            code = self._TRIPLE.sub("", line)
            for quote in ('"""', "'''"):
                if quote in code:  # a multi-line string opens here
                    in_string = quote
                    code = code[: code.index(quote)]
            code = self._STRINGS.sub("", code)
            depth += code.count("[") + code.count("{") - code.count("]") - code.count("}")
            depth = max(depth, 0)

    @staticmethod
    def _split(dotted: str) -> tuple:
        parts = re.findall(r"\"[^\"]*\"|'[^']*'|[^.\s]+", dotted)
        return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)

    def line(self, *path) -> int | None:
        """The line of ``path`` (table and key names, array indexes), or of its nearest parent."""
        path = tuple(path)
        while path:
            if path in self.where:
                return self.where[path]
            path = path[:-1]
        return None

    def line_of_value(self, value: str, *path) -> int | None:
        """The first line at or after ``path``'s line that holds the string ``value``."""
        start = self.line(*path)
        if start is None:
            return None
        # The value as a whole TOML string first ("America" is not "United States of America"),
        # then anywhere in a line (a multi-line string).
        quoted = (json.dumps(value, ensure_ascii=False), f"'{value}'")
        loose = (value, value.replace("\\", "\\\\"))
        for forms in (quoted, loose):
            for number in range(start, len(self.lines) + 1):
                if any(form in self.lines[number - 1] for form in forms):
                    return number
        return start


class _Builder:
    """Validate parsed TOML and build the dataclasses, collecting every problem."""

    def __init__(self, data: dict, text: str, source, defaults: Codebook | None):
        self.data = data
        self.lines = _Lines(text)
        self.source = source
        self.defaults = defaults
        self.problems: list[tuple[int | None, str, str | None]] = []

    # -- reporting ---------------------------------------------------------------------------

    def problem(self, line, message: str, hint: str | None = None) -> None:
        self.problems.append((line, message, hint))

    def check_keys(self, table: dict, known, path: tuple, where: str) -> None:
        for key in table:
            if key in known:
                continue
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
            self.problem(self.lines.line(*path, key), f"unknown key {key!r} in {where}", hint)

    def expect(self, value, kind, path: tuple, what: str):
        """``value`` if it is of ``kind``, else None (and a problem)."""
        if isinstance(value, kind):
            return value
        names = {str: "a string", list: "a list", dict: "a table"}
        self.problem(
            self.lines.line(*path),
            f"{what} must be {names.get(kind, kind.__name__)}, not {type(value).__name__}",
        )
        return None

    def strings(
        self, value, path: tuple, what: str, *, allow_empty: bool = False
    ) -> tuple[str, ...]:
        """A list of non-empty strings, as a tuple (problems for anything else)."""
        value = self.expect(value, list, path, what)
        if value is None:
            return ()
        if not value and not allow_empty:
            self.problem(
                self.lines.line(*path),
                f"{what} is empty",
                "give at least one entry or remove the key",
            )
        out = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                self.problem(
                    self.lines.line(*path),
                    f"{what} holds {item!r}; every entry must be a non-empty string",
                )
            else:
                out.append(item.strip())
        return tuple(out)

    def regex(self, pattern: str, path: tuple, what: str) -> bool:
        try:
            re.compile(pattern)
        except re.error as err:
            self.problem(
                self.lines.line_of_value(pattern, *path),
                f"invalid regular expression {pattern!r} in {what}: {err}",
                "write TOML regexes as 'single-quoted' strings so backslashes stay as they are",
            )
            return False
        return True

    # -- building ----------------------------------------------------------------------------

    def build(self) -> Codebook:
        data = self.data
        self.check_keys(data, _TOP_KEYS, (), "the codebook")
        meta = self.expect(data.get("codebook", {}), dict, ("codebook",), "table codebook") or {}
        self.check_keys(meta, _CODEBOOK_KEYS, ("codebook",), "table codebook")
        matching = self.build_matching(data.get("matching"))
        templates, prototypes = self.build_stance(data.get("stance"))
        targets = self.build_targets(data.get("targets"))
        frames = self.build_frames(data.get("frames"))
        if "matching" in data:
            # Shared context rules name aliases of any target: checked once targets are known.
            known = [
                a for t in targets.values() for a in (*t.aliases, *(p.alias for p in t.patterns))
            ]
            for i, rule in enumerate(matching.exclusion_contexts):
                self.check_context_aliases(
                    rule, known, ("matching", "exclusion_contexts", i), "any target"
                )
        if self.problems:
            self.problems.sort(key=lambda p: (p[0] is None, p[0] or 0))
            raise CodebookError(self.problems, source=self.source)
        return Codebook(
            name=str(meta.get("name", Path(self.source).stem if self.source else "codebook")),
            version=str(meta.get("version", "0")),
            targets=MappingProxyType(targets),
            frames=MappingProxyType(frames),
            source=self.source,
            description=str(meta.get("description", "")),
            stance_templates=templates,
            stance_prototypes=MappingProxyType(prototypes),
            matching=matching,
        )

    def fallback(self) -> Codebook:
        return self.defaults if self.defaults is not None else _default_codebook()

    def build_matching(self, table) -> Matching:
        if table is None:
            return self.fallback().matching
        table = self.expect(table, dict, ("matching",), "table matching") or {}
        self.check_keys(table, _MATCHING_KEYS, ("matching",), "table matching")
        roles_table = (
            self.expect(table.get("roles", {}), dict, ("matching", "roles"), "table matching.roles")
            or {}
        )
        roles = {}
        for group, words in roles_table.items():
            self.group_name(group, ("matching", "roles", group))
            roles[group] = self.strings(
                words, ("matching", "roles", group), f"matching.roles.{group}"
            )
        return Matching(
            roles=MappingProxyType(roles),
            name_heads=self.strings(
                table.get("name_heads", []),
                ("matching", "name_heads"),
                "matching.name_heads",
                allow_empty=True,
            ),
            pronoun_cues=self.strings(
                table.get("pronoun_cues", []),
                ("matching", "pronoun_cues"),
                "matching.pronoun_cues",
                allow_empty=True,
            ),
            exclusion_contexts=self.build_contexts(
                table.get("exclusion_contexts", []),
                ("matching", "exclusion_contexts"),
                "matching.exclusion_contexts",
                aliases_required=True,
            ),
        )

    def build_contexts(
        self, raw, path: tuple, where: str, *, aliases_required: bool = False
    ) -> tuple[ExclusionContext, ...]:
        """The context rules of one list (``[[...exclusion_contexts]]`` tables)."""
        if isinstance(raw, dict):  # [x.exclusion_contexts] written with single brackets
            self.problem(
                self.lines.line(*path),
                f"{where} must be a list of tables, not one table",
                f"write each rule under its own [[{where}]] header (double brackets)",
            )
            raw = [raw]
        raw = self.expect(raw, list, path, where) or []
        rules = []
        for i, entry in enumerate(raw):
            rpath = path + (i,)
            what = f"{where} entry {i + 1}"
            entry = self.expect(entry, dict, rpath, what)
            if entry is None:
                continue
            self.check_keys(entry, _CONTEXT_KEYS, rpath, what)
            fields = {}
            for key in _CONTEXT_KEYS[:-2]:  # every list
                if key in entry:
                    fields[key] = self.strings(entry[key], rpath + (key,), f"{what} {key}")
            for key in ("before", "after", "unless_before", "unless_after"):
                for phrase in fields.get(key, ()):
                    if not re.search(r"\w", phrase):
                        self.problem(
                            self.lines.line_of_value(phrase, *rpath, key),
                            f"{what} {key} holds {phrase!r}, which has no word in it",
                            "context words are compared word by word; use "
                            f"{key}_patterns for punctuation",
                        )
            for key in ("before_patterns", "after_patterns"):
                valid = []
                for pattern in fields.get(key, ()):
                    if not self.regex(pattern, rpath + (key,), f"{what} {key}"):
                        continue
                    try:  # as the matcher compiles it: a global flag such as (?i) must lead
                        re.compile(f"(?:{pattern})\\Z")
                    except re.error as err:
                        self.problem(
                            self.lines.line_of_value(pattern, *rpath, key),
                            f"{what} {key} {pattern!r} cannot be embedded: {err}",
                            "write a flag for part of the pattern, e.g. (?i:word)",
                        )
                        continue
                    if re.compile(pattern).fullmatch(""):
                        self.problem(
                            self.lines.line_of_value(pattern, *rpath, key),
                            f"{what} {key} {pattern!r} matches empty text, so it would exclude "
                            "the alias everywhere",
                            "make the pattern require at least one character",
                        )
                        continue
                    valid.append(pattern)
                fields[key] = tuple(valid)
            if not any(
                fields.get(k) for k in ("before", "after", "before_patterns", "after_patterns")
            ):
                self.problem(
                    self.lines.line(*rpath),
                    f"{what} has nothing to look for",
                    "give before, after, before_patterns or after_patterns",
                )
            if aliases_required and not fields.get("aliases"):
                self.problem(
                    self.lines.line(*rpath),
                    f"{what} lacks aliases",
                    "a shared context rule must name the aliases it applies to",
                )
            window = entry.get("window", 1)
            if (
                isinstance(window, bool)
                or not isinstance(window, int)
                or not 1 <= window <= MAX_CONTEXT_WINDOW
            ):
                self.problem(
                    self.lines.line(*rpath, "window"),
                    f"{what} window must be a whole number of words from 1 to "
                    f"{MAX_CONTEXT_WINDOW}, not {window!r}",
                )
                window = 1
            note = entry.get("note", "")
            if not isinstance(note, str):
                self.problem(self.lines.line(*rpath, "note"), f"{what} note must be a string")
                note = ""
            rules.append(ExclusionContext(**fields, window=window, note=" ".join(note.split())))
        return tuple(rules)

    def check_context_aliases(self, rule: ExclusionContext, known, path: tuple, owner: str):
        """Report the aliases of a context rule that ``owner`` does not have."""
        for alias in rule.aliases:
            if alias not in known:
                close = difflib.get_close_matches(alias, known, n=1)
                self.problem(
                    self.lines.line_of_value(alias, *path, "aliases"),
                    f"context rule for {alias!r}, which is not an alias of {owner}",
                    f"did you mean {close[0]!r}?" if close else "list aliases exactly as written",
                )

    def build_stance(self, table):
        if table is None:
            default = self.fallback()
            return default.stance_templates, dict(default.stance_prototypes)
        table = self.expect(table, dict, ("stance",), "table stance") or {}
        self.check_keys(table, _STANCE_KEYS, ("stance",), "table stance")
        templates = []
        raw = (
            self.expect(
                table.get("templates", []), list, ("stance", "templates"), "stance.templates"
            )
            or []
        )
        for pair in raw:
            line = (
                self.lines.line_of_value(pair[0], "stance", "templates")
                if pair and isinstance(pair[0], str)
                else self.lines.line("stance", "templates")
            )
            if not (
                isinstance(pair, list) and len(pair) == 2 and all(isinstance(t, str) for t in pair)
            ):
                self.problem(
                    line, f"stance template {pair!r} must be a pair of strings [favor, against]"
                )
            elif not all("{target}" in t for t in pair):
                self.problem(
                    line,
                    f"stance template {pair!r} lacks '{{target}}'",
                    "write {target} where the target's label goes",
                )
            else:
                templates.append((pair[0], pair[1]))
        prototypes = {
            label: self.strings(
                table.get(f"{label}_prototypes", []),
                ("stance", f"{label}_prototypes"),
                f"stance.{label}_prototypes",
                allow_empty=True,
            )
            for label in ("favor", "against")
        }
        return tuple(templates), prototypes

    def group_name(self, name, path: tuple) -> None:
        if not _NAME_RE.match(str(name)):
            self.problem(
                self.lines.line(*path),
                f"{'.'.join(map(str, path))}: names must be lower-case identifiers, not {name!r}",
                "use letters, digits and _, starting with a letter",
            )

    def build_targets(self, table) -> dict[str, Target]:
        if table is None:
            self.problem(
                None,
                "the codebook has no targets",
                "add at least one target table, e.g. targets.us with targets.us.aliases",
            )
            return {}
        table = self.expect(table, dict, ("targets",), "table targets") or {}
        targets: dict[str, Target] = {}
        seen_names: dict[str, str] = {}
        seen_aliases: dict[str, str] = {}
        for name, raw in table.items():
            path = ("targets", name)
            self.group_name(name, path)
            if name.casefold() in seen_names:
                self.problem(
                    self.lines.line(*path),
                    f"duplicate target {name!r} (also {seen_names[name.casefold()]!r})",
                    "give each target one table",
                )
            seen_names[name.casefold()] = name
            raw = self.expect(raw, dict, path, f"table targets.{name}")
            if raw is None:
                continue
            target = self.build_target(name, raw, path)
            if target is None:
                continue
            for alias in target.aliases:
                key = _alias_key(alias)
                if key in seen_aliases:
                    self.problem(
                        self.lines.line_of_value(alias, *path, "aliases"),
                        f"alias {alias!r} of target {name!r} is also an alias of {seen_aliases[key]!r}",
                        "an alias may stand for one target only; remove it from one of them",
                    )
                seen_aliases[key] = name
            targets[name] = target
        return targets

    def build_target(self, name: str, raw: dict, path: tuple) -> Target | None:
        where = f"table targets.{name}"
        self.check_keys(raw, _TARGET_KEYS, path, where)
        label = raw.get("label", name)
        if not isinstance(label, str) or not label.strip():
            self.problem(
                self.lines.line(*path, "label"), f"{where} label must be a non-empty string"
            )
            label = name
        aliases_table = raw.get("aliases")
        if aliases_table is None:
            self.problem(
                self.lines.line(*path),
                f"{where} has no aliases",
                f"add a table targets.{name}.aliases with e.g. state = a list of names",
            )
            return None
        aliases_table = self.expect(
            aliases_table, dict, path + ("aliases",), f"targets.{name}.aliases"
        )
        if aliases_table is None:
            return None
        if not aliases_table:
            self.problem(
                self.lines.line(*path, "aliases"),
                f"targets.{name}.aliases is empty",
                'list aliases by group, e.g. state = ["..."]',
            )
        groups: dict[str, tuple[str, ...]] = {}
        all_aliases: list[str] = []
        seen: set[str] = set()
        for group, aliases in aliases_table.items():
            gpath = path + ("aliases", group)
            self.group_name(group, gpath)
            values = self.strings(aliases, gpath, f"targets.{name}.aliases.{group}")
            for alias in values:
                if not (alias[0].isalnum() and (alias[-1].isalnum() or alias[-1] == ".")):
                    self.problem(
                        self.lines.line_of_value(alias, *gpath),
                        f"alias {alias!r} of {name!r} must start with a letter or digit and end with one (or a dot)",
                        "use patterns for anything else",
                    )
                key = _alias_key(alias)
                if key in seen:
                    self.problem(
                        self.lines.line_of_value(alias, *gpath),
                        f"alias {alias!r} is listed twice under target {name!r}",
                    )
                seen.add(key)
                all_aliases.append(alias)
            groups[group] = values
        patterns = []
        raw_patterns = (
            self.expect(
                raw.get("patterns", []), list, path + ("patterns",), f"targets.{name}.patterns"
            )
            or []
        )
        for i, entry in enumerate(raw_patterns):
            ppath = path + ("patterns", i)
            entry = self.expect(entry, dict, ppath, f"targets.{name}.patterns entry {i + 1}")
            if entry is None:
                continue
            self.check_keys(entry, _PATTERN_KEYS, ppath, f"targets.{name}.patterns entry {i + 1}")
            missing = [
                k for k in _PATTERN_KEYS if not isinstance(entry.get(k), str) or not entry.get(k)
            ]
            if missing:
                self.problem(
                    self.lines.line(*ppath),
                    f"targets.{name}.patterns entry {i + 1} lacks {', '.join(missing)}",
                    "each pattern needs pattern, alias and group strings",
                )
                continue
            if self.regex(entry["pattern"], ppath + ("pattern",), f"targets.{name}.patterns"):
                patterns.append(Pattern(entry["pattern"], entry["alias"], entry["group"]))
        exclusion_patterns = self.strings(
            raw.get("exclusion_patterns", []),
            path + ("exclusion_patterns",),
            f"targets.{name}.exclusion_patterns",
            allow_empty=True,
        )
        exclusion_patterns = tuple(
            p
            for p in exclusion_patterns
            if self.regex(p, path + ("exclusion_patterns",), f"targets.{name}.exclusion_patterns")
        )
        case = raw.get("case", "proper")
        if case not in CASE_MODES:
            self.problem(
                self.lines.line(*path, "case"),
                f"{where} case must be one of {', '.join(CASE_MODES)}, not {case!r}",
            )
            case = "proper"
        case_rules = (
            self.expect(
                raw.get("case_rules", {}),
                dict,
                path + ("case_rules",),
                f"targets.{name}.case_rules",
            )
            or {}
        )
        for alias, mode in case_rules.items():
            if alias not in all_aliases:
                close = difflib.get_close_matches(alias, all_aliases, n=1)
                self.problem(
                    self.lines.line(*path, "case_rules"),
                    f"case rule for {alias!r}, which is not an alias of {name!r}",
                    f"did you mean {close[0]!r}?" if close else None,
                )
            if mode not in CASE_MODES:
                self.problem(
                    self.lines.line(*path, "case_rules"),
                    f"case rule {alias} = {mode!r} must be one of {', '.join(CASE_MODES)}",
                )
        homographs = self.strings(
            raw.get("homographs", []),
            path + ("homographs",),
            f"targets.{name}.homographs",
            allow_empty=True,
        )
        for alias in homographs:
            if alias not in all_aliases:
                self.problem(
                    self.lines.line(*path, "homographs"),
                    f"homograph {alias!r} is not an alias of {name!r}",
                    "list the alias under [aliases] too",
                )
        contexts = self.build_contexts(
            raw.get("exclusion_contexts", []),
            path + ("exclusion_contexts",),
            f"targets.{name}.exclusion_contexts",
        )
        own = [*all_aliases, *(p.alias for p in patterns)]
        for i, rule in enumerate(contexts):
            self.check_context_aliases(
                rule, own, path + ("exclusion_contexts", i), f"target {name!r}"
            )
        description = raw.get("description", "")
        return Target(
            name=name,
            label=label.strip(),
            aliases=tuple(all_aliases),
            patterns=tuple(patterns),
            exclusions=self.strings(
                raw.get("exclusions", []),
                path + ("exclusions",),
                f"targets.{name}.exclusions",
                allow_empty=True,
            ),
            groups=MappingProxyType(groups),
            description=description.strip() if isinstance(description, str) else "",
            exclusion_patterns=exclusion_patterns,
            names=self.strings(
                raw.get("names", []), path + ("names",), f"targets.{name}.names", allow_empty=True
            ),
            homographs=homographs,
            case=case,
            case_rules=MappingProxyType({k: v for k, v in case_rules.items() if v in CASE_MODES}),
            exclusion_contexts=contexts,
        )

    def build_frames(self, table) -> dict[str, Frame]:
        if table is None:
            self.problem(
                None,
                "the codebook has no frames",
                "add at least one frame table, e.g. frames.security with a definition and seed_terms",
            )
            return {}
        table = self.expect(table, dict, ("frames",), "[frames]") or {}
        frames = {}
        for name, raw in table.items():
            path = ("frames", name)
            where = f"table frames.{name}"
            self.group_name(name, path)
            raw = self.expect(raw, dict, path, where)
            if raw is None:
                continue
            self.check_keys(raw, _FRAME_KEYS, path, where)
            definition = raw.get("definition")
            if not isinstance(definition, str) or not definition.strip():
                self.problem(
                    self.lines.line(*path, "definition"),
                    f"{where} needs a definition a human coder could follow",
                )
                definition = ""
            hypothesis = raw.get("hypothesis")
            if hypothesis is not None and (
                not isinstance(hypothesis, str) or not hypothesis.strip()
            ):
                self.problem(
                    self.lines.line(*path, "hypothesis"),
                    f"{where} hypothesis must be a non-empty string",
                )
                hypothesis = None
            label = raw.get("label", name.replace("_", " ").capitalize())
            frames[name] = Frame(
                name=name,
                label=str(label),
                definition=" ".join(definition.split()),
                seed_terms=self.strings(
                    raw.get("seed_terms"), path + ("seed_terms",), f"frames.{name}.seed_terms"
                )
                if "seed_terms" in raw
                else self._missing(path, f"{where} needs seed_terms"),
                exemplars=self.strings(
                    raw.get("exemplars", []),
                    path + ("exemplars",),
                    f"frames.{name}.exemplars",
                    allow_empty=True,
                ),
                hypothesis=hypothesis.strip() if hypothesis else None,
            )
        return frames

    def _missing(self, path, message) -> tuple:
        self.problem(
            self.lines.line(*path),
            message,
            'list dictionary words and phrases, e.g. seed_terms = ["trade", "investment"]',
        )
        return ()


def _alias_key(alias: str) -> str:
    # Aliases that differ only in case, spacing, apostrophe or a final dot are the same alias.
    key = " ".join(alias.split()).replace("’", "'").casefold()
    return key[:-1] if key.endswith(".") else key

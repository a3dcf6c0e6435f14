"""The codebook: the shipped default, validation with line numbers, the hash, the CLI."""

from __future__ import annotations

import dataclasses
import re
import tomllib

import pytest
from typer.testing import CliRunner

from framelens.cli import _register_commands, app
from framelens.codebook import (
    CodebookError,
    default_codebook_text,
    load_codebook,
    parse_codebook,
)
from framelens.errors import InputError

_register_commands()
runner = CliRunner()

# A small but complete codebook; tests below break it one way at a time.
MINIMAL = """\
[codebook]
name = "mini"
version = "2"

[targets.pakistan]
label = "Pakistan"
exclusions = ["Pakistan Peoples Party"]

[targets.pakistan.aliases]
state = ["Pakistan", "Islamic Republic of Pakistan"]
capital = ["Islamabad"]

[frames.security]
definition = "Armed force, threats and terrorism."
seed_terms = ["army", "terrorism", "border security"]
"""

# The same content with tables and keys in another order.
MINIMAL_REORDERED = """\
[frames.security]
seed_terms = ["army", "terrorism", "border security"]
definition = "Armed force, threats and terrorism."

[targets.pakistan.aliases]
capital = ["Islamabad"]
state = ["Pakistan", "Islamic Republic of Pakistan"]

[targets.pakistan]
exclusions = ["Pakistan Peoples Party"]
label = "Pakistan"

[codebook]
version = "2"
name = "mini"
"""


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line of ``text`` containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def write(tmp_path, text: str, name: str = "codebook.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# The shipped codebook


def test_default_codebook_has_the_targets_and_frames_of_the_study():
    codebook = load_codebook()
    assert list(codebook.targets) == ["us", "russia", "india", "china"]
    assert list(codebook.frames) == ["geo_economic", "security", "partisan"]
    us = codebook.target("us")
    assert {"state", "capital", "institution", "leader", "demonym"} <= set(us.groups)
    assert "Washington" in us.groups["capital"] and "Pentagon" in us.groups["institution"]
    assert "Kremlin" in codebook.target("russia").aliases
    assert "Bharat" in codebook.target("india").groups["state"]
    assert "Xi" in codebook.target("china").aliases
    assert codebook.target("china").case_of("Xi") == "exact"
    assert codebook.target("us").homographs == ("US",)
    # Every alias is listed under exactly one group.
    for target in codebook.targets.values():
        assert len(target.aliases) == sum(len(a) for a in target.groups.values())


def test_default_frames_are_codeable_dictionaries():
    for frame in load_codebook().frames.values():
        assert len(frame.definition.split()) >= 40, frame.name  # a coder can follow it
        assert 40 <= len(frame.seed_terms) <= 80, frame.name
        assert len({t.casefold() for t in frame.seed_terms}) == len(frame.seed_terms)
        assert sum(" " in t for t in frame.seed_terms) >= 10  # multiword phrases too
        assert 5 <= len(frame.exemplars) <= 8
        assert frame.hypothesis and frame.hypothesis.endswith(".")


def test_default_frame_seed_terms_do_not_overlap_between_frames():
    frames = load_codebook().frames.values()
    seen: dict[str, str] = {}
    for frame in frames:
        for term in frame.seed_terms:
            assert term.casefold() not in seen, (
                f"{term!r} in {seen.get(term.casefold())} and {frame.name}"
            )
            seen[term.casefold()] = frame.name


def test_exemplars_are_not_copied_from_the_seed_articles(seed_corpus_dir):
    words = lambda text: re.findall(r"[a-z]+", text.lower())  # noqa: E731
    seed_text = " ".join(
        " ".join(words(p.read_text())) for p in (seed_corpus_dir / "raw").glob("*.txt")
    )
    for frame in load_codebook().frames.values():
        for sentence in frame.exemplars:
            w = words(sentence)
            for i in range(len(w) - 4):
                assert " ".join(w[i : i + 5]) not in seed_text, sentence


def test_default_stance_settings():
    codebook = load_codebook()
    assert len(codebook.stance_templates) >= 3
    for favor, against in codebook.stance_templates:
        assert "{target}" in favor and "{target}" in against and favor != against
    for label in ("favor", "against"):
        prototypes = codebook.stance_prototypes[label]
        assert len(prototypes) >= 5 and all("{target}" in p for p in prototypes)
    filled = codebook.stance_templates[0][0].format(target=codebook.target("russia").label)
    assert filled == "The author is favorable toward Russia."


def test_target_and_frame_lookup_name_the_known_ones():
    codebook = load_codebook()
    assert codebook.frame("security").name == "security"
    with pytest.raises(InputError, match="us, russia, india, china"):
        codebook.target("pakistan")
    with pytest.raises(InputError, match="geo_economic, security, partisan"):
        codebook.frame("humanitarian")


def test_codebook_is_immutable():
    codebook = load_codebook()
    with pytest.raises(dataclasses.FrozenInstanceError):
        codebook.name = "other"
    with pytest.raises(TypeError):
        codebook.targets["pakistan"] = codebook.targets["us"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        codebook.target("us").aliases = ()


# --------------------------------------------------------------------------------------------
# Hash and defaults


def test_hash_is_stable_across_key_order_and_location_but_follows_content(tmp_path):
    a = parse_codebook(MINIMAL, source="a.toml")
    b = parse_codebook(MINIMAL_REORDERED, source="elsewhere/b.toml")
    assert a.hash == b.hash
    assert re.fullmatch(r"[0-9a-f]{64}", a.hash)
    changed = parse_codebook(MINIMAL.replace('"Islamabad"', '"Islamabad", "Rawalpindi"'))
    assert changed.hash != a.hash
    # The shipped file copied elsewhere is the same codebook.
    copy = load_codebook(write(tmp_path, default_codebook_text()))
    assert copy.hash == load_codebook().hash and copy.source != load_codebook().source


def test_missing_matching_and_stance_tables_come_from_the_default():
    mini, default = parse_codebook(MINIMAL), load_codebook()
    assert mini.stance_templates == default.stance_templates
    assert mini.matching == default.matching
    assert mini.name == "mini" and mini.version == "2"
    assert mini.target("pakistan").groups["capital"] == ("Islamabad",)
    assert mini.target("pakistan").case == "proper"


# --------------------------------------------------------------------------------------------
# Bad input: every problem names the file, the line and the key


def test_duplicate_target_names_the_file_and_line(tmp_path):
    text = MINIMAL + '\n[targets.pakistan]\nlabel = "again"\n'
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_codebook(path)
    message = str(info.value)
    assert str(path) in message and "duplicate" in message and "'pakistan'" in message
    assert f"line {text.splitlines().index('[targets.pakistan]', 5) + 1}" in message


def test_empty_alias_list_names_the_key_and_line(tmp_path):
    text = MINIMAL.replace('capital = ["Islamabad"]', "capital = []")
    path = write(tmp_path, text)
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert info.value.record == f"line {line_of(text, 'capital = []')}"
    assert "targets.pakistan.aliases.capital is empty" in str(info.value)
    assert str(path) in str(info.value)


def test_invalid_regex_names_the_pattern_and_line():
    text = MINIMAL + (
        '\n[[targets.pakistan.patterns]]\npattern = \'Pak(istan\'\nalias = "Pak"\ngroup = "state"\n'
    )
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, source="mini.toml")
    assert info.value.record == f"line {line_of(text, 'Pak(istan')}"
    assert "invalid regular expression 'Pak(istan'" in str(info.value)


def test_invalid_exclusion_regex_in_a_multiline_list_points_at_its_own_line():
    text = MINIMAL.replace(
        'exclusions = ["Pakistan Peoples Party"]',
        "exclusion_patterns = [\n    'PAKISTAN:',\n    'ISLAMABAD[',\n]",
    )
    with pytest.raises(CodebookError) as info:
        parse_codebook(text)
    assert info.value.record == f"line {line_of(text, 'ISLAMABAD[')}"


def test_unknown_key_suggests_the_closest_known_one():
    text = MINIMAL.replace("[targets.pakistan.aliases]", "[targets.pakistan.alises]")
    text = text.replace('seed_terms = ["army"', 'seed_term = ["army"')
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, source="mini.toml")
    problems = info.value.problems
    messages = [f"{line}: {message} ({hint})" for line, message, hint in problems]
    assert (
        f"{line_of(text, 'alises')}: unknown key 'alises' in table targets.pakistan (did you mean 'aliases'?)"
        in messages
    )
    typo = [m for m in messages if "'seed_term'" in m]
    assert typo and "did you mean 'seed_terms'?" in typo[0]
    assert typo[0].startswith(f"{line_of(text, 'seed_term =')}:")
    # Problems are reported in file order, and all of them, not just the first.
    lines = [line for line, _, _ in problems if line is not None]
    assert lines == sorted(lines) and len(problems) >= 3


def test_alias_of_two_targets_is_refused():
    text = (
        MINIMAL
        + '\n[targets.capital]\nlabel = "Capital"\n[targets.capital.aliases]\ncity = ["Islamabad"]\n'
    )
    with pytest.raises(
        CodebookError, match="'Islamabad' of target 'capital' is also an alias of 'pakistan'"
    ):
        parse_codebook(text)


def test_stance_template_without_target_placeholder_is_refused():
    text = (
        MINIMAL
        + '\n[stance]\ntemplates = [["The author likes it.", "The author is against {target}."]]\n'
    )
    with pytest.raises(CodebookError, match="lacks '\\{target\\}'") as info:
        parse_codebook(text)
    assert info.value.record == f"line {line_of(text, 'The author likes it.')}"


def test_invalid_toml_and_missing_file(tmp_path):
    path = write(tmp_path, MINIMAL.replace('version = "2"', "version = 2 2"))
    with pytest.raises(InputError, match=r"codebook.toml, line 3: invalid TOML"):
        load_codebook(path)
    with pytest.raises(InputError, match="codebook file not found"):
        load_codebook(tmp_path / "nope.toml")


def test_codebook_error_is_an_input_error_with_every_problem():
    text = MINIMAL.replace('capital = ["Islamabad"]', "capital = []").replace("label =", "lable =")
    with pytest.raises(InputError) as info:
        parse_codebook(text, source="mini.toml")
    assert isinstance(info.value, CodebookError)
    described = info.value.describe()
    assert len(described) == 2 and all(d.startswith("mini.toml, line ") for d in described)
    assert "(and 1 more problem(s)" in str(info.value)


# --------------------------------------------------------------------------------------------
# CLI


def test_cli_check_accepts_the_default_and_reports_problems_with_lines(tmp_path):
    good = write(tmp_path, default_codebook_text(), "good.toml")
    result = runner.invoke(app, ["codebook", "check", str(good)])
    assert result.exit_code == 0, result.output
    assert "ok:" in result.output and "4 targets" in result.output

    text = MINIMAL.replace('capital = ["Islamabad"]', "capital = []").replace("label =", "lable =")
    bad = write(tmp_path, text, "bad.toml")
    result = runner.invoke(app, ["codebook", "check", str(bad)])
    assert result.exit_code == 2
    assert (
        f"line {line_of(text, 'lable')}: unknown key 'lable' in table targets.pakistan"
        in result.output
    )
    assert (
        f"line {line_of(text, 'capital = []')}: targets.pakistan.aliases.capital is empty"
        in result.output
    )
    assert "Traceback" not in result.output


def test_cli_show_prints_the_default_codebook():
    result = runner.invoke(app, ["codebook", "show"])
    assert result.exit_code == 0
    assert tomllib.loads(result.output)["codebook"]["name"] == "framelens-default"
    assert parse_codebook(result.output).hash == load_codebook().hash

    summary = runner.invoke(app, ["codebook", "show", "--summary"])
    assert summary.exit_code == 0
    assert "russia" in summary.output and "Kremlin" in summary.output


# --------------------------------------------------------------------------------------------
# Exclusion contexts: validated like the rest, every problem with its line

CONTEXTS = (
    MINIMAL
    + """
[[targets.pakistan.exclusion_contexts]]
note = "the Islamabad United cricket team"
aliases = ["Islamabad"]
after = ["United"]
"""
)


def test_exclusion_contexts_are_read_into_the_target():
    codebook = parse_codebook(CONTEXTS)
    (rule,) = codebook.target("pakistan").exclusion_contexts
    assert (rule.aliases, rule.after, rule.before, rule.window) == (
        ("Islamabad",),
        ("United",),
        (),
        1,
    )
    assert rule.note == "the Islamabad United cricket team"
    # The default codebook uses them, and `check` accepts it.
    default = load_codebook()
    assert default.target("india").exclusion_contexts
    assert any("Moscow" in r.aliases for r in default.matching.exclusion_contexts)


def test_exclusion_context_problems_name_the_key_and_line():
    text = MINIMAL + (
        "\n[[targets.pakistan.exclusion_contexts]]\n"
        'aliases = ["Islamabd"]\n'
        'befor = ["Karachi"]\n'
        "after = []\n"
        "after_patterns = ['United(', '(?i)united', '(?:United)?']\n"
        "window = 0\n"
    )
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, source="mini.toml")
    found = {(line, message) for line, message, _ in info.value.problems}
    hints = {message: hint for _, message, hint in info.value.problems}
    where = "targets.pakistan.exclusion_contexts entry 1"
    assert (
        line_of(text, "Islamabd"),
        "context rule for 'Islamabd', which is not an alias of target 'pakistan'",
    ) in found
    assert (
        hints["context rule for 'Islamabd', which is not an alias of target 'pakistan'"]
        == "did you mean 'Islamabad'?"
    )
    assert (line_of(text, "befor ="), f"unknown key 'befor' in {where}") in found
    assert hints[f"unknown key 'befor' in {where}"] == "did you mean 'before'?"
    assert (line_of(text, "after = []"), f"{where} after is empty") in found
    messages = [m for _, m in found]
    pattern_line = line_of(text, "after_patterns")
    assert any(
        line == pattern_line and "invalid regular expression 'United('" in m for line, m in found
    )
    assert any(line == pattern_line and "'(?i)united' cannot be embedded" in m for line, m in found)
    assert any(
        line == pattern_line and "'(?:United)?' matches empty text" in m for line, m in found
    )
    assert any("window must be a whole number of words from 1 to 10, not 0" in m for m in messages)
    assert f"{where} has nothing to look for" in messages  # the typo left it empty


def test_shared_exclusion_contexts_must_name_aliases_of_some_target():
    text = MINIMAL + (
        "\n[matching]\n"
        "[[matching.exclusion_contexts]]\n"
        'after = ["United"]\n'
        "[[matching.exclusion_contexts]]\n"
        'aliases = ["Karachi"]\n'
        'before = ["in"]\n'
    )
    with pytest.raises(CodebookError) as info:
        parse_codebook(text)
    messages = {message: line for line, message, _ in info.value.problems}
    assert messages["matching.exclusion_contexts entry 1 lacks aliases"] == line_of(
        text, "[[matching.exclusion_contexts]]"
    )
    assert messages["context rule for 'Karachi', which is not an alias of any target"] == line_of(
        text, "Karachi"
    )


def test_cli_check_reports_context_problems_and_match_shows_the_rule(tmp_path):
    bad = write(tmp_path, CONTEXTS.replace('after = ["United"]', "after = [1]"), "bad.toml")
    result = runner.invoke(app, ["codebook", "check", str(bad)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "exclusion_contexts entry 1 after holds 1" in result.output

    good = write(tmp_path, CONTEXTS, "good.toml")
    text = "Islamabad United beat a team from Islamabad."
    result = runner.invoke(app, ["codebook", "match", text, "--codebook", str(good)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(
        "excluded  0-9  'Islamabad' (pakistan): targets.pakistan.exclusion_contexts[0]"
    )
    assert "the Islamabad United cricket team" in lines[0]
    assert lines[1].startswith("mention   34-43  'Islamabad' (pakistan: capital")
    summary = runner.invoke(app, ["codebook", "show", "--summary"])
    assert "exclusion contexts" in summary.output


def test_coding_guide_lists_what_is_not_each_target():
    from framelens.codebook.guide import coding_guide

    guide = coding_guide(load_codebook())
    us = guide[guide.index("### `us`") : guide.index("### `russia`")]
    assert "- *not this target when the words around it say so*:" in us
    assert "Washington the state" in us and "*Washington* after *state of" in us
    # A shared rule appears under each target that has one of its aliases.
    russia = guide[guide.index("### `russia`") : guide.index("### `india`")]
    assert "Moscow, Idaho" in russia and "Moscow, Idaho" in us
    assert "Moscow, Idaho" not in guide[guide.index("### `china`") : guide.index("## Frames")]
    assert "African Americans" in guide[: guide.index("## Targets")]  # the decision rule


def test_a_context_rule_written_as_one_table_says_to_use_double_brackets():
    text = MINIMAL + '\n[targets.pakistan.exclusion_contexts]\nafter = ["United"]\n'
    with pytest.raises(CodebookError) as info:
        parse_codebook(text)
    ((line, message, hint),) = info.value.problems
    assert line == line_of(text, "[targets.pakistan.exclusion_contexts]")
    assert message == "targets.pakistan.exclusion_contexts must be a list of tables, not one table"
    assert "[[targets.pakistan.exclusion_contexts]]" in hint

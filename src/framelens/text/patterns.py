"""Regular expressions built from word lists: one alternation factored as a prefix tree.

Used by mention finding (codebook aliases) and by the stance scorers' word lists (contrast
markers, negators, idioms), which sit above ``text/`` and import it from here.
"""

from __future__ import annotations

from collections.abc import Iterable


def trie_regex(phrases: Iterable[Iterable[str]]) -> str:
    """One regex (no group, no boundaries) matching any of ``phrases``, factored as a trie.

    A plain ``a|b|c|...`` of many phrases makes the engine try each phrase in turn at every
    position; here alternatives that share a prefix share its atoms, so no prefix is tried
    twice. Where one phrase extends another (*Washington* and *Washington, D.C.*) the
    continuation is optional and greedy: the longer is tried first, as in an alternation sorted
    longest first.

    Parameters
    ----------
    phrases : iterable of iterables of str
        Each phrase as its sequence of regex atoms (e.g. ``re.escape`` of each character, or
        ``\\s+`` for a space). Atoms that branch from one node must not match the same text.

    Returns
    -------
    str
    """
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for atom in phrase:
            node = node.setdefault(atom, {})
        node[""] = {}  # a phrase ends here
    return _render(trie)


def _render(node: dict) -> str:
    branches = [atom + _render(child) for atom, child in node.items() if atom != ""]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body

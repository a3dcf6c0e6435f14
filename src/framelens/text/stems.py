"""Snowball stems of single English words, worked out once per word and process.

The dictionary frame scorer stems every word of every sentence, and the lexicon stance scorer
the words near each mention (for its evaluative verbs): most of them are the same words, and
Snowball's rules cost far more than a lookup. One cache serves both.
"""

from __future__ import annotations

from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer

_STEMMER = SnowballStemmer("english")


@lru_cache(maxsize=131072)
def snowball_stem(word: str) -> str:
    """The stem of ``word``, as NLTK's ``SnowballStemmer("english").stem`` gives it.

    Parameters
    ----------
    word : str
        One word (the stemmer lower-cases it).

    Returns
    -------
    str

    Examples
    --------
    >>> snowball_stem("sanctions"), snowball_stem("sanctioned")
    ('sanction', 'sanction')
    """
    return _STEMMER.stem(word)

"""framelens: media framing and stance research.

The flow is a chain of plain functions over tidy pandas tables (see ``framelens.tables``)::

    read_corpus -> clean_articles -> segment_articles -> find_mentions
        -> stance / frame scorers -> aggregate -> compare -> figures
"""

from framelens.errors import FramelensError, InputError

__version__ = "0.1.0"

__all__ = ["FramelensError", "InputError", "__version__"]

"""Fewer passes of Python's cycle collector while a run computes.

CPython looks for reference cycles after every 700 new container objects (its generation-0
threshold), and every tenth such pass also walks the older objects. The flow makes millions
of short-lived tuples, lists and dicts that reference counting frees by itself, so nearly all
of these passes find nothing, yet together they cost about 0.4 s of a 7 s ``framelens process``
run on the Narrative Frames corpus, imports included (measured as whole processes, as in
``benchmarks/vs_script.py``). Within :func:`fewer_collections` the collector runs after every
:data:`YOUNG_THRESHOLD` new objects instead: cycles are still collected, and the garbage that
can wait for a pass stays small (a few MB). The command line sets it for the whole command;
:func:`framelens.runs.process.process_corpus` and its tasks set it wherever they run.
The thresholds in force before are restored on the way out, so a notebook or script calling
framelens is left as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: New container objects between two passes of the collector (CPython's default is 700).
YOUNG_THRESHOLD = 50_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's first threshold for the duration (also usable as a decorator)."""
    before = gc.get_threshold()
    gc.set_threshold(max(YOUNG_THRESHOLD, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def exiting() -> None:
    """Spare a process that is about to end the collector's passes over everything it holds.

    At shutdown CPython runs full collections while it clears the modules, each walking every
    object still alive: after a run that is hundreds of thousands of objects (pandas, NLTK,
    the codebook's patterns), about 0.3 s of CPU on the Narrative Frames corpus. Frozen objects
    (:func:`gc.freeze`) are left out of those passes and still freed by reference counting; a
    cycle among them is simply not collected, which no longer matters. Call this only where
    the process ends next (the console script does, after its command).
    """
    gc.freeze()

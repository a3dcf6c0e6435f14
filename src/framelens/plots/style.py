"""The paper style of framelens figures, and byte-for-byte reproducible saving.

The style is a plain rcParams dict (:data:`PAPER_RC`) applied through :func:`paper_style`, so it
composes with a user's own ``matplotlib.rc_context``. Sizes follow the usual journal columns:
3.5 in for one column and 7.2 in for two. Fonts are DejaVu Sans (ships with matplotlib, so the
output does not depend on what is installed) at 7-9 pt, and colours come from the Okabe-Ito
palette, which stays distinguishable under the common colour-vision deficiencies.

:func:`save_figure` writes PDF, SVG and PNG with no timestamp, software stamp or random id in
them: the same figure gives the same bytes on every run, so results folders can be hashed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

import matplotlib as mpl
from cycler import cycler
from matplotlib.colors import LinearSegmentedColormap

from framelens.errors import InputError

ONE_COLUMN = 3.5
"""Width in inches of a one-column figure."""

TWO_COLUMN = 7.2
"""Width in inches of a two-column (full page width) figure."""

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
"""The Okabe & Ito (2008) colour-blind safe palette, by name."""

PALETTE = [
    OKABE_ITO[name]
    for name in (
        "blue",
        "orange",
        "bluish_green",
        "vermillion",
        "reddish_purple",
        "sky_blue",
        "yellow",
        "black",
    )
]
"""Okabe-Ito colours in the order series are coloured (yellow late: it is faint on white)."""

MISSING_COLOUR = "#D9D9D9"
"""Fill of cells with no data (drawn hatched, so it is not read as a value)."""

# Diverging map for stance: vermillion (against) - white (0) - blue (favor). Both ends are
# Okabe-Ito colours, so the two poles stay apart for deuteranopes and protanopes, and the
# lightness rises monotonically towards 0 on both sides.
STANCE_CMAP = LinearSegmentedColormap.from_list(
    "framelens_stance", [OKABE_ITO["vermillion"], "#FFFFFF", OKABE_ITO["blue"]], N=256
)
"""Diverging colour map for stance in [-1, 1], centred on white at 0."""

# Sequential map for shares (confusion matrices): white to Okabe-Ito blue.
SHARE_CMAP = LinearSegmentedColormap.from_list(
    "framelens_share", ["#FFFFFF", OKABE_ITO["blue"]], N=256
)
"""Sequential colour map for shares in [0, 1]."""

SVG_HASHSALT = "framelens"
"""Fixed salt for the ids matplotlib writes into SVG files (random otherwise)."""

PAPER_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 8,
    "axes.titlesize": 8.5,
    "axes.labelsize": 8,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "legend.fontsize": 7.5,
    "legend.title_fontsize": 7.5,
    "figure.titlesize": 9,
    "axes.prop_cycle": cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "axes.titlelocation": "left",
    "axes.titleweight": "bold",
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 2.5,
    "ytick.major.size": 2.5,
    "lines.linewidth": 1.2,
    "lines.markersize": 4,
    "legend.frameon": False,
    "hatch.linewidth": 0.5,
    "hatch.color": "#8C8C8C",
    "figure.dpi": 100,
    "savefig.dpi": 300,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.02,
    # TrueType (42) keeps text editable and searchable in the PDF; SVG text as paths renders
    # identically everywhere and carries no font dependency.
    "pdf.fonttype": 42,
    "svg.fonttype": "path",
    "svg.hashsalt": SVG_HASHSALT,
}
"""rcParams of the paper style (fonts >= 7 pt at print size, Okabe-Ito colour cycle)."""

# Format -> metadata that removes timestamps and version stamps from the file.
_DETERMINISTIC_METADATA = {
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
}


@contextlib.contextmanager
def paper_style(**overrides) -> Iterator[dict]:
    """Apply the paper style inside a ``with`` block.

    Parameters
    ----------
    **overrides
        rcParams that replace those of :data:`PAPER_RC`, e.g. ``{"font.size": 9}`` passed as
        ``paper_style(**{"font.size": 9})``.

    Yields
    ------
    dict
        The rcParams in force.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> with paper_style():
    ...     fig = Figure(figsize=figure_size("one"))
    """
    rc = {**PAPER_RC, **overrides}
    with mpl.rc_context(rc):
        yield rc


def figure_size(width: str | float = "one", aspect: float = 0.62) -> tuple[float, float]:
    """Width and height in inches of a paper figure.

    Parameters
    ----------
    width : {"one", "two"} or float
        ``"one"`` = one column (3.5 in), ``"two"`` = two columns (7.2 in), or inches.
    aspect : float
        Height divided by width (the golden ratio 0.62 by default).

    Returns
    -------
    tuple of float
        ``(width, height)`` in inches, for ``Figure(figsize=...)``.
    """
    widths = {"one": ONE_COLUMN, "two": TWO_COLUMN}
    if isinstance(width, str):
        if width not in widths:
            raise InputError(f"unknown figure width {width!r}", hint='use "one", "two" or inches')
        inches = widths[width]
    else:
        inches = float(width)
    if inches <= 0 or aspect <= 0:
        raise InputError("figure width and aspect must be positive")
    return inches, inches * aspect


def check_formats(formats: Sequence[str]) -> None:
    """Fail, naming the format, unless every one of ``formats`` can be saved deterministically.

    Raises
    ------
    InputError
        For a format other than pdf, svg and png.
    """
    unknown = [f for f in formats if f not in _DETERMINISTIC_METADATA]
    if unknown:
        raise InputError(
            f"cannot save figures as {', '.join(map(str, unknown))}",
            hint=f"formats must be among {', '.join(_DETERMINISTIC_METADATA)}",
        )


#: Library loggers that report routine work while a figure is saved, and the level they get:
#: matplotlib subsets fonts with fontTools for PDF (and its SVG text-as-paths), which logs every
#: table it prunes at INFO, and warns of an installed font's odd header date ("'created'
#: timestamp seems very low"): nothing a user of framelens can act on.
_CHATTY_LOGGERS = {"fontTools": logging.WARNING, "fontTools.ttLib.tables._h_e_a_d": logging.ERROR}


@contextlib.contextmanager
def quiet_font_subsetting(level: int = logging.WARNING) -> Iterator[None]:
    """Raise the level of fontTools' loggers while framelens saves, then restore it.

    A user whose logging shows INFO (``logging.basicConfig(level=logging.INFO)`` in a
    notebook) would otherwise see hundreds of "maxp pruned" lines per PDF. Only the named
    library loggers change, and only for the duration of the save: the user's own loggers,
    the root logger and their handlers are never touched, and fontTools' own level is put back
    afterwards (so a user who asked for fontTools' messages outside framelens still gets them).
    """
    loggers = [logging.getLogger(name) for name in _CHATTY_LOGGERS]
    before = [logger.level for logger in loggers]
    for logger, quiet in zip(loggers, _CHATTY_LOGGERS.values(), strict=True):
        quiet = max(quiet, level)
        if logger.getEffectiveLevel() < quiet:
            logger.setLevel(quiet)
    try:
        yield
    finally:
        for logger, old in zip(loggers, before, strict=True):
            logger.setLevel(old)


#: Unicode categories no font draws: format characters (Cf: U+FEFF, U+200B, soft hyphens,
#: direction marks), controls (Cc), surrogates (Cs), private use (Co) and unassigned (Cn).
#: matplotlib's PDF writer fails on some of them (U+FEFF: an IndexError in track_glyph).
_UNDRAWABLE = frozenset({"Cf", "Cc", "Cs", "Co", "Cn"})


def drawable(text: str) -> str:
    """``text`` with the characters no font can draw taken out, for drawing in a figure.

    Format characters (category Cf: U+FEFF, U+200B, soft hyphens...) and control characters
    are invisible in print, so they are dropped; a tab becomes a space and a newline stays.
    Surrogates, private-use and unassigned code points would print as an empty box, so they
    become U+FFFD (the replacement character), which shows that something was there. Only what
    is drawn changes: the tables keep the text as read.

    Parameters
    ----------
    text : str
        Text to draw (a sentence, a label, a title).

    Returns
    -------
    str
        The text without undrawable characters (the same object when it has none).
    """
    if text.isprintable():  # the common case, fast: no Cc, Cf, Cs, Co, Cn (nor Z* but space)
        return text
    out = []
    for char in text:
        category = unicodedata.category(char)
        if char == "\n" or category not in _UNDRAWABLE:
            out.append(char)
        elif char == "\t":
            out.append(" ")
        elif category in ("Cs", "Co", "Cn"):
            out.append("\ufffd")
    return "".join(out)


def make_drawable(fig) -> None:
    """Pass every text of ``fig`` through :func:`drawable`, in place.

    Covers the Text artists (titles, labels, annotations, legends) and the fixed tick labels
    of every axis (``set_xticks(ticks, labels)``), which are made again at each draw from the
    formatter, so the formatter's labels are cleaned rather than the current tick texts.
    """
    from matplotlib.text import Text
    from matplotlib.ticker import FixedFormatter

    for artist in fig.findobj(Text):
        text = artist.get_text()
        clean = drawable(text)
        if clean is not text:
            artist.set_text(clean)
    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            for formatter in (axis.get_major_formatter(), axis.get_minor_formatter()):
                if isinstance(formatter, FixedFormatter):
                    formatter.seq = [drawable(str(label)) for label in formatter.seq]


def save_figure(
    fig,
    path_stem: str | Path,
    formats: Sequence[str] = ("pdf", "svg", "png"),
    dpi: int = 300,
) -> list[Path]:
    """Save ``fig`` in several formats with deterministic bytes.

    Timestamps, software stamps and random SVG ids are left out, so saving the same figure
    twice (or in two runs) gives identical files. Characters no font draws are taken out of
    the figure's text first (:func:`make_drawable`). Each file is written to a temporary name
    beside it and renamed only once complete, so a save that fails leaves no truncated file
    (and an earlier run's file of that name is removed, so it cannot pass for this run's).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save.
    path_stem : str or Path
        Path without extension; ``.pdf`` etc. are appended. Parent folders are created.
    formats : sequence of {"pdf", "svg", "png"}
        File formats to write.
    dpi : int
        Resolution of raster output (PNG) and of rasterised parts of vector output.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.

    Raises
    ------
    Exception
        Whatever matplotlib raises while writing; the files of ``formats`` under ``path_stem``
        are then all absent (none half-written, none left from an earlier run).
    """
    stem = Path(path_stem)
    check_formats(formats)
    stem.parent.mkdir(parents=True, exist_ok=True)
    make_drawable(fig)
    paths = [stem.with_name(stem.name + "." + fmt) for fmt in formats]
    # The salt and font settings are read at save time, so the style wraps the saving too.
    rc = {"svg.hashsalt": SVG_HASHSALT, "pdf.fonttype": 42, "svg.fonttype": "path"}
    try:
        with mpl.rc_context(rc), quiet_font_subsetting():
            for fmt, path in zip(formats, paths, strict=True):
                partial = path.with_name(f".{path.name}.partial")
                try:
                    fig.savefig(
                        partial,
                        format=fmt,
                        dpi=dpi,
                        metadata=dict(_DETERMINISTIC_METADATA[fmt]),
                        bbox_inches="tight",
                        pad_inches=0.02,
                    )
                    os.replace(partial, path)
                finally:
                    partial.unlink(missing_ok=True)
    except BaseException:
        # All formats or none: a PDF missing beside this run's PNG would read as a stale one.
        for path in paths:
            path.unlink(missing_ok=True)
        raise
    return paths

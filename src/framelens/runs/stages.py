"""The stages of an experiment run, each a thin composition of library functions.

:func:`framelens.runs.experiment.run_experiment` calls these in order; they hold no analysis of
their own, only the choices an experiment config makes (which scorers, which groups, which
figures) and where results go.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from framelens.errors import InputError
from framelens.runs.config import ExperimentConfig
from framelens.runs.table_cache import scorer_key, table_hash


def check_groups(
    articles: pd.DataFrame, config: ExperimentConfig, *, columns_only: bool = False
) -> None:
    """Fail before any scoring if a comparison column is absent or entirely empty.

    ``columns_only`` checks only that the columns exist (``articles`` is then a sample).
    """
    for column in config.group_by:
        if column not in articles.columns:
            raise InputError(
                f"comparison column {column!r} is not in the articles table",
                source=config.path,
                record="[compare] group_by",
                hint=f"columns: {', '.join(c for c in articles.columns if c != 'text')}",
            )
        if not columns_only and (articles[column].fillna("") == "").all():
            raise InputError(
                f"column {column!r} is empty for every article",
                source=config.path,
                record="[compare] group_by",
                hint="fill it in metadata.csv or compare by another column",
            )


def mentions(sentences: pd.DataFrame, config: ExperimentConfig):
    """Load the codebook and find the target mentions; returns ``(codebook, mentions)``."""
    from framelens.codebook import load_codebook
    from framelens.text.mentions import find_mentions

    codebook = load_codebook(None if config.codebook == "default" else config.codebook)
    return codebook, find_mentions(sentences, codebook)


def score(sentences, mentions_table, codebook, config: ExperimentConfig, cache):
    """Run every configured stance and frame scorer (cached by content).

    Returns
    -------
    (stance, frames) : tuple of DataFrame
        Long tables with one block of rows per scorer.
    """
    from framelens.scorers.build import build_scorer

    data_hash = table_hash(sentences[["article_id", "sent_id", "text"]])
    mention_hash = table_hash(mentions_table)
    stance, frames = [], []
    for name in config.stance_scorers:
        scorer = build_scorer("stance", name, codebook, **config.scorer_settings.get(name, {}))
        key = scorer_key("stance", scorer, codebook.hash, data_hash + mention_hash)
        stance.append(
            cache.get_or_compute(key, lambda s=scorer: s.score_stance(sentences, mentions_table))
        )
    for name in config.frame_scorers:
        scorer = build_scorer("frame", name, codebook, **config.scorer_settings.get(name, {}))
        key = scorer_key("frame", scorer, codebook.hash, data_hash)
        frames.append(cache.get_or_compute(key, lambda s=scorer: s.score_frames(sentences)))
    return (
        pd.concat(stance, ignore_index=True) if stance else None,
        pd.concat(frames, ignore_index=True) if frames else None,
    )


def scorer_models(codebook, config: ExperimentConfig) -> dict:
    """The model behind every configured scorer that uses one, by content, for the manifest.

    Builds each scorer (nothing is scored; a model is found and hashed, not loaded) and asks it
    for its ``model_record()``: the stance adapter's hash and its base encoder's, the frame
    heads' file hash and their encoder's, a zero-shot encoder's weights. Rule-based scorers
    have no model and are left out.

    Returns
    -------
    dict
        ``{"stance": {name: record}, "frame": {name: record}}``.
    """
    from framelens.scorers.build import build_scorer

    records = {"stance": {}, "frame": {}}
    for kind, names in (("stance", config.stance_scorers), ("frame", config.frame_scorers)):
        for name in names:
            scorer = build_scorer(kind, name, codebook, **config.scorer_settings.get(name, {}))
            record = getattr(scorer, "model_record", None)
            file_record = getattr(scorer, "_model_file", None)  # a trained scorer's file
            if callable(record) or file_record:
                records[kind][name] = {**(file_record or {}), **(record() if record else {})}
    return records


def process(config: ExperimentConfig, force: bool = False):
    """Ingest, find mentions, score and aggregate in partitions (``[engine]`` local or dask).

    The partitions go to ``results/<name>/process/`` (resumable; a rerun with the same input
    and settings finds them up to date and computes nothing).

    Returns
    -------
    tables : dict of str to DataFrame
        The tables of the in-memory path (``articles`` ... ``article_scores``), read back;
        ``stance``/``frames`` are ``None`` when no scorer of that kind ran.
    codebook : Codebook
    summary : dict
        What :func:`framelens.runs.process.process_corpus` returned.
    """
    from framelens.codebook import load_codebook
    from framelens.runs.process import TABLES, process_corpus, read_dataset

    codebook = load_codebook(None if config.codebook == "default" else config.codebook)
    summary = process_corpus(
        config.corpus,
        config.results / "process",
        codebook=codebook,
        stance_scorers=[(n, config.scorer_settings.get(n, {})) for n in config.stance_scorers],
        frame_scorers=[(n, config.scorer_settings.get(n, {})) for n in config.frame_scorers],
        clean=config.cleaning,
        partition_size=config.partition_size,
        engine=config.engine,
        jobs=config.jobs,
        address=config.address,
        resume=not force,
        reuse=not force,
        frame_threshold=config.frame_threshold,
        dates=config.dates,
    )
    tables = {name: read_dataset(config.results / "process", name) for name in TABLES}
    tables["stance"] = tables["stance"] if config.stance_scorers else None
    tables["frames"] = tables["frames"] if config.frame_scorers else None
    return tables, codebook, summary


def aggregate(stance, frames, sentences, mentions_table, config: ExperimentConfig):
    """Article scores for every scorer."""
    from framelens.analysis.aggregate import article_scores

    return article_scores(
        stance, frames, sentences, mentions_table, frame_threshold=config.frame_threshold
    )


def compare(article_scores: pd.DataFrame, articles: pd.DataFrame, config: ExperimentConfig):
    """Group means with intervals, tests, keyness and trends for every comparison column.

    A part the data cannot support (keyness or tests with one group, trends without dates)
    is skipped with a note; the rest is computed (see
    :func:`framelens.analysis.compare.compare_groups`).

    Returns
    -------
    tables : dict of str to DataFrame
        ``group_means``, ``omnibus``, ``pairwise``, ``keyness`` and ``over_time`` (each with
        a ``group_by`` column naming the comparison, but ``over_time``, pooled over groups).
    notes : list of str
        Warnings worth reading beside the results (e.g. groups too small for a test, parts
        skipped and why).
    """
    from framelens.analysis.compare import compare_groups

    return compare_groups(
        article_scores,
        articles,
        group_by=config.group_by,
        n_boot=config.n_boot,
        min_n=config.min_group_size,
        seed=config.seed,
        keyness_terms=config.keyness,
        keyness_top=config.keyness_top,
        over_time=config.over_time or None,
    )


def write_reports(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Markdown and LaTeX versions of the comparison tables (for reading and for the paper)."""
    from framelens.validation.metrics import to_latex, to_markdown

    written = []
    for name in ("group_means", "omnibus", "pairwise"):
        table = tables.get(name)
        if table is None or table.empty:
            continue
        md = out_dir / f"{name}.md"
        md.write_text(to_markdown(table))
        tex = out_dir / f"{name}.tex"
        tex.write_text(to_latex(table, precision=3))
        written += [md, tex]
    return written


def write_notes(notes: list[str], out_dir: Path, *, title: str = "Notes") -> Path:
    """Write ``notes.md``: what was skipped and why, and what to read with care.

    Written on every run (saying so when there is nothing to note), so a notes file from an
    earlier run can never be read as this run's.

    Returns
    -------
    Path
        The file written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = [f"# {title}", ""]
    lines += [f"- {note}" for note in notes] or ["Nothing was skipped; nothing to note."]
    path = out_dir / "notes.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def figures(tables: dict[str, pd.DataFrame], config: ExperimentConfig, codebook):
    """Draw and save every configured figure; returns ``(files, notes)``.

    A figure whose data are missing (e.g. no dated articles for a trend) is skipped with a
    note in the manifest rather than drawn empty. Targets and frames are labelled as the
    ``codebook`` names them.
    """
    import matplotlib

    matplotlib.use("Agg")

    from framelens.plots.study import study_figures

    out = config.figures_out
    out.mkdir(parents=True, exist_ok=True)
    labels = codebook.labels
    names, notes = list(config.figures), []
    if "keyness" in names and not config.keyness:
        names.remove("keyness")
        notes.append("figure keyness skipped: keyness is off in the config ([compare] keyness)")
    jobs = study_figures(
        tables,
        names=names,
        group_by=config.group_by,
        stance_scorer=config.primary_stance
        or (config.stance_scorers[0] if config.stance_scorers else None),
        frame_scorer=config.primary_frames
        or (config.frame_scorers[0] if config.frame_scorers else None),
        labels=labels,
        n_boot=config.n_boot,
        min_n=config.min_group_size,
        seed=config.seed,
        over_time=config.over_time or None,
    )
    files = save_figures(jobs, out, formats=config.formats, dpi=config.dpi, notes=notes)
    return files, notes


def save_figures(jobs, out: Path, *, formats, dpi: int = 300, notes: list[str]) -> list[Path]:
    """Draw and save each figure; one the data cannot support is skipped with a note.

    Parameters
    ----------
    jobs : sequence of (str, callable)
        The file stem of each figure and a function that draws it (raising
        :class:`~framelens.errors.InputError` when the data cannot support it).
    out : Path
        Folder of the figures.
    formats : sequence of str
        File formats to write.
    dpi : int
        Resolution of raster output.
    notes : list of str
        Receives ``"figure <stem> skipped: <reason>"`` for each figure not drawn or not written.

    Returns
    -------
    list of Path
        The files written. A skipped figure's files from an earlier run are removed, so an old
        figure cannot pass for one of this run. A figure that matplotlib fails to write (a bug
        of a backend, not of the data) is skipped with a note as well, and no part of it is
        left on disk.
    """
    import matplotlib.pyplot as plt

    from framelens.analysis.compare import attempt
    from framelens.plots.style import save_figure

    files = []
    for stem, draw in jobs:
        figure = attempt(f"figure {stem}", draw, notes)
        if figure is None:
            for fmt in formats:
                (out / f"{stem}.{fmt}").unlink(missing_ok=True)
            continue
        try:
            files += save_figure(figure, out / stem, formats=formats, dpi=dpi)
        except Exception as err:  # noqa: BLE001 - one figure's writer failing must not stop the run
            # save_figure leaves none of this figure's files behind; the tables and the other
            # figures stand, and the note says which figure is missing and why.
            notes.append(
                f"figure {stem} skipped: matplotlib could not write it "
                f"({type(err).__name__}: {err or 'no message'})"
            )
        finally:
            plt.close(figure)
    return files

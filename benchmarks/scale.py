"""Throughput and peak memory of ``framelens process`` at 1k, 10k and 100k articles.

Corpora come from ``benchmarks/generate_corpus.py`` (real sentences and paragraphs of the
shipped corpus, resampled, with page furniture, outlets and dates). Every step runs the whole
flow (read, clean, segment, mentions, scoring, article scores, writing the tables) in a fresh
Python process, while this process samples the resident memory of that process and all its
children every 0.1 s, so ``peak_mb`` covers the driver and its workers together.

Steps (``--plan default``):

* per scorer (lexicon and embedding stance; dictionary and embedding frames), the local
  engine with ``--jobs`` workers at every size up to ``--all-scorers-max`` (10k), and the
  lexicon scorer at every size (100k included);
* the lexicon scorer with one job (the ``--jobs 2`` speed-up), on the Dask engine (a
  two-worker ``LocalCluster`` started for the run; its tables must have the local engine's
  bytes), and through the in-memory path (``ingest`` + ``score_corpus``), up to 10k;
* the baseline, at every size up to ``--script-max``: the plain script a researcher would
  write instead (``benchmarks/plain_script.py``: Punkt, a regex per country, VADER on the
  sentences that name one, frame-word counts, per-article means; see
  ``benchmarks/vs_script.py``), in one process; ``vs_script`` ratios are against it, measured
  in the same run. (It does stance and frames at once: the ``lexicon`` rows do stance only,
  the ``dictionary`` rows frames only.)

``--plan full`` runs every scorer and engine at every size (hours on two cores).

A profile of the stages (where the CPU time of one job goes, ``benchmarks/stage_profile.py``)
is taken on the smallest corpus.

Usage: ``python benchmarks/scale.py [--sizes 1000,10000,100000] [--jobs 2]`` writes
``benchmarks/RESULTS.md`` and ``benchmarks/results/scale.csv``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

SCORERS = {  # name -> (stance scorers, frame scorers)
    "lexicon": (["lexicon"], []),
    "embedding": (["embedding"], []),
    "dictionary": ([], ["dictionary"]),
    "embedding_frames": ([], ["embedding"]),
}
PARTITION_SIZE = 500


# ----------------------------------------------------------------------------- one step
def run_step(step: dict, corpus: Path, out: Path) -> dict:
    """Run one step in this process; return its seconds and what it produced."""
    stance, frames = SCORERS.get(step["scorer"], ([], []))
    start = time.perf_counter()
    if step["engine"] == "script":
        result = plain_script(corpus, out)
    elif step["engine"] == "in-memory":
        result = in_memory(corpus, stance, frames)
    else:
        if step["engine"] == "local" and step["jobs"] != 1:
            # As the command line does: the workers' server imports while this process does.
            from framelens.cli.process import start_flow_workers

            start_flow_workers([*stance, *frames])
        from framelens.runs.process import process_corpus

        summary = process_corpus(
            corpus,
            out,
            stance_scorers=stance,
            frame_scorers=frames,
            engine=step["engine"],
            jobs=step["jobs"],
            partition_size=PARTITION_SIZE,
            reuse=False,
        )
        result = {
            "sentences": summary["sentences"],
            "article_scores": summary["rows"]["article_scores"],
            "checksums": (out / "checksums.sha256").read_text(),
        }
    return {**result, "seconds": time.perf_counter() - start}


def in_memory(corpus: Path, stance: list, frames: list) -> dict:
    """ingest + score_corpus: every table of the corpus in memory at once."""
    from framelens.runs.scoring import score_corpus
    from framelens.scorers.build import build_scorer
    from framelens.text.ingest import ingest

    sentences = ingest(corpus, n_jobs=1).sentences
    tables = score_corpus(
        sentences,
        stance_scorer=build_scorer("stance", stance[0]) if stance else _NoStance(),
        frame_scorer=build_scorer("frame", frames[0]) if frames else None,
    )
    return {"sentences": len(sentences), "article_scores": len(tables["article_scores"])}


class _NoStance:
    """A stance scorer that scores nothing (score_corpus always wants one)."""

    name = "none"

    def score_stance(self, sentences, mentions):
        import pandas as pd

        from framelens.tables import STANCE

        return pd.DataFrame(columns=STANCE)


def plain_script(corpus: Path, out: Path) -> dict:
    """The baseline: ``benchmarks/plain_script.py`` on the corpus, in this process."""
    import plain_script as script

    out.mkdir(parents=True, exist_ok=True)
    table = out / "script.csv"
    script.main(str(corpus), str(table))
    with table.open(encoding="utf-8") as handle:
        rows = sum(1 for _ in handle) - 1
    return {"sentences": "", "article_scores": rows}


# ----------------------------------------------------------------------------- measuring
def measure(step: dict, corpus: Path) -> dict:
    """Run ``step`` in a fresh process; sample the memory of its process tree meanwhile."""
    import resource

    import psutil

    # CPU seconds of the step's process and its workers, whatever else shares the cores: the
    # wall seconds of a busy machine say little about --jobs. Local workers are forked from a
    # worker server that outlives the step's process by a moment: adopted and reaped here,
    # their CPU counts too.
    _adopt_orphans()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory(dir=corpus.parent) as tmp:
        command = [sys.executable, __file__, "--step", json.dumps(step), "--corpus", str(corpus)]
        command += ["--out", str(Path(tmp) / "out")]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        parent = psutil.Process(child.pid)
        peak_total = peak_driver = 0
        while child.poll() is None:
            try:
                driver = parent.memory_info().rss
                total = driver + sum(c.memory_info().rss for c in parent.children(recursive=True))
            except psutil.Error:
                total = driver = 0
            peak_total, peak_driver = max(peak_total, total), max(peak_driver, driver)
            time.sleep(0.1)
        stdout, stderr = child.communicate()
        if child.returncode != 0:
            raise RuntimeError(f"step {step} failed:\n{stderr[-3000:]}")
        result = json.loads(stdout.strip().splitlines()[-1])
    _reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {
        **result,
        "cpu_s": cpu,
        "peak_mb": peak_total / 2**20,
        "driver_peak_mb": peak_driver / 2**20,
    }


def _adopt_orphans() -> None:
    """Make this process the reaper of its descendants' orphans (Linux ``prctl``
    PR_SET_CHILD_SUBREAPER; elsewhere nothing), so that their CPU time reaches
    ``RUSAGE_CHILDREN`` when :func:`_reap_orphans` waits for them."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # 36: PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def _reap_orphans() -> None:
    """Wait for every remaining child (a step's worker server and workers, once adopted)."""
    while True:
        try:
            os.wait()
        except ChildProcessError:
            return


def profile_stages(corpus: Path) -> list[dict]:
    """CPU seconds per stage of the flow on ``corpus``, one process (lexicon + dictionary)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "stages.json"
        script = ROOT / "benchmarks" / "stage_profile.py"
        subprocess.run([sys.executable, str(script), str(corpus), str(out)], check=True)
        times = json.loads(out.read_text())
    total = sum(times.values())
    return [
        {"stage": name, "seconds": round(s, 2), "share": f"{100 * s / total:.0f} %"}
        for name, s in sorted(times.items(), key=lambda item: -item[1])
    ]


# ----------------------------------------------------------------------------- the plan
def plan(sizes: list[int], jobs: int, full: bool, all_max: int, script_max: int) -> list[dict]:
    steps = []
    for n in sizes:
        if n <= script_max or full:
            steps.append({"n": n, "scorer": "lexicon+frames", "engine": "script", "jobs": 1})
        if n <= all_max or full:
            steps.append({"n": n, "scorer": "lexicon", "engine": "in-memory", "jobs": 1})
            steps.append({"n": n, "scorer": "lexicon", "engine": "local", "jobs": 1})
        for scorer in SCORERS:
            if scorer == "lexicon" or n <= all_max or full:
                steps.append({"n": n, "scorer": scorer, "engine": "local", "jobs": jobs})
        if n <= all_max or full:
            steps.append({"n": n, "scorer": "lexicon", "engine": "dask", "jobs": jobs})
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--plan", choices=["default", "full"], default="default")
    parser.add_argument("--all-scorers-max", type=int, default=10_000)
    parser.add_argument("--script-max", type=int, default=100_000)
    parser.add_argument("--data", type=Path, help="folder for the generated corpora (kept)")
    parser.add_argument("--step", help=argparse.SUPPRESS)  # internal: run one step
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(json.loads(args.step), args.corpus, args.out)))
        return

    from generate_corpus import write_corpus

    sizes = [int(s) for s in args.sizes.split(",")]
    data = args.data or Path(tempfile.mkdtemp(prefix="framelens-scale-"))
    corpora = {}
    for n in sizes:
        corpora[n] = data / f"generated_{n}.jsonl"
        if not corpora[n].is_file():
            write_corpus(n, corpora[n], seed=0)
    stages = profile_stages(corpora[min(sizes)])
    rows = []
    for step in plan(sizes, args.jobs, args.plan == "full", args.all_scorers_max, args.script_max):
        result = measure(step, corpora[step["n"]])
        row = {
            **step,
            "seconds": round(result["seconds"], 1),
            "cpu_s": round(result["cpu_s"], 1),
            "articles_per_s": round(step["n"] / result["seconds"], 1),
            "peak_mb": round(result["peak_mb"]),
            "driver_peak_mb": round(result["driver_peak_mb"]),
            "sentences": result["sentences"],
            "article_scores": result["article_scores"],
            "checksums": result.get("checksums", ""),
            "load_1min": round(os.getloadavg()[0], 1),
        }
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if k != "checksums"}), flush=True)
    write_results(rows, stages, sizes, args)


# ----------------------------------------------------------------------------- the report
def _find(rows, **match):
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    return found[0] if found else None


def write_results(rows: list[dict], stages: list[dict], sizes: list[int], args) -> None:
    """Write benchmarks/results/scale.csv and benchmarks/RESULTS.md."""
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    fields = [k for k in rows[0] if k != "checksums"]
    with (out / "scale.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    for row in rows:  # ratios against baselines measured in the same run
        script = _find(rows, n=row["n"], engine="script")
        row["vs_script"] = (
            f"{row['articles_per_s'] / script['articles_per_s']:.2f}x"
            if script and row["engine"] != "script"
            else ""
        )
        one = _find(rows, n=row["n"], scorer=row["scorer"], engine="local", jobs=1)
        row["vs_1_job"] = (
            f"{row['articles_per_s'] / one['articles_per_s']:.2f}x"
            if one and row["engine"] in ("local", "dask")
            else ""
        )
    header = ["n", "scorer", "engine", "jobs", "seconds", "cpu_s", "articles_per_s", "peak_mb"]
    header += ["driver_peak_mb", "vs_script", "vs_1_job", "load_1min"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += [
        "| "
        + " | ".join(
            f"{r[h]:,}" if isinstance(r[h], int) and h in ("n",) else str(r[h]) for h in header
        )
        + " |"
        for r in rows
    ]

    checks = []
    for n in sizes:
        local = _find(rows, n=n, scorer="lexicon", engine="local", jobs=args.jobs)
        dask = _find(rows, n=n, scorer="lexicon", engine="dask")
        if local and dask:
            same = local["checksums"] == dask["checksums"] and local["checksums"]
            checks.append(
                f"- {n:,} articles: Dask tables byte-identical to the local engine's: "
                f"{'yes' if same else 'NO'}"
            )
    lexicon = {n: _find(rows, n=n, scorer="lexicon", engine="local", jobs=args.jobs) for n in sizes}
    if len(sizes) > 1 and lexicon[sizes[-1]] and lexicon[sizes[-2]]:
        big, small = lexicon[sizes[-1]], lexicon[sizes[-2]]
        checks.append(
            f"- Peak memory (driver + workers), lexicon, {args.jobs} jobs: {big['peak_mb']} MB at "
            f"{sizes[-1]:,} vs {small['peak_mb']} MB at {sizes[-2]:,} articles: "
            f"{big['peak_mb'] / small['peak_mb']:.2f}x"
        )
    for n in sizes:
        one = _find(rows, n=n, scorer="lexicon", engine="local", jobs=1)
        two = lexicon[n]
        if one and two:
            # With every core free, the speed-up is at most jobs x (CPU of one job / CPU of
            # all jobs): what the parallel run adds in work (start-up, transfers) bounds it.
            bound = args.jobs * one["cpu_s"] / two["cpu_s"] if two["cpu_s"] else float("nan")
            checks.append(
                f"- `--jobs {args.jobs}` vs `--jobs 1`, lexicon, {n:,} articles: "
                f"{two['articles_per_s'] / one['articles_per_s']:.2f}x the throughput "
                f"(load {two['load_1min']}); CPU {two['cpu_s']} s vs {one['cpu_s']} s, so at "
                f"most {bound:.2f}x on {args.jobs} free cores"
            )
    stage_lines = ["| stage | seconds | share |", "|---|---|---|"]
    stage_lines += [f"| {s['stage']} | {s['seconds']} | {s['share']} |" for s in stages]
    text = f"""# Scale benchmark

Written by `benchmarks/scale.py` ({platform.machine()}, {os.cpu_count()} cores, Python
{platform.python_version()}); corpora from `benchmarks/generate_corpus.py` (seed 0), partitions
of {PARTITION_SIZE} articles. Every step ran in a fresh process; `peak_mb` is the largest
resident memory of that process and all its workers together (sampled every 0.1 s),
`driver_peak_mb` that of the driver alone; `cpu_s` the CPU seconds (user + system) of the
process and its workers. `vs_script` is the throughput against the plain
script a researcher would write instead (`benchmarks/plain_script.py`, stance and frames in one
process; the `script` rows) at the same size, measured in the same run, `vs_1_job` against the
local engine with one job at the same size and scorer. `load_1min` is the machine's load
average after the step: above the core count, something else shared the cores.

## Results

{chr(10).join(lines)}

## Checks

{chr(10).join(checks)}

## Where the time goes

One process, lexicon stance and dictionary frames, the {min(sizes):,}-article corpus (CPU
seconds, `benchmarks/stage_profile.py`):

{chr(10).join(stage_lines)}
"""
    (ROOT / "benchmarks" / "RESULTS.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()

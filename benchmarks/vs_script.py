"""framelens against the plain script a researcher would write instead, as whole processes.

The baseline is ``benchmarks/plain_script.py``: Punkt trained on the corpus, one regex per
country, VADER on each sentence that names one, frame-word counts, per-article means. The
contender is ``framelens process CORPUS -o OUT --jobs 1 --scorer lexicon --frame-scorer
dictionary`` (cleaning, target-aware clauses, evidence and all). Both run as fresh processes,
in alternation, ``--repeats`` times each; CPU time (user + system, from ``os.wait4``), wall
time and peak resident memory are taken per run, and the ratio of medians is reported.

Corpora: the 428 Narrative Frames articles (real news, ``../shared/data``) repeated
``--times`` times under new ids, and any JSONL files passed with ``--corpus``.

Output checks: the sha256 of every framelens table is printed, and with ``--save-checksums
FILE`` / ``--check-checksums FILE`` saved or compared, so a speed change can be shown to leave
every output table byte-identical (on the benchmark corpus and on the shipped seed corpus).

Where the time goes: both flows are also run stage by stage (``benchmarks/stage_profile.py``,
CPU seconds) on the Narrative Frames corpus; ``--stages-before FILE`` adds a column measured the
same way on an older checkout (``PYTHONPATH=old/src python benchmarks/stage_profile.py CORPUS
FILE``), ``benchmarks/results/vs_script_stages_before.json`` being the code before the speed
work of issue 12.

Usage::

    python benchmarks/vs_script.py [--times 4] [--repeats 5] [--corpus more.jsonl]
        [--save-checksums F | --check-checksums F] [--stages-before F] [--before NAME]

Writes ``benchmarks/results/vs_script.md`` and ``.csv`` (``--name`` another name: the code
before issue 12, run with ``PYTHONPATH=old/src``, wrote ``vs_script_before``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "benchmarks" / "results"
SEEDS = ROOT / "corpora" / "pakistan_russia"


def narrative_frames_jsonl(out: Path, times: int, data_dir: Path = SHARED) -> Path:
    """The Narrative Frames articles, repeated ``times`` times under new ids, as JSONL."""
    import pandas as pd

    table = pd.read_csv(data_dir / "narrative_frames" / "articles_metadata.tsv", sep="\t")
    table = table[table["text"].notna()]
    with out.open("w", encoding="utf-8") as handle:
        for copy in range(times):
            for row in table.itertuples():
                record = {
                    "article_id": f"{row.ID}-{copy}",
                    "outlet": row.source,
                    "outlet_type": row.mbfc,
                    "date": row.date,
                    "text": row.text,
                }
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def timed(command: list[str], timeout: float | None = None) -> dict | None:
    """Run ``command`` to completion; its CPU seconds, wall seconds and peak memory (MB).

    With a ``timeout`` (seconds), a run still going then is killed and None is returned.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if timeout is None:
        _, status, usage = os.wait4(process.pid, 0)
    else:
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                process.stderr.close()
                return None
            time.sleep(0.05)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr[-2000:]}")
    return {
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "wall_s": wall,
        # ru_maxrss is in kilobytes on Linux: the largest of the process and its children.
        "peak_mb": usage.ru_maxrss / 1024,
    }


def framelens_command(corpus: Path, out: Path) -> list[str]:
    framelens = Path(sys.executable).with_name("framelens")
    return [
        str(framelens),
        "process",
        str(corpus),
        "-o",
        str(out),
        "--jobs",
        "1",
        "--scorer",
        "lexicon",
        "--frame-scorer",
        "dictionary",
        "--restart",
    ]


def table_checksums(out: Path) -> dict[str, str]:
    """``table -> sha256`` from a framelens output folder's checksums.sha256."""
    sums = {}
    for line in (out / "checksums.sha256").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name.strip().lstrip("*")] = digest
    return sums


def compare_corpus(corpus: Path, repeats: int, work: Path) -> tuple[list[dict], dict]:
    """Alternate script and framelens runs on ``corpus``; the runs and framelens's checksums."""
    script = [sys.executable, str(ROOT / "benchmarks" / "plain_script.py")]
    runs, checksums = [], {}
    for repeat in range(repeats):
        for tool in ("script", "framelens"):
            out = work / f"{tool}-{repeat}"
            if tool == "script":
                command = [*script, str(corpus), str(out.with_suffix(".csv"))]
            else:
                command = framelens_command(corpus, out)
            result = timed(command)
            runs.append({"corpus": corpus.name, "tool": tool, "repeat": repeat, **result})
            if tool == "framelens":
                sums = table_checksums(out)
                if checksums and sums != checksums:
                    raise SystemExit(f"framelens wrote different tables in repeat {repeat}")
                checksums = sums
    return runs, checksums


def summarise(runs: list[dict]) -> list[dict]:
    rows = []
    for corpus in dict.fromkeys(r["corpus"] for r in runs):
        median = {
            (tool, key): statistics.median(
                r[key] for r in runs if r["corpus"] == corpus and r["tool"] == tool
            )
            for tool in ("script", "framelens")
            for key in ("cpu_s", "wall_s", "peak_mb")
        }
        rows.append(
            {
                "corpus": corpus,
                "script_cpu_s": median["script", "cpu_s"],
                "framelens_cpu_s": median["framelens", "cpu_s"],
                "cpu_ratio": median["framelens", "cpu_s"] / median["script", "cpu_s"],
                "script_wall_s": median["script", "wall_s"],
                "framelens_wall_s": median["framelens", "wall_s"],
                "wall_ratio": median["framelens", "wall_s"] / median["script", "wall_s"],
                "script_peak_mb": median["script", "peak_mb"],
                "framelens_peak_mb": median["framelens", "peak_mb"],
            }
        )
    return rows


def stage_seconds(corpus: Path, which: str, work: Path) -> dict[str, float]:
    """CPU seconds per stage of framelens (``which="framelens"``) or of the script."""
    out = work / f"stages-{which}.json"
    script = ROOT / "benchmarks" / "stage_profile.py"
    subprocess.run([sys.executable, str(script), str(corpus), str(out), which], check=True)
    return json.loads(out.read_text())


def stage_lines(stages: dict[str, dict[str, float]]) -> list[str]:
    """A Markdown table: one row per stage, one column per profile (and a total row)."""
    names = list(stages)
    order = list(dict.fromkeys(s for profile in stages.values() for s in profile))
    lines = ["| stage | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for stage in order:
        cells = [f"{stages[n][stage]:.2f}" if stage in stages[n] else "" for n in names]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    totals = [f"**{sum(stages[n].values()):.2f}**" for n in names]
    lines.append("| **total** | " + " | ".join(totals) + " |")
    return lines


def write_report(rows, runs, checksums, args) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / f"{args.name}.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(runs[0]))
        writer.writeheader()
        writer.writerows(runs)
    lines = [
        "# framelens vs the plain script",
        "",
        f"Written by `benchmarks/vs_script.py` ({platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average before "
        f"{args.load_before:.2f}). Medians of {args.repeats} alternating whole-process runs; "
        "CPU = user + system seconds of the process and its children. framelens: `process "
        "--jobs 1 --scorer lexicon --frame-scorer dictionary`; script: "
        "`benchmarks/plain_script.py`.",
        "",
        "| corpus | script CPU s | framelens CPU s | CPU ratio | script wall s "
        "| framelens wall s | wall ratio | script peak MB | framelens peak MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    if args.before:
        # The same runs, made earlier on the older checkout (its own --name csv).
        with (RESULTS / f"{args.before}.csv").open(newline="") as handle:
            earlier = [
                {**r, **{k: float(r[k]) for k in ("cpu_s", "wall_s", "peak_mb")}}
                for r in csv.DictReader(handle)
            ]
        rows = [
            {**r, "corpus": f"{r['corpus']} (before: `{args.before}`)"} for r in summarise(earlier)
        ] + rows
    for r in rows:
        lines.append(
            f"| {r['corpus']} | {r['script_cpu_s']:.2f} | {r['framelens_cpu_s']:.2f} | "
            f"{r['cpu_ratio']:.2f}x | {r['script_wall_s']:.2f} | {r['framelens_wall_s']:.2f} | "
            f"{r['wall_ratio']:.2f}x | {r['script_peak_mb']:.0f} | "
            f"{r['framelens_peak_mb']:.0f} |"
        )
    if args.stages:
        lines += [
            "",
            "## Where the time goes",
            "",
            f"CPU seconds per stage, one process, the Narrative Frames corpus x{args.times} "
            "(`benchmarks/stage_profile.py`; framelens as `process --jobs 1`, partition by "
            "partition; the script's stages are its own steps, timed the same way). A stage "
            "run under a profiler in this way costs a little more than in the whole-process "
            "runs above.",
            "",
            *stage_lines(args.stages),
        ]
    lines += ["", "## framelens output tables (sha256)", ""]
    for corpus, sums in checksums.items():
        for table, digest in sorted(sums.items()):
            lines.append(f"- {corpus} `{table}`: `{digest}`")
    path = RESULTS / f"{args.name}.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=4, help="copies of Narrative Frames")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--corpus", type=Path, action="append", default=[])
    parser.add_argument("--data", type=Path, default=SHARED)
    checks = parser.add_mutually_exclusive_group()
    checks.add_argument("--save-checksums", type=Path)
    checks.add_argument("--check-checksums", type=Path)
    parser.add_argument("--stages-before", type=Path, help="stage profile of an older checkout")
    parser.add_argument("--no-stages", action="store_true", help="skip the stage profiles")
    parser.add_argument("--name", default="vs_script", help="file name of the results")
    parser.add_argument(
        "--before", help="--name of an earlier run (older checkout) to show as a row above"
    )
    args = parser.parse_args(argv)
    args.load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="framelens-vs-script-") as tmp:
        work = Path(tmp)
        corpora = [narrative_frames_jsonl(work / "narrative_frames.jsonl", args.times, args.data)]
        corpora += args.corpus
        runs, checksums = [], {}
        for corpus in corpora:
            corpus_runs, checksums[corpus.name] = compare_corpus(corpus, args.repeats, work)
            runs += corpus_runs
        # The shipped seed corpus: output checksums only (too small to time meaningfully).
        subprocess.run(framelens_command(SEEDS, work / "seeds"), check=True, capture_output=True)
        checksums["seeds"] = table_checksums(work / "seeds")
        args.stages = {}
        if not args.no_stages:
            if args.stages_before:
                before = json.loads(args.stages_before.read_text())
                args.stages["framelens before"] = before
            args.stages["framelens"] = stage_seconds(corpora[0], "framelens", work)
            args.stages["script"] = stage_seconds(corpora[0], "script", work)
    rows = summarise(runs)
    path = write_report(rows, runs, checksums, args)
    print(path.read_text())
    if args.save_checksums:
        args.save_checksums.write_text(json.dumps(checksums, indent=1, sort_keys=True) + "\n")
    if args.check_checksums:
        expected = json.loads(args.check_checksums.read_text())
        if expected != checksums:
            changed = [
                f"{corpus}/{table}"
                for corpus in sorted(set(expected) | set(checksums))
                for table in sorted(set(expected.get(corpus, {})) | set(checksums.get(corpus, {})))
                if expected.get(corpus, {}).get(table) != checksums.get(corpus, {}).get(table)
            ]
            raise SystemExit(f"output tables changed: {', '.join(changed)}")
        print("every output table is byte-identical to", args.check_checksums)


if __name__ == "__main__":
    main()

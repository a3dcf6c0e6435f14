"""Cost against article length: one article of N short sentences on a single line.

Scraped text often arrives as one long line (no paragraph breaks), and pages repeat lines.
Every stage must cost time and memory linear in an article's length, whatever its shape. Three
shapes, each one article on one line:

* ``distinct``: N different sentences of about ten words (the near-copy check of the
  cleaner, Punkt, mentions, stance and frames all see N sentences);
* ``repeated``: one five-word sentence N times (too short to count as a copy, so it stays:
  N identical sentences, each with a mention);
* ``run-on``: N five-word clauses joined by commas, no sentence punctuation (one sentence of
  5N words with N mentions: every per-mention rule works inside one long sentence).

For N = 1,000, 4,000, 16,000 and 64,000 (``--sizes``; 64,000 distinct sentences are 4.4 MB),
the article goes through ``framelens score`` (the in-memory path) and ``framelens process
--jobs 1`` as whole processes: CPU seconds (user + system), wall seconds and peak resident
memory. The same command on a one-sentence article gives the start-up cost (imports, Punkt,
the codebook); the growth columns divide the cost above it at N by the cost above it at the
size before (4x the length): linear is about 4x, quadratic 16x. A run that has not finished
after ``--timeout`` seconds is stopped and reported as such.

Usage: ``python benchmarks/long_articles.py [--sizes 1000,4000,16000,64000]`` writes
``benchmarks/results/long_articles.md`` and ``.csv`` (``--name`` another name: the code before
issue 12, run with ``PYTHONPATH=old/src``, wrote ``long_articles_before``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vs_script import timed  # noqa: E402 - the same whole-process timing as vs_script

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SHAPES = ("distinct", "repeated", "run-on")

_SUBJECTS = (
    "Russia",
    "The United States",
    "India",
    "China",
    "Pakistan",
    "Officials in Moscow",
    "Washington",
    "Analysts in New Delhi",
    "The Kremlin",
    "Beijing",
)
_VERBS = ("praised", "criticised", "welcomed", "condemned", "discussed", "rejected", "backed")
_OBJECTS = (
    "the trade deal",
    "the pipeline project",
    "the security talks",
    "the new sanctions",
    "the energy agreement",
    "the border plan",
)
_TAILS = ("on Monday", "after long talks", "in a short statement", "at the summit")


def article(shape: str, n: int, seed: int = 0) -> str:
    """One article of ``n`` sentences (or clauses) of the given shape, on a single line."""
    rng = random.Random(seed)
    if shape == "repeated":
        return " ".join(["Russia is a reliable partner."] * n)
    if shape == "run-on":
        return ", ".join(
            f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}" for _ in range(n)
        )
    return " ".join(
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
        f"{rng.choice(_TAILS)}, round {i}."
        for i in range(n)
    )


def commands(corpus: Path, out: Path) -> dict[str, list[str]]:
    framelens = str(Path(sys.executable).with_name("framelens"))
    scorers = ["--scorer", "lexicon", "--frame-scorer", "dictionary"]
    return {
        "score": [framelens, "score", str(corpus), "-o", str(out / "score"), *scorers],
        "process": [
            *[framelens, "process", str(corpus), "-o", str(out / "process")],
            *["--jobs", "1", "--restart", *scorers],
        ],
    }


def run(sizes: list[int], timeout: float) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="framelens-long-") as tmp:
        for shape in SHAPES:
            for n in [1, *sizes]:  # one sentence: the start-up cost
                corpus = Path(tmp) / f"{shape}-{n}.jsonl"
                record = {"article_id": f"{shape}-{n}", "outlet": "one", "text": article(shape, n)}
                corpus.write_text(json.dumps(record) + "\n", encoding="utf-8")
                for path, command in commands(corpus, Path(tmp) / f"out-{shape}-{n}").items():
                    result = timed(command, timeout)  # None: stopped at the timeout
                    row = {"shape": shape, "n": n, "chars": len(record["text"]), "path": path}
                    measured = result or {"cpu_s": None, "wall_s": None, "peak_mb": None}
                    rows.append({**row, **measured, "stopped": result is None})
                    print(rows[-1], flush=True)
    return rows


def write_report(rows: list[dict], args) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / f"{args.name}.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    lines = [
        "# Cost against article length (one article on one line)",
        "",
        f"Written by `benchmarks/long_articles.py` ({platform.machine()}, {os.cpu_count()} "
        f"cores, Python {platform.python_version()}; framelens from `{_framelens_source()}`). "
        "Whole processes; CPU = user + system "
        "seconds. N = 1 is the start-up cost. Growth: the cost above start-up at N over the "
        "cost above start-up at the size before (4x the length; linear is about 4x, quadratic "
        f"16x). Runs longer than {args.timeout:.0f} s are stopped.",
        "",
        "| shape | N | characters | command | CPU s | CPU growth | wall s | peak MB "
        "| memory growth |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    base: dict = {}
    previous: dict = {}
    for r in rows:
        key = (r["shape"], r["path"])
        if r["stopped"]:
            lines.append(
                f"| {r['shape']} | {r['n']:,} | {r['chars']:,} | {r['path']} | stopped | | | | |"
            )
            previous[key] = None
            continue
        growth = memory = ""
        if r["n"] == 1:
            base[key] = r
        elif key in base and previous.get(key) is not None and previous[key]["n"] > 1:
            start, before = base[key], previous[key]
            growth = _ratio(r["cpu_s"] - start["cpu_s"], before["cpu_s"] - start["cpu_s"], 0.2)
            memory = _ratio(
                r["peak_mb"] - start["peak_mb"], before["peak_mb"] - start["peak_mb"], 5
            )
        lines.append(
            f"| {r['shape']} | {r['n']:,} | {r['chars']:,} | {r['path']} | {r['cpu_s']:.2f} | "
            f"{growth} | {r['wall_s']:.2f} | {r['peak_mb']:.0f} | {memory} |"
        )
        previous[key] = r
    path = RESULTS / f"{args.name}.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def _framelens_source() -> str:
    import framelens

    path = Path(framelens.__file__).resolve().parents[1]
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else "an older checkout"


def _ratio(above: float, above_before: float, floor: float) -> str:
    # Too little above start-up (0.2 s, 5 MB), and a ratio is noise.
    return f"{above / above_before:.1f}x" if above_before > floor else ""


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000,16000,64000")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per run")
    parser.add_argument("--name", default="long_articles", help="file name of the results")
    args = parser.parse_args(argv)
    rows = run([int(s) for s in args.sizes.split(",")], args.timeout)
    print(write_report(rows, args).read_text())


if __name__ == "__main__":
    main()

"""Streaming the input in partitions, and the partition-wise flow on every engine.

The tables must hold the rows of the in-memory path (ingest, find_mentions, scorers,
article_scores), whatever the engine and the partition size; an interrupted run must resume
and end with the bytes of an uninterrupted one.
"""

from __future__ import annotations

import json
import pathlib
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from framelens.analysis.aggregate import article_scores
from framelens.errors import InputError
from framelens.runs.process import SORT_KEYS, process_corpus, read_dataset
from framelens.scorers.build import build_scorer
from framelens.tables import STANCE
from framelens.text.corpus import read_corpus
from framelens.text.mentions import find_mentions
from framelens.text.stream import iter_article_batches

pytest.importorskip("dask", reason="needs the 'distributed' extra")
COMPARED = ("sentences", "mentions", "stance", "frames", "article_scores")


def _repeat_seeds(seed_corpus_dir, path, copies: int):
    """Write the seed articles ``copies`` times as JSONL, with unique ids."""
    articles = read_corpus(seed_corpus_dir).articles
    with path.open("w") as handle:
        for copy in range(copies):
            for row in articles.itertuples():
                record = {
                    "article_id": f"{copy:02d}-{row.article_id}",
                    "outlet": row.outlet,
                    "outlet_type": row.outlet_type,
                    "title": row.title,
                    "text": row.text,
                }
                handle.write(json.dumps(record) + "\n")
    return path


@pytest.fixture(scope="module")
def seeds_jsonl(tmp_path_factory, seed_corpus_dir):
    """The seed articles repeated 20 times as JSONL (100 articles with unique ids)."""
    return _repeat_seeds(seed_corpus_dir, tmp_path_factory.mktemp("jsonl") / "seeds.jsonl", 20)


@pytest.fixture(scope="module")
def in_memory(seed_tables):
    """The in-memory path on the seed corpus: ingest, mentions, lexicon, dictionary, aggregate."""
    sentences = seed_tables.sentences
    mentions = find_mentions(sentences)
    stance = build_scorer("stance", "lexicon").score_stance(sentences, mentions)
    frames = build_scorer("frame", "dictionary").score_frames(sentences)
    return {
        "sentences": sentences,
        "mentions": mentions,
        "stance": stance,
        "frames": frames,
        "article_scores": article_scores(stance, frames, sentences, mentions),
    }


def _same_rows(streamed: pd.DataFrame, expected: pd.DataFrame, table: str) -> None:
    keys = SORT_KEYS[table]
    expected = expected.sort_values(keys, kind="stable").reset_index(drop=True)
    assert len(streamed) == len(expected) > 0, table
    pd.testing.assert_frame_equal(
        streamed[list(expected.columns)], expected, check_dtype=False, obj=table
    )


def _cli_app():
    from framelens.cli import _register_commands, app

    _register_commands()
    return app


def _checksums(out_dir) -> str:
    return (out_dir / "checksums.sha256").read_text()


def _manifest(out_dir) -> dict:
    return json.loads((out_dir / "manifest.json").read_text())


def _assert_matches(out_dir, expected: dict) -> None:
    for table in COMPARED:
        _same_rows(read_dataset(out_dir, table), expected[table], table)


# ------------------------------------------------------------------------------- streaming
def test_directory_batches_add_up_to_read_corpus(seed_corpus_dir):
    batches = list(iter_article_batches(seed_corpus_dir, batch_size=2))
    assert [len(b.articles) for b in batches] == [2, 2, 1]
    streamed = pd.concat([b.articles for b in batches], ignore_index=True)
    pd.testing.assert_frame_equal(streamed, read_corpus(seed_corpus_dir).articles)
    assert streamed.loc[streamed["article_id"] == "002", "country"].item() == "Pakistan"


def test_jsonl_batches_add_up_to_read_corpus(seeds_jsonl):
    batches = [b.articles for b in iter_article_batches(seeds_jsonl, batch_size=30)]
    assert [len(b) for b in batches] == [30, 30, 30, 10]
    streamed = pd.concat(batches, ignore_index=True).sort_values("article_id", kind="stable")
    pd.testing.assert_frame_equal(
        streamed.reset_index(drop=True), read_corpus(seeds_jsonl).articles
    )


def test_stream_yields_a_batch_before_reading_a_bad_line_far_below(tmp_path, seeds_jsonl):
    path = tmp_path / "late_error.jsonl"
    path.write_text(seeds_jsonl.read_text() + '{"article_id": "broken", "text": \n')
    with pytest.raises(InputError):
        read_corpus(path)  # reads everything first
    batches = iter_article_batches(path, batch_size=10)
    first = next(batches)
    assert first.articles["article_id"].tolist()[:2] == ["00-000", "00-001"]
    with pytest.raises(InputError, match=r"late_error\.jsonl, line 101: malformed JSON"):
        list(batches)


@pytest.mark.parametrize(
    "suffix, record", [("jsonl", "line 7"), ("csv", "line 8"), ("parquet", "row 6")]
)
def test_a_duplicate_id_in_a_later_batch_names_its_file_and_line(tmp_path, suffix, record):
    ids = ["a", "b", "c", "d", "e", "f", "b", "g"]
    records = pd.DataFrame(
        {"article_id": ids, "text": [f"Article {i} is about Russia and Pakistan." for i in ids]}
    )
    path = tmp_path / f"articles.{suffix}"
    if suffix == "jsonl":
        path.write_text("\n".join(records.apply(lambda r: r.to_json(), axis=1)) + "\n")
    elif suffix == "csv":
        records.to_csv(path, index=False)
    else:
        records.to_parquet(path, index=False)
    with pytest.raises(
        InputError, match=rf"articles\.{suffix}, {record}: duplicate article_id 'b'"
    ):
        list(iter_article_batches(path, batch_size=5))


# ------------------------------------------------------------------------------- processing
def test_synchronous_batches_match_the_in_memory_path(tmp_path, seed_corpus_dir, in_memory):
    out = tmp_path / "out"
    # A first run with other batches leaves parts the second must replace, not add to.
    process_corpus(seed_corpus_dir, out, jobs=1, partition_size=1)
    summary = process_corpus(seed_corpus_dir, out, jobs=1, partition_size=2)
    assert summary["partitions"] == 3 and summary["articles"] == 5
    assert summary["sentences"] == len(in_memory["sentences"])
    _assert_matches(out, in_memory)
    assert read_dataset(out, "articles")["article_id"].tolist() == [
        "000",
        "001",
        "002",
        "003",
        "004",
    ]


def test_processes_and_a_cluster_match_the_in_memory_path(tmp_path, seed_corpus_dir, in_memory):
    distributed = pytest.importorskip("distributed")
    Client, LocalCluster = distributed.Client, distributed.LocalCluster

    done = []
    process_corpus(
        seed_corpus_dir,
        tmp_path / "processes",
        jobs=2,
        partition_size=2,
        progress=done.append,
    )
    assert done[-1] == 5 and len(done) == 3
    _assert_matches(tmp_path / "processes", in_memory)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result = CliRunner().invoke(
            _cli_app(),
            [
                "process",
                str(seed_corpus_dir),
                "-o",
                str(tmp_path / "cluster"),
                "--engine",
                "dask",
                "--address",
                cluster.scheduler_address,
                "--partition-size",
                "2",
            ],
        )
        assert result.exit_code == 0, result.output
        with Client(cluster) as client:  # a client of the researcher's own works the same
            process_corpus(seed_corpus_dir, tmp_path / "client", client=client, partition_size=2)
    assert "5 articles in 3 partitions" in result.output
    assert _checksums(tmp_path / "client") == _checksums(tmp_path / "processes")
    _assert_matches(tmp_path / "cluster", in_memory)
    # Same partitions on either engine: the same bytes.
    assert _checksums(tmp_path / "cluster") == _checksums(tmp_path / "processes")
    where = {p["where"] for p in _manifest(tmp_path / "cluster")["partitions"]}
    assert all(w.startswith("tcp://") for w in where)


def test_rows_do_not_depend_on_the_partition_size_or_the_jobs(
    tmp_path, seed_corpus_dir, monkeypatch
):
    import framelens.runs.process

    # A training budget smaller than the corpus: Punkt must still learn from the same text.
    monkeypatch.setattr(framelens.runs.process, "MAX_TRAINING_CHARS", 40_000)
    path = _repeat_seeds(seed_corpus_dir, tmp_path / "seeds.jsonl", 6)
    process_corpus(path, tmp_path / "one", jobs=1, partition_size=30)
    process_corpus(path, tmp_path / "many", jobs=2, partition_size=4)
    punkt = {_manifest(tmp_path / name)["punkt_sha256"] for name in ("one", "many")}
    assert len(punkt) == 1
    for table in ("articles", *COMPARED):
        whole, batched = (
            read_dataset(tmp_path / "one", table),
            read_dataset(tmp_path / "many", table),
        )
        assert len(whole) > 0
        pd.testing.assert_frame_equal(batched, whole, obj=table)


def test_a_table_left_empty_keeps_its_columns(tmp_path, seed_corpus_dir):
    out = tmp_path / "out"
    summary = process_corpus(seed_corpus_dir, out, stance_scorers=(), jobs=1)
    assert summary["rows"]["stance"] == 0
    stance = read_dataset(out, "stance")
    assert stance.empty and set(STANCE) <= set(stance.columns)
    assert set(read_dataset(out, "article_scores")["kind"]) == {"frame"}
    assert read_dataset(out, "problems").empty


def test_scorers_are_built_once_per_worker_not_per_partition(
    tmp_path, seed_corpus_dir, monkeypatch
):
    import framelens.runs.process

    built = []
    real = framelens.runs.process.build_scorer

    def counting(kind, name, *args, **kwargs):
        built.append((kind, name))
        return real(kind, name, *args, **kwargs)

    monkeypatch.setattr(framelens.runs.process, "build_scorer", counting)
    monkeypatch.setattr(framelens.runs.process, "_SCORERS", {})
    summary = process_corpus(seed_corpus_dir, tmp_path / "out", jobs=1, partition_size=1)
    assert summary["partitions"] == 5
    # Once in the driver to check the settings, once in the (in-process) worker.
    assert built.count(("stance", "lexicon")) == 2 and built.count(("frame", "dictionary")) == 2


def test_an_output_path_that_is_a_file_is_a_clear_error(tmp_path, seed_corpus_dir):
    taken = tmp_path / "taken.txt"
    taken.write_text("x")
    result = CliRunner().invoke(_cli_app(), ["process", str(seed_corpus_dir), "-o", str(taken)])
    assert result.exit_code == 2 and "the output must be a folder" in result.output
    assert "Traceback" not in result.output


def test_bad_settings_fail_before_any_work(tmp_path, seed_corpus_dir):
    with pytest.raises(InputError, match="unknown stance scorer 'vibes'"):
        process_corpus(seed_corpus_dir, tmp_path / "a", stance_scorers=("vibes",))
    with pytest.raises(InputError, match="unknown engine 'fast'"):
        process_corpus(seed_corpus_dir, tmp_path / "b", engine="fast")
    with pytest.raises(InputError, match="needs the Dask engine"):
        process_corpus(seed_corpus_dir, tmp_path / "b", address="tcp://127.0.0.1:9")
    with pytest.raises(InputError, match="unknown table"):
        read_dataset(tmp_path, "sentence")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_process_command_writes_datasets(tmp_path, seed_corpus_dir):
    out = tmp_path / "out"
    command = ["process", str(seed_corpus_dir), "-o", str(out), "--partition-size", "2"]
    command += ["--jobs", "1", "--frame-scorer", "none"]
    result = CliRunner().invoke(_cli_app(), command)
    assert result.exit_code == 0, result.output
    assert "5 articles in 3 partitions" in result.output
    assert read_dataset(out, "frames").empty
    again = CliRunner().invoke(_cli_app(), [*command])
    assert again.exit_code == 0 and "up to date: nothing computed" in again.output
    fresh = CliRunner().invoke(_cli_app(), [*command, "--restart"])
    assert fresh.exit_code == 0 and "up to date" not in fresh.output
    assert len(read_dataset(out, "stance")) > 0

    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"article_id": "a", "text": "x"\n')
    result = CliRunner().invoke(_cli_app(), ["process", str(broken), "-o", str(out)])
    assert result.exit_code == 2
    assert "broken.jsonl, line 1: malformed JSON" in result.output


def test_batches_are_finished_in_the_tasks_warnings_and_html_included(tmp_path, seed_corpus_dir):
    from framelens.errors import InputWarning

    texts = read_corpus(seed_corpus_dir).articles["text"].tolist()
    records = [{"article_id": f"a{i}", "text": text} for i, text in enumerate(texts)]
    records.insert(3, {"article_id": "blank", "text": "   "})
    paragraphs = "".join(f"<p>{t}</p>" for t in texts[0].split("\n") if t.strip())
    records.append(
        {
            "article_id": "page",
            "html": (
                "<html><head><title>Investment</title><script>var t = 'SCRIPT-CONTENT';</script>"
                f"</head><body><nav><a href='/'>Home</a></nav><article>{paragraphs}</article>"
                "</body></html>"
            ),
        }
    )
    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "out"
    with pytest.warns(InputWarning, match=r"mixed\.jsonl, line 4: the article is empty"):
        summary = process_corpus(path, out, jobs=1, partition_size=2)
    assert summary["articles"] == 6 and summary["problems"] == 1
    problems = read_dataset(out, "problems")
    assert problems[["record", "article_id"]].values.tolist() == [["line 4", "blank"]]
    articles = read_dataset(out, "articles").set_index("article_id")
    assert "blank" not in articles.index
    assert (
        articles.loc["page", "format"] == "html" and articles.loc["page", "title"] == "Investment"
    )
    assert "SCRIPT-CONTENT" not in articles.loc["page", "raw_text"]
    sentences = read_dataset(out, "sentences", columns=["article_id", "sent_id"])
    assert sentences.columns.tolist() == ["article_id", "sent_id"]
    assert (sentences["article_id"] == "page").sum() > 5


def _problem_corpus(seed_corpus_dir, path):
    """The seed articles twice as JSONL, with a reading problem (an unreadable date, line 3)
    and a finishing one (an empty article, line 6) in different partitions of 2."""
    texts = read_corpus(seed_corpus_dir).articles["text"].tolist() * 2
    records = [{"article_id": f"a{i}", "text": text} for i, text in enumerate(texts)]
    records[2]["date"] = "the day after"
    records.insert(5, {"article_id": "blank", "text": "   "})
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _count_reads(monkeypatch) -> dict:
    """Count, in this process, the passes over the input and the partitions finished."""
    from framelens.text.stream import BatchReader

    calls = {"passes": 0, "finished": 0}
    raw_batches, finish = BatchReader.raw_batches, BatchReader.finish

    def counting_raw_batches(self, **kwargs):
        calls["passes"] += 1
        return raw_batches(self, **kwargs)

    def counting_finish(self, raw, **kwargs):
        calls["finished"] += 1
        return finish(self, raw, **kwargs)

    monkeypatch.setattr(BatchReader, "raw_batches", counting_raw_batches)
    monkeypatch.setattr(BatchReader, "finish", counting_finish)
    return calls


def _input_warnings(run) -> list[str]:
    """Call ``run()``; return the messages of every InputWarning it issued, repeats included."""
    import warnings

    from framelens.errors import InputWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run()
    return [str(w.message) for w in caught if issubclass(w.category, InputWarning)]


@pytest.mark.parametrize(
    "jobs, budget, passes, finished",
    [
        (1, None, 1, 6),  # within the budget: read and finished once (6 partitions)
        (1, 1, 2, 12),  # past it: read and finished again, memory flat in the corpus size
        (2, None, 2, 0),  # workers: read twice here, finished in the workers
    ],
)
def test_one_job_reads_a_corpus_within_the_budget_once(
    tmp_path, seed_corpus_dir, monkeypatch, jobs, budget, passes, finished
):
    import framelens.runs.process

    path = _problem_corpus(seed_corpus_dir, tmp_path / "problems.jsonl")
    expected = tmp_path / "expected"
    process_corpus(path, expected, jobs=1, partition_size=2)  # warnings of this run: ignored
    if budget is not None:
        monkeypatch.setattr(framelens.runs.process, "KEEP_FIRST_READ_BYTES", budget)
    calls = _count_reads(monkeypatch)
    out = tmp_path / "out"
    messages = _input_warnings(lambda: process_corpus(path, out, jobs=jobs, partition_size=2))
    assert (calls["passes"], calls["finished"]) == (passes, finished)
    # Each problem warned once, the reading one and the finishing one.
    assert len(messages) == len(set(messages)) == 2
    assert any("line 3: " in m and "kept without a date" in m for m in messages)
    assert any("line 6: the article is empty" in m for m in messages)
    assert _checksums(out) == _checksums(expected)
    problems = read_dataset(out, "problems")
    assert problems["record"].tolist() == ["line 3", "line 6"]


def test_a_resumed_run_reads_the_input_once(tmp_path, seed_corpus_dir, monkeypatch):
    path = _problem_corpus(seed_corpus_dir, tmp_path / "problems.jsonl")
    expected, out = tmp_path / "expected", tmp_path / "out"
    process_corpus(path, expected, jobs=1, partition_size=2)
    with pytest.raises(_Stop):
        process_corpus(path, out, jobs=1, partition_size=2, progress=_interrupt_after(3))
    calls = _count_reads(monkeypatch)  # the furniture is saved: no first pass
    messages = _input_warnings(lambda: process_corpus(path, out, jobs=1, partition_size=2))
    assert calls == {"passes": 1, "finished": 3}
    assert len(messages) == 1 and "line 3: " in messages[0]  # its partition was kept
    assert _checksums(out) == _checksums(expected)


# ------------------------------------------------------------------------------- resuming
@pytest.fixture(scope="module")
def forty_seeds(tmp_path_factory, seed_corpus_dir):
    """The seeds repeated 8 times (40 articles) and the checksums of an uninterrupted run."""
    folder = tmp_path_factory.mktemp("forty")
    path = _repeat_seeds(seed_corpus_dir, folder / "forty.jsonl", 8)
    process_corpus(path, folder / "whole", jobs=1, partition_size=4)
    return path, _checksums(folder / "whole")


class _Stop(Exception):
    pass


def _interrupt_after(partitions: int):
    """A progress callback that stops the run once ``partitions`` partitions are saved."""
    calls = []

    def progress(done):
        calls.append(done)
        if len(calls) == partitions:
            raise _Stop

    return progress


def test_a_run_killed_with_sigkill_resumes_to_the_same_bytes(tmp_path, forty_seeds):
    import os
    import signal
    import subprocess
    import sys
    import time

    path, whole = forty_seeds
    out = tmp_path / "out"
    command = [sys.executable, "-m", "framelens", "process", str(path), "-o", str(out)]
    command += ["--jobs", "1", "--partition-size", "4"]
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = out / ".partitions" / "done"
    deadline = time.monotonic() + 120
    while len(list(done.glob("part-*.json"))) < 3 and run.poll() is None:
        assert time.monotonic() < deadline, "no partition finished in time"
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert run.returncode == -signal.SIGKILL, run.stderr.read().decode()
    finished = len(list(done.glob("part-*.json")))
    assert 3 <= finished < 10 and not (out / "manifest.json").exists()

    summary = process_corpus(path, out, jobs=1, partition_size=4)
    assert summary["resumed"] == finished and summary["partitions"] == 10
    assert _checksums(out) == whole
    computed = [p["computed"] for p in _manifest(out)["partitions"]]
    assert computed.count("earlier run") == finished
    assert not (out / ".partitions").exists()


def test_resuming_recomputes_a_partition_corrupted_on_disk(tmp_path, forty_seeds):
    from framelens.errors import InputWarning

    path, whole = forty_seeds
    out = tmp_path / "out"
    with pytest.raises(_Stop):
        process_corpus(path, out, jobs=1, partition_size=4, progress=_interrupt_after(4))
    part = out / ".partitions" / "stance" / "part-00001.arrow"
    part.write_bytes(part.read_bytes()[:-40] + b"\0" * 40)
    marker = out / ".partitions" / "done" / "part-00002.json"
    marker.write_text(marker.read_text()[:25])
    with (
        pytest.warns(InputWarning, match="partition 1: stance file"),
        pytest.warns(InputWarning, match=r"part-00002\.json: unreadable marker"),
    ):
        summary = process_corpus(path, out, jobs=1, partition_size=4)
    assert summary["resumed"] == 2
    assert _checksums(out) == whole


def test_other_settings_start_over_instead_of_resuming(tmp_path, forty_seeds):
    from framelens.errors import InputWarning

    path, _ = forty_seeds
    out = tmp_path / "out"
    with pytest.raises(_Stop):
        process_corpus(path, out, jobs=1, partition_size=4, progress=_interrupt_after(2))
    with pytest.warns(InputWarning, match="other input or settings; starting over"):
        summary = process_corpus(
            path, out, jobs=1, partition_size=4, frame_threshold=0.3, frame_scorers=()
        )
    assert summary["resumed"] == 0 and summary["rows"]["frames"] == 0


def test_a_full_disk_stops_the_run_and_the_rerun_resumes(tmp_path, forty_seeds, monkeypatch):
    import errno

    import framelens.runs.partitions
    from framelens.errors import RunError

    path, whole = forty_seeds
    out = tmp_path / "out"
    real_fsync, calls = framelens.runs.partitions.os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 40:  # a few partitions in
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(framelens.runs.partitions.os, "fsync", fsync)
    with pytest.raises(RunError, match="the disk is full"):
        process_corpus(path, out, jobs=1, partition_size=4)
    calls.clear()  # the same through the CLI: one line, and the exit code of a stopped run
    command = ["process", str(path), "-o", str(out), "--jobs", "1", "--partition-size", "4"]
    result = CliRunner().invoke(_cli_app(), command)
    assert result.exit_code == 3 and "the disk is full" in result.output
    leftovers = [p.name for p in (out / ".partitions").rglob("*.tmp")]
    assert leftovers == []  # the half-written file was removed
    monkeypatch.setattr(framelens.runs.partitions.os, "fsync", real_fsync)
    summary = process_corpus(path, out, jobs=1, partition_size=4)
    assert summary["resumed"] > 0
    assert _checksums(out) == whole


# ------------------------------------------------------------------------------- engines
def _square(x):
    return x * x


def _die_once(x, flag):
    """Kill the worker process the first time (``flag`` not there yet), then work."""
    import os
    from pathlib import Path

    if x == 3 and not Path(flag).exists():
        Path(flag).touch()
        os._exit(1)
    return x * x


def _always_die(x):
    import os

    if x == 3:
        os._exit(1)
    return x


def test_the_local_engine_retries_the_tasks_of_a_dead_worker_once(tmp_path):
    from framelens.errors import RunError
    from framelens.runs.engines import LocalEngine

    with LocalEngine(jobs=2) as engine:
        tasks = [(i, (i, str(tmp_path / "flag"))) for i in range(8)]
        assert dict(engine.run(_die_once, tasks)) == {i: i * i for i in range(8)}
    with LocalEngine(jobs=2) as engine, pytest.raises(RunError, match=r"partition\(s\) .*3"):
        dict(engine.run(_always_die, [(i, (i,)) for i in range(8)]))
    with LocalEngine(jobs=1) as engine:  # in this process
        assert dict(engine.run(_square, [(i, (i,)) for i in range(3)])) == {0: 0, 1: 1, 2: 4}


def _worker_pid() -> int:
    import os
    import time

    time.sleep(0.2)  # long enough for both workers to take a task
    return os.getpid()


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_workers_end_when_their_parent_is_killed(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    driver = tmp_path / "driver.py"
    driver.write_text(
        "import os, sys, time\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from test_process import _worker_pid\n"
        "from framelens.runs.engines import LocalEngine\n"
        "if __name__ == '__main__':\n"
        "    with LocalEngine(jobs=2) as engine:\n"
        "        tasks = [(i, ()) for i in range(6)]\n"
        "        pids = sorted(set(dict(engine.run(_worker_pid, tasks)).values()))\n"
        "        print(*pids, flush=True)\n"
        "        time.sleep(60)\n"
    )
    tests = str(pathlib.Path(__file__).resolve().parent)
    run = subprocess.Popen(
        [sys.executable, str(driver), tests], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    workers = [int(pid) for pid in run.stdout.readline().split()]
    assert len(workers) == 2, run.stderr.read().decode()
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 15
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [pid for pid in workers if _running(pid)]
    assert not alive, f"workers {alive} outlived their killed parent"


def test_ctrl_c_stops_a_two_job_run_quietly_and_it_resumes(tmp_path, seed_corpus_dir):
    import os
    import signal
    import subprocess
    import time

    corpus = _repeat_seeds(seed_corpus_dir, tmp_path / "seeds.jsonl", 400)  # 2,000 articles
    out = tmp_path / "out"
    command = [sys.executable, "-m", "framelens", "process", str(corpus), "-o", str(out)]
    command += ["--jobs", "2", "--partition-size", "50"]
    # A session of its own: Ctrl-C in a terminal signals the whole process group.
    run = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while not list(out.glob(".partitions/done/part-*.json")) and time.monotonic() < deadline:
        time.sleep(0.1)
    children = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(run.pid)], capture_output=True, text=True
    ).stdout.split()
    os.killpg(run.pid, signal.SIGINT)
    output = run.communicate(timeout=60)[0].decode()
    assert run.returncode == 130, output
    assert "Traceback" not in output, output
    assert "interrupted" in output and "run the same command again" in output
    deadline = time.monotonic() + 15
    while any(_running(int(pid)) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in children if _running(int(pid))], "processes outlived Ctrl-C"
    again = subprocess.run(command, capture_output=True, text=True)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "kept from an interrupted run" in again.stdout


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (Linux)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(") ", 1)[-1][:1] != "Z"
    except FileNotFoundError:
        return False


def test_an_unreachable_scheduler_is_a_clear_error():
    pytest.importorskip("distributed")
    from framelens.runs.engines import DaskEngine

    with pytest.raises(InputError, match=r"no Dask scheduler answered at tcp://127\.0\.0\.1:9"):
        with DaskEngine("tcp://127.0.0.1:9", timeout=1):
            pass


def test_dask_gives_up_on_a_task_that_keeps_killing_its_worker():
    distributed = pytest.importorskip("distributed")
    import dask

    from framelens.errors import RunError
    from framelens.runs.engines import DaskEngine

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            DaskEngine(cluster.scheduler_address) as engine,
        ):
            with pytest.raises(
                RunError, match=r"Dask gave partition \d up: the workers running it kept dying"
            ):
                dict(engine.run(_always_die, [(i, (i,)) for i in range(6)]))


def test_partitions_split_sentences_as_ingest_does_at_abbreviations(tmp_path):
    # The boundary rules run in the workers on the tokenizer saved with the run (punkt.json):
    # "U.S." | "China", "No. 7" and "J. R. Khan" come out as in memory.
    from pathlib import Path

    from framelens.text.ingest import ingest

    case = Path(__file__).parent / "cases" / "sentence_bounds"
    process_corpus(case, tmp_path / "out", jobs=1, partition_size=1)
    streamed = read_dataset(tmp_path / "out", "sentences")
    expected = ingest(case).sentences
    _same_rows(streamed, expected, "sentences")
    assert "Pakistan received most of its military aid in the 1980s from the U.S." in set(
        streamed["text"]
    )

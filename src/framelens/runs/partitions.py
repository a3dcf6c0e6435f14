"""The finished partitions of a run on disk: atomic writes, checked resumes, one file per table.

While a run is under way its output folder holds ``.partitions/``:

* ``run.json``, the run's fingerprint (input hash, codebook hash, scorers and every setting
  that shapes the rows, framelens version); a later run resumes only if its fingerprint is the
  same, otherwise it starts over;
* ``punkt.json``, the sentence tokenizer's parameters, so a resumed run splits sentences as
  the interrupted one did;
* ``<table>/part-NNNNN.arrow``, one file per table and partition (an Arrow IPC stream,
  compressed with zstd: :func:`table_to_bytes`), and
  ``done/part-NNNNN.json``, written last, which lists the sha256 of each of those files.

Every file is written to a temporary name and renamed into place, so a run killed at any
instant leaves either a whole file or none; a partition counts as finished only when its
``done`` marker exists and every file it lists still has the recorded hash (a changed or
missing file is recomputed, with a warning). At the end, :meth:`PartitionStore.assemble`
streams the parts, in partition order, into one Parquet file per table (a row group per
partition), so the result does not depend on which worker finished first, and removes
``.partitions/``.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import warnings
from pathlib import Path

from framelens.errors import InputError, InputWarning, RunError
from framelens.hashing import sha256_bytes, sha256_file

FOLDER = ".partitions"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Raises
    ------
    RunError
        When the disk is full or the write fails otherwise (the temporary file is removed).
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        reason = "the disk is full" if err.errno == errno.ENOSPC else f"cannot write ({err})"
        raise RunError(
            f"{path}: {reason}",
            hint="finished partitions are kept: free space or fix the folder and run the same "
            "command again to resume",
        ) from err


def table_to_bytes(table) -> bytes:
    """A DataFrame as an Arrow IPC stream (no index), the form partitions travel and rest in.

    A part is written once and read once, on the way to the Parquet file of its table
    (:meth:`PartitionStore.assemble`). Arrow's own format holds the same Arrow table that
    Parquet would give back (the same schema, metadata included) and, compressed with zstd,
    takes about half the CPU time of Parquet's encoding and decoding, in fewer bytes.
    """
    import pyarrow as pa
    import pyarrow.ipc as ipc

    arrow = pa.Table.from_pandas(table.reset_index(drop=True), preserve_index=False)
    sink = pa.BufferOutputStream()
    options = ipc.IpcWriteOptions(compression="zstd")
    with ipc.new_stream(sink, arrow.schema, options=options) as writer:
        writer.write_table(arrow)
    return sink.getvalue().to_pybytes()


class PartitionStore:
    """The ``.partitions`` folder of one run.

    Parameters
    ----------
    out_dir : str or Path
        The run's output folder.
    fingerprint : dict
        Everything that shapes the rows (JSON-serialisable).
    resume : bool, default True
        Keep the finished partitions of an interrupted run with the same fingerprint.
        ``False`` always starts over.

    Attributes
    ----------
    resumed : bool
        Whether finished partitions of an earlier run were found and kept.
    """

    def __init__(self, out_dir, fingerprint: dict, *, resume: bool = True):
        self.out_dir = Path(out_dir)
        self.root = self.out_dir / FOLDER
        self.fingerprint = json.loads(json.dumps(fingerprint, sort_keys=True, default=str))
        state = self.root / "run.json"
        previous = _read_json(state) if state.is_file() else None
        self.resumed = bool(resume and previous == self.fingerprint)
        if not self.resumed:
            if previous is not None:
                warnings.warn(
                    f"{self.root}: the unfinished run here used other input or settings; "
                    "starting over"
                    if resume
                    else f"{self.root}: starting over",
                    InputWarning,
                    stacklevel=2,
                )
            shutil.rmtree(self.root, ignore_errors=True)
            try:
                (self.root / "done").mkdir(parents=True)
            except OSError as err:
                raise InputError(
                    f"cannot create the output folder ({err.strerror})",
                    source=self.out_dir,
                    hint="give a folder path that can be written",
                ) from err
            write_atomic(state, _json_bytes(self.fingerprint))

    # ------------------------------------------------------------------ tokenizer
    def load_json(self, name: str):
        """A JSON document saved with :meth:`save_json`, or ``None``."""
        path = self.root / f"{name}.json"
        return _read_json(path) if path.is_file() else None

    def save_json(self, name: str, document) -> None:
        """Save ``document`` (JSON-serialisable) as ``name.json``, atomically."""
        write_atomic(self.root / f"{name}.json", _json_bytes(document))

    # ------------------------------------------------------------------ partitions
    def _part(self, table: str, number: int) -> Path:
        return self.root / table / f"part-{number:05d}.arrow"

    def _marker(self, number: int) -> Path:
        return self.root / "done" / f"part-{number:05d}.json"

    def finished(self) -> dict[int, dict]:
        """The finished partitions (number -> marker), each checked against its hashes.

        A partition whose files are missing or changed since they were written is dropped
        with a warning, so that it is computed again.
        """
        found = {}
        for marker in sorted((self.root / "done").glob("part-*.json")):
            try:
                info = _read_json(marker)
                number = int(info["partition"])
            except (RunError, KeyError, TypeError, ValueError):
                warnings.warn(
                    f"{marker}: unreadable marker; computing its partition again",
                    InputWarning,
                    stacklevel=2,
                )
                marker.unlink()
                continue
            bad = [
                table
                for table, digest in info["files"].items()
                if not (part := self._part(table, number)).is_file() or sha256_file(part) != digest
            ]
            if bad:
                warnings.warn(
                    f"partition {number}: {', '.join(bad)} file(s) missing or changed on disk; "
                    "computing it again",
                    InputWarning,
                    stacklevel=2,
                )
                marker.unlink()
                continue
            found[number] = info
        return found

    def save(self, number: int, tables: dict[str, bytes], info: dict) -> dict:
        """Write one partition's tables, then its ``done`` marker; return the marker."""
        files = {}
        for table, data in tables.items():
            path = self._part(table, number)
            path.parent.mkdir(exist_ok=True)
            write_atomic(path, data)
            files[table] = sha256_bytes(data)
        marker = {**info, "partition": number, "files": files}
        write_atomic(self._marker(number), _json_bytes(marker))
        return marker

    # ------------------------------------------------------------------ the end
    def assemble(self, tables, numbers: list[int]) -> dict[str, str]:
        """Write ``OUT/<table>.parquet`` for each table from its parts, in partition order.

        Each table's parts are read one at a time (memory holds one part per thread), checked
        against their hashes, and given one common schema (a column some partitions lack is
        null there; the pandas metadata of the parts is dropped, since it describes one part
        only).

        Returns
        -------
        dict of str to str
            The sha256 of every assembled file, by file name.

        Raises
        ------
        RunError
            When a part changed on disk since it was written (its partition is marked
            unfinished, so the next run recomputes it).
        """
        from concurrent.futures import ThreadPoolExecutor

        markers = {number: _read_json(self._marker(number)) for number in numbers}
        # The tables are independent files, and pyarrow reads, casts and encodes them without
        # holding the GIL: a few at a time in threads, the assembly at the end of a run takes
        # a fraction of its wall time on several cores (each file's bytes are the same).
        threads = max(1, min(len(tables), os.cpu_count() or 1, 4))
        with ThreadPoolExecutor(threads) as pool:
            sums = list(pool.map(lambda table: self._assemble(table, numbers, markers), tables))
        return {f"{table}.parquet": checksum for table, checksum in zip(tables, sums, strict=True)}

    def _assemble(self, table: str, numbers: list[int], markers: dict) -> str:
        """Write ``OUT/<table>.parquet`` from its parts (see :meth:`assemble`); its sha256."""
        import pyarrow.parquet as pq

        parts = [self._part(table, number) for number in numbers]
        schema = _common_schema([_part_schema(part) for part in parts])
        final = self.out_dir / f"{table}.parquet"
        temporary = final.with_name(f".{final.name}.{os.getpid()}.tmp")
        try:
            with pq.ParquetWriter(temporary, schema) as writer:
                for number, part in zip(numbers, parts, strict=True):
                    writer.write_table(_conform(self._checked(part, number, markers), schema))
            os.replace(temporary, final)
        except OSError as err:
            temporary.unlink(missing_ok=True)
            raise RunError(
                f"{final}: cannot write ({err})",
                hint="finished partitions are kept: free space and run the same command again",
            ) from err
        return sha256_file(final)

    def _checked(self, part: Path, number: int, markers: dict):
        import pyarrow as pa
        import pyarrow.ipc as ipc

        data = part.read_bytes()
        table = part.parent.name
        if sha256_bytes(data) != markers[number]["files"][table]:
            self._marker(number).unlink(missing_ok=True)
            raise RunError(
                f"{part} changed on disk after it was written",
                hint="its partition is marked unfinished: run the same command again to "
                "compute it anew",
            )
        return ipc.open_stream(pa.BufferReader(data)).read_all()

    def remove(self) -> None:
        """Delete ``.partitions/`` (after assembly)."""
        shutil.rmtree(self.root, ignore_errors=True)


def _part_schema(part: Path):
    """The schema of a part, read from its first message only."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    with pa.OSFile(str(part)) as source:
        return ipc.open_stream(source).schema


def _common_schema(schemas):
    import pyarrow as pa

    try:
        schema = pa.unify_schemas(
            [s.remove_metadata() for s in schemas], promote_options="permissive"
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as err:
        raise RunError(f"partitions disagree on a column's type: {err}") from err
    return schema


def _conform(table, schema):
    """``table`` with exactly ``schema``'s columns, in its order (missing ones null)."""
    import pyarrow as pa

    columns = []
    for field in schema:
        if field.name in table.column_names:
            columns.append(table.column(field.name).cast(field.type))
        else:
            columns.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def _json_bytes(document) -> bytes:
    return (json.dumps(document, indent=1, sort_keys=True, default=str) + "\n").encode()


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise RunError(
            f"{path}: unreadable ({err})",
            hint=f"delete {path.parent} (or run with --restart) to start over",
        ) from err

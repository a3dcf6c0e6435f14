"""Where the partitions of a run are computed: here, in local worker processes, or on Dask.

An engine applies one function to a stream of numbered tasks and yields ``(number, result)``
as tasks finish, with at most :attr:`window` tasks in flight, so memory stays bounded however
long the stream is. Both engines take the same tasks, so switching from a laptop to a cluster
changes the engine's name and address, nothing else:

* :class:`LocalEngine` (the default): ``jobs`` worker processes of this machine
  (``concurrent.futures``; forked from a worker server that imported the flow once, or
  ``spawn`` where the platform has none); ``jobs=1`` computes in this process. A worker that dies
  (killed, out of memory) breaks the pool: the pool is restarted and the tasks it held are
  retried once; a second death is an error naming them.
* :class:`DaskEngine`: a ``dask.distributed`` cluster given by its scheduler address (or a
  ``Client``); without one, a ``LocalCluster`` of ``jobs`` single-threaded worker processes
  is started for the run. Dask retries a task whose worker died (``allowed-failures``); when
  it gives up, the error names the task.

Workers keep what they load (models, codebooks) in module-level caches, so each worker loads
a model once, not once per task.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable, Iterable, Iterator

from framelens.errors import InputError, RunError

ENGINES = ("local", "dask")


def worker_name() -> str:
    """Where this code runs: the Dask worker's address, or ``host:pid``."""
    # A Dask worker has imported distributed; a local worker need not pay for the import.
    distributed = sys.modules.get("distributed")
    if distributed is not None:
        try:
            return distributed.get_worker().address
        except ValueError:  # not inside a Dask task
            pass
    return f"{socket.gethostname()}:{os.getpid()}"


def make_engine(
    engine: str = "local", *, jobs: int | None = None, address=None, client=None, preload=()
):
    """The engine named ``engine`` (``"local"`` or ``"dask"``), not yet started.

    Parameters
    ----------
    engine : {"local", "dask"}
        Local worker processes, or a Dask cluster.
    jobs : int, optional
        Local worker processes (default: every core); for ``dask`` without an address, the
        workers of the local cluster started for the run.
    address : str, optional
        A Dask scheduler address (``tcp://host:8786``); only with ``engine="dask"``.
    client : distributed.Client, optional
        An open Dask client (implies ``engine="dask"`` and overrides ``address``; left open).
    preload : sequence of str, optional
        Modules local workers import as they start (see :meth:`LocalEngine.warm`).

    Raises
    ------
    InputError
        For an unknown engine, a non-positive ``jobs`` or an address without the Dask engine.
    """
    if client is not None:
        engine = "dask"  # a Dask client can only mean the Dask engine
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}", hint=f"engines: {', '.join(ENGINES)}")
    if jobs is not None and int(jobs) < 1:
        raise InputError(f"jobs must be at least 1, not {jobs}")
    if engine == "local":
        if address is not None:
            raise InputError("a scheduler address needs the Dask engine", hint="add --engine dask")
        return LocalEngine(jobs, preload=preload)
    return DaskEngine(address, client=client, jobs=jobs)


class LocalEngine:
    """Tasks in ``jobs`` local worker processes (or in this process when ``jobs`` is 1).

    Parameters
    ----------
    jobs : int, optional
        Worker processes; ``None`` uses every core.
    retries : int, default 1
        How often the tasks in flight when a worker died are tried again.
    preload : sequence of str, default ()
        Modules each worker imports as it starts.
    """

    name = "local"

    def __init__(self, jobs: int | None = None, retries: int = 1, preload=()):
        self.jobs = int(jobs or os.cpu_count() or 1)
        self.retries = retries
        self.preload = tuple(preload)
        self._pool = None

    def __enter__(self) -> LocalEngine:
        if self.jobs > 1 and self._pool is None:
            self._pool = self._new_pool()
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def warm(self) -> None:
        """Start the workers now, importing ``preload``, before the first task.

        Python and the libraries take a worker about a second to import: started while the
        caller still prepares the run (checks settings, hashes the input), they are ready when
        the tasks come, instead of leaving a core idle first. Close with :meth:`__exit__` (or
        a ``with`` block, which keeps these workers).
        """
        if self.jobs == 1:
            return
        if _forks_workers():
            # Workers are forked from the server, ready in milliseconds once it has imported
            # ``preload``: start it and return (a submit now would wait for its imports).
            start_worker_server(self.preload)
            return
        self.__enter__()
        for _ in range(self.jobs):
            self._pool.submit(_ready)

    def describe(self) -> dict:
        """What the manifest records about the engine."""
        return {"engine": self.name, "jobs": self.jobs}

    @property
    def in_process(self) -> bool:
        """True when tasks run in this process (``jobs`` 1): they share its memory."""
        return self.jobs == 1

    @property
    def window(self) -> int:
        """Tasks in flight at once: enough to keep every worker busy, few enough for memory."""
        return 2 * self.jobs

    def _new_pool(self):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Never a fork of this process: a forked copy of a process running threads (pyarrow,
        # BLAS, a progress bar) can hang. A fork of the worker server is safe (see
        # start_worker_server), else each worker is a fresh interpreter (spawn).
        if _forks_workers():
            start_worker_server(self.preload)
            context = multiprocessing.get_context("forkserver")
        else:
            context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(
            self.jobs,
            mp_context=context,
            initializer=_import_all,
            initargs=(self.preload, os.getpid()),
        )

    def run(
        self, func: Callable, tasks: Iterable[tuple[int, tuple]]
    ) -> Iterator[tuple[int, object]]:
        """Yield ``(number, func(*args))`` for each ``(number, args)`` of ``tasks``, as they end.

        Raises
        ------
        RunError
            When worker processes died more often than ``retries`` allows with a task in flight.
        """
        if self._pool is None:
            for number, args in tasks:
                yield number, func(*args)
            return
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        tasks = iter(tasks)
        pending: dict = {}
        deaths: dict[int, int] = {}

        def fill():
            while len(pending) < self.window and (task := next(tasks, None)) is not None:
                number, args = task
                pending[self._pool.submit(func, *args)] = (number, args)

        fill()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                number, args = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken = True
                    pending[future] = (number, args)  # lost with the others in flight
                    continue
                yield number, result
            if broken:
                self._restart(func, pending, deaths)
            fill()

    def _restart(self, func: Callable, pending: dict, deaths: dict[int, int]) -> None:
        """A worker died: start a new pool and resubmit every task the old one held."""
        lost = sorted(pending.values(), key=lambda task: task[0])
        pending.clear()
        for number, _ in lost:
            deaths[number] = deaths.get(number, 0) + 1
        given_up = [number for number, _ in lost if deaths[number] > self.retries]
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None
        if given_up:
            raise RunError(
                f"a worker process died {self.retries + 1} times with partition(s) "
                f"{', '.join(map(str, given_up))} in flight (out of memory, or killed)",
                hint="finished partitions are kept: lower --partition-size or --jobs and run "
                "the same command again to resume",
            )
        self._pool = self._new_pool()
        for number, args in lost:
            pending[self._pool.submit(func, *args)] = (number, args)


def _forks_workers() -> bool:
    """Whether local workers are forked from a worker server (where the platform has one:
    Linux and macOS; Windows spawns each worker)."""
    import multiprocessing

    return "forkserver" in multiprocessing.get_all_start_methods()


def start_worker_server(preload=()) -> None:
    """Start the process local workers are forked from, and return without waiting for it.

    The server (``multiprocessing``'s *forkserver*) is a fresh interpreter that imports
    ``preload`` once; each worker is then a fork of it, ready at once, instead of a fresh
    interpreter importing for a second or more (pandas, NLTK, scikit-learn) as ``spawn``
    gives. Its imports overlap whatever this process does meanwhile: the command line calls
    this first, before its own imports. The server runs nothing but those imports, so a fork
    of it is safe where a fork of this process (pyarrow's threads, a progress bar's) could
    hang; it ends with this process, and its workers with it. One server serves every pool of
    the process: the ``preload`` of its first start stands (each worker still imports what its
    pool's ``preload`` adds). Without a fork server on the platform this does nothing.

    Parameters
    ----------
    preload : sequence of str
        Modules to import in the server (a module that is missing is skipped).
    """
    if not _forks_workers():
        return
    import multiprocessing
    import signal
    import threading
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(list(preload))
    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()  # (only the main thread may change a signal's handler)
        return
    # Ctrl-C reaches every process of the terminal's group: the server and its workers ignore
    # it (a server interrupted in its imports would print their traceback), and end with
    # this process, which handles it. They inherit the ignored signal as they start.
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, before)


def _import_all(modules: tuple[str, ...], driver: int) -> None:
    """A local worker's start: watch the process that started the pool (``driver``), import
    what its tasks will need."""
    import importlib
    import threading

    # A driver killed outright (SIGKILL, a scheduler's limit) cannot shut its pool down: the
    # worker would live on, holding its memory. It ends itself once the driver is gone. A
    # spawned worker is the driver's child; a forked one is the worker server's, and the
    # server lives as long as its workers do (they hold its lifeline), so they watch the driver.
    if os.getppid() == driver:
        watch, args = _exit_with_parent, (driver,)
    else:
        watch, args = _exit_with_process, (driver,)
    threading.Thread(target=watch, args=args, name="framelens-driver", daemon=True).start()
    for module in modules:
        importlib.import_module(module)


def _exit_with_parent(parent: int, every: float = 1.0) -> None:
    """End this process when its parent ``parent`` has gone (it is then adopted by another)."""
    import time

    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def _exit_with_process(pid: int, every: float = 1.0) -> None:
    """End this process when process ``pid`` has gone (POSIX: signal 0 only asks if it is
    there; it is used only where workers are forked, never on Windows)."""
    import time

    while True:
        try:
            os.kill(pid, 0)
        except (ProcessLookupError, PermissionError):  # gone (or its pid is another user's now)
            os._exit(1)
        time.sleep(every)


def _ready() -> None:
    """A task that does nothing: submitting one starts a worker."""


class DaskEngine:
    """Tasks on a ``dask.distributed`` cluster.

    Parameters
    ----------
    address : str, optional
        The scheduler's address (``tcp://host:8786``). Without it (and without ``client``), a
        ``LocalCluster`` of ``jobs`` single-threaded worker processes runs for the run's length.
    client : distributed.Client, optional
        An open client; it is left open.
    jobs : int, optional
        Workers of the local cluster (default: every core).
    timeout : float, default 10
        Seconds to wait for the scheduler before giving up.

    Notes
    -----
    Workers need framelens installed (the same version as here). Tasks return their tables to
    this process, which writes them: workers need no shared file system.
    """

    name = "dask"
    in_process = False  # tasks run on the cluster's workers, never here

    def __init__(self, address=None, *, client=None, jobs: int | None = None, timeout=10.0):
        try:
            import distributed  # noqa: F401
        except ImportError as err:
            raise InputError(
                "the Dask engine needs the distributed extra",
                hint="pip install 'framelens[distributed]'",
            ) from err
        self.address, self.client, self.jobs, self.timeout = address, client, jobs, timeout
        self._owned: list = []

    def __enter__(self) -> DaskEngine:
        from distributed import Client, LocalCluster

        if self.client is None and self.address is None:
            cluster = LocalCluster(
                n_workers=self.jobs or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self._owned.append(cluster)
            self.client = Client(cluster)
            self._owned.insert(0, self.client)
        elif self.client is None:
            try:
                self.client = Client(self.address, timeout=f"{self.timeout}s")
            except (OSError, TimeoutError) as err:
                raise InputError(
                    f"no Dask scheduler answered at {self.address} within {self.timeout:g} s",
                    hint="check the address, or start one with `dask scheduler` and "
                    "`dask worker ADDRESS`",
                ) from err
            self._owned.append(self.client)
        return self

    def __exit__(self, *exc) -> None:
        for owned in self._owned:
            owned.close()
        self._owned.clear()

    def warm(self) -> None:
        """Nothing to start ahead: the cluster's workers are started with it."""

    def describe(self) -> dict:
        """What the manifest records about the engine and its cluster."""
        return {
            "engine": self.name,
            "scheduler": self.client.scheduler.address if self.client else self.address,
            "workers": self.slots,
        }

    @property
    def slots(self) -> int:
        """Threads across the cluster's workers."""
        return max(1, sum(self.client.nthreads().values())) if self.client else 1

    @property
    def window(self) -> int:
        """Tasks in flight at once: twice the cluster's threads."""
        return 2 * self.slots

    def run(
        self, func: Callable, tasks: Iterable[tuple[int, tuple]]
    ) -> Iterator[tuple[int, object]]:
        """Yield ``(number, func(*args))`` for each ``(number, args)`` of ``tasks``, as they end.

        Raises
        ------
        RunError
            When Dask gave a task up because the workers running it kept dying.
        """
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        running = as_completed(with_results=False)
        numbers: dict = {}
        window = self.window

        def collect(future):
            number = numbers.pop(future.key)
            try:
                return number, future.result()
            except KilledWorker as err:
                raise RunError(
                    f"Dask gave partition {number} up: the workers running it kept dying "
                    "(out of memory, or killed)",
                    hint="finished partitions are kept: fix the workers and run the same "
                    "command again to resume",
                ) from err

        for number, args in tasks:
            future = self.client.submit(func, *args, pure=False)
            numbers[future.key] = number
            running.add(future)
            if running.count() >= window:
                yield collect(next(running))
        for future in running:
            yield collect(future)

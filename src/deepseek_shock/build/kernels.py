"""The kernels that run the notebooks: one per worker thread, kept from one notebook to the next.

A kernel costs a process start and the imports of pandas, Altair and the library (about 1.5 s
together) before a notebook's first cell runs. A worker therefore keeps its kernel for every
notebook it runs, clearing the namespace, history and execution count between them, so each
notebook still starts as in a fresh kernel.

A worker also keeps its kernel client connected: a new client waits for the kernel to answer and
then drains its output for 0.2 s, on every notebook. A pool can warm its kernels up as it starts
(``KernelPool(prepare=...)``), so that even the first notebook finds the imports done.

A kernel manager belongs to the thread whose event loop created it: each kernel is created, used
and shut down by its own worker thread.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from traitlets import Type

KERNEL = "python3"
# No history database: every kernel would write each cell to the one SQLite file under ~/.ipython,
# a few milliseconds per cell, and kernels running side by side would wait on its lock.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]
# What a fresh kernel would give the next notebook: empty namespace, history and execution count at 1.
FRESH_NAMESPACE = "get_ipython().reset(new_session=True)"
T = TypeVar("T")


class KeptClient(AsyncKernelClient):
    """A kernel client kept connected from one notebook to the next.

    nbclient starts a client's channels and waits for its kernel on every notebook; once this
    client has seen its kernel ready, both return at once (the channels stay up; nbclient ignores
    output addressed to earlier requests).
    """

    ready = False

    def start_channels(self, *args: Any, **kwargs: Any) -> None:
        """Start the channels unless they are running already."""
        if not self.channels_running:
            super().start_channels(*args, **kwargs)

    async def wait_for_ready(self, timeout: float | None = None) -> None:  # type: ignore[override]
        """Wait for the kernel the first time only."""
        if not self.ready:
            await super()._async_wait_for_ready(timeout=timeout)
            self.ready = True


class KeptKernelManager(AsyncKernelManager):
    """A kernel manager that hands out one client, kept for every notebook until ``close_client``."""

    client_factory = Type(KeptClient, klass=KeptClient)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kept: KeptClient | None = None

    def client(self, **kwargs: Any) -> KeptClient:
        """The kept client of this kernel (made on first use)."""
        if self.kept is None:
            self.kept = super().client(**kwargs)
        return self.kept

    def close_client(self) -> None:
        """Stop the kept client's channels."""
        if self.kept is not None:
            self.kept.stop_channels()
            self.kept = None


class WorkerKernel:
    """One worker's kernel, started by its first notebook (or ``warm``) and kept for the next ones.

    Every notebook starts from a fresh namespace. The clearing is asked for as soon as a notebook
    (or the warm-up) is done, so the kernel does it while this process goes on; the next notebook
    waits for its reply before its first cell. Used from one thread only, except ``kill``.
    """

    def __init__(self) -> None:
        self.manager: KeptKernelManager | None = None
        self.clearing: str | None = None  # the request that clears the namespace, if one is pending

    def live_manager(self) -> KeptKernelManager:
        """This worker's kernel manager; a new one (no kernel yet) if the kernel died."""
        if self.manager is not None and self.manager.has_kernel and not run_sync(self.manager.is_alive)():
            self.shutdown()
        if self.manager is None:
            self.manager = KeptKernelManager(kernel_name=KERNEL)
        return self.manager

    def papermill_arguments(self) -> dict[str, Any]:
        """What papermill needs to run the next notebook in this kernel (started by it if need be)."""
        return {"km": self.live_manager(), "on_notebook_start": self._fresh_namespace}

    def warm(self, code: str, cwd: Path) -> None:
        """Start the kernel in ``cwd`` now and run ``code`` there (imports), ahead of the first notebook."""
        manager = self.live_manager()
        if not manager.has_kernel:
            run_sync(manager.start_kernel)(extra_arguments=KERNEL_ARGUMENTS, cwd=str(cwd))
        client = manager.client()
        client.start_channels()
        run_sync(client.wait_for_ready)(timeout=60)
        run_sync(self.reply)(self.send(code))
        self.clear_ahead()

    def send(self, code: str) -> str:
        """Ask the kernel to run ``code`` silently; the request's id, for ``reply``."""
        assert self.manager is not None
        return self.manager.client().execute(code, silent=True, store_history=False)

    async def reply(self, request: str) -> dict[str, Any]:
        """The kernel's reply to ``request`` (DeadKernelError if the kernel dies first)."""
        assert self.manager is not None
        client = self.manager.client()
        while True:
            try:
                reply = await client.get_shell_msg(timeout=1)
            except queue.Empty:
                if not await self.manager.is_alive():
                    raise DeadKernelError("the kept kernel died") from None
                continue
            if reply["parent_header"].get("msg_id") == request:
                return reply

    def clear_ahead(self) -> None:
        """Ask the kernel to clear its namespace for the next notebook, without waiting for it."""
        if self.manager is not None and self.manager.has_kernel and self.clearing is None:
            self.clearing = self.send(FRESH_NAMESPACE)

    async def _fresh_namespace(self, notebook: Any) -> None:
        """Make sure the namespace, history and execution count are cleared before ``notebook`` runs."""
        request, self.clearing = self.clearing or self.send(FRESH_NAMESPACE), None
        reply = await self.reply(request)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the kept kernel could not clear its namespace: {reply['content']}")

    def kill(self) -> None:
        """Kill the kernel now, if it runs (from any thread): a notebook running in it fails at once."""
        manager = self.manager
        process = getattr(manager.provisioner, "process", None) if manager is not None else None
        if process is not None:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)  # its own session: its group is its pid

    def shutdown(self) -> None:
        """Stop the kernel, if one was started (at once: it holds nothing still needed)."""
        manager, self.manager, self.clearing = self.manager, None, None
        if manager is None:
            return
        manager.close_client()
        if manager.has_kernel:
            run_sync(manager.shutdown_kernel)(now=True)


class KernelPool:
    """Worker threads that each keep one kernel; a task is a function of the worker's kernel.

    A worker starts its kernel when a notebook first needs it, or at once with ``prepare`` (run by
    every worker on its own kernel before its first task; a failure there is left to the notebooks
    to report). Closing the pool shuts every kernel down.
    """

    def __init__(self, workers: int, prepare: Callable[[WorkerKernel], None] | None = None) -> None:
        self.tasks: queue.SimpleQueue[tuple[Callable[[WorkerKernel], Any], Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self.prepare = prepare
        self.killed = False
        self.kernels = [WorkerKernel() for _ in range(max(1, workers))]
        self.prepared = [threading.Event() for _ in self.kernels]
        self.threads = [
            threading.Thread(target=self._work, args=(kernel, prepared), daemon=True)
            for kernel, prepared in zip(self.kernels, self.prepared, strict=True)
        ]
        for thread in self.threads:
            thread.start()

    def _work(self, kernel: WorkerKernel, prepared: threading.Event) -> None:
        try:
            try:
                if self.prepare is not None:
                    with contextlib.suppress(Exception):
                        self.prepare(kernel)
            finally:
                prepared.set()
            while (task := self.tasks.get()) is not None:
                function, future = task
                if not future.set_running_or_notify_cancel():  # cancelled while it waited
                    continue
                if self.killed:
                    future.set_exception(RuntimeError("the kernels were stopped"))
                    continue
                try:
                    future.set_result(function(kernel))
                except BaseException as error:  # handed to the caller through the future
                    future.set_exception(error)
                with contextlib.suppress(Exception):  # a dead kernel is replaced by the next task
                    kernel.clear_ahead()
        finally:
            kernel.shutdown()

    def wait_prepared(self) -> None:
        """Wait until every worker has prepared its kernel (or failed to: see ``prepare``)."""
        for prepared in self.prepared:
            prepared.wait()

    def submit(self, function: Callable[[WorkerKernel], T]) -> Future[T]:
        """Run ``function(kernel)`` on the next free worker."""
        future: Future[T] = Future()
        self.tasks.put((function, future))
        return future

    def kill(self) -> None:
        """Kill every kernel now: the tasks running fail at once, the tasks waiting are refused, and
        the pool can close."""
        self.killed = True
        for kernel in self.kernels:
            kernel.kill()

    def close(self) -> None:
        """Let the workers finish their tasks, then stop them and their kernels."""
        for _ in self.threads:
            self.tasks.put(None)
        for thread in self.threads:
            thread.join()

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

"""The kernels that run the notebooks: one per worker thread, kept from one notebook to the next.

A kernel costs a process start and the imports of pandas, Altair and the library (about 1.5 s
together) before a notebook's first cell runs. A worker therefore keeps its kernel for every
notebook it runs, clearing the namespace, history and execution count between them, so each
notebook still starts as in a fresh kernel.

A kernel manager belongs to the thread whose event loop created it: each kernel is created, used
and shut down by its own worker thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from types import TracebackType
from typing import Any, TypeVar

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

KERNEL = "python3"
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
# What a fresh kernel would give the next notebook: empty namespace, history and execution count at 1.
FRESH_NAMESPACE = "get_ipython().reset(new_session=True)"
T = TypeVar("T")


class KeptKernelManager(AsyncKernelManager):
    """A kernel manager that can close the clients it handed out.

    nbclient leaves its client open on a kernel it does not own; ``close_clients`` closes them.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.handed_out: list[Any] = []

    def client(self, **kwargs: Any) -> Any:
        """A new client of this kernel, remembered for ``close_clients``."""
        client = super().client(**kwargs)
        self.handed_out.append(client)
        return client

    def close_clients(self) -> None:
        """Stop every client handed out so far."""
        for client in self.handed_out:
            client.stop_channels()
        self.handed_out.clear()


class WorkerKernel:
    """One worker's kernel, started by its first notebook and kept for the next ones.

    Every notebook starts from a fresh namespace (cleared through nbclient's own client as the
    notebook starts). Used from one thread only.
    """

    def __init__(self) -> None:
        self.manager: KeptKernelManager | None = None

    def papermill_arguments(self) -> dict[str, Any]:
        """What papermill needs to run the next notebook in this kernel (started by it if need be)."""
        if self.manager is not None and self.manager.has_kernel and not run_sync(self.manager.is_alive)():
            self.shutdown()
        if self.manager is None:
            self.manager = KeptKernelManager(kernel_name=KERNEL)
        return {"km": self.manager, "on_notebook_start": self._fresh_namespace}

    async def _fresh_namespace(self, notebook: Any) -> None:
        """Clear the kernel's namespace, history and execution count before ``notebook`` runs."""
        assert self.manager is not None
        client = self.manager.handed_out[-1]
        reply = await client.execute_interactive(
            FRESH_NAMESPACE, silent=True, store_history=False, timeout=60
        )
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the kept kernel could not clear its namespace: {reply['content']}")

    def after_notebook(self) -> None:
        """Close the clients the notebook's run left open (the kernel itself is kept)."""
        if self.manager is not None:
            self.manager.close_clients()

    def shutdown(self) -> None:
        """Stop the kernel, if one was started (at once: it holds nothing still needed)."""
        manager, self.manager = self.manager, None
        if manager is None:
            return
        manager.close_clients()
        if manager.has_kernel:
            run_sync(manager.shutdown_kernel)(now=True)


class KernelPool:
    """Worker threads that each keep one kernel; a task is a function of the worker's kernel.

    A worker starts its kernel when a notebook first needs it; closing the pool shuts every kernel
    down.
    """

    def __init__(self, workers: int) -> None:
        self.tasks: queue.SimpleQueue[tuple[Callable[[WorkerKernel], Any], Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self.threads = [threading.Thread(target=self._work, daemon=True) for _ in range(max(1, workers))]
        for thread in self.threads:
            thread.start()

    def _work(self) -> None:
        kernel = WorkerKernel()
        try:
            while (task := self.tasks.get()) is not None:
                function, future = task
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(function(kernel))
                    except BaseException as error:  # handed to the caller through the future
                        future.set_exception(error)
        finally:
            kernel.shutdown()

    def submit(self, function: Callable[[WorkerKernel], T]) -> Future[T]:
        """Run ``function(kernel)`` on the next free worker."""
        future: Future[T] = Future()
        self.tasks.put((function, future))
        return future

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

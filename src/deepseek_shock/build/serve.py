"""``deepseek-shock serve``: the book on this machine, rebuilt on every change and reloaded in the browser.

Three threads share one ``Preview``: the HTTP server (pages with the reload script and any error,
the status the pages poll, the runs and builds ``deepseek-shock run`` and ``build`` hand over), the
builder (one build at start, then one after every change the watcher reports) and the main thread,
which waits for SIGINT (Ctrl-C) or SIGTERM, then stops the other two and shuts the kernels down.
A server started with an idle limit (the one ``build`` and ``run`` keep; see ``kept_server``) also
stops by itself and gives way to a ``serve`` started without one.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import asdict, dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from deepseek_shock.build.kept_server import Lapse
from deepseek_shock.build.pipeline import write_atomic
from deepseek_shock.build.preview import NotServed, Preview, shown
from deepseek_shock.build.preview_client import (
    BAD_INPUT,
    BUILD_PATH,
    NOT_SERVED,
    RUN_PATH,
    STATUS_PATH,
    server_state,
    state_file,
    stop_server,
)
from deepseek_shock.build.reload import waiting_page, with_preview
from deepseek_shock.build.watch import POLL_SECONDS, SLOW_POLL_SECONDS, Watcher
from deepseek_shock.errors import UserError
from deepseek_shock.paths import package_dir, project_root

# What the preview watches, relative to the project root; the library's source is watched too.
WATCHED = ("params", "notebooks", "data", "book", "_static", "_config.yml", "_toc.yml")


class PreviewServer(ThreadingHTTPServer):
    """An HTTP server on one address for one preview (request threads never hold up a stop)."""

    daemon_threads = True
    allow_reuse_address = True

    preview: Preview  # set once listening, before the first request is answered

    def __init__(self, host: str, port: int) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.requests = 0  # answered or under way, for the idle limit
        super().__init__((host, port), PreviewHandler)


class PreviewHandler(SimpleHTTPRequestHandler):
    """The preview's pages (reload script and error added), its status, and the commands handed over."""

    server: PreviewServer

    def __init__(self, request: Any, client_address: Any, server: PreviewServer) -> None:
        super().__init__(request, client_address, server, directory=str(server.preview.html))

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        """A page, another file of the book, or the status."""
        self.server.requests += 1
        preview = self.server.preview
        path = urllib.parse.urlsplit(self.path).path
        status = preview.status
        if path == STATUS_PATH:
            self.send(200, "application/json", json.dumps(asdict(status)).encode())
            return
        file = Path(self.translate_path(self.path))
        if file.is_dir() and not path.endswith("/"):
            self.send_response(301)
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        file = file / "index.html" if file.is_dir() else file
        with preview.pages:
            if not (preview.html / "index.html").is_file():
                body, kind, code = waiting_page(status.version, status.error), "text/html; charset=utf-8", 503
            elif file.is_file() and file.suffix == ".html":
                page = with_preview(file.read_bytes(), status.version, status.error)
                body, kind, code = page, "text/html; charset=utf-8", 200
            elif file.is_file():
                body, kind, code = file.read_bytes(), self.guess_type(str(file)), 200
            else:
                body, kind, code = b"Not found\n", "text/plain; charset=utf-8", 404
        self.send(code, kind, body)

    def do_POST(self) -> None:  # noqa: N802
        """``deepseek-shock run`` or ``build`` handed over: a JSON request, a JSON answer."""
        self.server.requests += 1
        path = urllib.parse.urlsplit(self.path).path
        if path not in (RUN_PATH, BUILD_PATH):
            self.send_json(404, {"error": "not found"})
            return
        if self.headers.get_content_type() != "application/json":
            self.send_json(415, {"error": "expected a JSON request"})
            return
        try:
            request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            if path == RUN_PATH:
                work = run_request(self.server.preview, request)
            else:
                work = build_request(self.server.preview, request)
        except (ValueError, KeyError, TypeError):
            expected = RUN_REQUEST if path == RUN_PATH else BUILD_REQUEST
            self.send_json(BAD_INPUT, {"error": f"expected {expected}"})
            return
        try:
            answer, report = work.do()
        except NotServed as refusal:
            self.send_json(NOT_SERVED, {"error": str(refusal)})
            return
        except UserError as error:
            print(f"{work.asked}: error: {error}", file=sys.stderr, flush=True)
            self.send_json(BAD_INPUT, {"error": str(error)})
            return
        print(f"{work.asked}: {report}", flush=True)
        self.send_json(200, answer)

    def send(self, code: int, kind: str, body: bytes) -> None:
        """One complete response, never cached (every reload must see the latest build)."""
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, code: int, document: dict[str, Any]) -> None:
        """``document`` as a JSON response."""
        self.send(code, "application/json", json.dumps(document).encode())

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
        """Requests are not logged: the terminal is for builds."""


RUN_REQUEST = '{"notebook": NAME, "set": [KEY=VALUE, …], "snapshot": ID}'
BUILD_REQUEST = '{"inputs": DIGEST, "snapshot": ID}'


@dataclass(frozen=True)
class Handed:
    """A command handed to the preview: how the terminal names it, and the work, which returns the
    answer and the terminal's one-line report."""

    asked: str
    do: Callable[[], tuple[dict[str, Any], str]]


def run_request(preview: Preview, request: dict[str, Any]) -> Handed:
    """``run`` from its JSON request (a TypeError or KeyError if the request is malformed)."""
    notebook, overrides, snapshot_id = request["notebook"], request["set"], request["snapshot"]
    if not isinstance(notebook, str) or not all(isinstance(item, str) for item in overrides):
        raise TypeError

    def do() -> tuple[dict[str, Any], str]:
        answer = preview.run(notebook, overrides, snapshot_id)
        done = f"executed in {answer['seconds']:.1f} s" if answer["executed"] else "cached"
        return answer, f"{done}; page in {shown(Path(answer['folder']))}/html/"

    return Handed(" ".join(["run", notebook, *(f"--set {item}" for item in overrides)]), do)


def build_request(preview: Preview, request: dict[str, Any]) -> Handed:
    """``build`` from its JSON request (a TypeError or KeyError if the request is malformed)."""
    inputs, snapshot_id = request["inputs"], request["snapshot"]
    if not isinstance(inputs, str):
        raise TypeError

    def do() -> tuple[dict[str, Any], str]:
        done = preview.publish(inputs, snapshot_id)
        return {"done": done}, done

    return Handed("build", do)


def watchers() -> list[Watcher]:
    """What to watch: the book's inputs, and (less often) the library's source."""
    return [Watcher(project_root() / name for name in WATCHED), Watcher([package_dir()], SLOW_POLL_SECONDS)]


def keep_building(
    preview: Preview, watching: list[Watcher], stop: threading.Event, ready: Callable[[], None]
) -> None:
    """Build now, call ``ready``, then build again after every change the watchers report, until
    ``stop`` is set."""
    label, changed = "First build", None
    while not stop.is_set():
        try:
            print(f"{label}: {preview.build(changed)}", flush=True)
        except UserError as error:
            if not stop.is_set():
                print(f"{label}: error: {error}", file=sys.stderr, flush=True)
        if changed is None:
            ready()
        changed = []
        while not changed and not stop.wait(POLL_SECONDS):
            changed = [path for watcher in watching for path in watcher.changes()]
        label = ", ".join(shown(path) for path in changed) + " changed"


def connect_url(host: str, port: int) -> str:
    """Where a browser or ``deepseek-shock run`` on this machine reaches a server listening on ``host``."""
    host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def announce(url: str, idle_minutes: float | None, ready: bool) -> None:
    """Say in ``_build/preview/server.json`` that this process serves the preview at ``url`` (and,
    once ``ready``, that its first build is done: commands hand it their work only then)."""
    state = {"url": url, "pid": os.getpid(), "idle_minutes": idle_minutes, "ready": ready}
    write_atomic(state_file(), json.dumps(state))


def announced() -> bool:
    """Whether ``_build/preview/server.json`` names this process."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        return json.loads(state_file().read_text(encoding="utf-8")).get("pid") == os.getpid()
    return False


def withdraw() -> None:
    """Remove ``_build/preview/server.json`` if it is this process's."""
    if announced():
        with contextlib.suppress(OSError):
            state_file().unlink()


def take_over(idle_minutes: float | None) -> bool:
    """Whether this server may start: none is running, or the one running is a kept server (one
    with an idle limit) and this one has none, in which case it is stopped first.

    A kept server never replaces another (False); a server without an idle limit already running is
    a UserError.
    """
    running = server_state()
    if running is None:
        return True
    where = f"{running['url']} (process {running['pid']})"
    if idle_minutes is not None:
        print(f"A preview server already serves this project at {where}; not starting another.")
        return False
    if running.get("idle_minutes") is None:
        raise UserError(
            f"a preview server already serves this project at {where}; expected none: stop it first "
            "(Ctrl-C in its terminal, or deepseek-shock serve --stop)"
        )
    print(f"Stopping the preview server that build and run kept at {where}…", flush=True)
    if not stop_server(running):
        raise UserError(f"the preview server at {where} did not stop; expected it to within 2 minutes")
    return True


def stop_requested() -> Callable[[], bool]:
    """Install SIGINT and SIGTERM handlers that ask the server to stop; whether one has been received."""
    received: list[int] = []

    def handler(number: int, frame: object) -> None:
        if not received:
            print("Stopping (a build under way is abandoned): shutting the kernels down…", flush=True)
        received.append(number)

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, handler)
    return lambda: bool(received)


def serve(host: str, port: int, idle_minutes: float | None = None) -> None:
    """Serve the preview on ``host:port`` until SIGINT or SIGTERM (or, with ``idle_minutes``, until
    idle that long); then stop with every kernel shut down."""
    if not take_over(idle_minutes):
        return
    stopping = stop_requested()
    try:
        try:
            server = PreviewServer(host, port)
        except OSError as error:
            raise UserError(
                f"--host {host} --port {port}: cannot listen there ({error.strerror or error}); "
                "expected an address of this machine and a free port (--port 0 takes any free one)"
            ) from None
        with server:
            preview = server.preview = Preview()
            try:
                url = connect_url(host, server.server_address[1])
                serve_until_stopped(server, url, stopping, idle_minutes)
            finally:
                preview.close()
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    print("Stopped; every kernel is shut down.", flush=True)


def serve_until_stopped(
    server: PreviewServer, url: str, stopping: Callable[[], bool], idle_minutes: float | None
) -> None:
    """Build, watch and answer requests until ``stopping()`` (or a kept server's ``Lapse``); then
    stop building and answering."""
    preview = server.preview
    watching = watchers()
    stop = threading.Event()

    def ready() -> None:
        if announced():  # not withdrawn meanwhile
            announce(url, idle_minutes, ready=True)

    builder = threading.Thread(target=keep_building, args=(preview, watching, stop, ready), daemon=True)
    listener = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    announce(url, idle_minutes, ready=False)
    builder.start()
    listener.start()
    lapse = Lapse(idle_minutes) if idle_minutes is not None else None
    try:
        until = (
            "Ctrl-C" if lapse is None else f"{idle_minutes:g} idle minutes, or deepseek-shock serve --stop"
        )
        print(f"Serving the book at {url} (until {until})", flush=True)
        print(
            "Watching params/, notebooks/, data/, book/ and the library; "
            "writing only under _build/ (never site/)",
            flush=True,
        )
        while not stopping():
            time.sleep(0.2)
            if lapse is None:
                continue
            status = preview.status
            reason = lapse.check(
                (server.requests, status.version),
                status.building,
                not announced(),
                lambda: preview.library_changed() is not None,
            )
            if reason:
                print(f"Stopping: {reason}.", flush=True)
                break
    finally:
        stop.set()
        server.shutdown()
        preview.stop()
        builder.join()
        withdraw()

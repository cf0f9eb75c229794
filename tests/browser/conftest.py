"""One real published site shared by the browser tests: two editions, a local server and Chromium.

``published`` copies the project, publishes v1.0.0, changes a parameter and drops a claim, then
publishes v1.1.0, so the second edition has verdicts that flipped and a claim removed. ``server``
serves the copy's folder over HTTP on 127.0.0.1 so the site sits in a subfolder (``/site/``), with
the cache lifetime GitHub Pages sends. ``browser`` (in ``tests/conftest.py``) is Debian's Chromium.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from deepseek_shock.cli import main
from tests.conftest import copy_project

REPOSITORY = Path(__file__).resolve().parents[2]
AXE = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"
OLDER, NEWER = "v1.0.0", "v1.1.0"
NEW_PRICE = 2.5  # USD per GPU-hour in the second edition (the report's own is 2.0)


@dataclass(frozen=True)
class Published:
    """The project copy holding two published editions."""

    project: Path
    removed_claim: str
    older_digest: dict[str, str]

    @property
    def site(self) -> Path:
        return self.project / "site"

    def edition(self, version: str) -> dict[str, Any]:
        return json.loads((self.site / version / "_data" / "edition.json").read_text())

    def pages(self, version: str) -> list[str]:
        return self.edition(version)["pages"]


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` by relative path -> sha256."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def change_for_second_edition(project: Path) -> str:
    """Raise the training-cost price and drop one training-cost claim; returns the dropped id."""
    params = project / "params" / "training_cost.yaml"
    text = params.read_text()
    assert "price_per_gpu_hour: null" in text
    params.write_text(text.replace("price_per_gpu_hour: null", f"price_per_gpu_hour: {NEW_PRICE}"))
    registry = project / "data" / "claims.yaml"
    claims = yaml.safe_load(registry.read_text(encoding="utf-8"))
    related = {other for claim in claims["claims"] for other in claim.get("related", [])}
    dropped = next(
        claim
        for claim in reversed(claims["claims"])
        if claim.get("notebook") == "training_cost" and claim["id"] not in related
    )
    claims["claims"].remove(dropped)
    registry.write_text(yaml.safe_dump(claims, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dropped["id"]


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    """Two editions published from a private copy of the project (two real builds)."""
    project = copy_project(tmp_path_factory.mktemp("published") / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DEEPSEEK_SHOCK_ROOT", str(project))
        assert main(["publish", OLDER]) == 0
        older_digest = tree_digest(project / "site" / OLDER)
        removed = change_for_second_edition(project)
        assert main(["publish", NEWER]) == 0
    yield Published(project, removed, older_digest)


class PagesLikeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files as GitHub Pages serves them: gzip for text when asked, a 10-minute cache lifetime."""

    compressible = (".html", ".js", ".css", ".json", ".svg", ".txt", ".csv", ".ipynb", ".md")

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.is_file() and path.suffix in self.compressible):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def server(published: Published) -> Iterator[str]:
    """The site served from the subfolder ``/site/`` on 127.0.0.1 (like GitHub Pages); yields its base URL."""
    handler = functools.partial(PagesLikeHandler, directory=str(published.project))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/site/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from npm (``npm ci``; ``make test`` runs it)."""
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(REPOSITORY)} is missing: run `npm ci` (make test does)")
    return AXE

"""Render the executed notebooks and the prose pages into a static site with Jupyter Book 1.

The book is assembled in ``_build/stage/`` (config, prose, executed notebooks, generated pages,
downloads and static assets), written file by file only where the bytes changed so Sphinx
re-reads only what changed. Jupyter Book builds into ``_build/sphinx/``; the finished HTML then
replaces ``_build/html/`` in one step, so a failed build leaves the previous site in place.

A published edition (``render_edition``, used by ``deepseek-shock publish``) is the same book with
its version, commit, data snapshot and parameters hash in every page's footer, the edition
switcher fed by the site-level ``versions.js``, and a generated "What changed" page.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from deepseek_shock.build.cjk_font import font_files
from deepseek_shock.build.data_page import data_sources_markdown
from deepseek_shock.build.front_page import FRONT_PAGE, front_page_markdown, headline_chart_cached
from deepseek_shock.build.icon_font import trim_icons
from deepseek_shock.build.vega import vega_files
from deepseek_shock.build.warm_book import WarmBook
from deepseek_shock.claims import ledger
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError
from deepseek_shock.paths import build_dir, checked_file, project_root, vendor_cache_dir

BOOK_FILES = ("_config.yml", "_toc.yml")
DIGEST_FILE = ".stage-digest"
INPUTS_FILE = ".render-key"
# Present while Jupyter Book writes _build/sphinx/: a render killed half-way leaves pages that look
# up to date to Sphinx, so the next render starts that folder afresh.
RENDERING_FILE = ".rendering"
TEMPLATES = Path(__file__).resolve().parent / "templates"
CHANGES_PAGE = "book/changes"
# The site-level list of editions, one folder above an edition's root. Sphinx resolves script paths
# from _static/, so this reaches <site>/versions.js from any page of <site>/<version>/.
SITE_VERSIONS_SCRIPT = "../../versions.js"
# Copied as is to the site's root (``html_extra_path`` in _config.yml): assets no page loads by default,
# kept out of _static/, whose every script Jupyter Book adds to every page.
EXTRA_DIR = "_extra"


@dataclass(frozen=True)
class Edition:
    """What a published edition states about itself, and its "What changed" page (MyST Markdown)."""

    version: str
    commit: str
    snapshot: str
    parameters_hash: str
    published: str
    changes: str


def template_files() -> dict[str, bytes]:
    """The theme templates the report overrides (``_templates/`` in the book), by staged path."""
    return {
        f"_templates/{path.relative_to(TEMPLATES).as_posix()}": path.read_bytes()
        for path in sorted(TEMPLATES.rglob("*.html"))
    }


def static_files() -> dict[str, bytes]:
    """The site's own stylesheet, scripts, Vega and theme templates, by staged path."""
    root = project_root()
    files = {
        path.relative_to(root).as_posix(): checked_file(path).read_bytes()
        for path in sorted((root / "_static").rglob("*"))
        if path.is_file()
    }
    files.update({f"{EXTRA_DIR}/{name}": content for name, content in vega_files().items()})
    files.update(template_files())
    return files


def edition_footer(edition: Edition) -> str:
    """The footer line of every page of ``edition``: version, commit, snapshot, parameters hash."""
    facts = [
        ("version", "Edition", edition.version),
        ("commit", "commit", edition.commit),
        ("snapshot", "data snapshot", edition.snapshot),
        ("parameters", "parameters", edition.parameters_hash),
        ("published", "published", edition.published),
    ]
    items = " · ".join(
        f'{label} <code class="ds-edition-{key}">{html.escape(value)}</code>' for key, label, value in facts
    )
    return f'<p class="ds-edition-footer">{items}</p>'


def edition_config(config: bytes, edition: Edition) -> bytes:
    """``_config.yml`` for ``edition``: its footer, its version, and the site's list of editions."""
    data = yaml.safe_load(config) or {}
    data.setdefault("html", {})["extra_footer"] = edition_footer(edition)
    sphinx_config = data.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["version"] = sphinx_config["release"] = edition.version
    sphinx_config["html_js_files"] = [*sphinx_config.get("html_js_files", []), SITE_VERSIONS_SCRIPT]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()


def toc_files(entries: object) -> list[str]:
    """Every ``file:`` named anywhere in a parsed ``_toc.yml``."""
    if isinstance(entries, dict):
        own = [entries["file"]] if isinstance(entries.get("file"), str) else []
        return own + [name for value in entries.values() for name in toc_files(value)]
    if isinstance(entries, list):
        return [name for entry in entries for name in toc_files(entry)]
    return []


def toc_with_changes(toc: bytes) -> bytes:
    """``_toc.yml`` with the "What changed" page last in the last part (unless it is listed already)."""
    data = yaml.safe_load(toc)
    if CHANGES_PAGE in toc_files(data):
        return toc
    if data.get("parts"):
        data["parts"][-1].setdefault("chapters", []).append({"file": CHANGES_PAGE})
    else:
        data.setdefault("chapters", []).append({"file": CHANGES_PAGE})
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()


def stage_contents(notebooks: Mapping[str, Path], edition: Edition | None = None) -> dict[str, bytes]:
    """Every file of the book to render, by its path relative to the book root.

    ``notebooks`` are executed notebooks in the pipeline's cache, their recorded results beside them.
    Besides the project's files: the generated pages (the landing page's front part, the ledger, the data
    page), the downloads, and the font subset for every Chinese character the staged pages hold.
    """
    root = project_root()
    files: dict[str, bytes] = {name: (root / name).read_bytes() for name in BOOK_FILES}
    files.update(static_files())
    for path in sorted((root / "book").rglob("*")):
        if path.is_file():
            files[path.relative_to(root).as_posix()] = checked_file(path).read_bytes()
    for name, executed in notebooks.items():
        files[f"notebooks/{name}.ipynb"] = executed.read_bytes()
    files["book/data_sources.md"] = data_sources_markdown(download_prefix="../data").encode()
    rows = ledger.ledger_rows(
        {name: json.loads(path.with_name("results.json").read_text()) for name, path in notebooks.items()}
    )
    read = {name: json.loads(files[f"notebooks/{name}.ipynb"]) for name in notebooks}  # titles only
    chart = headline_chart_cached(build_dir() / "cache" / "front_page")
    files[FRONT_PAGE] = front_page_markdown(rows, read, chart).encode()
    files["book/ledger.md"] = ledger.page_markdown(rows, download_prefix="../data").encode()
    files["data/ledger.json"] = ledger.ledger_json(rows).encode()
    files["data/ledger.csv"] = ledger.ledger_csv(rows).encode()
    for table, entry in snapshot.load_manifest()["tables"].items():
        files[f"data/{entry['file']}"] = snapshot.table_path(table).read_bytes()
    files.update(font_files(files, vendor_cache_dir()))
    return files if edition is None else as_edition(files, edition)


def as_edition(files: Mapping[str, bytes], edition: Edition) -> dict[str, bytes]:
    """The staged book ``files`` as ``edition``: its config and table of contents, and its changes page."""
    return {
        **files,
        "_config.yml": edition_config(files["_config.yml"], edition),
        "_toc.yml": toc_with_changes(files["_toc.yml"]),
        f"{CHANGES_PAGE}.md": edition.changes.encode(),
    }


def digest(files: Mapping[str, bytes]) -> str:
    """One hash over a staged book's paths and contents."""
    hasher = hashlib.sha256()
    for name in sorted(files):
        hasher.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return hasher.hexdigest()


def sync(files: Mapping[str, bytes], stage: Path) -> None:
    """Make ``stage`` hold exactly ``files``, touching only what differs."""
    for name, content in files.items():
        path = stage / name
        if path.exists() and path.read_bytes() == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    for path in sorted(stage.rglob("*"), reverse=True):
        relative = path.relative_to(stage).as_posix()
        if path.is_file() and relative not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def jupyter_book(stage: Path, output: Path, log: Path, book: WarmBook | None = None) -> None:
    """Run ``jupyter-book build`` (warnings are errors); a failure names its first problem.

    With ``book``, the command runs in that process started ahead of time, else in a new one; either
    way the process ends with this one, even when this one is killed.
    """
    arguments = [
        "build",
        str(stage),
        "--path-output",
        str(output),
        "--warningiserror",
        "--keep-going",
        "--quiet",
    ]
    completed = book.run(arguments) if book is not None else None
    if completed is None:  # none started ahead, or it died: a new one takes the command at once
        with WarmBook() as fresh:
            completed = fresh.run(arguments) or fresh.failure(arguments)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(completed.stdout + completed.stderr, encoding="utf-8")
    if completed.returncode != 0:
        output = re.sub(r"\x1b\[[0-9;]*m", "", completed.stderr + completed.stdout)
        lines = [line for line in output.splitlines() if line.strip()]
        problem = next(
            (line for line in lines if "WARNING" in line or "ERROR" in line), lines[-1] if lines else ""
        )
        raise UserError(
            f"Jupyter Book failed: {problem.strip()} — full log at {log.relative_to(project_root())}; "
            "the previous site is unchanged"
        )


def publish_html(built: Path, target: Path, stage_digest: str) -> None:
    """Replace ``target`` with a copy of ``built`` (its icon font trimmed) in one rename, stamped with
    the stage digest. ``built`` stays as Sphinx wrote it, so its next incremental build finds it so."""
    fresh = target.with_name(target.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(built, fresh)
    trim_icons(fresh)
    (fresh / DIGEST_FILE).write_text(stage_digest)
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(fresh, target)
    shutil.rmtree(old, ignore_errors=True)


def with_announcement(config: bytes, text: str) -> bytes:
    """``_config.yml`` with a banner on every page (how a scenario edition labels itself)."""
    data = yaml.safe_load(config) or {}
    data.setdefault("html", {})["announcement"] = html.escape(text)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()


def render(
    notebooks: Mapping[str, Path],
    build: Path,
    announcement: str | None = None,
    book: WarmBook | None = None,
) -> bool:
    """Render the book into ``build/html``; returns False when the site was already up to date.

    ``announcement`` puts a banner on every page (a scenario edition names itself there); ``book``
    is a Jupyter Book process started ahead of time (it also caches the Vega bundle).
    """
    html = build / "html"
    inputs = render_key(notebooks, announcement)
    if (html / INPUTS_FILE).exists() and (html / INPUTS_FILE).read_text() == inputs:
        return False
    if book is not None:
        book.wait_ready()
    files = stage_contents(notebooks)
    if announcement:
        files["_config.yml"] = with_announcement(files["_config.yml"], announcement)
    stage_digest = digest(files)
    stamp = html / DIGEST_FILE
    if stamp.exists() and stamp.read_text() == stage_digest:
        (html / INPUTS_FILE).write_text(inputs)
        return False
    stage = build / "stage"
    sync(files, stage)
    sphinx_out = build / "sphinx"
    rendering = build / RENDERING_FILE
    if rendering.exists():  # the last render was killed or failed: its output is not to be trusted
        shutil.rmtree(sphinx_out, ignore_errors=True)
    rendering.write_text("")
    try:
        jupyter_book(stage, sphinx_out, build / "logs" / "jupyter-book.log", book)
    except UserError:  # Jupyter Book ran to its end and refused: what it wrote is consistent
        rendering.unlink()
        raise
    rendering.unlink()
    publish_book(sphinx_out / "_build" / "html", files, stage_digest, html, inputs)
    return True


def publish_book(built: Path, files: Mapping[str, bytes], stage_digest: str, html: Path, key: str) -> None:
    """Make ``html`` the book Sphinx wrote into ``built`` from the staged ``files`` (whose ``digest``
    is ``stage_digest``), its static files copied and its render key (``render_key``) recorded, so
    the next ``render`` of the same inputs finds it current."""
    copy_assets(files, built)
    publish_html(built, html, stage_digest)
    (html / INPUTS_FILE).write_text(key)


def copy_assets(files: Mapping[str, bytes], built: Path) -> None:
    """Write the staged static and extra files into Sphinx's output where their bytes differ.

    Sphinx copies them only when some page needs rewriting ("no targets are out of date" skips the
    copy), so a change to the stylesheet or a script alone would otherwise never reach the site.
    """
    for name, content in files.items():
        first, _, rest = name.partition("/")
        if first not in ("_static", EXTRA_DIR) or not rest:
            continue
        target = built / ("_static" if first == "_static" else "") / rest
        if not target.exists() or target.read_bytes() != content:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)


def render_key(notebooks: Mapping[str, Path], announcement: str | None) -> str:
    """One hash over everything a rendered book depends on, cheap to compute.

    The executed notebooks are named by their cache entries (content addresses); the rest is the
    book's own files, the claims and seeds, the active snapshot's manifest, the library's code and
    the lock. When it matches the last render's, nothing is staged or rendered.
    """
    from deepseek_shock.build.pipeline import LOCK_FILE, file_sha256, library_sha256

    root = project_root()
    hasher = hashlib.sha256()
    for name in sorted(notebooks):
        hasher.update(f"{name}={notebooks[name]}\n".encode())
    sources = [root / name for name in (*BOOK_FILES, LOCK_FILE)]
    for folder in (root / "book", root / "_static", TEMPLATES, root / "data" / "seeds"):
        sources += sorted(path for path in folder.rglob("*") if path.is_file())
    sources += [root / "data" / "claims.yaml", snapshot.snapshot_dir() / snapshot.MANIFEST_NAME]
    for path in sources:
        if path.exists():
            hasher.update(f"{path}={file_sha256(path)}\n".encode())
    hasher.update(f"library={library_sha256()}\nannouncement={announcement}\n".encode())
    return hasher.hexdigest()


def redirect_target(page: str) -> str:
    """Where a Jupyter Book ``index.html`` (a bare refresh to the root page) sends the reader."""
    found = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', page, re.IGNORECASE)
    return found.group(1) if found else "book/intro.html"


def book_title() -> str:
    """The report's title, from ``_config.yml``."""
    config = yaml.safe_load((project_root() / "_config.yml").read_text(encoding="utf-8")) or {}
    return str(config.get("title") or "The DeepSeek Shock, Reproduced")


def redirect_page(target: str, version: str) -> str:
    """A complete page that sends the reader to ``target``: titled, with a link, fetching nothing else."""
    title = html.escape(book_title())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="0; url={html.escape(target)}">
<link rel="icon" href="data:,">
<title>{title}, {html.escape(version)}</title>
</head>
<body>
<main><p><a href="{html.escape(target)}">{title}, edition {html.escape(version)}</a></p></main>
</body>
</html>
"""


def render_edition(notebooks: Mapping[str, Path], build: Path, edition: Edition, output: Path) -> None:
    """Render ``edition`` of the book from scratch into the new folder ``output``.

    Staged in ``build/publish/``, apart from ``make book``'s stage, so neither invalidates the other.
    """
    work = build / "publish"
    shutil.rmtree(work / "sphinx", ignore_errors=True)
    sync(stage_contents(notebooks, edition), work / "stage")
    jupyter_book(work / "stage", work / "sphinx", build / "logs" / f"publish-{edition.version}.log")
    shutil.copytree(work / "sphinx" / "_build" / "html", output)
    trim_icons(output)
    index = output / "index.html"
    index.write_text(redirect_page(redirect_target(index.read_text()), edition.version), encoding="utf-8")
    shutil.rmtree(work / "sphinx", ignore_errors=True)


def run_folder(name: str, key: str) -> Path:
    """``_build/runs/<notebook>-<key prefix>/``: one run's executed notebook, results and page."""
    return build_dir() / "runs" / f"{name}-{key[:12]}"


def run_book(name: str, executed: Path) -> dict[str, bytes]:
    """Every file of the one-page book of one executed notebook, by its path relative to the book root
    (the Chinese font subset for the characters it holds included)."""
    files = {
        "_config.yml": (project_root() / "_config.yml").read_bytes(),
        "_toc.yml": f"format: jb-book\nroot: {name}\n".encode(),
        f"{name}.ipynb": executed.read_bytes(),
        **static_files(),
    }
    files.update(font_files(files, vendor_cache_dir()))
    return files


def install_run(scratch: Path, folder: Path, name: str, executed: Path) -> None:
    """Add the notebook and its results to the run rendered into ``scratch/html``, then make it ``folder``.

    ``folder`` is replaced in one rename; ``scratch`` holds nothing else.
    """
    trim_icons(scratch / "html")
    shutil.copy2(executed, scratch / f"{name}.ipynb")
    shutil.copy2(executed.with_name("results.json"), scratch / "results.json")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(scratch, folder)


def render_run(name: str, executed: Path, folder: Path, book: WarmBook | None = None) -> None:
    """A one-page book of one executed notebook in ``folder`` (written whole, or not at all)."""
    if book is not None:
        book.wait_ready()
    scratch = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        sync(run_book(name, executed), scratch / "stage")
        jupyter_book(scratch / "stage", scratch / "sphinx", build_dir() / "logs" / f"run-{name}.log", book)
        os.replace(scratch / "sphinx" / "_build" / "html", scratch / "html")
        shutil.rmtree(scratch / "stage")
        shutil.rmtree(scratch / "sphinx")
        install_run(scratch, folder, name, executed)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

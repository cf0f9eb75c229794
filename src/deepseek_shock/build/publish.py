"""Publish the book as a fixed edition beside the earlier ones.

``site/`` holds every published edition::

    site/index.html      sends readers to the newest edition; lists them all
    site/versions.json   the editions, newest first (pydata-sphinx-theme's switcher format, plus provenance)
    site/versions.js     the same list as a script, for the edition switcher on pages opened from disk
    site/latest/         a copy of the newest edition
    site/vX.Y.Z/         one edition; never changed once published (unless replaced with --force)
        _data/edition.json   version, commit, snapshot, parameters hash, date, pages
        _data/results.json   every recorded value, with each notebook's parameters
        _data/verdicts.json  every claim's verdict

An edition is built in a work folder and everything that changes — the new folder, ``latest/``,
``versions.json``, ``versions.js``, ``index.html`` — is prepared there first, then moved into place
by renames; if any step fails, what was moved is put back, so the site is either as it was or fully
updated. The work folder is in ``_build/publish/`` when that is on the site's file system, so a
publish killed before its final renames leaves ``site/`` byte for byte as it was. Earlier editions'
folders are never written to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from deepseek_shock.build import pipeline, site
from deepseek_shock.build.lock import build_lock
from deepseek_shock.chapters.catalog import SCHEMAS
from deepseek_shock.claims.evidence import reproduced
from deepseek_shock.claims.registry import UNITS, judged, load_claims
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.claims.wording import VERDICT_LABELS, quantity_text
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError
from deepseek_shock.paths import build_dir, project_root

VERSION_PATTERN = re.compile(r"v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
DATA_DIR = "_data"
LATEST = "latest"
WORK_PREFIX = ".publish-"

Record = dict[str, Any]


def version_key(version: str) -> tuple[int, int, int]:
    """``vX.Y.Z`` as ``(X, Y, Z)``, for ordering; anything else is one clear ``UserError``."""
    match = VERSION_PATTERN.fullmatch(version)
    if not match:
        raise UserError(f"version {version!r}: expected vMAJOR.MINOR.PATCH, e.g. v1.0.0")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def site_dir() -> Path:
    """``site/``: every published edition."""
    return project_root() / "site"


def published_versions(root: Path) -> list[str]:
    """The editions published in ``root``, newest first."""
    if not root.is_dir():
        return []
    found = [
        path.name
        for path in root.iterdir()
        if VERSION_PATTERN.fullmatch(path.name) and (path / DATA_DIR / "edition.json").is_file()
    ]
    return sorted(found, key=version_key, reverse=True)


def previous_version(root: Path, version: str) -> str | None:
    """The newest edition in ``root`` older than ``version``, if any."""
    older = [other for other in published_versions(root) if version_key(other) < version_key(version)]
    return older[0] if older else None


def read_data(edition: Path, name: str) -> Any:
    """One of an edition's ``_data/<name>.json`` files."""
    return json.loads((edition / DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def git_commit() -> str:
    """``git rev-parse --short HEAD`` of the project, ``+dirty`` if the tree has changes; else ``unknown``."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=project_root(), capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        dirty = bool(git("status", "--porcelain"))
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")


def parameters_hash(results: Mapping[str, Any]) -> str:
    """A short hash of every notebook's parameters in a ``results.json`` document."""
    parameters = {name: entry["parameters"] for name, entry in results["notebooks"].items()}
    text = json.dumps(parameters, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def published_date() -> str:
    """Today (UTC) as ``YYYY-MM-DD``, or the date of ``$SOURCE_DATE_EPOCH`` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.date().isoformat()


def recorded_value(results: Mapping[str, Any], notebook: str | None, key: str | None) -> Any:
    """The value ``notebook`` recorded under ``key`` in a ``results.json`` document, or None."""
    entry = results["notebooks"].get(notebook or "", {}).get("results", {}).get(key or "")
    return entry["value"] if entry else None


def verdict_records(results: Mapping[str, Any]) -> list[Record]:
    """Every claim in the registry with its reproduced value and verdict under ``results``.

    A checkable claim whose notebook recorded no value gets the verdict ``None``.
    """
    records = []
    for claim in load_claims():
        recorded = (
            {claim.result: recorded_value(results, claim.notebook, claim.result)} if claim.result else {}
        )
        computed = reproduced(claim, recorded)
        wanted = str if claim.unit == "date" else int | float
        if claim.checkable and (not isinstance(computed, wanted) or isinstance(computed, bool)):
            outcome = None
        else:
            outcome = judged(claim, computed)[0].value
        records.append(
            {
                "id": claim.id,
                "claim_en": claim.claim_en,
                "notebook": claim.notebook,
                "result": claim.result,
                "reported": claim.reported,
                "unit": claim.unit,
                "computed": computed,
                "verdict": outcome,
                "change_note": claim.change_note,
            }
        )
    return records


# --- The "What changed" page ---------------------------------------------------------------


def md(text: object) -> str:
    """``text`` safe inside a Markdown table cell."""
    escaped = re.sub(r"([\\`*_\[\]<>|$])", r"\\\1", str(text))
    return escaped.replace("\n", " ")


def value_text(value: Any, unit: str) -> str:
    """A recorded value with its unit, as the chapters write it."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if unit in UNITS:
        return quantity_text(value, unit)
    return f"{value:,.6g} {unit}"


def change_text(before: Any, after: Any) -> str:
    """The relative change from ``before`` to ``after`` in percent, where both are non-zero numbers."""
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (before, after))
    if not numbers or before == 0:
        return "—"
    return f"{(after - before) / abs(before) * 100:+.2f}%"


def moved(before: Any, after: Any) -> bool:
    """Whether a recorded value differs between editions (numbers beyond float noise)."""
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (before, after))
    if numbers:
        return not math.isclose(before, after, rel_tol=1e-9, abs_tol=1e-12)
    return before != after


def verdict_label(verdict: str | None) -> str:
    """A verdict in words."""
    return "no value recorded" if verdict is None else VERDICT_LABELS[Verdict(verdict)]


def table(header: Sequence[str], rows: Sequence[Sequence[str]], empty: str) -> str:
    """A Markdown table, or ``empty`` when there are no rows."""
    if not rows:
        return empty + "\n"
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def facts_table(editions: Sequence[Mapping[str, Any]]) -> str:
    """The editions' provenance side by side."""
    rows = [
        [label, *(f"`{edition[key]}`" for edition in editions)]
        for label, key in [
            ("Published", "published"),
            ("Commit", "commit"),
            ("Data snapshot", "snapshot"),
            ("Parameters hash", "parameters_hash"),
        ]
    ]
    return table(["Edition", *(edition["version"] for edition in editions)], rows, "")


def verdict_cell(record: Record) -> str:
    """A claim's verdict in words with the value it was judged on."""
    return f"{verdict_label(record['verdict'])} ({md(value_text(record['computed'], record['unit']))})"


def verdict_rows(before: Sequence[Record], after: Sequence[Record]) -> list[list[str]]:
    """Claims in both editions whose verdict differs, with the reason the registry gives for the change."""
    old = {record["id"]: record for record in before}
    return [
        [
            f"`{record['id']}`",
            md(record["claim_en"]),
            verdict_cell(old[record["id"]]),
            verdict_cell(record),
            md(record.get("change_note") or "—"),
        ]
        for record in after
        if record["id"] in old and old[record["id"]]["verdict"] != record["verdict"]
    ]


def claim_rows(records: Sequence[Record], missing_from: Sequence[Record]) -> list[list[str]]:
    """Claims in ``records`` that ``missing_from`` does not have."""
    others = {record["id"] for record in missing_from}
    return [
        [f"`{record['id']}`", md(record["claim_en"]), verdict_label(record["verdict"])]
        for record in records
        if record["id"] not in others
    ]


def parameter_rows(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[list[str]]:
    """Parameters whose published value differs, by notebook (a notebook's absence shows as —)."""
    rows = []
    for notebook in sorted(set(before["notebooks"]) | set(after["notebooks"])):
        old = before["notebooks"].get(notebook, {}).get("parameters", {})
        new = after["notebooks"].get(notebook, {}).get("parameters", {})
        for name in sorted(set(old) | set(new)):
            if old.get(name, "—") != new.get(name, "—"):
                rows.append(
                    [
                        f"`{notebook}`",
                        f"`{name}`",
                        md(json.dumps(old.get(name, "—"))),
                        md(json.dumps(new.get(name, "—"))),
                    ]
                )
    return rows


def value_rows(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[list[str]]]:
    """Recorded values that moved, appeared or disappeared between editions, by notebook."""
    rows: dict[str, list[list[str]]] = {}
    for notebook in sorted(set(before["notebooks"]) | set(after["notebooks"])):
        old = before["notebooks"].get(notebook, {}).get("results", {})
        new = after["notebooks"].get(notebook, {}).get("results", {})
        for key in sorted(set(old) | set(new)):
            was, now = old.get(key, {}), new.get(key, {})
            if key in old and key in new and not moved(was["value"], now["value"]):
                continue
            unit = now.get("unit") or was.get("unit") or ""
            rows.setdefault(notebook, []).append(
                [
                    f"`{key}`",
                    md(value_text(was.get("value"), unit)) if was else "not recorded",
                    md(value_text(now.get("value"), unit)) if now else "not recorded",
                    change_text(was.get("value"), now.get("value")),
                ]
            )
    return rows


def values_section(before: Mapping[str, Any], after: Mapping[str, Any], versions: Sequence[str]) -> str:
    """Every recorded value that moved, one table per notebook."""
    by_notebook = value_rows(before, after)
    if not by_notebook:
        return "No recorded value moved.\n"
    return "\n".join(
        f"### Notebook `{notebook}`\n\n" + table(["Value", *versions, "Change"], rows, "")
        for notebook, rows in by_notebook.items()
    )


def changes_markdown(current: Mapping[str, Any], previous: Mapping[str, Any] | None) -> str:
    """The "What changed" page of an edition, compared with the edition before it.

    Each argument is ``{"edition": edition.json, "results": results.json, "verdicts": [...]}``.
    """
    edition = current["edition"]
    lines = ["# What changed in this edition", ""]
    if previous is None:
        counts: dict[str, int] = {}
        for record in current["verdicts"]:
            label = verdict_label(record["verdict"])
            counts[label] = counts.get(label, 0) + 1
        summary = "; ".join(f"{label.lower()}: {count}" for label, count in counts.items()) or "no claims"
        lines += [
            f"Edition **{edition['version']}** is the first published edition of this report: there is no "
            "earlier edition to compare it with. Later editions list here the verdicts that flipped, the "
            "claims added or removed, the parameters that changed and every recorded value that moved.",
            "",
            facts_table([edition]),
            f"It judges {len(current['verdicts'])} claims ({summary}).",
            "",
        ]
        return "\n".join(lines)
    old = previous["edition"]
    versions = [old["version"], edition["version"]]
    lines += [
        f"This page compares edition **{edition['version']}** with the edition before it, "
        f"**{old['version']}**: the verdicts that flipped, the claims added or removed, the parameters "
        "that changed and every recorded value that moved. It is generated when an edition is published, "
        "from the results both editions recorded.",
        "",
        facts_table([old, edition]),
        "## Verdicts that changed",
        "",
        table(
            ["Claim", "Claim in English", versions[0], versions[1], "Why"],
            verdict_rows(previous["verdicts"], current["verdicts"]),
            "No claim's verdict changed.",
        ),
        "## Claims added",
        "",
        table(
            ["Claim", "Claim in English", "Verdict"],
            claim_rows(current["verdicts"], previous["verdicts"]),
            "No claim was added.",
        ),
        "## Claims removed",
        "",
        table(
            ["Claim", "Claim in English", f"Verdict in {versions[0]}"],
            claim_rows(previous["verdicts"], current["verdicts"]),
            "No claim was removed.",
        ),
        "## Parameters that changed",
        "",
        table(
            ["Notebook", "Parameter", *versions],
            parameter_rows(previous["results"], current["results"]),
            "No published parameter changed.",
        ),
        "## Values that moved",
        "",
        values_section(previous["results"], current["results"], versions),
    ]
    return "\n".join(lines)


# --- Site-level files ------------------------------------------------------------------------


def edition_pages(html_root: Path) -> list[str]:
    """The pages of a rendered edition, relative to its root (theme and source folders left out)."""
    return sorted(
        path.relative_to(html_root).as_posix()
        for path in html_root.rglob("*.html")
        if not any(part.startswith("_") for part in path.relative_to(html_root).parts)
    )


def versions_document(editions: Sequence[Mapping[str, Any]]) -> list[Record]:
    """``versions.json``: newest first, in pydata-sphinx-theme's switcher format plus provenance."""
    newest = editions[0]["version"] if editions else None
    return [
        {
            "name": edition["version"] + (" (latest)" if edition["version"] == newest else ""),
            "version": edition["version"],
            "url": f"{edition['version']}/",
            "preferred": edition["version"] == newest,
            **{key: edition[key] for key in ("published", "commit", "snapshot", "parameters_hash")},
        }
        for edition in editions
    ]


def versions_script(editions: Sequence[Mapping[str, Any]]) -> str:
    """``versions.js``: the editions and their pages for the switcher (a script works from disk)."""
    document = {
        "latest": editions[0]["version"] if editions else None,
        "editions": [{"version": edition["version"], "pages": edition["pages"]} for edition in editions],
    }
    return "window.DEEPSEEK_SHOCK_EDITIONS = " + json.dumps(document, separators=(",", ":")) + ";\n"


def index_item(edition: Mapping[str, Any]) -> str:
    """One edition in the site's list of editions."""
    version, escape = edition["version"], html.escape
    return (
        f'<li><a href="{version}/index.html">{version}</a>, published {escape(edition["published"])} '
        f"(commit <code>{escape(edition['commit'])}</code>, "
        f"data snapshot <code>{escape(edition['snapshot'])}</code>)</li>"
    )


def index_page(editions: Sequence[Mapping[str, Any]]) -> str:
    """``site/index.html``: sends the reader to the newest edition and lists every edition."""
    newest = editions[0]["version"]
    title = html.escape(site.book_title())
    items = "\n".join(index_item(edition) for edition in editions)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url={newest}/index.html">
<link rel="icon" href="data:,">
<title>{title}: editions</title>
</head>
<body>
<main>
<h1>{title}</h1>
<p>The newest edition is <a href="{newest}/index.html">{newest}</a>.</p>
<h2>Every edition</h2>
<ul>
{items}
</ul>
</main>
</body>
</html>
"""


# --- Moving an edition into place ---------------------------------------------------------------


def remove(path: Path) -> None:
    """Delete a file or a folder."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def move_all(moves: Sequence[tuple[Path, Path]], trash: Path) -> None:
    """Rename each prepared path onto its target; on any failure put every target back as it was.

    A target that exists is first renamed into ``trash`` (same file system), so no step copies.
    """
    trash.mkdir(exist_ok=True)
    done: list[tuple[Path, Path | None]] = []
    try:
        for number, (prepared, target) in enumerate(moves):
            backup = None
            if target.exists() or target.is_symlink():
                backup = trash / f"{number}-{target.name}"
                os.replace(target, backup)
            done.append((target, backup))
            os.replace(prepared, target)
    except BaseException:
        for target, backup in reversed(done):
            if backup is not None and backup.exists():
                remove(target)
                os.replace(backup, target)
            elif backup is None:
                remove(target)
        raise


def install(root: Path, work: Path, version: str) -> None:
    """Move the edition built in ``work/<version>`` into ``root`` with the site-level files.

    Every file that changes is prepared inside ``work`` (on the same file system as ``root``)
    before the first rename.
    """
    built = work / version
    editions = {
        name: read_data(root / name, "edition") for name in published_versions(root) if name != version
    }
    editions[version] = read_data(built, "edition")
    ordered = [editions[name] for name in sorted(editions, key=version_key, reverse=True)]
    newest = ordered[0]["version"]

    (work / "versions.json").write_text(json.dumps(versions_document(ordered), indent=2) + "\n")
    (work / "versions.js").write_text(versions_script(ordered))
    (work / "index.html").write_text(index_page(ordered))
    (work / ".nojekyll").write_text("")
    moves = [(built, root / version)]
    if newest == version or not (root / LATEST).is_dir():
        shutil.copytree(built if newest == version else root / newest, work / LATEST)
        moves.append((work / LATEST, root / LATEST))
    moves += [
        (work / name, root / name) for name in ("versions.json", "versions.js", "index.html", ".nojekyll")
    ]
    move_all(moves, work / ".replaced")


# --- Publishing -----------------------------------------------------------------------------


def clear_leftovers(root: Path) -> None:
    """Delete work folders that an interrupted publish left in ``root``."""
    for path in root.glob(WORK_PREFIX + "*"):
        remove(path)


def work_folder(root: Path) -> Path:
    """A new folder to prepare an edition in, on the file system of the site ``root`` (it moves by renames).

    It is ``_build/publish/`` when that is on the same file system, so ``site/`` is not touched at
    all until the final renames (a publish killed before them leaves it byte for byte as it was);
    otherwise a hidden folder in ``site/``, which the next publish clears.
    """
    outside = build_dir() / "publish"
    outside.mkdir(parents=True, exist_ok=True)
    clear_leftovers(outside)
    if root.is_dir():
        clear_leftovers(root)
    if outside.stat().st_dev == (root if root.is_dir() else root.parent).stat().st_dev:
        return Path(tempfile.mkdtemp(dir=outside, prefix=WORK_PREFIX))
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=root, prefix=WORK_PREFIX))


def checked_site(root: Path) -> None:
    """``site/`` is a folder (or not there yet): anything else is one clear line."""
    if root.exists() and not root.is_dir():
        raise UserError(
            f"{relative(root)} is a file: expected the folder of published editions (or nothing there)"
        )


def refuse_existing(root: Path, version: str, force: bool) -> None:
    """A published edition is replaced only when forced."""
    if (root / version).exists() and not force:
        raise UserError(
            f"{version} is already published in {relative(root / version)}: a published edition is never "
            "changed; publish a new version, or pass --force (make publish FORCE=1) to replace it"
        )


def relative(path: Path) -> str:
    """``path`` relative to the project root where it lies inside it."""
    try:
        return path.resolve().relative_to(project_root()).as_posix()
    except ValueError:
        return str(path)


def build_results(
    planned: list[pipeline.Job], jobs: int | None, progress: Callable[[str], None]
) -> tuple[dict[str, Path], Record]:
    """Execute (or reuse) every planned notebook: the executed notebooks and the ``results.json`` document."""
    outcomes = pipeline.run_jobs(planned, workers=jobs, progress=progress)
    return {o.job.name: o.notebook for o in outcomes}, pipeline.results_document(outcomes)


def edition_record(version: str, results: Mapping[str, Any]) -> Record:
    """What ``edition.json`` says, before the pages are known."""
    return {
        "version": version,
        "commit": git_commit(),
        "snapshot": results["snapshot"],
        "parameters_hash": parameters_hash(results),
        "published": published_date(),
    }


def publish(
    version: str,
    force: bool = False,
    jobs: int | None = None,
    progress: Callable[[str], None] = print,
) -> Path:
    """Build the book as edition ``version`` into ``site/<version>/`` and make it the newest if it is.

    Refuses a version that is published already unless ``force``. Returns the edition's folder.
    """
    version_key(version)
    root = site_dir()
    checked_site(root)
    refuse_existing(root, version, force)
    snapshot.verify_snapshot()
    planned = pipeline.plan(SCHEMAS)  # bad data or parameters stop here, before anything is written
    with build_lock("publish"):
        notebooks, results = build_results(planned, jobs, progress)
        verdicts = verdict_records(results)
        record = edition_record(version, results)
        older = previous_version(root, version)
        previous = (
            {name: read_data(root / older, name) for name in ("edition", "results", "verdicts")}
            if older
            else None
        )
        changes = changes_markdown({"edition": record, "results": results, "verdicts": verdicts}, previous)
        edition = site.Edition(changes=changes, **record)

        work = work_folder(root)
        try:
            progress(f"Rendering edition {version}" + (f" (compared with {older})" if older else ""))
            built = work / version
            site.render_edition(notebooks, build_dir(), edition, built)
            data = built / DATA_DIR
            data.mkdir()
            (data / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
            (data / "verdicts.json").write_text(json.dumps(verdicts, indent=2) + "\n")
            (data / "edition.json").write_text(
                json.dumps({**record, "pages": edition_pages(built)}, indent=2) + "\n"
            )
            refuse_existing(root, version, force)
            root.mkdir(parents=True, exist_ok=True)
            install(root, work, version)
        finally:
            remove(work)
    return root / version

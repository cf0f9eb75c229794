"""Two real published editions, checked without a browser: layout, footers, changes page, links."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from deepseek_shock.cli import main
from tests.browser.conftest import NEW_PRICE, NEWER, OLDER, Published, tree_digest

pytestmark = pytest.mark.build

EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def test_both_editions_sit_side_by_side_and_the_older_is_byte_for_byte_untouched(published: Published):
    site = published.site
    assert {OLDER, NEWER, "latest", "index.html", "versions.json", "versions.js"} <= {
        p.name for p in site.iterdir()
    }
    assert tree_digest(site / OLDER) == published.older_digest
    assert tree_digest(site / "latest") == tree_digest(site / NEWER)
    versions = json.loads((site / "versions.json").read_text())
    assert [entry["version"] for entry in versions] == [NEWER, OLDER]
    assert f'url={NEWER}/index.html"' in (site / "index.html").read_text()


def test_republishing_an_edition_is_refused(published: Published, monkeypatch, capsys):
    monkeypatch.setenv("DEEPSEEK_SHOCK_ROOT", str(published.project))
    assert main(["publish", OLDER]) == 2
    assert "already published" in capsys.readouterr().err
    assert tree_digest(published.site / OLDER) == published.older_digest


@pytest.mark.parametrize("version", [OLDER, NEWER])
def test_every_page_footer_states_version_commit_snapshot_and_parameters(published: Published, version: str):
    edition = published.edition(version)
    assert edition["version"] == version
    assert (
        edition["parameters_hash"]
        != published.edition(OLDER if version == NEWER else NEWER)["parameters_hash"]
    )
    pages = [page for page in edition["pages"] if page != "index.html"]
    assert len(pages) >= 6
    for page in pages:
        text = (published.site / version / page).read_text()
        for key in ("version", "commit", "snapshot", "parameters"):
            value = edition["parameters_hash" if key == "parameters" else key]
            assert f'<code class="ds-edition-{key}">{value}</code>' in text, (page, key)


def test_changes_page_shows_the_flipped_verdict_the_removed_claim_and_the_new_price(published: Published):
    text = re.sub(r"<[^>]+>", "", (published.site / NEWER / "book" / "changes.html").read_text())
    text = re.sub(r"\s+", " ", text)
    assert f"compares edition {NEWER} with the edition before it, {OLDER}" in text
    verdicts = text.split("Verdicts that changed", 2)[-1].split("Claims added")[0]
    assert "v3-final-run-cost-5576k" in verdicts
    assert "Holds (USD 5,576,000)" in verdicts and "Contradicted" in verdicts
    removed = text.split("Claims removed", 2)[-1].split("Parameters that changed")[0]
    assert published.removed_claim in removed
    parameters = text.split("Parameters that changed", 2)[-1].split("Values that moved")[0]
    assert f"price_per_gpu_hour null {NEW_PRICE}" in parameters
    values = text.split("Values that moved", 2)[-1]
    assert "total_cost_usd_m USD 5.576 million USD 6.97 million +25.00%" in values
    first = re.sub(r"<[^>]+>", "", (published.site / OLDER / "book" / "changes.html").read_text())
    assert "first published edition" in first


class Anchors(HTMLParser):
    """A page's ids and its internal references (links, scripts, stylesheets, images)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.references: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        for name in ("id", "name"):
            if attributes.get(name) and (name == "id" or tag == "a"):
                self.ids.add(attributes[name])
        attribute = {"a": "href", "link": "href", "script": "src", "img": "src"}.get(tag)
        if attribute and attributes.get(attribute):
            self.references.append((tag, attributes[attribute]))


def parsed(path: Path, cache: dict[Path, Anchors]) -> Anchors:
    if path not in cache:
        cache[path] = Anchors()
        cache[path].feed(path.read_text(encoding="utf-8"))
    return cache[path]


def broken_references(site: Path) -> tuple[int, list[str]]:
    """How many internal references every page of ``site`` makes, and those that do not resolve."""
    cache: dict[Path, Anchors] = {}
    checked, broken = 0, []
    pages = [page for page in sorted(site.rglob("*.html")) if "_static" not in page.parts]
    for page in pages:
        for tag, reference in parsed(page, cache).references:
            if EXTERNAL.match(reference) or reference == "#":
                continue
            checked += 1
            parts = urlsplit(reference)
            if parts.path:
                target = Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), unquote(parts.path))))
                if reference.endswith("/"):
                    target = target / "index.html"
            else:
                target = page
            where = f"{page.relative_to(site)}: <{tag}> {reference}"
            if not (target.is_relative_to(site) and target.is_file()):
                broken.append(f"{where} (no file {target})")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in parsed(target, cache).ids:
                broken.append(f"{where} (no anchor #{parts.fragment})")
    return checked, broken


def test_every_internal_link_and_anchor_resolves(published: Published, capsys):
    checked, broken = broken_references(published.site)
    with capsys.disabled():
        print(
            f"\n[links] {checked} internal links, anchors, scripts and stylesheets checked in every edition"
        )
    assert checked > 500
    assert broken == []

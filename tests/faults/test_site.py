"""Fault 68 of the catalog: a page that would load something from another host.

Every page of the built site and of a published edition (with the site's own index) is read for
anything a browser fetches by itself: scripts, stylesheets, icons, images, frames, media, objects,
forms, refreshes, and ``url()`` or ``@import`` in inline styles and stylesheets. Links a reader
follows (``<a href>``) are not requests. The browser tests watch the requests themselves.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.build

EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)  # http://, https://, //host
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+(?:url\()?\s*['"]?([^'")\s;]+)""", re.IGNORECASE)
FETCHED = {  # element -> attributes a browser loads without a click
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "form": ("action",),
}
NOT_FETCHED_LINKS = {"canonical", "alternate", "author", "license", "help", "search", "next", "prev"}


class Loads(HTMLParser):
    """Every address a page makes the browser fetch on its own."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        for name in FETCHED.get(tag, ()):
            if name in attributes:
                self.urls += [part.split()[0] for part in attributes[name].split(",") if part.strip()]
        rel = set(attributes.get("rel", "").lower().split())
        if tag == "link" and attributes.get("href") and not rel <= NOT_FETCHED_LINKS:
            self.urls.append(attributes["href"])
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            self.urls += re.findall(r"url=(\S+)", attributes.get("content", ""), re.IGNORECASE)
        self.urls += css_urls(attributes.get("style", ""))
        self.in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.urls += css_urls(data)

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False


def css_urls(css: str) -> list[str]:
    """The addresses in ``url(...)`` and ``@import`` of a stylesheet."""
    return [first or second for first, second in CSS_URL.findall(css)]


def external_loads(site: Path) -> dict[str, list[str]]:
    """Per page or stylesheet under ``site``, what it would load from another host."""
    found: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*")):
        if path.suffix == ".html":
            parser = Loads()
            parser.feed(path.read_text(encoding="utf-8"))
            urls = parser.urls
        elif path.suffix == ".css":
            urls = css_urls(path.read_text(encoding="utf-8"))
        else:
            continue
        external = [url for url in urls if EXTERNAL.match(url)]
        if external:
            found[path.relative_to(site).as_posix()] = external
    return found


def test_the_checker_finds_what_a_page_would_fetch(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '<link rel="stylesheet" href="https://cdn.example/a.css"><link rel="canonical" href="https://x.org/">'
        '<img srcset="//img.example/1.png 1x, local.png 2x"><div style="background: url(\'http://e.x/b.png\')">'
        '<a href="https://example.org/">a link</a><style>@import "https://fonts.example/f.css";</style>'
        '<script src="_static/local.js"></script>'
    )
    assert external_loads(tmp_path) == {
        "page.html": [
            "https://cdn.example/a.css",
            "//img.example/1.png",
            "http://e.x/b.png",
            "https://fonts.example/f.css",
        ]
    }


def test_no_page_of_the_built_site_loads_from_another_host(built: Path) -> None:
    html = built / "_build" / "html"
    assert len(list(html.rglob("*.html"))) >= 10
    assert external_loads(html) == {}


def test_no_page_of_a_published_edition_loads_from_another_host(built: Path) -> None:
    site = built / "site"
    assert (site / "index.html").exists() and (site / "v1.0.0" / "notebooks" / "training_cost.html").exists()
    assert external_loads(site) == {}

"""The theme's icon font, trimmed to the icons the site shows: about 230 kB less on every page.

pydata-sphinx-theme ships Font Awesome Free (fonts under the SIL Open Font License) whole: a 156 kB
solid-icon font every page downloads for its dozen header icons, and some 1,400 icon rules in its
stylesheet. After Jupyter Book has written the site, ``trim_icons`` keeps only the rules of icons a
page or script of the site names (``fa-bars``, ``fa-magnifying-glass``, …) and cuts the fonts down to
the glyphs the remaining stylesheet refers to. Where the stylesheet has no icon rules of the expected
form (another theme version), nothing is changed.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from deepseek_shock.build.machine_cache import keep_in_cache
from deepseek_shock.paths import vendor_cache_dir

THEME_CSS = "_static/styles/pydata-sphinx-theme.css"
WEBFONTS = "_static/vendor/fontawesome/webfonts"
# An icon rule: one or more ``.fa-NAME:before`` selectors and the glyph they show.
ICON_RULE = re.compile(r"((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:\"((?:\\[0-9a-f]+)+)\"\}")
ICON_CLASS = re.compile(r"fa-[a-z0-9-]+")
GLYPH = re.compile(r"\\([0-9a-f]{2,6})")
# Scripts the site ships but never loads (the theme's own FontAwesome script, left out by the
# report's template), whose class names must not keep icons.
UNLOADED_SCRIPTS = ("fontawesome.js",)
CACHE_KEEP = 8  # trimmed fonts kept in the machine's cache (the theme ships three)


def used_icon_classes(html: Path) -> set[str]:
    """Every ``fa-…`` class named in the site's pages and the scripts they load."""
    used: set[str] = set()
    for path in [*html.rglob("*.html"), *html.rglob("*.js")]:
        if path.name not in UNLOADED_SCRIPTS:
            used.update(ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    return used


def trimmed_stylesheet(css: str, used: set[str]) -> str:
    """``css`` without the icon rules none of whose classes is in ``used``."""

    def keep(rule: re.Match[str]) -> str:
        classes = set(ICON_CLASS.findall(rule.group(1)))
        return rule.group(0) if classes & used else ""

    return ICON_RULE.sub(keep, css)


def glyphs_named(css: str) -> set[int]:
    """Every code point a stylesheet writes as a CSS escape (``\\f002``): the icons it can show."""
    return {int(code, 16) for code in GLYPH.findall(css)}


def trimmed_font(font: bytes, codepoints: set[int]) -> bytes:
    """A WOFF2 font reduced to the glyphs of ``codepoints`` (its names, and so its licence, kept); the
    same bytes on every build, since its timestamp is left as the original's."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    loaded = TTFont(io.BytesIO(font), recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(loaded)
    out = io.BytesIO()
    loaded.flavor = "woff2"
    loaded.save(out)
    return out.getvalue()


def trimmed_font_cached(cache_dir: Path, font: bytes, codepoints: set[int]) -> bytes:
    """``trimmed_font``, kept in ``cache_dir`` under a hash of the font, the glyphs and fontTools'
    version (about 0.1 s a font when not cached)."""
    import fontTools

    hasher = hashlib.sha256(font)
    hasher.update(f"|{fontTools.version}|{sorted(codepoints)}".encode())
    cached = cache_dir / f"icons-{hasher.hexdigest()[:20]}.woff2"
    if cached.exists():
        return cached.read_bytes()
    trimmed = trimmed_font(font, codepoints)
    keep_in_cache(cache_dir, {cached: trimmed}, "icons-*.woff2", CACHE_KEEP)
    return trimmed


def trim_icons(html: Path) -> bool:
    """Trim the theme's icon rules and fonts in the written site ``html``; False if there was nothing
    of the expected form to trim."""
    stylesheet = html / THEME_CSS
    if not stylesheet.exists():
        return False
    css = stylesheet.read_text(encoding="utf-8")
    if not ICON_RULE.search(css):
        return False
    trimmed = trimmed_stylesheet(css, used_icon_classes(html))
    codepoints = glyphs_named(trimmed)
    for font in sorted((html / WEBFONTS).glob("*.woff2")):
        font.write_bytes(trimmed_font_cached(vendor_cache_dir(), font.read_bytes(), codepoints))
    stylesheet.write_text(trimmed, encoding="utf-8")
    return True

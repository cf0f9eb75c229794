"""The site's own Vega: one script, served once per site and loaded only by pages that draw a chart.

Charts reach the page as Vega specs (compiled from Vega-Lite when the notebook runs), so the site ships
Vega alone (512 kB), without Vega-Lite and vega-embed (898 kB with them). The script is Vega's own
minified build, vendored in ``vendor/`` (``npm pack vega@VERSION``, file ``build/vega.min.js``) at the
version vl-convert compiles for (a test holds the two together), with its licence; no page fetches a
chart library from another host.
"""

from __future__ import annotations

from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor"
# Where the site serves it, relative to the site's root. ``_static/charts.js`` loads it from there (and
# names the same path); it is kept out of ``_static/`` because Jupyter Book adds every script found there
# to every page.
VEGA_BUNDLE_PATH = "_vendor/vega.js"
VEGA_LICENCE_PATH = "_vendor/vega.LICENSE.txt"


def vega_script_path() -> Path:
    """The vendored Vega build, ``vendor/vega-<version>.min.js`` (exactly one)."""
    (path,) = sorted(VENDOR.glob("vega-*.min.js"))
    return path


def vega_version() -> str:
    """The version of the vendored Vega, from its file name."""
    return vega_script_path().name.removeprefix("vega-").removesuffix(".min.js")


def vega_files() -> dict[str, bytes]:
    """Vega and its licence, by their paths in the site."""
    return {
        VEGA_BUNDLE_PATH: vega_script_path().read_bytes(),
        VEGA_LICENCE_PATH: (VENDOR / "vega-LICENSE.txt").read_bytes(),
    }

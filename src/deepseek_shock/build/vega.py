"""The site's own Vega bundle: Vega, Vega-Lite and vega-embed in one script, served once per site.

Generated from the installed vl-convert and kept per machine (it depends only on vl-convert's version),
so no page fetches a chart library from another host.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

VEGA_BUNDLE_NAME = "vega-bundle.js"


def vega_bundle() -> str:
    """The Vega/Vega-Lite/vega-embed bundle as one script, wrapped so its top-level names stay private.

    vl-convert's bundle declares ``const _`` at top level, which clashes with Sphinx's own
    scripts; inside a function scope it only sets ``window.vegaEmbed``, ``window.vega`` and
    ``window.vegaLite``.
    """
    import vl_convert

    return "(function () {\n" + vl_convert.javascript_bundle() + "\n})();\n"


def vega_bundle_cached(cache_dir: Path) -> bytes:
    """The Vega bundle, generated once per vl-convert version and kept in ``cache_dir``.

    A cache folder that cannot be written only costs the generation (about 2.5 s) each time.
    """
    import vl_convert

    path = cache_dir / f"vega-bundle-{vl_convert.__version__}.js"
    if path.exists():
        return path.read_bytes()
    bundle = vega_bundle()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8") as handle:
            handle.write(bundle)
        os.replace(handle.name, path)
    except OSError:
        pass
    return bundle.encode()

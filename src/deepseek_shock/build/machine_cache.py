"""Generated assets kept in the machine's cache folder (``paths.vendor_cache_dir``)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def keep_in_cache(cache_dir: Path, files: Mapping[Path, bytes], pattern: str, keep: int) -> None:
    """Write ``files`` (paths in ``cache_dir``) each whole through a temporary file, then drop every
    entry but the ``keep`` newest whose file matches ``pattern`` (with its files of the same stem).

    A cache folder that cannot be written is left as it is: the caller only loses the saving.
    """
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for target, content in files.items():
            with tempfile.NamedTemporaryFile(dir=cache_dir, delete=False) as handle:
                handle.write(content)
            os.replace(handle.name, target)
        newest = sorted(cache_dir.glob(pattern), key=lambda file: file.stat().st_mtime, reverse=True)
        for stale in newest[keep:]:
            for sibling in cache_dir.glob(f"{stale.stem}.*"):
                sibling.unlink(missing_ok=True)
    except OSError:
        pass

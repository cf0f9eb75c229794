"""The claims registry file, parsed, and the figures the articles printed, by claim id.

``data/claims.yaml`` is data: each entry records a sentence an article printed and the figure in it.
Chapters take some printed figures as inputs (an article's own arithmetic is checked from its own
numbers) and read them here, never typed. Validating the registry — fields, tolerances, quotes against
the seed articles — belongs to ``deepseek_shock.claims``; this module only reads the file.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

from deepseek_shock.errors import UserError
from deepseek_shock.paths import checked_file, data_dir, file_state, project_label

CLAIMS_FILE = "claims.yaml"
# libyaml's parser when PyYAML was built with it (the registry parses ~20× faster), else pure Python.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DOCUMENTS: dict[tuple[Path, Any], dict[str, Any]] = {}


def claims_path() -> Path:
    """``data/claims.yaml``."""
    return data_dir() / CLAIMS_FILE


def registry_document(path: Path | None = None) -> dict[str, Any]:
    """The registry file ``path`` (default ``data/claims.yaml``) parsed, unvalidated: ``claims`` (a list)
    and ``readings`` (a mapping of the kinds of alternative reading, possibly empty).

    Parsed once per state of the file. A missing file, text that is not UTF-8, malformed YAML or any
    other shape is one ``UserError``.
    """
    path = path or claims_path()
    key = (path, file_state(path))
    if key not in _DOCUMENTS:
        _DOCUMENTS.clear()
        _DOCUMENTS[key] = _parsed(path)
    document = _DOCUMENTS[key]
    return {"claims": list(document["claims"]), "readings": dict(document["readings"])}


def registry_entries(path: Path | None = None) -> list[Any]:
    """The raw claim entries of the registry file ``path`` (default ``data/claims.yaml``), unvalidated."""
    return registry_document(path)["claims"]


def _parsed(path: Path) -> dict[str, Any]:
    where_from = project_label(path)
    try:
        loaded = yaml.load(checked_file(path).read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except FileNotFoundError:
        raise UserError(f"{where_from} is missing: the claims registry is required") from None
    except UnicodeDecodeError as err:
        raise UserError(
            f"{where_from}: byte 0x{err.object[err.start]:02x} is not UTF-8: expected UTF-8 text"
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise UserError(f"{where_from}: malformed YAML{where}") from None
    shape = (
        isinstance(loaded, dict)
        and "claims" in loaded
        and set(loaded) <= {"claims", "readings"}
        and isinstance(loaded["claims"], list)
        and isinstance(loaded.get("readings", {}), dict)
    )
    if not shape:
        raise UserError(
            f"{where_from}: expected the key 'claims' holding a list of claims, and optionally 'readings' "
            "holding a mapping of the kinds of alternative reading"
        )
    return {"claims": tuple(loaded["claims"]), "readings": dict(loaded.get("readings") or {})}


def printed_figure(claim_id: str) -> float:
    """The figure an article printed, as recorded in ``data/claims.yaml`` under ``claim_id`` (its unit)."""
    for entry in registry_entries():
        if isinstance(entry, dict) and entry.get("id") == claim_id:
            figure = entry.get("reported")
            if isinstance(figure, bool) or not isinstance(figure, (int, float)) or not math.isfinite(figure):
                raise UserError(f"claim {claim_id!r}: no reported figure in the claims registry")
            return float(figure)
    raise UserError(f"claim {claim_id!r}: not in the claims registry")

"""Faults 48-60 of the catalog: a snapshot unlike its manifest, data it lacks, a bad registry, no network."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from deepseek_shock.data.snapshot import DEFAULT_SNAPSHOT
from tests.faults.conftest import Fault, refused

SNAPSHOT = f"data/snapshots/{DEFAULT_SNAPSHOT}"
RESTORE = "restore it with git checkout, or rebuild the snapshot"


def edit_file(name: str, edit: callable, rechecksum: bool = False) -> callable:
    """An injection that changes a snapshot file's bytes (and, if asked, its manifest's checksum to match)."""

    def inject(root: Path) -> None:
        path = root / SNAPSHOT / name
        path.write_bytes(edit(path.read_bytes()))
        if rechecksum:
            edit_manifest(lambda m: m["tables"][path.stem].update(sha256=sha256(path)))(root)

    return inject


def edit_manifest(edit: callable) -> callable:
    """An injection that changes the parsed manifest and writes it back."""

    def inject(root: Path) -> None:
        path = root / SNAPSHOT / "manifest.json"
        manifest = json.loads(path.read_text())
        edit(manifest)
        path.write_text(json.dumps(manifest, indent=2))

    return inject


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def broken_claims(root: Path) -> None:
    path = root / "data" / "claims.yaml"
    path.write_text(path.read_text() + "\n- id: [unclosed\n")


FAULTS = {
    "data-file-truncated": Fault(
        ("build",),
        (f"data file {SNAPSHOT}/prices.csv does not match its manifest", RESTORE),
        edit_file("prices.csv", lambda data: data[: len(data) // 2]),
    ),
    "data-file-edited": Fault(
        ("run", "training_cost"),
        (f"data file {SNAPSHOT}/training_compute.csv does not match its manifest", RESTORE),
        edit_file("training_compute.csv", lambda data: data.replace(b"2664000", b"2664001")),
    ),
    "manifest-checksum-mismatch": Fault(
        ("data", "verify"),
        ("prices.csv does not match its manifest", "expected 000000000000", RESTORE),
        edit_manifest(lambda m: m["tables"]["prices"].update(sha256="0" * 64)),
    ),
    "manifest-entry-outside-data": Fault(
        ("build",),
        ("table 'prices': expected 'file' to be a plain .csv file name", RESTORE),
        edit_manifest(lambda m: m["tables"]["prices"].update(file="../../../../etc/passwd.csv")),
    ),
    "manifest-not-json": Fault(
        ("data", "verify"),
        (f"manifest {SNAPSHOT}/manifest.json is not valid JSON", RESTORE),
        lambda root: (root / SNAPSHOT / "manifest.json").write_text(
            f'{{"snapshot_id": "{DEFAULT_SNAPSHOT}", '
        ),
    ),
    "data-file-missing": Fault(
        ("data", "verify"),
        (f"data file {SNAPSHOT}/indexes.csv is missing", RESTORE),
        lambda root: (root / SNAPSHOT / "indexes.csv").unlink(),
    ),
    "data-file-rows-removed": Fault(
        ("data", "verify"),
        ("training_compute.csv has", "rows, its manifest"),
        edit_file("training_compute.csv", lambda data: data.rsplit(b"\n", 2)[0] + b"\n", rechecksum=True),
    ),
    "data-file-not-utf8": Fault(
        ("data", "verify"),
        (
            "training_compute.csv matches its checksum but is not a UTF-8 CSV",
            "byte 0xe9 is not UTF-8",
            RESTORE,
        ),
        edit_file(
            "training_compute.csv", lambda data: data.replace(b"Llama", b"Ll\xe9ma", 1), rechecksum=True
        ),
    ),
    "data-value-not-a-number": Fault(
        ("run", "training_cost"),
        ("training_compute.csv matches its checksum but is not a UTF-8 CSV with its manifest's columns",),
        edit_file("training_compute.csv", lambda data: data.replace(b"2664000", b"lots"), rechecksum=True),
    ),
    "unknown-ticker": Fault(
        ("run", "nvda_drawdown", "--set", "ticker=ZZZZ"),
        (f"ticker: 'ZZZZ' is not in data snapshot {DEFAULT_SNAPSHOT}, which has AAPL",),
    ),
    "date-not-a-trading-day": Fault(
        ("run", "nvda_drawdown", "--set", "event_date=2025-01-25"),
        ("event_date: 2025-01-25 (a Saturday) is not a trading day", "nearest trading days are 2025-01-24"),
    ),
    "date-outside-the-snapshot": Fault(
        ("run", "nvda_drawdown", "--set", "event_date=2031-01-27"),
        ("event_date: 2031-01-27 is outside the snapshot's NVDA prices, which run from 2023-12-29",),
    ),
    "unknown-snapshot": Fault(
        ("run", "training_cost", "--snapshot", "1999-01-01"),
        ("unknown data snapshot '1999-01-01' (from --snapshot", "available snapshots"),
    ),
    "claims-registry-malformed": Fault(
        ("run", "training_cost"), ("data/claims.yaml", "malformed"), broken_claims
    ),
}


@pytest.mark.parametrize("name", FAULTS)
def test_bad_data_is_refused_with_one_line(checkout: Path, name: str) -> None:
    refused(checkout, FAULTS[name])
    assert not (checkout / "_build" / "failed").exists()  # refused before any notebook ran


@pytest.mark.parametrize(
    "command",
    [("data", "refresh", "--tickers", "NVDA"), ("run", "nvda_drawdown", "--live", "--set", "ticker=ZZZZ")],
)
def test_live_data_without_a_network_is_one_line(checkout: Path, command: tuple[str, ...]) -> None:
    """Fault 60: the live commands, offline (every connection refused by the proxy)."""
    line = refused(
        checkout,
        Fault(command, ("network unreachable: cannot reach Yahoo Finance", "still works offline")),
    )
    assert "via proxy 127.0.0.1:9" in line
    assert sorted(p.name for p in (checkout / SNAPSHOT).parent.iterdir()) == ["2026-11-22", "2026-12-04"]

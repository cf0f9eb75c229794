"""Faults 36-47 of the catalog: names that leave their folder, links out of the project, misplaced folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deepseek_shock.data.snapshot import DEFAULT_SNAPSHOT
from tests.faults.conftest import Fault, refused

SNAPSHOT = f"data/snapshots/{DEFAULT_SNAPSHOT}"


def link_out(name: str) -> callable:
    """An injection that moves ``name`` outside the project and leaves a link to it in its place."""

    def inject(root: Path) -> None:
        inside = root / name
        outside = root.parent / "elsewhere" / inside.name
        outside.parent.mkdir(exist_ok=True)
        shutil.move(inside, outside)
        inside.symlink_to(outside)

    return inject


def replaced_by_a_file(name: str) -> callable:
    """An injection that puts a file where the folder ``name`` belongs."""

    def inject(root: Path) -> None:
        folder = root / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.write_text("not a folder\n")

    return inject


def empty_folder(root: Path) -> None:
    (root.parent / "not-a-checkout").mkdir()


FAULTS = {
    "notebook-name-traversal": Fault(
        ("run", "../../etc/passwd"), ("unknown notebook '../../etc/passwd'", "expected one of capex_cut")
    ),
    "notebook-name-absolute": Fault(
        ("run", "/etc/passwd"), ("unknown notebook '/etc/passwd'", "expected one of capex_cut")
    ),
    "version-traversal": Fault(
        ("publish", "../../v1.0.0"), ("version '../../v1.0.0'", "expected vMAJOR.MINOR.PATCH")
    ),
    "version-absolute": Fault(
        ("publish", "/tmp/v1.0.0"), ("version '/tmp/v1.0.0'", "expected vMAJOR.MINOR.PATCH")
    ),
    "scenario-traversal": Fault(
        ("build", "--scenario", "../../params"), ("unknown scenario '../../params'", "expected one of bear")
    ),
    "snapshot-traversal": Fault(
        ("build", "--snapshot", "../../data"),
        (
            "unknown data snapshot '../../data'",
            "available snapshots in data/snapshots: 2026-11-22, 2026-12-04",
        ),
    ),
    "snapshot-id-traversal": Fault(
        ("data", "build-snapshot", "--source", "data", "--id", "../../evil"),
        ("snapshot id '../../evil'", "expected letters, digits"),
    ),
    "snapshot-folder-link-outside": Fault(
        ("data", "verify"),
        (f"snapshot folder {SNAPSHOT} leads outside the project", "expected a folder inside"),
        link_out(SNAPSHOT),
    ),
    "data-file-link-outside": Fault(
        ("build",),
        (f"{SNAPSHOT}/prices.csv leads outside the project", "expected a file inside"),
        link_out(f"{SNAPSHOT}/prices.csv"),
    ),
    "notebook-file-link-outside": Fault(
        ("run", "training_cost"),
        ("notebooks/training_cost.ipynb leads outside the project", "expected a file inside"),
        link_out("notebooks/training_cost.ipynb"),
    ),
    "project-root-not-a-checkout": Fault(
        ("build",),
        ("not-a-checkout is not a checkout of this project (it has no _config.yml)", "expected the folder"),
        empty_folder,
        env={"DEEPSEEK_SHOCK_ROOT": "../not-a-checkout"},
    ),
    "build-folder-a-file": Fault(
        ("run", "training_cost"),
        ("_build is a file", "expected the build folder"),
        replaced_by_a_file("_build"),
    ),
    "site-folder-a-file": Fault(
        ("publish", "v9.0.0"),
        ("site is a file", "expected the folder of published editions"),
        replaced_by_a_file("site"),
    ),
}


@pytest.mark.parametrize("name", FAULTS)
def test_a_bad_name_or_path_is_refused_with_one_line(checkout: Path, name: str) -> None:
    refused(checkout, FAULTS[name])
    assert not (checkout.parent / "evil").exists() and not Path("/tmp/v1.0.0").exists()

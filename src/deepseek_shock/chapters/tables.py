"""Tables as pages show them."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler


def styled(table: pd.DataFrame, caption: str | None, uuid: str, *, index: bool = False) -> Styler:
    """A table for display: a caption (if any), a stable id, the index only if ``index``, and no id on
    every cell (nothing styles a single cell, and the ids weigh a page down)."""
    shown = Styler(table, cell_ids=False, caption=caption).set_uuid(uuid)
    return shown if index else shown.hide(axis="index")

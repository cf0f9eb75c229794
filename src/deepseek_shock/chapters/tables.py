"""Tables as pages show them."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler


def styled(table: pd.DataFrame, caption: str, uuid: str) -> Styler:
    """A table for display: no index, a caption and a stable id, and no id on every cell (nothing styles
    a single cell, and the ids weigh a page down)."""
    return Styler(table, cell_ids=False).hide(axis="index").set_caption(caption).set_uuid(uuid)

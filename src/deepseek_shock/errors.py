"""The one exception type that reaches a user as a single clear line, and how a value is shown in it."""

from __future__ import annotations

import reprlib
from typing import Any

_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60  # characters of a text or other value shown
_SHORT.maxlevel = 2  # levels of a nested list or mapping shown
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = _SHORT.maxset = 4  # items shown per level


class UserError(Exception):
    """Bad input or bad data: the message names what was wrong and what is expected.

    The command line prints the message alone (no traceback) and exits non-zero.
    """


def quoted(value: Any) -> str:
    """``repr(value)`` for a message, bounded: a 50 MB text or a deeply nested list stays short.

    A text cut short is followed by its length.
    """
    shown = _SHORT.repr(value)
    if isinstance(value, str) and len(value) > _SHORT.maxstring:
        shown += f" ({len(value):,} characters)"
    return shown

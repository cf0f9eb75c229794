"""Parameters: the schema every chapter's Params extends, and how values arrive from YAML files and --set.

Overrides arrive as ``key=value`` strings from the command line; each value is parsed as a YAML
scalar and the whole set is validated before papermill sees it, so no string becomes code.

A parameters file is read strictly: UTF-8 text (a UTF-8 byte-order mark is allowed) of at most
``MAX_FILE_BYTES``, a flat mapping of parameter: value with each parameter once. Tags such as
``!!python/object``, anchors and aliases (``&name``, ``*name``: a "billion laughs" needs them) and
deep nesting are refused with the line they are on, before anything is built from them.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any, ClassVar

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from deepseek_shock.errors import UserError, quoted
from deepseek_shock.paths import checked_file, project_label

MAX_FILE_BYTES = 1 << 20  # 1 MiB; a published parameters file is about 1 kB
MAX_DEPTH = 4  # levels of nested values; every parameter is a single value
MAPPING = "a mapping of parameter: value"
# Characters YAML itself refuses, and line breaks (a value is one line): tab, CR and LF are allowed
# in a file, not inside a value.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff]")
LINE_BREAK = re.compile(r"[\r\n\x85\u2028\u2029]")
UTF16_OR_32 = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class NotebookParams(BaseModel):
    """Common base: unknown keys are refused, values are validated on assignment.

    Numbers are finite (NaN and infinity are refused); every text value is one line without control
    characters (it is shown in pages and charts).
    ``tables`` names the snapshot tables the notebook reads, so the build cache can key on them.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)
    tables: ClassVar[tuple[str, ...]] = ()

    @field_validator("*", mode="after")
    @classmethod
    def _text_is_one_line(cls, value: Any) -> Any:
        if isinstance(value, str) and (LINE_BREAK.search(value) or CONTROL.search(value)):
            raise ValueError("a line break or control character is not allowed: expected one line of text")
        return value


class Refused(yaml.MarkedYAMLError):
    """Something a parameters file may not hold, at its place in the file, with what is expected."""

    def __init__(self, problem: str, expected: str, mark: Any) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.expected = expected


class ParamsLoader(yaml.SafeLoader):
    """YAML's safe loader, stricter: no anchors, aliases, unknown tags, duplicate keys or deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise Refused(
                "anchors and aliases (&name, *name) are not allowed",
                "each value written out",
                event.start_mark,
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise Refused(f"values nested more than {MAX_DEPTH} levels deep", MAPPING, event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_lines: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                continue  # the safe loader refuses it with its own message
            if key in first_lines:
                raise Refused(
                    f"{quoted(key)} is given twice (first on line {first_lines[key]})",
                    "each parameter once",
                    key_node.start_mark,
                )
            first_lines[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)


def refuse_tag(loader: ParamsLoader, node: yaml.Node) -> Any:
    """Any tag the safe loader does not know (``!!python/object/apply:…``, ``!custom``) is refused."""
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise Refused(
        f"the tag {quoted(tag)} is not allowed",
        "plain values: numbers, text, true/false, null",
        node.start_mark,
    )


ParamsLoader.add_constructor(None, refuse_tag)


def file_text(path: Path) -> str:
    """The text of a parameters file: a regular file in the project, of bounded size, in UTF-8."""
    label = project_label(path)
    size = checked_file(path).stat().st_size
    if size > MAX_FILE_BYTES:
        raise UserError(
            f"{label} is {size:,} bytes: expected a parameters file of at most {MAX_FILE_BYTES:,} bytes "
            "(one line per parameter)"
        )
    data = path.read_bytes()
    if data.startswith(UTF16_OR_32):
        raise UserError(f"{label} is saved as UTF-16 or UTF-32: expected UTF-8 text (save it again as UTF-8)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise UserError(
            f"{label}: line {line}: byte 0x{data[err.start]:02x} is not UTF-8: expected UTF-8 text "
            "(save the file again as UTF-8)"
        ) from None
    if "\x00" in text:
        raise UserError(f"{label} holds NUL characters, as UTF-16 or binary files do: expected UTF-8 text")
    return text


def loaded_yaml(text: str, origin: str) -> Any:
    """``text`` parsed by ``ParamsLoader``; whatever it refuses, or malformed YAML, is one clear line."""
    try:
        return yaml.load(text, Loader=ParamsLoader)
    except Refused as err:
        raise UserError(
            f"{origin}: line {err.problem_mark.line + 1}: {err.problem}; expected {err.expected}"
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(err, "problem", None) or getattr(err, "reason", None)
        detail = f" ({problem})" if problem else ""
        raise UserError(f"{origin}: malformed YAML{where}{detail}: expected {MAPPING}") from None


def yaml_mapping(path: Path) -> dict[str, Any]:
    """The mapping of parameter: value in a YAML file; anything else is one clear error."""
    label = project_label(path)
    try:
        text = file_text(path)
    except FileNotFoundError:
        raise UserError(f"{label} is missing: expected a YAML file of {MAPPING}") from None
    loaded = loaded_yaml(text, label)
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise UserError(f"{label}: expected {MAPPING}, got {type(loaded).__name__}")
    names = [key for key in loaded if not isinstance(key, str)]
    if names:
        raise UserError(f"{label}: {quoted(names[0])} is not a parameter name: expected {MAPPING}")
    return loaded


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """``["key=value", ...]`` from the command line; each value is read as a YAML scalar, each key once."""
    overrides: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UserError(f"--set {quoted(pair)}: expected key=value, e.g. --set price_per_gpu_hour=3.5")
        if key in overrides:
            raise UserError(f"--set {quoted(key)} is given twice: expected each parameter once")
        overrides[key] = scalar(text, f"--set {quoted(pair)}") if text.strip() else None
    return overrides


def scalar(text: str, origin: str) -> Any:
    """One ``--set`` value read as a YAML scalar (what a parameters file refuses is refused here too).

    A line break is refused before YAML would fold it into a space.
    """
    if LINE_BREAK.search(text) or CONTROL.search(text):
        raise UserError(f"{origin}: a line break or control character is not allowed: expected one line")
    try:
        value = yaml.load(text, Loader=ParamsLoader)
    except Refused as err:
        raise UserError(f"{origin}: {err.problem}; expected {err.expected}") from None
    except yaml.YAMLError:
        raise UserError(f"{origin}: the value is not a number, string, true/false or null") from None
    if isinstance(value, (dict, list)):
        raise UserError(f"{origin}: expected a single value, not a list or mapping")
    return value

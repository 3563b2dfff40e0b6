"""Edits of a data file's text at the lines the build read a value from, keeping every other line as it is.

A suggestion (:mod:`kg.build.suggest`) removes a value where it was written and adds new values as
``facts:`` entries with their own source.  Removal works on the ways the data format writes a value —
``key: value`` on one line, an item of a flow list (``[a, b]``), an item of a block list (``- a``), a
long-hand item (``- value: a`` with its qualifiers below) — and refuses anything else, saying where.
What is added is written by PyYAML's emitter, never pasted: no text of a reader's can become YAML syntax.
"""

from __future__ import annotations

import re

import yaml

from kg.errors import Location, UsageError

TOP_LEVEL = re.compile(r"^[A-Za-z_][\w-]*:")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _refuse(loc: Location, why: str) -> UsageError:
    return UsageError(f"{loc}: {why}; suggest it as an issue instead, in words")


def remove_value(lines: list[str], loc: Location) -> None:
    """Remove the value written at ``loc`` (1-based line and column) from ``lines`` (each with its newline)."""
    index, column = loc.line - 1, loc.column - 1
    if not 0 <= index < len(lines):
        raise _refuse(loc, "the value is not where the build read it")
    line = lines[index]
    opening, closing = line.rfind("[", 0, column), line.find("]", column)
    if opening != -1 and closing != -1:  # an item of a flow list
        items = [item.strip() for item in line[opening + 1:closing].split(",")]
        at = line[opening + 1:column].count(",")
        if any(("'" in item or '"' in item) for item in items):
            raise _refuse(loc, "a list of quoted values")
        del items[at]
        if not items:
            del lines[index]
            return
        lines[index] = f"{line[:opening]}[{', '.join(items)}]{line[closing + 1:]}"
        return
    stripped = line.lstrip(" ")
    if stripped.startswith("- "):  # an item of a block list, maybe long-hand with its qualifiers below
        end = index + 1
        while end < len(lines) and lines[end].strip() and _indent(lines[end]) > _indent(line):
            end += 1
        del lines[index:end]
        return
    if re.match(r"\s*[\w-]+:\s", line) and _continues(lines, index) is False:
        del lines[index]
        return
    raise _refuse(loc, "this value is written over several lines")


def _continues(lines: list[str], index: int) -> bool:
    """Does the value of the key at ``index`` go on below it (a block scalar, a nested list or mapping)?"""
    line = lines[index]
    rest = line.split(":", 1)[1].strip()
    if rest in ("", "|", ">", "|-", ">-") or rest.startswith(("|", ">")):
        return True
    following = index + 1
    return following < len(lines) and bool(lines[following].strip()) and _indent(lines[following]) > _indent(line) \
        and not lines[following].lstrip().startswith("#")


def emitted(value: object) -> list[str]:
    """``value`` written by PyYAML's emitter in block style, one string per line (with its newline)."""
    text = yaml.safe_dump(value, sort_keys=False, allow_unicode=True, default_flow_style=False, width=4096)
    return text.splitlines(keepends=True)


def add_to_section(lines: list[str], section: str, entry: object) -> None:
    """Add ``entry`` to the top-level ``section`` of the file (a list for ``facts``, a mapping for ``sources``):
    at the end of the section when the file has it, else in a new section at the end of the file."""
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{section}:")), None)
    if start is None:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.extend(["\n", *emitted({section: entry})])
        return
    end = start + 1
    while end < len(lines) and not TOP_LEVEL.match(lines[end]):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():  # before the blank lines that close it
        end -= 1
    body = [line for line in lines[start + 1:end] if line.strip() and not line.lstrip().startswith("#")]
    indent = min((_indent(line) for line in body), default=2)
    written = emitted(entry)
    lines[end:end] = [(" " * indent + line) if line.strip() else line for line in written]

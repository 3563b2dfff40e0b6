"""A tiny YAML writer for generated data, in the style of the hand-edited files.

PyYAML's dumper would do, but it quotes dates, writes long flow lines and is
slow on the 1M-triple universe.  The generated values are only strings, lists
and dicts, so a small writer gives files that look like ``data/``: block
mappings for sections and entities, ``[a, b]`` for short lists of slugs,
``{value: ..., source: ...}`` for short long-hand values, and double quotes
only where YAML needs them.  A dict value may be a ``Commented`` to put a
``# comment`` line above its key, as editors do.
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

INDENT = "  "
FLOW_WIDTH = 100  # a flow list or mapping longer than this is written as a block

# Text that YAML reads back unchanged as a plain scalar, in block and flow context.
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .'()/-]*[A-Za-z0-9.')]|[A-Za-z0-9]")


class Commented(NamedTuple):
    """A value written with a comment line above its key."""

    comment: str
    value: object


def scalar(text: str) -> str:
    """The text as a plain scalar when that is safe, else double-quoted (JSON is valid YAML)."""
    if _PLAIN.fullmatch(text) and "  " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(value) -> str | None:
    """A one-line flow form of a value, or None when it is nested or too long."""
    if isinstance(value, str):
        return scalar(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        text = "[" + ", ".join(scalar(v) for v in value) + "]"
    elif isinstance(value, dict):
        parts = [(k, _flow(v)) for k, v in value.items()]
        if any(flow is None or isinstance(v, dict) for (_, flow), v in zip(parts, value.values())):
            return None
        text = "{" + ", ".join(f"{k}: {flow}" for k, flow in parts) + "}"
    else:
        return None
    return text if len(text) <= FLOW_WIDTH else None


def _block(value, depth: int, out: list[str]) -> None:
    pad = INDENT * depth
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, Commented):
                out.append(f"{pad}# {item.comment}")
                item = item.value
            flow = _flow(item)
            if flow is not None:
                out.append(f"{pad}{key}: {flow}")
            else:
                out.append(f"{pad}{key}:")
                _block(item, depth + 1, out)
    elif isinstance(value, list):
        for item in value:
            flow = _flow(item)
            if flow is not None:
                out.append(f"{pad}- {flow}")
                continue
            inner: list[str] = []
            _block(item, depth + 1, inner)
            out.append(f"{pad}- {inner[0].lstrip()}")
            out.extend(inner[1:])
    else:
        out.append(f"{pad}{scalar(value)}")


def dump(document: dict, header: str = "") -> str:
    """A whole data file: a comment header, then its top-level keys; sections are always blocks."""
    out = [f"# {line}".rstrip() for line in header.splitlines()]
    for key, value in document.items():
        if isinstance(value, Commented):
            out.append(f"# {value.comment}")
            value = value.value
        flow = None if isinstance(value, dict) else _flow(value)
        if flow is not None:
            out.append(f"{key}: {flow}")
            continue
        if out:
            out.append("")
        out.append(f"{key}:")
        _block(value, 1, out)
    return "\n".join(out) + "\n"

"""Read YAML files strictly: every value keeps its file, line and column.

We compose the document ourselves from the parser's event stream instead of
calling ``yaml.safe_load``, because the fan-facing promises need it:

* **Nothing is retyped.**  Every scalar stays the text the fan typed (``NO``,
  ``1:30``, ``0123`` are strings); the schema in :mod:`kg.vocab` decides what
  a value must be and says so when it is not.  YAML 1.1's implicit typing never
  runs.
* **Duplicate keys** in one mapping are an error with both lines
  (``safe_load`` silently keeps the last one).
* **Anchors, aliases and tags** (``&a``, ``*a``, ``!!python/...``) are refused:
  no alias bomb can expand, no object can be constructed.
* **Nesting is bounded** while events stream in, so a ``[[[[...`` bomb stops
  after a few dozen events instead of costing the parser minutes.
* **Encoding**: UTF-8 only, no byte-order mark, with the line of a bad byte.

libyaml's C parser is used when PyYAML has it (18x faster on large files), the
pure-Python parser otherwise; both produce the same events and marks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Location, Problem

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

MAX_DEPTH = 24  # our format nests 6 deep at most; anything far deeper is an accident or an attack

BOMS = {
    b"\xef\xbb\xbf": "UTF-8",
    b"\xff\xfe": "UTF-16 (little-endian)",
    b"\xfe\xff": "UTF-16 (big-endian)",
}


@dataclass(slots=True)
class Scalar:
    value: str
    loc: Location
    quoted: bool = False


@dataclass(slots=True)
class Sequence:
    items: list[Node]
    loc: Location


@dataclass(slots=True)
class Mapping:
    """An ordered mapping of string keys; each key keeps its own location."""

    items: dict[str, tuple[Scalar, Node]]
    loc: Location

    def get(self, key: str) -> Node | None:
        pair = self.items.get(key)
        return pair[1] if pair else None

    def key_loc(self, key: str) -> Location:
        return self.items[key][0].loc


Node = Scalar | Sequence | Mapping


@dataclass
class YAMLFile:
    """One parsed file: its root node, or the problems that stopped it."""

    path: str
    root: Node | None
    problems: list[Problem] = field(default_factory=list)


class _Stop(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def read_yaml(path: Path, display: str | None = None) -> YAMLFile:
    """Parse one file strictly.  Never raises for bad content: see ``problems``."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return YAMLFile(name, None, [Problem(f"cannot read the file: {exc.strerror}", Location(name))])
    try:
        text = _decode(raw, name)
        root = _compose(text, name)
    except _Stop as stop:
        return YAMLFile(name, None, [stop.problem])
    if root is None:
        problem = Problem(
            "the file is empty",
            Location(name, 1),
            hint="add entities to it, or delete it",
        )
        return YAMLFile(name, None, [problem])
    return YAMLFile(name, root)


def _decode(raw: bytes, name: str) -> str:
    for bom, encoding in BOMS.items():
        if raw.startswith(bom):
            raise _Stop(
                Problem(
                    f"the file starts with a {encoding} byte-order mark",
                    Location(name, 1, 1),
                    hint="save it as UTF-8 without BOM",
                )
            )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _Stop(
            Problem(
                f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                Location(name, line, column),
                hint="save it with UTF-8 encoding",
            )
        ) from None


def _loc(name: str, mark) -> Location:
    return Location(name, mark.line + 1, mark.column + 1) if mark is not None else Location(name)


def _compose(text: str, name: str) -> Node | None:
    """Build the node tree from events, iteratively, enforcing our rules."""
    stack: list[tuple[Sequence | Mapping, Scalar | None]] = []  # container, pending key
    root: Node | None = None
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_EventLoader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Stop(
                        Problem(
                            "a second YAML document ('---') in one file",
                            _loc(name, event.start_mark),
                            hint="keep one document per file, or split it into two files",
                        )
                    )
                continue
            if isinstance(event, yaml.AliasEvent):
                raise _Stop(_anchor_problem(name, event, f"*{event.anchor}"))
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                _check_node_event(name, event)
            if isinstance(event, yaml.ScalarEvent):
                node: Node = Scalar(event.value, _loc(name, event.start_mark), event.style not in (None, ""))
                root = _attach(name, stack, node, root)
            elif isinstance(event, yaml.SequenceStartEvent):
                stack.append((Sequence([], _loc(name, event.start_mark)), None))
                _check_depth(name, stack, event)
            elif isinstance(event, yaml.MappingStartEvent):
                stack.append((Mapping({}, _loc(name, event.start_mark)), None))
                _check_depth(name, stack, event)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                container, _ = stack.pop()
                root = _attach(name, stack, container, root)
    except yaml.MarkedYAMLError as exc:
        raise _Stop(_syntax_problem(name, text, exc)) from None
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        raise _Stop(_reader_problem(name, text, exc)) from None
    return root


def _check_node_event(name: str, event) -> None:
    if event.anchor is not None:
        raise _Stop(_anchor_problem(name, event, f"&{event.anchor}"))
    if event.tag is not None and not (isinstance(event, yaml.ScalarEvent) and event.tag == "!"):
        raise _Stop(
            Problem(
                f"YAML tags such as '{event.tag}' are not allowed",
                _loc(name, event.start_mark),
                hint="remove the tag and write the value as plain text",
            )
        )


def _check_depth(name: str, stack: list, event) -> None:
    if len(stack) > MAX_DEPTH:
        raise _Stop(
            Problem(
                f"values are nested more than {MAX_DEPTH} levels deep",
                _loc(name, event.start_mark),
                hint="the data format never nests this deep; check the brackets and indentation",
            )
        )


def _anchor_problem(name: str, event, text: str) -> Problem:
    return Problem(
        f"YAML anchors and aliases ('{text}') are not allowed",
        _loc(name, event.start_mark),
        hint="write the value out in full where it is needed",
    )


def _attach(name: str, stack: list, node: Node, root: Node | None) -> Node | None:
    """Put a finished node into its parent (or make it the root)."""
    if not stack:
        return node
    container, pending_key = stack[-1]
    if isinstance(container, Sequence):
        container.items.append(node)
    elif pending_key is None:
        if not isinstance(node, Scalar):
            raise _Stop(
                Problem(
                    "a key must be plain text, not a list or mapping",
                    node.loc,
                    hint="check the indentation: a key is followed by ':'",
                )
            )
        stack[-1] = (container, node)
    else:
        key = pending_key.value
        if key in container.items:
            first = container.items[key][0].loc
            raise _Stop(
                Problem(
                    f"duplicate key '{key}' (first at line {first.line})",
                    pending_key.loc,
                    hint="a key may appear once in a mapping; merge the two or rename one",
                )
            )
        container.items[key] = (pending_key, node)
        stack[-1] = (container, None)
    return root


_HINTS = (
    ("flow sequence", "a list written in [brackets] needs its closing ']'"),
    ("flow mapping", "a mapping written in {braces} needs its closing '}'"),
    ("mapping values are not allowed", "a value containing ': ' must be put in quotes"),
    ("found unexpected end of stream", "the file ends in the middle of a value: is it truncated?"),
    ("could not find expected ':'", "a key needs ':' after it; a long text may need quotes"),
    ("found undefined alias", "YAML aliases are not allowed"),
    ("expected <block end>", "check the indentation of this line against the ones above"),
    ("did not find expected key", "check the indentation of this line against the ones above"),
    ("did not find expected '-' indicator", "list items in one list start with '-' at the same indentation"),
    ("found character '@'", "a value starting with '@' or '`' must be put in quotes"),
    ("found character '`'", "a value starting with '@' or '`' must be put in quotes"),
)


def _syntax_problem(name: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
    if _char_at(text, mark) == "\t":
        return Problem("a tab character where YAML expects spaces", _loc(name, mark), hint="indent with spaces, never tabs")
    said = f"{exc.context or ''} {exc.problem or ''}"
    hint = next((h for needle, h in _HINTS if needle in said), "fix the YAML syntax here")
    return Problem(f"YAML syntax error: {what}", _loc(name, mark), hint=hint)


def _char_at(text: str, mark) -> str:
    if mark is None:
        return ""
    lines = text.split("\n")
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


def _reader_problem(name: str, text: str, exc: yaml.YAMLError) -> Problem:
    position = getattr(exc, "position", None)
    character = getattr(exc, "character", None)
    line = text.count("\n", 0, position) + 1 if isinstance(position, int) else 0
    code = ord(character) if isinstance(character, str) else character
    shown = f"U+{code:04X}" if isinstance(code, int) else "an unknown character"
    return Problem(
        f"the file contains a character YAML does not allow ({shown})",
        Location(name, line),
        hint="remove control characters; text must be printable UTF-8",
    )

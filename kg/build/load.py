"""Read YAML files strictly: every value keeps its file, line and column.

We compose the document ourselves from the parser's event stream instead of
calling ``yaml.safe_load``, because the fan-facing promises need it:

* **Nothing is retyped.**  Every scalar stays the text the fan typed (``NO``,
  ``1:30``, ``0123`` are strings); the schema in :mod:`kg.build.vocab` decides what
  a value must be and says so when it is not.  YAML 1.1's implicit typing never
  runs.
* **Duplicate keys** in one mapping are an error with both lines
  (``safe_load`` silently keeps the last one).
* **Anchors, aliases and tags** (``&a``, ``*a``, ``!!python/...``, ``!``) are
  refused: no alias bomb can expand, no object can be constructed.
* **Nesting is bounded** while events stream in, so a ``[[[[...`` bomb stops
  after a few dozen events instead of costing the parser minutes.
* **Encoding**: UTF-8 only, no byte-order mark, with the line of a bad byte.

A problem also records the YAML path of the value it is in, so that
:mod:`kg.build.collect` can name the entity and key.  libyaml's C parser is used when
PyYAML has it (18x faster on large files), the pure-Python parser otherwise.
They produce the same events; at the very end of a truncated file their marks
may differ, so a reported line is clamped to the file's last line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kg.errors import Location, Problem, UsageError

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

MAX_DEPTH = 24  # our format nests 6 deep at most; anything far deeper is an accident or an attack
NESTING_HINT = "the data format never nests this deep; check the brackets and indentation"

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
YAMLPath = tuple[str | int, ...]  # keys and list indexes from the root, e.g. ("characters", "eve", "name")


@dataclass
class YAMLFile:
    """One parsed file: its root node, or the problem that stopped it and where."""

    path: str
    root: Node | None
    problems: list[Problem] = field(default_factory=list)
    where: YAMLPath = ()  # the YAML path of the value the problem is in


class _Stop(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def read_yaml(path: Path, display: str | None = None) -> YAMLFile:
    """Parse one file strictly.  Bad content is reported in ``problems``; a file
    that cannot be read at all raises :class:`UsageError` (an I/O error)."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror}") from None
    try:
        text = _decode(raw, name)
    except _Stop as stop:
        return YAMLFile(name, None, [stop.problem])
    composer = _Composer(name, text)
    try:
        root = composer.compose()
    except _Stop as stop:
        return YAMLFile(name, None, [stop.problem], composer.path())
    if root is None:
        return YAMLFile(name, None, [Problem("the file is empty", Location(name, 1),
                                             hint="add entities to it, or delete it")])
    return YAMLFile(name, root)


def _decode(raw: bytes, name: str) -> str:
    for bom, encoding in BOMS.items():
        if raw.startswith(bom):
            raise _Stop(Problem(f"the file starts with a {encoding} byte-order mark", Location(name, 1, 1),
                                hint="save it as UTF-8 without BOM"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _Stop(Problem(f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                            Location(name, line, column), hint="save it with UTF-8 encoding")) from None


class _Composer:
    """Builds the node tree from parser events, iteratively, enforcing our rules."""

    def __init__(self, name: str, text: str):
        self.name, self.text = name, text
        self.last_line = max(1, len(text.splitlines()))
        self.stack: list[tuple[Sequence | Mapping, Scalar | None]] = []  # container, pending key
        self.root: Node | None = None

    def loc(self, mark) -> Location:
        if mark is None:
            return Location(self.name)
        return Location(self.name, min(mark.line + 1, self.last_line), mark.column + 1)

    def stop(self, message: str, mark, hint: str) -> _Stop:
        return _Stop(Problem(message, self.loc(mark), hint=hint))

    def path(self) -> YAMLPath:
        """The keys and list indexes down to the value being read."""
        path: list[str | int] = []
        for container, pending_key in self.stack:
            if isinstance(container, Sequence):
                path.append(len(container.items))
            elif pending_key is not None:
                path.append(pending_key.value)
            else:
                break
        return tuple(path)

    def compose(self) -> Node | None:
        try:
            for event in yaml.parse(self.text, Loader=_EventLoader):
                self.event(event)
        except yaml.MarkedYAMLError as exc:
            raise _Stop(self.syntax_problem(exc)) from None
        except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
            raise _Stop(self.reader_problem(exc)) from None
        return self.root

    def event(self, event) -> None:
        if isinstance(event, yaml.DocumentStartEvent) and self.root is not None:
            raise self.stop("a second YAML document ('---') in one file", event.start_mark,
                            "keep one document per file, or split it into two files")
        if isinstance(event, yaml.AliasEvent):
            raise self.stop(f"YAML anchors and aliases ('*{event.anchor}') are not allowed", event.start_mark,
                            "write the value out in full where it is needed")
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            self.check_plain(event)
        if isinstance(event, yaml.ScalarEvent):
            self.attach(Scalar(event.value, self.loc(event.start_mark), event.style not in (None, "")))
        elif isinstance(event, yaml.CollectionStartEvent):
            container_type = Sequence if isinstance(event, yaml.SequenceStartEvent) else Mapping
            self.stack.append((container_type({} if container_type is Mapping else [],
                                              self.loc(event.start_mark)), None))
            if len(self.stack) > MAX_DEPTH:
                raise self.stop(f"values are nested more than {MAX_DEPTH} levels deep", event.start_mark,
                                NESTING_HINT)
        elif isinstance(event, yaml.CollectionEndEvent):
            container, _ = self.stack.pop()
            self.attach(container)

    def check_plain(self, event) -> None:
        if event.anchor is not None:
            raise self.stop(f"YAML anchors and aliases ('&{event.anchor}') are not allowed", event.start_mark,
                            "write the value out in full where it is needed")
        if event.tag is not None:
            shown = event.tag.replace("tag:yaml.org,2002:", "!!", 1)
            raise self.stop(f"YAML tags such as '{shown}' are not allowed", event.start_mark,
                            "remove the tag and write the value as plain text")

    def attach(self, node: Node) -> None:
        """Put a finished node into its parent, or make it the root."""
        if not self.stack:
            self.root = node
            return
        container, pending_key = self.stack[-1]
        if isinstance(container, Sequence):
            container.items.append(node)
        elif pending_key is None:
            if not isinstance(node, Scalar):
                raise _Stop(Problem("a key must be plain text, not a list or mapping", node.loc,
                                    hint="check the indentation: a key is followed by ':'"))
            self.stack[-1] = (container, node)
        else:
            key = pending_key.value
            if key in container.items:
                first = container.items[key][0].loc
                raise _Stop(Problem(f"duplicate key '{key}' (first at line {first.line})", pending_key.loc,
                                    hint="a key may appear once in a mapping; merge the two or rename one"))
            container.items[key] = (pending_key, node)
            self.stack[-1] = (container, None)

    def syntax_problem(self, exc: yaml.MarkedYAMLError) -> Problem:
        mark = exc.problem_mark or exc.context_mark
        if self.char_at(mark) == "\t":
            return Problem("a tab character where YAML expects spaces", self.loc(mark),
                           hint="indent with spaces, never tabs")
        said = f"{exc.context or ''} {exc.problem or ''}"
        if "maximum nesting depth" in said:  # PyYAML >= 6.0.4 stops a nesting bomb itself, in its scanner
            return Problem(f"values are nested more than {MAX_DEPTH} levels deep", self.loc(mark),
                           hint=NESTING_HINT)
        what = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        hint = next((h for needle, h in _HINTS if needle in said), "fix the YAML syntax here")
        return Problem(f"YAML syntax error: {what}", self.loc(mark), hint=hint)

    def char_at(self, mark) -> str:
        lines = self.text.split("\n")
        if mark is not None and mark.line < len(lines) and mark.column < len(lines[mark.line]):
            return lines[mark.line][mark.column]
        return ""

    def reader_problem(self, exc: yaml.YAMLError) -> Problem:
        position = getattr(exc, "position", None)
        character = getattr(exc, "character", None)
        line = self.text.count("\n", 0, position) + 1 if isinstance(position, int) else 0
        code = ord(character) if isinstance(character, str) else character
        shown = f"U+{code:04X}" if isinstance(code, int) else "an unknown character"
        return Problem(f"the file contains a character YAML does not allow ({shown})",
                       Location(self.name, min(line, self.last_line)),
                       hint="remove control characters; text must be printable UTF-8")


_HINTS = (
    ("flow sequence", "a list written in [brackets] needs its closing ']'"),
    ("flow mapping", "a mapping written in {braces} needs its closing '}'"),
    ("mapping values are not allowed", "a value containing ': ' must be put in quotes"),
    ("found unexpected end of stream", "the file ends in the middle of a value: is it truncated?"),
    ("could not find expected ':'", "a key needs ':' after it; a long text may need quotes"),
    ("expected <block end>", "check the indentation of this line against the ones above"),
    ("did not find expected key", "check the indentation of this line against the ones above"),
    ("did not find expected '-' indicator", "list items in one list start with '-' at the same indentation"),
    ("found character '@'", "a value starting with '@' or '`' must be put in quotes"),
    ("found character '`'", "a value starting with '@' or '`' must be put in quotes"),
)

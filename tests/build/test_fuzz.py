"""Random and mutated YAML: every input ends in a valid build or a clear error, never a traceback.

A clear error is :class:`~kg.errors.DataInvalid` whose problems each have a
non-empty message and a location in one of the data files (or
:class:`~kg.errors.UsageError` with a message).  Any other exception, or a
traceback logged on the way (rdflib logs some instead of raising), fails.

Also: every reported line is a line of its file; and a scan of the source
with :mod:`ast`: nothing calls ``yaml.load`` or uses a loader that can
construct Python objects.
"""

from __future__ import annotations

import ast
import logging
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.build import build, vocab
from kg.errors import DataInvalid, Problem, UsageError

from ..conftest import ROOT, UNIVERSE

UNIVERSE_FILES: dict[str, bytes] = {p.name: p.read_bytes() for p in sorted(UNIVERSE.glob("*.yaml"))}
SLUGS = sorted({slug for data in UNIVERSE_FILES.values()
                for slug in re.findall(r"^  ([a-z0-9-]+):", data.decode(), re.MULTILINE)})

# Scalars YAML 1.1 would retype, that break a key's form, or that are YAML syntax.
SCALARS = ["NO", "yes", "off", "~", "null", "", "1:30", "0123", "0x1F", "1e3", ".inf", "-1", "0", "101",
           "999999999", "2014-02-30", "2014-10-24", "1975", "Q1000001", "tt0000001", "nm0000001",
           "https://example.org/x", "unconfirmed", "film", "[]", "{}", "[a, b]", "{value: x}", "&a x", "*a",
           "!!str x", "!!python/object/apply:os.system [true]", "'quoted'", '"dq\\x"', "|", ">-", "- x",
           "? x", "%", "@x", "`x", "#", "a: b", *SLUGS]
# Fragments to insert: indentation, YAML indicators, anchors, tags, directives, odd characters.
FRAGMENTS = ["\t", " ", "    ", ":", ": ", "- ", "'", '"', "[", "]", "{", "}", ",", "&a ", "*a", "<<: *a",
             "!!python/object:os.system ", "!tag ", "!!str ", "! ", "? ", "|", ">", "#", "%YAML 1.1\n",
             "---\n", "...\n", "@", "`", "\\", "~", "\n", "\r", "\r\n", "\x00", "\x07", "\x85", "\ufeff",
             "\u2028", "é", "😀"]

FUZZ = settings(max_examples=200, deadline=None)


# ---------------------------------------------------------------- the property


@contextmanager
def logged_tracebacks():
    """Collect the log records that carry a traceback while the block runs."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = lambda record: records.append(record) if record.exc_info else None
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield records
    finally:
        root.removeHandler(handler)


def build_outcome(files: dict[str, bytes]) -> list[tuple[str, Problem]]:
    """Build a data folder of these files: [] when valid, else each problem with its file's name.

    Fails unless the build succeeds or raises a clear error, without logging a traceback.
    """
    found = []
    with tempfile.TemporaryDirectory() as tmp, logged_tracebacks() as logged:
        folder = Path(tmp)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        try:
            build(folder)
        except DataInvalid as exc:
            assert exc.problems, "DataInvalid without a problem"
            for problem in exc.problems:
                assert problem.message.strip(), f"a problem without a message: {problem!r}"
                assert problem.location is not None, f"a problem without a location: {problem}"
                path = Path(problem.location.file)
                assert path.parent == folder and path.name in files, f"not in a data file: {problem}"
                assert problem.location.line >= 1, f"no line: {problem}"
                assert str(problem).startswith(f"{problem.location}: ")
                found.append((path.name, problem))
        except UsageError as exc:
            assert str(exc).strip()
        assert not logged, f"a traceback was logged: {logged[0].getMessage()}"
    return found


def assert_builds_or_fails_clearly(files: dict[str, bytes]) -> None:
    build_outcome(files)


YAML_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def line_count(data: bytes) -> int:
    """The lines of a file as YAML counts them; a final line break starts no new line."""
    lines = YAML_LINE_BREAK.split(data.decode("utf-8", "replace"))
    if lines[-1] == "":
        lines.pop()
    return max(1, len(lines))  # an empty file is reported at line 1


# ---------------------------------------------------------------- random input


@pytest.mark.slow
@FUZZ
@given(st.binary(max_size=600))
def test_random_bytes(data):
    assert_builds_or_fails_clearly({**UNIVERSE_FILES, "random.yaml": data})


yaml_token = st.sampled_from([*FRAGMENTS, *SCALARS, "name", "characters", "\n  ", "\n    ", "\n      - "])


@pytest.mark.slow
@FUZZ
@given(st.lists(yaml_token, max_size=80))
def test_random_yaml_like_text(tokens):
    text = "".join(tokens)
    assert_builds_or_fails_clearly({**UNIVERSE_FILES, "random.yaml": text.encode("utf-8", "surrogatepass")})


@pytest.mark.slow
@FUZZ
@given(st.text(max_size=300))
def test_random_unicode_text(text):
    assert_builds_or_fails_clearly({**UNIVERSE_FILES, "random.yaml": text.encode("utf-8", "surrogatepass")})


# ---------------------------------------------------------------- well-formed YAML in the data's vocabulary

scalar = st.sampled_from(SCALARS) | st.text(max_size=12)
value = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["value", *vocab.QUALIFIERS, "character", "credited_as", "nope"]), inner,
                      max_size=3),
    max_leaves=6,
)
all_keys = sorted({k for kind in vocab.KINDS for k in kind.keys} | {"type", "source", "revealed_in", "about"})
entity_body = st.dictionaries(st.sampled_from(all_keys), value, max_size=5)
section = st.dictionaries(st.sampled_from(SLUGS) | st.from_regex(r"[a-z]{1,6}(-[a-z]{1,6})?", fullmatch=True)
                          | scalar, entity_body, max_size=3)
data_file = st.dictionaries(
    st.sampled_from([*vocab.KINDS_BY_SECTION, *vocab.FILE_KEYS, "unknown"]),
    section | st.lists(entity_body, max_size=3) | scalar,
    max_size=3,
)


@pytest.mark.slow
@FUZZ
@given(data_file)
def test_well_formed_yaml_in_the_data_vocabulary(document):
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    assert_builds_or_fails_clearly({**UNIVERSE_FILES, "random.yaml": text.encode("utf-8", "surrogatepass")})


# ---------------------------------------------------------------- mutated fixture universe

at = st.integers(min_value=0, max_value=10_000)  # taken modulo the number of lines or bytes
inserted = st.sampled_from(FRAGMENTS) | st.text(min_size=1, max_size=4)
mutation = st.one_of(
    st.tuples(st.just("delete line"), at),
    st.tuples(st.just("duplicate line"), at),
    st.tuples(st.just("swap lines"), at, at),
    st.tuples(st.just("indent line"), at, st.integers(min_value=-4, max_value=4)),
    st.tuples(st.just("tab-indent line"), at),
    st.tuples(st.just("insert"), at, inserted),
    st.tuples(st.just("replace value"), at, scalar),
    st.tuples(st.just("insert bytes"), at, st.binary(min_size=1, max_size=3)),
    st.tuples(st.just("truncate"), at),
)


def mutate(data: bytes, change: tuple) -> bytes:
    """Apply one change, such as ("delete line", 12), to the bytes of a file."""
    what, where, *args = change
    lines = data.split(b"\n")
    i = where % len(lines)
    if what == "delete line":
        del lines[i]
    elif what == "duplicate line":
        lines.insert(i, lines[i])
    elif what == "swap lines":
        j = args[0] % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
    elif what == "indent line":
        shift, indent = args[0], len(lines[i]) - len(lines[i].lstrip(b" "))
        lines[i] = b" " * shift + lines[i] if shift > 0 else lines[i][min(-shift, indent):]
    elif what == "tab-indent line":
        lines[i] = b"\t" + lines[i].lstrip(b" ")
    elif what == "replace value":
        key, colon, _ = lines[i].partition(b": ")
        lines[i] = key + b": " + args[0].encode("utf-8", "surrogatepass") if colon else lines[i]
    elif what in ("insert", "insert bytes"):
        piece = args[0] if isinstance(args[0], bytes) else args[0].encode("utf-8", "surrogatepass")
        at_byte = where % (len(data) + 1)
        return data[:at_byte] + piece + data[at_byte:]
    elif what == "truncate":
        return data[: where % (len(data) + 1)]
    return b"\n".join(lines)


universe_changes = st.lists(st.tuples(st.sampled_from(sorted(UNIVERSE_FILES)), mutation), min_size=1, max_size=4)


def mutated_universe(changes: list[tuple[str, tuple]]) -> dict[str, bytes]:
    files = dict(UNIVERSE_FILES)
    for name, change in changes:
        files[name] = mutate(files[name], change)
    return files


@pytest.mark.slow
@settings(FUZZ, max_examples=300)
@given(universe_changes)
def test_mutated_fixture_universe(changes):
    assert_builds_or_fails_clearly(mutated_universe(changes))


@pytest.mark.slow
@FUZZ
@given(universe_changes)
def test_a_reported_line_is_a_line_of_the_file(changes):
    files = mutated_universe(changes)
    for name, problem in build_outcome(files):
        assert problem.location.line <= line_count(files[name]), f"past the end of the file: {problem}"


def test_the_fixture_universe_itself_builds():
    """The mutations start from valid data: what fails is due to them."""
    assert build_outcome(UNIVERSE_FILES) == []


@pytest.mark.parametrize("data, lines", [
    (b"", 1), (b"a: 1", 1), (b"a: 1\n", 1), (b"a: 1\nb", 2), (b"a: 1\r\nb: 2\r\n", 2), (b"a\rb\xc2\x85c", 3),
])
def test_line_count(data, lines):
    assert line_count(data) == lines


@pytest.mark.parametrize("change, expected", [
    (("delete line", 1), b"a: 1\nc: 3\n"),
    (("duplicate line", 0), b"a: 1\na: 1\nb: 2\nc: 3\n"),
    (("swap lines", 0, 2), b"c: 3\nb: 2\na: 1\n"),
    (("indent line", 1, 2), b"a: 1\n  b: 2\nc: 3\n"),
    (("tab-indent line", 1), b"a: 1\n\tb: 2\nc: 3\n"),
    (("replace value", 2, "NO"), b"a: 1\nb: 2\nc: NO\n"),
    (("insert", 1, "&a "), b"a&a : 1\nb: 2\nc: 3\n"),
    (("truncate", 7), b"a: 1\nb:"),
])
def test_mutations_do_what_they_say(change, expected):
    assert mutate(b"a: 1\nb: 2\nc: 3\n", change) == expected


# ---------------------------------------------------------------- no unsafe YAML loading anywhere

UNSAFE_FUNCTIONS = {"load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all"}
UNSAFE_LOADERS = {"Loader", "FullLoader", "UnsafeLoader", "CLoader", "CFullLoader", "CUnsafeLoader"}


def unsafe_yaml_uses(source: str) -> list[str]:
    """Where a module's code names yaml.load & co. or an unsafe loader, however yaml was imported."""
    tree = ast.parse(source)
    modules = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names if alias.name.split(".")[0] == "yaml"}  # import yaml[.loader] [as y]
    unsafe = UNSAFE_FUNCTIONS | UNSAFE_LOADERS
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "yaml":
            found += [f"line {node.lineno}: from {node.module} import {a.name}"
                      for a in node.names if a.name in unsafe or a.name == "*"]
        elif isinstance(node, ast.Attribute) and node.attr in unsafe and _root_name(node) in modules:
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def _root_name(node: ast.Attribute) -> str | None:
    """'yaml' for yaml.loader.Loader."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def python_files() -> list[Path]:
    return sorted(p for folder in ("kg", "web", "bench", "tests") for p in (ROOT / folder).rglob("*.py"))


def test_no_source_file_loads_yaml_unsafely():
    files = python_files()
    assert ROOT / "kg" / "build" / "load.py" in files
    found = [f"{path.relative_to(ROOT)}: {use}" for path in files
             for use in unsafe_yaml_uses(path.read_text(encoding="utf-8"))]
    assert not found


@pytest.mark.parametrize("source", [
    "import yaml\nyaml.load(text)",
    "import yaml\nyaml.load(text, Loader=yaml.SafeLoader)",
    "import yaml\nyaml.safe_load(text, Loader=yaml.FullLoader)",
    "import yaml\nyaml.load_all(text)",
    "import yaml\nyaml.unsafe_load(text)",
    "import yaml as y\ny.full_load(text)",
    "import yaml\nloader = yaml.UnsafeLoader",
    "import yaml\nyaml.parse(text, Loader=yaml.CLoader)",
    "from yaml import load",
    "from yaml import Loader as L",
    "from yaml.loader import FullLoader",
    "from yaml import *",
    "import yaml.loader\nyaml.loader.Loader",
    "import yaml.constructor as c\nc.FullLoader",
])
def test_the_scan_finds_unsafe_loading(source):
    assert unsafe_yaml_uses(source)


@pytest.mark.parametrize("source", [
    "import yaml\nyaml.safe_load(text)",
    "import yaml\nyaml.parse(text, Loader=yaml.CSafeLoader)",
    "from yaml import CSafeLoader, SafeLoader, safe_load",
    "import json\njson.load(handle)",
    "text = 'yaml.load(x)'",
])
def test_the_scan_lets_safe_loading_pass(source):
    assert not unsafe_yaml_uses(source)

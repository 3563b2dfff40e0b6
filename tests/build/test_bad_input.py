"""Bad input: every defect is reported as ``file:line: entity: key: message (hint)``.

One data folder per defect under ``tests/fixtures/invalid/``: the minimal
universe of :data:`MINIMAL` plus one defect, described by the comment on its
first line.  For each one, ``kg build`` and ``kg validate`` must exit 1, print
the problem with its file and line, the entity and key where the defect is
inside an entity, and a fix hint in parentheses; print no traceback (nor log
one); and write or change no file.

SHACL violations are reported in the shape's own words (``sh:message``), which
say how to fix the value themselves, so they carry no separate hint.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDFS, SH, SKOS

from kg.build import build
from kg.model import shapes_graph
from kg.namespaces import JWO, JWR

from ..conftest import FIXTURES, ROOT, UNIVERSE

INVALID = FIXTURES / "invalid"

#: The smallest valid universe; each invalid fixture is this text plus one defect.
MINIMAL = """\
# {comment}
source: ref-a
sources:
  ref-a:
    type: reference
    name: Reference A
    url: https://example.org/a
    about: film-a
works:
  film-a:
    type: film
    name: Film A
characters:
  hero:
    name: Hero
    appears_in: [film-a]
"""
HERO_NAME_LINE = 15


def minimal(comment: str, old: str = "", new: str = "") -> str:
    text = MINIMAL.format(comment=comment)
    assert not old or text.count(old) == 1, old
    return text.replace(old, new) if old else text


@dataclass(frozen=True)
class Case:
    folder: str  # under tests/fixtures/invalid/, or generated into tmp_path (see `files`)
    file: str | None  # the file at fault, in that folder; None when it is the folder itself
    line: int | None
    message: str  # regex: what is wrong, as printed after "entity: key: " and before the hint
    entity: str | None = None  # "character 'hero'": where the defect is inside an entity
    key: str | None = None
    hint: str | None = r".+"  # regex: the fix, in parentheses at the end; None for SHACL
    shacl: bool = False
    # Generated cases: file name -> bytes, written into tmp_path instead of stored.  Editors,
    # formatters and hooks (fix-byte-order-marker, fix-encoding) silently "repair" a stored BOM,
    # latin-1 byte or control character, and a diff shows none of them; here the bytes are
    # spelled out in the test source.
    files: dict[str, bytes] = field(default_factory=dict, compare=False)


def _bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


CASES = [
    # -- YAML that cannot be read
    Case("yaml-syntax-error", "universe.yaml", 15,
         r"YAML syntax error: mapping values are not allowed in this context",
         entity="character 'hero'", hint=r"a value containing ': ' must be put in quotes"),
    Case("tab-indentation", "universe.yaml", 15, r"a tab character where YAML expects spaces",
         entity="character 'hero'", hint=r"indent with spaces, never tabs"),
    Case("truncated-file", "universe.yaml", 15,
         r"YAML syntax error: while scanning a quoted scalar found unexpected end of stream",
         entity="character 'hero'", key="name", hint=r".*truncated.*"),
    # cut in a key, with no final line break: the line of the cut key, not one past the end
    Case("truncated-in-a-key", "universe.yaml", 16,
         r"YAML syntax error: while scanning a simple key could not find expected ':'",
         entity="character 'hero'"),
    Case("second-document", "universe.yaml", 17, r"a second YAML document \('---'\) in one file"),
    Case("deep-nesting", "universe.yaml", 17, r"values are nested more than \d+ levels deep"),
    Case("empty-file", "empty.yaml", 1, r"the file is empty"),
    Case("file-not-a-mapping", "list.yaml", 2,
         r"a data file must be a mapping of sections such as 'characters:'"),
    Case("empty-data-folder", None, None,
         r"no data files \(\*\.yaml\) in tests/fixtures/invalid/empty-data-folder"),
    # -- encodings and characters YAML does not allow: generated, see Case.files
    Case("utf-8-byte-order-mark", "universe.yaml", 1, r"the file starts with a UTF-8 byte-order mark",
         hint=r"save it as UTF-8 without BOM",
         files={"universe.yaml": b"\xef\xbb\xbf" + _bytes(minimal("A UTF-8 byte-order mark before this line."))}),
    Case("utf-16-file", "universe.yaml", 1,
         r"the file starts with a UTF-16 \(little-endian\) byte-order mark",
         files={"universe.yaml": b"\xff\xfe" + _bytes(minimal("Saved as UTF-16."), "utf-16-le")}),
    Case("latin-1-byte", "universe.yaml", HERO_NAME_LINE, r"the file is not valid UTF-8 \(byte 0xe9\)",
         hint=r"save it with UTF-8 encoding",
         files={"universe.yaml": _bytes(minimal("A name saved as latin-1: its e-acute is byte 0xe9.",
                                                "name: Hero", "name: Café"), "latin-1")}),
    Case("control-character", "universe.yaml", HERO_NAME_LINE,
         r"the file contains a character YAML does not allow \(U\+0007\)",
         files={"universe.yaml": _bytes(minimal("A BEL control character in a name.",
                                                "name: Hero", "name: He\x07ro"))}),
    # -- what plain YAML forbids: duplicate keys, anchors and aliases, tags
    Case("duplicate-key", "universe.yaml", 16, r"duplicate key 'name' \(first at line 15\)",
         entity="character 'hero'", key="name"),
    Case("anchor-and-alias", "universe.yaml", 12, r"YAML anchors and aliases \('&title'\) are not allowed",
         entity="work 'film-a'", key="name"),
    Case("alias-bomb", "bomb.yaml", 2, r"YAML anchors and aliases \('&a'\) are not allowed"),
    Case("python-tag", "universe.yaml", 15,
         r"YAML tags such as '!!python/object/apply:os\.system' are not allowed",
         entity="character 'hero'", key="name"),
    Case("other-tag", "universe.yaml", 13, r"YAML tags such as '!!timestamp' are not allowed",
         entity="work 'film-a'", key="released"),
    # -- YAML 1.1 would retype these: they must stay the text typed, and that text is checked
    Case("runtime-sexagesimal", "universe.yaml", 13, r"'1:30' is not a whole number from 1",
         entity="work 'film-a'", key="runtime", hint=r"write it like \d+"),
    Case("runtime-leading-zero", "universe.yaml", 13, r"'0123' is not a whole number from 1",
         entity="work 'film-a'", key="runtime"),
    Case("imdb-leading-zero", "universe.yaml", 13, r"'0123' is not an IMDb id",
         entity="work 'film-a'", key="imdb", hint=r"write it like tt\d+.*"),
    # -- keys and values
    Case("unknown-key", "universe.yaml", 16, r"'birthname' is not a key of a character",
         entity="character 'hero'", key="birthname", hint=r"did you mean 'birth_name'\?"),
    Case("list-instead-of-text", "universe.yaml", 15, r"takes one value, not a list",
         entity="character 'hero'", key="name"),
    Case("not-a-date", "universe.yaml", 13, r"'October 2014' is not a date",
         entity="work 'film-a'", key="released", hint=r"write it like 2014-10-24"),
    Case("impossible-date", "universe.yaml", 13, r"'2014-02-30' is not a real date",
         entity="work 'film-a'", key="released", hint=r"write it like 2014-10-24"),
    Case("empty-value", "universe.yaml", 15, r"is empty", entity="character 'hero'", key="name"),
    Case("not-a-slug", "universe.yaml", 17, r"'Bad Guy' is not a slug", entity="character 'Bad Guy'",
         hint=r".*'bad-guy'"),
    Case("unknown-section", "universe.yaml", 17, r"unknown section 'charcters'",
         hint=r"did you mean 'characters'\?"),
    Case("unknown-type", "universe.yaml", 11, r"'movie' is not a type of work", entity="work 'film-a'",
         key="type", hint=r"types are: film, series, episode, video-game, comic-series, comic-issue"),
    Case("key-of-another-type", "universe.yaml", 21, r"is only for a hotel branch, not a council",
         entity="organization 'council-a'", key="managers"),
    Case("long-hand-without-value", "universe.yaml", 17, r"a long-hand value needs 'value:'",
         entity="character 'hero'", key="aliases"),
    Case("name-in-facts-block", "universe.yaml", 19, r"'name' is set where the entity is defined",
         entity="character 'hero'", key="name"),
    # -- a work's plot: a list of acts, each numbered once, each with its text
    Case("plot-on-a-character", "universe.yaml", 17, r"'plot' is not a key of a character",
         entity="character 'hero'", key="plot", hint=r"only a work has 'plot'"),
    Case("plot-not-a-list", "universe.yaml", 13, r"'plot' is a list of parts, each with 'act:' and 'text:'",
         entity="work 'film-a'", key="plot", hint=r"write one item per act, .*"),
    Case("plot-part-without-text", "universe.yaml", 14, r"a plot part needs 'text:'",
         entity="work 'film-a'", key="plot"),
    Case("plot-empty-text", "universe.yaml", 15, r"is empty", entity="work 'film-a'", key="plot.text"),
    Case("plot-act-repeated", "universe.yaml", 16,
         r"act 1 is told twice \(first at tests/fixtures/invalid/plot-act-repeated/universe.yaml:14\)",
         entity="work 'film-a'", key="plot", hint=r"number the acts 1, 2, 3 \.\.\. once each; .*"),
    Case("plot-act-missing", "universe.yaml", 16, r"act 2 is missing \(the acts are 1, 3\)",
         entity="work 'film-a'", key="plot", hint=r"number the acts 1, 2, 3 \.\.\. with no gap"),
    # -- references, slugs and sources across the universe
    Case("unknown-slug", "universe.yaml", 16, r"unknown work 'flim-a'", entity="character 'hero'",
         key="appears_in", hint=r"did you mean 'film-a'\?"),
    Case("wrong-kind-reference", "universe.yaml", 16, r"'ref-a' is a reference, not a work",
         entity="character 'hero'", key="appears_in"),
    Case("facts-about-unknown-entity", "universe.yaml", 18, r"'about' names an unknown entity 'villain'",
         key="about"),
    Case("duplicate-slug", "world.yaml", 4,
         r"duplicate slug \(already a character at tests/fixtures/invalid/duplicate-slug/universe.yaml:14\)",
         entity="character 'hero'"),
    # the keys without a source are named in the message, so there is no single key
    Case("fact-without-source", "universe.yaml", 15, r"no source for: name, appears_in",
         entity="character 'hero'", hint=r"add 'source: <slug>' .*"),
    Case("story-fact-without-revealing-work", "universe.yaml", 16,
         r"story fact from 'ref-a' with no work that reveals it \(it is not about one work\)",
         entity="character 'hero'", key="arc", hint=r"add 'revealed_in: <work>' .*"),
    # -- SHACL: at the line of the offending value, or of the entity when the value is missing
    Case("missing-label", "universe.yaml", 14,
         r"needs exactly one name: add 'name: \.\.\.' \(plain text, no language tag\)",
         entity="character 'hero'", key="name", hint=None, shacl=True),
    Case("hotel-branch-without-location", "universe.yaml", 21,
         r"a hotel branch needs one 'location:', the city it is in",
         entity="organization 'branch-a'", key="location", hint=None, shacl=True),
    Case("character-in-no-work", "universe.yaml", 17, r"a character must appear in at least one work: .*",
         entity="character 'villain'", key="appears_in", hint=None, shacl=True),
    Case("city-in-a-city", "universe.yaml", 24, r"a city is 'located_in' a country .*",
         entity="place 'city-b'", key="located_in", hint=None, shacl=True),
    # two values: at the one in excess (the facts block), naming where the first one is
    Case("two-release-dates", "universe.yaml", 20,
         r"'released' takes one date, .* \(the first value is at "
         r"tests/fixtures/invalid/two-release-dates/universe.yaml:13\)",
         entity="work 'film-a'", key="released", hint=None, shacl=True),
    Case("two-premises", "universe.yaml", 20,
         r"'premise' takes one English text, .* \(the first value is at "
         r"tests/fixtures/invalid/two-premises/universe.yaml:13\)",
         entity="work 'film-a'", key="premise", hint=None, shacl=True),
    Case("series-with-runtime", "universe.yaml", 13, r"a series has no 'runtime'; give each episode its own",
         entity="work 'film-a'", key="runtime", hint=None, shacl=True),
    Case("premiere-after-release", "universe.yaml", 14,
         r"'premiered' comes after 'released': a premiere is on or before the general release",
         entity="work 'film-a'", key="premiered", hint=None, shacl=True),
    Case("duplicate-release-order", "universe.yaml", 17, r"is also the release order of 'film-a'",
         entity="work 'film-b'", key="release_order", hint=r"each work needs its own place: renumber one of them"),
    # the shapes must see an entity even when only its values carry sources
    Case("sourced-only-per-value", "universe.yaml", 14, r"a character must appear in at least one work: .*",
         entity="character 'hero'", key="appears_in", hint=None, shacl=True),
    # caught before SHACL, in the shape's own words: without a name an entity has no type for shapes to target
    Case("entity-without-name", "universe.yaml", 14,
         r"needs exactly one name: add 'name: \.\.\.' \(plain text, no language tag\)",
         entity="character 'hero'", key="name", hint=None, shacl=True),
]


def test_every_fixture_folder_has_a_case():
    stored = {p.name for p in INVALID.iterdir() if p.is_dir()}
    listed = {c.folder for c in CASES if not c.files}
    assert stored == listed


@pytest.fixture
def data_folder(tmp_path, monkeypatch) -> Callable[[Case], str]:
    """The case's data folder as a path relative to the working directory, as a fan types it."""

    def make(case: Case) -> str:
        if not case.files:
            monkeypatch.chdir(ROOT)
            return str((INVALID / case.folder).relative_to(ROOT))
        monkeypatch.chdir(tmp_path)
        folder = tmp_path / case.folder
        folder.mkdir()
        for name, data in case.files.items():
            (folder / name).write_bytes(data)
        return case.folder

    return make


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, hidden ones included, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def out_dir(tmp_path) -> Path:
    """An output folder holding a sentinel file from an earlier build."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "sentinel.txt").write_bytes(b"left by an earlier build\n")
    return out


def problem_lines(stderr: str, prefix: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(prefix)]


# a shape's words; a SHACL-SPARQL message is a template whose {?var} parts take values
SHAPE_MESSAGES = tuple(re.compile(re.sub(r"\\\{\\\?\w+\\\}", ".+", re.escape(str(m))))
                       for m in set(shapes_graph().objects(None, SH.message)))


def assert_reported(case: Case, data: str, stderr: str) -> None:
    """The problem line: file:line, entity, key, message, hint, as the case says."""
    where = f"{data}/{case.file}" if case.file else data
    prefix = f"{where}:{case.line}: " if case.line else f"{where}: "
    lines = problem_lines(stderr, prefix)
    assert lines, f"no problem reported at {prefix!r}:\n{stderr}"
    head = "".join(f"{part}: " for part in (case.entity, case.key) if part)
    wanted = re.compile(re.escape(prefix + head) + f"(?:{case.message})"
                        + (rf" \((?:{case.hint})\)" if case.hint else ""))
    expected = prefix + head + case.message + (f" ({case.hint})" if case.hint else "")
    assert any(wanted.fullmatch(line) for line in lines), \
        f"expected (message and hint are regexes):\n  {expected}\ngot:\n  " + "\n  ".join(lines)
    if case.shacl:
        said = [line[len(prefix + head):] for line in lines if line.startswith(prefix + head)]
        assert any(m.match(text) for text in said for m in SHAPE_MESSAGES), "not in the words of a shape's sh:message"


def assert_no_traceback(result, caplog) -> None:
    for text in (result.stdout, result.stderr):
        assert "Traceback" not in text
    logged = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert not logged, f"a traceback was logged: {logged[0].getMessage()}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.folder)
def test_build_reports_the_problem_and_writes_nothing(case, kg, data_folder, out_dir, caplog):
    caplog.set_level(logging.WARNING)
    data = data_folder(case)
    data_before, out_before = snapshot(Path(data)), snapshot(out_dir)

    result = kg("build", "--data", data, "--out", out_dir)

    assert result.exit_code == 1, result.stderr
    assert_no_traceback(result, caplog)
    assert_reported(case, data, result.stderr)
    assert "nothing was written" in result.stderr
    assert snapshot(out_dir) == out_before
    assert snapshot(Path(data)) == data_before


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.folder)
def test_validate_reports_the_problem(case, kg, data_folder, caplog):
    caplog.set_level(logging.WARNING)
    data = data_folder(case)
    result = kg("validate", "--data", data)
    assert result.exit_code == 1, result.stderr
    assert_no_traceback(result, caplog)
    assert_reported(case, data, result.stderr)


def test_a_valid_build_does_write(kg, out_dir):
    """The counterpart of the cases above: the same check sees files written."""
    before = snapshot(out_dir)
    result = kg("build", "--data", UNIVERSE, "--out", out_dir)
    assert result.exit_code == 0, result.stderr
    after = snapshot(out_dir)
    assert after.keys() > before.keys()
    assert after["sentinel.txt"] == before["sentinel.txt"]


# ---------------------------------------------------------------- values stay what was typed

RETYPED_BY_YAML_1_1 = ["NO", "no", "Off", "yes", "~", "null", "1:30", "0123", "0o17", "0x1F", "1_000",
                       "1e3", ".inf", ".NaN", "2014-10-24", "12:30:00"]


@pytest.mark.parametrize("typed", RETYPED_BY_YAML_1_1)
def test_a_value_yaml_1_1_would_retype_stays_the_text_typed(typed, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "universe.yaml").write_text(
        minimal("Values YAML 1.1 would retype.", "    name: Hero\n", f"    name: {typed}\n    aliases: [{typed}]\n")
        + "places:\n  norway:\n    type: country\n    name: Norway\n"
        + f"    aliases: [{typed}]   # the country code NO must not become false\n",
        encoding="utf-8")
    dataset = build(data).dataset
    for subject, predicate in ((JWR["hero"], RDFS.label), (JWR["hero"], SKOS.altLabel),
                               (JWR["norway"], SKOS.altLabel)):
        objects = {o for _, _, o, _ in dataset.quads((subject, predicate, None, None))}
        assert objects == {Literal(typed)}, (subject, predicate, objects)


def test_an_id_stays_the_text_typed(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "universe.yaml").write_text(
        minimal("An IMDb id with leading zeros.", "    name: Film A\n", "    name: Film A\n    imdb: tt0012345\n"),
        encoding="utf-8")
    dataset = build(data).dataset
    ids = {o for _, _, o, _ in dataset.quads((JWR["film-a"], JWO.imdbId, None, None))}
    assert ids == {Literal("tt0012345")}


# ---------------------------------------------------------------- usage and I/O errors: exit 2


@pytest.mark.parametrize("command", ["build", "validate"])
def test_a_data_folder_that_does_not_exist_is_a_usage_error(command, kg, tmp_path, out_dir, caplog):
    missing = tmp_path / "no-such-folder"
    args = ("--out", out_dir) if command == "build" else ()
    result = kg(command, "--data", missing, *args)
    assert result.exit_code == 2, result.stderr
    assert f"the data folder {missing} does not exist" in result.stderr
    assert_no_traceback(result, caplog)
    assert snapshot(out_dir) == {"sentinel.txt": b"left by an earlier build\n"}


def test_an_output_folder_that_cannot_be_created_is_a_usage_error(kg, tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"not a folder\n")
    out = blocker / "build"
    result = kg("build", "--data", UNIVERSE, "--out", out)
    assert result.exit_code == 2, result.stderr
    assert re.search(rf"error: cannot create the output folder {re.escape(str(out))}: .+", result.stderr), \
        result.stderr
    assert_no_traceback(result, caplog)
    assert blocker.read_bytes() == b"not a folder\n"


def test_an_output_path_that_is_a_file_is_a_usage_error(kg, tmp_path, caplog):
    out = tmp_path / "build"
    out.write_bytes(b"a file, not a folder\n")
    result = kg("build", "--data", UNIVERSE, "--out", out)
    assert result.exit_code == 2, result.stderr
    assert str(out) in result.stderr
    assert_no_traceback(result, caplog)
    assert out.read_bytes() == b"a file, not a folder\n"

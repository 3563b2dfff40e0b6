"""Shared fixtures: paths, the CLI runner, and a copy of a data folder to edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
UNIVERSE = FIXTURES / "universe"  # the tiny universe touching every class and property
REAL_DATA = ROOT / "data"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def kg(runner):
    """Invoke the kg command in-process: ``kg("validate", "--data", path)``."""

    def invoke(*args):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def universe_copy(tmp_path) -> Path:
    """A writable copy of the fixture universe."""
    target = tmp_path / "data"
    shutil.copytree(UNIVERSE, target)
    return target


@pytest.fixture(scope="session")
def universe_nquads(tmp_path_factory) -> Path:
    """The fixture universe, built once per test session."""
    from kg.build import ensure_built

    return ensure_built(UNIVERSE, tmp_path_factory.mktemp("universe-build"))


@pytest.fixture
def app(universe_nquads):
    """A fresh web app per test, serving the fixture universe from its own embedded store."""
    from kg.store import EmbeddedStore
    from web import create_app

    app = create_app({"STORE": EmbeddedStore.from_nquads(universe_nquads), "TESTING": True})
    return app


@pytest.fixture
def client(app):
    return app.test_client()

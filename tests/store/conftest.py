"""What the store tests share: a web app over a remote store, as `kg serve --endpoint` makes it."""

from __future__ import annotations

import pytest

from ..conftest import make_app


@pytest.fixture
def remote_app(tmp_path):
    """A maker of web apps over a remote store, their downloads (the store's contents, dumped) under tmp_path;
    each app's query executors are closed after the test."""
    from kg.publish.serving import prepare
    from kg.settings import Settings
    from kg.store import connect

    made = []

    def make(endpoint: str, **options):
        """The app of kg serve --endpoint: the store's contents prepared on disk first, as kg serve does."""
        settings = Settings(endpoint=endpoint, out_dir=tmp_path / "out", **options)
        prepare(settings, connect(settings))
        made.append(make_app(**vars(settings)))
        return made[-1]

    yield make
    for app in made:
        app.extensions["kg-queries"].close()

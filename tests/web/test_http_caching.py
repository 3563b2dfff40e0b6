"""HTTP as caches and browsers expect it (web/caching.py): validators, 304, Cache-Control, compression, page cache.

Most tests use the Flask client on both stores; the last ones ask the real `kg serve` over HTTP.
"""

from __future__ import annotations

import gzip
import re
import urllib.request
from email.utils import parsedate_to_datetime

import brotli
import pytest

from web.caching import PageCache, static_version

from ..conftest import make_app

#: One GET of each kind of answer, with what it negotiates.
ANSWERS = [
    ("/", {}),
    ("/id/hero", {}),
    ("/id/hero", {"Accept": "text/turtle"}),
    ("/id/hero.jsonld", {}),
    ("/api/search?q=her", {}),
    ("/browse/characters", {}),
    ("/matrix.json", {}),
    ("/ontology", {}),
    ("/ontology", {"Accept": "text/turtle"}),
    ("/dataset", {"Accept": "text/turtle"}),
]


@pytest.mark.parametrize(("path", "headers"), ANSWERS)
def test_every_answer_has_validators_and_says_how_long_to_keep_it(client, path, headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    etag, weak = response.get_etag()
    assert etag and not weak
    assert response.last_modified is not None
    assert re.fullmatch(r"public, max-age=\d+", response.headers["Cache-Control"])
    again = client.get(path, headers={**headers, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == response.headers["ETag"]
    since = client.get(path, headers={**headers, "If-Modified-Since": response.headers["Last-Modified"]})
    assert since.status_code == 304
    before = parsedate_to_datetime(response.headers["Last-Modified"]).timestamp() - 3600
    older = client.get(path, headers={**headers, "If-Modified-Since": _http_date(before)})
    assert older.status_code == 200 and older.data == response.data


def _http_date(timestamp: float) -> str:
    from werkzeug.http import http_date

    return http_date(timestamp)


def test_the_tag_names_the_reading_and_the_representation(client):
    everything = client.get("/id/hero").headers["ETag"]
    nothing = client.get("/id/hero?seen=0").headers["ETag"]
    canon = client.get("/id/hero?canon=1").headers["ETag"]
    turtle = client.get("/id/hero", headers={"Accept": "text/turtle"}).headers["ETag"]
    assert len({everything, nothing, canon, turtle}) == 4
    assert client.get("/id/hero?seen=0", headers={"If-None-Match": everything}).status_code == 200
    page = client.get("/id/hero")
    assert "Cookie" in page.vary  # the reading may come from a cookie
    assert "Accept" in client.get("/id/hero", headers={"Accept": "text/turtle"}).vary


def test_two_workers_over_the_same_build_give_the_same_tags(universe_nquads):
    from kg.store import EmbeddedStore

    tags = []
    for _ in range(2):
        app = make_app(EmbeddedStore.from_nquads(universe_nquads), out_dir=universe_nquads.parent)
        tags.append([app.test_client().get(path).headers["ETag"] for path in ("/", "/id/hero", "/id/hero.ttl")])
    assert tags[0] == tags[1]


def test_a_page_asked_for_again_is_sent_without_running_its_view(app, client):
    first = client.get("/id/villain")
    endpoint = next(rule.endpoint for rule in app.url_map.iter_rules() if rule.rule == "/id/<path:slug>")

    def ran(**kw):
        raise RuntimeError("the view ran again")

    app.view_functions[endpoint] = ran
    second = client.get("/id/villain")
    assert second.status_code == 200 and second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    assert client.get("/id/villain", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    other_reading = client.get("/id/villain?seen=0")  # another key: the view runs (and fails)
    assert other_reading.status_code == 500


def test_the_page_cache_is_bounded_by_bytes_least_recently_used_out_first():
    cache = PageCache(max_bytes=3 * (1000 + 512))
    for key in "abc":
        cache.set(key, (200, [], b"x" * 1000))
    assert cache.get("a") is not None  # a is now the most recently used
    cache.set("d", (200, [], b"x" * 1000))
    assert cache.get("b") is None and all(cache.get(key) for key in "acd")
    cache.set("huge", (200, [], b"x" * 10_000))  # larger than the whole cache: not kept, nothing lost
    assert cache.get("huge") is None and cache.get("a") is not None


def test_answers_that_set_a_cookie_or_refuse_are_not_kept(client):
    spoilers = client.get("/spoilers?seen=1")
    assert spoilers.headers.getlist("Set-Cookie") and "ETag" not in spoilers.headers
    missing = client.get("/id/no-such-thing")
    assert missing.status_code == 404 and "ETag" not in missing.headers


@pytest.mark.parametrize(("encoding", "decode"), [("gzip", gzip.decompress), ("br", brotli.decompress)])
def test_text_answers_are_compressed_as_the_client_asks(client, encoding, decode):
    plain = client.get("/id/hero")
    assert "Content-Encoding" not in plain.headers
    packed = client.get("/id/hero", headers={"Accept-Encoding": f"{encoding}, identity;q=0.5"})
    assert packed.headers["Content-Encoding"] == encoding and "Accept-Encoding" in packed.vary
    assert decode(packed.data) == plain.data and len(packed.data) < len(plain.data) / 3
    tag = packed.headers["ETag"]
    assert tag == plain.headers["ETag"][:-1] + f':{encoding}"'
    again = client.get("/id/hero", headers={"Accept-Encoding": encoding, "If-None-Match": tag})
    assert again.status_code == 304


def test_zstd_is_offered_and_small_answers_are_sent_as_they_are(client):
    from backports import zstd

    plain = client.get("/ontology")
    packed = client.get("/ontology", headers={"Accept-Encoding": "zstd"})
    assert packed.headers["Content-Encoding"] == "zstd" and zstd.decompress(packed.data) == plain.data
    tiny = client.get("/api/search?q=zzzzqqq", headers={"Accept-Encoding": "gzip"})
    assert len(tiny.data) < 1024 and "Content-Encoding" not in tiny.headers


def test_static_files_named_with_the_code_version_are_kept_a_year(client):
    page = client.get("/").get_data(as_text=True)
    assert f'/static/site.js?v={static_version()}"' in page
    versioned = client.get(f"/static/site.js?v={static_version()}")
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/static/site.js").headers["Cache-Control"] == "public, max-age=3600"
    assert client.get("/static/site.js?v=old").headers["Cache-Control"] == "public, max-age=3600"


# --- the real server --------------------------------------------------------------------------------------------

def fetch(url: str, **headers):
    """(status, headers, body); the headers read without regard to case, as HTTP says (the server sends them
    in lower case)."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_the_real_server_answers_conditional_gets_and_compresses(server):
    status, headers, body = fetch(f"{server}/id/hero", Cookie="seen=all")
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    status, _, body304 = fetch(f"{server}/id/hero", Cookie="seen=all", **{"If-None-Match": headers["ETag"]})
    assert status == 304 and body304 == b""
    status, packed, data = fetch(f"{server}/id/hero", Cookie="seen=all", **{"Accept-Encoding": "br, gzip"})
    assert status == 200 and packed["Content-Encoding"] == "br" and brotli.decompress(data) == body
    status, _, _ = fetch(f"{server}/id/hero", Cookie="seen=all",
                         **{"Accept-Encoding": "br", "If-None-Match": packed["ETag"]})
    assert status == 304
    status, answer, _ = fetch(f"{server}/sparql?query=ASK%7B%3Fs%3Fp%3Fo%7D",
                              Accept="application/sparql-results+json")
    assert status == 200 and answer["ETag"] and "max-age" in answer["Cache-Control"]


def test_health_is_a_plain_ok_never_kept(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.data == b"ok\n" and response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store" and "ETag" not in response.headers
    assert client.head("/health").status_code == 200

"""A real Virtuoso server (Debian's ``virtuoso-opensource``) for the tests, started and stopped by them.

Each server gets a throw-away database folder and an ini file written here:
its SQL and HTTP ports are free ports of 127.0.0.1, and the password of its
one account, ``dba``, is replaced by a random one before any test sees it,
so no default password is left on it.  Its row cap and time limit
are set low (:data:`ROW_CAP`, :data:`TIME_LIMIT`), below what a whole
answer of ours may need, so that the tests meet both of Virtuoso's ways of
not answering in full.
"""

from __future__ import annotations

import configparser
import os
import secrets
import shutil
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROW_CAP = 500  # ResultSetMaxRows: the fixture universe has more quads than this
TIME_LIMIT = 5  # MaxQueryExecutionTime, in seconds


def virtuoso_binaries() -> tuple[str, str]:
    """``virtuoso-t`` and ``isql-vt`` of Debian's virtuoso-opensource."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server is None or isql is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Virtuoso is not installed (Debian package 'virtuoso-opensource'): CI must run this")
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    return server, isql


@dataclass
class Virtuoso:
    url: str  # http://127.0.0.1:PORT
    sql_port: int
    password: str  # of dba
    process: subprocess.Popen
    folder: Path

    @property
    def query_url(self) -> str:
        return f"{self.url}/sparql"

    @property
    def graph_store_url(self) -> str:
        """The Graph Store Protocol endpoint that takes dba's credentials (by HTTP Digest)."""
        return f"{self.url}/sparql-graph-crud-auth"

    def password_file(self) -> Path:
        path = self.folder / "dba-password"
        path.write_text(self.password + "\n", encoding="utf-8")
        return path

    def sql(self, statement: str) -> str:
        _, isql = virtuoso_binaries()
        done = subprocess.run([isql, f"127.0.0.1:{self.sql_port}", "dba", self.password, f"exec={statement}"],
                              capture_output=True, text=True, timeout=60, check=False)
        assert "*** Error" not in done.stdout + done.stderr, done.stdout + done.stderr
        return done.stdout

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


def write_ini(folder: Path, sql_port: int, http_port: int, row_cap: int, time_limit: int) -> Path:
    ini = configparser.ConfigParser()
    ini.optionxform = str  # Virtuoso's keys are case-sensitive
    db = folder / "db"
    db.mkdir(exist_ok=True)
    ini["Database"] = {"DatabaseFile": f"{db}/virtuoso.db", "ErrorLogFile": f"{db}/virtuoso.log",
                       "LockFile": f"{db}/virtuoso.lck", "TransactionFile": f"{db}/virtuoso.trx",
                       "xa_persistent_file": f"{db}/virtuoso.pxa"}
    ini["TempDatabase"] = {"DatabaseFile": f"{db}/virtuoso-temp.db", "TransactionFile": f"{db}/virtuoso-temp.trx"}
    ini["Parameters"] = {"ServerPort": f"127.0.0.1:{sql_port}", "DisableUnixSocket": "1",
                         "NumberOfBuffers": "10000", "MaxDirtyBuffers": "6000", "DirsAllowed": ".",
                         "CheckpointInterval": "0"}
    ini["HTTPServer"] = {"ServerPort": f"127.0.0.1:{http_port}", "ServerRoot": str(db), "ServerThreads": "10",
                         "MaxKeepAlives": "10", "KeepAliveTimeout": "10"}
    ini["SPARQL"] = {"ResultSetMaxRows": str(row_cap), "MaxQueryExecutionTime": str(time_limit),
                     "MaxQueryCostEstimationTime": "0"}
    path = folder / "virtuoso.ini"
    with path.open("w", encoding="utf-8") as out:
        ini.write(out)
    return path


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/sparql?query=ASK%7B%7D", timeout=2):
            return True
    except OSError:
        return False


def start_virtuoso(folder: Path, sql_port: int, http_port: int, row_cap: int = ROW_CAP,
                   time_limit: int = TIME_LIMIT, password: str | None = None) -> Virtuoso:
    """Virtuoso on 127.0.0.1 over the database in ``folder`` (made on first start), once it answers
    queries; a first start gets a fresh random password for dba (``password``: dba's, when the database
    already has one)."""
    server, _ = virtuoso_binaries()
    ini = write_ini(folder, sql_port, http_port, row_cap, time_limit)
    fresh = password is None
    process = subprocess.Popen([server, "+foreground", "+configfile", str(ini)], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{http_port}"
    deadline = time.monotonic() + 120
    while not _answers(url):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log = (folder / "db" / "virtuoso.log").read_text(errors="replace")[-2000:]
            pytest.fail(f"Virtuoso did not start: {log}")
        time.sleep(0.3)
    virtuoso = Virtuoso(url, sql_port, "dba" if fresh else password, process, folder)
    if fresh:  # the default (dba/dba) never outlives the first second; USER_SET_PASSWORD changes it for
        new = secrets.token_hex(16)  # SQL and HTTP alike (SET PASSWORD leaves HTTP's copy as it was)
        virtuoso.sql(f"USER_SET_PASSWORD('dba', '{new}');")  # hex: nothing in it can end the SQL string
        virtuoso.password = new
    return virtuoso


def stop_virtuoso(virtuoso: Virtuoso) -> None:
    virtuoso.process.terminate()
    try:
        virtuoso.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        virtuoso.kill()


@contextmanager
def running_virtuoso(folder: Path, sql_port: int, http_port: int, **options):
    virtuoso = start_virtuoso(folder, sql_port, http_port, **options)
    try:
        yield virtuoso
    finally:
        stop_virtuoso(virtuoso)

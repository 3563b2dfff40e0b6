"""`kg deploy systemd`: the unit that runs one replica per port; its command, as systemd would run it, serves."""

from __future__ import annotations

import configparser
import shlex
import urllib.request

from ..conftest import UNIVERSE, free_port, running


def unit(path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(path)
    return parser["Service"]


def test_the_unit_runs_a_replica_that_serves(kg, tmp_path):
    result = kg("deploy", "systemd", "--out", tmp_path / "deploy", "--data", UNIVERSE, "--build-out",
                tmp_path / "build")
    assert result.exit_code == 0, result.output
    service = unit(tmp_path / "deploy" / "kg-serve@.service")
    assert service["Restart"] == "always" and service["KillMode"] == "control-group"
    port = free_port()
    command = shlex.split(service["ExecStart"].replace("%i", str(port)))  # systemd's instance: the port
    assert command[1:4] == ["serve", "--host", "127.0.0.1"] and "--proxies" in command
    with running(command, port, "the unit's kg serve", timeout=120) as url:
        with urllib.request.urlopen(f"{url}/id/hero", timeout=30) as answer:
            assert answer.status == 200


def test_over_a_sparql_server_the_unit_names_it(kg, tmp_path):
    result = kg("deploy", "systemd", "--out", tmp_path, "--endpoint", "http://10.0.0.5:7878/query")
    assert result.exit_code == 0, result.output
    command = shlex.split(unit(tmp_path / "kg-serve@.service")["ExecStart"])
    assert command[-2:] == ["--endpoint", "http://10.0.0.5:7878/query"] and "--data" not in command


def test_a_path_systemd_would_misread_is_refused(kg, tmp_path):
    result = kg("deploy", "systemd", "--out", tmp_path, "--data", tmp_path / "my data")
    assert result.exit_code == 2
    assert "holds a character systemd would read as quoting or a specifier" in result.output
    assert not (tmp_path / "kg-serve@.service").exists()

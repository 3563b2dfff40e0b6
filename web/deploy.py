"""``kg deploy nginx`` and ``kg deploy systemd``: the nginx configuration for several ``kg serve`` replicas,
written and checked, and the systemd unit that runs each replica.

The configuration is a template (``web/deploy/nginx.conf``, every choice said
where it is made) filled in with Python's :class:`string.Template`: the
replicas' addresses, the address to listen on, and a folder of its own for
nginx's pid, logs, temporary files and cache, so it runs unprivileged.  It is
checked with ``nginx -t`` before it is said to be written.  The replicas run
``kg serve --proxies 1``: they take the client's address from the
``X-Forwarded-For`` that this nginx sets, and from nobody else.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from pathlib import Path
from string import Template

import click

from kg.errors import OutputError, UsageError

TEMPLATE = Path(__file__).with_name("deploy") / "nginx.conf"
UNIT = Path(__file__).with_name("deploy") / "kg-serve@.service"
UNSAFE_IN_UNIT = set(" \t\n\"'\\%$;")  # what systemd would read as quoting, a specifier or a variable
MIME_TYPES = Path("/etc/nginx/mime.types")
ADDRESS_CHARS = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:[]")


def _address(text: str, what: str) -> str:
    """host:port, checked: it goes into nginx's configuration, so nothing but an address may pass."""
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536 or not set(text) <= ADDRESS_CHARS:
        raise UsageError(f"{what} must be host:port (like 127.0.0.1:5001), not {text!r}")
    return text


def render(replicas: list[str], listen: str, run: Path, workers: int = 1, user: str | None = None) -> str:
    """The nginx configuration for ``replicas`` (host:port each), listening on ``listen``, its files in ``run``."""
    if not replicas:
        raise UsageError("give at least one replica (--replica host:port)")
    servers = "\n".join(f"        server {_address(r, '--replica')} max_fails=1 fail_timeout=5s;" for r in replicas)
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        user=f"user {user};" if user else "", workers=workers, run=run, mime_types=MIME_TYPES,
        pages_servers=servers, sparql_servers=servers, listen=_address(listen, "--listen"))


def write(replicas: list[str], listen: str, out: Path, workers: int = 1) -> Path:
    """Write the configuration into ``out`` (with the folders nginx writes into) and check it with nginx -t."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    try:
        for folder in ("", "cache", "client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (out / folder).mkdir(parents=True, exist_ok=True)
        conf = out / "nginx.conf"
        # started as root, nginx's workers would become 'nobody' and could not write into this folder: they
        # run as its owner instead (unprivileged, nginx needs no user line and takes none)
        user = pwd.getpwuid(out.stat().st_uid).pw_name if os.geteuid() == 0 else None
        conf.write_text(render(replicas, listen, out.resolve(), workers, user), encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write into {out}: {exc.strerror}") from None
    try:
        done = subprocess.run([nginx, "-t", "-q", "-c", str(conf.resolve()), "-p", str(out.resolve())],
                              capture_output=True, text=True, timeout=30, check=False)
    except FileNotFoundError:
        raise UsageError("nginx is not installed (Debian package 'nginx'): the configuration is written but "
                         "unchecked") from None
    if done.returncode != 0:
        raise UsageError(f"nginx finds {conf} wrong: {done.stderr.strip()}")
    return conf


def unit_command(kg: str, data: Path | None, out: Path | None, endpoint: str | None) -> list[str]:
    """The replica's command line, ``%i`` (systemd's instance: the port) for its port."""
    command = [kg, "serve", "--host", "127.0.0.1", "--port", "%i", "--proxies", "1"]
    if endpoint:
        command += ["--endpoint", endpoint]
    if data:
        command += ["--data", str(data)]
    if out:
        command += ["--out", str(out)]
    for word in command[1:]:
        if word != "%i" and set(word) & UNSAFE_IN_UNIT:
            raise UsageError(f"{word!r} holds a character systemd would read as quoting or a specifier: "
                             "give paths and URLs without spaces, quotes, '%' or '$'")
    return command


def render_unit(command: list[str], workdir: Path, user: str) -> str:
    if set(str(workdir)) & UNSAFE_IN_UNIT:
        raise UsageError(f"the working folder {workdir} holds a space, a quote, '%' or '$'")
    return Template(UNIT.read_text(encoding="utf-8")).substitute(
        user=user, workdir=workdir, command=" ".join(command))


@click.group("deploy")
def deploy_group() -> None:
    """Recipes for running the site in production."""


@deploy_group.command("nginx")
@click.option("--replica", "replicas", multiple=True, required=True, metavar="HOST:PORT",
              help="a kg serve replica (repeat for each); run them with --proxies 1")
@click.option("--listen", default="127.0.0.1:8080", show_default=True, metavar="HOST:PORT",
              help="where nginx listens")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="the folder for nginx.conf and nginx's own files (pid, logs, cache)")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="nginx worker processes")
def nginx_command(replicas: tuple[str, ...], listen: str, out: Path, workers: int) -> None:
    """Write an nginx configuration in front of kg serve replicas, and check it.

    \b
    Example:
      kg serve --port 5001 --proxies 1 & kg serve --port 5002 --proxies 1 &
      kg deploy nginx --replica 127.0.0.1:5001 --replica 127.0.0.1:5002 --out nginx/
      nginx -c $PWD/nginx/nginx.conf -p $PWD/nginx/
    """
    conf = write(list(replicas), listen, out, workers)
    click.echo(f"wrote {conf} (checked by nginx -t); run: nginx -c {conf.resolve()} -p {out.resolve()}", err=True)


@deploy_group.command("systemd")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="the folder to write kg-serve@.service into (then copy it to /etc/systemd/system)")
@click.option("--endpoint", metavar="URL", help="the SPARQL server the replicas read (else each loads the build)")
@click.option("--data", type=click.Path(path_type=Path, file_okay=False), help="the data folder (embedded store)")
@click.option("--build-out", type=click.Path(path_type=Path, file_okay=False),
              help="the build folder the replicas share (embedded store)")
@click.option("--user", default=lambda: pwd.getpwuid(os.getuid()).pw_name, show_default="you",
              help="the account the replicas run as")
def systemd_command(out_dir: Path, endpoint: str | None, data: Path | None, build_out: Path | None,
                    user: str) -> None:
    """Write the systemd unit that runs one kg serve replica per port: kg-serve@PORT.

    \b
    Example:
      kg deploy systemd --out deploy/ && sudo cp deploy/kg-serve@.service /etc/systemd/system/
      sudo systemctl enable --now kg-serve@5001 kg-serve@5002
    """
    import sys

    beside = Path(sys.executable).with_name("kg")  # the kg of this Python's environment
    kg = str(beside) if beside.exists() else shutil.which("kg") or "kg"
    command = unit_command(kg, data and data.resolve(), build_out and build_out.resolve(), endpoint)
    text = render_unit(command, Path.cwd().resolve(), user)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / UNIT.name
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write into {out_dir}: {exc.strerror}") from None
    click.echo(f"wrote {target}; install it with: sudo cp {target} /etc/systemd/system/ && "
               "sudo systemctl enable --now kg-serve@5001 kg-serve@5002", err=True)

"""``kg deploy nginx``: the nginx configuration for several ``kg serve`` replicas, written and checked.

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

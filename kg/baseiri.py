"""What a base IRI is, said without minting any IRI (so the launcher may check one before the namespaces exist)."""

from __future__ import annotations

import re

DEFAULT_BASE = "https://kg.johnwick.example/"
SETTINGS_FILE = "settings.yaml"  # in the data folder: its settings, not facts (its base IRI: kg.launch reads it)
BASE_RE = re.compile(r"https?://[^\s<>\"{}|\\^`#?/]+(?:/[^\s<>\"{}|\\^`#?]*)?/")


def check_base(text: str) -> str:
    """``text`` if it is a base IRI we can mint under (absolute http(s), ending in "/", no query or fragment),
    else ValueError saying what a base must be."""
    if not BASE_RE.fullmatch(text):
        raise ValueError(f"the base IRI must be an absolute http(s) IRI ending in '/' (like {DEFAULT_BASE}), "
                         f"not {text!r}")
    return text


def data_settings(data_dir) -> dict:
    """What the data folder's ``settings.yaml`` says (empty without one); ValueError naming the file if it
    cannot be read as a mapping."""
    from pathlib import Path

    import yaml

    path = Path(data_dir) / SETTINGS_FILE
    try:
        settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot be read: {exc}") from None
    if settings is None:
        return {}
    if not isinstance(settings, dict):
        raise ValueError(f"{path}: must be a mapping such as 'base: https://example.org/jw/'")  # noqa: TRY004
    return settings


def release_of(settings: dict, where: str = SETTINGS_FILE) -> dict | None:
    """The data release the settings declare, ``{"version", "released"}`` (a version, and its date as
    YYYY-MM-DD), or None; ValueError saying what a release must be."""
    import datetime

    release = settings.get("release")
    if release is None:
        return None
    if not isinstance(release, dict) or not isinstance(release.get("version"), str | int | float):
        raise ValueError(f"{where}: 'release' must say 'version:' (and 'released:' its date, YYYY-MM-DD)")  # noqa: TRY004
    released = release.get("released")
    if released is not None and not isinstance(released, datetime.date):
        raise ValueError(f"{where}: release 'released:' must be a date written YYYY-MM-DD, not {released!r}")
    return {"version": str(release["version"]), "released": released.isoformat() if released else None}

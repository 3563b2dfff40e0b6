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

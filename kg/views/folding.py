"""Text folded the way search compares it: "Sacré-Cœur" -> "sacre coeur".

NFKD, combining marks dropped, casefolded, a few letters that do not decompose
spelled out (œ → oe, ø → o, ł → l), apostrophes dropped and every other run of
punctuation or space made one space.  :func:`fold_with_positions` also says
where each folded character came from, so a match can be shown in the
original text.  :func:`bare` drops a leading "the", which fans leave out
("continental" names "The Continental").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Letters NFKD leaves whole, spelled as a fan would type them.
SPELLED = {"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
APOSTROPHES = frozenset("'’ʼ‘`´")
_ASCII_APOSTROPHES = str.maketrans("", "", "'`")
_ASCII_GAPS = re.compile("[^0-9a-z]+")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character folded: letters and digits, a space for anything else, '' for marks."""
    out = []
    for part in unicodedata.normalize("NFKD", char):
        if unicodedata.combining(part) or part in APOSTROPHES:
            continue
        for c in part.casefold():
            c = SPELLED.get(c, c)
            out.append(c if c.isalnum() else " ")
    return "".join(out)


def fold_with_positions(text: str) -> tuple[str, tuple[int, ...]]:
    """The folded text, and for each of its characters the index of the original one it comes from."""
    out: list[str] = []
    positions: list[int] = []
    space = True  # no leading space, no two in a row
    for index, char in enumerate(text):
        for c in _fold_char(char):
            if c == " ":
                if space:
                    continue
                space = True
            else:
                space = False
            out.append(c)
            positions.append(index)
    if out and out[-1] == " ":
        out.pop()
        positions.pop()
    return "".join(out), tuple(positions)


def fold(text: str) -> str:
    """Text as the index compares it: "Sacré-Cœur" -> "sacre coeur".

    ASCII text (most of any universe) takes a shortcut with the same result:
    NFKD leaves it alone, so folding is lowercasing, dropping the two ASCII
    apostrophes and making every other run of non-alphanumerics one space.
    """
    if text.isascii():
        return _ASCII_GAPS.sub(" ", text.lower().translate(_ASCII_APOSTROPHES)).strip()
    return fold_with_positions(text)[0]


ARTICLE = "the "


def bare(folded: str) -> str:
    """A folded name without its leading "the": "the continental" -> "continental" (but "the" stays "the")."""
    return folded.removeprefix(ARTICLE)

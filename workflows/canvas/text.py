"""Fitting a node's text into the room its shape has: whole, smaller, wrapped, and only then cut.

"Build Succeede…" on a node with room to spare reads badly. So a label is
tried on one line at its size, then one size smaller, then wrapped on two
lines where the shape has room for them, and cut with "…" only when none
fits. A cut label keeps its whole text in the node's <title> tooltip.
Widths are estimates per character (no font metrics on the server), on the
safe side for the canvas font.
"""

from __future__ import annotations

from dataclasses import dataclass

SMALL = 0.85  # the smaller size (11px for the 13px label) relative to the normal one


@dataclass
class Fitted:
    lines: list[str]
    small: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def fit(text: str, room: float, char_width: float) -> str:
    """One line of at most `room` pixels: whole or cut with "…" (badges, kickers, subtitles)."""
    chars = max(int(room / char_width), 4)
    text = " ".join(str(text).split())
    return text if len(text) <= chars else text[: chars - 1] + "…"


def fit_label(text: str, room: float, char_width: float, *, max_lines: int = 1) -> Fitted:
    """The label whole if it fits in any of: one line, one line smaller, `max_lines` lines, smaller; else cut."""
    text = " ".join(str(text).split())
    for small in (False, True):
        chars = int(room / (char_width * (SMALL if small else 1)))
        if len(text) <= chars:
            return Fitted([text], small)
    for small in (False, True):
        chars = int(room / (char_width * (SMALL if small else 1)))
        lines = _wrap(text, chars, max_lines)
        if lines is not None and max_lines > 1:
            return Fitted(lines, small)
    return Fitted([fit(text, room, char_width)])


def _wrap(text: str, chars: int, max_lines: int) -> list[str] | None:
    """Words in at most `max_lines` lines of `chars`, or None when they do not fit."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        elif len(word) <= chars:
            lines.append(word)
        else:
            return None
    return lines if len(lines) <= max_lines else None

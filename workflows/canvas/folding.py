"""Which containers a user folded on the canvas: a view preference kept in a cookie per workflow.

Folding changes only what one person sees, never the workflow, so it is no
revision and no service call. The browser keeps the folded keys in a cookie
(static/js/canvas.js writes it), and every request, the full page as much as
an HTMX update after an edit, sends it back: the server lays the canvas out
with those containers drawn as cards, the same way each time.
"""

from __future__ import annotations

from workflows.identifiers import SLUG_RE

COOKIE_PREFIX = "canvas-folded-"
SEPARATOR = "."  # node keys are slugs: never a dot
MOST = 200


def folded_keys(cookies, workflow_pk) -> frozenset[str]:
    """The folded container keys for this workflow; anything that is not a node key is ignored."""
    raw = cookies.get(f"{COOKIE_PREFIX}{workflow_pk}", "")
    return frozenset(key for key in raw.split(SEPARATOR)[:MOST] if SLUG_RE.fullmatch(key))

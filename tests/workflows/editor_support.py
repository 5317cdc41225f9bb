"""Helpers for the editor tests: URLs of the editor endpoints and clients per role."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

# name -> (HTTP method, needs the editor role)
ENDPOINTS = {
    "editor": ("get", False),
    "editor-inspector": ("get", False),
    "editor-diagnostics": ("get", False),
    "editor-code": ("get", False),
    "editor-connect": ("get", True),
    "editor-inspector-preview": ("post", True),
    "editor-expression": ("post", True),
    "editor-undo": ("post", True),
    "editor-redo": ("post", True),
    "editor-node-add": ("post", True),
    "editor-node-update": ("post", True),
    "editor-node-move": ("post", True),
    "editor-node-delete": ("post", True),
    "editor-node-insert": ("post", True),
    "editor-node-add-after": ("post", True),
    "editor-copy": ("post", False),
    "editor-paste": ("post", True),
    "editor-edge-add": ("post", True),
    "editor-edge-delete": ("post", True),
    "editor-deploy": ("post", True),
}
POST_ENDPOINTS = [name for name, (method, _) in ENDPOINTS.items() if method == "post"]
EDIT_ENDPOINTS = [name for name, (_, edit) in ENDPOINTS.items() if edit]
READ_ENDPOINTS = [name for name, (method, edit) in ENDPOINTS.items() if not edit and method == "get"]


def url(workflow, name: str) -> str:
    return reverse(f"workflows:{name}", args=(workflow.project.slug, workflow.identifier))


def client_for(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    if user is not None:
        client.force_login(user)
    return client


def htmx(client: Client, method: str, path: str, data: dict | None = None):
    """A request as htmx sends it (HX-Request header)."""
    return getattr(client, method)(path, data or {}, HTTP_HX_REQUEST="true")

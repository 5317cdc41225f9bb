"""Editor routes: the page and the partial endpoints its HTMX requests call (names `workflows:editor-*`).

Included from workflows/urls.py, so the names live in the `workflows` namespace.
"""

from django.urls import path

from workflows.editor import clipboard as editor_clipboard
from workflows.editor import deploy as editor_deploy
from workflows.editor import edges as editor_edges
from workflows.editor import nodes as editor_nodes
from workflows.editor import views as editor_views

EDIT = "p/<slug:slug>/w/<slug:identifier>/edit/"

urlpatterns = [
    path(EDIT, editor_views.editor, name="editor"),
    path(f"{EDIT}inspector/", editor_views.panels, name="editor-inspector"),
    path(f"{EDIT}inspector/preview/", editor_views.inspector_preview, name="editor-inspector-preview"),
    path(f"{EDIT}expression/", editor_views.expression_check, name="editor-expression"),
    path(f"{EDIT}diagnostics/", editor_views.panels, name="editor-diagnostics"),
    path(f"{EDIT}code/", editor_views.code, name="editor-code"),
    path(f"{EDIT}undo/", editor_views.undo, name="editor-undo"),
    path(f"{EDIT}redo/", editor_views.redo, name="editor-redo"),
    path(f"{EDIT}nodes/add/", editor_nodes.add, name="editor-node-add"),
    path(f"{EDIT}nodes/update/", editor_nodes.update, name="editor-node-update"),
    path(f"{EDIT}nodes/move/", editor_nodes.move, name="editor-node-move"),
    path(f"{EDIT}nodes/delete/", editor_nodes.delete, name="editor-node-delete"),
    path(f"{EDIT}nodes/insert/", editor_nodes.insert, name="editor-node-insert"),
    path(f"{EDIT}nodes/add-after/", editor_nodes.add_after, name="editor-node-add-after"),
    path(f"{EDIT}copy/", editor_clipboard.copy, name="editor-copy"),
    path(f"{EDIT}paste/", editor_clipboard.paste, name="editor-paste"),
    path(f"{EDIT}edges/connect/", editor_edges.connect, name="editor-connect"),
    path(f"{EDIT}edges/add/", editor_edges.add, name="editor-edge-add"),
    path(f"{EDIT}edges/delete/", editor_edges.delete, name="editor-edge-delete"),
    path(f"{EDIT}deploy/", editor_deploy.deploy, name="editor-deploy"),
]

"""The HTMX workflow editor: the page, node and edge forms, history, and deploy from the editor.

Entry points only: each view checks membership and role, calls one
service in `workflows.services` or the compiler, and renders a partial.
"""

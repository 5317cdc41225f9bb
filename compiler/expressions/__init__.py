"""The safe expression language users type into nodes.

`language` is the interface (check, inline, identifiers); `allow_list`
holds what the language allows and the pass that enforces it. Pure: no
Django, and user text never reaches eval or exec.
"""

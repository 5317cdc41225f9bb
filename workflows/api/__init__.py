"""The REST API (Django REST Framework): workflows and their graphs, runs, import and export.

`views` and `graph` edit workflows through `workflows.services`; `runs`
starts and controls runs through `compiler.runs`; `serializers` and
`checked_json` refuse bad input with field errors; `base` holds the
project scoping and version checks every viewset shares.
"""

"""`{{ workflow_id|short_id }}`: a run's workflow id without its project prefix, on pages inside the project.

Links keep the full id; the short one reads better and is what users type
(compiler/runs/control.py accepts both).
"""

from django import template

from compiler.runtime.project_ids import unprefixed

register = template.Library()


@register.filter
def short_id(workflow_id: str) -> str:
    return unprefixed(workflow_id)

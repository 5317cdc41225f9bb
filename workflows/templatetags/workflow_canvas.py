"""`{% workflow_svg workflow %}`: the read-only graph preview, for pages that only have the object (admin)."""

from django import template
from django.utils.safestring import mark_safe

from workflows.canvas.svg import render_workflow_svg

register = template.Library()


@register.simple_tag
def workflow_svg(workflow) -> str:
    """The SVG of the workflow's current version; empty for an unsaved workflow."""
    if workflow is None or workflow.pk is None:
        return ""
    # render_workflow_svg renders our own template, which escapes every user-provided text.
    return mark_safe(render_workflow_svg(workflow))  # noqa: S308

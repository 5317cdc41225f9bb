"""Canvas tags: `{% workflow_svg workflow %}`, the read-only graph preview for pages that only have the
object (admin); `{% canvas_node %}` and `{% canvas_node_attributes %}` for `_canvas_svg.html`."""

from django import template
from django.utils.safestring import mark_safe

from workflows.canvas.node_markup import node_attributes, node_group
from workflows.canvas.svg import render_workflow_svg

register = template.Library()


@register.simple_tag
def workflow_svg(workflow) -> str:
    """The SVG of the workflow's current version; empty for an unsaved workflow."""
    if workflow is None or workflow.pk is None:
        return ""
    # render_workflow_svg renders our own template, which escapes every user-provided text.
    return mark_safe(render_workflow_svg(workflow))  # noqa: S308


@register.simple_tag(takes_context=True)
def canvas_node(context, node):
    """A non-container node's `<g>` (workflows/canvas/node_markup.py says why it is not template code)."""
    return node_group(node, editable=context.get("editable"), connect=context.get("connect"), urls=context.get("urls"))


@register.simple_tag(takes_context=True)
def canvas_node_attributes(context, node):
    """A container's attributes that open its inspector, as the node groups have them."""
    return node_attributes(node, connect=context.get("connect"), urls=context.get("urls"))

"""`{{ value|pretty_json }}`: run inputs and outputs as JSON (what the API and Temporal show), not Python reprs."""

import json

from django import template

register = template.Library()


@register.filter
def pretty_json(value) -> str:
    """Indented JSON; values JSON cannot hold (dates, bytes) as their text. The template escapes the result."""
    return json.dumps(value, indent=2, sort_keys=True, default=str)

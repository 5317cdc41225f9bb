"""Workflow identifiers and node keys: slugs that name things on Temporal and in generated Python.

A workflow identifier becomes its generated module's name with '-' turned
into '_' (compiler.emit.module.module_name_for). So `a-b` and `a_b` would share a
module (the database refuses the pair through Workflow.normalized_identifier)
and `import` or `class` would name a module Python cannot import (the deploy
would fail long after the form said yes).
"""

from __future__ import annotations

import keyword
import re

from django.core.exceptions import ValidationError

# Matched with fullmatch: `$` would also accept a trailing newline.
SLUG_RE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
MAX_LENGTH = 80
SLUG_HINT = "Use lowercase letters, digits and single - or _ between them (e.g. package-build)."


def normalized(identifier: str) -> str:
    """One spelling per generated module: `a_b` and `a-b` both give `a-b`."""
    return identifier.replace("_", "-")


def slug_problem(value: object) -> str | None:
    """Why the value is not a key or identifier, or None."""
    if not isinstance(value, str) or not SLUG_RE.fullmatch(value):
        return SLUG_HINT
    if len(value) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters (this has {len(value)})."
    return None


def identifier_problem(value: object) -> str | None:
    """Why the value cannot identify a workflow, or None."""
    problem = slug_problem(value)
    if problem is None and keyword.iskeyword(value.replace("-", "_")):
        return f"'{value}' is a Python keyword and would name the generated module; choose e.g. '{value}-workflow'."
    return problem


def validate_slug(value: str) -> None:
    problem = slug_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid")


def validate_identifier(value: str) -> None:
    problem = identifier_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid")

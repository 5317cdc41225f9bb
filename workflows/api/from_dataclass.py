"""Response serializers read off the services' dataclasses, so the shape of an answer is written once.

A service returns a dataclass (a run of the runs list, a schedule); the API
answers with its fields. Listing those fields again as DRF fields made two
copies of one shape that drift apart. `dataclass_serializer` builds the
read-only serializer from the dataclass's annotations instead; only what
the annotations cannot say (help texts, properties the answer adds) is
given by hand. drf-spectacular documents it like any serializer, under the
name given.
"""

from __future__ import annotations

import copy
import dataclasses
import types
import typing
from collections.abc import Mapping
from datetime import datetime

from rest_framework import serializers

_FIELDS: dict[type, type[serializers.Field]] = {
    str: serializers.CharField,
    bool: serializers.BooleanField,
    int: serializers.IntegerField,
    float: serializers.FloatField,
    datetime: serializers.DateTimeField,
    dict: serializers.DictField,
}


def dataclass_serializer(
    name: str,
    cls: type,
    *,
    help_texts: Mapping[str, str] | None = None,
    extra: Mapping[str, serializers.Field] | None = None,
) -> type[serializers.Serializer]:
    """A serializer class named `name` with one field per field of the dataclass `cls`, in order, then `extra`.

    Supported annotations: str, bool, int, float, datetime, dict, `X | None`
    and `list[X]` of those; anything else is a TypeError when the module
    loads, not a wrong answer later.
    """
    hints = typing.get_type_hints(cls)
    help_texts = help_texts or {}
    attrs: dict[str, object] = {
        item.name: _field(hints[item.name], help_text=help_texts.get(item.name)) for item in dataclasses.fields(cls)
    }
    # Copies, made now, so the extra fields come after the dataclass's (DRF orders fields as they are made).
    attrs.update({field_name: copy.deepcopy(field) for field_name, field in (extra or {}).items()})
    attrs["__module__"] = cls.__module__
    attrs["__doc__"] = cls.__doc__
    return type(name, (serializers.Serializer,), attrs)


def _field(hint, **options) -> serializers.Field:
    options = {key: value for key, value in options.items() if value}
    arguments = typing.get_args(hint)
    if isinstance(hint, types.UnionType) and type(None) in arguments:
        (inner,) = [argument for argument in arguments if argument is not type(None)]
        return _field(inner, allow_null=True, **options)
    if typing.get_origin(hint) is list:
        return serializers.ListField(child=_field(arguments[0]), **options)
    if hint not in _FIELDS:
        raise TypeError(f"no serializer field for {hint!r}")
    return _FIELDS[hint](**options)
